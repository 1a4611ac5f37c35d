package compat

import (
	"bufio"
	"fmt"
	"io"
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
	if opts.Quiet {
		findings = r.Failures(opts.Policy)
		if len(findings) == 0 {
			return nil
		}
	}
	c := painter(opts.Color)
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
			fmt.Fprintln(bw, c.paint(sgrBold, name))
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
			mark += c.paint(sgrDim, " (ignored: "+oneLine(f.Suppressed)+")")
		} else if opts.Policy.Fails(f) {
			mark += c.paint(sgrFails, " [fails]")
		}
		class := fmt.Sprintf("%-13s", f.Class())
		fmt.Fprintf(bw, "  %-7s %s %s %s: %s%s\n", loc, c.paint(classSGR(f.Class()), class), f.Rule, f.Subject, oneLine(f.Message), mark)
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
			fmt.Fprintf(bw, "          witness %s\n", witnessLine(f.Witness))
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
	if len(findings) > 0 {
		fmt.Fprintln(bw)
	}
	unused := r.Unused
	if opts.Quiet {
		unused = nil
	}
	for _, d := range unused {
		p := opts.directivePos(d)
		fmt.Fprintf(bw, "%s: unused ignore of %s (%s): nothing it names was found; remove it\n", p, d.Rule, oneLine(d.Reason))
	}
	if len(unused) > 0 {
		fmt.Fprintln(bw)
	}
	for _, d := range r.Expired {
		fmt.Fprintf(bw, "%s: %s [fails]\n", opts.directivePos(d), d.ExpiredMessage())
	}
	if len(r.Expired) > 0 {
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "%s (%d breaking, %d read-tolerant, %d additive)\n",
		c.paint(classSGR(r.Verdict()), "verdict: "+r.Verdict().String()), r.Count(Breaking), r.Count(ReadTolerant), r.Count(Additive))
	return bw.Flush()
}

// SGR parameters of the text format's colours: the class names in the colours of a
// traffic light, failing marks in bold red, file names in bold, ignored findings dim.
const (
	sgrBold  = "1"
	sgrDim   = "2"
	sgrFails = "1;31"
)

func classSGR(c Class) string {
	switch c {
	case Breaking:
		return "31"
	case ReadTolerant:
		return "33"
	case Additive:
		return "32"
	}
	return ""
}

// painter wraps text in ANSI SGR sequences when colour is on, and leaves it alone when off.
type painter bool

func (p painter) paint(sgr, s string) string {
	if !p || sgr == "" {
		return s
	}
	return "\x1b[" + sgr + "m" + s + "\x1b[0m"
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// maxWitnessLine is how many runes of a witness a line of text shows.
const maxWitnessLine = 120

// witnessLine is a witness on one line, abbreviated when long (a string of 5,001
// characters shows a maxLength change): the start, an ellipsis and the full size. The
// JSON and SARIF properties carry the whole value.
func witnessLine(w []byte) string {
	s := oneLine(string(w))
	rs := []rune(s)
	if len(rs) <= maxWitnessLine {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", string(rs[:maxWitnessLine-20]), len(w))
}
