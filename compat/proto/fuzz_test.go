package proto

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzCompare feeds arbitrary pairs of .proto texts to Compare, seeded from the golden
// archives. Compare must return a report or a *compat.Error, never panic or return an
// internal error, and comparing a valid file with itself must report nothing.
func FuzzCompare(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", ".proto") {
		f.Add(string(p[0]), string(p[1]))
	}
	f.Fuzz(func(t *testing.T, oldText, newText string) {
		if len(oldText) > 1<<16 || len(newText) > 1<<16 {
			return
		}
		old := compat.Source{FS: fstest.MapFS{"a.proto": {Data: []byte(oldText)}}, Name: "old"}
		new := compat.Source{FS: fstest.MapFS{"a.proto": {Data: []byte(newText)}}, Name: "new"}
		ctx := context.Background()
		rep, err := Compare(ctx, old, new, Options{})
		if err != nil {
			var ce *compat.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a *compat.Error: %v", err)
			}
			return
		}
		for _, fi := range rep.Findings {
			if fi.Message == "" || fi.Subject == "" {
				t.Fatalf("finding without subject or message: %+v", fi)
			}
		}
		self, err := Compare(ctx, new, compat.Source{FS: fstest.MapFS{"a.proto": {Data: []byte(newText + "\n")}}, Name: "new"}, Options{})
		if err != nil {
			// Identical inputs are not compiled, so an invalid NEW may surface only here.
			var ce *compat.Error
			if !errors.As(err, &ce) || oldText != newText {
				t.Fatalf("self comparison failed: %v", err)
			}
			return
		}
		if len(self.Findings) != 0 {
			t.Fatalf("self comparison reported findings:\n%s", compattest.EncodeJSON(t, self))
		}
	})
}

// TestSourceKinds covers the input shapes the golden archives do not: a one-file source
// paired with a file of another name, and options the CLI passes.
func TestSourceKinds(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldPath := write("v1/order.proto", "syntax = \"proto3\";\npackage shop.v1;\nmessage Order { string id = 1; }\n")
	newPath := write("v2/order_v2.proto", "syntax = \"proto3\";\npackage shop.v1;\nmessage Order { string id = 1; int32 qty = 2; }\n")
	old, err := compat.OpenPath(oldPath)
	if err != nil {
		t.Fatal(err)
	}
	new, err := compat.OpenPath(newPath)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Compare(context.Background(), old, new, Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Equal(t, "FIELD_ADDED", rep.Findings[0].Rule)
	assert.Equal(t, "order_v2.proto:3:32", rep.Findings[0].New.String())

	_, err = Compare(context.Background(), old, new, Options{Encodings: []Encoding{"xml"}})
	assert.Error(t, err, "an unknown encoding must be refused")

	// An empty directory against a single file: the file's services are added, and the
	// other way round the file is deleted.
	empty := compat.Source{FS: fstest.MapFS{}, Name: "empty"}
	svc := compat.Source{FS: fstest.MapFS{"svc.proto": {Data: []byte("syntax = \"proto3\";\npackage p;\nmessage M {}\nservice S { rpc Get(M) returns (M); }\n")}}, File: "svc.proto", Name: "new"}
	rep, err = Compare(context.Background(), empty, svc, Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Equal(t, "SERVICE_ADDED", rep.Findings[0].Rule)
	rep, err = Compare(context.Background(), svc, empty, Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	assert.Equal(t, "FILE_DELETED", rep.Findings[0].Rule)
	rep, err = Compare(context.Background(), empty, empty, Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.Findings, "two empty contracts have nothing to compare")
}

// FuzzBufConfig feeds arbitrary buf.yaml and buf.work.yaml texts to the layout reader,
// seeded from the golden archives. It must return a layout or a *compat.Error, never panic,
// and every root, include path and exclude it returns must stay inside the side.
func FuzzBufConfig(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", "buf.yaml") {
		f.Add(string(p[1]), "")
	}
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", "buf.work.yaml") {
		f.Add("", string(p[1]))
	}
	f.Add("version: v2\nmodules:\n  - path: a\n  - path: a/b\n", "")
	f.Fuzz(func(t *testing.T, bufYAMLText, workText string) {
		fsys := fstest.MapFS{"a/x.proto": {Data: []byte("syntax = \"proto3\";\n")}}
		if bufYAMLText != "" {
			fsys[bufYAML] = &fstest.MapFile{Data: []byte(bufYAMLText)}
		}
		if workText != "" {
			fsys[bufWorkYAML] = &fstest.MapFile{Data: []byte(workText)}
		}
		lay, err := readLayout(compat.Source{FS: fsys, Name: "new"}, []string{"a"})
		if err != nil {
			var ce *compat.Error
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a *compat.Error: %v", err)
			}
			return
		}
		for _, d := range append(lay.dirs(), lay.excludes...) {
			if _, err := cleanDir(d); err != nil || !fs.ValidPath(d) {
				t.Fatalf("layout directory %q leaves the side: %v", d, err)
			}
		}
	})
}
