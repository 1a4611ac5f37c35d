package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleDatabaseDropped = compat.Register(compat.Rule{
	ID: "DATABASE_DROPPED", Kind: compat.KindSQL,
	Title: "A database is dropped",
	Why: "A migration that drops a database removes every table the released application may use in it; " +
		"compatcheck models one database and cannot tell which one the application uses, so B is answered " +
		"no. PostgreSQL also refuses DROP DATABASE inside a transaction block.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "DROP DATABASE reporting;",
	Safe: "Drop databases by hand, outside the application's migrations, once no released version connects to them.",
})

var adviceDropDatabase = []string{
	"release application code that no longer connects to the database",
	"drop the database by hand, outside the migrations, once no running or rollback version uses it",
}

// dropDatabase reports DROP DATABASE, which no migration of an application should run
// and which PostgreSQL refuses inside a transaction block.
func (r *replayer) dropDatabase(d *pg_query.DropdbStmt) {
	if d.GetMissingOk() && !r.emit {
		return
	}
	p := r.report(ruleDatabaseDropped, d.GetDbname(), "", nil, adviceDropDatabase,
		"database %s is dropped with every table in it", d.GetDbname())
	if r.inTx {
		r.refused(p, hazardNotInTransaction, "", adviceOutsideTransaction,
			"DROP DATABASE cannot run inside a transaction block, and this statement runs inside one (%s)", r.txReason())
	}
}
