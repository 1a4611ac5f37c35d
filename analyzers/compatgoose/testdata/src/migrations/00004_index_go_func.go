package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

// Migration4 is registered with a goose.Provider rather than the global registry.
var Migration4 = goose.NewGoMigration(4, &goose.GoFunc{
	RunTx: func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status)") // want `this migration is registered with NewGoMigration with RunTx: Register the migration with RunDB so that goose runs it outside a transaction`
		return err
	},
	Mode: goose.TransactionEnabled,
}, nil)
