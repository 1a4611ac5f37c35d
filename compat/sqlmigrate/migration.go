package sqlmigrate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// migration is one forward migration as its runner applies it.
type migration struct {
	// src is the tree the migration belongs to, for positioned errors.
	src compat.Source
	// parsed is set once stmts holds the parse of text.
	parsed bool
	// file is the path relative to the Source root.
	file string
	// id identifies the migration across the two trees: its file, except for sqitch,
	// whose reworked changes keep their identity while their script moves.
	id string
	// label is how the version is written, for runners that compare versions as text.
	label string
	// version orders versioned migrations numerically, segment by segment, so Flyway's
	// V1.10 comes after V1.9 and 0010_x after 9_x.
	version []uint64
	// repeatable marks a Flyway R__ migration: it has no version, runs after all
	// versioned ones and is applied again whenever its text changes.
	repeatable bool
	// name is the description part of the file name, used to order repeatables.
	name string
	// checkpoint marks an Atlas checkpoint file, which only new databases run.
	checkpoint bool
	// raw is the file as read; text is the SQL the runner executes for "up", with every
	// other byte (down sections, annotations) replaced by a space or kept as a newline,
	// so byte offsets into text are offsets into the file.
	raw, text string
	// inTx says whether the runner wraps the migration in a transaction by default.
	inTx bool
	// tx is the runner's rule for wrapping, refined once the statements are known.
	tx txPolicy
	// txNote says why inTx has its value, for messages.
	txNote string
	lines  lineIndex
	stmts  []*statement
}

// statement is one parsed SQL statement of a migration.
type statement struct {
	node *pg_query.Node
	// off and end are byte offsets of the statement's first token and of its end.
	off, end  int
	line, col int
	// ignore holds the directives that apply to the statement, by rule ID.
	ignore map[string]*directive
	// norm caches the statement's normalized (deparsed) text for history comparison.
	norm string
	// do is the analysable body of a DO statement.
	do *doBody
	// base is the file offset the node's parse locations count from: 0 for statements
	// of the file, -1 for SQL a DO block EXECUTEs, whose locations point into a string.
	base int
}

// versionLabel is the version as messages show it.
func (m *migration) versionLabel() string {
	if m.label != "" {
		return m.label
	}
	return versionString(m.version)
}

// compareVersions orders versions segment by segment, numerically.
func compareVersions(a, b []uint64) int {
	return slices.Compare(a, b)
}

// versionString renders a version for messages the way Flyway writes it.
func versionString(v []uint64) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = uitoa(n)
	}
	return strings.Join(parts, ".")
}

func uitoa(n uint64) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// sortMigrations puts migrations in the order their runner applies them: versioned ones
// by version, then repeatables by name.
func sortMigrations(ms []*migration) {
	slices.SortStableFunc(ms, func(a, b *migration) int {
		if a.repeatable != b.repeatable {
			if a.repeatable {
				return 1
			}
			return -1
		}
		if c := compareVersions(a.version, b.version); c != 0 {
			return c
		}
		if c := cmp.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.file, b.file)
	})
}

// position returns the 1-based line and column of a byte offset of the migration.
func (m *migration) position(off int) (int, int) {
	return m.lines.position(off)
}

// txPolicy is a runner's rule for wrapping a migration in a transaction that depends on
// the migration's statements.
type txPolicy int

const (
	txFixed txPolicy = iota
	// txImplicitMulti: golang-migrate sends the whole file as one simple query, which
	// PostgreSQL runs as one implicit transaction when it holds several statements.
	txImplicitMulti
	// txFlyway: Flyway runs a migration in a transaction unless every statement is one
	// that cannot run inside a transaction.
	txFlyway
	// txSupabase: the Supabase CLI runs a file in a transaction but takes the statements
	// PostgreSQL refuses in one out of it and runs them on their own.
	txSupabase
)
