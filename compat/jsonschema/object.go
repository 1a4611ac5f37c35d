package jsonschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var rulePropertyAddedOptional = compat.Register(compat.Rule{
	ID: "PROPERTY_ADDED_OPTIONAL", Kind: compat.KindJSONSchema,
	Title:    "An optional property was added to an open object",
	Backward: true, Forward: true,
	Why: "Under the produce-accept model old writers never emitted the undeclared property, so new readers see nothing new (B holds), " +
		"and old readers ignore properties they do not declare (F holds). Under the strict model, or when the old schema already constrained the name " +
		"through patternProperties or additionalProperties, the answers are computed from the old and new schemas of the property: " +
		"strict B fails because old writers may already send the name with any value.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}}}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}`,
	Safe: "Safe as is under the produce-accept model. Under the strict model, first make sure no writer sends the name with another shape.",
})

var rulePropertyAddedClosed = compat.Register(compat.Rule{
	ID: "PROPERTY_ADDED_TO_CLOSED_OBJECT", Kind: compat.KindJSONSchema,
	Title:    "An optional property was added to a closed object (additionalProperties false)",
	Backward: true, Forward: false,
	Why:  "B holds: old writers never emit the property. F fails: new writers may emit it and old readers, which reject unknown properties, reject the whole object.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}, "additionalProperties": false}`,
	Safe: "Read before write: release every reader with the new property first, and only then writers that emit it.",
})

var rulePropertyAddedRequired = compat.Register(compat.Rule{
	ID: "PROPERTY_ADDED_REQUIRED", Kind: compat.KindJSONSchema,
	Title:    "A required property was added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers keep producing objects without the property, which new readers reject. F holds for an open object (old readers ignore it) and is computed otherwise.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}}}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}, "tenant": {"type": "string"}}, "required": ["tenant"]}`,
	Safe: "Add the property as optional, move every writer to send it, migrate stored data, and only then make it required.",
})

var rulePropertyRemoved = compat.Register(compat.Rule{
	ID: "PROPERTY_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A property the old schema did not mark deprecated was removed from an open object",
	Backward: false, Forward: true,
	Why: "Deleting what was never deprecated is breaking (compat-model.md, expand–contract): old writers still send the property, and new readers, " +
		"which no longer declare it, accept the object and silently drop its data (a renamed request property is accepted and lost by the new server). " +
		"B fails by this phasing rule, not by validation, so no witness shows it. F is computed: it fails when old readers required the property. " +
		"Under the strict model (pure set inclusion, as Confluent's checker) removals are judged by inclusion alone, and B holds for an open object.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}}}`,
	Safe: "Expand–contract: mark the property \"deprecated\": true in one release and stop every writer from sending it, then remove it in a later release (PROPERTY_REMOVED_AFTER_DEPRECATION).",
})

var rulePropertyRemovedClosed = compat.Register(compat.Rule{
	ID: "PROPERTY_REMOVED_FROM_CLOSED_OBJECT", Kind: compat.KindJSONSchema,
	Title:    "A property was removed from a closed object (additionalProperties false) or from a name the new schema rejects",
	Backward: false, Forward: true,
	Why:  "B fails: old writers still emit the property and new readers reject objects carrying it. F holds when it was optional.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string"}}, "additionalProperties": false}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`,
	Safe: "Expand–contract: deprecate the property and stop writers from emitting it, wait until stored data no longer holds it, then remove it.",
})

var rulePropertyRemovedAfterDeprecation = compat.Register(compat.Rule{
	ID: "PROPERTY_REMOVED_AFTER_DEPRECATION", Kind: compat.KindJSONSchema,
	Title:    "A property the old schema marked deprecated was removed",
	Backward: true, Forward: true,
	Why: "The old schema already marked the property deprecated, so this removal is the contract step of expand–contract: " +
		"writers were told to stop emitting it in an earlier release, and under the produce-accept model old writers no longer " +
		"produce it, so new readers need not accept it (B holds, even for a closed object). F is computed: it fails when old " +
		"readers still require the property. Under the strict model deprecation changes nothing.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}, "note": {"type": "string", "deprecated": true}}, "additionalProperties": false}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`,
	Safe: "Nothing more to do when every writer has stopped emitting the property, as its deprecation asked; otherwise keep it until they have.",
})

var ruleRequiredAdded = compat.Register(compat.Rule{
	ID: "REQUIRED_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An existing property became required",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may omit the property and new readers reject such objects. F holds: new objects always carry it.",
	Old:  `{"type": "object", "properties": {"email": {"type": "string"}}}`,
	New:  `{"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}`,
	Safe: "Move every writer to always send the property, migrate stored data, then make it required.",
})

