package compat_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest/consumers"
)

// FuzzEncodeFormats feeds arbitrary text into every field a format writes out: paths,
// subjects, messages, advice and reasons come from user files, and no text may make a
// report its consumer refuses (broken escaping in Markdown, XML, URIs or workflow
// commands) or make an encoder fail.
func FuzzEncodeFormats(f *testing.F) {
	f.Add("p.proto", "p.M.a", "field a changed number from 1 to 2", "Add a field", "reviewed", "new", 3)
	f.Add("dir with space/a#b?.json", "x|y`z", "map<string, int32> & *b* [c]", "]]> <details>", "100% \r\n::x", "../n", 0)
	f.Add("/abs/p.sql", "", "\x00\x01\ufffe", "\\`|", "", "C:/x", -1)
	f.Fuzz(func(t *testing.T, file, subject, message, advice, reason, newName string, line int) {
		registerSampleRules()
		findings := []compat.Finding{
			{Rule: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto, Subject: subject, Message: message,
				New: compat.Pos(file, line, 1), Old: compat.Pos(file, line+1, 2), Advice: []string{advice}},
			{Rule: "EXAMPLE_ENUM_VALUE_ADDED", Kind: compat.KindProto, Backward: true, Subject: subject, Message: message,
				New: compat.Pos(file, line, 0), Suppressed: reason},
			{Rule: "EXAMPLE_COLUMN_TYPE_CHANGED", Kind: compat.KindSQL, Subject: subject + "!", Message: message,
				Old: compat.Pos(file, line, 1), Hazards: []compat.Hazard{{Rule: "EXAMPLE_TABLE_REWRITE", Message: message, Advice: []string{advice}}}},
		}
		if reason == "" {
			findings[1].Suppressed = "x"
		}
		r := compat.NewReport(findings)
		r.Unused = []compat.Directive{{Rule: "EXAMPLE_COLUMN_DROPPED", Reason: reason, Pos: compat.Position{File: file, Line: line}}}
		opts := compat.EncodeOptions{NewName: newName, OldName: "old", Policy: compat.FailOn(compat.Breaking), ToolVersion: "v1.0.0"}
		out := map[string][]byte{}
		for _, format := range compat.Formats() {
			var buf bytes.Buffer
			if err := compat.Encode(&buf, r, format, opts); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out[format] = buf.Bytes()
		}
		if err := consumers.ValidateSARIF(out["sarif"]); err != nil {
			t.Fatalf("sarif: %v\n%s", err, out["sarif"])
		}
		if _, err := consumers.ValidateJUnit(out["junit"]); err != nil {
			t.Fatalf("junit: %v\n%s", err, out["junit"])
		}
		if _, err := consumers.ValidateMarkdown(out["markdown"]); err != nil {
			t.Fatalf("markdown: %v\n%s", err, out["markdown"])
		}
		var issues []any
		if err := json.Unmarshal(out["gitlab"], &issues); err != nil || len(issues) != 4 {
			t.Fatalf("gitlab: %v, %d issues (want the two kept findings' issues, the hazard's and the unused ignore's: 4)\n%s", err, len(issues), out["gitlab"])
		}
		// Every annotation stays one line: a message cannot start a workflow command of its own.
		for i, l := range bytes.Split(bytes.TrimSuffix(out["github"], []byte("\n")), []byte("\n")) {
			if i < 4 && !bytes.HasPrefix(l, []byte("::")) {
				t.Fatalf("github line %d is not a workflow command: %q", i, l)
			}
		}
	})
}

// benchReport is a report of n findings across files and kinds, with advice and hazards
// on some, as a large pull request produces.
func benchReport(n int) *compat.Report {
	registerSampleRules()
	rules := []string{"EXAMPLE_FIELD_RENUMBERED", "EXAMPLE_ENUM_VALUE_ADDED", "EXAMPLE_PROPERTY_ADDED", "EXAMPLE_COLUMN_TYPE_CHANGED"}
	fs := make([]compat.Finding, n)
	for i := range fs {
		rule, _ := compat.LookupRule(rules[i%len(rules)])
		f := rule.Findingf(fmt.Sprintf("pkg.v1.Message%05d.field", i), "the field changed in a way that needs explaining, number %d", i)
		f.New = compat.Pos(fmt.Sprintf("proto/pkg/v1/file%03d.proto", i/100), i%100+1, 3)
		f.Advice = []string{"Release readers that accept both shapes", "Move every writer", "Remove the old shape"}
		if i%4 == 3 {
			f.Hazards = []compat.Hazard{{Rule: "EXAMPLE_TABLE_REWRITE", Message: "ALTER COLUMN TYPE rewrites the table", Lock: "ACCESS EXCLUSIVE", Rewrites: true}}
		}
		fs[i] = f
	}
	return compat.NewReport(fs)
}

func BenchmarkEncode(b *testing.B) {
	r := benchReport(20000)
	opts := compat.EncodeOptions{NewName: "new", OldName: "old", ToolVersion: "v1.0.0"}
	for _, format := range compat.Formats() {
		b.Run(format, func(b *testing.B) {
			var size int
			for b.Loop() {
				var buf bytes.Buffer
				if err := compat.Encode(&buf, r, format, opts); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "bytes/report")
		})
	}
}
