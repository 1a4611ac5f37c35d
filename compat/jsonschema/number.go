package jsonschema

import (
	"fmt"
	"math/big"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleMinimumIncreased = compat.Register(compat.Rule{
	ID: "MINIMUM_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "A number's lower bound was raised, made exclusive or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce numbers between the old and the new bound, which new readers reject. F holds: new values were accepted before.",
	Old:  `{"type": "integer", "minimum": 0}`,
	New:  `{"type": "integer", "minimum": 1}`,
	Safe: "Move writers to the new range first, wait until stored data below the bound is gone or migrated, then raise the bound.",
})

var ruleMinimumDecreased = compat.Register(compat.Rule{
	ID: "MINIMUM_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "A number's lower bound was lowered, made inclusive or removed",
	Backward: true, Forward: false,
	Why:  "B holds: old values are still in range. F fails: new writers may produce numbers below the old bound and old readers reject them.",
	Old:  `{"type": "integer", "minimum": 1}`,
	New:  `{"type": "integer", "minimum": 0}`,
	Safe: "Read before write: release readers with the lower bound first, then writers that emit the newly allowed numbers.",
})

var ruleMaximumDecreased = compat.Register(compat.Rule{
	ID: "MAXIMUM_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "A number's upper bound was lowered, made exclusive or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce numbers between the new and the old bound, which new readers reject. F holds.",
	Old:  `{"type": "integer", "maximum": 100}`,
	New:  `{"type": "integer", "maximum": 10}`,
	Safe: "Move writers to the new range first, wait until stored data above the bound is gone or migrated, then lower the bound.",
})

var ruleMaximumIncreased = compat.Register(compat.Rule{
	ID: "MAXIMUM_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "A number's upper bound was raised, made inclusive or removed",
	Backward: true, Forward: false,
	Why:  "B holds: old values are still in range. F fails: new writers may produce numbers above the old bound and old readers reject them.",
	Old:  `{"type": "integer", "maximum": 10}`,
	New:  `{"type": "integer", "maximum": 100}`,
	Safe: "Read before write: release readers with the raised bound first, then writers that emit the larger numbers.",
})

var ruleMultipleOfNarrowed = compat.Register(compat.Rule{
	ID: "MULTIPLE_OF_NARROWED", Kind: compat.KindJSONSchema,
	Title:    "A number must now be a multiple of a value the old multiples are not all multiples of",
	Backward: false, Forward: true,
	Why: "B fails: some multiple the old schema allowed is not a multiple of the new divisor (for example 3 with multipleOf 2 → 6), and old writers may produce it. " +
		"F holds because every new multiple is an old multiple (the new divisor is a multiple of the old one).",
	Old:  `{"type": "integer", "multipleOf": 2}`,
	New:  `{"type": "integer", "multipleOf": 6}`,
	Safe: "Move writers to the new multiples first, migrate stored data, then tighten multipleOf.",
})

var ruleMultipleOfWidened = compat.Register(compat.Rule{
	ID: "MULTIPLE_OF_WIDENED", Kind: compat.KindJSONSchema,
	Title:    "A number's multipleOf was relaxed to a divisor of the old one, or removed",
	Backward: true, Forward: false,
	Why:  "B holds: every old multiple is a multiple of the new divisor. F fails: new writers may produce numbers old readers reject as not a multiple.",
	Old:  `{"type": "integer", "multipleOf": 6}`,
	New:  `{"type": "integer", "multipleOf": 2}`,
	Safe: "Read before write: release readers with the relaxed multipleOf first, then writers.",
})

var ruleMultipleOfChanged = compat.Register(compat.Rule{
	ID: "MULTIPLE_OF_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A number's multipleOf changed to a value that neither divides nor is divided by the old one",
	Backward: false, Forward: false,
	Why:  "B fails because some old multiples are not new multiples, and F fails because some new multiples are not old ones (for example 2 → 3).",
	Old:  `{"type": "integer", "multipleOf": 2}`,
	New:  `{"type": "integer", "multipleOf": 3}`,
	Safe: "Expand–contract: first relax to a common divisor (readers first), move writers, then tighten to the new value.",
})

// intOnly reports whether every number the node accepts is an integer.
func intOnly(t typeSet) bool { return t&tNumber == tInteger }

// lowerOf returns a node's lower bound; over integers an exclusive or fractional bound is
// rounded to the inclusive integer bound it means.
func lowerOf(n *node, ints bool) (*big.Rat, bool) {
	if n.lo == nil {
		return nil, false
	}
	if !ints {
		return n.lo, n.loExcl
	}
	v := new(big.Rat).SetInt(ceilRat(n.lo))
	if n.loExcl && n.lo.IsInt() {
		v.Add(v, big.NewRat(1, 1))
	}
	return v, false
}

func upperOf(n *node, ints bool) (*big.Rat, bool) {
	if n.hi == nil {
		return nil, false
	}
	if !ints {
		return n.hi, n.hiExcl
	}
	v := new(big.Rat).SetInt(floorRat(n.hi))
	if n.hiExcl && n.hi.IsInt() {
		v.Sub(v, big.NewRat(1, 1))
	}
	return v, false
}

// lowerImplies reports whether every number above a's lower bound is above b's.
func lowerImplies(a, b *node, ints bool) bool {
	bv, bx := lowerOf(b, ints)
	if bv == nil {
		return true
	}
	av, ax := lowerOf(a, ints)
	if av == nil {
		return false
	}
	switch av.Cmp(bv) {
	case 1:
		return true
	case 0:
		return ax || !bx
	}
	return false
}

func upperImplies(a, b *node, ints bool) bool {
	bv, bx := upperOf(b, ints)
	if bv == nil {
		return true
	}
	av, ax := upperOf(a, ints)
	if av == nil {
		return false
	}
	switch av.Cmp(bv) {
	case -1:
		return true
	case 0:
		return ax || !bx
	}
	return false
}

// multipleImplies reports whether every multiple a allows is a multiple b allows.
func multipleImplies(a, b *node, ints bool) bool {
	if b.multipleOf == nil {
		return true
	}
	m := a.multipleOf
	if m == nil {
		if !ints {
			return false
		}
		m = big.NewRat(1, 1)
	}
	return new(big.Rat).Quo(m, b.multipleOf).IsInt()
}

func boundText(v *big.Rat, excl bool) string {
	if v == nil {
		return "none"
	}
	if excl {
		return "exclusive " + ratString(v)
	}
	return ratString(v)
}

func (c *Comparison) compareNumbers(o, n *node) []compat.Finding {
	var fs []compat.Finding
	// Each direction reasons over the numbers its producing side can emit.
	oi, ni := intOnly(c.effTypes(o)), intOnly(c.effTypes(n))
	add := func(r *compat.Rule, kw string, b, f bool, msg string) {
		x := c.finding(r, o, n, kw, b, f, msg)
		fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tNumber)))
	}
	b, f := lowerImplies(o, n, oi), lowerImplies(n, o, ni)
	ov, ox := lowerOf(o, false)
	nv, nx := lowerOf(n, false)
	kw := boundKeyword(n, true)
	switch {
	case b && f:
	case f:
		add(ruleMinimumIncreased, kw, false, true, fmt.Sprintf("lower bound raised from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	case b:
		add(ruleMinimumDecreased, boundKeyword(o, true), true, false, fmt.Sprintf("lower bound lowered from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	default:
		add(ruleMinimumIncreased, kw, false, false, fmt.Sprintf("lower bound changed from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	}
	b, f = upperImplies(o, n, oi), upperImplies(n, o, ni)
	ov, ox = upperOf(o, false)
	nv, nx = upperOf(n, false)
	kw = boundKeyword(n, false)
	switch {
	case b && f:
	case f:
		add(ruleMaximumDecreased, kw, false, true, fmt.Sprintf("upper bound lowered from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	case b:
		add(ruleMaximumIncreased, boundKeyword(o, false), true, false, fmt.Sprintf("upper bound raised from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	default:
		add(ruleMaximumDecreased, kw, false, false, fmt.Sprintf("upper bound changed from %s to %s", boundText(ov, ox), boundText(nv, nx)))
	}
	b, f = multipleImplies(o, n, oi), multipleImplies(n, o, ni)
	msg := fmt.Sprintf("multipleOf changed from %s to %s", ratString(o.multipleOf), ratString(n.multipleOf))
	switch {
	case b && f:
	case f:
		add(ruleMultipleOfNarrowed, "multipleOf", false, true, msg)
	case b:
		add(ruleMultipleOfWidened, "multipleOf", true, false, msg)
	default:
		add(ruleMultipleOfChanged, "multipleOf", false, false, msg)
	}
	return fs
}

// boundKeyword names the keyword holding a node's lower (or upper) bound, for positions.
func boundKeyword(n *node, lower bool) string {
	switch {
	case lower && n.lo == nil, !lower && n.hi == nil:
		return ""
	case lower && n.loExcl && n.loExclKw:
		return "exclusiveMinimum"
	case lower:
		return "minimum"
	case n.hiExcl && n.hiExclKw:
		return "exclusiveMaximum"
	}
	return "maximum"
}
