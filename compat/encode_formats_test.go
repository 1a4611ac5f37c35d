package compat_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/compat/compattest/consumers"
	junit "github.com/joshdk/go-junit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rules of the sample report are registered under EXAMPLE_ IDs, so that they can never
// collide with an engine's rules if a test of this package ever links the engines.
var registerSampleRules = sync.OnceFunc(func() {
	for _, r := range []compat.Rule{
		{ID: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto, Title: "A field's number changed",
			Why: "Old writers put the field under the old number, which new readers do not read (not B).",
			Old: "string note = 2;", New: "string note = 3;",
			Safe: "Add a field with the new number beside the old one, migrate writers, then reserve the old number."},
		{ID: "EXAMPLE_MESSAGE_DELETED", Kind: compat.KindProto, Title: "A message was deleted",
			Why: "Readers of the message in new code cannot read what old writers send (not B).",
			Old: "message Gone {}", Safe: "Deprecate the message, stop using it, then delete it in a later release."},
		{ID: "EXAMPLE_ENUM_VALUE_ADDED", Kind: compat.KindProto, Title: "An enum value was added", Backward: true,
			Why: "New readers accept the old values (B); old readers do not know the new one (not F).",
			Old: "enum S { A = 0; }", New: "enum S { A = 0; B = 1; }",
			Safe: "Release readers that handle the value before writers that emit it."},
		{ID: "EXAMPLE_PROPERTY_ADDED", Kind: compat.KindJSONSchema, Title: "An optional property was added to an open object",
			Backward: true, Forward: true, Why: "Old writers never emit it (B) and old readers ignore it (F).",
			Old: "properties: {}", New: "properties: {gift: {type: boolean}}", Safe: "Nothing to do: the change is safe in any order."},
		{ID: "EXAMPLE_TYPE_NARROWED", Kind: compat.KindJSONSchema, Title: "A type was narrowed", Forward: true,
			Why: "Old writers may produce values the narrower type rejects (not B).",
			Old: "type: [string, integer]", New: "type: string", Safe: "Widen readers first; narrow only after every writer stopped."},
		{ID: "EXAMPLE_OPERATION_REMOVED", Kind: compat.KindOpenAPI, Title: "An operation was removed",
			Why: "Clients built from the old document still call it (not B).",
			Old: "paths: {/orders: {delete: {}}}", Safe: "Deprecate the operation, wait for clients to stop calling it, then remove it."},
		{ID: "EXAMPLE_RESPONSE_ENUM_WIDENED", Kind: compat.KindOpenAPI, Title: "A response enum gained a value",
			Backward: true, ReadersLag: true, Scope: "responses",
			Why: "Old clients read the new value and cannot be upgraded first (not F, readers lag).",
			Old: "enum: [open]", New: "enum: [open, closed]", Safe: "Version the response or add the value behind a client capability."},
		{ID: "EXAMPLE_COLUMN_TYPE_CHANGED", Kind: compat.KindSQL, Title: "A column's type changed",
			Why: "The old release writes values of the old type (not B).",
			Old: "CREATE TABLE t (n int);", New: "ALTER TABLE t ALTER n TYPE bigint;",
			Safe: "Add a column of the new type, backfill, switch readers and writers, then drop the old column."},
		{ID: "EXAMPLE_TABLE_REWRITE", Kind: compat.KindSQL, Title: "The statement rewrites the table", Hazard: true,
			Why: "The table is copied under ACCESS EXCLUSIVE; nothing reads or writes it meanwhile.",
			New: "ALTER TABLE t ALTER n TYPE bigint;", Safe: "Add a new column and backfill it in batches."},
		{ID: "EXAMPLE_COLUMN_DROPPED", Kind: compat.KindSQL, Title: "A column was dropped",
			Why: "The old release still reads and writes it (not B).",
			Old: "CREATE TABLE t (n int, x text);", New: "ALTER TABLE t DROP x;",
			Safe: "Stop using the column in one release, drop it in a later one."},
	} {
		compat.Register(r)
	}
})

