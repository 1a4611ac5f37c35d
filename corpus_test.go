package compatcheck_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/corpora"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corporaRoot holds published contracts at two commits each (its README says what each is
// for). Tests and benchmarks that read it skip when it is absent; it is never copied here.
var corporaRoot = corpora.Dir()

// corpusPair is one row of the corpus table: a published contract at two commits, as a
// user would hand it to compatcheck.
type corpusPair struct {
	name string
	// file is the contract's one file on each side, or "" when each side is a directory.
	file string
	// fromEmpty compares an empty tree with NEW, as new work (Lemmy's 342 migrations).
	fromEmpty bool
	kind      compat.Kind
}

var corpusPairs = []corpusPair{
	{name: "googleapis-1month", kind: compat.KindProto},
	{name: "envoy-api-2025", kind: compat.KindProto},
	{name: "stripe-4years", file: "spec3.json", kind: compat.KindOpenAPI},
	{name: "cloudflare-2years", file: "openapi.json", kind: compat.KindOpenAPI},
	{name: "schemastore-1year", kind: compat.KindJSONSchema},
	{name: "vegalite-5.21-5.23", file: "vega-lite-schema.json", kind: compat.KindJSONSchema},
	{name: "lemmy-all", kind: compat.KindSQL},
	{name: "lemmy-all", fromEmpty: true, kind: compat.KindSQL},
}

func (p corpusPair) label() string {
	if p.fromEmpty {
		return p.name + "-from-empty"
	}
	return p.name
}

// sources returns the two sides of a pair, skipping the test when the corpus is absent.
func (p corpusPair) sources(tb testing.TB) (old, new compat.Source) {
	tb.Helper()
	dir := filepath.Join(corporaRoot, p.name)
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("corpus %s absent", dir)
	}
	side := func(name string) compat.Source {
		return compat.Source{FS: os.DirFS(filepath.Join(dir, name)), File: p.file, Name: name}
	}
	old, new = side("old"), side("new")
	if p.fromEmpty {
		old = compat.Source{FS: fstest.MapFS{}, Name: "empty"}
	}
	return old, new
}

// TestCorpora compares every corpus pair through the public API, with the kind detected as
// the CLI detects it. Every file there is valid for the tool it was written for, so a
// refusal is a bug; the report must be of the corpus's kind, name a verdict, and be
// byte-identical when the comparison runs again.
func TestCorpora(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the shared corpora")
	}
	if !compatcheck.SQLAvailable {
		t.Log("built without cgo: the SQL rows are skipped")
	}
	for _, p := range corpusPairs {
		t.Run(p.label(), func(t *testing.T) {
			if p.kind == compat.KindSQL && !compatcheck.SQLAvailable {
				t.Skip("the SQL engine needs cgo")
			}
			old, new := p.sources(t)
			ctx := context.Background()
			rep, kind, err := compatcheck.Compare(ctx, old, new, compatcheck.Options{})
			require.NoError(t, err, "a published contract must not be refused")
			assert.Equal(t, p.kind, kind)
			var first bytes.Buffer
			require.NoError(t, compat.Encode(&first, rep, "json", compat.EncodeOptions{}))
			t.Logf("%s: %d findings, verdict %s", p.label(), len(rep.Findings), rep.Verdict())
			for _, f := range rep.Findings {
				if f.Kind != p.kind {
					t.Errorf("finding %s %s has kind %s in a %s comparison", f.Rule, f.Subject, f.Kind, p.kind)
					break
				}
			}

			again, _, err := compatcheck.Compare(ctx, old, new, compatcheck.Options{})
			require.NoError(t, err)
			var second bytes.Buffer
			require.NoError(t, compat.Encode(&second, again, "json", compat.EncodeOptions{}))
			assert.True(t, bytes.Equal(first.Bytes(), second.Bytes()), "the same input must give a byte-identical report")
		})
	}
}

// BenchmarkCorpora compares each corpus pair through the public API: one row per line of
// the table in docs/performance.md (ns/op and B/op of the library call).
func BenchmarkCorpora(b *testing.B) {
	for _, p := range corpusPairs {
		b.Run(p.label(), func(b *testing.B) {
			if p.kind == compat.KindSQL && !compatcheck.SQLAvailable {
				b.Skip("the SQL engine needs cgo")
			}
			old, new := p.sources(b)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := compatcheck.Compare(context.Background(), old, new, compatcheck.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
