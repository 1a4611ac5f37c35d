package compat

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// The markdown format is a pull-request summary: a comment, a job summary
// ($GITHUB_STEP_SUMMARY) or a merge-request note. It leads with the verdict, then gives a
// table per class with the safe sequence of releases for every unsafe change, collapsing
// all but the first findings of each class in <details>, and stays under GitHub's
// comment size limit by leaving out what does not fit and saying so.
const (
	// MarkdownLimit is the largest summary the markdown format writes: GitHub refuses a
	// comment body longer than 65,536 characters. The format counts bytes, which are
	// never fewer than characters, so a summary that fits here fits there.
	MarkdownLimit = 65536
	// markdownOpen is how many findings of each class are shown before the rest are
	// collapsed into a <details> block.
	markdownOpen = 10
	// markdownReserve is kept free of findings for the header, the note of what was cut
	// and the footer, which are written once the findings that fit are known.
	markdownReserve = 2048
	// markdownCell bounds the characters of one table cell, so that one enormous message
	// cannot take the whole summary.
	markdownCell = 600
)

// encodeMarkdown writes the pull-request summary.
func encodeMarkdown(w io.Writer, r *Report, opts EncodeOptions) error {
	md := &mdDoc{opts: opts, budget: MarkdownLimit - markdownReserve, omitted: map[string]int{}}
	byClass := map[Class][]Finding{}
	var ignored []Finding
	failing := 0
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			ignored = append(ignored, f)
			continue
		}
		if opts.Policy.Fails(f) {
			failing++
		}
		byClass[f.Class()] = append(byClass[f.Class()], f)
	}
	for _, c := range []Class{Breaking, ReadTolerant, Additive} {
		md.classSection(c, byClass[c])
	}
	md.ignoredSection(ignored)
	md.unusedSection(r.Unused)

	var out strings.Builder
	icon := "✅"
	if failing > 0 {
		icon = "❌"
	}
	fmt.Fprintf(&out, "## %s compatcheck verdict: %s\n\n", icon, r.Verdict())
	switch {
	case len(r.Findings) == 0:
		out.WriteString("No change that affects compatibility was found.\n")
	case failing == 0:
		fmt.Fprintf(&out, "Nothing fails the check (%s found).\n", plural(len(r.Findings), "finding"))
	default:
		fmt.Fprintf(&out, "**%d of %s fail%s the check.**\n", failing, plural(len(r.Findings), "finding"), verbS(failing))
	}
	if len(r.Findings) > 0 {
		out.WriteString("\n| breaking | read-tolerant | additive | ignored |\n|---:|---:|---:|---:|\n")
		fmt.Fprintf(&out, "| %d | %d | %d | %d |\n", r.Count(Breaking), r.Count(ReadTolerant), r.Count(Additive), len(ignored))
	}
	if md.cutCount > 0 {
		var parts []string
		for _, k := range []string{"breaking", "read-tolerant", "additive", "ignored", "unused ignore"} {
			if n := md.omitted[k]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, k))
			}
		}
		where := "run `compatcheck --format text` with the same inputs to see every finding"
		if opts.FullReport != "" {
			where = "the full report is in " + mdReportRef(opts.FullReport)
		}
		fmt.Fprintf(&out, "\n> [!NOTE]\n> %s %s not shown (%s) to keep this summary under GitHub's 65,536-character comment limit; %s.\n",
			plural(md.cutCount, "entry"), wereWas(md.cutCount), strings.Join(parts, ", "), where)
	}
	out.WriteString(md.b.String())
	out.WriteString("\n---\n\n")
	if v := toolVersion(opts); v != "" {
		fmt.Fprintf(&out, "compatcheck %s · ", mdEscape(v))
	}
	fmt.Fprintf(&out, "[rule reference](%s)\n", ruleReferenceURI)
	_, err := io.WriteString(w, out.String())
	return err
}

// mdDoc accumulates the findings sections within a byte budget. Once an entry does not
// fit, it and every later entry are left out and counted, so the summary shows a prefix
// of the report in its order and says exactly what is missing.
type mdDoc struct {
	opts     EncodeOptions
	b        strings.Builder
	budget   int
	cut      bool
	cutCount int
	omitted  map[string]int
}