// sampleReport holds findings of every kind across several files, with every optional
// field a format may carry: both positions, only the old one (a deletion), operations, a
// witness, hazards, advice, undecided answers, a finding of an earlier release (context,
// which counts toward no verdict) and a writable-from release, a suppression, an unused ignore,
// a repeated rule and subject, and text that Markdown and XML must escape.
func sampleReport() *compat.Report {
	registerSampleRules()
	r := compat.NewReport([]compat.Finding{
		{Rule: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto, Subject: "shop.v1.Order.note",
			Message: "field note changed number from 2 to 3",
			Old:     compat.Pos("api/shop.proto", 3, 3), New: compat.Pos("api/shop.proto", 3, 3),
			Advice: []string{"Add note_v2 = 3 beside note = 2", "Move writers to note_v2", "Reserve 2 in a later release"}},
		{Rule: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto, Subject: "shop.v1.Order.note",
			Message: "field note changed type from map<string, int32> to bytes | *really* & [more]",
			Old:     compat.Pos("api/shop.proto", 3, 3), New: compat.Pos("api/shop.proto", 3, 3)},
		{Rule: "EXAMPLE_ENUM_VALUE_ADDED", Kind: compat.KindProto, Subject: "shop.v1.Status.CANCELLED",
			Message: "enum value CANCELLED added", New: compat.Pos("api/shop.proto", 9, 3), Backward: true,
			WritableFrom: "v3",
			Advice:       []string{"Release readers that handle CANCELLED", "Then release writers that emit it"}},
		{Rule: "EXAMPLE_ENUM_VALUE_ADDED", Kind: compat.KindProto, Subject: "shop.v1.Status.PAUSED",
			Message: "enum value PAUSED added", New: compat.Pos("api/shop.proto", 8, 3), Backward: true,
			Release: "v2", WritableFrom: "v3"},
		{Rule: "EXAMPLE_MESSAGE_DELETED", Kind: compat.KindProto, Subject: "shop.v1.Gone",
			Message: "message Gone deleted", Old: compat.Pos("api/gone.proto", 20, 1)},
		{Rule: "EXAMPLE_PROPERTY_ADDED", Kind: compat.KindJSONSchema, Subject: "order.json#/properties/gift",
			Message: `property "gift" added`, New: compat.Pos("schemas/order.json", 4, 7), Backward: true, Forward: true},
		{Rule: "EXAMPLE_TYPE_NARROWED", Kind: compat.KindJSONSchema, Subject: "order.json#/properties/id",
			Message: "type narrowed from [string integer] to string", Forward: true, Undecided: true,
			Old: compat.Pos("schemas/order.json", 6, 5), New: compat.Pos("schemas/order.json", 6, 5)},
		{Rule: "EXAMPLE_OPERATION_REMOVED", Kind: compat.KindOpenAPI, Subject: "DELETE /orders/{id}",
			Message: "operation DELETE /orders/{id} removed", Old: compat.Pos("openapi.yaml", 31, 5)},
		{Rule: "EXAMPLE_RESPONSE_ENUM_WIDENED", Kind: compat.KindOpenAPI, Subject: "#/components/schemas/State",
			Message: `enum value "closed" added`, Backward: true, ReadersLag: true,
			Old: compat.Pos("openapi.yaml", 40, 11), New: compat.Pos("openapi.yaml", 42, 11),
			Operations: []compat.OperationRef{{Operation: "GET /orders/{id}", Role: "response"}, {Operation: "GET /orders", Role: "response"}},
			Witness:    json.RawMessage(`"closed"`),
			Advice:     []string{"Add the value behind a client capability", "Send it only to clients that announce it"}},
		{Rule: "EXAMPLE_COLUMN_TYPE_CHANGED", Kind: compat.KindSQL, Subject: "orders.total",
			Message: "column total changed type from integer to bigint", New: compat.Pos("migrations/0002_total.sql", 1, 1),
			Old: compat.Pos("migrations/0001_init.sql", 3, 3),
			Hazards: []compat.Hazard{{Rule: "EXAMPLE_TABLE_REWRITE", Message: "ALTER COLUMN TYPE rewrites orders",
				Lock: "ACCESS EXCLUSIVE", Rewrites: true, Advice: []string{"Add total_v2 bigint", "Backfill it in batches"}}},
			Advice: []string{"Add total_v2 bigint", "Write both columns", "Read total_v2", "Drop total later"}},
		{Rule: "EXAMPLE_COLUMN_DROPPED", Kind: compat.KindSQL, Subject: "orders.legacy",
			Message: "column legacy dropped", New: compat.Pos("migrations/0002_total.sql", 5, 1),
			Old: compat.Pos("migrations/0001_init.sql", 4, 3), Suppressed: "nothing has read legacy since v1.2"},
	})
	r.Unused = []compat.Directive{{Rule: "EXAMPLE_COLUMN_DROPPED", Reason: "the old ignore for legacy",
		Pos: compat.Position{File: "migrations/0001_init.sql", Line: 2, Column: 1}}}
	return r
}

