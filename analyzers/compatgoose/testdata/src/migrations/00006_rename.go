package migrations

import (
	"context"
	"database/sql"

	"github.com/pressly/goose/v3"
)

func init() {
	goose.AddNamedMigrationContext("00006_rename.go", func(ctx context.Context, tx *sql.Tx) error {
		// The column 00005_backfill.sql added is part of this migration's baseline.
		_, err := tx.ExecContext(ctx, `ALTER TABLE orders RENAME COLUMN total TO amount`) // want `column total is renamed to amount while the released application still uses the old name \(breaking; B: no, F: no\): add the new column beside the old one.* \(COLUMN_RENAMED\)` `\(ACCESS_EXCLUSIVE_WITHOUT_LOCK_TIMEOUT\)`
		if err != nil {
			return err
		}
		// A tx-only method: the fix to the no-transaction variant would not compile.
		return tx.Commit()
	}, nil)
}
