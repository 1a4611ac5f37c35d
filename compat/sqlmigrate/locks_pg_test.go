package sqlmigrate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"github.com/stretchr/testify/require"
)

// pgServer is a throwaway PostgreSQL cluster shared by the tests of this package.
type pgServer struct {
	conn  *pgx.Conn
	major int
}

var (
	pgOnce   sync.Once
	pgShared *pgServer
	pgSkip   string
	pgErr    error
	pgStop   func()
)

// TestMain stops the shared server, if a test started one.
func TestMain(m *testing.M) {
	code := m.Run()
	if pgStop != nil {
		pgStop()
	}
	os.Exit(code)
}

// startPostgres returns the shared server, starting it on first use, or skips the test
// when no server binary is installed.
func startPostgres(t *testing.T) *pgServer {
	t.Helper()
	pgOnce.Do(func() { pgShared, pgSkip, pgErr = launchPostgres() })
	if pgSkip != "" {
		// CI installs PostgreSQL and sets this, so a missing server fails there instead of
		// letting the lock table go unverified.
		if os.Getenv("COMPATCHECK_REQUIRE_POSTGRES") != "" {
			t.Fatalf("COMPATCHECK_REQUIRE_POSTGRES is set but: %s", pgSkip)
		}
		t.Skip(pgSkip)
	}
	require.NoError(t, pgErr)
	return pgShared
}

