package jsonschema

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/internal/corpora"
	"golang.org/x/tools/txtar"
)

func mapSource(name string, files map[string]string) compat.Source {
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(data), Mode: 0o644}
	}
	return compat.Source{FS: fsys, Name: name}
}

// TestGroupDirs checks which files the split of two directories keeps together: every
// way a comparison may connect two files must join them, and files nothing connects are
// apart.
func TestGroupDirs(t *testing.T) {
	const d7 = `"$schema": "http://json-schema.org/draft-07/schema#"`
	tests := []struct {
		name     string
		old, new map[string]string
		want     [][]string // nil: the directories are compared as a whole
	}{
		{
			name: "unrelated files apart, a draft's metaschema joins nothing",
			old:  map[string]string{"a.json": `{` + d7 + `}`, "b.json": `{` + d7 + `, "$ref": "http://json-schema.org/draft-07/schema#"}`},
			new:  map[string]string{"a.json": `{` + d7 + `}`, "c.json": `{` + d7 + `}`},
			want: [][]string{{"a.json"}, {"b.json"}, {"c.json"}},
		},
		{
			name: "relative reference, in one version only",
			old:  map[string]string{"a.json": `{` + d7 + `}`, "sub/b.json": `{` + d7 + `}`},
			new:  map[string]string{"a.json": `{` + d7 + `, "properties": {"x": {"$ref": "sub/b.json#/definitions/y"}}}`, "sub/b.json": `{` + d7 + `}`},
			want: [][]string{{"a.json", "sub/b.json"}},
		},
		{
			name: "reference by root $id, percent-escaped",
			old: map[string]string{
				"a.json":   `{` + d7 + `, "$ref": "https://example.com/s/b%20c.json"}`,
				"x/y.json": `{` + d7 + `, "$id": "https://example.com/s/b%20c.json"}`,
				"z.json":   `{` + d7 + `}`,
			},
			new:  map[string]string{},
			want: [][]string{{"a.json", "x/y.json"}, {"z.json"}},
		},
		{
			name: "one schema outside the tree, one stand-in",
			old: map[string]string{
				"a.json": `{` + d7 + `, "$ref": "https://example.com/ext.json#/a"}`,
				"b.json": `{` + d7 + `, "$ref": "https://example.com/ext.json#/b"}`,
				"c.json": `{` + d7 + `, "$ref": "http://json-schema.org/draft-07/schema#/definitions/x"}`,
				"d.json": `{` + d7 + `, "$ref": "http://json-schema.org/draft-07/schema#/definitions/y"}`,
			},
			new:  map[string]string{},
			want: [][]string{{"a.json", "b.json"}, {"c.json", "d.json"}},
		},
		{
			name: "documents claiming one $id, also without a last segment",
			old: map[string]string{
				"a.json": `{` + d7 + `, "$id": "https://example.com/"}`,
				"b.json": `{` + d7 + `, "$id": "https://example.com/"}`,
				"c.json": `{"$schema": "http://json-schema.org/draft-04/schema#", "id": "urn:example:c"}`,
				"d.json": `{` + d7 + `, "$ref": "urn:example:c#/definitions/x"}`,
			},
			new:  map[string]string{},
			want: [][]string{{"a.json", "b.json"}, {"c.json", "d.json"}},
		},
		{
			name: "a reference whose last segment cannot be told",
			old:  map[string]string{"a/b.json": `{` + d7 + `, "$ref": "../"}`, "c.json": `{` + d7 + `}`},
			new:  map[string]string{},
		},
		{
			name: "a document declaring vocabularies",
			old:  map[string]string{"a.json": `{` + d7 + `, "$vocabulary": {}}`, "c.json": `{` + d7 + `}`},
			new:  map[string]string{},
		},
		{
			name: "a file that does not decode",
			old:  map[string]string{"a.json": `{`, "c.json": `{` + d7 + `}`},
			new:  map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, ok := groupDirs(mapSource("old", tt.old), mapSource("new", tt.new))
			if tt.want == nil {
				if ok {
					t.Fatalf("split into %v, want the directories whole", g.groups)
				}
				return
			}
			if !ok {
				t.Fatal("compared whole, want a split")
			}
			// Groups come largest first (compareGroups takes them in that order); the
			// split itself is compared in name order.
			if len(g.sizes) != len(g.groups) || !slices.IsSortedFunc(g.sizes, func(a, b int) int { return b - a }) {
				t.Errorf("group sizes %v not largest first", g.sizes)
			}
			byName := slices.Clone(g.groups)
			slices.SortFunc(byName, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
			if !slices.EqualFunc(byName, tt.want, slices.Equal[[]string]) {
				t.Errorf("groups %v, want %v", byName, tt.want)
			}
			if !g.oldLibrary {
				t.Error("draft-07 documents read natively")
			}
		})
	}
}

