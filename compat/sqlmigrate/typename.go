package sqlmigrate

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// typeRef is a column type reduced to what compatibility depends on: the canonical
// type name (aliases folded: integer and int are int4), its modifiers and array depth.
type typeRef struct {
	name  string
	mods  []int64
	array int
	// modsKnown is false when a modifier is not a plain integer.
	modsKnown bool
}

// typeAliases folds the spellings the parser keeps apart into PostgreSQL's own names.
var typeAliases = map[string]string{
	"int": "int4", "integer": "int4", "int4": "int4", "serial": "int4", "serial4": "int4",
	"smallint": "int2", "int2": "int2", "smallserial": "int2", "serial2": "int2",
	"bigint": "int8", "int8": "int8", "bigserial": "int8", "serial8": "int8",
	"varchar": "varchar", "character varying": "varchar",
	"char": "bpchar", "character": "bpchar", "bpchar": "bpchar",
	"bool": "bool", "boolean": "bool",
	"real": "float4", "float4": "float4", "float8": "float8", "double precision": "float8",
	"decimal": "numeric", "numeric": "numeric",
	"timestamp": "timestamp", "timestamptz": "timestamptz",
	"time": "time", "timetz": "timetz",
}

// serialTypes imply a nextval() default, which is volatile.
var serialTypes = map[string]bool{
	"serial": true, "serial4": true, "bigserial": true, "serial8": true, "smallserial": true, "serial2": true,
}

func typeOf(tn *pg_query.TypeName) typeRef {
	var names []string
	for _, n := range tn.GetNames() {
		names = append(names, n.GetString_().GetSval())
	}
	name := ""
	switch {
	case len(names) == 2 && names[0] == "pg_catalog":
		name = names[1]
	case len(names) > 0:
		name = qualify(strings.Join(names[:len(names)-1], "."), names[len(names)-1])
	}
	if canon, ok := typeAliases[name]; ok {
		name = canon
	}
	t := typeRef{name: name, array: len(tn.GetArrayBounds()), modsKnown: true}
	for _, m := range tn.GetTypmods() {
		if c := m.GetAConst(); c != nil && c.GetIval() != nil {
			t.mods = append(t.mods, int64(c.GetIval().GetIval()))
		} else if c != nil && c.GetIval() == nil && !c.GetIsnull() && c.GetFval() == nil && c.GetSval() == nil && c.GetBoolval() == nil && c.GetBsval() == nil {
			// An integer constant 0 is encoded as an empty value.
			t.mods = append(t.mods, 0)
		} else {
			t.modsKnown = false
		}
	}
	// float(p) is float4 up to 24 bits of precision and float8 above.
	if name == "float" {
		t.name = "float8"
		if len(t.mods) == 1 && t.mods[0] <= 24 {
			t.name = "float4"
		}
		t.mods = nil
	}
	return t
}

func isSerial(tn *pg_query.TypeName) bool {
	names := tn.GetNames()
	return len(names) > 0 && serialTypes[names[len(names)-1].GetString_().GetSval()]
}

// String renders the type as SQL.
func (t typeRef) String() string {
	if t.name == "" {
		return "an unknown type"
	}
	s := t.name
	if len(t.mods) > 0 {
		parts := make([]string, len(t.mods))
		for i, m := range t.mods {
			parts[i] = fmt.Sprint(m)
		}
		s += "(" + strings.Join(parts, ",") + ")"
	}
	return s + strings.Repeat("[]", t.array)
}

func (t typeRef) equal(u typeRef) bool { return t.String() == u.String() && t.modsKnown == u.modsKnown }

// typeChange is what changing a column's type from one type to another means.
type typeChange struct {
	// widening: every old value is a new value (B holds), but new values may not fit old
	// readers (F fails).
	widening bool
	// rewrites: PostgreSQL rewrites the table (the change is not binary-coercible).
	rewrites bool
	// reason explains the verdict in messages.
	reason string
}

