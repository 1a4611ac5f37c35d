package api

// Receipt is a contract the next release removes.
//
//compatcheck:contract
type Receipt struct {
	Total int64 `json:"total"`
}
