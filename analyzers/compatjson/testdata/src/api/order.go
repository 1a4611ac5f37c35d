// Package api is the JSON contract under test: this release changes Order in every way
// compatjson reports, and in ways it does not.
package api // want `JSON contract Receipt: contract type Receipt was removed, or is no longer a contract \(breaking; B: no, F: yes\): Expand–contract.* \(SCHEMA_FILE_REMOVED\)`

import "time"

// Audit is embedded in contract types; its fields are promoted into their JSON objects.
type Audit struct {
	CreatedAt time.Time `json:"created_at"`
	By        string    `json:"by,omitempty"`
}

// Money is a named struct shared by contracts.
type Money struct {
	Amount   int64  `json:"amount"` // want `JSON property "amount" of Money: upper bound raised from 2147483647 to 9223372036854775807 \(read-tolerant; B: yes, F: no\): Release every reader` `lower bound lowered`
	Currency string `json:"currency"`
}

// Order is a contract.
//
//compatcheck:contract
type Order struct { // want `JSON property "legacy" of Order: property "legacy" removed without being deprecated first: .* \(breaking; B: no, F: yes\); the Go field is gone \(mark a field Deprecated in one release, remove it in a later one\): Expand.* \(PROPERTY_REMOVED\)`
	Audit
	ID       int64    `json:"id,string"`        // want `JSON property "id" of Order: type changed from integer to string \(breaking; B: no, F: no\): Expand`
	Note     string   `json:"memo"`             // want `the JSON name of Order.Note changed from "note" to "memo" since the baseline \(breaking; B: no, F: no\): property "note" removed without being deprecated first: .* \(it was required\); required property "memo" added: Keep the old JSON name in the tag.* \(JSON_NAME_CHANGED\)`
	Comment  string   `json:"remark,omitempty"` // want `the JSON name of Order.Comment changed from "comment" to "remark" since the baseline \(breaking; B: no, F: yes\): property "comment" removed without being deprecated first: .*optional property "remark" added: Keep the old JSON name in the tag.* \(JSON_NAME_CHANGED\)`
	Name     string   `json:"name"`             // want `changed from "Name" to "name".*encoding/json v1 matches names case-insensitively`
	Count    int      `json:"count,omitempty"`  // want `property "count" is no longer required \(read-tolerant; B: yes, F: no\); note that encoding/json/v2's omitempty does not omit 0 or false \(omitzero does\).* \(REQUIRED_REMOVED\)`
	Tags     []string `json:"tags"`             // want `property "tags" became required \(breaking; B: no, F: yes\): Expand.* \(REQUIRED_ADDED\)`
	Price    string   `json:"price"`            // want `type changed from number to string \(breaking`
	Discount *int     `json:"discount"`         // want `type widened from integer to null, integer \(read-tolerant`
	Secret   string   `json:"-"`                // want `JSON property "secret" of Order: property "secret" removed without being deprecated first: .* \(breaking; B: no, F: yes\): Expand.* \(PROPERTY_REMOVED\)`
	Total    Money    `json:"total"`
	Currency string   `json:"currency"` // want `required property "currency" added \(breaking; B: no, F: yes\)`
	Extra    string   `json:"extra,omitempty"`
}
