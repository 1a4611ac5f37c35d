package compat

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncodeJSONContract(t *testing.T) {
	r := NewReport(sampleFindings()[:1])
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, r, "json", EncodeOptions{OldName: "v1", NewName: "v2"}))
	// The exact shape of docs/cli.md: key order, names, and paths relative to OLD and NEW.
	want := `{
  "verdict": "breaking",
  "findings": [
    {
      "rule": "FIELD_NUMBER_CHANGED",
      "class": "breaking",
      "backward": false,
      "forward": false,
      "kind": "proto",
      "subject": "shop.v1.Order.note",
      "message": "field note changed number from 2 to 3",
      "old": {
        "file": "a.proto",
        "line": 3,
        "column": 3
      },
      "new": {
        "file": "a.proto",
        "line": 3,
        "column": 3
      }
    }
  ]
}
`
	assert.Equal(t, want, buf.String())
}

func TestEncodeJSONEmptyReport(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, &Report{}, "json", EncodeOptions{}))
	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, "none", got["verdict"])
	assert.Equal(t, []any{}, got["findings"], "findings must be [] rather than null")
}

func TestEncodeText(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, NewReport(sampleFindings()), "text", EncodeOptions{OldName: "v1", NewName: "v2"}))
	want := `v1/a.proto
  20:1    breaking      MESSAGE_DELETED shop.v1.Gone: message Gone deleted [fails]

v2/a.proto
  3:3     breaking      FIELD_NUMBER_CHANGED shop.v1.Order.note: field note changed number from 2 to 3 [fails]
  9:3     read-tolerant ENUM_VALUE_ADDED shop.v1.Status.CANCELLED: enum value CANCELLED added
          safe sequence:
            1. Release readers that handle CANCELLED.
            2. Then release writers that emit it.

v2/b.proto
  1:1     additive      FIELD_ADDED shop.v1.Order.gift: field gift added

verdict: breaking (2 breaking, 1 read-tolerant, 1 additive)
`
	assert.Equal(t, want, buf.String())
}

func TestEncodeGitHubEscapes(t *testing.T) {
	f := Finding{
		Rule: "FIELD_NUMBER_CHANGED", Kind: KindProto, Subject: "a,b:c",
		Message: "100% broken\r\nreally", New: Pos("dir,x/a:b.proto", 3, 4),
	}
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, NewReport([]Finding{f}), "github", EncodeOptions{NewName: "v2"}))
	want := "::error file=v2/dir%2Cx/a%3Ab.proto,line=3,col=4,title=FIELD_NUMBER_CHANGED (breaking)::a,b:c: 100%25 broken%0D%0Areally\n"
	assert.Equal(t, want, buf.String())
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one workflow command per line")
}

func TestEncodeGitHubLevels(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, NewReport(sampleFindings()), "github", EncodeOptions{Policy: FailOn(Breaking)}))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 4)
	// Canonical order: a.proto lines 3, 9, 20, then b.proto.
	assert.True(t, strings.HasPrefix(lines[0], "::error "), lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "::warning "), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], "::error "), lines[2])
	assert.True(t, strings.HasPrefix(lines[3], "::notice "), lines[3])
}

func TestEncodeUnknownFormat(t *testing.T) {
	err := Encode(&bytes.Buffer{}, &Report{}, "xml", EncodeOptions{})
	assert.ErrorContains(t, err, `unknown format "xml"`)
}

func TestEncodeJSONDoesNotEscapeHTML(t *testing.T) {
	r := NewReport([]Finding{{Rule: "FIELD_TYPE_CHANGED", Kind: KindProto, Subject: "p.M.m",
		Message: "field m changed type from map<string, int32> to bytes & more"}})
	var buf bytes.Buffer
	require.NoError(t, Encode(&buf, r, "json", EncodeOptions{}))
	assert.Contains(t, buf.String(), `map<string, int32> to bytes & more"`)
	// json.Marshal re-escapes whatever MarshalJSON returns; an Encoder with
	// SetEscapeHTML(false) does not.
	var direct bytes.Buffer
	enc := json.NewEncoder(&direct)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(r))
	assert.Contains(t, direct.String(), `map<string, int32>`)
}
