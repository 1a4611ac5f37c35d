package openapi

import (
	"context"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// testNow is the fixed "current time" of the golden tests, so that sunset dates in them
// are decided the same way on every run.
var testNow = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// archiveOptions reads the options of a golden archive from its comment:
// "audience: internal", "model: strict", "now: 2030-01-01".
func archiveOptions(t testing.TB, comment string) Options {
	opts := Options{Now: func() time.Time { return testNow }}
	if a := compattest.Option(comment, "audience"); a != "" {
		aud, err := ParseAudience(a)
		if err != nil {
			t.Fatal(err)
		}
		opts.Audience = aud
	}
	if m := compattest.Option(comment, "model"); m != "" {
		model, err := jsonschema.ParseModel(m)
		if err != nil {
			t.Fatal(err)
		}
		opts.Model = model
	}
	if n := compattest.Option(comment, "now"); n != "" {
		now, err := time.Parse("2006-01-02", n)
		if err != nil {
			t.Fatal(err)
		}
		opts.Now = func() time.Time { return now }
	}
	return opts
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", func(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
		return Compare(ctx, old, new, archiveOptions(t, comment))
	}, compattest.Options{})
}

// TestGoldenSwap checks, on the archives whose findings are all schema findings (their
// comment says "swap"), that swapping OLD and NEW swaps B and F.
// TestGoldenLibraryOnly runs the goldens with every schema model built from the validator
// library's compiled schemas: the native models the engine builds by default must give
// the very same reports.
func TestGoldenLibraryOnly(t *testing.T) {
	t.Setenv(jsonschema.LibraryOnlyEnv, "1")
	compattest.Run(t, "testdata/*.txtar", func(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
		return Compare(ctx, old, new, archiveOptions(t, comment))
	}, compattest.Options{})
}

func TestGoldenSwap(t *testing.T) {
	compattest.Run(t, "testdata/schema_*.txtar", func(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
		return Compare(ctx, old, new, archiveOptions(t, comment))
	}, compattest.Options{Swap: true})
}