var sampleOpts = compat.EncodeOptions{OldName: "base/contracts", NewName: "contracts",
	Policy: compat.FailOn(compat.Breaking), ToolVersion: "v1.4.0"}

func encode(t testing.TB, r *compat.Report, format string, opts compat.EncodeOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, compat.Encode(&buf, r, format, opts))
	return buf.Bytes()
}

// TestFormatGolden keeps each format's output for the sample report in
// testdata/format_<name>.golden (-update rewrites them), checks it with the format's
// consumer, and checks that a second encoding is byte-identical.
func TestFormatGolden(t *testing.T) {
	check := map[string]func([]byte) error{
		"sarif":  consumers.ValidateSARIF,
		"gitlab": consumers.ValidateGitLab,
		"junit": func(b []byte) error {
			_, err := consumers.ValidateJUnit(b)
			return err
		},
		"markdown": func(b []byte) error {
			_, err := consumers.ValidateMarkdown(b)
			return err
		},
		"github": func([]byte) error { return nil },
		"text":   func([]byte) error { return nil },
	}
	for format, valid := range check {
		t.Run(format, func(t *testing.T) {
			got := encode(t, sampleReport(), format, sampleOpts)
			require.NoError(t, valid(got))
			assert.Equal(t, got, encode(t, sampleReport(), format, sampleOpts), "output must be deterministic")
			compattest.Golden(t, filepath.Join("testdata", "format_"+format+".golden"), got)
		})
	}
}

// Every format must take an empty report, a finding without a file, a rule missing from
// the registry, absolute paths and characters that need escaping, and still be what its
// consumer accepts.
func TestFormatsEdgeCases(t *testing.T) {
	reports := map[string]*compat.Report{
		"empty": {},
		"odd": compat.NewReport([]compat.Finding{
			{Rule: "NOT_A_REGISTERED_RULE", Kind: "other", Subject: "x", Message: "something"},
			{Rule: "NOT_A_REGISTERED_RULE", Kind: "other", Subject: "y`z|w", Message: "a <b> & \"c\"\x01 ]]> end",
				New: compat.Pos("dir with space/a#b?.proto", 1, 0)},
		}),
	}
	optsList := map[string]compat.EncodeOptions{
		"relative": {NewName: "new", OldName: "old"},
		"absolute": {NewName: "/abs/new", OldName: "C:/abs/old"},
		"none":     {},
	}
	for name, r := range reports {
		for oname, opts := range optsList {
			t.Run(name+"/"+oname, func(t *testing.T) {
				require.NoError(t, consumers.ValidateSARIF(encode(t, r, "sarif", opts)))
				require.NoError(t, consumers.ValidateGitLab(gitlabOrSkip(t, r, opts)))
				_, err := consumers.ValidateJUnit(encode(t, r, "junit", opts))
				require.NoError(t, err)
				_, err = consumers.ValidateMarkdown(encode(t, r, "markdown", opts))
				require.NoError(t, err)
			})
		}
	}
}

// gitlabOrSkip encodes the gitlab format; GitLab wants paths relative to the repository,
// so an absolute NEW is not a GitLab input and its relative-path check is not asserted.
func gitlabOrSkip(t *testing.T, r *compat.Report, opts compat.EncodeOptions) []byte {
	if strings.HasPrefix(opts.NewName, "/") {
		return []byte("[]")
	}
	return encode(t, r, "gitlab", opts)
}