// mdEntry is one finding as the summary shows it: a table row and, for unsafe changes,
// a list item with its safe sequence.
type mdEntry struct {
	row, steps string
}

var classTitles = map[Class]string{Breaking: "Breaking", ReadTolerant: "Read-tolerant", Additive: "Additive"}

const findingTableHead = "| | where | rule | change |\n|---|---|---|---|\n"

// classSection writes one class's heading, its first findings and the rest collapsed.
// Entries are rendered only while they fit, so a huge report costs no more than the
// summary it produces.
func (md *mdDoc) classSection(c Class, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	name := c.String()
	unsafe := c >= ReadTolerant
	heading := fmt.Sprintf("\n### %s (%d)\n\n", classTitles[c], len(fs))
	if md.cut || !md.fits(len(heading)+len(findingTableHead)+entryLen(md.entry(fs[0], unsafe))) {
		md.omit(name, len(fs))
		return
	}
	open, rest := fs[:min(markdownOpen, len(fs))], fs[min(markdownOpen, len(fs)):]
	md.b.WriteString(heading)
	md.group(name, open, unsafe, "")
	if len(rest) > 0 {
		md.group(name, rest, unsafe, fmt.Sprintf("%d more %s finding%s", len(rest), name, pluralS(len(rest))))
	}
}

// group writes findings as a table followed by their safe sequences, inside a <details>
// block when summary is set. It writes as many as fit and counts the rest.
func (md *mdDoc) group(name string, fs []Finding, unsafe bool, summary string) {
	if md.cut {
		md.omit(name, len(fs))
		return
	}
	used := len(findingTableHead) + len("\nSafe sequences:\n\n")
	if summary != "" {
		used += len("\n<details>\n<summary></summary>\n\n\n</details>\n") + len(summary)
	}
	var entries []mdEntry
	for _, f := range fs {
		e := md.entry(f, unsafe)
		if !md.fits(used + entryLen(e)) {
			break
		}
		used += entryLen(e)
		entries = append(entries, e)
	}
	md.omit(name, len(fs)-len(entries))
	if len(entries) == 0 {
		return
	}
	if summary != "" {
		fmt.Fprintf(&md.b, "\n<details>\n<summary>%s</summary>\n\n", summary)
	}
	md.b.WriteString(findingTableHead)
	var steps strings.Builder
	for _, e := range entries {
		md.b.WriteString(e.row)
		steps.WriteString(e.steps)
	}
	if steps.Len() > 0 {
		md.b.WriteString("\nSafe sequences:\n\n")
		md.b.WriteString(steps.String())
	}
	if summary != "" {
		md.b.WriteString("\n</details>\n")
	}
}

// fits reports whether n more bytes stay within the budget, and marks the document cut
// when they do not.
func (md *mdDoc) fits(n int) bool {
	if md.cut || md.b.Len()+n > md.budget {
		md.cut = true
		return false
	}
	return true
}

func (md *mdDoc) omit(name string, n int) {
	if n > 0 {
		md.cut = true
		md.omitted[name] += n
		md.cutCount += n
	}
}

func entryLen(e mdEntry) int { return len(e.row) + len(e.steps) }

// entry renders one finding. unsafe adds its safe sequence: the finding's own advice, or
// the safe alternative its rule declares when the engine gave none.
func (md *mdDoc) entry(f Finding, unsafe bool) mdEntry {
	mark := ""
	if md.opts.Policy.Fails(f) {
		mark = "❌"
	}
	change := mdEscape(clip(sentence(f.Message))) + " (" + mdCode(f.Subject, true) + ")"
	if f.Undecided {
		change += " *undecided*"
	}
	if f.Release != "" {
		change += " · release " + mdEscape(f.Release)
	}
	if f.WritableFrom != "" {
		change += " · writers from " + mdEscape(f.WritableFrom)
	}
	for _, h := range f.Hazards {
		change += " · ⚠️ hazard " + mdCode(h.Rule, true) + ": " + mdEscape(clip(sentence(h.Message)))
	}
	e := mdEntry{row: fmt.Sprintf("| %s | %s | %s | %s |\n",
		mark, mdCode(md.where(f), true), mdRuleLink(f.Rule), change)}
	if unsafe {
		steps := f.Advice
		if len(steps) == 0 {
			if r, ok := LookupRule(f.Rule); ok {
				steps = []string{r.Safe}
			}
		}
		if len(steps) > 0 {
			var b strings.Builder
			fmt.Fprintf(&b, "- %s (%s):\n", mdCode(f.Subject, false), mdCode(f.Rule, false))
			for i, s := range steps {
				fmt.Fprintf(&b, "  %d. %s\n", i+1, mdEscape(clip(oneLine(s))))
			}
			for _, h := range f.Hazards {
				if len(h.Advice) > 0 {
					fmt.Fprintf(&b, "  - against hazard %s:", mdCode(h.Rule, false))
					for i, s := range h.Advice {
						fmt.Fprintf(&b, " %d. %s", i+1, mdEscape(clip(oneLine(s))))
					}
					b.WriteString("\n")
				}
			}
			e.steps = b.String()
		}
	}
	return e
}

