package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationContext(upByHand, nil)
}

func upByHand(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, "SET lock_timeout = '5s'"); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "CREATE INDEX CONCURRENTLY orders_amount_idx ON orders (amount)") // want `registered with AddMigrationContext: register it with the no-transaction variant by hand: its functions use \*sql.Tx methods that \*sql.DB lacks`
	if err != nil {
		return err
	}
	return audit(tx)
}

// audit takes the transaction itself, which *sql.DB cannot stand in for.
func audit(tx *sql.Tx) error { return nil }
