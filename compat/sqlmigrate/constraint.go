package sqlmigrate

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

type conKind int

const (
	conCheck conKind = iota + 1
	conUnique
	conPrimary
	conForeign
	conExclusion
)

var conKindNames = map[conKind]string{
	conCheck: "CHECK", conUnique: "UNIQUE", conPrimary: "PRIMARY KEY", conForeign: "FOREIGN KEY", conExclusion: "EXCLUDE",
}

// constraint is a table constraint of the catalog.
type constraint struct {
	name    string
	kind    conKind
	cols    []string
	valid   bool
	created bool
	pos     *compat.Position
	// notNullCol names the column of a CHECK (col IS NOT NULL), which lets PostgreSQL 12
	// and later SET NOT NULL without a scan once the CHECK is validated.
	notNullCol string
	// ref is the table a FOREIGN KEY references.
	ref string
	// addedTx is the transaction that added the constraint NOT VALID (-1: none, or it
	// ran on its own).
	addedTx int
}

// conSpec is a constraint as written, with the column it was attached to when it was
// written as part of a column definition.
type conSpec struct {
	c   *pg_query.Constraint
	col string
}

var ruleCheckAdded = compat.Register(compat.Rule{
	ID: "CHECK_CONSTRAINT_ADDED", Kind: compat.KindSQL,
	Title: "A CHECK constraint is added to an existing table",
	Why: "The released application's writers were never held to the condition; their INSERTs and " +
		"UPDATEs that violate it now fail, so B fails. NOT VALID only spares existing rows.",
	Old:  "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
	New:  "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
	Safe: "Release writers that satisfy the condition first, clean up existing rows, then add the constraint NOT VALID and VALIDATE it in a later migration.",
})

var ruleUniqueAdded = compat.Register(compat.Rule{
	ID: "UNIQUE_CONSTRAINT_ADDED", Kind: compat.KindSQL,
	Title: "A UNIQUE constraint, unique index or exclusion constraint is added to an existing table",
	Why: "The released application may write duplicate values, which now fail, so B fails; building the " +
		"index also fails if duplicates already exist.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
	New:  "CREATE UNIQUE INDEX users_email_key ON users (email);",
	Safe: "Release writers that never create duplicates, remove existing duplicates, build the unique index CONCURRENTLY, then attach it with ADD CONSTRAINT ... USING INDEX.",
})

var rulePrimaryKeyAdded = compat.Register(compat.Rule{
	ID: "PRIMARY_KEY_ADDED", Kind: compat.KindSQL,
	Title: "A PRIMARY KEY is added to an existing table",
	Why: "The key columns become NOT NULL and unique; released writers that leave them empty or " +
		"duplicate them now fail, so B fails.",
	Old:  "CREATE TABLE events (id bigint, payload jsonb);",
	New:  "ALTER TABLE events ADD PRIMARY KEY (id);",
	Safe: "Release writers that always fill unique keys, backfill, build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX.",
})

var ruleForeignKeyAdded = compat.Register(compat.Rule{
	ID: "FOREIGN_KEY_ADDED", Kind: compat.KindSQL,
	Title: "A FOREIGN KEY is added to an existing table",
	Why: "The released application may write rows whose reference does not exist (or delete referenced " +
		"rows); those statements now fail, so B fails.",
	Old:  "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);",
	New:  "ALTER TABLE orders ADD CONSTRAINT orders_user_fkey FOREIGN KEY (user_id) REFERENCES users (id);",
	Safe: "Release writers that keep references valid, clean up orphans, add the key NOT VALID and VALIDATE it in a later migration.",
})

var ruleConstraintDropped = compat.Register(compat.Rule{
	ID: "CONSTRAINT_DROPPED", Kind: compat.KindSQL, Backward: true,
	Title: "A CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or exclusion constraint is dropped",
	Why: "Everything the released application writes is still accepted (B holds), but new writers may " +
		"now store rows it never met (duplicates, orphans, values outside the old condition), which its " +
		"readers may mishandle, so F fails.",
	Old:  "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric CHECK (total >= 0));",
	New:  "ALTER TABLE orders DROP CONSTRAINT orders_total_check;",
	Safe: "Release readers that handle the rows the constraint used to exclude, then drop the constraint in a later release (read-before-write).",
})

var adviceConstraintAdded = []string{
	"release application code whose writes satisfy the constraint",
	"fix existing rows that violate it, in batches",
	"add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration (for UNIQUE: CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX)",
}

