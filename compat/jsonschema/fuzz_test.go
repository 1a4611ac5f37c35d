package jsonschema

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// FuzzCompare feeds arbitrary old and new schema files to the engine: it must return a
// report or a positioned error, never panic, hang or report an internal error.
func FuzzCompare(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", "") {
		f.Add(p[0], p[1], false)
	}
	f.Add([]byte("type: string\n"), []byte("type: [string, 'null']\n"), true)
	f.Fuzz(func(t *testing.T, old, new []byte, yaml bool) {
		name := "s.json"
		if yaml {
			name = "s.yaml"
		}
		src := func(label string, data []byte) compat.Source {
			return compat.Source{FS: fstest.MapFS{name: {Data: data}}, File: name, Name: label}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, model := range []Model{ProduceAccept, Strict} {
			rep, err := Compare(ctx, src("old", old), src("new", new), Options{Model: model, Budget: 20000})
			if err != nil {
				if strings.Contains(err.Error(), "internal error") {
					t.Fatalf("internal error: %v", err)
				}
				continue
			}
			for _, x := range rep.Findings {
				if x.Rule == "" || x.Subject == "" || x.Message == "" {
					t.Fatalf("incomplete finding %+v", x)
				}
			}
		}
	})
}
