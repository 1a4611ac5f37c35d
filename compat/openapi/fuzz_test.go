package openapi

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/tools/txtar"
)

// FuzzCompare feeds arbitrary pairs of root documents to Compare: whatever the input, it
// must return a report or an input error, never panic (the top-level recover turns a
// panic into an "internal error", which fails the fuzz target) and never hang.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var old, new []byte
		for _, af := range ar.Files {
			switch {
			case strings.HasPrefix(af.Name, "old/") && old == nil:
				old = af.Data
			case strings.HasPrefix(af.Name, "new/") && new == nil:
				new = af.Data
			}
		}
		if old != nil && new != nil {
			f.Add(old, new)
		}
	}
	f.Fuzz(func(t *testing.T, old, new []byte) {
		src := func(data []byte) compat.Source {
			return compat.Source{FS: fstest.MapFS{"openapi.yaml": {Data: data}}, File: "openapi.yaml"}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := Compare(ctx, src(old), src(new), Options{Now: func() time.Time { return testNow }})
		if err != nil && strings.Contains(err.Error(), "internal error") {
			t.Fatalf("internal error: %v", err)
		}
	})
}
