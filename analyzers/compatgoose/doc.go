// Package compatgoose defines an Analyzer that classifies the SQL of goose migrations
// written in Go.
//
// # Analyzer compatgoose
//
// compatgoose: classify the constant SQL of goose Go migrations with compat/sqlmigrate
//
// goose (github.com/pressly/goose) runs migrations written in Go beside .sql ones:
// functions registered with AddMigrationContext, AddMigrationNoTxContext, their Named
// and older non-Context variants, or NewGoMigration. The SQL such a function executes is
// invisible to `compatcheck`, which reads .sql files. compatgoose finds the constant SQL
// passed to Exec and ExecContext in the up function and classifies it with
// compat/sqlmigrate, as the migration goose would run at its version: the package's
// .sql migrations and its other Go migrations of lower versions are the schema it runs
// against, and the migration runs in a transaction unless it is registered as NoTx (or
// with RunDB).
//
// Each finding that is read-tolerant or breaking is reported at the SQL string with its
// rule, class, answers and safe sequence of releases; each lock or rewrite hazard (for
// -pg-version, default 16) is reported beside it. A statement PostgreSQL refuses inside
// a transaction, such as CREATE INDEX CONCURRENTLY, in a migration goose runs in one is
// reported as STATEMENT_NOT_ALLOWED_IN_TRANSACTION, with a suggested fix that registers
// the migration with the no-transaction variant (AddMigrationNoTxContext, or RunDB for
// NewGoMigration) and changes its functions' *sql.Tx parameters to *sql.DB, when they
// use no method that *sql.DB lacks.
//
// SQL that is not a constant is not classified.
package compatgoose
