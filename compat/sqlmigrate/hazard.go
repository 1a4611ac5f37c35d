package sqlmigrate

import "github.com/compatcheck/compatcheck/compat"

// Hazards are operational risks of running a statement on a live database: the lock it
// holds and whether it rewrites or scans the table while holding it. They depend on the
// PostgreSQL version (Options.PGVersion) and are reported beside the class of the change
// that carries them.

var hazardIndexWithoutConcurrently = compat.Register(compat.Rule{
	ID: "INDEX_BUILT_WITHOUT_CONCURRENTLY", Kind: compat.KindSQL, Hazard: true,
	Title: "An index is built on an existing table without CONCURRENTLY",
	Why: "A plain CREATE INDEX holds a SHARE lock for the whole build, so every INSERT, UPDATE and DELETE " +
		"of the running application waits until the index is built; ADD UNIQUE or PRIMARY KEY builds its " +
		"index under ACCESS EXCLUSIVE, which blocks reads too.",
	Old:  "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);",
	New:  "CREATE INDEX orders_customer_idx ON orders (customer_id);",
	Safe: "Run CREATE INDEX CONCURRENTLY in a migration of its own, outside a transaction; for a constraint, build the unique index CONCURRENTLY first and then ADD CONSTRAINT ... USING INDEX.",
})

var hazardNotInTransaction = compat.Register(compat.Rule{
	ID: "STATEMENT_NOT_ALLOWED_IN_TRANSACTION", Kind: compat.KindSQL, Hazard: true,
	Title: "A CONCURRENTLY statement, VACUUM or a database-level command runs inside a transaction",
	Why: "PostgreSQL refuses CREATE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, " +
		"DETACH PARTITION CONCURRENTLY, VACUUM, CREATE and DROP DATABASE, CREATE and DROP TABLESPACE and " +
		"ALTER SYSTEM inside a transaction block (explicit BEGIN, the runner's wrapping transaction, a " +
		"multi-statement query or a DO block), so the migration fails when it is applied; the finding " +
		"that carries the hazard fails the run whatever --fail-on says.",
	Old:  "-- +goose Up\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);",
	New:  "-- +goose Up\nCREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);",
	Safe: "Put the statement alone in a migration that runs outside a transaction (goose: -- +goose NO TRANSACTION; dbmate: transaction:false; golang-migrate: a file with only that statement).",
})

var hazardRefused = compat.Register(compat.Rule{
	ID: "STATEMENT_REFUSED_BY_SERVER", Kind: compat.KindSQL, Hazard: true,
	Title: "PostgreSQL refuses the statement as written",
	Scope: "depends on the PostgreSQL version for statements that do not exist in it yet",
	Why: "The server rejects the statement whatever the data (a column assigned twice in one UPDATE or " +
		"INSERT, DROP INDEX CONCURRENTLY of several indexes or with CASCADE, a CONCURRENTLY form the " +
		"targeted PostgreSQL version does not have), so the migration fails when it is applied. The " +
		"finding that carries the hazard fails the run whatever --fail-on says.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, name text);",
	New:  "UPDATE users SET name = 'a', name = 'b';",
	Safe: "Rewrite the statement in a form the targeted PostgreSQL version accepts (one assignment per column, one index per DROP INDEX CONCURRENTLY, no CASCADE).",
})

var hazardConstraintValidated = compat.Register(compat.Rule{
	ID: "CONSTRAINT_VALIDATED_UNDER_LOCK", Kind: compat.KindSQL, Hazard: true,
	Title: "A CHECK, FOREIGN KEY or domain constraint is added without NOT VALID",
	Why: "Adding the constraint checks every existing row while holding the lock (ACCESS EXCLUSIVE for " +
		"CHECK, SHARE ROW EXCLUSIVE on both tables for FOREIGN KEY, SHARE on every table that uses the " +
		"domain for ALTER DOMAIN ... ADD CONSTRAINT), blocking the running application's writes (and, for " +
		"CHECK, reads) for the whole scan.",
	Old:  "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
	New:  "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);",
	Safe: "Add the constraint NOT VALID (new rows are checked at once, briefly locked), then VALIDATE CONSTRAINT in a later migration, which scans under SHARE UPDATE EXCLUSIVE and lets reads and writes continue.",
})

