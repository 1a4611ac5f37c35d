// Package api is the previous release of the JSON contract under test.
package api

import "time"

// Audit is embedded in contract types; its fields are promoted into their JSON objects.
type Audit struct {
	CreatedAt time.Time `json:"created_at"`
	By        string    `json:"by,omitempty"`
}

// Money is a named struct shared by contracts.
type Money struct {
	Amount   int32  `json:"amount"`
	Currency string `json:"currency"`
}

// Order is a contract.
//
//compatcheck:contract
type Order struct {
	Audit
	ID      int64  `json:"id"`
	Note    string `json:"note"`
	Comment string `json:"comment,omitempty"`
	Name    string
	Legacy  string `json:"legacy,omitempty"`
	// Deprecated: use Note.
	Old      string   `json:"old,omitempty"`
	Count    int      `json:"count"`
	Tags     []string `json:"tags,omitempty"`
	Price    float64  `json:"price"`
	Discount int      `json:"discount"`
	Secret   string   `json:"secret,omitempty"`
	Total    Money    `json:"total"`
}
