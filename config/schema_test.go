package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/yamljson"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const schemaFile = "compatcheck.schema.json"

// compileSchema compiles the shipped schema, which also checks it against the 2020-12
// metaschema. Formats are asserted, as editors do for "date".
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	require.NoError(t, c.AddResource(schemaFile, bytes.NewReader(data)))
	s, err := c.Compile(schemaFile)
	require.NoError(t, err)
	return s
}

// schemaJSON returns the schema as plain JSON values, to read its keys.
func schemaJSON(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func propertiesAt(t *testing.T, schema map[string]any, path ...string) []string {
	t.Helper()
	var node any = schema
	for _, p := range path {
		m, ok := node.(map[string]any)
		require.True(t, ok, "schema has no object at %v", path)
		node = m[p]
	}
	props, ok := node.(map[string]any)["properties"].(map[string]any)
	require.True(t, ok, "schema has no properties at %v", path)
	var keys []string
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sorted(keys []string) []string {
	out := slices.Clone(keys)
	slices.Sort(out)
	return out
}

// TestSchemaKeysMatchDecoder checks that the schema describes exactly the keys the
// decoder reads, object by object: a key the decoder knows and the schema lacks would
// be flagged by editors, and one the schema offers that the decoder refuses would be
// completed by editors and then refused.
func TestSchemaKeysMatchDecoder(t *testing.T) {
	s := schemaJSON(t)
	assert.Equal(t, sorted(keysOf(topFields)), propertiesAt(t, s), "top level")
	assert.Equal(t, sorted(keysOf(contractFields)), propertiesAt(t, s, "$defs", "contract"), "contracts[]")
	assert.Equal(t, sorted(keysOf(rulesFields)), propertiesAt(t, s, "$defs", "rules"), "rules")
	assert.Equal(t, sorted(keysOf(ignoreFields)), propertiesAt(t, s, "$defs", "ignore"), "ignore[]")
	assert.Equal(t, float64(Version), s["properties"].(map[string]any)["version"].(map[string]any)["const"])
}

// TestSchemaAgreesOnExamples judges every example configuration with both the schema and
// the decoder. They must agree, except where an example says why the schema cannot see
// the problem (the rule registry, uniqueness across items, glob syntax).
func TestSchemaAgreesOnExamples(t *testing.T) {
	schema := compileSchema(t)
	for _, dir := range []string{"valid", "invalid"} {
		for _, ex := range examples(t, dir) {
			t.Run(dir+"/"+ex.file, func(t *testing.T) {
				_, decErr := Parse("compatcheck.yaml", ex.data)
				if ex.schema == "skip" {
					return
				}
				// A document JSON cannot hold (a repeated key) is refused on the JSON side.
				v, schemaErr := yamljson.Decode(ex.data)
				if schemaErr == nil {
					schemaErr = schema.Validate(v)
				}
				switch {
				case ex.schema == "accepts":
					require.Error(t, decErr)
					assert.NoError(t, schemaErr, "the example says the schema accepts it")
				case decErr == nil:
					assert.NoError(t, schemaErr, "the decoder accepts it, the schema must too")
				default:
					assert.Error(t, schemaErr, "the decoder refuses it (%v), the schema must too", decErr)
				}
			})
		}
	}
}

// TestSchemaAgreesOnOptionKinds writes every kind-specific option on a contract of
// every kind: the decoder and the schema must accept and refuse the same pairs.
func TestSchemaAgreesOnOptionKinds(t *testing.T) {
	values := map[string]string{
		"proto-encoding":     "[wire]",
		"proto-json-readers": "strict",
		"proto-full-check":   "true",
		"proto-paths":        "[third_party]",
		"audience":           "internal",
		"schema-model":       "strict",
		"refs":               "strict",
		"pg-version":         "15",
		"sql-layout":         "goose",
	}
	schema := compileSchema(t)
	kinds := []compat.Kind{compat.KindProto, compat.KindJSONSchema, compat.KindOpenAPI, compat.KindSQL}
	for _, f := range contractFields {
		if len(f.kinds) == 0 {
			continue
		}
		value, ok := values[f.key]
		require.True(t, ok, "add an example value for the option %s to this test", f.key)
		for _, kind := range kinds {
			data := fmt.Sprintf("version: 1\ncontracts:\n  - name: c\n    path: c\n    kind: %s\n    %s: %s\n", kind, f.key, value)
			_, decErr := Parse("compatcheck.yaml", []byte(data))
			v, err := yamljson.Decode([]byte(data))
			require.NoError(t, err)
			schemaErr := schema.Validate(v)
			applies := slices.Contains(f.kinds, kind)
			assert.Equal(t, applies, decErr == nil, "decoder, %s on %s: %v", f.key, kind, decErr)
			assert.Equal(t, applies, schemaErr == nil, "schema, %s on %s: %v", f.key, kind, schemaErr)
		}
	}
}
