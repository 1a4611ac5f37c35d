// Package consumers checks compatcheck's output formats the way their consumers read
// them, so that a test of an encoder asserts what GitHub code scanning, GitLab or a CI
// system will accept rather than what the encoder happens to write. The consumers'
// schemas are the files in compat/testdata, copied unchanged from their publishers (see
// its README). It is for tests; nothing in the command or the library imports it.
package consumers

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/compatcheck/compatcheck/compat"
	junit "github.com/joshdk/go-junit"
	js "github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// testdataFile returns the path of a file in compat/testdata, found from this source file
// so that tests of any package can use it.
func testdataFile(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", name)
}

var (
	schemaOnce   sync.Once
	sarifSchema  *js.Schema
	gitlabSchema *js.Schema
	schemaErr    error
)

func loadSchemas() {
	compile := func(name string) (*js.Schema, error) {
		data, err := os.ReadFile(testdataFile(name))
		if err != nil {
			return nil, err
		}
		c := js.NewCompiler()
		url := "file:///compat/testdata/" + name
		if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
			return nil, err
		}
		return c.Compile(url)
	}
	if sarifSchema, schemaErr = compile("sarif-schema-2.1.0.json"); schemaErr != nil {
		return
	}
	gitlabSchema, schemaErr = compile("gitlab-codeclimate.json")
}

