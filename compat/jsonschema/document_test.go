package jsonschema

import (
	"context"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openAPIDoc decodes an OpenAPI-like document: schemas live below /components/schemas,
// and the root is not a schema.
func openAPIDoc(t *testing.T, path, text string) Document {
	t.Helper()
	v, pos, err := decodeFile(path, []byte(text))
	require.NoError(t, err)
	return Document{Path: path, Value: v, Pos: pos}
}

func TestComparisonOverOpenAPIComponents(t *testing.T) {
	old := openAPIDoc(t, "api.yaml", `
openapi: 3.1.0
info: {title: pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, maxLength: 50}
        owner: {$ref: '#/components/schemas/Owner'}
        secret: {type: string, writeOnly: true}
    Owner:
      type: object
      properties:
        id: {type: integer}
`)
	new := openAPIDoc(t, "api.yaml", `
openapi: 3.1.0
info: {title: pets, version: "2"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string, maxLength: 20}
        owner: {$ref: '#/components/schemas/Owner'}
        secret: {type: integer, writeOnly: true}
    Owner:
      type: object
      properties:
        id: {type: number}
`)
	os, err := NewSchemas([]Document{old})
	require.NoError(t, err)
	ns, err := NewSchemas([]Document{new})
	require.NoError(t, err)
	cmp := NewComparison(os, ns, CompareOptions{IgnoreWriteOnly: true})
	ctx := context.Background()
	fs, err := cmp.Compare(ctx, "api.yaml#/components/schemas/Pet", "api.yaml#/components/schemas/Pet")
	require.NoError(t, err)
	var rules, subjects []string
	for _, f := range fs {
		rules = append(rules, f.Rule)
		subjects = append(subjects, f.Subject)
		assert.Equal(t, compat.KindJSONSchema, f.Kind)
		require.NotNil(t, f.New)
		assert.Positive(t, f.New.Line)
	}
	assert.ElementsMatch(t, []string{"MAX_LENGTH_DECREASED", "TYPE_WIDENED"}, rules)
	assert.Contains(t, subjects, "api.yaml#/components/schemas/Owner/properties/id")
	// The shared component is decided once: comparing it directly returns the same
	// finding, from the memo.
	again, err := cmp.Compare(ctx, "api.yaml#/components/schemas/Owner", "api.yaml#/components/schemas/Owner")
	require.NoError(t, err)
	require.Len(t, again, 1)
	assert.Equal(t, "TYPE_WIDENED", again[0].Rule)

	// Without IgnoreWriteOnly the writeOnly property's type change is reported too.
	all, err := NewComparison(os, ns, CompareOptions{}).Compare(ctx, "api.yaml#/components/schemas/Pet", "api.yaml#/components/schemas/Pet")
	require.NoError(t, err)
	assert.Len(t, all, 3)
}

func TestComparisonErrors(t *testing.T) {
	doc := openAPIDoc(t, "api.yaml", `
components:
  schemas:
    Bad: {$ref: 'https://example.com/remote.json'}
    Neg: {type: string, minLength: -2}
`)
	opaque, err := NewSchemas([]Document{doc})
	require.NoError(t, err)
	fs, err := NewComparison(opaque, opaque, CompareOptions{}).Compare(context.Background(), "api.yaml#/components/schemas/Bad", "api.yaml#/components/schemas/Bad")
	require.NoError(t, err, "a remote reference is opaque by default")
	assert.Empty(t, fs)
	sc, err := NewSchemasWith([]Document{doc}, SchemasOptions{Refs: RefsStrict})
	require.NoError(t, err)
	cmp := NewComparison(sc, sc, CompareOptions{})
	_, err = cmp.Compare(context.Background(), "api.yaml#/components/schemas/Bad", "api.yaml#/components/schemas/Bad")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "api.yaml:4:")
	assert.Contains(t, err.Error(), "remote schemas are never fetched")
	_, err = cmp.Compare(context.Background(), "api.yaml#/components/schemas/Neg", "api.yaml#/components/schemas/Neg")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "api.yaml:5:")
	_, err = cmp.Compare(context.Background(), "missing.yaml#", "api.yaml#/components/schemas/Neg")
	require.Error(t, err)
}

// TestConcurrentComparisons runs comparisons that share versions in opposite roles at
// once: they must neither race nor deadlock.
func TestConcurrentComparisons(t *testing.T) {
	a := openAPIDoc(t, "s.json", `{"type": "object", "properties": {"x": {"type": "string", "maxLength": 3}}}`)
	b := openAPIDoc(t, "s.json", `{"type": "object", "properties": {"x": {"type": "string", "maxLength": 5}}}`)
	sa, err := NewSchemas([]Document{a})
	require.NoError(t, err)
	sb, err := NewSchemas([]Document{b})
	require.NoError(t, err)
	done := make(chan []compat.Finding, 8)
	for i := 0; i < 8; i++ {
		go func(i int) {
			x, y := sa, sb
			if i%2 == 1 {
				x, y = sb, sa
			}
			fs, err := NewComparison(x, y, CompareOptions{}).Compare(context.Background(), "s.json#", "s.json#")
			assert.NoError(t, err)
			done <- fs
		}(i)
	}
	for i := 0; i < 8; i++ {
		assert.Len(t, <-done, 1)
	}
}