var adviceConstraintDropped = []string{
	"release readers that handle the rows the constraint used to exclude",
	"drop the constraint in a later release, before any writer relies on its absence",
}

// defaultName is the name PostgreSQL gives an unnamed constraint, so a later DROP
// CONSTRAINT by that name finds it. (PostgreSQL adds digits on collisions and truncates
// to 63 bytes; such names are not reproduced.)
func defaultName(relname string, kind conKind, cols []string) string {
	suffix := map[conKind]string{conCheck: "check", conUnique: "key", conPrimary: "pkey", conForeign: "fkey", conExclusion: "excl"}[kind]
	if kind == conPrimary {
		return relname + "_pkey"
	}
	parts := append([]string{relname}, cols...)
	if kind == conCheck && len(cols) > 1 {
		parts = parts[:2]
	}
	return strings.Join(append(parts, suffix), "_")
}

func stringList(nodes []*pg_query.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.GetSval())
		} else if ie := n.GetIndexElem(); ie != nil && ie.GetName() != "" {
			out = append(out, ie.GetName())
		}
	}
	return out
}

// buildConstraint turns a constraint as written into a catalog constraint; ok is false
// for clauses that are not table constraints (NOT NULL, DEFAULT, ...).
func buildConstraint(relname string, spec conSpec, created bool, pos *compat.Position) (*constraint, bool) {
	c := spec.c
	con := &constraint{created: created, pos: pos, valid: !c.GetSkipValidation(), addedTx: -1}
	switch c.GetContype() {
	case pg_query.ConstrType_CONSTR_CHECK:
		con.kind = conCheck
		con.cols = columnRefs(c.GetRawExpr())
		con.notNullCol = notNullTest(c.GetRawExpr())
	case pg_query.ConstrType_CONSTR_UNIQUE:
		con.kind = conUnique
		con.cols = stringList(c.GetKeys())
	case pg_query.ConstrType_CONSTR_PRIMARY:
		con.kind = conPrimary
		con.cols = stringList(c.GetKeys())
	case pg_query.ConstrType_CONSTR_FOREIGN:
		con.kind = conForeign
		con.cols = stringList(c.GetFkAttrs())
		con.ref = rangeKey(c.GetPktable())
	case pg_query.ConstrType_CONSTR_EXCLUSION:
		con.kind = conExclusion
		for _, ex := range c.GetExclusions() {
			if l := ex.GetList(); l != nil && len(l.GetItems()) > 0 {
				con.cols = append(con.cols, stringList(l.GetItems()[:1])...)
			}
		}
	default:
		return nil, false
	}
	if spec.col != "" && len(con.cols) == 0 {
		con.cols = []string{spec.col}
	}
	if spec.col != "" && con.kind == conCheck && len(con.cols) > 0 {
		// PostgreSQL names a column CHECK after its column.
		con.cols = []string{spec.col}
	}
	con.name = c.GetConname()
	if con.name == "" {
		con.name = defaultName(relname, con.kind, con.cols)
	}
	return con, true
}

// addConstraint records a constraint and its effect on the columns' nullability.
func (t *table) addConstraint(relname string, spec conSpec, created bool, pos *compat.Position) *constraint {
	con, ok := buildConstraint(relname, spec, created, pos)
	if !ok {
		return nil
	}
	t.cons[con.name] = con
	if con.kind == conPrimary {
		for _, c := range con.cols {
			t.column(c).notNull = true
		}
	}
	return con
}

// notNullTest returns col for an expression "col IS NOT NULL".
func notNullTest(n *pg_query.Node) string {
	nt := n.GetNullTest()
	if nt == nil || nt.GetNulltesttype() != pg_query.NullTestType_IS_NOT_NULL {
		return ""
	}
	if cr := nt.GetArg().GetColumnRef(); cr != nil && len(cr.GetFields()) == 1 {
		return cr.GetFields()[0].GetString_().GetSval()
	}
	return ""
}

