package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

// Transactions: a migration runs inside the runner's transaction, its own BEGIN ...
// COMMIT, or none. The replayer follows them to decide which statements PostgreSQL
// refuses (see notInTransaction), and reports the two mistakes that make a migration run
// other than as written.

var hazardTransactionNested = compat.Register(compat.Rule{
	ID: "TRANSACTION_NESTED_IN_RUNNER", Kind: compat.KindSQL, Hazard: true,
	Title: "A migration opens a transaction inside the one its runner already opened",
	Why: "PostgreSQL only warns about the second BEGIN, but the migration's COMMIT then ends the runner's " +
		"transaction early: what follows runs outside any transaction, so a failure leaves the migration " +
		"half applied, and the runner's own COMMIT finds no transaction.",
	Old:  "-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "-- +goose Up\nBEGIN;\nALTER TABLE users ADD COLUMN email text;\nCOMMIT;",
	Safe: "Leave transaction control to the runner: remove BEGIN and COMMIT, or mark the migration to run outside a transaction (goose: -- +goose NO TRANSACTION; dbmate: transaction:false; Atlas: -- atlas:txmode none; diesel: run_in_transaction = false).",
})

var hazardTransactionOpen = compat.Register(compat.Rule{
	ID: "TRANSACTION_LEFT_OPEN", Kind: compat.KindSQL, Hazard: true,
	Title: "A migration begins a transaction it never commits",
	Why: "What happens to the statements after the BEGIN depends on the runner: psql and most runners roll " +
		"them back when the session ends, so the migration is recorded as applied while its changes are " +
		"gone; others commit them with whatever runs next.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "BEGIN;\nALTER TABLE users ADD COLUMN email text;",
	Safe: "End every BEGIN with COMMIT in the same migration.",
})

var hazardTruncate = compat.Register(compat.Rule{
	ID: "TABLE_TRUNCATED", Kind: compat.KindSQL, Hazard: true,
	Title: "TRUNCATE empties a table the released application uses",
	Why: "TRUNCATE takes ACCESS EXCLUSIVE and removes every row at once; with CASCADE it also empties every " +
		"table with a foreign key to it. The shape of the tables does not change, so there is no class, but " +
		"the running application loses their data.",
	Old:  "CREATE TABLE sessions (id bigint PRIMARY KEY);\nCREATE TABLE session_events (session_id bigint REFERENCES sessions);",
	New:  "TRUNCATE sessions CASCADE;",
	Safe: "Delete what must go in batches (DELETE ... WHERE ...), naming each table, instead of TRUNCATE ... CASCADE.",
})

var adviceTransactionNested = []string{
	"remove BEGIN and COMMIT and let the runner's transaction hold the migration",
	"or mark the migration to run outside a transaction and keep BEGIN ... COMMIT",
}

func (r *replayer) transaction(t *pg_query.TransactionStmt) {
	switch t.GetKind() {
	case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN, pg_query.TransactionStmtKind_TRANS_STMT_START:
		if r.emit && r.m.inTx && r.m.tx != txImplicitMulti && !r.explicitTx && r.doDepth == 0 {
			r.subject = r.m.file
			r.hazard(nil, hazardTransactionNested, "", adviceTransactionNested,
				"BEGIN opens a transaction inside the one the runner already opened (%s); the COMMIT that follows ends the runner's transaction early", r.m.txNote)
		}
		if !r.explicitTx {
			r.txCounter++
			r.explicitID = r.txCounter
			r.beginAt = r.s
		}
		r.explicitTx = true
	case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK,
		pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
		r.explicitTx = false
		r.beginAt = nil
	}
}

// endMigration reports a BEGIN the migration never committed.
func (r *replayer) endMigration() {
	if !r.emit || !r.explicitTx || r.beginAt == nil {
		return
	}
	outer := r.s
	r.s = r.beginAt
	r.stmtState = stmtState{stmtStart: len(r.findings), subject: r.m.file}
	r.hazard(nil, hazardTransactionOpen, "", []string{"end the transaction with COMMIT in the same migration"},
		"BEGIN opens a transaction that is still open at the end of %s", r.m.file)
	r.finishStatement()
	r.s = outer
}

// txID identifies the transaction the current statement runs in, or is -1 when it runs
// on its own.
func (r *replayer) txID() int {
	switch {
	case !r.inTx:
		return -1
	case r.explicitTx:
		return r.explicitID
	}
	return r.migrationTx
}

// truncate handles TRUNCATE.
func (r *replayer) truncate(ts *pg_query.TruncateStmt) {
	cascade := ts.GetBehavior() == pg_query.DropBehavior_DROP_CASCADE
	for _, n := range ts.GetRelations() {
		key := rangeKey(n.GetRangeVar())
		if r.subject == "" {
			r.subject = key
		}
		if !r.existing(key) {
			continue
		}
		r.lock(key, opTruncate)
		what := "every row of " + key
		if cascade {
			if refs := r.referencing(key); len(refs) > 0 {
				what += " and, through CASCADE, of " + joinComma(refs)
			}
		}
		r.hazard(nil, hazardTruncate, opTruncate, []string{"delete the rows that must go in batches, naming each table, instead of TRUNCATE"},
			"TRUNCATE removes %s under ACCESS EXCLUSIVE while the released application uses them", what)
	}
}

// referencing lists the existing tables with a foreign key to key, in name order.
func (r *replayer) referencing(key string) []string {
	var out []string
	for _, tk := range sortedKeys(r.cat.tables) {
		t := r.cat.tables[tk]
		if t.created || tk == key {
			continue
		}
		for _, con := range t.cons {
			if con.kind == conForeign && con.ref == key {
				out = append(out, tk)
				break
			}
		}
	}
	return out
}
