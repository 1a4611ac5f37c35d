package compat

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDirective(t *testing.T) {
	Register(Rule{ID: "TEST_IGNORE_TARGET", Kind: "testkind", Title: "t", Why: "w", Old: "o", Safe: "s", Backward: true, Forward: true})
	tests := []struct {
		kind         Kind
		text         string
		rule, reason string
		err          string
	}{
		{kind: "testkind", text: " TEST_IGNORE_TARGET  released on purpose, see #12 ", rule: "TEST_IGNORE_TARGET", reason: "released on purpose, see #12"},
		{kind: "", text: "TEST_IGNORE_TARGET why", rule: "TEST_IGNORE_TARGET", reason: "why"},
		{kind: "testkind", text: "", err: "compatcheck:ignore needs a rule ID and a reason"},
		{kind: "testkind", text: "TEST_IGNORE_TARGET", err: "compatcheck:ignore TEST_IGNORE_TARGET needs a reason after the rule ID"},
		{kind: "testkind", text: "NO_SUCH_RULE because", err: "compatcheck:ignore names unknown testkind rule NO_SUCH_RULE (compatcheck rules --kind testkind lists them)"},
		{kind: "proto", text: "TEST_IGNORE_TARGET because", err: "compatcheck:ignore names unknown proto rule TEST_IGNORE_TARGET (compatcheck rules --kind proto lists them)"},
		{kind: "", text: "NO_SUCH_RULE because", err: "compatcheck:ignore names unknown rule NO_SUCH_RULE (compatcheck rules lists them)"},
	}
	for _, tt := range tests {
		rule, reason, err := ParseDirective(tt.kind, tt.text)
		if tt.err != "" {
			assert.EqualError(t, err, tt.err, tt.text)
			continue
		}
		require.NoError(t, err, tt.text)
		assert.Equal(t, tt.rule, rule)
		assert.Equal(t, tt.reason, reason)
	}
}

func TestEncodeUnusedIgnores(t *testing.T) {
	r := NewReport(nil)
	r.Unused = []Directive{
		{Rule: "B_RULE", Reason: "second", Pos: Position{File: "b.proto", Line: 2, Column: 1}},
		{Rule: "A_RULE", Reason: "first", Pos: Position{File: "a.proto", Line: 9, Column: 4}},
	}
	var js bytes.Buffer
	require.NoError(t, Encode(&js, r, "json", EncodeOptions{NewName: "v2"}))
	assert.Contains(t, js.String(), `"unused_ignores": [
    {
      "rule": "A_RULE",
      "reason": "first",
      "position": {
        "file": "a.proto",
        "line": 9,
        "column": 4
      }
    },`)
	var text bytes.Buffer
	require.NoError(t, Encode(&text, r, "text", EncodeOptions{NewName: "v2"}))
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	assert.Equal(t, []string{
		"v2/a.proto:9:4: unused ignore of A_RULE (first): nothing it names was found; remove it",
		"v2/b.proto:2:1: unused ignore of B_RULE (second): nothing it names was found; remove it",
		"",
		"verdict: none (0 breaking, 0 read-tolerant, 0 additive)",
	}, lines)
	assert.Equal(t, None, r.Verdict(), "unused ignores do not change the verdict")
}

func TestSuppress(t *testing.T) {
	findings := []Finding{
		{Rule: "R1", Subject: "a"},
		{Rule: "R1", Subject: "b"},
		{Rule: "R2", Subject: "a"},
		{Rule: "R1", Subject: "c", Suppressed: "from the configuration"},
	}
	ds := []Directive{
		{Rule: "R1", Reason: "inner"},                               // covers a
		{Rule: "R1", Reason: "outer"},                               // covers a and b
		{Rule: "R2", Reason: "never asked", Pos: Position{Line: 3}}, // covers b only: no R2 there
		{Rule: "R1", Reason: "late"},                                // covers c, already suppressed
	}
	subjects := [][]string{{"a"}, {"a", "b"}, {"b"}, {"c"}}
	var asked []string
	unused := Suppress(findings, ds, func(i int, f Finding) bool {
		asked = append(asked, ds[i].Rule+"/"+f.Rule)
		for _, s := range subjects[i] {
			if s == f.Subject {
				return true
			}
		}
		return false
	})
	assert.Equal(t, []string{"inner", "outer", "", "from the configuration"},
		[]string{findings[0].Suppressed, findings[1].Suppressed, findings[2].Suppressed, findings[3].Suppressed},
		"the first covering directive gives the reason; a finding already suppressed keeps its own")
	assert.Equal(t, []Directive{ds[2]}, unused, "a directive that covers a finding is used, even when another gave the reason")
	for _, a := range asked {
		r, fr, _ := strings.Cut(a, "/")
		assert.Equal(t, r, fr, "covers is asked only about findings of the directive's rule")
	}
	assert.Nil(t, Suppress(findings, nil, nil))
}