var ruleRequiredRemoved = compat.Register(compat.Rule{
	ID: "REQUIRED_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A required property became optional",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may omit the property and old readers, which require it, reject the object.",
	Old:  `{"type": "object", "properties": {"email": {"type": "string"}}, "required": ["email"]}`,
	New:  `{"type": "object", "properties": {"email": {"type": "string"}}}`,
	Safe: "Read before write: release readers that tolerate the missing property first, then writers that omit it.",
})

var ruleAdditionalRestricted = compat.Register(compat.Rule{
	ID: "ADDITIONAL_PROPERTIES_RESTRICTED", Kind: compat.KindJSONSchema,
	Title:    "An object's additionalProperties was closed or narrowed",
	Backward: false, Forward: true,
	Why: "Under the strict model old writers may send any undeclared property and new readers now reject some (B fails). " +
		"Under the produce-accept model writers emit no undeclared property, so closing an open object is additive; the answers are computed.",
	Old:  `{"type": "object", "properties": {"id": {"type": "string"}}}`,
	New:  `{"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": false}`,
	Safe: "Under the strict model, first stop writers from sending undeclared properties, then close the object.",
})

var ruleAdditionalRelaxed = compat.Register(compat.Rule{
	ID: "ADDITIONAL_PROPERTIES_RELAXED", Kind: compat.KindJSONSchema,
	Title:    "An object's additionalProperties was opened or widened",
	Backward: true, Forward: false,
	Why: "B holds. Under the strict model new writers may send undeclared properties that old readers of a closed object reject (F fails); " +
		"under the produce-accept model writers emit no undeclared property, so opening is additive. The answers are computed.",
	Old:  `{"type": "object", "additionalProperties": false}`,
	New:  `{"type": "object"}`,
	Safe: "Read before write: open readers first, then let writers send extra properties.",
})

var rulePatternPropertyAdded = compat.Register(compat.Rule{
	ID: "PATTERN_PROPERTY_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A patternProperties entry was added",
	Backward: true, Forward: false,
	Why: "The answers are computed by comparing, for names matching the pattern, the schema that governed them before (additionalProperties, or nothing in an open object) with the new pattern's schema. " +
		"Typically new writers may emit names matching the pattern that a closed old object rejects (F fails).",
	Old:  `{"type": "object", "additionalProperties": false}`,
	New:  `{"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`,
	Safe: "Read before write: release readers accepting the new names first, then writers.",
})

var rulePatternPropertyRemoved = compat.Register(compat.Rule{
	ID: "PATTERN_PROPERTY_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A patternProperties entry was removed",
	Backward: false, Forward: true,
	Why:  "The answers are computed like PATTERN_PROPERTY_ADDED the other way round; typically old writers still emit names matching the pattern and a closed new object rejects them (B fails).",
	Old:  `{"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}`,
	New:  `{"type": "object", "additionalProperties": false}`,
	Safe: "Stop writers from emitting matching names first, migrate stored data, then remove the pattern.",
})

var rulePropertyNamesChanged = compat.Register(compat.Rule{
	ID: "PROPERTY_NAMES_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "An object's propertyNames constraint was added, removed or changed",
	Backward: false, Forward: true,
	Why: "The answers are computed: each direction holds when every name the producing side can emit (its declared properties, checked one by one, and any other names it produces) satisfies the accepting side's propertyNames. " +
		"The default shown is a constraint added.",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "propertyNames": {"maxLength": 8}}`,
	Safe: "Rename offending properties in writers first, then add the constraint.",
})

var ruleMinPropertiesIncreased = compat.Register(compat.Rule{
	ID: "MIN_PROPERTIES_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "An object's minProperties was raised or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce objects with fewer properties. F holds.",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "minProperties": 1}`,
	Safe: "Move writers first, migrate stored data, then raise minProperties.",
})

var ruleMinPropertiesDecreased = compat.Register(compat.Rule{
	ID: "MIN_PROPERTIES_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "An object's minProperties was lowered or removed",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce smaller objects that old readers reject.",
	Old:  `{"type": "object", "minProperties": 1}`,
	New:  `{"type": "object"}`,
	Safe: "Read before write: release readers first, then writers.",
})

