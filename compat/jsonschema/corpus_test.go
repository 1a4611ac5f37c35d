package jsonschema_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/internal/corpora"
)

// corporaRoot is where the shared real-world contracts live, beside the repository.
var corporaRoot = corpora.Dir()

func corpusDir(t testing.TB, parts ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{corporaRoot}, parts...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus %s absent", dir)
	}
	return dir
}

func dirSource(dir, name string) compat.Source {
	return compat.Source{FS: os.DirFS(dir), Name: name}
}

// TestCorpusSchemaStoreDirectories compares SchemaStore's two snapshots as directories: it
// must not fail (every file is a published, valid schema), and the findings per rule are
// logged for reading.
func TestCorpusSchemaStoreDirectories(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	old := corpusDir(t, "schemastore-1year", "old")
	new := corpusDir(t, "schemastore-1year", "new")
	rep, err := jsonschema.Compare(context.Background(), dirSource(old, "old"), dirSource(new, "new"), jsonschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logRules(t, "schemastore-1year old→new", rep)
}

// TestCorpusSchemaStoreSelf compares every SchemaStore schema with itself, each file on
// its own (its references to other files then lie outside the input) and each directory
// as a whole: nothing may be reported and nothing refused.
func TestCorpusSchemaStoreSelf(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	for _, side := range []string{"old", "new"} {
		dir := corpusDir(t, "schemastore-1year", side)
		src := dirSource(dir, side)
		rep, err := jsonschema.Compare(context.Background(), src, src, jsonschema.Options{})
		if err != nil {
			t.Fatalf("%s as a directory: %v", side, err)
		}
		if len(rep.Findings) > 0 {
			t.Errorf("%s compared with itself as a directory: %d findings, first %s %s", side, len(rep.Findings), rep.Findings[0].Rule, rep.Findings[0].Subject)
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			name := filepath.Base(f)
			one := compat.Source{FS: os.DirFS(dir), File: name, Name: side}
			rep, err := jsonschema.Compare(context.Background(), one, one, jsonschema.Options{})
			if err != nil {
				t.Errorf("%s/%s compared with itself: %v", side, name, err)
				continue
			}
			if len(rep.Findings) > 0 {
				t.Errorf("%s/%s compared with itself: %d findings, first %s %s", side, name, len(rep.Findings), rep.Findings[0].Rule, rep.Findings[0].Subject)
			}
		}
	}
}

// TestCorpusVegaLite compares vega-lite's 1.8 MB recursive schema across two releases.
func TestCorpusVegaLite(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus test")
	}
	old := corpusDir(t, "vegalite-5.21-5.23", "old")
	new := corpusDir(t, "vegalite-5.21-5.23", "new")
	file := "vega-lite-schema.json"
	rep, err := jsonschema.Compare(context.Background(),
		compat.Source{FS: os.DirFS(old), File: file, Name: "old"}, compat.Source{FS: os.DirFS(new), File: file, Name: "new"}, jsonschema.Options{})
	if err != nil {
		t.Fatal(err)
	}
	logRules(t, "vegalite-5.21-5.23 old→new", rep)
}

func logRules(t *testing.T, pair string, rep *compat.Report) {
	counts := map[string]int{}
	undecided := 0
	for _, f := range rep.Findings {
		counts[f.Rule]++
		if f.Undecided {
			undecided++
		}
	}
	rules := make([]string, 0, len(counts))
	for r := range counts {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		return counts[rules[i]] > counts[rules[j]] || counts[rules[i]] == counts[rules[j]] && rules[i] < rules[j]
	})
	t.Logf("%s: %d findings (%d undecided), verdict %s", pair, len(rep.Findings), undecided, rep.Verdict())
	for _, r := range rules {
		t.Logf("  %6d %s", counts[r], r)
	}
}
