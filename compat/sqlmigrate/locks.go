package sqlmigrate

// lockOp names one way a statement touches an existing table, as far as locking and
// rewriting go. Statements map onto these operations in the handlers; the table below
// says what each one does.
type lockOp string

// The operations of the lock table.
const (
	opCreateIndex                 lockOp = "CREATE INDEX"
	opCreateIndexConcurrently     lockOp = "CREATE INDEX CONCURRENTLY"
	opDropIndex                   lockOp = "DROP INDEX"
	opDropIndexConcurrently       lockOp = "DROP INDEX CONCURRENTLY"
	opAddColumn                   lockOp = "ADD COLUMN"
	opAddColumnVolatile           lockOp = "ADD COLUMN with a volatile default"
	opAddColumnDefaultBefore11    lockOp = "ADD COLUMN with a default, before PostgreSQL 11"
	opDropColumn                  lockOp = "DROP COLUMN"
	opAlterTypeRewrite            lockOp = "ALTER COLUMN TYPE (rewriting)"
	opAlterTypeCoercible          lockOp = "ALTER COLUMN TYPE (binary-coercible)"
	opSetNotNull                  lockOp = "SET NOT NULL"
	opSetNotNullChecked           lockOp = "SET NOT NULL with a validated CHECK"
	opDropNotNull                 lockOp = "DROP NOT NULL"
	opSetDefault                  lockOp = "SET DEFAULT"
	opAddCheck                    lockOp = "ADD CHECK"
	opAddCheckNotValid            lockOp = "ADD CHECK NOT VALID"
	opAddForeignKey               lockOp = "ADD FOREIGN KEY"
	opAddForeignKeyNotValid       lockOp = "ADD FOREIGN KEY NOT VALID"
	opAddUnique                   lockOp = "ADD UNIQUE or PRIMARY KEY"
	opAddConstraintUsingIndex     lockOp = "ADD CONSTRAINT USING INDEX"
	opValidateConstraint          lockOp = "VALIDATE CONSTRAINT"
	opDropConstraint              lockOp = "DROP CONSTRAINT"
	opRename                      lockOp = "RENAME"
	opDropTable                   lockOp = "DROP TABLE"
	opVacuumFull                  lockOp = "VACUUM FULL"
	opCluster                     lockOp = "CLUSTER"
	opReindex                     lockOp = "REINDEX"
	opReindexConcurrently         lockOp = "REINDEX CONCURRENTLY"
	opAttachPartition             lockOp = "ATTACH PARTITION (partitioned table)"
	opAttachPartitionBefore12     lockOp = "ATTACH PARTITION before PostgreSQL 12 (partitioned table)"
	opAttachPartitionScan         lockOp = "ATTACH PARTITION (attached table)"
	opDetachPartition             lockOp = "DETACH PARTITION"
	opDetachPartitionConcurrently lockOp = "DETACH PARTITION CONCURRENTLY"
	opCreatePartition             lockOp = "CREATE TABLE ... PARTITION OF (partitioned table)"
	opTruncate                    lockOp = "TRUNCATE"
	// Operations on a domain lock every table with a column of the domain.
	opAlterDomainAddConstraint lockOp = "ALTER DOMAIN ADD CONSTRAINT (each table using it)"
	opValidateDomainConstraint lockOp = "ALTER DOMAIN VALIDATE CONSTRAINT (each table using it)"
)

// Lock modes, spelled as the PostgreSQL documentation names them.
const (
	lockAccessExclusive      = "ACCESS EXCLUSIVE"
	lockShare                = "SHARE"
	lockShareRowExclusive    = "SHARE ROW EXCLUSIVE"
	lockShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE"
)

// lockRow is what one operation does to the table it works on.
type lockRow struct {
	op lockOp
	// lock is the strongest lock mode taken on the table's relation.
	lock string
	// rewrites: the table gets a new file (relfilenode) with every row copied.
	rewrites bool
	// newFile: the table gets a new, empty file without a copy (TRUNCATE).
	newFile bool
	// scans: the whole table is read while the lock is held (every rewrite reads it).
	scans bool
	// minPG and maxPG bound the major versions with this behaviour (0: no bound).
	minPG, maxPG int
	// rel is the table of the fixture whose lock the sample is checked on ("t" when empty).
	rel string
	// sample is a statement showing the operation on the verification fixture (see
	// locks_pg_test.go): tables "t" (id int primary key, a int, v varchar(10), n numeric(8,2))
	// and "p" (id int primary key), populated; t also has w int NOT NULL, an index t_v_idx
	// on v and a NOT VALID CHECK t_n_check.
	sample string
	// setup prepares the fixture for sample, committed before sample runs.
	setup string
}

