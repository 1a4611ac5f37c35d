package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(data), 0o644))
}

func TestFind(t *testing.T) {
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	deep := filepath.Join(repo, "services", "shop", "proto")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	require.NoError(t, os.Mkdir(filepath.Join(repo, ".git"), 0o755))
	// A configuration above the repository root never applies inside it.
	write(t, filepath.Join(top, "compatcheck.yaml"), "")

	got, err := Find(deep)
	require.NoError(t, err)
	assert.Equal(t, "", got, "nothing between the directory and the repository root")

	write(t, filepath.Join(repo, ".compatcheck.yaml"), "")
	got, err = Find(deep)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(repo, ".compatcheck.yaml"), got, "the hidden name is found at the root")

	// The nearest one wins.
	write(t, filepath.Join(repo, "services", "compatcheck.yaml"), "")
	got, err = Find(deep)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(repo, "services", "compatcheck.yaml"), got)

	// One directory holding both names is ambiguous.
	write(t, filepath.Join(repo, "compatcheck.yaml"), "")
	_, err = Find(repo)
	assert.EqualError(t, err, filepath.Join(repo, ".compatcheck.yaml")+": both compatcheck.yaml and .compatcheck.yaml are here; keep one")

	// A relative directory gives a relative path, readable from where the user stands.
	t.Chdir(deep)
	got, err = Find(".")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("..", "..", "compatcheck.yaml"), got)
}

func TestFindWorktreeAndOutsideRepository(t *testing.T) {
	// In a git worktree or submodule, .git is a file; it marks the root all the same.
	top := t.TempDir()
	wt := filepath.Join(top, "wt")
	write(t, filepath.Join(wt, ".git"), "gitdir: /elsewhere\n")
	write(t, filepath.Join(top, "compatcheck.yaml"), "")
	require.NoError(t, os.MkdirAll(filepath.Join(wt, "sub"), 0o755))
	got, err := Find(filepath.Join(wt, "sub"))
	require.NoError(t, err)
	assert.Equal(t, "", got)

	// Outside any repository only the directory itself is searched.
	plain := t.TempDir()
	inner := filepath.Join(plain, "inner")
	require.NoError(t, os.Mkdir(inner, 0o755))
	write(t, filepath.Join(plain, "compatcheck.yaml"), "")
	if repositoryRoot(plain) != "" {
		t.Skip("the temporary directory is inside a git repository")
	}
	got, err = Find(inner)
	require.NoError(t, err)
	assert.Equal(t, "", got)
	got, err = Find(plain)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(plain, "compatcheck.yaml"), got)
}
