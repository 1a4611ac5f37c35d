package compatbaseline_test

import (
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/compatbaseline"
	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/baselinetest"
	"golang.org/x/tools/go/analysis/analysistest"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), compatbaseline.Analyzer, "events", "broken", "unreadable", "good", "plain")
}

func TestCommand(t *testing.T) {
	a := compatbaseline.New(compatbaseline.Config{Command: "go run ./cmd/compatcheck baseline"})
	files := map[string]string{"events/events.go": "package events // want `write one at release time with: go run ./cmd/compatcheck baseline events`\n\n//compatcheck:contract\ntype E struct{}\n"}
	dir, cleanup, err := analysistest.WriteFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	analysistest.Run(t, dir, a, "events")
}

func TestBaselines(t *testing.T) {
	baselinetest.Check(t, "testdata/old", "testdata", []string{"GOPATH=" + abs(t, "testdata/old"), "GO111MODULE=off"}, contract.Options{}, "good")
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