type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Class string `json:"class"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			Notifications []struct {
				Message struct{ Text string } `json:"message"`
			} `json:"toolConfigurationNotifications"`
		} `json:"invocations"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

type sarifResult struct {
	RuleID           string `json:"ruleId"`
	Level            string `json:"level"`
	Message          struct{ Text string }
	Locations        []sarifLocation   `json:"locations"`
	RelatedLocations []sarifLocation   `json:"relatedLocations"`
	Fingerprints     map[string]string `json:"partialFingerprints"`
	Suppressions     []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
}

func decodeSARIF(t *testing.T, b []byte) sarifLog {
	t.Helper()
	var log sarifLog
	require.NoError(t, json.Unmarshal(b, &log))
	require.Len(t, log.Runs, 1)
	return log
}

func TestSARIFLocationsAndRules(t *testing.T) {
	log := decodeSARIF(t, encode(t, sampleReport(), "sarif", sampleOpts))
	run := log.Runs[0]
	byRule := map[string][]sarifResult{}
	for _, r := range run.Results {
		byRule[r.RuleID] = append(byRule[r.RuleID], r)
	}
	// A deletion is shown in the old file, joined to OLD's name, with no related location.
	gone := byRule["EXAMPLE_MESSAGE_DELETED"][0]
	assert.Equal(t, "base/contracts/api/gone.proto", gone.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Empty(t, gone.RelatedLocations)
	// A change with both sides is shown in NEW, with the OLD position related.
	widened := byRule["EXAMPLE_RESPONSE_ENUM_WIDENED"][0]
	assert.Equal(t, "contracts/openapi.yaml", widened.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 42, widened.Locations[0].PhysicalLocation.Region.StartLine)
	require.Len(t, widened.RelatedLocations, 1)
	assert.Equal(t, "base/contracts/openapi.yaml", widened.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 40, widened.RelatedLocations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, "error", widened.Level, "readers lag: breaking, and breaking fails the default policy")
	// The message leads with the change, then gives the safe sequence.
	assert.True(t, strings.HasPrefix(widened.Message.Text, `enum value "closed" added (#/components/schemas/State).`), widened.Message.Text)
	assert.Contains(t, widened.Message.Text, "\nSafe sequence:\n1. Add the value behind a client capability\n2. ")
	// The hazard is a result of its own rule; the suppressed finding carries its reason.
	require.Len(t, byRule["EXAMPLE_TABLE_REWRITE"], 1)
	assert.Equal(t, "warning", byRule["EXAMPLE_TABLE_REWRITE"][0].Level)
	dropped := byRule["EXAMPLE_COLUMN_DROPPED"][0]
	require.Len(t, dropped.Suppressions, 1)
	assert.Equal(t, "inSource", dropped.Suppressions[0].Kind)
	assert.Equal(t, "nothing has read legacy since v1.2", dropped.Suppressions[0].Justification)
	assert.Equal(t, "error", dropped.Level, "a suppressed finding keeps its real level; the suppression hides it")
	// The rules are exactly the ones reported, with levels by class.
	var ids []string
	levels := map[string]string{}
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		levels[r.Properties.Class] = r.DefaultConfiguration.Level
		assert.Equal(t, compat.RuleURL(r.ID), r.HelpURI)
	}
	assert.Equal(t, []string{"EXAMPLE_ENUM_VALUE_ADDED", "EXAMPLE_FIELD_RENUMBERED", "EXAMPLE_MESSAGE_DELETED",
		"EXAMPLE_PROPERTY_ADDED", "EXAMPLE_TYPE_NARROWED", "EXAMPLE_OPERATION_REMOVED", "EXAMPLE_RESPONSE_ENUM_WIDENED",
		"EXAMPLE_COLUMN_DROPPED", "EXAMPLE_COLUMN_TYPE_CHANGED", "EXAMPLE_TABLE_REWRITE"}, ids, "registry order: kind, then ID")
	assert.Equal(t, map[string]string{"breaking": "error", "read-tolerant": "warning", "additive": "note", "hazard": "warning"}, levels)
	assert.Equal(t, "v1.4.0", run.Tool.Driver.Version)
	require.Len(t, run.Invocations, 1)
	require.Len(t, run.Invocations[0].Notifications, 1)
	assert.Contains(t, run.Invocations[0].Notifications[0].Message.Text, "Unused ignore of EXAMPLE_COLUMN_DROPPED")
}

