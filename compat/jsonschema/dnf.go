package jsonschema

import (
	"github.com/compatcheck/compatcheck/compat"
)

// This file decides inclusion between schemas of different combinator shapes over a
// per-type disjunctive normal form, as the JSON-subschema literature does: allOf is
// distributed over the branches of anyOf and oneOf, each alternative is the conjunction
// of the parent's own keywords with the combinator-free schemas on its path, and each
// alternative is split by JSON type. Produce(old) ⊆ Accept(new) then holds when every old
// alternative is contained in some new one. The keyword-by-keyword comparison of
// combinator.go answers first; the normal forms are only consulted for a direction it
// could not prove, and only a proof changes an answer.

// maxDisjuncts bounds the number of alternatives of one schema's normal form (before the
// split by type). Beyond it the form is not built and the keyword-by-keyword answer
// stands: distributing allOf over anyOf multiplies the branch counts.
const maxDisjuncts = 64

// maxFormDepth bounds how deeply nested combinators are expanded; a deeper member is kept
// whole, as one conjunct, which is exact but leaves its own branches to the engine.
const maxFormDepth = 8

// maxFormChecks bounds how many containment checks one normal-form decision makes.
const maxFormChecks = 4096

var ruleCombinatorsRestructured = compat.Register(compat.Rule{
	ID: "COMBINATORS_RESTRUCTURED", Kind: compat.KindJSONSchema,
	Title:    "allOf, anyOf, oneOf or not were restructured, and the alternatives changed",
	Backward: true, Forward: false,
	Why: "The engine compares the disjunctive normal forms of the two schemas: allOf distributed over anyOf and oneOf, each alternative " +
		"intersected with its parent's keywords and split by JSON type. B holds when every old alternative is contained in a new one, F when " +
		"every new alternative is contained in an old one; a oneOf counts as an anyOf when its branches are proven pairwise disjoint, and " +
		"otherwise a value must also be proven to match none of the other branches. A direction that cannot be proven is answered no, " +
		"with a witness or marked undecided.",
	Old:  `{"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": false, "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}`,
	New:  `{"type": "object", "properties": {"a": {}, "b": {}}, "additionalProperties": false, "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}`,
	Safe: "Read the alternatives each side allows: release readers of the wider side first, and writers only once every reader accepts what they produce.",
})

// conjunction is one alternative of a normal form: the values that match every atom.
// Atoms are combinator-free schemas (a member's own keywords, see ownOf), or a schema kept
// whole below maxFormDepth.
type conjunction struct {
	atoms []*node
	// neg lists oneOf siblings of a branch on the path: a value of the alternative, as the
	// schema accepts it, matches none of them (exactly one branch of a oneOf matches).
	neg []*node
	// excl lists, for oneOfs whose branches are not proven pairwise disjoint, the branch
	// the alternative took: a value the alternative accepts must also match none of the
	// other branches.
	excl []exclusion
}

// exclusion is branch k of a oneOf's branch list.
type exclusion struct {
	list []*node
	k    int
}

// form is one alternative of a schema's normal form, with the node that stands for it
// as a producer (the schema's own keywords with the atoms as allOf members) and that
// node split by JSON type.
type form struct {
	conj  conjunction
	node  *node
	parts []*node
}

// normalForms holds the normal forms built so far, so that every alternative is one node
// and its pairs are memoized like any other.
type normalForms struct {
	forms map[*node][]form
	ok    map[*node]bool
	own   map[*node]*node
	// checks counts the containment checks of the outermost decision under way, and
	// active how many decisions are under way (a containment check may need one).
	checks, active int
	// deciding holds the pairs whose decision is under way.
	deciding map[pairKey]bool
}

func (c *Comparison) nf() *normalForms {
	if c.forms == nil {
		c.forms = &normalForms{forms: map[*node][]form{}, ok: map[*node]bool{}, own: map[*node]*node{}}
	}
	return c.forms
}