// TestGroupedMatchesWhole compares every golden archive group by group and as a whole,
// both ways round: the reports (or errors) must be byte-identical. Archives whose
// versions may be read natively are compared whole by Compare; they are compared here
// with native reading off too, which every archive can be split under.
func TestGroupedMatchesWhole(t *testing.T) {
	t.Run("as Compare reads them", func(t *testing.T) { groupedMatchesWhole(t, 1) })
	t.Run("library only", func(t *testing.T) {
		forceLibrary = true
		defer func() { forceLibrary = false }()
		groupedMatchesWhole(t, 90)
	})
	t.Run("every group heavy", func(t *testing.T) {
		// compareGroups then compares the groups one after the other on one worker.
		heavy := heavyGroupBytes
		forceLibrary, heavyGroupBytes = true, 0
		defer func() { forceLibrary, heavyGroupBytes = false, heavy }()
		groupedMatchesWhole(t, 90)
	})
}

// TestCompareGroupsCanceled checks that a caller who gave up gets its context's error,
// not a report of the groups compared so far, whether the groups are light or heavy.
func TestCompareGroupsCanceled(t *testing.T) {
	const d7 = `{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}`
	files := map[string]string{"a.json": d7, "b.json": d7, "c.json": d7}
	old, new := mapSource("old", files), mapSource("new", files)
	for _, heavy := range []int{1 << 20, 0} {
		prev := heavyGroupBytes
		heavyGroupBytes = heavy
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rep, err := compareGrouped(ctx, old, new, Options{})
		heavyGroupBytes = prev
		if !errors.Is(err, context.Canceled) || rep != nil {
			t.Errorf("heavy from %d bytes: got %v, %v; want no report and context.Canceled", heavy, rep, err)
		}
	}
}

func groupedMatchesWhole(t *testing.T, least int) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	grouped := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		opts, err := goldenOptions(string(ar.Comment))
		if err != nil {
			t.Fatal(err)
		}
		old, new := compattest.Trees(ar)
		for _, pair := range [][2]compat.Source{{old, new}, {new, old}} {
			got, gerr := compareGrouped(context.Background(), pair[0], pair[1], opts)
			if errors.As(gerr, &errWholeDirectory{}) {
				continue
			}
			grouped++
			want, werr := compareWhole(context.Background(), pair[0], pair[1], opts)
			if !sameOutcome(t, got, gerr, want, werr) {
				t.Errorf("%s (%s → %s): grouped and whole comparisons differ", file, pair[0].Name, pair[1].Name)
			}
		}
	}
	if grouped < least {
		t.Fatalf("%d archives compared group by group, want at least %d", grouped, least)
	}
	t.Logf("%d comparisons group by group", grouped)
}

func sameOutcome(t *testing.T, a *compat.Report, aerr error, b *compat.Report, berr error) bool {
	if aerr != nil || berr != nil {
		return aerr != nil && berr != nil && aerr.Error() == berr.Error()
	}
	return bytes.Equal(compattest.EncodeJSON(t, a), compattest.EncodeJSON(t, b))
}

// TestCorpusSchemaStoreGrouped compares SchemaStore's snapshots group by group and as a
// whole: the reports must be byte-identical and the split must have happened.
func TestCorpusSchemaStoreGrouped(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	root := filepath.Join(corpora.Dir(), "schemastore-1year")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("corpus %s absent", root)
	}
	old := compat.Source{FS: os.DirFS(filepath.Join(root, "old")), Name: "old"}
	new := compat.Source{FS: os.DirFS(filepath.Join(root, "new")), Name: "new"}
	g, ok := groupDirs(old, new)
	if !ok {
		t.Fatal("SchemaStore is compared as a whole")
	}
	t.Logf("%d groups", len(g.groups))
	got, gerr := compareGrouped(context.Background(), old, new, Options{})
	want, werr := compareWhole(context.Background(), old, new, Options{})
	if !sameOutcome(t, got, gerr, want, werr) {
		t.Errorf("grouped and whole comparisons differ (errors %v, %v)", gerr, werr)
	}
}

// FuzzCompareGrouped feeds two directories of two arbitrary schema files each to the
// grouped and the whole directory comparison: they must give byte-identical reports or
// the same error, and the split must never panic. The files refer to each other (or not)
// however the inputs say, so that the split is tried on every kind of reference.
func FuzzCompareGrouped(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", ".json") {
		f.Add(p[0], p[1], []byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "a.json"}`))
	}
	f.Add([]byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"x": {"$ref": "b.json#/definitions/y"}}}`),
		[]byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"x": {"type": "string"}}}`),
		[]byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"y": {"type": "integer"}}}`))
	f.Fuzz(func(t *testing.T, a1, a2, b []byte) {
		dir := func(name string, a []byte) compat.Source {
			return compat.Source{FS: fstest.MapFS{"a.json": {Data: a}, "b.json": {Data: b}, "c.json": {Data: a2}}, Name: name}
		}
		old, new := dir("old", a1), dir("new", a2)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		opts := Options{Budget: 20000}
		got, gerr := compareGrouped(ctx, old, new, opts)
		if errors.As(gerr, &errWholeDirectory{}) {
			return
		}
		want, werr := compareWhole(ctx, old, new, opts)
		if ctx.Err() != nil {
			return
		}
		if !sameOutcome(t, got, gerr, want, werr) {
			t.Fatalf("grouped and whole comparisons differ: errors %v, %v", gerr, werr)
		}
	})
}
