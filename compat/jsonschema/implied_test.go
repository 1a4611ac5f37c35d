package jsonschema

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImpliedSchemasDoNotNest: the undeclared properties of an implied open schema are
// that schema again. When each level made a new implied schema one pointer segment
// deeper, a schema whose property refers back to its root compared, under the strict
// model, thousands of nested pairs whose pointers grew at every level (seconds for a
// 100-byte input the fuzzer found).
func TestImpliedSchemasDoNotNest(t *testing.T) {
	old := docsOf(t, map[string]string{"s.yaml": `{"$defs": {"0000": {}}, 0, "properties": {0: {"$ref": ""}, 00: {"$ref": "#/$defs"}}}`})
	new := docsOf(t, map[string]string{"s.yaml": `{f}}e`})
	olds, err := NewSchemas(old)
	require.NoError(t, err)
	news, err := NewSchemas(new)
	require.NoError(t, err)
	for _, model := range []Model{ProduceAccept, Strict} {
		c := NewComparison(olds, news, CompareOptions{Model: model, Budget: 20000})
		_, err := c.Compare(context.Background(), "s.yaml#", "s.yaml#")
		require.NoError(t, err)
		require.Less(t, len(c.memo), 100, "pairs compared under model %v", model)
	}
	n := olds.synthetic("s.yaml", "/x", true)
	n.open = true
	c := NewComparison(olds, news, CompareOptions{})
	require.Same(t, n, c.other(n))
}