// hasShape reports whether a schema has combinators the normal form expands.
func hasShape(x *node) bool {
	return len(x.allOf) > 0 || len(x.anyOf) > 0 || len(x.oneOf) > 0 || doubleNegated(x) != nil
}

// doubleNegated returns X when x's not is {"not": X} with nothing else: not-of-not
// accepts exactly what X accepts, and is read as X on both sides.
func doubleNegated(x *node) *node {
	if x.not == nil || x.not.not == nil {
		return nil
	}
	cp := *x.not
	cp.not = nil
	if !cp.isTrue() {
		return nil
	}
	return x.not.not
}

// ownOf returns x without its combinators (and without a double negation, which the
// normal form expands): x's own keywords. Validating against it still uses x's compiled
// schema, which every alternative of a form x is a conjunct of satisfies, so as a
// producer it over-approximates and as an acceptor it under-approximates: both sound.
func (c *Comparison) ownOf(x *node) *node {
	if !hasShape(x) {
		return x
	}
	st := c.nf()
	if o, ok := st.own[x]; ok {
		return o
	}
	cp := *x
	cp.allOf, cp.anyOf, cp.oneOf, cp.refMember = nil, nil, nil, false
	if doubleNegated(x) != nil {
		cp.not = nil
	}
	st.own[x] = &cp
	return &cp
}

// expand builds the alternatives of x, or reports false beyond maxDisjuncts.
func (c *Comparison) expand(x *node, depth int) ([]conjunction, bool) {
	// unevaluatedProperties and unevaluatedItems see what the combinators evaluated, so a
	// schema with them is kept whole rather than split from its members.
	if !hasShape(x) || depth > maxFormDepth || x.remote != "" || x.unevaluatedProps != nil || x.unevaluatedItems != nil {
		return []conjunction{{atoms: []*node{x}}}, true
	}
	out := []conjunction{{atoms: []*node{c.ownOf(x)}}}
	cross := func(alts []conjunction) bool {
		if len(out)*len(alts) > maxDisjuncts {
			return false
		}
		var next []conjunction
		for _, a := range out {
			for _, b := range alts {
				next = append(next, conjunction{
					atoms: append(append([]*node(nil), a.atoms...), b.atoms...),
					neg:   append(append([]*node(nil), a.neg...), b.neg...),
					excl:  append(append([]exclusion(nil), a.excl...), b.excl...),
				})
			}
		}
		out = next
		return true
	}
	members := append([]*node(nil), x.allOf...)
	if inner := doubleNegated(x); inner != nil {
		members = append(members, inner)
	}
	for _, m := range members {
		alts, ok := c.expand(m, depth+1)
		if !ok || !cross(alts) {
			return nil, false
		}
	}
	if len(x.anyOf) > 0 {
		var alts []conjunction
		for _, b := range x.anyOf {
			bs, ok := c.expand(b, depth+1)
			if !ok {
				return nil, false
			}
			alts = append(alts, bs...)
		}
		if !cross(alts) {
			return nil, false
		}
	}
	if len(x.oneOf) > 0 {
		apart := c.pairwiseDisjoint(x.oneOf)
		var alts []conjunction
		for i, b := range x.oneOf {
			bs, ok := c.expand(b, depth+1)
			if !ok {
				return nil, false
			}
			for _, d := range bs {
				for j, y := range x.oneOf {
					if j != i {
						d.neg = append(d.neg, y)
					}
				}
				if !apart {
					d.excl = append(d.excl, exclusion{x.oneOf, i})
				}
				alts = append(alts, d)
			}
		}
		if !cross(alts) {
			return nil, false
		}
	}
	return out, true
}

// pairwiseDisjoint reports whether no value matches two of the branches: such a oneOf
// accepts what the anyOf of the same branches does.
func (c *Comparison) pairwiseDisjoint(bs []*node) bool {
	for i := range bs {
		for j := i + 1; j < len(bs); j++ {
			if !c.disjoint(bs[i], bs[j], 0) {
				return false
			}
		}
	}
	return true
}

