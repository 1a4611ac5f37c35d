package proto

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/internal/corpora"
)

// corpusDir returns ../shared/corpora/<name> (relative to the module root), skipping the
// test or benchmark when the corpora are not beside the project.
func corpusDir(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(corpora.Dir(), name)
	if _, err := os.Stat(filepath.Join(dir, "old")); err != nil {
		tb.Skipf("corpus %s not found beside the project (%v)", name, err)
	}
	return dir
}

// openCorpus opens the old and new trees of a corpus as the CLI does.
func openCorpus(tb testing.TB, name string) (old, new compat.Source) {
	tb.Helper()
	dir := corpusDir(tb, name)
	var err error
	if old, err = compat.OpenPath(filepath.Join(dir, "old")); err != nil {
		tb.Fatal(err)
	}
	if new, err = compat.OpenPath(filepath.Join(dir, "new")); err != nil {
		tb.Fatal(err)
	}
	return old, new
}

// corpusReports pins the SHA-256 of each corpus's JSON report (as compattest.EncodeJSON
// writes it), so that a speed change that alters a report fails here. The reports were
// read before they were pinned; update a hash only with a reviewed change of the engine's
// answers.
var corpusReports = map[string]string{
	"googleapis-1month": "a803fe7eb453ee1c19e9ba26858c61fc85b196cd0536e3ebe40ac1a9d46f9467",
	"envoy-api-2025":    "ac84a47d9afd884d810d14671907b500eb01d6f2625f7870152e3ca78f904af2",
}

// TestCorpusReports compares each real corpus pair and checks its report against the
// pinned hash. It reads ../shared/corpora and skips when that is absent.
func TestCorpusReports(t *testing.T) {
	if testing.Short() {
		t.Skip("the corpora take seconds")
	}
	for name, want := range corpusReports {
		t.Run(name, func(t *testing.T) {
			old, new := openCorpus(t, name)
			rep, err := Compare(context.Background(), old, new, Options{})
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(compattest.EncodeJSON(t, rep))
			if got := hex.EncodeToString(sum[:]); got != want {
				t.Errorf("report of %s has SHA-256 %s, want %s (%d findings)", name, got, want, len(rep.Findings))
			}
		})
	}
}

func benchCorpus(b *testing.B, name string) {
	old, new := openCorpus(b, name)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compare(context.Background(), old, new, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCorpusGoogleapis compares googleapis one month apart (8,015 → 7,227 files: 221
// changed, 835 deleted, 47 added), read from ../shared/corpora.
func BenchmarkCorpusGoogleapis(b *testing.B) { benchCorpus(b, "googleapis-1month") }

// BenchmarkCorpusEnvoy compares envoy's data-plane API one year apart, with its buf.yaml.
func BenchmarkCorpusEnvoy(b *testing.B) { benchCorpus(b, "envoy-api-2025") }

// scaledTree writes to dir a copy of the corpus tree src in which changed of its .proto
// files (spread evenly over the sorted list; all of them when changed < 0) gained a message,
// so that the cost can be measured against the size of a change. The messages are new
// types nothing uses, so the report stays empty.
func scaledTree(tb testing.TB, src, dir string, changed int) {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".proto" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	touch := map[int]bool{}
	switch {
	case changed < 0 || changed >= len(files):
		for i := range files {
			touch[i] = true
		}
	case changed > 0:
		for k := 0; k < changed; k++ {
			touch[k*len(files)/changed] = true
		}
	}
	for i, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		if touch[i] {
			data = append(data, fmt.Sprintf("\nmessage CompatcheckScaleProbe%d {\n  string note = 1;\n}\n", i)...)
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// scaleSizes are the change sizes of the scaling benchmark: how many files changed.
var scaleSizes = []struct {
	name    string
	changed int
}{{"1", 1}, {"10", 10}, {"100", 100}, {"all", -1}}

// BenchmarkCorpusGoogleapisScaling compares googleapis' OLD tree with copies of itself in
// which 1, 10, 100 and all files changed, written to a temporary directory.
func BenchmarkCorpusGoogleapisScaling(b *testing.B) {
	dir := corpusDir(b, "googleapis-1month")
	old, err := compat.OpenPath(filepath.Join(dir, "old"))
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range scaleSizes {
		b.Run("changed="+size.name, func(b *testing.B) {
			tmp := b.TempDir()
			scaledTree(b, filepath.Join(dir, "old"), tmp, size.changed)
			new, err := compat.OpenPath(tmp)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				rep, err := Compare(context.Background(), old, new, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Findings) != 0 {
					b.Fatalf("an unused added message was reported: %v", rep.Findings[0])
				}
			}
		})
	}
}

// TestWriteGoogleapisScaled writes the scaling benchmark's NEW trees to
// $COMPATCHECK_SCALE_DIR/changed-{1,10,100,all}, so that the command can be timed on them
// (docs/performance.md). It does nothing unless the variable is set.
func TestWriteGoogleapisScaled(t *testing.T) {
	out := os.Getenv("COMPATCHECK_SCALE_DIR")
	if out == "" {
		t.Skip("set COMPATCHECK_SCALE_DIR to write the trees")
	}
	dir := corpusDir(t, "googleapis-1month")
	for _, size := range scaleSizes {
		scaledTree(t, filepath.Join(dir, "old"), filepath.Join(out, "changed-"+size.name), size.changed)
	}
}
