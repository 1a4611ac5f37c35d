package jsonschema

import (
	"strconv"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleAnyOfBranchAdded = compat.Register(compat.Rule{
	ID: "ANY_OF_BRANCH_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An anyOf branch was added (or a schema became an anyOf)",
	Backward: true, Forward: false,
	Why:  "B holds: old values still match an old branch. F fails unless the new branch is contained in an old one: new writers may produce values only the new branch accepts.",
	Old:  `{"anyOf": [{"type": "string"}]}`,
	New:  `{"anyOf": [{"type": "string"}, {"type": "integer"}]}`,
	Safe: "Read before write: release readers with the new branch first, then writers.",
})

var ruleAnyOfBranchRemoved = compat.Register(compat.Rule{
	ID: "ANY_OF_BRANCH_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "An anyOf branch was removed (or a schema stopped being an anyOf)",
	Backward: false, Forward: true,
	Why:  "B fails unless the removed branch is contained in a remaining one: old writers may produce values only it accepted. F holds.",
	Old:  `{"anyOf": [{"type": "string"}, {"type": "integer"}]}`,
	New:  `{"anyOf": [{"type": "string"}]}`,
	Safe: "Stop writers from producing values of the branch first, migrate stored data, then remove it.",
})

var ruleOneOfBranchAdded = compat.Register(compat.Rule{
	ID: "ONE_OF_BRANCH_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A oneOf branch was added",
	Backward: false, Forward: false,
	Why: "A value must match exactly one branch. B holds only when the new branch is proven disjoint from every old branch; otherwise an old value that also matches the new branch now matches two and is rejected, " +
		"so an overlapping branch NARROWS the oneOf. F fails: new writers may produce values only the new branch accepts.",
	Old:  `{"oneOf": [{"type": "string"}]}`,
	New:  `{"oneOf": [{"type": "string"}, {"maxLength": 3}]}`,
	Safe: "Make the new branch disjoint from the others (for example with a discriminating const), release readers first, then writers.",
})

var ruleOneOfBranchRemoved = compat.Register(compat.Rule{
	ID: "ONE_OF_BRANCH_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A oneOf branch was removed",
	Backward: false, Forward: true,
	Why: "B fails: values that matched only the removed branch are now rejected. F holds when the removed branch was disjoint from the others; " +
		"if it overlapped one, values matching both were rejected before and are accepted now, so F is computed.",
	Old:  `{"oneOf": [{"type": "string"}, {"type": "integer"}]}`,
	New:  `{"oneOf": [{"type": "string"}]}`,
	Safe: "Stop writers from producing values of the branch first, migrate stored data, then remove it.",
})

var ruleAllOfMemberAdded = compat.Register(compat.Rule{
	ID: "ALL_OF_MEMBER_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An allOf member (or a $ref beside other keywords) was added",
	Backward: false, Forward: true,
	Why:  "An added conjunct narrows the schema: B holds only when the old schema already implies the new member (computed); F holds.",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "allOf": [{"required": ["id"]}]}`,
	Safe: "Move writers to satisfy the new member first, migrate stored data, then add it.",
})

var ruleAllOfMemberRemoved = compat.Register(compat.Rule{
	ID: "ALL_OF_MEMBER_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "An allOf member (or a $ref beside other keywords) was removed",
	Backward: true, Forward: false,
	Why:  "A removed conjunct widens the schema: B holds; F holds only when the new schema still implies the removed member (computed).",
	Old:  `{"type": "object", "allOf": [{"required": ["id"]}]}`,
	New:  `{"type": "object"}`,
	Safe: "Read before write: release readers first, then writers.",
})

var ruleNotAdded = compat.Register(compat.Rule{
	ID: "NOT_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A not constraint was added",
	Backward: false, Forward: true,
	Why:  "B holds only when no old value matches the negated schema (proven disjoint); otherwise old writers may produce values now excluded. F holds.",
	Old:  `{"type": "string"}`,
	New:  `{"type": "string", "not": {"const": ""}}`,
	Safe: "Stop writers producing the excluded values first, then add the constraint.",
})

var ruleNotRemoved = compat.Register(compat.Rule{
	ID: "NOT_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A not constraint was removed",
	Backward: true, Forward: false,
	Why:  "B holds. F holds only when no new value matches the formerly negated schema (proven disjoint); otherwise new writers may produce values old readers exclude.",
	Old:  `{"type": "string", "not": {"const": ""}}`,
	New:  `{"type": "string"}`,
	Safe: "Read before write: release readers first, then writers.",
})

var ruleNotChanged = compat.Register(compat.Rule{
	ID: "NOT_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A not constraint's schema changed",
	Backward: false, Forward: false,
	Why:  "Negation reverses inclusion: B holds when the new negated schema is contained in the old one, F the other way round; both are computed and default to no.",
	Old:  `{"not": {"type": "string"}}`,
	New:  `{"not": {"type": ["string", "null"]}}`,
	Safe: "Expand–contract on the excluded values.",
})

var ruleConditionalChanged = compat.Register(compat.Rule{
	ID: "CONDITIONAL_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "An if/then/else conditional was added, removed or its condition changed",
	Backward: false, Forward: false,
	Why: "When the if schema is unchanged the then and else branches are compared like any nested schema. " +
		"When the condition itself changes, or the conditional appears or disappears, the engine cannot prove inclusion and answers no in the direction it cannot prove.",
	Old:  `{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["x"]}}`,
	New:  `{"if": {"properties": {"kind": {"const": "b"}}}, "then": {"required": ["x"]}}`,
	Safe: "Expand–contract: add the new condition beside the old one, move writers, then drop the old one.",
})

var ruleUnevaluatedChanged = compat.Register(compat.Rule{
	ID: "UNEVALUATED_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "unevaluatedProperties or unevaluatedItems was added, removed or changed",
	Backward: false, Forward: false,
	Why: "These keywords depend on what every other applicator evaluated, which the engine does not model; when both sides have one it compares the two schemas, " +
		"otherwise it answers no in each direction it cannot prove (adding one narrows: B no; removing one widens: F no).",
	Old:  `{"type": "object"}`,
	New:  `{"type": "object", "unevaluatedProperties": false}`,
	Safe: "Treat as narrowing or widening: move writers or readers first accordingly.",
})

// holds reports whether Produce(a) ⊆ Accept(b), as far as the engine can prove.
func (c *Comparison) holds(a, b *node) bool { return c.pair(a, b).b }

// disjoint reports whether no value matches both schemas, as far as it can be proven
// cheaply: disjoint types, finite value lists the other rejects, or a required property
// whose schemas are disjoint (a discriminator).
func (c *Comparison) disjoint(a, b *node, depth int) bool {
	if a == nil || b == nil || depth > 6 {
		return false
	}
	if effTypes(a, 0)&effTypes(b, 0) == 0 {
		return true
	}
	for _, x := range [][2]*node{{a, b}, {b, a}} {
		if vals, ok := finiteValues(x[0]); ok {
			all := true
			for _, v := range vals {
				if valid(x[1], v) {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
	}
	if effTypes(a, 0)&effTypes(b, 0) == tObject {
		// A name one side requires and the other rejects outright (a closed object that
		// does not declare it): jobs that need "runs-on" and jobs that need "uses" in
		// GitHub's workflow schema.
		for _, x := range [][2]*node{{a, b}, {b, a}} {
			for k := range effRequired(x[0], 0) {
				if c.governing(x[1], k).isFalse() {
					return true
				}
			}
		}
		for _, k := range a.propNames {
			if a.required[k] && b.required[k] && b.props[k] != nil && c.disjoint(a.props[k], b.props[k], depth+1) {
				return true
			}
		}
	}
	return false
}

func (c *Comparison) compareCombinators(o, n *node) []compat.Finding {
	var fs []compat.Finding
	fs = append(fs, c.compareAllOf(o, n)...)
	fs = append(fs, c.compareBranches(o, n, false)...)
	fs = append(fs, c.compareBranches(o, n, true)...)
	fs = append(fs, c.compareNot(o, n)...)
	fs = append(fs, c.compareConditional(o, n)...)
	fs = append(fs, c.compareUnevaluated(o, n)...)
	return fs
}

// match pairs old and new members that compare equal (no findings either way).
func (c *Comparison) match(os, ns []*node) (mo, mn []bool) {
	mo, mn = make([]bool, len(os)), make([]bool, len(ns))
	for i, a := range os {
		for j, b := range ns {
			if mn[j] || c.surelyDiffers(a, b) {
				continue
			}
			if c.pair(a, b).clean {
				mo[i], mn[j] = true, true
				break
			}
		}
	}
	return mo, mn
}

// surelyDiffers reports, without comparing the pair, that comparing a with b would find
// something: neither lists values, both are compared (not an undeclared position under
// the produce-accept model) and their effective types differ, which compareTypes always
// reports. Matching branches skips such pairs instead of building witnesses for them.
func (c *Comparison) surelyDiffers(a, b *node) bool {
	if a == nil || b == nil || a.hasEnum || b.hasEnum {
		return false
	}
	if c.opts.Model == ProduceAccept && (a.open || b.open) {
		return false
	}
	return effTypes(a, 0) != effTypes(b, 0)
}

func unmatched(xs []*node, m []bool) []*node {
	var out []*node
	for i, x := range xs {
		if !m[i] {
			out = append(out, x)
		}
	}
	return out
}

func (c *Comparison) compareAllOf(o, n *node) []compat.Finding {
	if len(o.allOf) == 0 && len(n.allOf) == 0 {
		return nil
	}
	inPlace, ro, rn := c.pairUp(o.allOf, n.allOf)
	for _, p := range inPlace {
		c.sub(c.pair(p[0], p[1]))
	}
	var fs []compat.Finding
	for _, m := range rn {
		b := c.holds(o, m)
		if !b {
			at := memberSite(n, "allOf", m)
			x := c.findingIn(ruleAllOfMemberAdded, at.loc(), &site{o.side, o.file, o.ptr}, at, false, true, "allOf member added that the old schema does not imply")
			fs = append(fs, c.withWitness(x, o, n, c.candidates))
		}
	}
	for _, m := range ro {
		f := c.holds(n, m)
		if !f {
			at := memberSite(o, "allOf", m)
			x := c.findingIn(ruleAllOfMemberRemoved, at.loc(), at, &site{n.side, n.file, n.ptr}, true, false, "allOf member removed that the new schema does not imply")
			fs = append(fs, c.withWitness(x, o, n, c.candidates))
		}
	}
	return fs
}

// pairUp matches the members of two combinator lists: equal members (no finding either
// way) first, then members changed in place, which are compared where they are: the same
// schema location on both sides (a shared definition that changed), the same
// discriminator value (a tagged union's branch), or the one member left on each side of
// lists of one length. What remains was added or removed.
func (c *Comparison) pairUp(os, ns []*node) (inPlace [][2]*node, ro, rn []*node) {
	mo, mn := c.match(os, ns)
	for i, a := range os {
		if mo[i] {
			continue
		}
		for j, b := range ns {
			if !mn[j] && a.file == b.file && a.ptr == b.ptr {
				mo[i], mn[j] = true, true
				inPlace = append(inPlace, [2]*node{a, b})
				break
			}
		}
	}
	for i, a := range os {
		if mo[i] {
			continue
		}
		for j, b := range ns {
			if !mn[j] && sameDiscriminator(a, b) {
				mo[i], mn[j] = true, true
				inPlace = append(inPlace, [2]*node{a, b})
				break
			}
		}
	}
	ro, rn = unmatched(os, mo), unmatched(ns, mn)
	if len(ro) == 1 && len(rn) == 1 && len(os) == len(ns) {
		inPlace = append(inPlace, [2]*node{ro[0], rn[0]})
		ro, rn = nil, nil
	}
	return inPlace, ro, rn
}

// sameDiscriminator reports whether two branches require a property whose value is one
// and the same constant: the tag of a tagged union.
func sameDiscriminator(a, b *node) bool {
	for _, k := range a.propNames {
		pa, pb := a.props[k], b.props[k]
		if pb == nil || !a.required[k] || !b.required[k] || !pa.hasEnum || !pb.hasEnum || len(pa.enum) != 1 || len(pb.enum) != 1 {
			continue
		}
		if canonical(pa.enum[0]) == canonical(pb.enum[0]) {
			return true
		}
	}
	return false
}

// memberSite returns where member m of n's combinator list kw is written: the list
// entry, or the $ref that stands beside other keywords (an allOf conjunct too).
func memberSite(n *node, kw string, m *node) *site {
	list := n.anyOf
	switch kw {
	case "allOf":
		list = n.allOf
	case "oneOf":
		list = n.oneOf
	}
	for i, x := range list {
		if x != m {
			continue
		}
		if kw == "allOf" && n.refMember {
			if i == 0 {
				return &site{n.side, n.file, n.ptr + "/$ref"}
			}
			i--
		}
		return &site{n.side, n.file, n.ptr + "/" + kw + "/" + strconv.Itoa(i)}
	}
	return &site{m.side, m.file, m.ptr}
}

// compareBranches compares anyOf (or oneOf) lists. A side without the keyword counts as a
// single branch: the whole schema. Branches whose types the other side does not accept
// at all were already reported as a type change and are left out here.
func (c *Comparison) compareBranches(o, n *node, one bool) []compat.Finding {
	ob, nb := o.anyOf, n.anyOf
	kw := "anyOf"
	if one {
		ob, nb, kw = o.oneOf, n.oneOf, "oneOf"
	}
	if len(ob) == 0 && len(nb) == 0 {
		return nil
	}
	if len(ob) == 0 || len(nb) == 0 {
		if one {
			// Becoming or ceasing to be a oneOf: compare as a whole, conservatively.
			return c.wholeOneOf(o, n, ob, nb)
		}
		return c.wholeAnyOf(o, n, ob, nb)
	}
	inPlace, ro, rn := c.pairUp(ob, nb)
	var fs []compat.Finding
	for _, p := range inPlace {
		// A branch changed in place: its differences are reported where they are, but a
		// changed oneOf branch may also start or stop overlapping its siblings.
		c.sub(c.pair(p[0], p[1]))
		if !one {
			continue
		}
		// A value matching two branches is rejected: if the changed branch may overlap a
		// sibling on the new side, old values in the overlap are now rejected (B); if it
		// may have overlapped one on the old side, new values there were rejected by old
		// readers (F).
		b, f := true, true
		for _, x := range nb {
			if x != p[1] && !c.disjoint(p[1], x, 0) {
				b = false
			}
		}
		for _, y := range ob {
			if y != p[0] && !c.disjoint(p[0], y, 0) {
				f = false
			}
		}
		if !b || !f {
			os, ns := memberSite(o, kw, p[0]), memberSite(n, kw, p[1])
			x := c.findingIn(ruleOneOfBranchAdded, ns.loc(), os, ns, b, f,
				"changed oneOf branch may overlap a sibling branch, and values matching two branches are rejected"+unproven)
			fs = append(fs, c.withWitness(x, o, n, c.candidates))
		}
	}
	if len(ro) == 0 && len(rn) == 0 {
		return fs
	}
	ot, nt := c.effTypes(o), c.effTypes(n)
	for _, x := range rn {
		if effTypes(x, 0)&ot == 0 && !one {
			continue // a new type, reported as TYPE_WIDENED
		}
		f := c.coveredBy(x, ob, one)
		b := true
		rule := ruleAnyOfBranchAdded
		msg := kw + " branch added"
		if one {
			rule = ruleOneOfBranchAdded
			for _, y := range ob {
				if !c.disjoint(x, y, 0) {
					b = false
					msg += " that may overlap an existing branch, so old values matching both are now rejected"
					break
				}
			}
		}
		if !f && !b {
			msg += unproven
		}
		if b && f || b && one && effTypes(x, 0)&ot == 0 {
			continue // nothing to report, or only a new type, reported as TYPE_WIDENED
		}
		at := memberSite(n, kw, x)
		fx := c.findingIn(rule, at.loc(), nil, at, b, f, msg)
		fs = append(fs, c.withWitness(fx, o, n, c.candidates))
	}
	for _, x := range ro {
		if effTypes(x, 0)&nt == 0 && !one {
			continue // a removed type, reported as TYPE_NARROWED
		}
		b := c.coveredBy(x, nb, one)
		f := true
		rule := ruleAnyOfBranchRemoved
		msg := kw + " branch removed"
		if one {
			rule = ruleOneOfBranchRemoved
			// A new value matching a new branch and the removed one matched two old
			// branches, which old readers reject.
			for _, y := range nb {
				if !c.disjoint(x, y, 0) {
					f = false
					msg += " that may overlap a remaining branch, so new values matching both are rejected by old readers"
					break
				}
			}
		}
		if b && f || f && one && effTypes(x, 0)&nt == 0 {
			continue // nothing to report, or only a removed type, reported as TYPE_NARROWED
		}
		at := memberSite(o, kw, x)
		fx := c.findingIn(rule, at.loc(), at, nil, b, f, msg)
		fs = append(fs, c.withWitness(fx, o, n, c.candidates))
	}
	return fs
}

// coveredBy reports whether every value of x is accepted by the branch list bs: for anyOf,
// x is contained in some branch; for oneOf, x is also disjoint from every other branch, so
// its values match exactly one.
func (c *Comparison) coveredBy(x *node, bs []*node, one bool) bool {
	for i, y := range bs {
		if !c.holds(x, y) {
			continue
		}
		if !one {
			return true
		}
		alone := true
		for j, z := range bs {
			if j != i && !c.disjoint(x, z, 0) {
				alone = false
				break
			}
		}
		if alone {
			return true
		}
	}
	return false
}

// pureConstraint reports whether a combinator branch only constrains the schema it is
// written in: it declares no type, no property, item or other subschema, and no enum, so
// it produces nothing of its own ({"required": ["a"]}, {"minProperties": 1}, bounds).
// Such branches only narrow their parent (JSON Schema applies them to the same instance).
func pureConstraint(y *node) bool {
	return y.remote == "" && !y.declaredTypes && !y.hasEnum && len(y.props) == 0 && len(y.patternProps) == 0 &&
		y.additional == nil && y.propertyNames == nil && y.items == nil && len(y.prefix) == 0 && y.contains == nil &&
		len(y.depSchemas) == 0 && len(y.allOf) == 0 && len(y.anyOf) == 0 && len(y.oneOf) == 0 &&
		y.ifN == nil && y.unevaluatedProps == nil && y.unevaluatedItems == nil && !y.open && !y.isFalse()
}

// contextOf returns n without its anyOf and oneOf lists when every branch of both is a
// pure constraint, else nil. Every value n accepts or produces, its context does too, so
// a proof that the context is contained in a schema proves n is: removing
// anyOf: [{required: [a]}, {required: [b]}] from a closed object is a widening, which
// comparing each bare branch with the new object cannot show.
func (c *Comparison) contextOf(n *node) *node {
	if len(n.anyOf) == 0 && len(n.oneOf) == 0 {
		return nil
	}
	if ctx, ok := c.contexts[n]; ok {
		return ctx
	}
	var ctx *node
	pure := true
	for _, y := range append(append([]*node(nil), n.anyOf...), n.oneOf...) {
		pure = pure && pureConstraint(y)
	}
	if pure {
		cp := *n
		cp.anyOf, cp.oneOf = nil, nil
		ctx = &cp
	}
	if c.contexts == nil {
		c.contexts = map[*node]*node{}
	}
	c.contexts[n] = ctx
	return ctx
}

// holdsInContext reports whether x's context (see contextOf) is contained in y, which
// proves x is.
func (c *Comparison) holdsInContext(x, y *node) bool {
	ctx := c.contextOf(x)
	return ctx != nil && c.holds(ctx, y)
}

// wholeAnyOf compares a schema with anyOf against one without: the side without counts as
// the single branch "the whole schema".
func (c *Comparison) wholeAnyOf(o, n *node, ob, nb []*node) []compat.Finding {
	if len(nb) > 0 {
		ot := c.effTypes(o)
		b := false
		for _, y := range nb {
			if c.holds(o, y) {
				b = true
				break
			}
		}
		f := true
		for _, y := range nb {
			if effTypes(y, 0)&ot == 0 {
				continue // a new type, reported as TYPE_WIDENED
			}
			if !c.holds(y, o) {
				f = false
			}
		}
		f = f || c.holdsInContext(n, o)
		if b && f {
			return nil
		}
		x := c.findingAt(ruleAnyOfBranchAdded, n.loc()+"/anyOf", o, n, o.ptr, n.ptr+"/anyOf", b, f, "schema became an anyOf with branches the old schema does not cover")
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	}
	nt := c.effTypes(n)
	b := true
	for _, y := range ob {
		if effTypes(y, 0)&nt == 0 {
			continue
		}
		if !c.holds(y, n) {
			b = false
		}
	}
	b = b || c.holdsInContext(o, n)
	f := false
	for _, y := range ob {
		if c.holds(n, y) {
			f = true
			break
		}
	}
	if b && f {
		return nil
	}
	msg := "schema is no longer an anyOf and does not cover all its old branches"
	if b {
		msg = "schema is no longer an anyOf, and still accepts every value its branches did"
	}
	x := c.findingAt(ruleAnyOfBranchRemoved, n.loc(), o, n, o.ptr+"/anyOf", n.ptr, b, f, msg)
	return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
}

func (c *Comparison) wholeOneOf(o, n *node, ob, nb []*node) []compat.Finding {
	if len(nb) > 0 {
		// New oneOf: B needs every old value to match exactly one new branch.
		b := false
		for i, y := range nb {
			if !c.holds(o, y) {
				continue
			}
			others := true
			for j, z := range nb {
				if j != i && !c.disjoint(y, z, 0) {
					others = false
				}
			}
			b = others
			break
		}
		f := true
		for _, y := range nb {
			if !c.holds(y, o) {
				f = false
			}
		}
		f = f || c.holdsInContext(n, o)
		if b && f {
			return nil
		}
		x := c.findingAt(ruleOneOfBranchAdded, n.loc()+"/oneOf", o, n, o.ptr, n.ptr+"/oneOf", b, f, "schema became a oneOf the engine cannot prove equivalent"+unproven)
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	}
	b := true
	for _, y := range ob {
		if !c.holds(y, n) {
			b = false
		}
	}
	b = b || c.holdsInContext(o, n)
	f := false
	for i, y := range ob {
		if !c.holds(n, y) {
			continue
		}
		others := true
		for j, z := range ob {
			if j != i && !c.disjoint(y, z, 0) {
				others = false
			}
		}
		f = others
		break
	}
	if b && f {
		return nil
	}
	msg := "schema is no longer a oneOf and the engine cannot prove it equivalent" + unproven
	if b {
		msg = "schema is no longer a oneOf, and still accepts every value it did"
	}
	x := c.findingAt(ruleOneOfBranchRemoved, n.loc(), o, n, o.ptr+"/oneOf", n.ptr, b, f, msg)
	return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
}

func (c *Comparison) compareNot(o, n *node) []compat.Finding {
	switch {
	case o.not == nil && n.not == nil:
		return nil
	case o.not == nil:
		if c.disjoint(o, n.not, 0) {
			return nil
		}
		x := c.finding(ruleNotAdded, o, n, "not", false, true, "not constraint added"+unproven)
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	case n.not == nil:
		if c.disjoint(n, o.not, 0) {
			return nil
		}
		x := c.finding(ruleNotRemoved, o, n, "not", true, false, "not constraint removed"+unproven)
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	}
	r := c.pair(o.not, n.not)
	if r.clean {
		return nil
	}
	// Accept(not X) shrinks as X grows: B needs X_new ⊆ X_old over everything X_new
	// accepts, which is the strict reading of the reversed pair.
	rb := c.strictHolds(n.not, o.not)
	rf := c.strictHolds(o.not, n.not)
	if rb && rf {
		return nil
	}
	x := c.finding(ruleNotChanged, o, n, "not", rb, rf, "not constraint changed")
	return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
}

// strictHolds is holds under the strict model (Produce = Accept), which negation needs.
func (c *Comparison) strictHolds(a, b *node) bool {
	if c.opts.Model == Strict {
		return c.holds(a, b)
	}
	if c.strict == nil {
		opts := c.opts
		opts.Model = Strict
		c.strict = NewComparison(c.old, c.new, opts)
		c.strict.ctx = c.ctx
		c.strict.answersOnly = true
	}
	return c.strict.pair(a, b).b
}

func (c *Comparison) compareConditional(o, n *node) []compat.Finding {
	if o.ifN == nil && n.ifN == nil {
		return nil
	}
	if o.ifN != nil && n.ifN != nil && c.pair(o.ifN, n.ifN).clean && c.pair(n.ifN, o.ifN).clean {
		var fs []compat.Finding
		for _, p := range [][2]*node{{o.thenN, n.thenN}, {o.elseN, n.elseN}} {
			switch {
			case p[0] != nil && p[1] != nil:
				c.sub(c.pair(p[0], p[1]))
			case p[0] == nil && p[1] != nil:
				b := c.holds(o, p[1])
				if !b {
					x := c.findingAt(ruleConditionalChanged, p[1].loc(), o, n, o.ptr, p[1].ptr, false, true, "conditional branch added"+unproven)
					fs = append(fs, c.withWitness(x, o, n, c.candidates))
				}
			case p[0] != nil && p[1] == nil:
				f := c.holds(n, p[0])
				if !f {
					x := c.findingAt(ruleConditionalChanged, p[0].loc(), o, n, p[0].ptr, n.ptr, true, false, "conditional branch removed"+unproven)
					fs = append(fs, c.withWitness(x, o, n, c.candidates))
				}
			}
		}
		return fs
	}
	var b, f bool
	var msg string
	switch {
	case o.ifN == nil:
		b, f, msg = false, true, "if/then/else added"
	case n.ifN == nil:
		b, f, msg = true, false, "if/then/else removed"
	default:
		b, f, msg = false, false, "if condition changed"
	}
	x := c.finding(ruleConditionalChanged, o, n, "if", b, f, msg+unproven)
	return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
}

func (c *Comparison) compareUnevaluated(o, n *node) []compat.Finding {
	var fs []compat.Finding
	for i, p := range [][2]*node{{o.unevaluatedProps, n.unevaluatedProps}, {o.unevaluatedItems, n.unevaluatedItems}} {
		kw := []string{"unevaluatedProperties", "unevaluatedItems"}[i]
		switch {
		case p[0] == nil && p[1] == nil:
		case p[0] != nil && p[1] != nil:
			c.sub(c.pair(p[0], p[1]))
		case p[1] != nil:
			x := c.finding(ruleUnevaluatedChanged, o, n, kw, false, true, kw+" added"+unproven)
			fs = append(fs, c.withWitness(x, o, n, c.candidates))
		default:
			x := c.finding(ruleUnevaluatedChanged, o, n, kw, true, false, kw+" removed"+unproven)
			fs = append(fs, c.withWitness(x, o, n, c.candidates))
		}
	}
	return fs
}
