package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleTypeNarrowed = compat.Register(compat.Rule{
	ID: "TYPE_NARROWED", Kind: compat.KindJSONSchema,
	Title:    "A schema no longer accepts one of the JSON types it accepted",
	Backward: false, Forward: true,
	Why: "B fails: old writers still produce values of the removed type and new readers reject them. " +
		"F holds: everything new writers produce was already accepted by old readers.",
	Old:  `{"type": ["string", "null"]}`,
	New:  `{"type": "string"}`,
	Safe: "Keep accepting the old type until no writer produces it: first release writers that stop emitting it, wait until old data is gone, then narrow the schema.",
})

var ruleTypeWidened = compat.Register(compat.Rule{
	ID: "TYPE_WIDENED", Kind: compat.KindJSONSchema,
	Title:    "A schema accepts a JSON type it did not accept (integer to number included)",
	Backward: true, Forward: false,
	Why: "B holds: everything old writers produce is still accepted. F fails: new writers may produce the added type " +
		"(for example a non-integer number where an integer was required) and old readers reject it.",
	Old:  `{"type": "integer"}`,
	New:  `{"type": "number"}`,
	Safe: "Read before write: release every reader with the widened schema first, and only then let writers emit the new type.",
})

var ruleTypeChanged = compat.Register(compat.Rule{
	ID: "TYPE_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A schema's JSON types were replaced: some removed and others added",
	Backward: false, Forward: false,
	Why:  "B fails because old writers still produce the removed type; F fails because new writers produce a type old readers reject.",
	Old:  `{"type": "string"}`,
	New:  `{"type": "integer"}`,
	Safe: "Expand–contract: accept both types in one release (readers first), move writers to the new type, then drop the old type in a later release.",
})

var ruleEnumMemberAdded = compat.Register(compat.Rule{
	ID: "ENUM_MEMBER_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An enum or const accepts a value it did not accept",
	Backward: true, Forward: false,
	Why:  "B holds: old values are all still accepted. F fails: new writers may produce the added value and old readers reject it.",
	Old:  `{"enum": ["red", "green"]}`,
	New:  `{"enum": ["red", "green", "blue"]}`,
	Safe: "Read before write: release readers that accept the new value first, then writers that emit it.",
})

var ruleEnumMemberRemoved = compat.Register(compat.Rule{
	ID: "ENUM_MEMBER_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "An enum or const no longer accepts a value it accepted",
	Backward: false, Forward: true,
	Why:  "B fails: old writers still produce the removed value and new readers reject it. F holds: new writers produce only values old readers accept.",
	Old:  `{"enum": ["red", "green", "blue"]}`,
	New:  `{"enum": ["red", "green"]}`,
	Safe: "Expand–contract: first stop every writer from emitting the value (mark it deprecated), wait until no stored data holds it, then remove it.",
})

var ruleEnumAdded = compat.Register(compat.Rule{
	ID: "ENUM_CONSTRAINT_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A schema was restricted to a fixed list of values (enum or const)",
	Backward: false, Forward: true,
	Why: "B fails unless every value old writers can produce is in the list, which the engine checks when the old schema is finite; " +
		"F holds when every listed value was accepted by the old schema (checked value by value).",
	Old:  `{"type": "string"}`,
	New:  `{"type": "string", "enum": ["a", "b"]}`,
	Safe: "Move writers to the listed values first, let other values drain from stored data, then add the enum.",
})

var ruleEnumRemoved = compat.Register(compat.Rule{
	ID: "ENUM_CONSTRAINT_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A schema no longer restricts values to a fixed list (enum or const)",
	Backward: true, Forward: false,
	Why: "B holds when every old value is accepted by the new schema (checked value by value). " +
		"F fails: new writers may produce values outside the old list, which old readers reject.",
	Old:  `{"enum": ["a", "b"]}`,
	New:  `{"type": "string"}`,
	Safe: "Read before write: release readers accepting any value first, then writers that emit new values.",
})

// effTypes is the set of types a node can accept at all: its own type and enum, narrowed by
// the types of its allOf members and the union of its anyOf and oneOf branches. It is an
// over-approximation, so comparing it is sound in both directions.
func (c *Comparison) effTypes(n *node) typeSet {
	return effTypes(n, 0)
}

func effTypes(n *node, depth int) typeSet {
	if n == nil {
		return tAll
	}
	t := n.types
	if depth > 8 {
		return t
	}
	for _, m := range n.allOf {
		t &= effTypes(m, depth+1)
	}
	for _, bs := range [][]*node{n.anyOf, n.oneOf} {
		if len(bs) == 0 {
			continue
		}
		var u typeSet
		for _, b := range bs {
			u |= effTypes(b, depth+1)
		}
		t &= u
	}
	return t
}

// valid reports whether the schema accepts v, using the real validator.
func valid(n *node, v any) bool {
	if n.native {
		return n.side.validNode(n, v)
	}
	if n.s == nil {
		return n.types&typeOf(v) != 0 || (n.types == tAll)
	}
	return n.side.validCompiled(n, v)
}

// maxFiniteRange bounds how many integers finiteValues enumerates.
const maxFiniteRange = 256

