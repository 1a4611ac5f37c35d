package openapi

import (
	"fmt"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleDiscriminatorPropertyChanged = register(compat.Rule{
	ID:       "DISCRIMINATOR_PROPERTY_CHANGED",
	Kind:     compat.KindOpenAPI,
	Title:    "A discriminator's property name changed",
	Backward: false,
	Forward:  false,
	Why: "Both fail: readers pick the variant of a polymorphic value by the discriminator property, so new readers " +
		"cannot classify what old writers send, nor old readers what new writers send.",
	Old:  "discriminator: {propertyName: kind}",
	New:  "discriminator: {propertyName: type}",
	Safe: "Send both properties for a release, move readers to the new one, then stop sending the old one.",
}, "Have writers send both the old and the new discriminator property.",
	"Move every reader to the new property.",
	"Stop sending the old property in a later release.")

var ruleDiscriminatorMappingRemoved = register(compat.Rule{
	ID:       "DISCRIMINATOR_MAPPING_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A discriminator mapping value was removed",
	Backward: false,
	Forward:  true,
	Why:      "B fails: old writers still send the discriminator value, and new readers no longer map it to a schema.",
	Old:      "mapping: {dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat'}",
	New:      "mapping: {dog: '#/components/schemas/Dog'}",
	Safe:     "Deprecate the variant, move writers off it, then remove its mapping in a later release.",
}, "Keep the mapping and deprecate the variant.", "Move every writer off the value.", "Remove the mapping in a later release.")

var ruleDiscriminatorMappingChanged = register(compat.Rule{
	ID:       "DISCRIMINATOR_MAPPING_CHANGED",
	Kind:     compat.KindOpenAPI,
	Title:    "A discriminator mapping value points at another schema",
	Backward: false,
	Forward:  false,
	Why:      "Both fail: the same discriminator value is read as a different schema by old and new readers.",
	Old:      "mapping: {dog: '#/components/schemas/Dog'}",
	New:      "mapping: {dog: '#/components/schemas/Puppy'}",
	Safe:     "Add a new discriminator value for the new schema beside the old one, move writers, then remove the old value.",
}, "Add a new discriminator value for the new schema; keep the old value's mapping.",
	"Move every writer to the new value.",
	"Remove the old value in a later release.")

var ruleDiscriminatorMappingAdded = register(compat.Rule{
	ID:       "DISCRIMINATOR_MAPPING_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "A discriminator mapping value was added",
	Backward: true,
	Forward:  false,
	Why: "B holds: old writers never send the new value. F fails: old readers cannot map the new value to a schema. " +
		"Where the schema is in a response the readers are clients, and with a public audience the change is breaking.",
	Old:  "mapping: {dog: '#/components/schemas/Dog'}",
	New:  "mapping: {dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat'}",
	Safe: "Roll out readers that know the new value before writers send it.",
}, "Release and roll out every reader that knows the new value.", "Only then let writers send it.")

// compareDiscriminators compares the discriminators of the component schemas both
// versions declare. The JSON Schema engine does not know discriminators; they decide how
// readers of a polymorphic value choose its schema, so a changed mapping changes meaning
// even where the schemas compare equal. Findings list every operation and role that
// reaches the component.
func (c *comparer) compareDiscriminators() {
	if c.err != nil {
		return
	}
	ol := loc{c.old.root, "/components/schemas"}
	nl := loc{c.new.root, "/components/schemas"}
	_, om, err := c.old.deref(ol)
	if err != nil {
		c.fail(err)
		return
	}
	_, nm, err := c.new.deref(nl)
	if err != nil {
		c.fail(err)
		return
	}
	var uses map[loc][]schemaUse
	for _, name := range sortedKeys(om) {
		if _, ok := nm[name]; !ok {
			continue
		}
		// A component may be a $ref to a schema in another file; its discriminator is
		// read there. A boolean schema has none.
		osAt, os, err := c.old.derefValue(ol.child(name), om[name])
		if err != nil {
			c.fail(err)
			return
		}
		nsAt, ns, err := c.new.derefValue(nl.child(name), nm[name])
		if err != nil {
			c.fail(err)
			return
		}
		od, _ := os["discriminator"].(map[string]any)
		nd, _ := ns["discriminator"].(map[string]any)
		if od == nil || nd == nil {
			continue
		}
		oat, nat := osAt.child("discriminator"), nsAt.child("discriminator")
		type change struct {
			f        compat.Finding
			old, new *loc
		}
		var found []change
		subject := "#/components/schemas/" + escapeToken(name) + "/discriminator"
		op, _ := od["propertyName"].(string)
		np, _ := nd["propertyName"].(string)
		if op != np {
			found = append(found, change{ruleDiscriminatorPropertyChanged.Findingf(subject, "discriminator of %s changed its property from %s to %s", name, op, np),
				ptrLoc(oat.child("propertyName")), ptrLoc(nat.child("propertyName"))})
		}
		omap, _ := od["mapping"].(map[string]any)
		nmap, _ := nd["mapping"].(map[string]any)
		for _, v := range sortedKeys(omap) {
			nt, ok := nmap[v]
			at := ptrLoc(oat.child("mapping", v))
			switch {
			case !ok:
				found = append(found, change{ruleDiscriminatorMappingRemoved.Findingf(subject+"/mapping/"+escapeToken(v), "discriminator value %s of %s was removed", v, name), at, nil})
			case !sameTarget(omap[v], nt):
				found = append(found, change{ruleDiscriminatorMappingChanged.Findingf(subject+"/mapping/"+escapeToken(v), "discriminator value %s of %s changed from %v to %v", v, name, omap[v], nt),
					at, ptrLoc(nat.child("mapping", v))})
			}
		}
		for _, v := range sortedKeys(nmap) {
			if _, ok := omap[v]; !ok {
				found = append(found, change{ruleDiscriminatorMappingAdded.Findingf(subject+"/mapping/"+escapeToken(v), "discriminator value %s of %s was added", v, name),
					nil, ptrLoc(nat.child("mapping", v))})
			}
		}
		if len(found) == 0 {
			continue
		}
		if uses == nil {
			uses = c.schemaUses()
		}
		us := uses[ol.child(name)]
		for _, ch := range found {
			if len(us) == 0 {
				c.add(ch.f, opRef{}, role{name: "request"}, ch.old, ch.new)
				continue
			}
			for _, u := range us {
				c.add(ch.f, u.ref, u.r, ch.old, ch.new)
			}
		}
	}
}

// sameTarget reports whether two mapping values name the same schema: names and
// references are compared by the component name they end in.
func sameTarget(a, b any) bool {
	as, _ := a.(string)
	bs, _ := b.(string)
	return mappingName(as) == mappingName(bs)
}

func mappingName(s string) string {
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return unescapeToken(s[i+1:])
	}
	return s
}

