package app

import (
	"context"

	"example.com/shop/api"
	"example.com/shop/store"
)

// JSON contract values added in this release are reported when written.
func respond(o *api.Order) {
	o.Status = api.StatusRefunded // want `api.Status value "refunded" \(StatusRefunded\) was added since the baseline.* \(JSON_ENUM_VALUE_WRITTEN_BEFORE_READERS\)`
	if o.Status == api.StatusRefunded {
		o.Status = api.StatusPaid
	}
}

// SQL writes in a package that imports the migrations' package are checked too.
func archive(ctx context.Context) string {
	_ = store.Migrations
	return `UPDATE orders SET status = 'refunded' WHERE id = 'x'` // want `enum label 'refunded' of order_status`
}
