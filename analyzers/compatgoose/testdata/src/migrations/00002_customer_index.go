// Package migrations holds goose migrations, in SQL and in Go.
package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationContext(upCustomerIndex, downCustomerIndex)
}

func upCustomerIndex(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id)`) // want `CREATE INDEX CONCURRENTLY cannot run inside a transaction block, and this statement runs inside one \(goose runs each migration in a transaction\); this migration is registered with AddMigrationContext: Register the migration with AddMigrationNoTxContext so that goose runs it outside a transaction, with nothing else in it \(STATEMENT_NOT_ALLOWED_IN_TRANSACTION\)`
	return err
}

func downCustomerIndex(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DROP INDEX orders_customer_idx`)
	return err
}
