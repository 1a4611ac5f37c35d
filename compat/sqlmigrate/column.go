package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleColumnAdded = compat.Register(compat.Rule{
	ID: "COLUMN_ADDED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A nullable column, or a column with a default, is added to an existing table",
	Why: "The released application's INSERTs leave the column out and get NULL or the default (B holds); " +
		"its SELECTs name the columns they want and never see the new one (F holds).",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "ALTER TABLE users ADD COLUMN nickname text;\nALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;",
	Safe: "Nothing to sequence: add the column in any release. Applications that SELECT * must tolerate extra columns.",
})

var ruleRequiredColumnAdded = compat.Register(compat.Rule{
	ID: "REQUIRED_COLUMN_ADDED", Kind: compat.KindSQL,
	Title: "A NOT NULL column without a default is added to an existing table",
	Why: "The released application's INSERTs do not name the column, so they now fail with a NOT NULL " +
		"violation: B fails. On a non-empty table the ALTER itself fails too.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
	Safe: "Add the column nullable (or with a constant default), release writers that fill it, backfill old rows, then make it NOT NULL with CHECK NOT VALID, VALIDATE, SET NOT NULL.",
})

var ruleColumnDropped = compat.Register(compat.Rule{
	ID: "COLUMN_DROPPED", Kind: compat.KindSQL,
	Title: "A column is dropped",
	Why: "The released application still names the column in its INSERTs and SELECTs during the rollout " +
		"and after a rollback; they fail, so B fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, fax text);",
	New:  "ALTER TABLE users DROP COLUMN fax;",
	Safe: "Release code that no longer reads or writes the column, then drop it in a migration of a later release (the contract step of expand–contract).",
})

var ruleReplacedColumnDropped = compat.Register(compat.Rule{
	ID: "REPLACED_COLUMN_DROPPED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A column that a released migration already replaced or marked deprecated is dropped",
	Why: "A released migration added a replacement column and backfilled it from this one (UPDATE t SET " +
		"new = f(old)), or a COMMENT marked the column deprecated: the expand step has shipped, so the drop is " +
		"the contract step of expand–contract, and the released application is expected to use the " +
		"replacement already. compatcheck cannot see the application code, so it trusts that sequence.",
	Old:  "ALTER TABLE users ADD COLUMN full_name text;\nUPDATE users SET full_name = name;",
	New:  "ALTER TABLE users DROP COLUMN name;",
	Safe: "Make sure the release before this one no longer reads or writes the old column; then the drop is safe.",
})

var ruleColumnRenamed = compat.Register(compat.Rule{
	ID: "COLUMN_RENAMED", Kind: compat.KindSQL,
	Title: "A column is renamed",
	Why: "The released application names the column by its old name, which no longer exists, so its " +
		"INSERTs and SELECTs fail: B fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, name text);",
	New:  "ALTER TABLE users RENAME COLUMN name TO full_name;",
	Safe: "Add the new column, dual-write both, backfill in batches, switch reads, then drop the old column in a later release.",
})

var adviceDropColumn = []string{
	"release application code that no longer reads or writes the column",
	"drop the column in a migration of a later release, once no running or rollback version uses it",
}

var adviceRenameColumn = []string{
	"add the new column beside the old one",
	"release code that writes both columns (or a trigger that copies), and backfill the new column in batches",
	"release code that reads only the new column",
	"drop the old column in a later release",
}

var adviceRequiredColumn = []string{
	"add the column nullable, or with a constant DEFAULT",
	"release writers that always fill it, and backfill existing rows in batches",
	"ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL, and drop the CHECK",
}

// columnFromDef builds a catalog column and returns its constraints.
func (r *replayer) columnFromDef(cd *pg_query.ColumnDef) (*column, []*pg_query.Constraint) {
	col := &column{name: cd.GetColname(), pos: compat.Pos(r.m.file, r.s.line, r.s.col), typeKnown: true}
	if tn := cd.GetTypeName(); tn != nil {
		col.typ = typeOf(tn)
		if isSerial(tn) {
			col.identity = true
			col.notNull = true
		}
	}
	if cd.GetIsNotNull() {
		col.notNull = true
	}
	if d := cd.GetRawDefault(); d != nil {
		col.def = d
	}
	if cd.GetLocation() > 0 && r.s.base >= 0 {
		line, c := r.m.position(r.s.base + int(cd.GetLocation()))
		col.pos = compat.Pos(r.m.file, line, c)
	}
	var cons []*pg_query.Constraint
	for _, n := range cd.GetConstraints() {
		c := n.GetConstraint()
		if c == nil {
			continue
		}
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.notNull = true
		case pg_query.ConstrType_CONSTR_NULL:
			col.notNull = false
		case pg_query.ConstrType_CONSTR_DEFAULT:
			col.def = c.GetRawExpr()
		case pg_query.ConstrType_CONSTR_IDENTITY:
			col.identity = true
			col.notNull = true
		case pg_query.ConstrType_CONSTR_GENERATED:
			col.identity = true // computed for every row, like a volatile default
		case pg_query.ConstrType_CONSTR_PRIMARY:
			col.notNull = true
			cons = append(cons, c)
		default:
			cons = append(cons, c)
		}
	}
	return col, cons
}

