package compat

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// maxTextOperations bounds how many reached operations a text line lists; the JSON report
// always lists them all.
const maxTextOperations = 5

// encodeText writes findings grouped by file, one line per finding with its class, then
// indented detail lines and a closing verdict line.
func encodeText(w io.Writer, r *Report, opts EncodeOptions) error {
	bw := bufio.NewWriter(w)
	// Group by the path shown, which differs between an old and a new file of the same
	// relative name; within a file the report's canonical order is kept.
	findings := slices.Clone(r.Findings)
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return strings.Compare(opts.displayPos(a).File, opts.displayPos(b).File)
	})
	lastFile := "\x00"
	for _, f := range findings {
		p := opts.displayPos(f)
		if p.File != lastFile {
			if lastFile != "\x00" {
				fmt.Fprintln(bw)
			}
			name := p.File
			if name == "" {
				name = "(no file)"
			}
			fmt.Fprintln(bw, name)
			lastFile = p.File
		}
		loc := ""
		if p.Line > 0 {
			loc = fmt.Sprintf("%d:%d", p.Line, p.Column)
		}
		mark := ""
		if f.Undecided {
			mark = " (undecided)"
		}
		if f.Release != "" {
			mark += " (in " + f.Release + ")"
		}
		if f.Suppressed != "" {
			mark += " (ignored: " + oneLine(f.Suppressed) + ")"
		} else if opts.Policy.Fails(f) {
			mark += " [fails]"
		}
		fmt.Fprintf(bw, "  %-7s %-13s %s %s: %s%s\n", loc, f.Class(), f.Rule, f.Subject, oneLine(f.Message), mark)
		if len(f.Operations) > 0 {
			ops := make([]string, 0, maxTextOperations)
			for i, op := range f.Operations {
				if i == maxTextOperations {
					ops = append(ops, fmt.Sprintf("and %d more", len(f.Operations)-i))
					break
				}
				ops = append(ops, fmt.Sprintf("%s (%s)", op.Operation, op.Role))
			}
			fmt.Fprintf(bw, "          reaches %s\n", strings.Join(ops, ", "))
		}
		if f.WritableFrom != "" {
			fmt.Fprintf(bw, "          writable from %s\n", f.WritableFrom)
		}
		if len(f.Witness) > 0 {
			fmt.Fprintf(bw, "          witness %s\n", oneLine(string(f.Witness)))
		}
		for _, h := range f.Hazards {
			var what []string
			if h.Lock != "" {
				what = append(what, h.Lock)
			}
			if h.Rewrites {
				what = append(what, "rewrites table")
			} else if h.Scans {
				what = append(what, "scans table")
			}
			if h.Rejected {
				what = append(what, "refused by the server")
			}
			detail := ""
			if len(what) > 0 {
				detail = " (" + strings.Join(what, ", ") + ")"
			}
			fmt.Fprintf(bw, "          hazard %s%s: %s\n", h.Rule, detail, oneLine(h.Message))
			for i, step := range h.Advice {
				fmt.Fprintf(bw, "            %d. %s\n", i+1, oneLine(step))
			}
		}
		if len(f.Advice) > 0 {
			fmt.Fprintln(bw, "          safe sequence:")
			for i, step := range f.Advice {
				fmt.Fprintf(bw, "            %d. %s\n", i+1, oneLine(step))
			}
		}
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(bw)
	}
	for _, d := range r.Unused {
		p := d.Pos
		if opts.NewName != "" && opts.NewName != "." && p.File != "" {
			p.File = path.Join(opts.NewName, p.File)
		}
		fmt.Fprintf(bw, "%s: unused ignore of %s (%s): nothing it names was found; remove it\n", p, d.Rule, oneLine(d.Reason))
	}
	if len(r.Unused) > 0 {
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "verdict: %s (%d breaking, %d read-tolerant, %d additive)\n",
		r.Verdict(), r.Count(Breaking), r.Count(ReadTolerant), r.Count(Additive))
	return bw.Flush()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