// formsOf returns x's normal form, or false when it exceeds the bound.
func (c *Comparison) formsOf(x *node) ([]form, bool) {
	st := c.nf()
	if fs, ok := st.forms[x]; ok {
		return fs, st.ok[x]
	}
	conjs, ok := c.expand(x, 0)
	if !ok {
		st.forms[x], st.ok[x] = nil, false
		return nil, false
	}
	var fs []form
	for _, cj := range conjs {
		f := form{conj: cj, node: x}
		if len(cj.atoms) != 1 || cj.atoms[0] != x {
			own := c.ownOf(x)
			cp := *own
			cp.allOf = nil
			for _, a := range cj.atoms {
				if a != own {
					cp.allOf = append(cp.allOf, a)
				}
			}
			c.mergeAtoms(&cp, x, cj.atoms)
			f.node = &cp
			c.identity(&cp)
		}
		f.parts = c.splitByType(f.node)
		fs = append(fs, f)
	}
	st.forms[x], st.ok[x] = fs, true
	return fs, true
}

// mergeAtoms folds into n, the node of one alternative of root's form, the keywords of
// its atoms that intersect as single keywords (types, bounds, lengths, counts, required
// names, and values), so that the keyword-by-keyword comparison sees the alternative as
// the one schema it is: {"type": "string", "allOf": [{"maxLength": 3}]} compares with
// {"type": "string", "maxLength": 3}. The atoms stay n's allOf members, so n accepts what
// it accepted; the merged keywords only make explicit what the members imply. Keywords
// that do not intersect as one keyword (two patterns, two formats, properties, items)
// are left to the members.
func (c *Comparison) mergeAtoms(n, root *node, atoms []*node) {
	// n shares its maps with the node it copies: required is rebuilt, never written into.
	req := map[string]bool{}
	for k := range n.required {
		req[k] = true
	}
	t := n.types
	for _, a := range atoms {
		t &= effTypes(a, 0)
	}
	if t != n.types {
		n.types, n.declaredTypes = t, true
	}
	for _, a := range atoms {
		if a == n {
			continue
		}
		tighterLo(n, a)
		tighterHi(n, a)
		if n.multipleOf == nil {
			n.multipleOf = a.multipleOf
		}
		n.minLen = maxInt(n.minLen, a.minLen)
		n.maxLen = minBound(n.maxLen, a.maxLen)
		if n.pattern == "" && a.pattern != "" {
			n.pattern, n.patternRe, n.patternX = a.pattern, a.patternRe, a.patternX
		}
		if n.format == "" {
			n.format = a.format
		}
		n.minItems = maxInt(n.minItems, a.minItems)
		n.maxItems = minBound(n.maxItems, a.maxItems)
		n.unique = n.unique || a.unique
		n.minProps = maxInt(n.minProps, a.minProps)
		n.maxProps = minBound(n.maxProps, a.maxProps)
		for k := range a.required {
			req[k] = true
		}
		if a.hasEnum {
			vals := a.enum
			if n.hasEnum {
				vals = n.enum
			}
			var kept []any
			for _, v := range vals {
				in := valid(root, v)
				for _, b := range atoms {
					in = in && valid(b, v)
				}
				if in {
					kept = append(kept, v)
				}
			}
			n.hasEnum, n.enum = true, kept
		}
	}
	n.required = req
}

func tighterLo(n, a *node) {
	if a.lo == nil {
		return
	}
	if n.lo == nil || a.lo.Cmp(n.lo) > 0 {
		n.lo, n.loExcl = a.lo, a.loExcl
	} else if a.lo.Cmp(n.lo) == 0 {
		n.loExcl = n.loExcl || a.loExcl
	}
}

func tighterHi(n, a *node) {
	if a.hi == nil {
		return
	}
	if n.hi == nil || a.hi.Cmp(n.hi) < 0 {
		n.hi, n.hiExcl = a.hi, a.hiExcl
	} else if a.hi.Cmp(n.hi) == 0 {
		n.hiExcl = n.hiExcl || a.hiExcl
	}
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// minBound is the tighter of two upper bounds, -1 meaning absent.
func minBound(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0 || a < b:
		return a
	}
	return b
}