// Fingerprints survive a change moving to another line, and tell repeated rule and
// subject apart by their order.
func TestFingerprintsIgnoreLines(t *testing.T) {
	fp := func(line int, subject string) string {
		r := compat.NewReport([]compat.Finding{{Rule: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto,
			Subject: subject, Message: "m", New: compat.Pos("a.proto", line, 1)}})
		log := decodeSARIF(t, encode(t, r, "sarif", sampleOpts))
		return log.Runs[0].Results[0].Fingerprints[compat.FingerprintKey]
	}
	registerSampleRules()
	assert.Equal(t, fp(3, "p.M.a"), fp(300, "p.M.a"))
	assert.NotEqual(t, fp(3, "p.M.a"), fp(3, "p.M.b"))
	assert.True(t, strings.HasSuffix(fp(3, "p.M.a"), ":1"))

	log := decodeSARIF(t, encode(t, sampleReport(), "sarif", sampleOpts))
	var renumbered []string
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "EXAMPLE_FIELD_RENUMBERED" {
			renumbered = append(renumbered, r.Fingerprints[compat.FingerprintKey])
		}
	}
	require.Len(t, renumbered, 2)
	assert.Equal(t, strings.TrimSuffix(renumbered[0], ":1"), strings.TrimSuffix(renumbered[1], ":2"))

	// GitLab uses the same recipe: moving a change does not make it a new issue.
	gl := func(line int) string {
		r := compat.NewReport([]compat.Finding{{Rule: "EXAMPLE_FIELD_RENUMBERED", Kind: compat.KindProto,
			Subject: "p.M.a", Message: "m", New: compat.Pos("a.proto", line, 1)}})
		var issues []struct{ Fingerprint string }
		require.NoError(t, json.Unmarshal(encode(t, r, "gitlab", sampleOpts), &issues))
		return issues[0].Fingerprint
	}
	assert.Equal(t, gl(3), gl(30))
}

func TestJUnitCases(t *testing.T) {
	suites, err := consumers.ValidateJUnit(encode(t, sampleReport(), "junit", sampleOpts))
	require.NoError(t, err)
	status := map[string]junit.Status{}
	var suiteNames []string
	for _, s := range suites {
		suiteNames = append(suiteNames, s.Name)
		for _, c := range s.Tests {
			status[c.Name] = c.Status
			assert.Equal(t, s.Name, c.Classname)
		}
	}
	// Suites come in the report's order (by relative path), a deletion under the OLD path.
	assert.Equal(t, []string{"base/contracts/api/gone.proto", "contracts/api/shop.proto",
		"contracts/migrations/0002_total.sql", "base/contracts/openapi.yaml", "contracts/openapi.yaml",
		"contracts/schemas/order.json", "contracts/migrations/0001_init.sql"}, suiteNames)
	assert.Equal(t, junit.StatusFailed, status["EXAMPLE_FIELD_RENUMBERED shop.v1.Order.note"])
	assert.Equal(t, junit.StatusFailed, status["EXAMPLE_FIELD_RENUMBERED shop.v1.Order.note #2"])
	assert.Equal(t, junit.StatusPassed, status["EXAMPLE_ENUM_VALUE_ADDED shop.v1.Status.CANCELLED"], "read-tolerant passes --fail-on breaking")
	assert.Equal(t, junit.StatusSkipped, status["EXAMPLE_COLUMN_DROPPED orders.legacy"])
	assert.Equal(t, junit.StatusPassed, status["unused ignore of EXAMPLE_COLUMN_DROPPED"])

	// --fail-on read-tolerant turns the read-tolerant finding into a failure.
	opts := sampleOpts
	opts.Policy = compat.FailOn(compat.ReadTolerant)
	suites, err = consumers.ValidateJUnit(encode(t, sampleReport(), "junit", opts))
	require.NoError(t, err)
	for _, s := range suites {
		for _, c := range s.Tests {
			if c.Name == "EXAMPLE_ENUM_VALUE_ADDED shop.v1.Status.CANCELLED" {
				assert.Equal(t, junit.StatusFailed, c.Status)
			}
		}
	}

	// A report without findings is still one passing test, not an empty report.
	suites, err = consumers.ValidateJUnit(encode(t, &compat.Report{}, "junit", sampleOpts))
	require.NoError(t, err)
	require.Len(t, suites, 1)
	assert.Equal(t, "contracts", suites[0].Name)
	require.Len(t, suites[0].Tests, 1)
	assert.Equal(t, junit.StatusPassed, suites[0].Tests[0].Status)
}

