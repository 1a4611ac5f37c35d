package analysisutil

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMustDoc(t *testing.T) {
	src := "// Package x does x.\n//\n// # Analyzer x\n//\n// x: find x\n//\n// Longer text.\n//\n// # Other\n//\n// Not part of it.\npackage x\n"
	assert.Equal(t, "find x\n\nLonger text.", MustDoc(src, "x"))
	assert.PanicsWithValue(t, "analysisutil: doc.go has no section # Analyzer y", func() { MustDoc(src, "y") })
	assert.PanicsWithValue(t, "analysisutil: doc.go of x has no package comment", func() { MustDoc("package x\n", "x") })
}

func TestURLs(t *testing.T) {
	assert.Equal(t, "https://github.com/compatcheck/compatcheck/blob/main/docs/rules.md#json_name_changed", RuleURL("JSON_NAME_CHANGED"))
	assert.Equal(t, "https://github.com/compatcheck/compatcheck/blob/main/docs/analyzers.md#compatwrite", AnalyzerURL("compatwrite"))
}