// addColumn handles ALTER TABLE ... ADD COLUMN.
func (r *replayer) addColumn(t *table, relname string, cd *pg_query.ColumnDef, ifNotExists bool) {
	if _, exists := t.byName[cd.GetColname()]; exists && ifNotExists {
		return
	}
	col, cons := r.columnFromDef(cd)
	col.created = r.emit
	t.addColumn(col)
	for _, c := range cons {
		t.addConstraint(relname, conSpec{c: c, col: col.name}, r.emit, r.pos())
	}
	if t.created {
		return
	}
	key := colKey(t.key, col.name)
	subject := colSubject(t.key, col.name)
	volatile := col.identity || (col.def != nil && isVolatile(col.def))
	// Before PostgreSQL 11 every non-null default is written into every row.
	anyDefault := r.pg < 11 && !volatile && col.def != nil && !isNullConstant(col.def)
	var p *pending
	if col.notNull && col.def == nil && !col.identity {
		p = r.report(ruleRequiredColumnAdded, subject, key, nil, adviceRequiredColumn,
			"column %s %s is added NOT NULL without a default; released INSERTs that omit it now fail", col.name, col.typ)
	} else {
		what := "nullable"
		switch {
		case col.def != nil || col.identity:
			what = "with a default"
		case col.notNull:
			what = "NOT NULL"
		}
		p = r.report(ruleColumnAdded, subject, key, nil, nil, "column %s %s is added %s", col.name, col.typ, what)
	}
	switch {
	case volatile:
		r.lock(t.key, opAddColumnVolatile)
		r.hazard(p, hazardVolatileDefault, opAddColumnVolatile, adviceVolatileDefault,
			"column %s gets a volatile default (computed per row), which rewrites %s under ACCESS EXCLUSIVE", col.name, t.key)
	case anyDefault:
		r.lock(t.key, opAddColumnDefaultBefore11)
		r.hazard(p, hazardVolatileDefault, opAddColumnDefaultBefore11, adviceVolatileDefault,
			"column %s gets a default, which PostgreSQL %d writes into every row: %s is rewritten under ACCESS EXCLUSIVE (PostgreSQL 11 and later store a non-volatile default in the catalog)", col.name, r.pg, t.key)
	default:
		r.lock(t.key, opAddColumn)
	}
	for _, c := range cons {
		kind := "UNIQUE"
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_PRIMARY:
			kind = "PRIMARY KEY"
			fallthrough
		case pg_query.ConstrType_CONSTR_UNIQUE:
			r.hazard(p, hazardIndexWithoutConcurrently, opAddUnique, adviceUniqueUsingIndex,
				"the %s constraint on new column %s builds an index on %s under ACCESS EXCLUSIVE", kind, col.name, t.key)
		}
	}
}

// dropColumn handles ALTER TABLE ... DROP COLUMN.
func (r *replayer) dropColumn(t *table, name string, missingOK bool) {
	col, ok := t.byName[name]
	if !ok && missingOK {
		return
	}
	if !ok {
		col = t.column(name)
	}
	t.removeColumn(name)
	if t.created {
		return
	}
	if col.created {
		r.netOut(colKey(t.key, name))
		r.lock(t.key, opDropColumn)
		return
	}
	r.lock(t.key, opDropColumn)
	subject := colSubject(t.key, name)
	switch {
	case col.replacedBy != "" && t.byName[col.replacedBy] != nil:
		r.report(ruleReplacedColumnDropped, subject, "", col.pos, nil,
			"column %s is dropped after a released migration backfilled its replacement %s", name, col.replacedBy)
	case col.deprecated != nil:
		r.report(ruleReplacedColumnDropped, subject, "", col.pos, nil,
			"column %s is dropped after a released migration marked it deprecated (COMMENT %s)", name, quoteLiteral(shorten(col.deprecated.text)))
	default:
		r.report(ruleColumnDropped, subject, "", col.pos, adviceDropColumn,
			"column %s is dropped while the released application still reads and writes it", name)
	}
}

// renameColumn handles ALTER TABLE ... RENAME COLUMN.
func (r *replayer) renameColumn(t *table, from, to string) {
	col, ok := t.byName[from]
	if !ok {
		col = t.column(from)
	}
	t.renameColumn(from, to)
	if t.created || col.created {
		return
	}
	r.lock(t.key, opRename)
	r.report(ruleColumnRenamed, colSubject(t.key, from), "", col.pos, adviceRenameColumn,
		"column %s is renamed to %s while the released application still uses the old name", from, to)
}

// update notices backfills in released migrations: UPDATE t SET new = f(old) makes new
// the replacement of old, the expand step of expand–contract.
func (r *replayer) update(u *pg_query.UpdateStmt) {
	r.checkTargets(u.GetTargetList(), "UPDATE")
	if r.subject == "" {
		r.subject = rangeKey(u.GetRelation())
	}
	if r.emit {
		return
	}
	t, ok := r.cat.tables[rangeKey(u.GetRelation())]
	if !ok {
		return
	}
	for _, n := range u.GetTargetList() {
		rt := n.GetResTarget()
		if rt == nil {
			continue
		}
		target, ok := t.byName[rt.GetName()]
		if !ok {
			continue
		}
		for _, ref := range columnRefs(rt.GetVal()) {
			if src, ok := t.byName[ref]; ok && ref != target.name {
				src.replacedBy = target.name
			}
		}
	}
}
