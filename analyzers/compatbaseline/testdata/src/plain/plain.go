// Package plain holds no contracts and needs no baseline.
package plain

// Order is an ordinary Go type.
type Order struct{ ID string }
