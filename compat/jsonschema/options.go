package jsonschema

import (
	"encoding/json"
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

// Options tunes the JSON Schema comparison. The zero value uses the produce-accept model.
type Options struct {
	Model Model
	// Budget bounds how many schema pairs the comparison of one pair of files examines
	// before it answers "no" for the rest and says so (see CompareOptions.Budget). Zero
	// means the default.
	Budget int

	// onWitness, set by tests, sees every witness the engine verified.
	onWitness func(producer, acceptor *node, w json.RawMessage)
}