var hazardNotNullScan = compat.Register(compat.Rule{
	ID: "NOT_NULL_SCANS_TABLE", Kind: compat.KindSQL, Hazard: true,
	Title: "SET NOT NULL scans the table under ACCESS EXCLUSIVE",
	Scope: "PostgreSQL 11 always scans; 12 and later skip the scan when a validated CHECK (col IS NOT NULL) exists",
	Why: "PostgreSQL reads every row to prove there is no NULL while holding ACCESS EXCLUSIVE, so the " +
		"table is unreadable and unwritable for the whole scan.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
	New:  "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
	Safe: "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT in a later migration; then SET NOT NULL (no scan on PostgreSQL 12 and later) and drop the CHECK.",
})

var hazardTypeRewrite = compat.Register(compat.Rule{
	ID: "TYPE_CHANGE_REWRITES_TABLE", Kind: compat.KindSQL, Hazard: true,
	Title: "A column type change rewrites the table",
	Why: "A type change that is not binary-coercible copies every row and rebuilds every index while " +
		"holding ACCESS EXCLUSIVE, so the table is unavailable for the whole rewrite.",
	Old:  "CREATE TABLE events (id int PRIMARY KEY);",
	New:  "ALTER TABLE events ALTER COLUMN id TYPE bigint;",
	Safe: "Add a new column of the new type, fill it with a trigger and batched backfill, switch reads, then drop the old column in a later release.",
})

var hazardVolatileDefault = compat.Register(compat.Rule{
	ID: "VOLATILE_DEFAULT_REWRITES_TABLE", Kind: compat.KindSQL, Hazard: true,
	Title: "A column is added with a volatile default, rewriting the table",
	Scope: "PostgreSQL 10 rewrites the table for any non-null default; 11 and later only for volatile ones",
	Why: "Since PostgreSQL 11 a constant or stable default is stored in the catalog, but a volatile one " +
		"(random(), gen_random_uuid(), nextval() of a serial or identity column, a stored generated column) " +
		"is computed for every row: the table is rewritten under ACCESS EXCLUSIVE. Before 11, every " +
		"non-null default is written into every row the same way.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
	Safe: "Add the column without a default (or with a constant one), SET DEFAULT for new rows, and backfill existing rows in batches.",
})

var hazardNoLockTimeout = compat.Register(compat.Rule{
	ID: "ACCESS_EXCLUSIVE_WITHOUT_LOCK_TIMEOUT", Kind: compat.KindSQL, Hazard: true,
	Title: "ACCESS EXCLUSIVE is requested on an existing table with no lock_timeout set",
	Why: "While the statement waits for its lock behind a long-running query, every later query on the " +
		"table queues behind it, so even a metadata-only change can stall the application; lock_timeout " +
		"makes the migration fail fast instead.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY);",
	New:  "ALTER TABLE users ADD COLUMN nickname text;",
	Safe: "SET lock_timeout = '5s' (or SET LOCAL inside the transaction) at the start of the migration, and retry the migration when it times out.",
})

var hazardMaintenanceRewrite = compat.Register(compat.Rule{
	ID: "TABLE_REWRITTEN_BY_MAINTENANCE", Kind: compat.KindSQL, Hazard: true,
	Title: "VACUUM FULL or CLUSTER rewrites the table",
	Why: "Both copy the whole table into a new file while holding ACCESS EXCLUSIVE, so the table is " +
		"unavailable to the running application until they finish.",
	Old:  "CREATE TABLE events (id bigint PRIMARY KEY);",
	New:  "VACUUM FULL events;",
	Safe: "Run plain VACUUM, or an online tool such as pg_repack, outside the migrations, at a quiet time.",
})