// finiteValues lists every value a schema accepts when it accepts finitely many: an enum,
// null and booleans, and integers between two bounds at most maxFiniteRange apart. ok is
// false otherwise.
func finiteValues(n *node) ([]any, bool) {
	if n.hasEnum {
		return n.enum, true
	}
	t := effTypes(n, 0)
	if t&^(tNull|tBoolean|tInteger) != 0 {
		return nil, false
	}
	var out []any
	if t&tInteger != 0 {
		lo, _ := lowerOf(n, true)
		hi, _ := upperOf(n, true)
		if lo == nil || hi == nil {
			return nil, false
		}
		span := new(big.Rat).Sub(hi, lo)
		if span.Cmp(big.NewRat(maxFiniteRange, 1)) > 0 {
			return nil, false
		}
		for i := new(big.Int).Set(lo.Num()); i.Cmp(hi.Num()) <= 0; i.Add(i, big.NewInt(1)) {
			v := json.Number(i.String())
			if valid(n, v) {
				out = append(out, v)
			}
		}
	}
	for _, v := range []any{nil, false, true} {
		if t&typeOf(v) != 0 && valid(n, v) {
			out = append(out, v)
		}
	}
	return out, true
}

func (c *Comparison) compareTypes(o, n *node) []compat.Finding {
	switch {
	case o.hasEnum && n.hasEnum:
		return c.compareEnums(o, n)
	case n.hasEnum:
		b, f := true, true
		if vals, ok := finiteValues(o); ok {
			for _, v := range vals {
				if !valid(n, v) {
					b = false
				}
			}
		} else {
			b = false
		}
		for _, v := range n.enum {
			if !valid(o, v) {
				f = false
			}
		}
		if b && f {
			return nil
		}
		msg := fmt.Sprintf("values restricted to %s", valueList(n.enum))
		if !f {
			msg += ", some of which the old schema rejected"
		}
		x := c.finding(ruleEnumAdded, o, n, enumKeyword(n), b, f, msg)
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	case o.hasEnum:
		b, f := true, true
		for _, v := range o.enum {
			if !valid(n, v) {
				b = false
			}
		}
		if vals, ok := finiteValues(n); ok {
			for _, v := range vals {
				if !valid(o, v) {
					f = false
				}
			}
		} else {
			f = false
		}
		if b && f {
			return nil
		}
		msg := fmt.Sprintf("values no longer restricted to %s", valueList(o.enum))
		if !b {
			msg += ", and some of them are now rejected"
		}
		x := c.finding(ruleEnumRemoved, o, n, enumKeyword(o), b, f, msg)
		return []compat.Finding{c.withWitness(x, o, n, c.candidates)}
	}
	ot, nt := c.effTypes(o), c.effTypes(n)
	removed, added := ot&^nt, nt&^ot
	kw := "type"
	switch {
	case removed == 0 && added == 0:
		return nil
	case added == 0:
		msg := fmt.Sprintf("type narrowed from %s to %s", ot, nt)
		if nt == 0 {
			msg = fmt.Sprintf("accepts nothing where %s was accepted", ot)
		}
		x := c.finding(ruleTypeNarrowed, o, n, kw, false, true, msg)
		return []compat.Finding{c.withWitness(x, o, n, c.typeCandidates(removed))}
	case removed == 0:
		msg := fmt.Sprintf("type widened from %s to %s", ot, nt)
		if ot == 0 {
			msg = fmt.Sprintf("now accepts %s where nothing was accepted", nt)
		}
		if ot&tNumber == tInteger && nt&tNumber == tNumber {
			msg = fmt.Sprintf("type widened from integer to number")
		}
		x := c.finding(ruleTypeWidened, o, n, kw, true, false, msg)
		return []compat.Finding{c.withWitness(x, o, n, c.typeCandidates(added))}
	default:
		x := c.finding(ruleTypeChanged, o, n, kw, false, false, fmt.Sprintf("type changed from %s to %s", ot, nt))
		return []compat.Finding{c.withWitness(x, o, n, c.typeCandidates(removed|added))}
	}
}

func enumKeyword(n *node) string {
	if n.isConst {
		return "const"
	}
	return "enum"
}

// compareEnums compares two finite value lists by asking each side's validator about the
// other side's values, so that any other keyword change that excludes a value is caught too.
func (c *Comparison) compareEnums(o, n *node) []compat.Finding {
	var fs []compat.Finding
	for _, v := range o.enum {
		if !valid(n, v) {
			x := c.finding(ruleEnumMemberRemoved, o, n, enumKeyword(n), false, true, fmt.Sprintf("value %s is no longer accepted", compactJSON(v)))
			fs = append(fs, c.withWitness(x, o, n, func(_, _ *node) []any { return []any{v} }))
		}
	}
	for _, v := range n.enum {
		if !valid(o, v) {
			x := c.finding(ruleEnumMemberAdded, o, n, enumKeyword(n), true, false, fmt.Sprintf("value %s is newly accepted", compactJSON(v)))
			fs = append(fs, c.withWitness(x, o, n, func(_, _ *node) []any { return []any{v} }))
		}
	}
	return fs
}

func valueList(vs []any) string {
	parts := make([]string, 0, len(vs))
	for i, v := range vs {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("and %d more", len(vs)-i))
			break
		}
		parts = append(parts, compactJSON(v))
	}
	return strings.Join(parts, ", ")
}