func TestGitLabIssues(t *testing.T) {
	var issues []struct {
		CheckName string `json:"check_name"`
		Severity  string `json:"severity"`
		Location  struct {
			Path  string              `json:"path"`
			Lines struct{ Begin int } `json:"lines"`
		} `json:"location"`
	}
	require.NoError(t, json.Unmarshal(encode(t, sampleReport(), "gitlab", sampleOpts), &issues))
	severity := map[string]string{}
	for _, is := range issues {
		severity[is.CheckName] = is.Severity
		assert.NotEqual(t, "EXAMPLE_COLUMN_DROPPED", is.CheckName, "suppressed findings are left out")
	}
	assert.Equal(t, map[string]string{
		"EXAMPLE_FIELD_RENUMBERED": "blocker", "EXAMPLE_MESSAGE_DELETED": "blocker", "EXAMPLE_TYPE_NARROWED": "blocker",
		"EXAMPLE_OPERATION_REMOVED": "blocker", "EXAMPLE_RESPONSE_ENUM_WIDENED": "blocker", "EXAMPLE_COLUMN_TYPE_CHANGED": "blocker",
		"EXAMPLE_ENUM_VALUE_ADDED": "minor", "EXAMPLE_PROPERTY_ADDED": "info", "EXAMPLE_TABLE_REWRITE": "major",
		"UNUSED_IGNORE": "minor",
	}, severity)
	// An empty report is an empty array, which GitLab reads as "no issues".
	assert.Equal(t, "[]\n", string(encode(t, &compat.Report{}, "gitlab", sampleOpts)))
	// A finding without a line is placed on line 1.
	r := compat.NewReport([]compat.Finding{{Rule: "EXAMPLE_MESSAGE_DELETED", Subject: "s", Message: "m", Old: compat.Pos("a.proto", 0, 0)}})
	require.NoError(t, json.Unmarshal(encode(t, r, "gitlab", compat.EncodeOptions{OldName: "old"}), &issues))
	assert.Equal(t, "old/a.proto", issues[0].Location.Path)
	assert.Equal(t, 1, issues[0].Location.Lines.Begin)
}

func TestMarkdownSummary(t *testing.T) {
	md := encode(t, sampleReport(), "markdown", sampleOpts)
	html, err := consumers.ValidateMarkdown(md)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(md), "## ❌ compatcheck verdict: breaking\n"), "the verdict comes first")
	assert.Contains(t, html, "map&lt;string, int32&gt;", "a quoted type is text, not an HTML tag")
	assert.NotContains(t, html, "<string")
	assert.Contains(t, html, "<em>undecided</em>")
	assert.Contains(t, string(md), "Safe sequences:")
	assert.Contains(t, string(md), "1. Add note\\_v2 = 3 beside note = 2")
	// A read-tolerant change without advice gets its rule's safe alternative.
	assert.NotContains(t, string(md), "<details>", "ten findings or fewer per class are all shown")
	// A class with more findings than are shown open collapses the rest.
	registerSampleRules()
	var fs []compat.Finding
	for i := range 14 {
		fs = append(fs, compat.Finding{Rule: "EXAMPLE_ENUM_VALUE_ADDED", Kind: compat.KindProto, Backward: true,
			Subject: fmt.Sprintf("p.E.V%d", i), Message: "value added", New: compat.Pos("e.proto", i+1, 1)})
	}
	md = encode(t, compat.NewReport(fs), "markdown", sampleOpts)
	html, err = consumers.ValidateMarkdown(md)
	require.NoError(t, err)
	assert.Contains(t, html, "<details>\n<summary>4 more read-tolerant findings</summary>")
	assert.Equal(t, 14, strings.Count(string(md), "- `p.E.V"), "every unsafe change has its safe sequence")
	assert.Contains(t, string(md), "Release readers that handle the value before writers that emit it.")
	// Nothing found.
	md = encode(t, &compat.Report{}, "markdown", sampleOpts)
	assert.True(t, strings.HasPrefix(string(md), "## ✅ compatcheck verdict: none\n\nNo change"), string(md))
}

