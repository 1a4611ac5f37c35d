//go:build cgo

package compatcheck

import (
	"context"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

// SQLOptions are the SQL engine's options, [sqlmigrate.Options]. The name exists so that
// [Options] has the same fields in builds without cgo, where package sqlmigrate cannot
// be compiled (see sql_nocgo.go).
type SQLOptions = sqlmigrate.Options

// MinPGVersion and MaxPGVersion bound the PostgreSQL major versions SQLOptions.PGVersion
// accepts, [sqlmigrate.MinPGVersion] and [sqlmigrate.MaxPGVersion].
const (
	MinPGVersion = sqlmigrate.MinPGVersion
	MaxPGVersion = sqlmigrate.MaxPGVersion
)

// SQLAvailable reports whether this build has the SQL engine: true with cgo.
const SQLAvailable = true

// SQLLayout names a layout of migration files, [sqlmigrate.Layout].
type SQLLayout = sqlmigrate.Layout

// ParseSQLLayout reads a layout name for SQLOptions.Layout.
func ParseSQLLayout(s string) (SQLLayout, error) { return sqlmigrate.ParseLayout(s) }

// SQLLayouts lists the layout names SQLOptions.Layout accepts; it is empty in a build
// without cgo.
func SQLLayouts() []SQLLayout { return sqlmigrate.Layouts() }

func compareSQL(ctx context.Context, old, new compat.Source, opts SQLOptions) (*compat.Report, error) {
	return sqlmigrate.Compare(ctx, old, new, opts)
}

// SQLColumnTypes replays the migrations in src and returns the type of every column it
// ends with, keyed "table.column"; see [sqlmigrate.ColumnTypes]. Package history uses it
// to see a dropped column come back with another type.
func SQLColumnTypes(ctx context.Context, src compat.Source) (map[string]string, error) {
	return sqlmigrate.ColumnTypes(ctx, src)
}
