// Package good has contracts and a baseline, generated from this old tree.
package good

// Level is a contract enum.
//
//compatcheck:contract
type Level int

// The levels.
const (
	Low Level = iota
	High
)
