package openapi

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// FuzzCompare feeds arbitrary pairs of root documents to Compare: whatever the input, it
// must return a report or an input error, never panic (the top-level recover turns a
// panic into an "internal error", which fails the fuzz target) and never hang.
func FuzzCompare(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", "") {
		f.Add(p[0], p[1])
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
