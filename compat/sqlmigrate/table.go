package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleTableAdded = compat.Register(compat.Rule{
	ID: "TABLE_ADDED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A table is added",
	Why: "The released application neither reads nor writes a table it does not know, so its INSERTs " +
		"and SELECTs work unchanged (B) and it never meets the new table's rows (F).",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);",
	Safe: "Nothing to sequence: add the table in any release.",
})

var ruleTableDropped = compat.Register(compat.Rule{
	ID: "TABLE_DROPPED", Kind: compat.KindSQL,
	Title: "A table is dropped",
	Why: "The released application still reads and writes the table during the rollout and after a " +
		"rollback; its queries fail, so B fails.",
	Old:  "CREATE TABLE sessions (id bigint PRIMARY KEY);",
	New:  "DROP TABLE sessions;",
	Safe: "Release application code that no longer uses the table, then drop it in a migration of a later release.",
})

var ruleTableRenamed = compat.Register(compat.Rule{
	ID: "TABLE_RENAMED", Kind: compat.KindSQL,
	Title: "A table is renamed",
	Why:   "The released application queries the table by its old name, which no longer exists, so B fails.",
	Old:   "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:   "ALTER TABLE users RENAME TO accounts;",
	Safe:  "Create the new table (or a view named after the new name), write to both, backfill, switch reads, and drop the old table in a later release.",
})

var ruleReplacedTableDropped = compat.Register(compat.Rule{
	ID: "REPLACED_TABLE_DROPPED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A table that a released migration already replaced or marked deprecated is dropped",
	Why: "A released migration filled a replacement table from this one (INSERT INTO new SELECT ... FROM " +
		"old), or a COMMENT marked it deprecated: the expand step has shipped, so the drop is the contract " +
		"step of expand–contract, and the released application is expected to use the replacement already. " +
		"compatcheck cannot see the application code, so it trusts that sequence.",
	Old:  "CREATE TABLE accounts (LIKE users INCLUDING ALL);\nINSERT INTO accounts SELECT * FROM users;",
	New:  "DROP TABLE users;",
	Safe: "Make sure the release before this one no longer reads or writes the old table; then the drop is safe.",
})

// adviceDropTable is the expand–contract sequence for removing a table.
var adviceDropTable = []string{
	"release application code that no longer reads or writes the table",
	"drop the table in a migration of a later release, once no running or rollback version uses it",
}

var adviceRenameTable = []string{
	"create the table under its new name (or a view with the new name over the old table)",
	"release code that writes both and backfill the new table in batches",
	"release code that reads only the new table",
	"drop the old table in a later release",
}

func (r *replayer) createTable(cs *pg_query.CreateStmt) {
	key := rangeKey(cs.GetRelation())
	if _, exists := r.cat.tables[key]; exists && cs.GetIfNotExists() {
		return
	}
	t := &table{object: object{key: key, created: r.emit, pos: r.pos()}, byName: map[string]*column{}, cons: map[string]*constraint{}}
	r.cat.tables[key] = t
	relname := cs.GetRelation().GetRelname()
	var cons []conSpec
	for _, elt := range cs.GetTableElts() {
		switch {
		case elt.GetColumnDef() != nil:
			col, colCons := r.columnFromDef(elt.GetColumnDef())
			col.created = r.emit
			t.addColumn(col)
			for _, c := range colCons {
				cons = append(cons, conSpec{c: c, col: col.name})
			}
		case elt.GetConstraint() != nil:
			cons = append(cons, conSpec{c: elt.GetConstraint()})
		}
	}
	for _, c := range cons {
		t.addConstraint(relname, c, r.emit, r.pos())
	}
	t.complete = len(cs.GetInhRelations()) == 0 && cs.GetPartbound() == nil && cs.GetOfTypename() == nil
	t.partitioned = cs.GetPartspec() != nil
	if cs.GetPartbound() != nil && len(cs.GetInhRelations()) == 1 {
		// CREATE TABLE ... PARTITION OF locks the partitioned table while it attaches.
		parent := rangeKey(cs.GetInhRelations()[0].GetRangeVar())
		t.partitionOf = parent
		if pt, ok := r.cat.tables[parent]; ok && !pt.created {
			r.lock(parent, opCreatePartition)
		}
	}
	for _, elt := range cs.GetTableElts() {
		if elt.GetTableLikeClause() != nil {
			t.complete = false
		}
	}
	r.report(ruleTableAdded, key, key, nil, nil, "table %s is added", key)
}