var hazardReindex = compat.Register(compat.Rule{
	ID: "REINDEX_WITHOUT_CONCURRENTLY", Kind: compat.KindSQL, Hazard: true,
	Title: "REINDEX runs without CONCURRENTLY",
	Scope: "REINDEX CONCURRENTLY exists from PostgreSQL 12",
	Why:   "A plain REINDEX blocks writes to the table and reads that use the index while it rebuilds.",
	Old:   "CREATE TABLE events (id bigint PRIMARY KEY);",
	New:   "REINDEX TABLE events;",
	Safe:  "On PostgreSQL 12 and later use REINDEX CONCURRENTLY outside a transaction; before 12, CREATE INDEX CONCURRENTLY a copy, drop the old index and rename the copy.",
})

var hazardEnumInTransaction = compat.Register(compat.Rule{
	ID: "ENUM_LABEL_ADDED_IN_TRANSACTION", Kind: compat.KindSQL, Hazard: true,
	Title: "ALTER TYPE ... ADD VALUE runs inside a transaction before PostgreSQL 12",
	Scope: "PostgreSQL 11",
	Why:   "Before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run inside a transaction block, so the migration fails; the finding that carries the hazard fails the run whatever --fail-on says.",
	Old:   "CREATE TYPE status AS ENUM ('new', 'paid');",
	New:   "ALTER TYPE status ADD VALUE 'refunded';",
	Safe:  "Put ADD VALUE alone in a migration that runs outside a transaction, or target PostgreSQL 12 or later.",
})

// Carriers: a hazard is reported inside a finding, so a statement that changes no
// schema but carries a hazard needs an additive finding of its own.

var ruleMaintenanceRun = compat.Register(compat.Rule{
	ID: "TABLE_MAINTENANCE_RUN", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A statement without a schema change runs on an existing table",
	Why: "VACUUM, CLUSTER, REINDEX, and ALTER TABLE statements that only touch what the same change set " +
		"added, change no column, type or constraint the released application uses, so both B and F hold; " +
		"the finding exists to carry the statement's hazards (locks, rewrites, scans).",
	Old:  "CREATE TABLE events (id bigint PRIMARY KEY);",
	New:  "VACUUM FULL events;",
	Safe: "Nothing to sequence; see the hazards it carries.",
})

// Advice for the hazards, one step per element.
var (
	adviceConcurrentIndex = []string{
		"create the index with CREATE INDEX CONCURRENTLY",
		"run it in a migration of its own, outside a transaction",
		"if it fails, drop the INVALID index it leaves behind and retry",
	}
	adviceUniqueUsingIndex = []string{
		"CREATE UNIQUE INDEX CONCURRENTLY on the columns, in a migration outside a transaction",
		"ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX, which only takes a brief lock",
	}
	adviceOutsideTransaction = []string{
		"move the statement into a migration of its own",
		"mark that migration to run outside a transaction (goose: -- +goose NO TRANSACTION; dbmate: -- migrate:up transaction:false; golang-migrate: only that statement in the file; plain files: no BEGIN)",
	}
	adviceNotValid = []string{
		"add the constraint with NOT VALID, so only new rows are checked",
		"VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes continue)",
	}
	adviceNotNull = []string{
		"ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID",
		"VALIDATE CONSTRAINT in a later migration",
		"SET NOT NULL, which PostgreSQL 12 and later prove from the CHECK without a scan",
		"DROP the CHECK constraint",
	}
	adviceTypeRewrite = []string{
		"add a new column of the new type",
		"write both columns (trigger or application dual-write) and backfill the new one in batches",
		"switch reads to the new column",
		"drop the old column in a later release",
	}
	adviceVolatileDefault = []string{
		"add the column without a default, or with a constant one",
		"SET DEFAULT to the volatile expression for new rows",
		"backfill existing rows in batches",
	}
	adviceLockTimeout = []string{
		"SET lock_timeout (for example '5s') at the start of the migration",
		"retry the migration when the lock is not granted in time",
	}
	adviceMaintenance = []string{
		"do not run table rewrites from migrations",
		"use plain VACUUM, or pg_repack, at a quiet time",
	}
)
