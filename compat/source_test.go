package compat

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSourceFiles(t *testing.T) {
	src := Source{FS: fstest.MapFS{
		"b.proto":        {Data: []byte("b")},
		"a/x.proto":      {Data: []byte("x")},
		".git/HEAD":      {Data: []byte("ref")},
		"a/readme.md":    {Data: []byte("doc")},
		"c/.hidden/y.pb": {Data: []byte("y")},
	}, Name: "v1"}
	files, err := src.Files(".proto")
	require.NoError(t, err)
	assert.Equal(t, []string{"a/x.proto", "b.proto"}, files)
}

func TestSourceReadFileRefusesEscapes(t *testing.T) {
	src := Source{FS: fstest.MapFS{"a.json": {Data: []byte("{}")}}, Name: "old"}
	_, err := src.ReadFile("../secret.json")
	assert.EqualError(t, err, "old/../secret.json: path is outside the input tree")
	_, err = src.ReadFile("missing.json")
	assert.EqualError(t, err, "old/missing.json: no such file or directory")
}

func TestOpenPathAndSymlinkEscape(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(outside, "secret.json"), []byte("{}"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ok.json"), []byte("{}"), 0o644))
	require.NoError(t, os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(dir, "link.json")))

	src, err := OpenPath(dir)
	require.NoError(t, err)
	assert.True(t, src.IsDir())
	_, err = src.ReadFile("ok.json")
	require.NoError(t, err)
	_, err = src.ReadFile("link.json")
	assert.ErrorContains(t, err, "symbolic link leads outside the input tree")

	one, err := OpenPath(filepath.Join(dir, "ok.json"))
	require.NoError(t, err)
	assert.Equal(t, "ok.json", one.File)
	files, err := one.Files(".json")
	require.NoError(t, err)
	assert.Equal(t, []string{"ok.json"}, files)

	_, err = OpenPath(filepath.Join(dir, "nope"))
	assert.ErrorContains(t, err, "no such file or directory")
}

func TestSourceReadFileSizeLimit(t *testing.T) {
	src := Source{FS: fstest.MapFS{"big.json": {Data: make([]byte, MaxFileSize+1)}}, Name: "new"}
	_, err := src.ReadFile("big.json")
	assert.EqualError(t, err, "new/big.json: file is larger than the 64 MiB limit")
}
