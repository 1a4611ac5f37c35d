package consumers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checks must refuse what their consumers refuse; each case breaks one thing in an
// otherwise valid document.

const validSARIF = `{
  "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "compatcheck", "informationUri": "https://github.com/compatcheck/compatcheck",
      "rules": [{"id": "R", "help": {"text": "t", "markdown": "m"}}]}},
    "automationDetails": {"id": "compatcheck/"},
    "results": [RESULTS]
  }]
}`

const sarifResult = `{"ruleId": "R", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.proto"}, "region": {"startLine": 1}}}],
  "partialFingerprints": {"compatcheck/v1": "FP"}}`

func sarif(results ...string) []byte {
	return []byte(strings.Replace(validSARIF, "RESULTS", strings.Join(results, ","), 1))
}

func TestValidateSARIF(t *testing.T) {
	one := strings.Replace(sarifResult, "FP", "a:1", 1)
	two := strings.Replace(sarifResult, "FP", "a:2", 1)
	require.NoError(t, ValidateSARIF(sarif(one, two)))
	for name, tc := range map[string]struct {
		doc  []byte
		want string
	}{
		"not json":           {[]byte("{"), "not JSON"},
		"schema: bad level":  {sarif(strings.Replace(one, `"error"`, `"fatal"`, 1)), "does not validate"},
		"schema: no message": {sarif(strings.Replace(one, `"message": {"text": "m"},`, "", 1)), "does not validate"},
		"schema: line 0":     {sarif(strings.Replace(one, `"startLine": 1`, `"startLine": 0`, 1)), "does not validate"},
		"two locations":      {sarif(strings.Replace(one, `"locations": [{`, `"locations": [{"id": 2}, {`, 1)), "has 2 locations"},
		"no ruleIndex":       {sarif(strings.Replace(one, `"ruleIndex": 0,`, "", 1)), "no valid ruleIndex"},
		"wrong rule":         {sarif(strings.Replace(one, `"ruleId": "R"`, `"ruleId": "S"`, 1)), "ruleIndex names R"},
		"no fingerprint":     {sarif(strings.Replace(one, `"compatcheck/v1"`, `"other/v1"`, 1)), "no partialFingerprints"},
		"same fingerprint":   {sarif(one, one), "share the fingerprint"},
		"no category":        {[]byte(strings.Replace(string(sarif(one)), `"id": "compatcheck/"`, `"id": ""`, 1)), "no automationDetails.id"},
		"no help":            {[]byte(strings.Replace(string(sarif(one)), `"markdown": "m"`, `"markdown": ""`, 1)), "no help"},
	} {
		err := ValidateSARIF(tc.doc)
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), tc.want, name)
		}
	}
}

const gitlabIssue = `{"description": "d", "check_name": "R", "fingerprint": "FP", "severity": "minor",
  "location": {"path": "a.proto", "lines": {"begin": 3}}}`

func TestValidateGitLab(t *testing.T) {
	one := strings.Replace(gitlabIssue, "FP", "a", 1)
	two := strings.Replace(gitlabIssue, "FP", "b", 1)
	require.NoError(t, ValidateGitLab([]byte("["+one+","+two+"]")))
	require.NoError(t, ValidateGitLab([]byte("[]")))
	for name, tc := range map[string]struct {
		doc, want string
	}{
		"bom":              {"\xef\xbb\xbf[]", "byte order mark"},
		"not an array":     {one, "not a JSON array"},
		"schema: no sev":   {"[" + strings.Replace(one, `"severity": "minor",`, "", 1) + "]", "codeclimate.json"},
		"schema: line str": {"[" + strings.Replace(one, `"begin": 3`, `"begin": "3"`, 1) + "]", "codeclimate.json"},
		"severity":         {"[" + strings.Replace(one, `"minor"`, `"high"`, 1) + "]", `severity "high"`},
		"no check name":    {"[" + strings.Replace(one, `"check_name": "R",`, "", 1) + "]", "no check_name"},
		"absolute path":    {"[" + strings.Replace(one, `"a.proto"`, `"/a.proto"`, 1) + "]", "relative"},
		"line 0":           {"[" + strings.Replace(one, `"begin": 3`, `"begin": 0`, 1) + "]", "a line from 1"},
		"same fingerprint": {"[" + one + "," + one + "]", "share the fingerprint"},
	} {
		err := ValidateGitLab([]byte(tc.doc))
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), tc.want, name)
		}
	}
}

const junitDoc = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="compatcheck" tests="2" failures="1" errors="0" skipped="0">
  <testsuite name="a.proto" tests="2" failures="1" errors="0" skipped="0">
    <testcase name="R x" classname="a.proto"><failure message="m" type="breaking">d</failure></testcase>
    <testcase name="R y" classname="a.proto"></testcase>
  </testsuite>
</testsuites>`

func TestValidateJUnit(t *testing.T) {
	suites, err := ValidateJUnit([]byte(junitDoc))
	require.NoError(t, err)
	require.Len(t, suites, 1)
	for name, tc := range map[string]struct {
		doc, want string
	}{
		"not xml": {"<testsuites", "JUnit reader refuses"},
		"suite count": {strings.Replace(junitDoc, `tests="2" failures="1" errors="0" skipped="0">
    <testcase`, `tests="3" failures="1" errors="0" skipped="0">
    <testcase`, 1), "says tests=3"},
		"total count":    {strings.Replace(junitDoc, `<testsuites name="compatcheck" tests="2"`, `<testsuites name="compatcheck" tests="5"`, 1), "testsuites says tests=5"},
		"duplicate name": {strings.Replace(junitDoc, `name="R y"`, `name="R x"`, 1), "two testcases named"},
		"no testsuites":  {"<testsuite name=\"a\" tests=\"0\"></testsuite>", "not a <testsuites> document"},
	} {
		_, err := ValidateJUnit([]byte(tc.doc))
		if assert.Error(t, err, name) {
			assert.Contains(t, err.Error(), tc.want, name)
		}
	}
}

func TestValidateMarkdown(t *testing.T) {
	html, err := ValidateMarkdown([]byte("## v\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<details>\n<summary>s</summary>\n\nx\n\n</details>\n"))
	require.NoError(t, err)
	assert.Contains(t, html, "<table>")
	_, err = ValidateMarkdown([]byte("<details>\n<summary>s</summary>\n\nx\n"))
	assert.ErrorContains(t, err, "opens 1 <details> and closes 0")
	_, err = ValidateMarkdown([]byte(strings.Repeat("x", 65537)))
	assert.ErrorContains(t, err, "over GitHub's 65536-character comment limit")
	_, err = ValidateMarkdown([]byte("| a | b |\n|---|\n| 1 | 2 |\n"))
	assert.ErrorContains(t, err, "did not render as a table")
}
