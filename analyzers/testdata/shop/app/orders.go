// Package app uses the shop's contracts; the compatwrite tests check what it writes.
package app

import (
	"context"

	"example.com/shop/flags"
	shopv1 "example.com/shop/gen/shop/v1"
)

var names = map[shopv1.Status]string{shopv1.Status_STATUS_REFUNDED: "refunded"}

// Writes of values added in this release are reported.
func writes(o *shopv1.Order, ch chan<- shopv1.Status, send func(shopv1.Status)) shopv1.Status {
	o.Status = shopv1.Status_STATUS_REFUNDED                                          // want `shop.v1.Status.STATUS_REFUNDED \(= 3\) was added to shop/v1/shop.proto since the baseline.* \(ENUM_VALUE_WRITTEN_BEFORE_READERS\)`
	_ = &shopv1.Order{Status: shopv1.Status_STATUS_REFUNDED}                          // want `written to shop.v1.Order.status`
	o.Kind = shopv1.Order_KIND_WHOLESALE                                              // want `shop.v1.Order.Kind.KIND_WHOLESALE \(= 2\) was added`
	_ = &shopv1.Item{Availability: shopv1.Availability_AVAILABILITY_BACKORDER.Enum()} // want `shop.v1.Availability.AVAILABILITY_BACKORDER .* written to shop.v1.Item.availability`
	ch <- shopv1.Status_STATUS_REFUNDED                                               // want `STATUS_REFUNDED`
	send(shopv1.Status(3))                                                            // want `STATUS_REFUNDED`
	var s shopv1.Status = 3                                                           // want `STATUS_REFUNDED`
	_ = s
	return shopv1.Status_STATUS_REFUNDED // want `STATUS_REFUNDED`
}

// Reads of values added in this release, and writes of values of the baseline, are fine.
func reads(o *shopv1.Order) string {
	o.Status = shopv1.Status_STATUS_PAID
	if o.Status == shopv1.Status_STATUS_REFUNDED || shopv1.Status_STATUS_REFUNDED != o.GetStatus() {
		return names[shopv1.Status_STATUS_REFUNDED]
	}
	switch o.Status {
	case shopv1.Status_STATUS_REFUNDED, shopv1.Status_STATUS_OPEN:
		return shopv1.Status_STATUS_REFUNDED.String()
	}
	return ""
}

// Writes behind a rollout gate are fine: the gate is switched on once every reader runs
// this release.
func gated(ctx context.Context, o *shopv1.Order, c *flags.Client) {
	if flags.Enabled(ctx, "refunds") {
		o.Status = shopv1.Status_STATUS_REFUNDED
	}
	if o.Id != "" && c.On("refunds") {
		o.Status = shopv1.Status_STATUS_REFUNDED
	}
	if !flags.Enabled(ctx, "refunds") {
		o.Status = shopv1.Status_STATUS_PAID
	} else {
		o.Status = shopv1.Status_STATUS_REFUNDED
	}
	if flags.Enabled(ctx, "other") || o.Id == "" {
		o.Status = shopv1.Status_STATUS_REFUNDED // want `STATUS_REFUNDED`
	}
	if !flags.Enabled(ctx, "refunds") {
		return
	}
	o.Status = shopv1.Status_STATUS_REFUNDED
}
