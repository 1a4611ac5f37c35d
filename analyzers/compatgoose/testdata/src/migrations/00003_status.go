package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddMigrationNoTxContext(func(ctx context.Context, db *sql.DB) error {
		if _, err := db.ExecContext(ctx, "ALTER TABLE orders ADD COLUMN note text"); err != nil { // want `the statement waits for ACCESS EXCLUSIVE on orders with no lock_timeout set earlier in the migration.* \(lock ACCESS EXCLUSIVE, rewrites: no, scans: no\).* \(ACCESS_EXCLUSIVE_WITHOUT_LOCK_TIMEOUT\)`
			return err
		}
		q := "ALTER TABLE orders DROP COLUMN note"
		_ = q                                                                                // SQL that is not constant is not classified
		_, err := db.ExecContext(ctx, "ALTER TABLE orders ALTER COLUMN status SET NOT NULL") // want `column status becomes NOT NULL; released writers that omit it or write NULL now fail \(breaking; B: no, F: no\): release writers that always fill the column; then backfill.* \(NOT_NULL_ADDED\)` `SET NOT NULL on status scans orders under ACCESS EXCLUSIVE.* \(lock ACCESS EXCLUSIVE, rewrites: no, scans: yes\).* \(NOT_NULL_SCANS_TABLE\)` `\(ACCESS_EXCLUSIVE_WITHOUT_LOCK_TIMEOUT\)`
		return err
	}, nil)
}