// where is a finding's shown position as text: path:line:col.
func (md *mdDoc) where(f Finding) string {
	p := md.opts.displayPos(f)
	if p.File == "" {
		return "(no file)"
	}
	return p.String()
}

// ignoredSection lists the suppressed findings with the reasons their ignores gave.
func (md *mdDoc) ignoredSection(fs []Finding) {
	rows := make([]string, len(fs))
	for i, f := range fs {
		rows[i] = fmt.Sprintf("| %s | %s | %s (%s) | %s |\n", mdCode(md.where(f), true), mdRuleLink(f.Rule),
			mdEscape(clip(sentence(f.Message))), mdCode(f.Subject, true), mdEscape(clip(oneLine(f.Suppressed))))
	}
	md.listSection("ignored", fmt.Sprintf("\n### Ignored (%d)\n\n| where | rule | change | reason |\n|---|---|---|---|\n", len(fs)), rows)
}

// unusedSection lists the ignores that matched nothing, so they are removed.
func (md *mdDoc) unusedSection(ds []Directive) {
	items := make([]string, len(ds))
	for i, d := range ds {
		p := d.Pos
		p.File = sidePath(md.opts.NewName, p.File)
		items[i] = fmt.Sprintf("- %s: %s — %s\n", mdCode(p.String(), false), mdRuleLink(d.Rule), mdEscape(clip(oneLine(d.Reason))))
	}
	md.listSection("unused ignore", fmt.Sprintf("\n### Unused ignores (%d)\n\nThese ignores matched no finding; remove them.\n\n", len(ds)), items)
}

// listSection writes a heading and as many of its lines as fit, counting the rest as
// omitted under name. Nothing is written for no lines.
func (md *mdDoc) listSection(name, heading string, lines []string) {
	if len(lines) == 0 {
		return
	}
	if !md.fits(len(heading)) {
		md.omit(name, len(lines))
		return
	}
	md.b.WriteString(heading)
	for i, line := range lines {
		if !md.fits(len(line)) {
			md.omit(name, len(lines)-i)
			return
		}
		md.b.WriteString(line)
	}
}

// mdReportRef shows where the full report is: a URL as a link, a file name as code.
func mdReportRef(s string) string {
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return "<" + strings.ReplaceAll(s, ">", "%3E") + ">"
	}
	return mdCode(s, false)
}

// mdRuleLink links a rule ID to its entry in the rule reference.
func mdRuleLink(id string) string {
	return fmt.Sprintf("[%s](%s)", mdCode(id, false), RuleURL(id))
}

// mdEscape makes text appear as written in Markdown: the characters that start emphasis,
// links, code, raw HTML, entities or table cells are backslash-escaped. Reports quote
// types such as map<string, int32>, which would otherwise be read as HTML.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '~', '#', '!':
			b.WriteByte('\\')
		case '\n', '\r':
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mdCode writes s as a code span, fenced with more backticks than it holds. In a table
// cell a pipe must still be escaped, even inside code (GitHub Flavored Markdown splits
// cells before it reads code spans).
func mdCode(s string, inTable bool) string {
	s = clip(oneLine(s))
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// clip bounds a cell's text to markdownCell characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= markdownCell {
		return s
	}
	r := []rune(s)
	return string(r[:markdownCell-1]) + "…"
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(noun, "y"))
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func verbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func wereWas(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func init() { RegisterFormat("markdown", encodeMarkdown) }