// lockTable is the data behind every hazard, with the PostgreSQL documentation as its
// source; locks_pg_test.go replays each sample on a real server and checks the lock mode
// in pg_locks and whether pg_class.relfilenode changed.
var lockTable = []lockRow{
	// https://www.postgresql.org/docs/current/sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY
	// ("a standard index build locks out writes (but not reads)": SHARE).
	{op: opCreateIndex, lock: lockShare, scans: true, sample: "CREATE INDEX t_a_idx ON t (a)"},
	// sql-createindex.html#SQL-CREATEINDEX-CONCURRENTLY; explicit-locking.html lists
	// CREATE INDEX CONCURRENTLY under SHARE UPDATE EXCLUSIVE. Cannot run in a transaction,
	// so it has no sample.
	{op: opCreateIndexConcurrently, lock: lockShareUpdateExclusive, scans: true},
	// https://www.postgresql.org/docs/current/sql-dropindex.html ("acquires exclusive
	// lock on the table"); explicit-locking.html: DROP INDEX takes ACCESS EXCLUSIVE.
	{op: opDropIndex, lock: lockAccessExclusive, sample: "DROP INDEX t_v_idx"},
	// sql-dropindex.html, CONCURRENTLY: SHARE UPDATE EXCLUSIVE; no transaction, no sample.
	{op: opDropIndexConcurrently, lock: lockShareUpdateExclusive},
	// https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
	// ("An ACCESS EXCLUSIVE lock is acquired unless explicitly noted"; "Adding a column
	// with a volatile DEFAULT ... will require the entire table and its indexes to be
	// rewritten"; non-volatile defaults are stored in the catalog since PostgreSQL 11).
	{op: opAddColumn, lock: lockAccessExclusive, sample: "ALTER TABLE t ADD COLUMN c int DEFAULT 7"},
	{op: opAddColumnVolatile, lock: lockAccessExclusive, rewrites: true, scans: true, sample: "ALTER TABLE t ADD COLUMN c float8 DEFAULT random()"},
	// Before PostgreSQL 11 (release notes of 11: "Allow ALTER TABLE to add a column with
	// a non-null default without doing a table rewrite") every default rewrote the table.
	{op: opAddColumnDefaultBefore11, lock: lockAccessExclusive, rewrites: true, scans: true, maxPG: 10},
	// sql-altertable.html, DROP COLUMN: "does not physically remove the column"; no rewrite.
	{op: opDropColumn, lock: lockAccessExclusive, sample: "ALTER TABLE t DROP COLUMN a"},
	// sql-altertable.html#SQL-ALTERTABLE-NOTES: "changing the type of an existing column
	// will require the entire table and its indexes to be rewritten", except when the old
	// type is binary coercible to the new one (varchar(n) → varchar(m > n) or text;
	// numeric precision up with the same scale).
	{op: opAlterTypeRewrite, lock: lockAccessExclusive, rewrites: true, scans: true, sample: "ALTER TABLE t ALTER COLUMN a TYPE bigint"},
	{op: opAlterTypeCoercible, lock: lockAccessExclusive, sample: "ALTER TABLE t ALTER COLUMN v TYPE varchar(20)"},
	// sql-altertable.html, SET/DROP NOT NULL: "SET NOT NULL may only be applied to a
	// column provided none of the records in the table contain a NULL value ... this
	// requires a full table scan", skipped since PostgreSQL 12 "if a valid CHECK
	// constraint is found which proves no NULL can exist".
	{op: opSetNotNull, lock: lockAccessExclusive, scans: true, sample: "ALTER TABLE t ALTER COLUMN a SET NOT NULL"},
	{op: opSetNotNullChecked, lock: lockAccessExclusive, minPG: 12, setup: "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL)", sample: "ALTER TABLE t ALTER COLUMN a SET NOT NULL"},
	{op: opDropNotNull, lock: lockAccessExclusive, sample: "ALTER TABLE t ALTER COLUMN w DROP NOT NULL"},
	{op: opSetDefault, lock: lockAccessExclusive, sample: "ALTER TABLE t ALTER COLUMN a SET DEFAULT 3"},
	// sql-altertable.html, ADD table_constraint: "most forms of ADD table_constraint
	// require an ACCESS EXCLUSIVE lock", "ADD FOREIGN KEY requires only a SHARE ROW
	// EXCLUSIVE lock"; NOT VALID skips "the potentially-lengthy initial check".
	{op: opAddCheck, lock: lockAccessExclusive, scans: true, sample: "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > -1)"},
	{op: opAddCheckNotValid, lock: lockAccessExclusive, sample: "ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > -1) NOT VALID"},
	{op: opAddForeignKey, lock: lockShareRowExclusive, scans: true, sample: "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id)"},
	{op: opAddForeignKeyNotValid, lock: lockShareRowExclusive, sample: "ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES p (id) NOT VALID"},
	// sql-altertable.html, ADD table_constraint: UNIQUE and PRIMARY KEY build an index
	// while holding ACCESS EXCLUSIVE; "ADD table_constraint_using_index" reuses an index
	// built beforehand, so nothing is scanned.
	{op: opAddUnique, lock: lockAccessExclusive, scans: true, sample: "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)"},
	{op: opAddConstraintUsingIndex, lock: lockAccessExclusive, setup: "CREATE UNIQUE INDEX t_v_key ON t (v)", sample: "ALTER TABLE t ADD CONSTRAINT t_v_key UNIQUE USING INDEX t_v_key"},
	// sql-altertable.html, VALIDATE CONSTRAINT: "acquires a SHARE UPDATE EXCLUSIVE lock
	// on the table being altered" while it scans.
	{op: opValidateConstraint, lock: lockShareUpdateExclusive, scans: true, sample: "ALTER TABLE t VALIDATE CONSTRAINT t_n_check"},
	{op: opDropConstraint, lock: lockAccessExclusive, sample: "ALTER TABLE t DROP CONSTRAINT t_n_check"},
	// sql-altertable.html, RENAME: ACCESS EXCLUSIVE (the default of ALTER TABLE).
	{op: opRename, lock: lockAccessExclusive, sample: "ALTER TABLE t RENAME COLUMN a TO b"},
	// explicit-locking.html, ACCESS EXCLUSIVE: "Acquired by the DROP TABLE, TRUNCATE,
	// REINDEX, CLUSTER, and VACUUM FULL commands".
	{op: opDropTable, lock: lockAccessExclusive, sample: "DROP TABLE t"},
	// https://www.postgresql.org/docs/current/sql-vacuum.html (FULL "rewrites the entire
	// contents of the table into a new disk file"; "requires an ACCESS EXCLUSIVE lock").
	// VACUUM cannot run in a transaction: no sample.
	{op: opVacuumFull, lock: lockAccessExclusive, rewrites: true, scans: true},
	// https://www.postgresql.org/docs/current/sql-cluster.html ("When a table is being
	// clustered, an ACCESS EXCLUSIVE lock is acquired on it"; it rewrites the table).
	{op: opCluster, lock: lockAccessExclusive, rewrites: true, scans: true, sample: "CLUSTER t USING t_pkey"},
	// https://www.postgresql.org/docs/current/sql-reindex.html#SQL-REINDEX-CONCURRENTLY
	// ("locks out writes but not reads of the index's parent table": SHARE on the table,
	// the index itself is rebuilt under ACCESS EXCLUSIVE); CONCURRENTLY exists since
	// PostgreSQL 12 and takes SHARE UPDATE EXCLUSIVE.
	{op: opReindex, lock: lockShare, scans: true, sample: "REINDEX TABLE t"},
	{op: opReindexConcurrently, lock: lockShareUpdateExclusive, scans: true, minPG: 12},
	// https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-ATTACH-PARTITION
	// ("attaching a partition acquires a SHARE UPDATE EXCLUSIVE lock on the parent table,
	// in addition to the ACCESS EXCLUSIVE lock on the table being attached"; before
	// PostgreSQL 12 the parent is locked ACCESS EXCLUSIVE), and the attached table is
	// scanned to check the bound unless a valid CHECK constraint implies it.
	{op: opAttachPartition, lock: lockShareUpdateExclusive, minPG: 12, rel: "pt", setup: partitionFixture, sample: "ALTER TABLE pt ATTACH PARTITION pt_2 FOR VALUES FROM (100000) TO (200000)"},
	{op: opAttachPartitionBefore12, lock: lockAccessExclusive, maxPG: 11},
	{op: opAttachPartitionScan, lock: lockAccessExclusive, scans: true, rel: "pt_2", setup: partitionFixture, sample: "ALTER TABLE pt ATTACH PARTITION pt_2 FOR VALUES FROM (100000) TO (200000)"},
	// sql-altertable.html#SQL-ALTERTABLE-DETACH-PARTITION: without CONCURRENTLY, ACCESS
	// EXCLUSIVE on the parent; CONCURRENTLY (PostgreSQL 14) takes SHARE UPDATE EXCLUSIVE
	// and cannot run in a transaction block, so it has no sample.
	{op: opDetachPartition, lock: lockAccessExclusive, rel: "pt", setup: partitionFixture, sample: "ALTER TABLE pt DETACH PARTITION pt_1"},
	{op: opDetachPartitionConcurrently, lock: lockShareUpdateExclusive, minPG: 14},
	// https://www.postgresql.org/docs/current/sql-createtable.html (PARTITION OF): creating
	// a partition locks the partitioned table.
	{op: opCreatePartition, lock: lockAccessExclusive, rel: "pt", setup: partitionFixture, sample: "CREATE TABLE pt_3 PARTITION OF pt FOR VALUES FROM (200000) TO (300000)"},
	// https://www.postgresql.org/docs/current/sql-truncate.html ("TRUNCATE acquires an
	// ACCESS EXCLUSIVE lock on each table it operates on"); the table gets a new file.
	{op: opTruncate, lock: lockAccessExclusive, newFile: true, sample: "TRUNCATE t"},
	// https://www.postgresql.org/docs/current/sql-alterdomain.html: ADD CONSTRAINT checks
	// every column of the domain unless NOT VALID; the check opens each table using the
	// domain with a SHARE lock (validateDomainConstraint in typecmds.c), which blocks
	// writes, and VALIDATE CONSTRAINT runs the same check.
	{op: opAlterDomainAddConstraint, lock: lockShare, scans: true,
		setup:  "DROP DOMAIN IF EXISTS dpos CASCADE; CREATE DOMAIN dpos AS int; ALTER TABLE t ADD COLUMN d dpos",
		sample: "ALTER DOMAIN dpos ADD CONSTRAINT dpos_check CHECK (VALUE > 0)"},
	{op: opValidateDomainConstraint, lock: lockShare, scans: true,
		setup:  "DROP DOMAIN IF EXISTS dpos CASCADE; CREATE DOMAIN dpos AS int; ALTER TABLE t ADD COLUMN d dpos; ALTER DOMAIN dpos ADD CONSTRAINT dpos_check CHECK (VALUE > 0) NOT VALID",
		sample: "ALTER DOMAIN dpos VALIDATE CONSTRAINT dpos_check"},
}

// partitionFixture is the setup of the partition rows: a partitioned table pt with one
// populated partition pt_1 and a populated standalone table pt_2 to attach.
const partitionFixture = `DROP TABLE IF EXISTS pt, pt_2 CASCADE;
CREATE TABLE pt (id int, v int) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100000);
INSERT INTO pt SELECT g, g FROM generate_series(1, 2000) g;
CREATE TABLE pt_2 (id int, v int);
INSERT INTO pt_2 SELECT g, g FROM generate_series(100000, 102000) g;
ANALYZE pt_2`

// lockRows indexes lockTable by operation.
var lockRows = func() map[lockOp]lockRow {
	m := make(map[lockOp]lockRow, len(lockTable))
	for _, r := range lockTable {
		m[r.op] = r
	}
	return m
}()

// lockFor returns the row of op.
func lockFor(op lockOp) lockRow {
	r, ok := lockRows[op]
	if !ok {
		panic("sqlmigrate: lock table has no row for " + string(op) + " (internal error)")
	}
	return r
}

// lockRank orders lock modes by strength, for "the strongest lock a statement takes".
var lockRank = map[string]int{
	lockShareUpdateExclusive: 1, lockShare: 2, lockShareRowExclusive: 3, lockAccessExclusive: 4,
}
