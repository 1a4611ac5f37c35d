package compatgoose_test

import (
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/compatgoose"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), compatgoose.Analyzer, "migrations")
}

func TestPGVersion(t *testing.T) {
	results := analysistest.Run(discard{}, analysistest.TestData(), compatgoose.New(compatgoose.Config{PGVersion: 99}), "migrations")
	if len(results) == 0 || results[0].Err == nil || results[0].Err.Error() != "-pg-version 99 is not supported (want 10 to 17)" {
		t.Fatalf("want the unsupported version refused, got %+v", results)
	}
}

type discard struct{}

func (discard) Errorf(string, ...any) {}
