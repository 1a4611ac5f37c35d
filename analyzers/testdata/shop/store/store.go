// Package store keeps orders in PostgreSQL; its migrations are embedded. // want package:"adds labels order_status \\[refunded\\]"
package store

import (
	"context"
	"database/sql"
	"embed"
)

// Migrations are run by goose at start-up.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// refundQuery writes the label 00002_refund.sql adds in this release.
const refundQuery = `UPDATE orders SET status = 'refunded' WHERE id = $1` // want `enum label 'refunded' of order_status`

// Refund marks an order refunded.
func Refund(ctx context.Context, db *sql.DB, id string) error {
	_, err := db.ExecContext(ctx, refundQuery, id)
	return err
}

// Insert writes labels of the baseline and the new one.
func Insert(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "INSERT INTO orders (id, status) VALUES ('a', 'paid'), ('b', 'refunded')"); err != nil { // want `enum label 'refunded' of order_status`
		return err
	}
	// Positional: the second column of orders is status.
	if _, err := db.ExecContext(ctx, `INSERT INTO orders VALUES ('c', 'refunded', 'n')`); err != nil { // want `enum label 'refunded'`
		return err
	}
	// A cast names the type without a column.
	_, err := db.ExecContext(ctx, `INSERT INTO audit (what) SELECT 'refunded'::order_status`) // want `enum label 'refunded' of order_status to audit.what.* \(ENUM_LABEL_WRITTEN_BEFORE_READERS\)`
	return err
}

// Reads only compare with the label, which is fine.
func Reads(ctx context.Context, db *sql.DB) (*sql.Rows, error) {
	return db.QueryContext(ctx, `SELECT id FROM orders WHERE status = 'refunded'`)
}

// Other text columns may hold the same word.
func Note(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `UPDATE orders SET note = 'refunded' WHERE id = $1`, "a")
	return err
}