// addTableConstraint handles ALTER TABLE ... ADD CONSTRAINT.
func (r *replayer) addTableConstraint(t *table, relname string, c *pg_query.Constraint) {
	con := t.addConstraint(relname, conSpec{c: c}, r.emit, r.pos())
	if con == nil || t.created {
		return
	}
	obj := colKey(t.key, "#"+con.name)
	subject := t.key
	if len(con.cols) == 1 {
		subject = colSubject(t.key, con.cols[0])
	}
	notValid := c.GetSkipValidation()
	if notValid {
		con.addedTx = r.txID()
	}
	switch con.kind {
	case conCheck:
		p := r.report(ruleCheckAdded, subject, obj, nil, adviceConstraintAdded, "CHECK constraint %s is added; released writers that violate it now fail", con.name)
		if notValid {
			r.lock(t.key, opAddCheckNotValid)
		} else {
			r.lock(t.key, opAddCheck)
			r.hazard(p, hazardConstraintValidated, opAddCheck, adviceNotValid, "adding CHECK %s checks every row of %s under ACCESS EXCLUSIVE", con.name, t.key)
		}
	case conForeign:
		p := r.report(ruleForeignKeyAdded, subject, obj, nil, adviceConstraintAdded, "FOREIGN KEY %s is added; released writers of rows without a matching reference now fail", con.name)
		if notValid {
			r.lock(t.key, opAddForeignKeyNotValid)
		} else {
			r.lock(t.key, opAddForeignKey)
			r.hazard(p, hazardConstraintValidated, opAddForeignKey, adviceNotValid, "adding FOREIGN KEY %s checks every row of %s under SHARE ROW EXCLUSIVE on both tables", con.name, t.key)
		}
	case conUnique, conExclusion, conPrimary:
		if ix, ok := r.cat.indexes[qualify(schemaOf(t.key), c.GetIndexname())]; ok && ix.unique && con.kind == conUnique {
			// UNIQUE USING INDEX only names a uniqueness the index already enforces.
			r.lock(t.key, opAddConstraintUsingIndex)
			return
		}
		rule, what := ruleUniqueAdded, conKindNames[con.kind]+" constraint"
		if con.kind == conPrimary {
			rule, what = rulePrimaryKeyAdded, "PRIMARY KEY"
		}
		p := r.report(rule, subject, obj, nil, adviceConstraintAdded, "%s %s is added; released writers of duplicate or missing values now fail", what, con.name)
		if c.GetIndexname() != "" {
			r.lock(t.key, opAddConstraintUsingIndex)
			return
		}
		r.lock(t.key, opAddUnique)
		r.hazard(p, hazardIndexWithoutConcurrently, opAddUnique, adviceUniqueUsingIndex, "%s %s builds its index on %s under ACCESS EXCLUSIVE", what, con.name, t.key)
	}
}

func (r *replayer) validateConstraint(t *table, name string) {
	con, ok := t.cons[name]
	if ok {
		con.valid = true
	}
	if t.created {
		return
	}
	r.lock(t.key, opValidateConstraint)
	if ok && con.addedTx >= 0 && con.addedTx == r.txID() {
		// The transaction still holds the lock that ADD CONSTRAINT took, so the scan of
		// VALIDATE runs under it instead of under SHARE UPDATE EXCLUSIVE.
		op, what := opAddCheck, "ACCESS EXCLUSIVE, blocking reads and writes"
		if con.kind == conForeign {
			op, what = opAddForeignKey, "SHARE ROW EXCLUSIVE on both tables, blocking writes"
		}
		r.lock(t.key, op)
		r.hazard(nil, hazardConstraintValidated, op, adviceNotValid,
			"VALIDATE CONSTRAINT %s runs in the transaction that added it NOT VALID, so its scan of %s still holds %s", name, t.key, what)
	}
}

func (r *replayer) dropConstraint(t *table, name string, missingOK bool) {
	con, ok := t.cons[name]
	if !ok && missingOK {
		return
	}
	delete(t.cons, name)
	if t.created {
		return
	}
	if ok && con.created {
		r.netOut(colKey(t.key, "#"+name))
		r.lock(t.key, opDropConstraint)
		return
	}
	r.lock(t.key, opDropConstraint)
	kind := "constraint"
	var pos *compat.Position
	subject := t.key
	if ok {
		kind = conKindNames[con.kind] + " constraint"
		pos = con.pos
		if len(con.cols) == 1 {
			subject = colSubject(t.key, con.cols[0])
		}
		if con.kind == conPrimary {
			kind = "PRIMARY KEY"
		}
	}
	r.report(ruleConstraintDropped, subject, "", pos, adviceConstraintDropped, "%s %s is dropped; old readers may meet rows it used to exclude", kind, name)
}

// schemaOf returns the schema part of a catalog key ("" for public).
func schemaOf(key string) string {
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return ""
}
