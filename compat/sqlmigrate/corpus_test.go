package sqlmigrate

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/corpora"
	"github.com/stretchr/testify/require"
)

// corpusDir is where the shared real-world corpora live beside the worktree; tests and
// benchmarks that read them skip when the folder is absent.
var corpusDir = corpora.Dir()

// corpus returns the old and new trees of a corpus, or skips.
func corpus(tb testing.TB, name string) (old, new compat.Source) {
	tb.Helper()
	dir := filepath.Join(corpusDir, name)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus %s is absent (%v); it lives in ../shared/corpora beside the worktree", name, err)
	}
	old, err := compat.OpenPath(filepath.Join(dir, "old"))
	require.NoError(tb, err)
	new, err = compat.OpenPath(filepath.Join(dir, "new"))
	require.NoError(tb, err)
	return old, new
}

// emptyTree is a migrations directory with nothing released yet.
func emptyTree(tb testing.TB) compat.Source {
	tb.Helper()
	s, err := compat.OpenPath(tb.TempDir())
	require.NoError(tb, err)
	return s
}

// TestCorpusLemmy compares Lemmy's real diesel history (300 released migrations, 342 in
// NEW) old → new and empty → new: published migrations must load (no error, which the
// CLI would turn into exit 2), the report must be deterministic, and the empty baseline
// must report nothing breaking, since no released application exists yet.
func TestCorpusLemmy(t *testing.T) {
	old, new := corpus(t, "lemmy-all")
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		old      compat.Source
		breaking bool
	}{
		{"old-to-new", old, true},
		{"empty-to-new", emptyTree(t), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(ctx, tc.old, new, Options{})
			require.NoError(t, err)
			require.NotEmpty(t, r.Findings)
			again, err := Compare(ctx, tc.old, new, Options{})
			require.NoError(t, err)
			require.Equal(t, r, again, "the report must be deterministic")
			counts := map[string]int{}
			undecided := 0
			for _, f := range r.Findings {
				counts[f.Rule]++
				if f.Undecided {
					undecided++
				}
			}
			t.Logf("%d findings (%d undecided), verdict %s: %v", len(r.Findings), undecided, r.Verdict(), counts)
			require.Equal(t, tc.breaking, r.Verdict() == compat.Breaking)
		})
	}
}

// BenchmarkLemmyOldToNew compares Lemmy's released migrations with the next year's.
func BenchmarkLemmyOldToNew(b *testing.B) {
	old, new := corpus(b, "lemmy-all")
	benchCorpus(b, old, new)
}

// BenchmarkLemmyEmptyToNew compares an empty baseline with all 342 migrations: every one
// is new work, parsed and evaluated (the row of issue 11 measured against squawk).
func BenchmarkLemmyEmptyToNew(b *testing.B) {
	_, new := corpus(b, "lemmy-all")
	benchCorpus(b, emptyTree(b), new)
}

func benchCorpus(b *testing.B, old, new compat.Source) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		r, err := Compare(ctx, old, new, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
