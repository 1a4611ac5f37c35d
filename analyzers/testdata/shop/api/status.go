// Package api holds the JSON contract of the shop's HTTP API.
package api

// Status is an order's status as the HTTP API sends it.
//
//compatcheck:contract
type Status string // want Status:`added json api.Status: StatusRefunded="refunded"`

// The statuses; StatusRefunded is new in this release.
const (
	StatusOpen     Status = "open"
	StatusPaid     Status = "paid"
	StatusRefunded Status = "refunded"
)

// Order is an order as the HTTP API sends it.
//
//compatcheck:contract
type Order struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
}
