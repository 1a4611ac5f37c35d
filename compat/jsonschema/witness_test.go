package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	js "github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

// freshCompiler registers every schema file of a tree with a new validator compiler,
// independent of the engine's own, so witnesses are re-checked from scratch.
func freshCompiler(t *testing.T, src compat.Source) *js.Compiler {
	t.Helper()
	c := js.NewCompiler()
	c.Draft = js.Draft2020
	c.AssertFormat = true
	err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src.FS, p)
		require.NoError(t, err)
		v, _, err := decodeFile(p, data)
		require.NoError(t, err)
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return c.AddResource(docURL(p), bytes.NewReader(b))
	})
	require.NoError(t, err)
	return c
}

// TestWitnessesValidate re-validates every witness of every golden archive: the producing
// side accepts it and the accepting side rejects it, and every witness in a report is one
// the engine verified.
func TestWitnessesValidate(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	checked := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		old, new := compattest.Trees(ar)
		type rec struct {
			producer, acceptor *node
			w                  json.RawMessage
		}
		var log []rec
		opts := Options{onWitness: func(p, a *node, w json.RawMessage) { log = append(log, rec{p, a, w}) }}
		if m := compattest.Option(string(ar.Comment), "model"); m != "" {
			opts.Model, err = ParseModel(m)
			require.NoError(t, err)
		}
		rep, err := Compare(context.Background(), old, new, opts)
		if err != nil {
			continue // error archives
		}
		compilers := map[*Schemas]*js.Compiler{}
		seen := map[string]bool{}
		for _, r := range log {
			seen[string(r.w)] = true
			for _, side := range []struct {
				n    *node
				want bool
			}{{r.producer, true}, {r.acceptor, false}} {
				n := side.n
				if n.s == nil {
					continue // an implied schema (absent keyword): checked by type only
				}
				c := compilers[n.side]
				if c == nil {
					c = freshCompiler(t, sourceOf(n, old, new))
					compilers[n.side] = c
				}
				s, err := c.Compile(docURL(n.file) + "#" + (&url.URL{Path: n.ptr}).EscapedPath())
				require.NoError(t, err, "%s: %s", file, n.loc())
				dec := json.NewDecoder(strings.NewReader(string(r.w)))
				dec.UseNumber()
				var v any
				require.NoError(t, dec.Decode(&v))
				got := s.Validate(v) == nil
				assert.Equal(t, side.want, got, "%s: witness %s against %s", file, r.w, n.loc())
				checked++
			}
		}
		for _, f := range rep.Findings {
			if len(f.Witness) > 0 {
				assert.True(t, seen[string(f.Witness)], "%s: unverified witness %s", file, f.Witness)
				assert.False(t, f.Backward && f.Forward, "%s: witness on an additive finding", file)
			}
		}
	}
	assert.Greater(t, checked, 20)
}

// sourceOf finds which tree a node's Schemas was built from, by its document set.
func sourceOf(n *node, old, new compat.Source) compat.Source {
	if n.side.tree == "old" {
		return old
	}
	return new
}