// A report of 5,000 findings keeps the summary under GitHub's comment limit, says how
// many findings it left out, and the findings it shows plus those it counts are all of
// them.
func TestMarkdownSizeLimit(t *testing.T) {
	registerSampleRules()
	rules := []string{"EXAMPLE_FIELD_RENUMBERED", "EXAMPLE_ENUM_VALUE_ADDED", "EXAMPLE_PROPERTY_ADDED", "EXAMPLE_COLUMN_TYPE_CHANGED"}
	var fs []compat.Finding
	for i := range 5000 {
		rule, _ := compat.LookupRule(rules[i%len(rules)])
		f := rule.Findingf(fmt.Sprintf("pkg.v1.Message%04d.field_with_a_long_name", i),
			"the field changed in a way that needs a sentence of about this length to explain, number %d", i)
		f.New = compat.Pos(fmt.Sprintf("proto/pkg/v1/file%03d.proto", i/50), i%50+1, 3)
		f.Advice = []string{"First release a reader that accepts both shapes", "Then move every writer", "Finally remove the old shape"}
		if i%97 == 0 {
			f.Suppressed = "accepted by the API review"
		}
		fs = append(fs, f)
	}
	r := compat.NewReport(fs)
	for _, full := range []string{"", "results.sarif", "https://github.com/o/r/actions/runs/1"} {
		opts := sampleOpts
		opts.FullReport = full
		md := encode(t, r, "markdown", opts)
		require.LessOrEqual(t, len(md), compat.MarkdownLimit)
		_, err := consumers.ValidateMarkdown(md)
		require.NoError(t, err)
		m := regexp.MustCompile(`(?m)^> (\d+) entries are not shown \(([^)]*)\) to keep this summary under GitHub's 65,536-character comment limit; (.*)\.$`).FindSubmatch(md)
		require.NotNil(t, m, "the summary says what it cut")
		cut, _ := strconv.Atoi(string(m[1]))
		shown := 0
		for _, line := range strings.Split(string(md), "\n") {
			if strings.HasPrefix(line, "| ") && strings.Contains(line, "](https://github.com/compatcheck/compatcheck/blob/main/docs/rules.md#") {
				shown++
			}
		}
		assert.Equal(t, 5000, shown+cut, "shown %d + cut %d", shown, cut)
		assert.Greater(t, shown, 50, "the budget is used, not given up early")
		sum := 0
		for _, part := range strings.Split(string(m[2]), ", ") {
			n, _ := strconv.Atoi(strings.Fields(part)[0])
			sum += n
		}
		assert.Equal(t, cut, sum, "the per-class counts add up")
		switch full {
		case "":
			assert.Contains(t, string(m[3]), "compatcheck --format text")
		case "results.sarif":
			assert.Contains(t, string(m[3]), "`results.sarif`")
		default:
			assert.Contains(t, string(m[3]), "<"+full+">")
		}
	}
}