// launchPostgres starts a server from Debian's postgresql package on a Unix socket in a
// temporary directory.
func launchPostgres() (*pgServer, string, error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, "no PostgreSQL server under /usr/lib/postgresql/*/bin (install the postgresql package); the lock table is NOT verified", nil
	}
	sort.Slice(bins, func(i, j int) bool { return versionOfBin(bins[i]) < versionOfBin(bins[j]) })
	bin := filepath.Dir(bins[len(bins)-1])

	dir, err := os.MkdirTemp("", "sqlmigrate-pg-")
	if err != nil {
		return nil, "", err
	}
	data, sock := filepath.Join(dir, "data"), filepath.Join(dir, "sock")
	if err := os.Mkdir(sock, 0o700); err != nil {
		return nil, "", err
	}
	// PostgreSQL refuses to run as root: run it as the postgres user the package creates.
	var prefix []string
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, "running as root and there is no postgres user to run the server as; the lock table is NOT verified", nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, "", err
		}
		for _, p := range []string{dir, sock} {
			if err := os.Chown(p, uid, gid); err != nil {
				return nil, "", err
			}
		}
		prefix = []string{"runuser", "-u", "postgres", "--"}
	}
	command := func(args ...string) *exec.Cmd {
		all := append(append([]string{}, prefix...), args...)
		return exec.Command(all[0], all[1:]...)
	}
	run := func(args ...string) error {
		if out, err := command(args...).CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %v: %s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := run(filepath.Join(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", data, "-w", "-l", filepath.Join(dir, "log"),
		"-o", fmt.Sprintf("-k %s -c listen_addresses='' -F", sock), "start"); err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	stopServer := func() {
		_ = command(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").Run()
		os.RemoveAll(dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("host=%s user=postgres dbname=postgres sslmode=disable", sock))
	if err != nil {
		stopServer()
		return nil, "", err
	}
	pgStop = func() {
		conn.Close(context.Background())
		stopServer()
	}
	var num int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&num); err != nil {
		return nil, "", err
	}
	return &pgServer{conn: conn, major: num / 10000}, "", nil
}

func versionOfBin(p string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
	return n
}

// fixture matches the tables the lock table's samples use.
const fixture = `
DROP TABLE IF EXISTS t, p CASCADE;
CREATE TABLE p (id int PRIMARY KEY);
INSERT INTO p SELECT g FROM generate_series(1, 2000) g;
CREATE TABLE t (id int PRIMARY KEY, a int, v varchar(10), n numeric(8,2), w int NOT NULL);
INSERT INTO t SELECT g, g, 'x' || g, g, g FROM generate_series(1, 2000) g;
CREATE INDEX t_v_idx ON t (v);
ALTER TABLE t ADD CONSTRAINT t_n_check CHECK (n >= 0) NOT VALID;
ANALYZE t;
`

var lockModes = map[string]string{
	"AccessExclusiveLock":      lockAccessExclusive,
	"ShareLock":                lockShare,
	"ShareRowExclusiveLock":    lockShareRowExclusive,
	"ShareUpdateExclusiveLock": lockShareUpdateExclusive,
	"RowExclusiveLock":         "ROW EXCLUSIVE",
	"AccessShareLock":          "ACCESS SHARE",
	"RowShareLock":             "ROW SHARE",
	"ExclusiveLock":            "EXCLUSIVE",
}

var lockStrength = map[string]int{
	"ACCESS SHARE": 1, "ROW SHARE": 2, "ROW EXCLUSIVE": 3, lockShareUpdateExclusive: 4,
	lockShare: 5, lockShareRowExclusive: 6, "EXCLUSIVE": 7, lockAccessExclusive: 8,
}

// observation is what one statement did to table t on the real server.
type observation struct {
	lock     string
	rewrites bool
	scans    bool
}

// observe runs stmts in a transaction over a fresh fixture and reads the strongest lock on
// t from pg_locks, whether t's relfilenode changed, and whether t was scanned
// sequentially (pg_stat_get_xact_numscans counts scans in the current transaction).
func (s *pgServer) observe(t *testing.T, setup, stmts string) observation {
	t.Helper()
	return s.observeOn(t, "t", setup, stmts)
}

// observeOn is observe for the fixture table rel.
func (s *pgServer) observeOn(t *testing.T, rel, setup, stmts string) observation {
	t.Helper()
	ctx := context.Background()
	_, err := s.conn.Exec(ctx, fixture+setup)
	require.NoError(t, err)
	var oid uint32
	var before uint32
	require.NoError(t, s.conn.QueryRow(ctx, "SELECT oid, relfilenode FROM pg_class WHERE relname = $1", rel).Scan(&oid, &before))
	tx, err := s.conn.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	var scansBefore int64
	require.NoError(t, tx.QueryRow(ctx, "SELECT pg_stat_get_xact_numscans($1)", oid).Scan(&scansBefore))
	for _, stmt := range strings.Split(stmts, ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		_, err := tx.Exec(ctx, stmt)
		require.NoError(t, err, stmt)
	}
	var obs observation
	rows, err := tx.Query(ctx, "SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = $1 AND pid = pg_backend_pid()", oid)
	require.NoError(t, err)
	for rows.Next() {
		var mode string
		require.NoError(t, rows.Scan(&mode))
		if m := lockModes[mode]; lockStrength[m] > lockStrength[obs.lock] {
			obs.lock = m
		}
	}
	require.NoError(t, rows.Err())
	var after uint32
	err = tx.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE oid = $1", oid).Scan(&after)
	if !errors.Is(err, pgx.ErrNoRows) {
		require.NoError(t, err)
		obs.rewrites = after != before
	}
	var scansAfter int64
	require.NoError(t, tx.QueryRow(ctx, "SELECT pg_stat_get_xact_numscans($1)", oid).Scan(&scansAfter))
	obs.scans = scansAfter > scansBefore
	return obs
}

// TestLockTableOnPostgres checks every row of the lock table that can run inside a
// transaction against a real server: the lock mode taken on the table, whether the table
// is rewritten and whether it is scanned.
func TestLockTableOnPostgres(t *testing.T) {
	s := startPostgres(t)
	t.Logf("verifying the lock table on PostgreSQL %d", s.major)
	checked := 0
	for _, row := range lockTable {
		if row.sample == "" || row.minPG > s.major || (row.maxPG != 0 && row.maxPG < s.major) {
			continue
		}
		t.Run(string(row.op), func(t *testing.T) {
			rel := row.rel
			if rel == "" {
				rel = "t"
			}
			got := s.observeOn(t, rel, row.setup, row.sample)
			require.Equal(t, row.lock, got.lock, "lock mode of %q on %s", row.sample, rel)
			require.Equal(t, row.rewrites || row.newFile, got.rewrites, "new file for %s by %q", rel, row.sample)
			if !row.newFile {
				// TRUNCATE swaps the table's file without reading it, yet the counter
				// pg_stat_get_xact_numscans reads moves; only the lock and the new file
				// are checked for such rows.
				require.Equal(t, row.scans, got.scans, "scan of %s by %q", rel, row.sample)
			}
		})
		checked++
	}
	require.Greater(t, checked, 20, "too few rows of the lock table were verified")

	// Statements the hazards say cannot run inside a transaction block really cannot.
	for _, stmt := range []string{
		"CREATE INDEX CONCURRENTLY t_a_idx ON t (a)",
		"DROP INDEX CONCURRENTLY t_v_idx",
		"REINDEX TABLE CONCURRENTLY t",
		"VACUUM t",
		"ALTER SYSTEM SET work_mem = '64MB'",
		"CREATE DATABASE refused_in_tx",
		"DROP DATABASE IF EXISTS refused_in_tx",
		"CREATE TABLESPACE refused_in_tx LOCATION '/nonexistent'",
		"DROP TABLESPACE IF EXISTS refused_in_tx",
		"ALTER TABLE pt DETACH PARTITION pt_1 CONCURRENTLY",
	} {
		t.Run("refused in transaction: "+stmt, func(t *testing.T) {
			ctx := context.Background()
			_, err := s.conn.Exec(ctx, fixture+partitionFixture)
			require.NoError(t, err)
			tx, err := s.conn.Begin(ctx)
			require.NoError(t, err)
			defer tx.Rollback(ctx)
			_, err = tx.Exec(ctx, stmt)
			var pgErr *pgconn.PgError
			require.ErrorAs(t, err, &pgErr)
			require.Equal(t, "25001", pgErr.Code, "want active_sql_transaction for %q", stmt)
		})
	}
}

// TestRefusedOnPostgres checks that the statements reported as STATEMENT_REFUSED_BY_SERVER
// whatever the data are refused by a real server, with the error PostgreSQL gives.
func TestRefusedOnPostgres(t *testing.T) {
	s := startPostgres(t)
	ctx := context.Background()
	for stmt, code := range map[string]string{
		"UPDATE t SET a = 1, a = 2":                    "42601", // multiple assignments to same column
		"INSERT INTO t (id, w, w) VALUES (-1, 1, 2)":   "42701", // column specified more than once
		"DROP INDEX CONCURRENTLY t_v_idx, t_pkey":      "0A000", // does not support dropping multiple objects
		"DROP INDEX CONCURRENTLY t_v_idx CASCADE":      "0A000", // does not support CASCADE
		"CREATE INDEX CONCURRENTLY pt_v_idx ON pt (v)": "0A000", // cannot create index on partitioned table concurrently
	} {
		t.Run(stmt, func(t *testing.T) {
			_, err := s.conn.Exec(ctx, fixture+partitionFixture)
			require.NoError(t, err)
			_, err = s.conn.Exec(ctx, stmt)
			var pgErr *pgconn.PgError
			require.ErrorAs(t, err, &pgErr, stmt)
			require.Equal(t, code, pgErr.Code, "%s: %s", stmt, pgErr.Message)
		})
	}
}

// TestTypeChangesOnPostgres checks classifyTypeChange's rewrite claim for each type pair
// against relfilenode on a real server.
func TestTypeChangesOnPostgres(t *testing.T) {
	s := startPostgres(t)
	cases := [][2]string{
		{"varchar(10)", "varchar(20)"}, {"varchar(10)", "text"}, {"varchar(10)", "varchar"},
		{"varchar(20)", "varchar(10)"}, {"text", "varchar(20)"}, {"text", "varchar"},
		{"int", "bigint"}, {"smallint", "int"}, {"bigint", "int"}, {"int", "numeric"},
		{"numeric(8,2)", "numeric(12,2)"}, {"numeric(8,2)", "numeric"}, {"numeric(8,2)", "numeric(10,4)"},
		{"numeric(8,2)", "numeric(8,4)"}, {"real", "double precision"}, {"char(5)", "char(10)"},
		{"int", "text"},
	}
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c[0]+" to "+c[1], func(t *testing.T) {
			from, to := parseType(t, c[0]), parseType(t, c[1])
			want := classifyTypeChange(from, to).rewrites
			_, err := s.conn.Exec(ctx, fmt.Sprintf("DROP TABLE IF EXISTS tc; CREATE TABLE tc (c %s); INSERT INTO tc SELECT '1' FROM generate_series(1, 100)", c[0]))
			require.NoError(t, err)
			var before, after uint32
			require.NoError(t, s.conn.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE relname = 'tc'").Scan(&before))
			_, err = s.conn.Exec(ctx, fmt.Sprintf("ALTER TABLE tc ALTER COLUMN c TYPE %s USING c::%s", c[1], c[1]))
			require.NoError(t, err)
			require.NoError(t, s.conn.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE relname = 'tc'").Scan(&after))
			require.Equal(t, want, before != after, "rewrite claimed for %s → %s", c[0], c[1])
		})
	}
}

func parseType(t *testing.T, sql string) typeRef {
	t.Helper()
	tree, err := pg_query.Parse("CREATE TABLE x (c " + sql + ")")
	require.NoError(t, err)
	return typeOf(tree.GetStmts()[0].GetStmt().GetCreateStmt().GetTableElts()[0].GetColumnDef().GetTypeName())
}

// TestAddColumnDefaultsOnPostgres checks the volatile-default hazard against the server:
// ADD COLUMN rewrites the table exactly when addColumn reports
// VOLATILE_DEFAULT_REWRITES_TABLE.
func TestAddColumnDefaultsOnPostgres(t *testing.T) {
	s := startPostgres(t)
	ctx := context.Background()
	cases := []string{
		"c int DEFAULT 7",
		"c text NOT NULL DEFAULT 'x'",
		"c timestamptz NOT NULL DEFAULT now()",
		"c timestamptz DEFAULT clock_timestamp()",
		"c float8 DEFAULT random()",
		"c uuid DEFAULT gen_random_uuid()",
		"c bigserial",
		"c bigint GENERATED ALWAYS AS IDENTITY",
		"c int GENERATED ALWAYS AS (a * 2) STORED",
		"c jsonb DEFAULT '{}'::jsonb",
		"c text DEFAULT lower('X')",
	}
	for _, def := range cases {
		t.Run(def, func(t *testing.T) {
			r := replayOne(t, "CREATE TABLE t (id int PRIMARY KEY, a int);", "ALTER TABLE t ADD COLUMN "+def+";")
			claimed := false
			for _, f := range r.Findings {
				for _, h := range f.Hazards {
					if h.Rule == hazardVolatileDefault.ID {
						claimed = true
					}
				}
			}
			_, err := s.conn.Exec(ctx, "DROP TABLE IF EXISTS t CASCADE; CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 100) g")
			require.NoError(t, err)
			var before, after uint32
			require.NoError(t, s.conn.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE relname = 't'").Scan(&before))
			_, err = s.conn.Exec(ctx, "ALTER TABLE t ADD COLUMN "+def)
			require.NoError(t, err)
			require.NoError(t, s.conn.QueryRow(ctx, "SELECT relfilenode FROM pg_class WHERE relname = 't'").Scan(&after))
			require.Equal(t, before != after, claimed, "rewrite claimed for ADD COLUMN %s", def)
		})
	}

	// ADD VALUE inside a transaction works from PostgreSQL 12 on, which is why the hazard
	// is reported for 11 only.
	if s.major >= 12 {
		_, err := s.conn.Exec(ctx, "DROP TYPE IF EXISTS st CASCADE; CREATE TYPE st AS ENUM ('a')")
		require.NoError(t, err)
		tx, err := s.conn.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "ALTER TYPE st ADD VALUE 'b'")
		require.NoError(t, err)
		require.NoError(t, tx.Rollback(ctx))
	}
}

// replayOne compares a one-migration baseline with that baseline plus one migration.
func replayOne(t *testing.T, released, added string) *compat.Report {
	t.Helper()
	oldFS := fstest.MapFS{"1_a.up.sql": {Data: []byte(released)}}
	newFS := fstest.MapFS{"1_a.up.sql": {Data: []byte(released)}, "2_b.up.sql": {Data: []byte(added)}}
	r, err := Compare(context.Background(), compat.Source{FS: oldFS}, compat.Source{FS: newFS}, Options{})
	require.NoError(t, err)
	return r
}