// schemaUses maps each old component schema to the operations and roles that reach it,
// following $refs from every schema the comparison compared.
func (c *comparer) schemaUses() map[loc][]schemaUse {
	out := map[loc][]schemaUse{}
	seenUse := map[string]bool{}
	for _, u := range c.roots {
		visited := map[loc]bool{}
		var walk func(l loc, v any, depth int)
		walk = func(l loc, v any, depth int) {
			if depth > maxDepth {
				return
			}
			switch x := v.(type) {
			case map[string]any:
				if ref, ok := x["$ref"].(string); ok {
					to, err := c.old.resolveRef(l.child("$ref"), ref)
					if err == nil && !visited[to] {
						visited[to] = true
						k := fmt.Sprintf("%v|%s|%s", to, u.ref.name, u.r.name)
						if !seenUse[k] {
							seenUse[k] = true
							out[to] = append(out[to], u)
						}
						tv, _ := c.old.get(to)
						walk(to, tv, depth+1)
					}
				}
				for _, k := range sortedKeys(x) {
					if k != "$ref" {
						walk(l.child(k), x[k], depth+1)
					}
				}
			case []any:
				for i, e := range x {
					walk(l.child(itoa(i)), e, depth+1)
				}
			}
		}
		visited[u.at] = true
		if k := fmt.Sprintf("%v|%s|%s", u.at, u.ref.name, u.r.name); !seenUse[k] {
			seenUse[k] = true
			out[u.at] = append(out[u.at], u)
		}
		v, _ := c.old.get(u.at)
		walk(u.at, v, 0)
	}
	return out
}
