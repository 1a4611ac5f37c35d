// Package goose is a stub of github.com/pressly/goose/v3's registration API, with the
// signatures of v3.26, so that compatgoose's tests need no module download.
package goose

import (
	"context"
	"database/sql"
)

type GoMigration func(tx *sql.Tx) error
type GoMigrationContext func(ctx context.Context, tx *sql.Tx) error
type GoMigrationNoTx func(db *sql.DB) error
type GoMigrationNoTxContext func(ctx context.Context, db *sql.DB) error

func AddMigration(up, down GoMigration)                                             {}
func AddMigrationContext(up, down GoMigrationContext)                               {}
func AddMigrationNoTx(up, down GoMigrationNoTx)                                     {}
func AddMigrationNoTxContext(up, down GoMigrationNoTxContext)                       {}
func AddNamedMigration(filename string, up, down GoMigration)                       {}
func AddNamedMigrationContext(filename string, up, down GoMigrationContext)         {}
func AddNamedMigrationNoTx(filename string, up, down GoMigrationNoTx)               {}
func AddNamedMigrationNoTxContext(filename string, up, down GoMigrationNoTxContext) {}

type TransactionMode int

const (
	TransactionEnabled TransactionMode = iota + 1
	TransactionDisabled
)

type GoFunc struct {
	RunTx func(ctx context.Context, tx *sql.Tx) error
	RunDB func(ctx context.Context, db *sql.DB) error
	Mode  TransactionMode
}

type Migration struct{ Version int64 }

func NewGoMigration(version int64, up, down *GoFunc) *Migration { return &Migration{Version: version} }
