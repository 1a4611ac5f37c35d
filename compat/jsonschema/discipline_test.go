package jsonschema_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/compat/jsonschema/jsonschematest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

// documents reads a golden tree as the engine does.
func documents(t *testing.T, src compat.Source) []jsonschema.Document {
	t.Helper()
	var docs []jsonschema.Document
	err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src.FS, p)
		require.NoError(t, err)
		doc, err := jsonschema.DecodeDocument(p, data)
		require.NoError(t, err, p)
		docs = append(docs, doc)
		return nil
	})
	require.NoError(t, err)
	return docs
}

// TestWitnessDiscipline re-validates every witness of every golden archive with a
// validator independent of the engine (jsonschematest), and checks that every finding
// whose B or F is no carries such a witness or is undecided.
func TestWitnessDiscipline(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	checked := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		old, new := compattest.Trees(ar)
		comment := string(ar.Comment)
		var ws []jsonschema.Witness
		opts := jsonschema.Options{OnWitness: func(w jsonschema.Witness) { ws = append(ws, w) }}
		if m := compattest.Option(comment, "model"); m != "" {
			opts.Model, err = jsonschema.ParseModel(m)
			require.NoError(t, err)
		}
		if b := compattest.Option(comment, "budget"); b != "" {
			opts.Budget, err = strconv.Atoi(b)
			require.NoError(t, err)
		}
		if r := compattest.Option(comment, "refs"); r != "" {
			opts.Refs, err = jsonschema.ParseRefs(r)
			require.NoError(t, err)
		}
		rep, err := jsonschema.Compare(context.Background(), old, new, opts)
		if err != nil {
			continue // error archives
		}
		ov, err := jsonschematest.NewValidator(documents(t, old))
		require.NoError(t, err, file)
		nv, err := jsonschematest.NewValidator(documents(t, new))
		require.NoError(t, err, file)
		t.Run(filepath.Base(file), func(t *testing.T) {
			checked += jsonschematest.CheckReport(t, rep, ws, ov, nv)
		})
	}
	assert.Greater(t, checked, 100)
}
