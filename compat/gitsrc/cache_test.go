package gitsrc

import (
	"context"
	"testing"

	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestVersionsShareReads checks that two versions sharing files and directories read each
// shared object from git once: what makes a history of many releases cheap.
func TestVersionsShareReads(t *testing.T) {
	g := gittest.New(t)
	g.Write(map[string]string{"p/a.proto": "a", "p/sub/b.proto": "b", "p/c.proto": "c"})
	g.Commit("one", gittest.Epoch)
	g.Tag("v1", false, gittest.Epoch)
	g.Write(map[string]string{"p/c.proto": "c2"})
	g.Commit("two", gittest.Epoch)
	ctx := context.Background()
	r, err := Open(ctx, g.Dir)
	require.NoError(t, err)
	defer r.Close()
	read := func(ref string) int {
		c, err := r.Resolve(ctx, ref)
		require.NoError(t, err)
		before := r.requests
		src, _, err := r.Source(c, "p", ref, "p")
		require.NoError(t, err)
		files, err := src.Files()
		require.NoError(t, err)
		for _, f := range files {
			_, err := src.ReadFile(f)
			require.NoError(t, err)
		}
		return r.requests - before
	}
	// v1: the root tree, the trees of p and p/sub, and three files.
	assert.Equal(t, 6, read("v1"))
	// HEAD: new root and p trees and the changed file; p/sub and the other files are cached.
	assert.Equal(t, 3, read("HEAD"))
	assert.Equal(t, 0, read("HEAD"))

	data, err := treeFS{repo: r, root: mustTree(t, r, "HEAD")}.ReadFile("p/a.proto")
	require.NoError(t, err)
	data[0] = 'X' // ReadFile's result is the caller's to modify
	again, err := treeFS{repo: r, root: mustTree(t, r, "HEAD")}.ReadFile("p/a.proto")
	require.NoError(t, err)
	assert.Equal(t, "a", string(again))
}

func mustTree(t *testing.T, r *Repo, ref string) string {
	c, err := r.Resolve(context.Background(), ref)
	require.NoError(t, err)
	return c.Tree
}
