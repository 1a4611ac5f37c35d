package unreadable // want `package unreadable holds contracts \(JSON contract Row\) but has no compatcheck baseline`

import "embed"

//go:embed migrations
var migrations embed.FS // want `migrations: migrations/00001_bad.sql:2:14: syntax error: syntax error at or near "\("`

// Row is a contract, so that the package still holds one that can be read.
//
//compatcheck:contract
type Row struct {
	ID int64 `json:"id"`
}
