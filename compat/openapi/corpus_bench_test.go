package openapi

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/corpora"
)

// corporaDir is where the published contracts of ../shared/corpora are, seen from this
// package's directory. Tests and benchmarks that read them skip when it is absent.
var corporaDir = corpora.Dir()

// corpusPair names the two versions of one corpus: the directory under corporaDir and the
// file name of the spec on each side.
type corpusPair struct {
	name, file string
}

var corpusPairs = []corpusPair{
	{"stripe-4years", "spec3.json"},
	{"cloudflare-2years", "openapi.json"},
}

// corpusSource returns the one-file Source of a corpus version ("old" or "new"), or skips
// the test when the corpora are not there.
func corpusSource(tb testing.TB, p corpusPair, side string) compat.Source {
	tb.Helper()
	path := filepath.Join(corporaDir, p.name, side, p.file)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("corpus %s absent: %v", path, err)
	}
	src, err := compat.OpenPath(path)
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

// BenchmarkLoadCorpus measures decoding and preparing the newest version of each corpus
// spec (Stripe's is 4.2 MB of JSON): the load alone, without any comparison.
func BenchmarkLoadCorpus(b *testing.B) {
	for _, p := range corpusPairs {
		b.Run(p.name, func(b *testing.B) {
			src := corpusSource(b, p, "new")
			b.ReportAllocs()
			for b.Loop() {
				s, err := load(src)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.prepare(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompareCorpus measures the whole comparison of each corpus pair, loading
// included, as the command line runs it.
func BenchmarkCompareCorpus(b *testing.B) {
	for _, p := range corpusPairs {
		b.Run(p.name, func(b *testing.B) {
			old, new := corpusSource(b, p, "old"), corpusSource(b, p, "new")
			opts := Options{Now: func() time.Time { return testNow }}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compare(context.Background(), old, new, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