var ruleMaxPropertiesIncreased = compat.Register(compat.Rule{
	ID: "MAX_PROPERTIES_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "An object's maxProperties was raised or removed",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce larger objects that old readers reject.",
	Old:  `{"type": "object", "maxProperties": 2}`,
	New:  `{"type": "object", "maxProperties": 5}`,
	Safe: "Read before write: release readers first, then writers.",
})

var ruleMaxPropertiesDecreased = compat.Register(compat.Rule{
	ID: "MAX_PROPERTIES_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "An object's maxProperties was lowered or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce larger objects. F holds.",
	Old:  `{"type": "object", "maxProperties": 5}`,
	New:  `{"type": "object", "maxProperties": 2}`,
	Safe: "Move writers first, migrate stored data, then lower maxProperties.",
})

var ruleDependentRequiredAdded = compat.Register(compat.Rule{
	ID: "DEPENDENT_REQUIRED_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A property now requires other properties when present (dependentRequired or dependencies)",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may send the property without the newly dependent ones. F holds.",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "dependentRequired": {"card": ["billing"]}}`,
	Safe: "Move writers to always send the dependent properties first, then add the dependency.",
})

var ruleDependentRequiredRemoved = compat.Register(compat.Rule{
	ID: "DEPENDENT_REQUIRED_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A property no longer requires other properties when present",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may omit the formerly dependent properties and old readers reject that.",
	Old:  `{"type": "object", "dependentRequired": {"card": ["billing"]}}`,
	New:  `{"type": "object"}`,
	Safe: "Read before write: release readers first, then writers.",
})