// intRank orders the integer types by width.
var intRank = map[string]int{"int2": 1, "int4": 2, "int8": 3}

// classifyTypeChange decides whether from → to widens the column and whether PostgreSQL
// rewrites the table for it. Anything not known to widen is treated as incompatible:
// old writers' values might not convert, and old readers' code was written for the old
// type.
func classifyTypeChange(from, to typeRef) typeChange {
	if from.array != to.array || !from.modsKnown || !to.modsKnown || from.name == "" {
		return typeChange{rewrites: true, reason: "the types are not known to be compatible"}
	}
	switch {
	case isTextual(from.name) && isTextual(to.name):
		fromLen, toLen := textLimit(from), textLimit(to)
		switch {
		case from.name == "bpchar" || to.name == "bpchar":
			// char(n) pads with blanks; only a longer char(n) keeps every value and the
			// padding changes, so the table is rewritten.
			if from.name == "bpchar" && to.name == "bpchar" && toLen >= fromLen {
				return typeChange{widening: true, rewrites: toLen != fromLen, reason: "the length limit grows"}
			}
			return typeChange{rewrites: true, reason: "char(n) pads values with blanks, so values change"}
		case toLen >= fromLen:
			return typeChange{widening: true, reason: "the length limit grows (binary-coercible, no rewrite)"}
		default:
			return typeChange{rewrites: true, reason: "the length limit shrinks"}
		}
	case intRank[from.name] > 0 && intRank[to.name] > 0:
		if intRank[to.name] > intRank[from.name] {
			return typeChange{widening: true, rewrites: true, reason: "the integer type is wider"}
		}
		return typeChange{rewrites: true, reason: "the integer type is narrower"}
	case intRank[from.name] > 0 && to.name == "numeric":
		if len(to.mods) == 0 {
			return typeChange{widening: true, rewrites: true, reason: "unconstrained numeric holds every integer"}
		}
		return typeChange{rewrites: true, reason: "numeric with a precision may not hold every integer"}
	case from.name == "float4" && to.name == "float8":
		return typeChange{widening: true, rewrites: true, reason: "double precision holds every real"}
	case from.name == "numeric" && to.name == "numeric":
		fp, fs := numericMods(from)
		tp, ts := numericMods(to)
		switch {
		case len(to.mods) == 0:
			return typeChange{widening: true, reason: "unconstrained numeric holds every value (no rewrite)"}
		case len(from.mods) == 0:
			return typeChange{rewrites: true, reason: "a precision now limits the values"}
		case ts == fs && tp >= fp:
			return typeChange{widening: true, reason: "the precision grows with the same scale (no rewrite)"}
		case ts >= fs && tp-ts >= fp-fs:
			return typeChange{widening: true, rewrites: true, reason: "the precision and scale grow"}
		default:
			return typeChange{rewrites: true, reason: "the precision or scale shrinks"}
		}
	case from.name == to.name:
		if len(from.mods) == 0 && len(to.mods) > 0 {
			return typeChange{rewrites: true, reason: "a modifier now limits the values"}
		}
		return typeChange{rewrites: true, reason: "the type modifier changes"}
	}
	return typeChange{rewrites: true, reason: "the types are not known to be compatible"}
}

func isTextual(name string) bool { return name == "varchar" || name == "text" || name == "bpchar" }

// textLimit is the length limit of a textual type; unlimited is the largest.
func textLimit(t typeRef) int64 {
	if t.name == "text" || len(t.mods) == 0 {
		if t.name == "bpchar" && len(t.mods) == 0 {
			return 1 // char without a length is char(1)
		}
		return 1 << 62
	}
	return t.mods[0]
}

func numericMods(t typeRef) (precision, scale int64) {
	if len(t.mods) > 0 {
		precision = t.mods[0]
	}
	if len(t.mods) > 1 {
		scale = t.mods[1]
	}
	return precision, scale
}