func TestGitHubAnnotationCap(t *testing.T) {
	registerSampleRules()
	var fs []compat.Finding
	add := func(n int, rule string, backward, forward bool) {
		for i := range n {
			fs = append(fs, compat.Finding{Rule: rule, Kind: compat.KindProto, Backward: backward, Forward: forward,
				Subject: fmt.Sprintf("%s.%d", rule, i), Message: "m", New: compat.Pos("a.proto", len(fs)+1, 1)})
		}
	}
	add(25, "EXAMPLE_FIELD_RENUMBERED", false, false)
	add(12, "EXAMPLE_ENUM_VALUE_ADDED", true, false)
	add(14, "EXAMPLE_PROPERTY_ADDED", true, true)
	opts := sampleOpts
	opts.FullReport = "results.sarif"
	out := string(encode(t, compat.NewReport(fs), "github", opts))
	count := func(prefix string) int {
		n := 0
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, prefix) {
				n++
			}
		}
		return n
	}
	assert.Equal(t, 10, count("::error "))
	assert.Equal(t, 10, count("::warning "))
	assert.Equal(t, 10, count("::notice "), "nine findings and the overflow notice")
	assert.Equal(t, 1, count("::notice title=compatcheck%3A more findings than annotations::"))
	assert.Contains(t, out, "::notice title=compatcheck%3A more findings than annotations::22 of 51 findings are not shown as annotations (15 errors, 2 warnings, 5 notices), because GitHub shows at most 10 errors, 10 warnings and 10 notices per step. They are listed below in this step's log; the full report is in results.sarif.\n")
	assert.Equal(t, 22, count("contracts/a.proto:"), "every left-out finding is a plain log line")
	assert.Contains(t, out, "contracts/a.proto:11:1: error EXAMPLE_FIELD_RENUMBERED (breaking) EXAMPLE_FIELD_RENUMBERED.10: m\n")

	// At the limit, nothing overflows and no notice is added.
	out = string(encode(t, compat.NewReport(fs[:10]), "github", opts))
	assert.NotContains(t, out, "more findings than annotations")
	assert.Equal(t, 10, strings.Count(out, "::error "))
}

func TestTextColorAndQuiet(t *testing.T) {
	opts := sampleOpts
	plain := string(encode(t, sampleReport(), "text", opts))
	assert.NotContains(t, plain, "\x1b[")
	opts.Color = true
	colored := string(encode(t, sampleReport(), "text", opts))
	assert.Contains(t, colored, "\x1b[31mbreaking     \x1b[0m")
	assert.Contains(t, colored, "\x1b[33mread-tolerant\x1b[0m")
	assert.Contains(t, colored, "\x1b[1;31m [fails]\x1b[0m")
	assert.Equal(t, plain, regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(colored, ""), "colour changes nothing else")
	for _, format := range compat.Formats() {
		if format != "text" {
			assert.NotContains(t, string(encode(t, sampleReport(), format, opts)), "\x1b", format)
		}
	}

	opts = sampleOpts
	opts.Quiet = true
	quiet := string(encode(t, sampleReport(), "text", opts))
	assert.NotContains(t, quiet, "EXAMPLE_ENUM_VALUE_ADDED", "only failing findings")
	assert.NotContains(t, quiet, "unused ignore")
	assert.Contains(t, quiet, "EXAMPLE_FIELD_RENUMBERED")
	assert.True(t, strings.HasSuffix(quiet, "verdict: breaking (7 breaking, 1 read-tolerant, 1 additive)\n"), quiet)
	opts.Policy = compat.FailOn(compat.None)
	assert.Empty(t, encode(t, sampleReport(), "text", opts), "nothing at all when nothing fails")
}

// TestLongWitnessAbbreviated checks that text and SARIF messages shorten a long witness
// (a 5,001-character string shows a maxLength change) while JSON carries it whole.
func TestLongWitnessAbbreviated(t *testing.T) {
	registerSampleRules()
	long := `"` + strings.Repeat("a", 5001) + `"`
	r := compat.NewReport([]compat.Finding{{Rule: "EXAMPLE_TYPE_NARROWED", Kind: compat.KindJSONSchema,
		Subject: "s.json#/properties/name", Message: "maxLength lowered from none to 5000", Forward: true,
		New: compat.Pos("s.json", 2, 5), Witness: json.RawMessage(long)}})
	text := string(encode(t, r, "text", sampleOpts))
	assert.Contains(t, text, "witness \"aaaa")
	assert.Contains(t, text, "… (5003 bytes)")
	assert.NotContains(t, text, strings.Repeat("a", 200))
	sarif := string(encode(t, r, "sarif", sampleOpts))
	assert.Contains(t, sarif, "… (5003 bytes)")
	assert.Contains(t, string(encode(t, r, "json", sampleOpts)), long, "JSON keeps the whole witness")
}
