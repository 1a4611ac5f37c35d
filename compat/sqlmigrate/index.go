package sqlmigrate

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleIndexAdded = compat.Register(compat.Rule{
	ID: "INDEX_ADDED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A non-unique index is added to an existing table",
	Why:   "An index changes no row the application can write or read, so B and F hold; how it is built is a hazard, not a class.",
	Old:   "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);",
	New:   "CREATE INDEX CONCURRENTLY orders_user_idx ON orders (user_id);",
	Safe:  "Nothing to sequence; build it CONCURRENTLY outside a transaction.",
})

var ruleIndexDropped = compat.Register(compat.Rule{
	ID: "INDEX_DROPPED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A non-unique index is dropped",
	Why: "An index changes no row the application can write or read, so B and F hold; the released " +
		"application's queries may get slower.",
	Old:  "CREATE INDEX orders_user_idx ON orders (user_id);",
	New:  "DROP INDEX CONCURRENTLY orders_user_idx;",
	Safe: "Check that no released query needs the index, then drop it CONCURRENTLY outside a transaction.",
})

// indexName is the name PostgreSQL gives an unnamed index: table_col_idx, unique or
// not (only UNIQUE constraints get _key). Collisions add digits, which are not
// reproduced.
func indexName(relname string, is *pg_query.IndexStmt) string {
	cols := []string{}
	for _, p := range is.GetIndexParams() {
		if ie := p.GetIndexElem(); ie != nil {
			if ie.GetName() != "" {
				cols = append(cols, ie.GetName())
			} else {
				cols = append(cols, "expr")
			}
		}
	}
	return strings.Join(append(append([]string{relname}, cols...), "idx"), "_")
}

// notInTransaction reports a statement PostgreSQL refuses inside a transaction block.
func (r *replayer) notInTransaction(what string) {
	if !r.inTx {
		return
	}
	r.refused(nil, hazardNotInTransaction, "", adviceOutsideTransaction,
		"%s cannot run inside a transaction block, and this statement runs inside one (%s)", what, r.txReason())
}

// txReason says why the current statement is inside a transaction.
func (r *replayer) txReason() string {
	if r.doDepth > 0 {
		return "inside a DO block, whose statements run inside the DO statement's transaction"
	}
	if r.explicitTx {
		return "after an explicit BEGIN"
	}
	return r.m.txNote
}

func (r *replayer) createIndex(is *pg_query.IndexStmt) {
	rel := is.GetRelation()
	tkey := rangeKey(rel)
	name := is.GetIdxname()
	if name == "" {
		name = indexName(rel.GetRelname(), is)
	}
	key := qualify(rel.GetSchemaname(), name)
	if _, exists := r.cat.indexes[key]; exists && is.GetIfNotExists() {
		return
	}
	r.cat.indexes[key] = &index{object: object{key: key, created: r.emit, pos: r.pos()}, table: tkey, unique: is.GetUnique()}
	if is.GetConcurrent() {
		r.notInTransaction("CREATE INDEX CONCURRENTLY")
		if pt, ok := r.cat.tables[tkey]; ok && pt.partitioned {
			r.refused(nil, hazardRefused, "", []string{"CREATE INDEX ON ONLY the partitioned table (an invalid index, built instantly)", "CREATE INDEX CONCURRENTLY on each partition, then ALTER INDEX ... ATTACH PARTITION each one"},
				"CREATE INDEX CONCURRENTLY cannot build an index on partitioned table %s, so PostgreSQL refuses the statement", tkey)
		}
	}
	if r.subject == "" {
		r.subject = tkey
	}
	if v, ok := r.cat.views[tkey]; ok {
		// An index on a materialized view restricts no writer (the application does not
		// write a view); building it blocks REFRESH, not reads.
		if !v.created {
			p := r.report(ruleIndexAdded, key, colKey(tkey, "#"+key), nil, nil, "index %s is added on materialized view %s", key, tkey)
			if !is.GetConcurrent() {
				r.hazard(p, hazardIndexWithoutConcurrently, opCreateIndex, adviceConcurrentIndex,
					"CREATE INDEX without CONCURRENTLY blocks REFRESH MATERIALIZED VIEW %s for the whole build", tkey)
			}
		}
		return
	}
	t := r.cat.table(tkey)
	if t.created {
		return
	}
	var p *pending
	if is.GetUnique() {
		subject := tkey
		if cols := stringList(is.GetIndexParams()); len(cols) == 1 {
			subject = colSubject(tkey, cols[0])
		}
		p = r.report(ruleUniqueAdded, subject, colKey(tkey, "#"+key), nil, adviceConstraintAdded,
			"unique index %s is added; released writers of duplicate values now fail", key)
	} else {
		p = r.report(ruleIndexAdded, key, colKey(tkey, "#"+key), nil, nil, "index %s is added on %s", key, tkey)
	}
	if is.GetConcurrent() {
		r.lock(tkey, opCreateIndexConcurrently)
		return
	}
	r.lock(tkey, opCreateIndex)
	r.hazard(p, hazardIndexWithoutConcurrently, opCreateIndex, adviceConcurrentIndex,
		"CREATE INDEX without CONCURRENTLY blocks writes to %s for the whole build", tkey)
}

func (r *replayer) dropIndex(key string, ds *pg_query.DropStmt) {
	ix, ok := r.cat.indexes[key]
	if !ok && ds.GetMissingOk() {
		return
	}
	delete(r.cat.indexes, key)
	if ds.GetConcurrent() {
		r.notInTransaction("DROP INDEX CONCURRENTLY")
	}
	if ok {
		if r.subject == "" {
			r.subject = ix.table
		}
		if t, known := r.cat.tables[ix.table]; known && t.created {
			return
		}
		if ix.created {
			r.netOut(colKey(ix.table, "#"+key))
			return
		}
		if ds.GetConcurrent() {
			r.lock(ix.table, opDropIndexConcurrently)
		} else {
			r.lock(ix.table, opDropIndex)
		}
	}
	var pos *compat.Position
	if ok {
		pos = ix.pos
	}
	var p *pending
	if ok && ix.unique {
		p = r.report(ruleConstraintDropped, key, "", pos, adviceConstraintDropped,
			"unique index %s is dropped; old readers may meet duplicates it used to exclude", key)
	} else {
		p = r.report(ruleIndexDropped, key, "", pos, nil, "index %s is dropped", key)
	}
	if ok && !ds.GetConcurrent() {
		r.hazard(p, hazardDropIndex, opDropIndex, adviceDropIndex,
			"DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on %s, blocking every query on it until the index is gone", ix.table)
	}
}

var hazardDropIndex = compat.Register(compat.Rule{
	ID: "INDEX_DROPPED_WITHOUT_CONCURRENTLY", Kind: compat.KindSQL, Hazard: true,
	Title: "An index of an existing table is dropped without CONCURRENTLY",
	Why: "A plain DROP INDEX takes ACCESS EXCLUSIVE on the table: it is quick once granted, but while it " +
		"waits for running queries every later query on the table queues behind it.",
	Old:  "CREATE INDEX orders_user_idx ON orders (user_id);",
	New:  "DROP INDEX orders_user_idx;",
	Safe: "DROP INDEX CONCURRENTLY, one index per statement, in a migration of its own outside a transaction.",
})

var adviceDropIndex = []string{
	"drop the index with DROP INDEX CONCURRENTLY (one index, no CASCADE)",
	"run it in a migration of its own, outside a transaction",
}
