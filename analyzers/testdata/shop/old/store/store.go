// Package store keeps orders in PostgreSQL; its migrations are embedded.
package store

import "embed"

// Migrations are run by goose at start-up.
//
//go:embed migrations/*.sql
var Migrations embed.FS
