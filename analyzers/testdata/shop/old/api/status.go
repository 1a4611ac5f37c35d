// Package api holds the JSON contract of the shop's HTTP API.
package api

// Status is an order's status as the HTTP API sends it.
//
//compatcheck:contract
type Status string

// The statuses.
const (
	StatusOpen Status = "open"
	StatusPaid Status = "paid"
)

// Order is an order as the HTTP API sends it.
//
//compatcheck:contract
type Order struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
}
