package sqlmigrate

import (
	"slices"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleTypeAdded = compat.Register(compat.Rule{
	ID: "TYPE_ADDED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "An enum type or a domain is added",
	Why:   "The released application uses no column of a type it does not know, so nothing it does changes. Constraints on a new domain hold back no released writer either; adding constraints to a domain that columns already use is DOMAIN_CONSTRAINT_ADDED.",
	Old:   "CREATE TABLE orders (id bigint PRIMARY KEY);",
	New:   "CREATE TYPE order_status AS ENUM ('new', 'paid');",
	Safe:  "Nothing to sequence: add the type in any release.",
})

var ruleEnumValueAdded = compat.Register(compat.Rule{
	ID: "ENUM_LABEL_ADDED", Kind: compat.KindSQL, Backward: true,
	Title: "A label is added to an enum type",
	Why: "Every label the released application writes is still valid (B holds), but new writers may " +
		"store the new label, which released readers cannot interpret, so F fails.",
	Old:  "CREATE TYPE order_status AS ENUM ('new', 'paid');",
	New:  "ALTER TYPE order_status ADD VALUE 'refunded';",
	Safe: "Release readers that handle the new label first; add the label in that release or later; write it only from a later release (read-before-write).",
})

var ruleEnumValueRenamed = compat.Register(compat.Rule{
	ID: "ENUM_LABEL_RENAMED", Kind: compat.KindSQL,
	Title: "A label of an enum type is renamed",
	Why: "The released application still writes the old label, which no longer exists, so its writes " +
		"fail (B fails); it also cannot read the new label.",
	Old:  "CREATE TYPE order_status AS ENUM ('new', 'paid');",
	New:  "ALTER TYPE order_status RENAME VALUE 'paid' TO 'settled';",
	Safe: "Add the new label, release readers that accept both, migrate rows and writers to the new label, and stop using the old one; enum labels cannot be dropped, so keep it.",
})

var ruleTypeDropped = compat.Register(compat.Rule{
	ID: "TYPE_DROPPED", Kind: compat.KindSQL,
	Title: "A type is dropped",
	Why:   "The released application may still cast to or write the type, which fails, so B fails.",
	Old:   "CREATE TYPE order_status AS ENUM ('new', 'paid');",
	New:   "DROP TYPE order_status;",
	Safe:  "Release code and columns that no longer use the type, then drop it in a later release.",
})

var ruleTypeRenamed = compat.Register(compat.Rule{
	ID: "TYPE_RENAMED", Kind: compat.KindSQL,
	Title: "A type is renamed",
	Why:   "The released application may name the type in casts and function signatures; those fail, so B fails.",
	Old:   "CREATE TYPE order_status AS ENUM ('new', 'paid');",
	New:   "ALTER TYPE order_status RENAME TO status;",
	Safe:  "Create the type under its new name, move columns and code to it, and drop the old type in a later release.",
})

var adviceEnumValueAdded = []string{
	"release readers that handle the new label",
	"add the label in that release or later",
	"write the label only from a later release",
}

var adviceEnumValueRenamed = []string{
	"ADD VALUE with the new label and release readers that accept both labels",
	"release writers that use the new label and update existing rows in batches",
	"stop using the old label (PostgreSQL cannot drop an enum label)",
}

var adviceDropType = []string{
	"release code and columns that no longer use the type",
	"drop the type in a later release",
}

var adviceRenameType = []string{
	"create the type under the new name",
	"move columns and code to the new type",
	"drop the old type in a later release",
}

func (r *replayer) createEnum(ce *pg_query.CreateEnumStmt) {
	key := nameList(ce.GetTypeName())
	e := &enumType{object: object{key: key, created: r.emit, pos: r.pos()}, complete: true}
	for _, v := range ce.GetVals() {
		e.values = append(e.values, v.GetString_().GetSval())
	}
	r.cat.types[key] = e
	r.report(ruleTypeAdded, key, key, nil, nil, "enum type %s is added", key)
}

func (r *replayer) alterEnum(ae *pg_query.AlterEnumStmt) {
	key := nameList(ae.GetTypeName())
	if key == "" {
		return
	}
	e, ok := r.cat.types[key]
	if !ok {
		e = &enumType{object: object{key: key}}
		r.cat.types[key] = e
	}
	if ae.GetOldVal() != "" {
		if i := slices.Index(e.values, ae.GetOldVal()); i >= 0 {
			e.values[i] = ae.GetNewVal()
		}
		if !e.created {
			r.report(ruleEnumValueRenamed, key, "", e.pos, adviceEnumValueRenamed,
				"enum label %q of %s is renamed to %q while the released application still uses it", ae.GetOldVal(), key, ae.GetNewVal())
		}
		return
	}
	if slices.Contains(e.values, ae.GetNewVal()) && ae.GetSkipIfNewValExists() {
		return
	}
	e.values = append(e.values, ae.GetNewVal())
	if r.pg < 12 && r.inTx {
		r.refused(nil, hazardEnumInTransaction, "", adviceOutsideTransaction,
			"ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12, and this statement runs inside one (%s)", r.txReason())
		if r.subject == "" {
			r.subject = key
		}
	}
	if e.created {
		return
	}
	r.report(ruleEnumValueAdded, key, "", e.pos, adviceEnumValueAdded,
		"enum %s gets label %q, which released readers cannot interpret", key, ae.GetNewVal())
}

func (r *replayer) dropType(key string, missingOK bool) {
	var obj *object
	if e, ok := r.cat.types[key]; ok {
		obj = &e.object
	} else if d, ok := r.cat.domains[key]; ok {
		obj = &d.object
	} else if r.cat.otherTypes[key] {
		obj = &object{key: key}
	}
	if obj == nil && missingOK {
		return
	}
	delete(r.cat.types, key)
	delete(r.cat.domains, key)
	delete(r.cat.otherTypes, key)
	if obj != nil && obj.created {
		r.netOut(key)
		return
	}
	var pos *compat.Position
	if obj != nil {
		pos = obj.pos
	}
	r.report(ruleTypeDropped, key, "", pos, adviceDropType, "type %s is dropped while the released application may still use it", key)
}

func (r *replayer) renameType(from, to string) {
	if from == "" {
		return
	}
	var obj *object
	if d, ok := r.cat.domains[from]; ok {
		delete(r.cat.domains, from)
		d.key = to
		r.cat.domains[to] = d
		obj = &d.object
	} else {
		e, ok := r.cat.types[from]
		if !ok {
			e = &enumType{object: object{key: from}}
		}
		delete(r.cat.types, from)
		e.key = to
		r.cat.types[to] = e
		obj = &e.object
	}
	if obj.created {
		return
	}
	r.report(ruleTypeRenamed, from, "", obj.pos, adviceRenameType, "type %s is renamed to %s while the released application may still use the old name", from, to)
}
