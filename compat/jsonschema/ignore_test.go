package jsonschema_test

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	// The OpenAPI engine's rules are registered so that a directive naming one is told
	// apart from a directive naming no rule at all, as in the command, which links every
	// engine (the error_ignore_other_kind archive relies on it too).
	_ "github.com/compatcheck/compatcheck/compat/openapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIgnoreDirectiveErrors checks every way a directive can be wrong, each a positioned
// error at the text (or the value) at fault.
func TestIgnoreDirectiveErrors(t *testing.T) {
	tests := []struct {
		name, value, err string
	}{
		{"empty", `""`, `new/s.json:1:60: compatcheck:ignore needs a rule ID and a reason`},
		{"blank", `"   "`, `new/s.json:1:60: compatcheck:ignore needs a rule ID and a reason`},
		{"no reason", `"MAX_LENGTH_DECREASED"`, `new/s.json:1:60: compatcheck:ignore MAX_LENGTH_DECREASED needs a reason after the rule ID`},
		{"unknown rule", `"NO_SUCH_RULE why"`, `new/s.json:1:60: compatcheck:ignore names unknown jsonschema rule NO_SUCH_RULE (compatcheck rules --kind jsonschema lists them)`},
		{"other kind", `["MAX_LENGTH_DECREASED ok", "OPERATION_REMOVED why"]`, `new/s.json:1:88: compatcheck:ignore names openapi rule OPERATION_REMOVED, which no JSON Schema finding carries (compatcheck rules --kind jsonschema lists those)`},
		{"number", `3`, `new/s.json:1:60: x-compatcheck-ignore must be a string "RULE reason" or a list of them`},
		{"null", `null`, `new/s.json:1:60: x-compatcheck-ignore must be a string "RULE reason" or a list of them`},
		{"list item", `["MAX_LENGTH_DECREASED ok", true]`, `new/s.json:1:88: x-compatcheck-ignore must be a string "RULE reason" or a list of them`},
	}
	old := source("old", "s.json", `{"type": "string", "maxLength": 9}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			new := source("new", "s.json", `{"type": "string", "maxLength": 8, "x-compatcheck-ignore": `+tt.value+`}`)
			_, err := jsonschema.Compare(context.Background(), old, new, jsonschema.Options{})
			require.Error(t, err)
			assert.IsType(t, &compat.Error{}, err)
			assert.Equal(t, tt.err, err.Error())
		})
	}
}

// TestIgnoreSingleFiles compares two single files of different names: a finding about
// what only the old file holds is named after the old file, and the directive on the
// schema that lost it covers it still.
func TestIgnoreSingleFiles(t *testing.T) {
	old := source("old", "v1.json", `{"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "properties": {"a": {"maxLength": 3}}}`)
	new := source("new", "v2.json", `{"type": "object", "x-compatcheck-ignore": ["PATTERN_PROPERTY_REMOVED no writer sends x- names", "MAX_LENGTH_DECREASED a is a 2-letter code"],
		"properties": {"a": {"maxLength": 2}}}`)
	rep, err := jsonschema.Compare(context.Background(), old, new, jsonschema.Options{})
	require.NoError(t, err)
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Rule+" "+f.Subject] = f.Suppressed
	}
	assert.Equal(t, map[string]string{
		"PATTERN_PROPERTY_REMOVED v1.json#/patternProperties/^x-": "no writer sends x- names",
		"MAX_LENGTH_DECREASED v2.json#/properties/a":              "a is a 2-letter code",
	}, got)
	assert.Empty(t, rep.Unused)
	assert.Equal(t, compat.None, rep.Verdict())
}

// TestIgnoreOnlyInNew checks that directives in OLD are not read: the ignore belongs to the
// change being made, and one left in OLD by an earlier change suppresses nothing now.
func TestIgnoreOnlyInNew(t *testing.T) {
	old := source("old", "s.json", `{"type": "string", "maxLength": 9, "x-compatcheck-ignore": "MAX_LENGTH_DECREASED an old reason"}`)
	new := source("new", "s.json", `{"type": "string", "maxLength": 8}`)
	rep, err := jsonschema.Compare(context.Background(), old, new, jsonschema.Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Empty(t, rep.Findings[0].Suppressed)
	assert.Empty(t, rep.Unused)
	assert.Equal(t, compat.Breaking, rep.Verdict())
}

func source(name, file, data string) compat.Source {
	return compat.Source{Name: name, File: file, FS: fstest.MapFS{file: {Data: []byte(data)}}}
}