// identity records that n, an alternative built here, is its own normal form, so that
// comparing it does not expand it again.
func (c *Comparison) identity(n *node) {
	st := c.nf()
	st.forms[n] = []form{{conj: conjunction{atoms: append([]*node{c.ownOf(n)}, n.allOf...)}, node: n, parts: []*node{n}}}
	st.ok[n] = true
}

// typeGroups are the JSON types an alternative is split by; integers and other numbers
// stay together, as number keywords constrain both.
var typeGroups = []typeSet{tNull, tBoolean, tObject, tArray, tString, tNumber}

// splitByType returns n restricted to each JSON type it accepts, or n itself when it
// accepts one. A restriction validates against n's schema, which over-approximates it.
func (c *Comparison) splitByType(n *node) []*node {
	t := effTypes(n, 0)
	var groups []typeSet
	for _, g := range typeGroups {
		if t&g != 0 {
			groups = append(groups, t&g)
		}
	}
	if len(groups) <= 1 {
		if len(groups) == 0 {
			return nil // accepts nothing: contained in anything
		}
		return []*node{n}
	}
	var out []*node
	for _, g := range groups {
		cp := *n
		cp.types, cp.declaredTypes = g, true
		c.identity(&cp)
		out = append(out, &cp)
	}
	return out
}

// trivialForm reports whether x's normal form is x itself, which the keyword-by-keyword
// comparison already decided.
func (c *Comparison) trivialForm(x *node) bool {
	fs, ok := c.formsOf(x)
	return !ok || len(fs) == 1 && len(fs[0].parts) == 1 && fs[0].parts[0] == x && len(fs[0].conj.excl) == 0
}

