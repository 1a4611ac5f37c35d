package jsonschema

import (
	"fmt"
	"strings"
)

// Model decides what writers built from a schema produce.
type Model int

const (
	// ProduceAccept (the default) assumes writers emit only what their schema names: a
	// writer never emits a property its schema does not declare, even where the schema
	// accepts unknown properties. Adding an optional property to an open object is then
	// additive.
	ProduceAccept Model = iota
	// Strict assumes writers may emit anything their schema accepts (Produce = Accept),
	// as pure set-inclusion checkers and Confluent's JSON Schema checker do.
	Strict
)

// String returns the flag spelling of the model.
func (m Model) String() string {
	if m == Strict {
		return "strict"
	}
	return "produce-accept"
}

// ParseModel reads "produce-accept" or "strict".
func ParseModel(s string) (Model, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "produce-accept", "produce_accept", "":
		return ProduceAccept, nil
	case "strict":
		return Strict, nil
	}
	return ProduceAccept, fmt.Errorf("unknown schema model %q (want produce-accept or strict)", s)
}

// Refs decides what a $ref to a schema outside the input (a remote URL that no document
// of the version has as its $id) does. Such a schema is never fetched.
type Refs int

const (
	// RefsOpaque (the default) reads such a reference as an opaque schema known only by
	// its URL: the same URL on both sides is no change, and a changed one is an undecided
	// finding (REF_TARGET_NOT_READ) whose message says the target was not read.
	RefsOpaque Refs = iota
	// RefsStrict refuses such a reference with a positioned error, for users who want
	// every schema a contract depends on in the input.
	RefsStrict
)

// String returns the flag spelling.
func (r Refs) String() string {
	if r == RefsStrict {
		return "strict"
	}
	return "opaque"
}

// ParseRefs reads "opaque" or "strict".
func ParseRefs(s string) (Refs, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "opaque", "":
		return RefsOpaque, nil
	case "strict":
		return RefsStrict, nil
	}
	return RefsOpaque, fmt.Errorf("unknown refs mode %q (want opaque or strict)", s)
}

// Options tunes the JSON Schema comparison. The zero value uses the produce-accept model.
type Options struct {
	Model Model
	// Refs decides what a $ref to a schema outside the input does (see [Refs]).
	Refs Refs
	// Budget bounds how many schema pairs the comparison of one pair of files examines
	// before it answers "no" for the rest and says so (see CompareOptions.Budget). Zero
	// means the default.
	Budget int

	// OnWitness, when set, sees every witness the engine reports (see CompareOptions).
	OnWitness func(Witness)
}
