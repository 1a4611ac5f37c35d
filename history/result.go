package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/compatcheck/compatcheck/compat"
)

// Result is the outcome of [Check]: one report holding the head's findings (Release empty)
// and the earlier releases' changes as context (Release set), with the per-release
// summary and the rollback floor as data, so that every output format can render them.
type Result struct {
	// Kind is the kind of contract that was compared.
	Kind compat.Kind `json:"kind,omitempty"`
	// Path is the contract's path as the user gave it.
	Path string `json:"path,omitempty"`
	// Head names the version judged ("unreleased" for the working tree).
	Head string `json:"head"`
	// Report holds every finding, head and context; its verdict is the head's.
	Report *compat.Report `json:"-"`
	// Releases summarizes each release, oldest first, and then the head.
	Releases []ReleaseSummary `json:"releases"`
	// Rollback is the head's rollback floor.
	Rollback Rollback `json:"rollback"`
	// Notes say what the check could not do (a release it could not read, tags it could
	// not order), so that a gap in the history is never silent.
	Notes []string `json:"notes,omitempty"`

	comparisons int
	// base is what finding paths are relative to: Path, or its directory for one file.
	base string
}

// ReleaseSummary is one row of the per-release table: what the step into the release
// changed, by class.
type ReleaseSummary struct {
	// Name is the release (or the head's name).
	Name string `json:"name"`
	// Date is the release's date, YYYY-MM-DD, when known.
	Date string `json:"date,omitempty"`
	// Commit is the abbreviated commit, when the release comes from git.
	Commit string `json:"commit,omitempty"`
	// Head marks the row of the version judged.
	Head bool `json:"head,omitempty"`
	// Baseline marks the first release, which has nothing before it to compare with.
	Baseline bool `json:"baseline,omitempty"`
	// Unchanged is set when the contract is byte-identical to the version before.
	Unchanged bool `json:"unchanged,omitempty"`
	// Verdict is the highest class of the step's changes.
	Verdict compat.Class `json:"verdict"`
	// Breaking, ReadTolerant and Additive count the step's changes by class.
	Breaking     int `json:"breaking"`
	ReadTolerant int `json:"read_tolerant"`
	Additive     int `json:"additive"`
	// Skipped says why the step could not be compared.
	Skipped string `json:"skipped,omitempty"`
}

func summaryRow(v Version, st *step, head bool) ReleaseSummary {
	row := ReleaseSummary{Name: v.Name, Head: head}
	if !v.Date.IsZero() {
		row.Date = v.Date.UTC().Format("2006-01-02")
	}
	if len(v.Commit) >= 12 {
		row.Commit = v.Commit[:12]
	}
	if st == nil {
		row.Baseline = !head
		return row
	}
	row.Unchanged = st.from.ID != "" && st.from.ID == st.to.ID
	row.Skipped = st.failed
	row.Verdict = classOf(st.findings)
	for _, f := range st.findings {
		if f.Suppressed != "" {
			continue
		}
		switch f.Class() {
		case compat.Breaking:
			row.Breaking++
		case compat.ReadTolerant:
			row.ReadTolerant++
		case compat.Additive:
			row.Additive++
		}
	}
	return row
}

// summary is one row per release in the sequence's order, the releases left out as
// unreadable included, and the head's row last.
func (c *checker) summary(steps []*step, releases []Version) []ReleaseSummary {
	good := []ReleaseSummary{summaryRow(c.rels[0], nil, false)}
	for _, st := range steps {
		good = append(good, summaryRow(st.to, st, st.isHead()))
	}
	var rows []ReleaseSummary
	for _, v := range releases {
		if why, ok := c.unreadable[v.Name]; ok {
			row := summaryRow(v, nil, false)
			row.Baseline, row.Skipped = false, why
			rows = append(rows, row)
			continue
		}
		rows = append(rows, good[0])
		good = good[1:]
	}
	return append(rows, good...)
}

// Failed reports whether the result fails the policy: the head's findings, and the
// earlier releases' too when the policy includes history.
func (r *Result) Failed(p compat.Policy) bool { return len(r.Report.Failures(p)) > 0 }

// Encode writes the result in the named format. text adds the per-release table and the
// rollback floor to the findings; json adds them as a "history" object beside the
// report's verdict and findings; every other format is the report as compat.Encode
// writes it.
func (r *Result) Encode(w io.Writer, format string, policy compat.Policy) error {
	opts := compat.EncodeOptions{OldName: r.base, NewName: r.base, Policy: policy}
	switch format {
	case "json":
		return r.encodeJSON(w)
	case "text":
		return r.encodeText(w, opts)
	}
	return compat.Encode(w, r.Report, format, opts)
}

func (r *Result) encodeText(w io.Writer, opts compat.EncodeOptions) error {
	bw := bufio.NewWriter(w)
	what := r.Path
	if what == "" {
		what = "the contract"
	}
	if r.Kind != "" {
		what += " (" + string(r.Kind) + ")"
	}
	fmt.Fprintf(bw, "history of %s, %s against %s:\n", what, r.Head, plural(len(r.Releases)-1, "release"))
	tw := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  release\tdate\tcommit\tbreaking\tread-tolerant\tadditive\tverdict")
	for _, row := range r.Releases {
		date, commit := dash(row.Date), dash(row.Commit)
		switch {
		case row.Baseline:
			fmt.Fprintf(tw, "  %s\t%s\t%s\t-\t-\t-\tbaseline\n", row.Name, date, commit)
		case row.Skipped != "":
			fmt.Fprintf(tw, "  %s\t%s\t%s\t-\t-\t-\tnot read (see notes)\n", row.Name, date, commit)
		case row.Unchanged:
			fmt.Fprintf(tw, "  %s\t%s\t%s\t-\t-\t-\tunchanged\n", row.Name, date, commit)
		default:
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%d\t%d\t%s\n", row.Name, date, commit, row.Breaking, row.ReadTolerant, row.Additive, row.Verdict)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(bw)
	if err := compat.Encode(bw, r.Report, "text", opts); err != nil {
		return err
	}
	for _, s := range r.Rollback.sentences() {
		if s != "" {
			fmt.Fprintln(bw, s)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintln(bw, "note: "+strings.Join(strings.Fields(n), " "))
	}
	return bw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// encodeJSON writes the report's JSON (verdict, findings, unused ignores: the CLI's
// contract) with the history beside it.
func (r *Result) encodeJSON(w io.Writer) error {
	base, err := r.Report.MarshalJSON()
	if err != nil {
		return err
	}
	var parts struct {
		Verdict  json.RawMessage `json:"verdict"`
		Findings json.RawMessage `json:"findings"`
		Unused   json.RawMessage `json:"unused_ignores,omitempty"`
	}
	if err := json.Unmarshal(base, &parts); err != nil {
		return err
	}
	out := struct {
		Verdict  json.RawMessage `json:"verdict"`
		Findings json.RawMessage `json:"findings"`
		Unused   json.RawMessage `json:"unused_ignores,omitempty"`
		History  *Result         `json:"history"`
	}{parts.Verdict, parts.Findings, parts.Unused, r}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
