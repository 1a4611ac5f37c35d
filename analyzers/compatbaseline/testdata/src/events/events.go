package events // want `package events holds contracts \(JSON contract OrderPlaced\) but has no compatcheck baseline, so changes to them go unchecked; write one at release time with: compatcheck baseline events \(BASELINE_MISSING\)`

// OrderPlaced is published on the order topic.
//
//compatcheck:contract
type OrderPlaced struct {
	OrderID string `json:"order_id"`
}