func (r *replayer) createTableAs(cs *pg_query.CreateTableAsStmt) {
	key := rangeKey(cs.GetInto().GetRel())
	if cs.GetObjtype() == pg_query.ObjectType_OBJECT_MATVIEW {
		r.addView(key, true, false)
		return
	}
	if _, exists := r.cat.tables[key]; exists && cs.GetIfNotExists() {
		return
	}
	r.cat.tables[key] = &table{object: object{key: key, created: r.emit, pos: r.pos()}, byName: map[string]*column{}, cons: map[string]*constraint{}}
	r.report(ruleTableAdded, key, key, nil, nil, "table %s is added", key)
}

func (r *replayer) dropTable(key string, missingOK bool) {
	t, ok := r.cat.tables[key]
	if !ok && missingOK {
		return
	}
	if !ok {
		t = r.cat.table(key)
	}
	delete(r.cat.tables, key)
	for name, ix := range r.cat.indexes {
		if ix.table == key {
			delete(r.cat.indexes, name)
		}
	}
	if t.created {
		r.netOut(key)
		return
	}
	r.lock(key, opDropTable)
	switch {
	case t.replacedBy != "" && r.cat.tables[t.replacedBy] != nil:
		r.report(ruleReplacedTableDropped, key, "", t.pos, nil, "table %s is dropped after a released migration filled its replacement %s", key, t.replacedBy)
	case t.deprecated != nil:
		r.report(ruleReplacedTableDropped, key, "", t.pos, nil, "table %s is dropped after a released migration marked it deprecated (COMMENT %s)", key, quoteLiteral(shorten(t.deprecated.text)))
	default:
		r.report(ruleTableDropped, key, "", t.pos, adviceDropTable, "table %s is dropped while the released application still uses it", key)
	}
}

func (r *replayer) renameTable(from, to string) {
	t, ok := r.cat.tables[from]
	if !ok {
		t = r.cat.table(from)
	}
	delete(r.cat.tables, from)
	created := t.created
	t.key = to
	r.cat.tables[to] = t
	for _, ix := range r.cat.indexes {
		if ix.table == from {
			ix.table = to
		}
	}
	if created {
		return
	}
	r.lock(from, opRename)
	r.report(ruleTableRenamed, from, "", t.pos, adviceRenameTable, "table %s is renamed to %s while the released application still uses the old name", from, to)
}

// insert notices table backfills in released migrations: INSERT INTO new SELECT ... FROM
// old makes new the replacement of old, the expand step of expand–contract, when it
// copies old's rows whole: the SELECT reads old alone and selects * or every column old
// is known to have. An INSERT that copies a few columns (the ids an index table such as
// Lemmy's modlog_combined collects from a dozen tables) replaces nothing.
func (r *replayer) insert(is *pg_query.InsertStmt) {
	r.checkTargets(is.GetCols(), "INSERT")
	if r.subject == "" {
		r.subject = rangeKey(is.GetRelation())
	}
	sel := is.GetSelectStmt().GetSelectStmt()
	if r.emit || sel == nil || len(sel.GetFromClause()) != 1 || sel.GetFromClause()[0].GetRangeVar() == nil {
		return
	}
	target := rangeKey(is.GetRelation())
	if _, ok := r.cat.tables[target]; !ok {
		return
	}
	src, ok := r.cat.tables[rangeKey(sel.GetFromClause()[0].GetRangeVar())]
	if !ok || src.key == target || !copiesAllColumns(sel, src) {
		return
	}
	src.replacedBy = target
}

// copiesAllColumns reports whether a SELECT from src selects * or names every column
// src is known to have.
func copiesAllColumns(sel *pg_query.SelectStmt, src *table) bool {
	named := map[string]bool{}
	for _, n := range sel.GetTargetList() {
		walk(n.GetResTarget().GetVal(), func(m protoreflect.Message) bool {
			if cr, ok := m.Interface().(*pg_query.ColumnRef); ok {
				fields := cr.GetFields()
				if len(fields) > 0 && fields[len(fields)-1].GetAStar() != nil {
					named["*"] = true
				} else if len(fields) > 0 {
					named[fields[len(fields)-1].GetString_().GetSval()] = true
				}
			}
			return true
		})
	}
	if named["*"] {
		return true
	}
	if !src.complete || len(src.cols) == 0 {
		return false
	}
	for _, c := range src.cols {
		if !named[c.name] {
			return false
		}
	}
	return true
}
