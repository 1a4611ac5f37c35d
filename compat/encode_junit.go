package compat

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// The junit format is the JUnit XML that CI systems read as test results (GitLab's
// artifacts:reports:junit, Jenkins, Azure Pipelines, the test-reporter actions): one
// testsuite per contract file, one testcase per finding. A finding that fails the policy
// is a <failure>, a suppressed one is <skipped> with the ignore's reason, and the rest
// pass with their details in <system-out>, so the report lists every change the check
// looked at. Times are left out: a finding has no duration, and leaving them out keeps
// the output byte-identical across runs.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// junitText is element content written as CDATA, so that multi-line details stay
// readable in the file.
type junitText struct {
	Text string `xml:",cdata"`
}

// xmlText replaces the characters XML 1.0 cannot hold (most control characters), which
// CDATA does not escape, so that the report stays well-formed whatever a message holds.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

func junitOut(s string) *junitText { return &junitText{Text: xmlText(s)} }

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// encodeJUnit writes the report as JUnit XML. Suites follow the file paths findings are
// shown at (joined to OLD or NEW, as in the text format), in the report's order; a
// testcase is named by rule and subject, with " #2", " #3"… added in report order when
// one file has several findings of the same rule and subject. An empty report is one
// suite named after NEW holding one passing testcase, because CI systems treat a report
// without tests as a broken job.
func encodeJUnit(w io.Writer, r *Report, opts EncodeOptions) error {
	out := junitSuites{Name: "compatcheck"}
	at := map[string]int{}
	names := map[string]map[string]int{}
	suite := func(file string) *junitSuite {
		i, ok := at[file]
		if !ok {
			i = len(out.Suites)
			at[file] = i
			name := file
			if name == "" {
				name = "(no file)"
			}
			out.Suites = append(out.Suites, junitSuite{Name: name})
			names[file] = map[string]int{}
		}
		return &out.Suites[i]
	}
	unique := func(file, name string) string {
		names[file][name]++
		if n := names[file][name]; n > 1 {
			return fmt.Sprintf("%s #%d", name, n)
		}
		return name
	}
	for _, f := range r.Findings {
		p := opts.displayPos(f)
		s := suite(p.File)
		c := junitCase{
			Name:      unique(p.File, f.Rule+" "+f.Subject),
			Classname: s.Name,
			File:      p.File,
			Line:      p.Line,
		}
		details := xmlText(junitDetails(f, p))
		switch {
		case f.Suppressed != "":
			c.Skipped = &junitSkipped{Message: "ignored: " + oneLine(f.Suppressed)}
			c.SystemOut = junitOut(details)
			s.Skipped++
		case opts.Policy.Fails(f):
			c.Failure = &junitFailure{Message: sentence(f.Message), Type: f.Class().String(), Text: details}
			s.Failures++
		default:
			c.SystemOut = junitOut(details)
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
	}
	for _, d := range r.Unused {
		p := d.Pos
		p.File = sidePath(opts.NewName, p.File)
		s := suite(p.File)
		s.Cases = append(s.Cases, junitCase{
			Name:      unique(p.File, "unused ignore of "+d.Rule),
			Classname: s.Name,
			File:      p.File,
			Line:      p.Line,
			SystemOut: junitOut(fmt.Sprintf("%s: unused ignore of %s (%s): nothing it names was found; remove it\n", p, d.Rule, oneLine(d.Reason))),
		})
		s.Tests++
	}
	if len(out.Suites) == 0 {
		name := opts.NewName
		if name == "" {
			name = "compatcheck"
		}
		out.Suites = []junitSuite{{Name: name, Tests: 1, Cases: []junitCase{{
			Name: "no incompatible change", Classname: name,
			SystemOut: junitOut("compatcheck found no change that affects compatibility.\n"),
		}}}}
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitDetails is the text of a failure or of system-out: where, the class and its
// answers, and everything the finding carries.
func junitDetails(f Finding, p Position) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s %s: %s\n", locText(p), f.Class(), f.Rule, f.Subject, oneLine(f.Message))
	fmt.Fprintf(&b, "B (new readers accept what old writers produced): %s; F (old readers accept what new writers produce): %s\n",
		yesNo(f.Backward), yesNo(f.Forward))
	for _, fact := range findingFacts(f) {
		b.WriteString(fact + "\n")
	}
	for _, h := range f.Hazards {
		if len(h.Advice) > 0 {
			fmt.Fprintf(&b, "safe way against %s:\n", h.Rule)
			for i, s := range h.Advice {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, oneLine(s))
			}
		}
	}
	if len(f.Advice) > 0 {
		b.WriteString("safe sequence:\n")
		for i, s := range f.Advice {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, oneLine(s))
		}
	}
	if f.Suppressed != "" {
		fmt.Fprintf(&b, "ignored: %s\n", oneLine(f.Suppressed))
	}
	return b.String()
}

func init() { RegisterFormat("junit", encodeJUnit) }
