package compat

import (
	"fmt"
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

func TestSourceExclude(t *testing.T) {
	fsys := fstest.MapFS{
		"api/order.json":               {Data: []byte("{}")},
		"api/examples/order.json":      {Data: []byte("{}")},
		"api/examples/deep/more.json":  {Data: []byte("{}")},
		"package.json":                 {Data: []byte("{}")},
		"web/package.json":             {Data: []byte("{}")},
		"migrations/1_init.up.sql":     {Data: []byte("")},
		"migrations/seed.sql":          {Data: []byte("")},
		"migrations/fixtures/a.sql":    {Data: []byte("")},
		"schemas/v1/user.schema.json":  {Data: []byte("{}")},
		"schemas/v1/user.example.json": {Data: []byte("{}")},
	}
	all := []string{
		"api/examples/deep/more.json", "api/examples/order.json", "api/order.json",
		"migrations/1_init.up.sql", "migrations/fixtures/a.sql", "migrations/seed.sql",
		"package.json", "schemas/v1/user.example.json", "schemas/v1/user.schema.json", "web/package.json",
	}
	tests := []struct {
		name    string
		exclude []string
		want    []string
	}{
		{"none", nil, all},
		// A pattern with a slash matches the whole path: one star stays in one segment.
		{"one segment", []string{"api/examples/*.json"}, without(all, "api/examples/order.json")},
		// A matched directory is skipped with everything under it.
		{"directory", []string{"api/examples"}, without(all, "api/examples/deep/more.json", "api/examples/order.json")},
		{"doublestar", []string{"**/examples/**"}, without(all, "api/examples/deep/more.json", "api/examples/order.json")},
		// A pattern without a slash matches base names at any depth, as in .gitignore.
		{"base name anywhere", []string{"package.json"}, without(all, "package.json", "web/package.json")},
		{"base name glob", []string{"*.example.json", "seed.sql"}, without(all, "schemas/v1/user.example.json", "migrations/seed.sql")},
		{"directory by base name", []string{"fixtures"}, without(all, "migrations/fixtures/a.sql")},
		{"alternatives", []string{"{package,order}.json"}, without(all, "package.json", "web/package.json", "api/order.json", "api/examples/order.json")},
		// A slash pattern is anchored at the root: it does not match deeper.
		{"anchored", []string{"examples/*.json"}, all},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := Source{FS: fsys, Name: "repo", Exclude: tt.exclude}
			got, err := src.Files()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}

	// Excluded files stay readable: they may be imported or referenced.
	src := Source{FS: fsys, Name: "repo", Exclude: []string{"package.json"}}
	_, err := src.ReadFile("package.json")
	require.NoError(t, err)

	// A sub-tree keeps the meaning of patterns written for the root.
	sub, err := Source{FS: fsys, Name: "repo", Exclude: []string{"api/examples/**"}}.Sub("api")
	require.NoError(t, err)
	got, err := sub.Files(".json")
	require.NoError(t, err)
	assert.Equal(t, []string{"order.json"}, got)

	// A one-file source is the file the user named; excludes do not remove it.
	one := Source{FS: fsys, File: "package.json", Exclude: []string{"package.json"}}
	got, err = one.Files(".json")
	require.NoError(t, err)
	assert.Equal(t, []string{"package.json"}, got)
}

func without(all []string, drop ...string) []string {
	var out []string
	for _, p := range all {
		keep := true
		for _, d := range drop {
			keep = keep && p != d
		}
		if keep {
			out = append(out, p)
		}
	}
	return out
}

func TestSourceExcludeInvalid(t *testing.T) {
	for pattern, want := range map[string]string{
		"":           "exclude pattern is empty",
		"/abs/*.sql": `exclude pattern "/abs/*.sql" is absolute; patterns are relative to the contract's root`,
		"[abc":       `exclude pattern "[abc" is not a valid glob: a [ or { is not closed`,
		"{a,b":       `exclude pattern "{a,b" is not a valid glob: a [ or { is not closed`,
	} {
		assert.EqualError(t, ValidateExclude(pattern), want)
		src := Source{FS: fstest.MapFS{"a.json": {Data: []byte("{}")}}, Name: "v1", Exclude: []string{pattern}}
		_, err := src.Files()
		assert.EqualError(t, err, "v1: "+want)
	}
	for _, ok := range []string{"a.json", "**/x/**", "examples/*.{json,yaml}", `a\*b`} {
		assert.NoError(t, ValidateExclude(ok), ok)
	}
}

// BenchmarkSourceFilesExclude lists a tree of 20,000 files on disk (a large protobuf or
// schema repository) with and without three excludes, to show what the filter costs.
func BenchmarkSourceFilesExclude(b *testing.B) {
	dir := b.TempDir()
	for d := 0; d < 200; d++ {
		for f := 0; f < 100; f++ {
			name := filepath.Join(dir, fmt.Sprintf("pkg%03d", d), "v1", fmt.Sprintf("file%03d.proto", f))
			if f%10 == 0 {
				name = filepath.Join(dir, fmt.Sprintf("pkg%03d", d), "examples", fmt.Sprintf("file%03d.json", f))
			}
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, tt := range []struct {
		name    string
		exclude []string
	}{
		{"none", nil},
		{"three", []string{"**/examples/**", "package.json", "pkg1*/v1/file00?.proto"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			src, err := OpenPath(dir)
			if err != nil {
				b.Fatal(err)
			}
			src.Exclude = tt.exclude
			for b.Loop() {
				if _, err := src.Files(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