func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// ValidateSARIF checks a SARIF log against the official SARIF 2.1.0 schema and against
// what GitHub code scanning needs beyond it: one run, every result with exactly one
// location, a ruleId matching the rule its ruleIndex points at, a partialFingerprints
// entry under compatcheck's key that no other result shares, and a help text for every
// rule.
func ValidateSARIF(data []byte) error {
	schemaOnce.Do(loadSchemas)
	if schemaErr != nil {
		return schemaErr
	}
	v, err := decodeJSON(data)
	if err != nil {
		return fmt.Errorf("SARIF is not JSON: %v", err)
	}
	if err := sarifSchema.Validate(v); err != nil {
		return fmt.Errorf("SARIF does not validate against sarif-schema-2.1.0.json: %#v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text, Markdown string
						} `json:"help"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				RuleIndex           *int              `json:"ruleIndex"`
				Locations           []json.RawMessage `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Message             struct {
					Text string `json:"text"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return err
	}
	if len(log.Runs) != 1 {
		return fmt.Errorf("SARIF has %d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.AutomationDetails.ID == "" {
		return errors.New("SARIF run has no automationDetails.id")
	}
	for i, r := range run.Tool.Driver.Rules {
		if r.Help.Text == "" || r.Help.Markdown == "" {
			return fmt.Errorf("rule %d (%s) has no help text and markdown", i, r.ID)
		}
	}
	seen := map[string]int{}
	for i, r := range run.Results {
		if len(r.Locations) != 1 {
			return fmt.Errorf("result %d (%s) has %d locations, want exactly 1", i, r.RuleID, len(r.Locations))
		}
		if r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(run.Tool.Driver.Rules) {
			return fmt.Errorf("result %d (%s) has no valid ruleIndex", i, r.RuleID)
		}
		if got := run.Tool.Driver.Rules[*r.RuleIndex].ID; got != r.RuleID {
			return fmt.Errorf("result %d has ruleId %s but its ruleIndex names %s", i, r.RuleID, got)
		}
		fp := r.PartialFingerprints[compat.FingerprintKey]
		if fp == "" {
			return fmt.Errorf("result %d (%s) has no partialFingerprints[%q]", i, r.RuleID, compat.FingerprintKey)
		}
		if j, dup := seen[fp]; dup {
			return fmt.Errorf("results %d and %d share the fingerprint %s", j, i, fp)
		}
		seen[fp] = i
		if strings.TrimSpace(r.Message.Text) == "" {
			return fmt.Errorf("result %d (%s) has no message", i, r.RuleID)
		}
	}
	return nil
}

// ValidateGitLab checks a GitLab Code Quality report as GitLab reads it: a JSON array
// whose every issue passes the schema GitLab validates issues with, and beyond that what
// GitLab needs to show an issue in a merge request: a check_name, a severity GitLab
// knows, a relative path, a line from 1, and a fingerprint no other issue has (GitLab
// keeps one issue per fingerprint).
func ValidateGitLab(data []byte) error {
	schemaOnce.Do(loadSchemas)
	if schemaErr != nil {
		return schemaErr
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return errors.New("report starts with a byte order mark, which GitLab refuses")
	}
	v, err := decodeJSON(data)
	if err != nil {
		return fmt.Errorf("report is not JSON: %v", err)
	}
	items, ok := v.([]any)
	if !ok {
		return errors.New("report is not a JSON array")
	}
	for i, it := range items {
		if err := gitlabSchema.Validate(it); err != nil {
			return fmt.Errorf("issue %d does not validate against GitLab's codeclimate.json: %v", i, err)
		}
	}
	var issues []struct {
		CheckName   string `json:"check_name"`
		Fingerprint string `json:"fingerprint"`
		Severity    string `json:"severity"`
		Description string `json:"description"`
		Location    struct {
			Path  string `json:"path"`
			Lines struct {
				Begin int `json:"begin"`
			} `json:"lines"`
		} `json:"location"`
	}
	if err := json.Unmarshal(data, &issues); err != nil {
		return err
	}
	seen := map[string]int{}
	severities := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	for i, is := range issues {
		switch {
		case is.CheckName == "":
			return fmt.Errorf("issue %d has no check_name", i)
		case !severities[is.Severity]:
			return fmt.Errorf("issue %d has severity %q, want info, minor, major, critical or blocker", i, is.Severity)
		case is.Location.Path == "" || strings.HasPrefix(is.Location.Path, "/"):
			return fmt.Errorf("issue %d has path %q, want a path relative to the repository", i, is.Location.Path)
		case is.Location.Lines.Begin < 1:
			return fmt.Errorf("issue %d has location.lines.begin %d, want a line from 1", i, is.Location.Lines.Begin)
		case is.Fingerprint == "":
			return fmt.Errorf("issue %d has no fingerprint", i)
		}
		if j, dup := seen[is.Fingerprint]; dup {
			return fmt.Errorf("issues %d and %d share the fingerprint %s, and GitLab would show only one", j, i, is.Fingerprint)
		}
		seen[is.Fingerprint] = i
	}
	return nil
}

// ValidateJUnit checks a JUnit XML report the way CI systems read it: it parses with
// github.com/joshdk/go-junit (a reader of the dialects Jenkins, GitLab and the test
// reporters accept), the counts on every testsuite and on testsuites agree with its
// testcases, and no two testcases of a suite share classname and name. It returns the
// suites as the reader sees them, for further checks.
func ValidateJUnit(data []byte) ([]junit.Suite, error) {
	suites, err := junit.Ingest(data)
	if err != nil {
		return nil, fmt.Errorf("JUnit reader refuses the report: %v", err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Skipped  int    `xml:"skipped,attr"`
			Cases    []struct {
				Name      string    `xml:"name,attr"`
				Classname string    `xml:"classname,attr"`
				Failure   *struct{} `xml:"failure"`
				Skipped   *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("report is not a <testsuites> document: %v", err)
	}
	if len(doc.Suites) != len(suites) {
		return nil, fmt.Errorf("report has %d testsuites, the JUnit reader sees %d", len(doc.Suites), len(suites))
	}
	total := [3]int{}
	for i, s := range doc.Suites {
		var n [3]int
		names := map[string]bool{}
		for _, c := range s.Cases {
			key := c.Classname + "\x00" + c.Name
			if names[key] {
				return nil, fmt.Errorf("suite %s has two testcases named %q", s.Name, c.Name)
			}
			names[key] = true
			n[0]++
			if c.Failure != nil {
				n[1]++
			}
			if c.Skipped != nil {
				n[2]++
			}
		}
		if n != [3]int{s.Tests, s.Failures, s.Skipped} {
			return nil, fmt.Errorf("suite %s says tests=%d failures=%d skipped=%d, its testcases give %v", s.Name, s.Tests, s.Failures, s.Skipped, n)
		}
		r := suites[i].Totals
		if r.Tests != n[0] || r.Failed != n[1] || r.Skipped != n[2] {
			return nil, fmt.Errorf("suite %s: the JUnit reader counts %+v, the testcases give %v", s.Name, r, n)
		}
		for j := range total {
			total[j] += n[j]
		}
	}
	if total != [3]int{doc.Tests, doc.Failures, doc.Skipped} {
		return nil, fmt.Errorf("testsuites says tests=%d failures=%d skipped=%d, its suites give %v", doc.Tests, doc.Failures, doc.Skipped, total)
	}
	return suites, nil
}

// ValidateMarkdown checks a pull-request summary: it is within GitHub's comment limit,
// and it renders as GitHub Flavored Markdown (goldmark, the CommonMark implementation Go
// tools use, with the GFM extensions) into HTML whose <details> blocks are balanced. It
// returns the HTML, for further checks.
func ValidateMarkdown(data []byte) (string, error) {
	if len(data) > compat.MarkdownLimit {
		return "", fmt.Errorf("summary is %d bytes, over GitHub's %d-character comment limit", len(data), compat.MarkdownLimit)
	}
	var buf bytes.Buffer
	// Raw HTML is kept, as GitHub keeps <details> and <summary>, so that the check can
	// see whether every block the summary opens is closed.
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))
	if err := md.Convert(data, &buf); err != nil {
		return "", fmt.Errorf("summary does not render: %v", err)
	}
	out := buf.String()
	if open, closed := strings.Count(out, "<details>"), strings.Count(out, "</details>"); open != closed {
		return "", fmt.Errorf("summary opens %d <details> and closes %d", open, closed)
	}
	if strings.Contains(out, "|---") {
		return "", errors.New("a table did not render as a table")
	}
	return out, nil
}
