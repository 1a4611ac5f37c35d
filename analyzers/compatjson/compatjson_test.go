package compatjson_test

import (
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/compatjson"
	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/baselinetest"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), compatjson.Analyzer, "api")
}

func TestBaselines(t *testing.T) {
	old, err := filepath.Abs("testdata/old")
	if err != nil {
		t.Fatal(err)
	}
	baselinetest.Check(t, "testdata/old", "testdata", []string{"GOPATH=" + old, "GO111MODULE=off"}, contract.Options{}, "api")
}
