package compat

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// GitHubAnnotationsPerLevel is how many annotations of one level (error, warning,
// notice) GitHub shows for one step of a workflow; it drops the rest without a word
// (actions/toolkit's docs/problem-matchers.md: 10 of each level per step, 50 per job). The
// github format therefore writes at most this many workflow commands of each level and
// prints the findings past the limit as plain lines of the step's log.
const GitHubAnnotationsPerLevel = 10

// encodeGitHub writes one GitHub Actions workflow command per finding, so findings appear
// as annotations on the pull request: error for findings that fail the policy, warning for
// other breaking or read-tolerant findings and those with hazards, notice for the rest and
// for suppressed findings; an ignore that matched nothing is a notice at the directive.
// Past GitHub's per-step limit, one notice says how many findings were left out and
// where they are, and they follow it as plain log lines.
func encodeGitHub(w io.Writer, r *Report, opts EncodeOptions) error {
	type annotation struct {
		level      level
		props, msg string
		plain      string
	}
	var all []annotation
	for _, f := range r.Findings {
		p := opts.displayPos(f)
		var m strings.Builder
		m.WriteString(f.Subject + ": " + f.Message)
		if f.Undecided {
			m.WriteString(" (undecided)")
		}
		if f.Release != "" {
			m.WriteString(" (in " + f.Release + ")")
		}
		if f.WritableFrom != "" {
			m.WriteString("\nwritable from " + f.WritableFrom)
		}
		for _, h := range f.Hazards {
			m.WriteString("\nhazard " + h.Rule + ": " + h.Message)
		}
		if len(f.Advice) > 0 {
			m.WriteString("\nsafe sequence:")
			for i, step := range f.Advice {
				fmt.Fprintf(&m, "\n%d. %s", i+1, step)
			}
		}
		if f.Suppressed != "" {
			m.WriteString("\nignored: " + f.Suppressed)
		}
		msg := m.String()
		title := fmt.Sprintf("%s (%s)", f.Rule, f.Class())
		lv := findingLevel(f, opts.Policy, false)
		all = append(all, annotation{
			level: lv,
			props: githubProps(p, title),
			msg:   msg,
			plain: fmt.Sprintf("%s: %s %s %s: %s", locText(p), githubLevel(lv), title, f.Subject, oneLine(f.Message)),
		})
	}
	for _, d := range r.Unused {
		p := d.Pos
		p.File = sidePath(opts.NewName, p.File)
		msg := fmt.Sprintf("unused ignore of %s (%s): nothing it names was found; remove it", d.Rule, d.Reason)
		all = append(all, annotation{
			level: levelNote,
			props: githubProps(p, "unused ignore"),
			msg:   msg,
			plain: fmt.Sprintf("%s: notice %s", locText(p), oneLine(msg)),
		})
	}

	total := map[level]int{}
	for _, a := range all {
		total[a.level]++
	}
	limit := map[level]int{levelError: GitHubAnnotationsPerLevel, levelWarning: GitHubAnnotationsPerLevel, levelNote: GitHubAnnotationsPerLevel}
	overflow := total[levelError] > limit[levelError] || total[levelWarning] > limit[levelWarning] || total[levelNote] > limit[levelNote]
	if overflow {
		// The overflow notice takes one of the notice slots, so that GitHub shows it.
		limit[levelNote]--
	}
	bw := bufio.NewWriter(w)
	shown := map[level]int{}
	var left []annotation
	for _, a := range all {
		if shown[a.level] == limit[a.level] {
			left = append(left, a)
			continue
		}
		shown[a.level]++
		fmt.Fprintf(bw, "::%s %s::%s\n", githubLevel(a.level), a.props, escapeGitHubData(a.msg))
	}
	if len(left) > 0 {
		var parts []string
		for _, lv := range []level{levelError, levelWarning, levelNote} {
			if n := total[lv] - shown[lv]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s%s", n, githubLevel(lv), pluralS(n)))
			}
		}
		where := "They are listed below in this step's log"
		if opts.FullReport != "" {
			where += "; the full report is in " + opts.FullReport
		}
		msg := fmt.Sprintf("%d of %d findings are not shown as annotations (%s), because GitHub shows at most %d errors, %d warnings and %d notices per step. %s.",
			len(left), len(all), strings.Join(parts, ", "),
			GitHubAnnotationsPerLevel, GitHubAnnotationsPerLevel, GitHubAnnotationsPerLevel, where)
		fmt.Fprintf(bw, "::notice title=%s::%s\n", escapeGitHubProperty("compatcheck: more findings than annotations"), escapeGitHubData(msg))
		for _, a := range left {
			fmt.Fprintln(bw, a.plain)
		}
	}
	// An expired ignore fails the run; without an annotation the failure would have no
	// visible cause.
	for _, d := range r.Expired {
		p := opts.directivePos(d)
		fmt.Fprintf(bw, "::error file=%s,line=%d,col=%d,title=%s::%s\n", escapeGitHubProperty(p.File), p.Line, p.Column,
			escapeGitHubProperty("expired ignore of "+d.Rule), escapeGitHubData(d.ExpiredMessage()))
	}
	return bw.Flush()
}

// githubProps formats a workflow command's properties: file, line, col and title.
func githubProps(p Position, title string) string {
	props := []string{}
	if p.File != "" {
		props = append(props, "file="+escapeGitHubProperty(p.File))
		if p.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Line))
			if p.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", p.Column))
			}
		}
	}
	props = append(props, "title="+escapeGitHubProperty(title))
	return strings.Join(props, ",")
}

// locText is a position as a log line starts it, "(no file)" when it names none.
func locText(p Position) string {
	if p.File == "" {
		return "(no file)"
	}
	return p.String()
}

func githubLevel(l level) string {
	return [...]string{levelNote: "notice", levelWarning: "warning", levelError: "error"}[l]
}

var (
	githubData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeGitHubData escapes a workflow command's message: '%', CR and LF.
func escapeGitHubData(s string) string { return githubData.Replace(s) }

// escapeGitHubProperty escapes a workflow command's property value: as data, plus ':' and ','.
func escapeGitHubProperty(s string) string { return githubProperty.Replace(s) }
