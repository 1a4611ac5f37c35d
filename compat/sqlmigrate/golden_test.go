package sqlmigrate

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// goldenCompare runs Compare with the options of an archive comment ("pg-version: 11",
// "file: schema.sql").
func goldenCompare(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
	var opts Options
	if v := compattest.Option(comment, "pg-version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		opts.PGVersion = n
	}
	// "file: schema.sql" compares one-file Sources, as the CLI does when given two files.
	if f := compattest.Option(comment, "file"); f != "" {
		old.File, new.File = f, f
	}
	return Compare(ctx, old, new, opts)
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{})
}

// TestGoldenAdvice checks, over every golden archive, the promises the report makes:
// each breaking or read-tolerant finding and each hazard carries the safe sequence, each
// hazard names a registered hazard rule, and each finding is positioned.
func TestGoldenAdvice(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		old, new := compattest.Trees(ar)
		r, err := goldenCompare(context.Background(), old, new, string(ar.Comment))
		if err != nil {
			continue // error archives
		}
		for _, f := range r.Findings {
			require.NotNil(t, f.Pos(), "%s: %s has no position", file, f.Rule)
			require.NotEmpty(t, f.Pos().File, "%s: %s has no file", file, f.Rule)
			if f.Class() >= compat.ReadTolerant {
				require.NotEmpty(t, f.Advice, "%s: %s %s has no advice", file, f.Rule, f.Subject)
			}
			for _, h := range f.Hazards {
				rule, ok := compat.LookupRule(h.Rule)
				require.True(t, ok && rule.Hazard, "%s: %s is not a hazard rule", file, h.Rule)
				require.NotEmpty(t, h.Advice, "%s: hazard %s has no advice", file, h.Rule)
			}
		}
	}
}

// TestEveryRuleHasGolden checks that each SQL rule (class or hazard) is exercised by at
// least one golden archive's expected report.
func TestEveryRuleHasGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	var wants strings.Builder
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		for _, f := range ar.Files {
			if f.Name == "want" {
				wants.Write(f.Data)
			}
		}
	}
	for _, r := range compat.Rules() {
		if r.Kind == compat.KindSQL {
			require.Contains(t, wants.String(), `"rule": "`+r.ID+`"`, "no golden archive reports %s", r.ID)
		}
	}
}