// formHolds reports whether Produce(o) ⊆ Accept(n) is proven over the normal forms:
// every part of every alternative of o is contained in some alternative of n.
func (c *Comparison) formHolds(o, n *node) bool {
	ofs, ok := c.formsOf(o)
	if !ok {
		return false
	}
	nfs, ok := c.formsOf(n)
	if !ok {
		return false
	}
	st := c.nf()
	for _, d := range ofs {
		for _, p := range d.parts {
			found := false
			for _, e := range nfs {
				if st.checks > maxFormChecks {
					c.keepOwn() // the count is shared by nested decisions
					return false
				}
				st.checks++
				if c.within(p, d.conj, e.conj) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}

// within reports whether the producer part p of alternative d is contained in the
// acceptor alternative e: in each of its atoms, and apart from the oneOf branches e must
// not match.
func (c *Comparison) within(p *node, d, e conjunction) bool {
	for _, a := range e.atoms {
		if !c.containedIn(p, d, a) {
			return false
		}
	}
	for _, x := range e.excl {
		for j, y := range x.list {
			if j != x.k && !c.apart(p, d, y) {
				return false
			}
		}
	}
	return true
}

// containedIn reports whether p (of alternative d) is contained in the atom a.
func (c *Comparison) containedIn(p *node, d conjunction, a *node) bool {
	if a.isTrue() {
		return true
	}
	for _, x := range d.atoms {
		if x == a {
			return true // a conjunct of the alternative: everything it accepts, a does
		}
	}
	return c.provenHolds(p, a)
}

// provenHolds is holds for a question the normal forms ask, which a pair whose normal
// forms are being decided cannot answer: the coinductive yes of a pair still being
// compared is sound for recursion through a nested value, not for the same instance
// asked again while its own answer is being built from its alternatives.
func (c *Comparison) provenHolds(p, a *node) bool {
	if c.nf().deciding[pairKey{p, a}] {
		if r := c.cur; r != nil && (r.o != p || r.n != a) && (r.o != a || r.n != p) {
			c.keepOwn() // another pair's decision under way answered
		}
		return false
	}
	return c.holds(p, a)
}

// apart reports whether no value of p (of alternative d) matches y: p or one of its
// atoms is disjoint from y, or every value of y matches a oneOf sibling d excludes.
func (c *Comparison) apart(p *node, d conjunction, y *node) bool {
	if c.disjoint(p, y, 0) {
		return true
	}
	for _, x := range d.atoms {
		if c.disjoint(x, y, 0) {
			return true
		}
	}
	for _, x := range d.neg {
		if x == y || c.strictHolds(y, x) {
			return true
		}
	}
	return false
}

// decideForms revisits the findings of the pair (o, n) when either side's normal form is
// not the schema itself: a direction the findings answer no that the normal forms prove
// is answered yes, the findings that claimed it are dropped, and a finding for the
// directions still failing is added when no remaining finding carries them. A proven no
// is never turned into a yes: only a proof of inclusion changes anything.
func (c *Comparison) decideForms(o, n *node, fs []compat.Finding) []compat.Finding {
	bT, fT := fold(fs)
	if bT && fT || o.open || n.open || o.remote != "" || n.remote != "" || !hasShape(o) && !hasShape(n) {
		return fs
	}
	if 2*c.work > c.opts.Budget {
		c.keepOwn()
		return fs // leave the budget to the pairs the report is made of
	}
	if c.trivialForm(o) && c.trivialForm(n) {
		return fs
	}
	st := c.nf()
	if st.active == 0 {
		st.checks = 0
	}
	st.active++
	if st.deciding == nil {
		st.deciding = map[pairKey]bool{}
	}
	st.deciding[pairKey{o, n}], st.deciding[pairKey{n, o}] = true, true
	b, f := bT, fT
	if !b {
		b = c.formHolds(o, n)
	}
	if !f {
		f = c.formHolds(n, o)
	}
	st.active--
	delete(st.deciding, pairKey{o, n})
	delete(st.deciding, pairKey{n, o})
	if b == bT && f == fT {
		return fs
	}
	var out []compat.Finding
	coverB, coverF := b, f
	for _, x := range fs {
		if WitnessExempt(x) {
			out = append(out, x)
			continue
		}
		if !x.Backward && b || !x.Forward && f {
			continue // claimed a failure the normal forms disprove
		}
		out = append(out, x)
		coverB = coverB || !x.Backward
		coverF = coverF || !x.Forward
	}
	if coverB && coverF {
		return out
	}
	msg := "the combinators were restructured: compared over their disjunctive normal forms, "
	switch {
	case !coverB && !coverF:
		msg += "neither side's alternatives are proven contained in the other's" + unproven
	case !coverB:
		msg += "every new alternative is contained in an old one, but not every old alternative in a new one"
	default:
		msg += "every old alternative is contained in a new one, but not every new alternative in an old one"
	}
	x := c.finding(ruleCombinatorsRestructured, o, n, "", coverB, coverF, msg)
	return append(out, c.withWitness(x, o, n, c.formCandidates))
}

// formCandidates proposes witnesses for a restructuring: the usual candidates, those of
// each alternative of the producer's normal form, and objects that merge two candidates,
// which match two branches at once (a value a oneOf rejects and an anyOf accepts).
func (c *Comparison) formCandidates(producer, acceptor *node) []any {
	out := c.candidates(producer, acceptor)
	if fs, ok := c.formsOf(producer); ok {
		for i, f := range fs {
			if i > 8 {
				break
			}
			for _, p := range f.parts {
				out = append(out, c.gen(p, acceptor, tAll, 0)...)
			}
		}
	}
	var objs []map[string]any
	for _, v := range out {
		if m, ok := v.(map[string]any); ok && len(objs) < 8 {
			objs = append(objs, m)
		}
	}
	for i := range objs {
		for j := i + 1; j < len(objs); j++ {
			m := map[string]any{}
			for k, v := range objs[j] {
				m[k] = v
			}
			for k, v := range objs[i] {
				m[k] = v
			}
			out = append(out, m)
		}
	}
	return out
}
