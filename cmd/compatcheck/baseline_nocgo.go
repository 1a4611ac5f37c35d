//go:build !cgo

package main

import (
	"context"
	"io"

	"github.com/compatcheck/compatcheck"
)

// runBaseline refuses in a build without cgo: a baseline snapshots every kind of contract
// of a package, SQL migrations included, and the SQL engine needs the C parser.
func runBaseline(_ context.Context, _ []string, _, stderr io.Writer) int {
	return fail(stderr, compatcheck.ErrSQLNeedsCgo)
}
