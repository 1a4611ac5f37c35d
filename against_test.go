package compatcheck_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompareAgainst compares contracts at a tag with the working tree: a changed one, a
// new one that the tag does not have, and a missing one.
func TestCompareAgainst(t *testing.T) {
	g := gittest.New(t)
	g.Write(map[string]string{
		"proto/a.proto": "syntax = \"proto3\";\npackage p;\nmessage M {\n  string a = 1;\n  string b = 2;\n}\n",
	})
	g.Commit("v1", gittest.Epoch)
	g.Tag("v1.0.0", true, gittest.Epoch)
	g.Write(map[string]string{
		"proto/a.proto":      "syntax = \"proto3\";\npackage p;\nmessage M {\n  string a = 1;\n}\n",
		"schemas/order.json": `{"type": "object"}`,
	})
	ctx := context.Background()
	t.Chdir(g.Dir)
	repo, err := gitsrc.Open(ctx, ".")
	require.NoError(t, err)
	defer repo.Close()

	results, err := compatcheck.CompareAgainst(ctx, repo, "v1.0.0", []string{"proto", "schemas/order.json"}, compatcheck.Options{})
	require.NoError(t, err)
	require.Len(t, results, 2)
	assert.Equal(t, "proto", string(results[0].Kind))
	assert.False(t, results[0].New)
	require.Len(t, results[0].Report.Findings, 1)
	assert.Equal(t, "FIELD_DELETED", results[0].Report.Findings[0].Rule)
	assert.Equal(t, "a.proto", results[0].Report.Findings[0].Old.File)
	assert.True(t, results[1].New, "a path the tag does not have is a new contract")
	assert.Empty(t, results[1].Report.Findings)

	merged := compatcheck.MergeAgainst(results)
	require.Len(t, merged.Findings, 1)
	assert.Equal(t, "proto/a.proto", merged.Findings[0].Old.File)

	_, err = compatcheck.CompareAgainst(ctx, repo, "v1.0.0", []string{filepath.Join("nowhere", "x.proto")}, compatcheck.Options{})
	assert.EqualError(t, err, "nowhere/x.proto: no such file or directory")
	_, err = compatcheck.CompareAgainst(ctx, repo, "v2.0.0", []string{"proto"}, compatcheck.Options{})
	assert.ErrorContains(t, err, "unknown revision v2.0.0")
}
