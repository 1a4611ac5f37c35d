//go:build !cgo

package compatcheck

import (
	"context"

	"github.com/compatcheck/compatcheck/compat"
)

// SQLOptions are the SQL engine's options. With cgo this is sqlmigrate.Options; without
// it package sqlmigrate (which links libpg_query, C) is not compiled, and this struct
// keeps the fields that cgo-free code sets, so that a program builds either way.
type SQLOptions struct {
	// PGVersion is the PostgreSQL major version that decides hazards.
	PGVersion int
	// Layout is the layout of the migration directories instead of the detected one.
	Layout SQLLayout
}

// MinPGVersion and MaxPGVersion bound the PostgreSQL major versions SQLOptions.PGVersion
// accepts; they are the SQL engine's bounds, kept here for builds without it
// (TestBuildWithoutCgo checks they agree).
const (
	MinPGVersion = 10
	MaxPGVersion = 17
)

// SQLAvailable reports whether this build has the SQL engine: false without cgo, where
// comparing SQL returns [ErrSQLNeedsCgo] and the SQL rules are not registered.
const SQLAvailable = false

// SQLLayout names a layout of migration files.
type SQLLayout string

// ParseSQLLayout accepts any name in a build without cgo: there is no SQL engine to
// know the layouts, and comparing SQL fails with [ErrSQLNeedsCgo] anyway.
func ParseSQLLayout(s string) (SQLLayout, error) { return SQLLayout(s), nil }

// SQLLayouts lists the layout names SQLOptions.Layout accepts; it is empty in a build
// without cgo.
func SQLLayouts() []SQLLayout { return nil }

func compareSQL(context.Context, compat.Source, compat.Source, SQLOptions) (*compat.Report, error) {
	return nil, ErrSQLNeedsCgo
}

// SQLColumnTypes returns [ErrSQLNeedsCgo] in a build without cgo.
func SQLColumnTypes(context.Context, compat.Source) (map[string]string, error) {
	return nil, ErrSQLNeedsCgo
}
