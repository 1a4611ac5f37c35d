package openapi

import (
	"fmt"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleParameterAddedRequired = register(compat.Rule{
	ID:       "PARAMETER_ADDED_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "A required parameter was added",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why: "B fails: old clients do not send the parameter and the new server requires it, so their requests are " +
		"rejected.",
	Old:  "parameters: []",
	New:  "parameters:\n  - {name: tenant, in: header, required: true, schema: {type: string}}",
	Safe: "Add the parameter as optional with a server-side default, move clients to sending it, and make it required only when no old client is left.",
}, "Add the parameter as optional, with a server-side default for requests without it.",
	"Move every client to sending it.",
	"Make it required in a later release, once no old client remains.")

var ruleParameterAddedOptional = register(compat.Rule{
	ID:       "PARAMETER_ADDED_OPTIONAL",
	Kind:     compat.KindOpenAPI,
	Title:    "An optional parameter was added",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients do not send it and need not, so B holds. F fails for servers: new clients can reach an old " +
		"server mid-rollout, which ignores or rejects the parameter. Servers are the readers and can be upgraded " +
		"first, so the change is read-tolerant.",
	Old:  "parameters: []",
	New:  "parameters:\n  - {name: limit, in: query, schema: {type: integer}}",
	Safe: "Roll out servers that understand the parameter before releasing clients that send it.",
}, "Release and fully roll out servers that understand the parameter.",
	"Only then release clients that send it.")

var ruleParameterRemoved = register(compat.Rule{
	ID:       "PARAMETER_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A parameter was removed without being deprecated first",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why: "B fails: old clients keep sending the parameter and the new server ignores it (silently changing the " +
		"meaning of their requests) or rejects it. The old version did not deprecate it, so expand–contract was " +
		"skipped.",
	Old:  "parameters:\n  - {name: sort, in: query, schema: {type: string}}",
	New:  "parameters: []",
	Safe: "Deprecate the parameter in one release, move clients off it, and remove it in a later release.",
}, "Restore the parameter and mark it `deprecated: true`.",
	"Move every client off it.",
	"Remove it in a later release.")

var ruleParameterBecameRequired = register(compat.Rule{
	ID:       "PARAMETER_BECAME_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "An optional parameter became required",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why:      "B fails: old clients may omit the parameter, and the new server rejects requests without it.",
	Old:      "- {name: limit, in: query, required: false}",
	New:      "- {name: limit, in: query, required: true}",
	Safe:     "Keep the parameter optional with a server-side default; move clients to sending it before making it required.",
}, "Keep the parameter optional and give it a server-side default.",
	"Move every client to sending it.",
	"Make it required in a later release.")

var ruleParameterBecameOptional = register(compat.Rule{
	ID:       "PARAMETER_BECAME_OPTIONAL",
	Kind:     compat.KindOpenAPI,
	Title:    "A required parameter became optional",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients always send it, so B holds. F fails for servers: a new client may omit it and reach an old " +
		"server that still requires it.",
	Old:  "- {name: limit, in: query, required: true}",
	New:  "- {name: limit, in: query, required: false}",
	Safe: "Roll out servers that accept requests without the parameter before releasing clients that omit it.",
}, "Release and fully roll out servers that accept requests without the parameter.",
	"Only then release clients that omit it.")

var ruleParameterSerializationChanged = register(compat.Rule{
	ID:       "PARAMETER_SERIALIZATION_CHANGED",
	Kind:     compat.KindOpenAPI,
	Title:    "A parameter's serialization (style, explode or allowReserved) changed",
	Backward: false,
	Forward:  false,
	Scope:    "request",
	Why: "Both fail: the same value is written differently (for example ids=1,2 versus ids=1&ids=2), so the new " +
		"server misparses what old clients send and old servers misparse what new clients send.",
	Old:  "- {name: ids, in: query, style: form, explode: true}",
	New:  "- {name: ids, in: query, style: form, explode: false}",
	Safe: "Add a new parameter with the new serialization beside the old one, move clients to it, then deprecate and remove the old one.",
}, "Add a new parameter with the new serialization beside the old one; servers accept both.",
	"Move every client to the new parameter.",
	"Deprecate the old parameter, then remove it in a later release.")

// param is one effective parameter of an operation: path-level parameters merged with
// operation-level ones, which override them by name and location.
type param struct {
	key      string // identity: location plus name; path parameters by their place in the template
	name, in string
	at       loc
	obj      map[string]any
	required bool
	schema   *loc
	subject  string
	written  loc // where the parameter is written in its list, which is at unless it is a $ref
}

// parameters returns the effective parameters of op, keyed by identity.
func (s *spec) parameters(op *operation) (map[string]*param, []string, error) {
	out := map[string]*param{}
	var order []string
	pathParams := templateParam.FindAllString(op.path, -1)
	lists := []loc{op.item.child("parameters"), op.at.child("parameters")}
	for level, written := range lists {
		l, list, err := s.derefList(written)
		if err != nil {
			return nil, nil, err
		}
		for i := range list {
			at, obj, err := s.deref(l.child(itoa(i)))
			if err != nil {
				return nil, nil, err
			}
			if obj == nil {
				return nil, nil, s.errAt(l.child(itoa(i)), "expected a parameter object")
			}
			name, _ := obj["name"].(string)
			in, _ := obj["in"].(string)
			if name == "" || in == "" {
				return nil, nil, s.errAt(at, "a parameter needs a name and an in")
			}
			p := &param{name: name, in: in, at: at, obj: obj, written: l.child(itoa(i))}
			// Parameters are named by location and name, not by list index: reordering a
			// list changes nothing. A shared parameter component keeps its own pointer, and
			// a path-level parameter is named at its path, so each is reported once.
			local := " #/parameters/" + in + "/" + escapeToken(name)
			switch {
			case l != written && at == l.child(itoa(i)):
				// Written in place in a list that is itself a $ref target.
				p.subject = s.subject(l) + "/" + escapeToken(in) + "/" + escapeToken(name)
			case at.file != s.root || strings.HasPrefix(at.ptr, "/components/"):
				p.subject = s.subject(at)
			case level == 0:
				p.subject = op.path + local
			default:
				p.subject = op.ref.name + local
			}
			p.required, _ = obj["required"].(bool)
			switch in {
			case "header":
				p.key = in + ":" + strings.ToLower(name)
			case "path":
				p.key = in + ":" + name
				p.required = true
				for j, t := range pathParams {
					if t == "{"+name+"}" {
						p.key = fmt.Sprintf("path:#%d", j)
					}
				}
			default:
				p.key = in + ":" + name
			}
			if _, ok := obj["schema"]; ok {
				sl := at.child("schema")
				p.schema = &sl
			} else if content, ok := obj["content"].(map[string]any); ok && len(content) > 0 {
				mt := sortedKeys(content)[0]
				if _, ok := content[mt].(map[string]any)["schema"]; ok {
					sl := at.child("content", mt, "schema")
					p.schema = &sl
				}
			}
			if _, dup := out[p.key]; !dup {
				order = append(order, p.key)
			}
			out[p.key] = p
		}
	}
	return out, order, nil
}

// serialization returns a parameter's effective style, explode and allowReserved, with
// the defaults OpenAPI gives each location.
func (p *param) serialization() string {
	style, _ := p.obj["style"].(string)
	if style == "" {
		switch p.in {
		case "query", "cookie":
			style = "form"
		default:
			style = "simple"
		}
	}
	explode, ok := p.obj["explode"].(bool)
	if !ok {
		explode = style == "form"
	}
	reserved, _ := p.obj["allowReserved"].(bool)
	return fmt.Sprintf("style %s, explode %t, allowReserved %t", style, explode, reserved)
}

// compareParameters compares the effective parameters of two versions of an operation.
func (c *comparer) compareParameters(o, n *operation) {
	oldPs, oldOrder, err := c.old.parameters(o)
	if err != nil {
		c.fail(err)
		return
	}
	newPs, newOrder, err := c.new.parameters(n)
	if err != nil {
		c.fail(err)
		return
	}
	ref, r := n.ref, n.ref.request()
	keys := append([]string(nil), oldOrder...)
	for _, k := range newOrder {
		if _, ok := oldPs[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		op, np := oldPs[k], newPs[k]
		switch {
		case np == nil:
			subject := op.subject
			d := c.deprecation(op.obj, o)
			rule, msg := ruleParameterRemoved, fmt.Sprintf("%s parameter %s was removed", op.in, op.name)
			switch {
			case d.beforeSunset:
				rule, msg = ruleParameterRemovedBeforeSunset, msg+" before its announced sunset on "+d.sunset.Format("2006-01-02")
			case d.deprecated:
				rule, msg = ruleParameterRemovedAfterDeprecation, msg+" after being deprecated"
			}
			c.add(rule.Finding(subject, msg), ref, r, &op.at, nil)
		case op == nil:
			subject := np.subject
			if np.required {
				c.add(ruleParameterAddedRequired.Findingf(subject, "required %s parameter %s was added", np.in, np.name), ref, r, nil, &np.at)
			} else {
				c.add(ruleParameterAddedOptional.Findingf(subject, "optional %s parameter %s was added", np.in, np.name), ref, r, nil, &np.at)
			}
		default:
			c.compareParameter(ref, r, op, np)
		}
	}
}

func (c *comparer) compareParameter(ref opRef, r role, op, np *param) {
	// A renamed path parameter is the same parameter to clients, which fill the template
	// by position; it is named as the new version names it.
	subject := np.subject
	switch {
	case !op.required && np.required:
		c.add(ruleParameterBecameRequired.Findingf(subject, "%s parameter %s became required", np.in, np.name), ref, r,
			ptrLoc(op.at.child("required")), ptrLoc(np.at.child("required")))
	case op.required && !np.required:
		c.add(ruleParameterBecameOptional.Findingf(subject, "%s parameter %s became optional", np.in, np.name), ref, r,
			ptrLoc(op.at.child("required")), ptrLoc(np.at.child("required")))
	}
	if os, ns := op.serialization(), np.serialization(); os != ns {
		c.add(ruleParameterSerializationChanged.Findingf(subject, "%s parameter %s changed serialization from %s to %s", np.in, np.name, os, ns),
			ref, r, &op.at, &np.at)
	}
	if op.schema != nil && np.schema != nil {
		c.compareSchema(*op.schema, *np.schema, ref, r)
	}
}

func ptrLoc(l loc) *loc { return &l }