var ruleDependentSchemaAdded = compat.Register(compat.Rule{
	ID: "DEPENDENT_SCHEMA_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A dependentSchemas entry was added",
	Backward: false, Forward: true,
	Why:  "B is computed (it holds only when the old schema already implies the dependent schema) and is usually no; F holds because the new schema only adds a constraint.",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "dependentSchemas": {"card": {"required": ["billing"]}}}`,
	Safe: "Move writers first, then add the dependent schema.",
})

var ruleDependentSchemaRemoved = compat.Register(compat.Rule{
	ID: "DEPENDENT_SCHEMA_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A dependentSchemas entry was removed",
	Backward: true, Forward: false,
	Why:  "B holds because a constraint was dropped; F is computed (it holds only when the new schema still implies the removed one) and is usually no.",
	Old:  `{"type": "object", "dependentSchemas": {"card": {"required": ["billing"]}}}`,
	New:  `{"type": "object"}`,
	Safe: "Read before write: release readers first, then writers.",
})

// ignored reports whether a property is dropped from the comparison by the options.
func (c *Comparison) ignored(p *node) bool {
	return p != nil && (c.opts.IgnoreReadOnly && p.readOnly || c.opts.IgnoreWriteOnly && p.writeOnly)
}

// other returns the schema of a node's undeclared properties: its additionalProperties, or
// an open node when that is absent or true.
func (c *Comparison) other(n *node) *node {
	if n.additional != nil && !n.additional.isTrue() {
		return n.additional
	}
	if n.synthetic && n.open && n.types == tAll {
		return n // the undeclared properties of an implied open schema are that schema again
	}
	if n.openOther == nil {
		n.openOther = n.side.synthetic(n.file, n.ptr+"/additionalProperties", true)
		n.openOther.open = true
	}
	return n.openOther
}

// accepting returns the schema n's own keywords apply to property k: its own property,
// a matching pattern property, or additionalProperties; when n itself leaves k open, an
// allOf member's declaration (a conjunct) is used instead.
func (c *Comparison) accepting(n *node, k string) *node {
	if p, ok := n.props[k]; ok {
		return p
	}
	for _, pp := range n.patternProps {
		if pp.re.MatchString(k) {
			return pp.n
		}
	}
	oth := c.other(n)
	if oth.open {
		if p := memberProp(n, k, 0); p != nil {
			return p
		}
	}
	return oth
}

// governing returns the schema that decides the value of property k in n.
func (c *Comparison) governing(n *node, k string) *node {
	if p, ok := n.props[k]; ok {
		return p
	}
	if p := memberProp(n, k, 0); p != nil {
		return p
	}
	for _, pp := range n.patternProps {
		if pp.re.MatchString(k) {
			return pp.n
		}
	}
	return c.other(n)
}

func (c *Comparison) compareObjects(o, n *node) []compat.Finding {
	var fs []compat.Finding
	objCands := c.typeCandidates(tObject)
	names := map[string]bool{}
	for _, k := range o.propNames {
		names[k] = true
	}
	for _, k := range n.propNames {
		names[k] = true
	}
	memberNames(o, names, 0)
	memberNames(n, names, 0)
	skip := map[string]bool{}
	oreq, nreq := effRequired(o, 0), effRequired(n, 0)
	for _, k := range sortedKeys(names) {
		op, inO := o.props[k]
		np, inN := n.props[k]
		// A property declared by an allOf member (inheritance through $ref) is declared,
		// and so, for what writers produce, is one declared in any branch.
		if !inO {
			if op = branchProp(o, k, 0); op != nil {
				inO = true
			}
		}
		if !inN {
			if np = branchProp(n, k, 0); np != nil {
				inN = true
			}
		}
		if c.ignored(op) || c.ignored(np) {
			skip[k] = true
			continue
		}
		// What writers emit for k (its declaration, wherever it is) and what the object's
		// own keywords accept for it can differ: additionalProperties does not see
		// properties declared in allOf members or other branches.
		prod := func(x, p *node, in bool) *node {
			if in {
				return p
			}
			return c.governing(x, k)
		}
		prodO, prodN := prod(o, op, inO), prod(n, np, inN)
		accO, accN := c.accepting(o, k), c.accepting(n, k)
		// A writer emits only values its whole schema accepts: a name its own keywords
		// reject is never produced, wherever it is declared.
		if accO.isFalse() {
			prodO = accO
		}
		if accN.isFalse() {
			prodN = accN
		}
		ownBoth := o.props[k] != nil && n.props[k] != nil
		var r *pairResult
		if ownBoth {
			r = c.pair(op, np)
		} else {
			// Writers' values satisfy both their declaration and the object's own keywords,
			// so either is an over-approximation of what they produce: one proof suffices.
			// When the object's own keywords already decide a direction, the declaration's
			// proof is not needed and is not attempted.
			both := c.pair(accO, accN)
			r = &pairResult{b: both.b || c.pair(prodO, accN).b, f: both.f || c.pair(accO, prodN).f}
		}
		reqAdded := nreq[k] && !oreq[k]
		reqRemoved := oreq[k] && !nreq[k]
		// Findings about the property itself (added, removed, required or not) are
		// reported where it is declared: under the object, or the branch that declares
		// it, even when its schema is a $ref to a shared definition.
		oDecl, nDecl := c.declSite(o, k), c.declSite(n, k)
		// A requirement that changed inside an allOf member is reported by the member's
		// own comparison, where it is written; this object reports its own.
		ownReqAdded, ownReqRemoved := reqAdded && n.required[k], reqRemoved && o.required[k]
		subjN := nDecl.loc()
		switch {
		case inO && inN:
			if ownBoth {
				c.sub(r)
			} else if accO == prodO && accN == prodN && o.props[k] == nil && n.props[k] == nil {
				// Declared in branches on both sides and left open by both objects' own
				// keywords: the branches' comparison reports any change, where it is.
			} else if !r.b || !r.f {
				rule := ruleAdditionalRestricted
				msg := fmt.Sprintf("property %s, declared in a branch, is now rejected by the object's own keywords for some values", quote(k))
				if r.b {
					rule = ruleAdditionalRelaxed
					msg = fmt.Sprintf("property %s, declared in a branch, is now accepted by the object's own keywords for more values", quote(k))
				}
				x := c.findingIn(rule, subjN, oDecl, nDecl, r.b, r.f, msg)
				fs = append(fs, c.withWitness(x, o, n, objCands))
			}
			if ownReqAdded {
				x := c.findingIn(ruleRequiredAdded, subjN, oDecl, requiredSite(n, k), false, true, fmt.Sprintf("property %s became required", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, objCands))
			}
			if ownReqRemoved {
				x := c.findingIn(ruleRequiredRemoved, subjN, requiredSite(o, k), nDecl, true, false, fmt.Sprintf("property %s is no longer required", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, objCands))
			}
		case inN:
			b, f := r.b && !reqAdded, r.f
			rule := rulePropertyAddedOptional
			msg := fmt.Sprintf("optional property %s added", quote(k))
			switch {
			case reqAdded:
				rule, msg = rulePropertyAddedRequired, fmt.Sprintf("required property %s added", quote(k))
			case c.other(o).isFalse() && c.governing(o, k) == c.other(o):
				rule, msg = rulePropertyAddedClosed, fmt.Sprintf("optional property %s added to a closed object", quote(k))
			case !b:
				msg += ", and old writers may already send that name with values the new schema rejects"
			case !f:
				msg += ", with values the old schema rejects for that name"
			}
			x := c.findingIn(rule, subjN, nil, nDecl, b, f, msg)
			fs = append(fs, c.withWitness(x, o, n, objCands))
			if reqRemoved {
				x := c.findingIn(ruleRequiredRemoved, subjN, requiredSite(o, k), nDecl, true, false, fmt.Sprintf("property %s is no longer required", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, objCands))
			}
		case inO:
			b, f := r.b, r.f && !reqRemoved
			rule := rulePropertyRemoved
			msg := fmt.Sprintf("property %s removed", quote(k))
			if !b {
				rule = rulePropertyRemovedClosed
				if c.other(n).isFalse() && c.governing(n, k) == c.other(n) {
					msg = fmt.Sprintf("property %s removed from a closed object", quote(k))
				} else {
					msg += ", and the new schema rejects values old writers send for it"
				}
			}
			switch {
			case c.opts.Model == ProduceAccept && (op.deprecated || o.deprecatedProps[k]):
				// The expand step happened in an earlier release: writers stopped emitting it.
				rule, b = rulePropertyRemovedAfterDeprecation, true
				msg = fmt.Sprintf("deprecated property %s removed", quote(k))
			case c.opts.Model == ProduceAccept && rule == rulePropertyRemoved:
				// Deleting what was never deprecated skips expand–contract: old writers still
				// send the property and new readers, which no longer declare it, drop it.
				b = false
				msg = fmt.Sprintf("property %s removed without being deprecated first: old writers still send it and new readers ignore it, so its data is dropped", quote(k))
			}
			if reqRemoved {
				msg += " (it was required)"
			}
			// The new object that lost the property anchors the finding on the new side
			// (inline ignores), though it has no position there.
			x := c.findingIn(rule, oDecl.loc(), oDecl, nil, b || rule == rulePropertyRemoved, f, msg)
			x = c.withWitness(x, o, n, objCands) // a witness can only show F: B is the phasing rule's
			x.Backward = b
			x.Advice = advice(x)
			fs = append(fs, x)
			if reqAdded {
				x := c.findingIn(ruleRequiredAdded, n.loc()+"/required", oDecl, requiredSite(n, k), false, true, fmt.Sprintf("property %s became required", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, objCands))
			}
		}
	}
	// required names without a property declaration on either side.
	req := map[string]bool{}
	for k := range oreq {
		req[k] = true
	}
	for k := range nreq {
		req[k] = true
	}
	for _, k := range sortedKeys(req) {
		if names[k] || skip[k] {
			continue
		}
		if nreq[k] && !oreq[k] {
			x := c.findingAt(ruleRequiredAdded, n.loc()+"/required", o, n, o.ptr, requiredPtr(n, k), false, true, fmt.Sprintf("property %s became required", quote(k)))
			fs = append(fs, c.withWitness(x, o, n, objCands))
		}
		if oreq[k] && !nreq[k] {
			x := c.findingAt(ruleRequiredRemoved, n.loc()+"/required", o, n, requiredPtr(o, k), n.ptr, true, false, fmt.Sprintf("property %s is no longer required", quote(k)))
			fs = append(fs, c.withWitness(x, o, n, objCands))
		}
	}
	fs = append(fs, c.comparePatternProps(o, n)...)
	fs = append(fs, c.compareAdditional(o, n)...)
	fs = append(fs, c.comparePropertyNames(o, n)...)
	add := func(r *compat.Rule, kw string, b, f bool, msg string) {
		x := c.finding(r, o, n, kw, b, f, msg)
		fs = append(fs, c.withWitness(x, o, n, objCands))
	}
	omin, nmin := max(o.minProps, 0), max(n.minProps, 0)
	switch {
	case nmin > omin:
		add(ruleMinPropertiesIncreased, "minProperties", false, true, fmt.Sprintf("minProperties raised from %d to %d", omin, nmin))
	case nmin < omin:
		add(ruleMinPropertiesDecreased, "minProperties", true, false, fmt.Sprintf("minProperties lowered from %d to %d", omin, nmin))
	}
	switch {
	case o.maxProps == n.maxProps:
	case n.maxProps >= 0 && (o.maxProps < 0 || n.maxProps < o.maxProps):
		add(ruleMaxPropertiesDecreased, "maxProperties", false, true, fmt.Sprintf("maxProperties lowered from %s to %d", lengthText(o.maxProps), n.maxProps))
	default:
		add(ruleMaxPropertiesIncreased, "maxProperties", true, false, fmt.Sprintf("maxProperties raised from %d to %s", o.maxProps, lengthText(n.maxProps)))
	}
	fs = append(fs, c.compareDependencies(o, n)...)
	return fs
}

// site is a location in one version: a document path and a JSON pointer.
type site struct {
	side      *Schemas
	file, ptr string
}

func (s *site) loc() string { return s.file + "#" + s.ptr }

// declSite returns where property k is declared in n: its properties entry, or that of
// the branch (allOf member, anyOf or oneOf branch, then or else) that declares it; n
// itself when nothing does.
func (c *Comparison) declSite(n *node, k string) *site {
	if owner := declOwner(n, k, 0); owner != nil {
		return &site{owner.side, owner.file, owner.ptr + "/properties/" + escapePointer(k)}
	}
	return &site{n.side, n.file, n.ptr}
}

// declOwner finds the node whose properties declare k: n, an allOf member first, then
// any other branch.
func declOwner(n *node, k string, depth int) *node {
	if n == nil || depth > maxMemberDepth+1 {
		return nil
	}
	if _, ok := n.props[k]; ok {
		return n
	}
	for _, m := range n.allOf {
		if o := declOwner(m, k, depth+1); o != nil {
			return o
		}
	}
	for _, bs := range branches(n)[1:] {
		for _, m := range bs {
			if o := declOwner(m, k, depth+1); o != nil {
				return o
			}
		}
	}
	return nil
}

// requiredSite points at k's entry in n's required list, or at n.
func requiredSite(n *node, k string) *site { return &site{n.side, n.file, requiredPtr(n, k)} }

// findingIn builds a finding of rule r positioned at the given sites (nil for a side
// where the element does not exist).
func (c *Comparison) findingIn(r *compat.Rule, subject string, oldAt, newAt *site, b, f bool, msg string) compat.Finding {
	x := r.Finding(subject, msg)
	x.Backward, x.Forward = b, f
	if oldAt != nil {
		x.Old = oldAt.side.pos(oldAt.file, oldAt.ptr)
	}
	if newAt != nil {
		x.New = newAt.side.pos(newAt.file, newAt.ptr)
	}
	x.Advice = advice(x)
	return x
}

// requiredPtr points at k's entry in n's required list, or at the schema.
func requiredPtr(n *node, k string) string {
	for i, r := range n.requiredList {
		if r == k {
			return fmt.Sprintf("%s/required/%d", n.ptr, i)
		}
	}
	return n.ptr
}

func (c *Comparison) comparePatternProps(o, n *node) []compat.Finding {
	var fs []compat.Finding
	find := func(x *node, src string) *node {
		for _, pp := range x.patternProps {
			if pp.src == src {
				return pp.n
			}
		}
		return nil
	}
	srcs := map[string]bool{}
	for _, pp := range o.patternProps {
		srcs[pp.src] = true
	}
	for _, pp := range n.patternProps {
		srcs[pp.src] = true
	}
	for _, src := range sortedKeys(srcs) {
		po, pn := find(o, src), find(n, src)
		switch {
		case po != nil && pn != nil:
			c.sub(c.pair(po, pn))
		case pn != nil:
			// Old writers may emit matching names declared by a branch's pattern; old
			// readers accept them only as far as the old object's own keywords do.
			accO := c.other(o)
			prodO := branchPattern(o, src, 0)
			if prodO == nil || accO.isFalse() {
				prodO = accO
			}
			b, f := c.pair(prodO, pn).b, c.pair(accO, pn).f
			// Declared properties whose names match the pattern must now satisfy it too.
			for _, k := range c.declaredNames(o) {
				if pp := c.pair(c.declaration(o, k), pn); pp.b == false && patternMatches(n, src, k) {
					b = false
				}
			}
			x := c.findingAt(rulePatternPropertyAdded, pn.loc(), nil, n, "", pn.ptr, b, f, fmt.Sprintf("patternProperties %s added", quote(src)))
			fs = append(fs, x)
		default:
			accN := c.other(n)
			prodN := branchPattern(n, src, 0)
			if prodN == nil || accN.isFalse() {
				prodN = accN
			}
			b, f := c.pair(po, accN).b, c.pair(po, prodN).f
			// Old readers also applied the pattern to declared properties matching it.
			for _, k := range c.declaredNames(n) {
				if pp := c.pair(po, c.declaration(n, k)); pp.f == false && patternMatches(o, src, k) {
					f = false
				}
			}
			x := c.findingAt(rulePatternPropertyRemoved, po.loc(), o, nil, po.ptr, "", b, f, fmt.Sprintf("patternProperties %s removed", quote(src)))
			fs = append(fs, x)
		}
	}
	return fs
}

func (c *Comparison) compareAdditional(o, n *node) []compat.Finding {
	oo, no := c.other(o), c.other(n)
	if !oo.synthetic && !no.synthetic {
		c.sub(c.pair(oo, no))
		return nil
	}
	state := func(x *node) string {
		switch {
		case x.open:
			return "open"
		case x.isFalse():
			return "closed"
		}
		return "schema"
	}
	so, sn := state(oo), state(no)
	if so == sn {
		return nil
	}
	r := c.pair(oo, no)
	// Names that branches declare through patterns or additionalProperties schemas are
	// emitted by writers even where the object's own keywords leave names open.
	b := r.b && !(producesViaBranches(o, 0) && !no.open)
	f := r.f && !(producesViaBranches(n, 0) && !oo.open)
	rule := ruleAdditionalRelaxed
	if sn == "closed" || (sn == "schema" && so == "open") {
		rule = ruleAdditionalRestricted
	}
	msg := fmt.Sprintf("additionalProperties changed from %s to %s", so, sn)
	x := c.findingAt(rule, n.loc()+"/additionalProperties", o, n, o.ptr+"/additionalProperties", n.ptr+"/additionalProperties", b, f, msg)
	return []compat.Finding{c.withWitness(x, o, n, c.typeCandidates(tObject))}
}

// producesOtherNames reports whether writers of n may emit names beyond its declared
// properties.
func (c *Comparison) producesOtherNames(n *node) bool {
	if c.opts.Model == Strict {
		return !c.other(n).isFalse() || len(n.patternProps) > 0
	}
	return len(n.patternProps) > 0 || !c.other(n).open && !c.other(n).isFalse()
}

func (c *Comparison) comparePropertyNames(o, n *node) []compat.Finding {
	if o.propertyNames == nil && n.propertyNames == nil {
		return nil
	}
	dir := func(p, a *node) bool {
		if a.propertyNames == nil {
			return true
		}
		for _, k := range p.propNames {
			if c.ignored(p.props[k]) || p.propertyNames != nil && !valid(p.propertyNames, k) {
				continue // a name the producing schema itself forbids is never produced
			}
			if !valid(a.propertyNames, k) {
				return false
			}
		}
		if !c.producesOtherNames(p) {
			return true
		}
		if p.propertyNames == nil {
			return false
		}
		return c.pair(p.propertyNames, a.propertyNames).b
	}
	b, f := dir(o, n), dir(n, o)
	if b && f {
		return nil
	}
	var msg string
	switch {
	case o.propertyNames == nil:
		msg = "propertyNames constraint added"
	case n.propertyNames == nil:
		msg = "propertyNames constraint removed"
	default:
		msg = "propertyNames constraint changed"
	}
	x := c.finding(rulePropertyNamesChanged, o, n, "propertyNames", b, f, msg)
	return []compat.Finding{c.withWitness(x, o, n, c.typeCandidates(tObject))}
}

func (c *Comparison) compareDependencies(o, n *node) []compat.Finding {
	var fs []compat.Finding
	keys := map[string]bool{}
	for k := range o.depRequired {
		keys[k] = true
	}
	for k := range n.depRequired {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		added, removed := setDiff(n.depRequired[k], o.depRequired[k]), setDiff(o.depRequired[k], n.depRequired[k])
		if len(added) > 0 {
			x := c.finding(ruleDependentRequiredAdded, o, n, depKeyword(n, k), false, true,
				fmt.Sprintf("property %s now requires %s", quote(k), strings.Join(quoteAll(added), ", ")))
			fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tObject)))
		}
		if len(removed) > 0 {
			x := c.finding(ruleDependentRequiredRemoved, o, n, depKeyword(o, k), true, false,
				fmt.Sprintf("property %s no longer requires %s", quote(k), strings.Join(quoteAll(removed), ", ")))
			fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tObject)))
		}
	}
	keys = map[string]bool{}
	for k := range o.depSchemas {
		keys[k] = true
	}
	for k := range n.depSchemas {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		do, dn := o.depSchemas[k], n.depSchemas[k]
		switch {
		case do != nil && dn != nil:
			c.sub(c.pair(do, dn))
		case dn != nil:
			b := c.pair(o, dn).b
			if !b {
				x := c.findingAt(ruleDependentSchemaAdded, dn.loc(), o, n, o.ptr, dn.ptr, false, true, fmt.Sprintf("dependent schema for %s added", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tObject)))
			}
		default:
			f := c.pair(n, do).b
			if !f {
				x := c.findingAt(ruleDependentSchemaRemoved, do.loc(), o, n, do.ptr, n.ptr, true, false, fmt.Sprintf("dependent schema for %s removed", quote(k)))
				fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tObject)))
			}
		}
	}
	return fs
}

func depKeyword(n *node, k string) string {
	if kw := n.depKw[k]; kw != "" {
		return kw + "/" + escapePointer(k)
	}
	return ""
}

func setDiff(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = quote(x)
	}
	return out
}

// maxMemberDepth bounds how deep allOf members are searched for declarations.
const maxMemberDepth = 4

// memberProp finds property k declared by one of n's allOf members (a schema extending a
// base through allOf and $ref), or nil.
func memberProp(n *node, k string, depth int) *node {
	if depth > maxMemberDepth {
		return nil
	}
	for _, m := range n.allOf {
		if p, ok := m.props[k]; ok {
			return p
		}
		if p := memberProp(m, k, depth+1); p != nil {
			return p
		}
	}
	return nil
}

// branches lists the applicator subschemas whose properties a writer may emit.
func branches(n *node) [][]*node {
	return [][]*node{n.allOf, n.anyOf, n.oneOf, {n.thenN, n.elseN}}
}

// memberNames adds the names n's applicator branches declare.
func memberNames(n *node, into map[string]bool, depth int) {
	if depth > maxMemberDepth {
		return
	}
	for _, bs := range branches(n) {
		for _, m := range bs {
			if m == nil {
				continue
			}
			for _, k := range m.propNames {
				into[k] = true
			}
			memberNames(m, into, depth+1)
		}
	}
}

// branchProp finds property k declared by an allOf member first, else by any other
// applicator branch, or nil.
func branchProp(n *node, k string, depth int) *node {
	if p := memberProp(n, k, depth); p != nil {
		return p
	}
	if depth > maxMemberDepth {
		return nil
	}
	for _, bs := range branches(n) {
		for _, m := range bs {
			if m == nil {
				continue
			}
			if p, ok := m.props[k]; ok {
				return p
			}
			if p := branchProp(m, k, depth+1); p != nil {
				return p
			}
		}
	}
	return nil
}

// effRequired is the set of names n requires, its own and its allOf members': required is
// a conjunction, so the union is exact.
func effRequired(n *node, depth int) map[string]bool {
	if len(n.allOf) == 0 || depth > maxMemberDepth {
		return n.required
	}
	out := map[string]bool{}
	for k := range n.required {
		out[k] = true
	}
	for _, m := range n.allOf {
		for k := range effRequired(m, depth+1) {
			out[k] = true
		}
	}
	return out
}

// branchPattern finds the schema a branch of n gives names matching the pattern src.
func branchPattern(n *node, src string, depth int) *node {
	if depth > maxMemberDepth {
		return nil
	}
	for _, bs := range branches(n) {
		for _, m := range bs {
			if m == nil {
				continue
			}
			for _, pp := range m.patternProps {
				if pp.src == src {
					return pp.n
				}
			}
			if p := branchPattern(m, src, depth+1); p != nil {
				return p
			}
		}
	}
	return nil
}

// producesViaBranches reports whether a branch of n declares names beyond fixed
// properties (pattern properties or an additionalProperties schema), which writers emit.
func producesViaBranches(n *node, depth int) bool {
	if depth > maxMemberDepth {
		return false
	}
	for _, bs := range branches(n) {
		for _, m := range bs {
			if m == nil {
				continue
			}
			if len(m.patternProps) > 0 || m.additional != nil && !m.additional.isFalse() && !m.additional.isTrue() {
				return true
			}
			if producesViaBranches(m, depth+1) {
				return true
			}
		}
	}
	return false
}

// declaredNames lists the property names n declares, itself or in a branch, sorted.
func (c *Comparison) declaredNames(n *node) []string {
	names := map[string]bool{}
	for _, k := range n.propNames {
		names[k] = true
	}
	memberNames(n, names, 0)
	return sortedKeys(names)
}

// declaration is the schema declaring property k in n or one of its branches.
func (c *Comparison) declaration(n *node, k string) *node {
	if p, ok := n.props[k]; ok {
		return p
	}
	if p := branchProp(n, k, 0); p != nil {
		return p
	}
	return c.other(n)
}

// patternMatches reports whether n's own pattern property src matches name k.
func patternMatches(n *node, src, k string) bool {
	for _, pp := range n.patternProps {
		if pp.src == src {
			return pp.re.MatchString(k)
		}
	}
	return false
}
