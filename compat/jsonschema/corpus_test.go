package jsonschema_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// corpora is where the shared real-world contracts live, beside the repository.
const corpora = "../../../shared/corpora"

func corpusDir(t testing.TB, parts ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{corpora}, parts...)...)
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


