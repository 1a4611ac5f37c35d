package compat

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// encodeGitHub writes one GitHub Actions workflow command per finding, so findings appear
// as annotations on the pull request: error for findings that fail the policy, warning for
// other breaking or read-tolerant findings, notice for the rest.
func encodeGitHub(w io.Writer, r *Report, opts EncodeOptions) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		level := "notice"
		switch {
		case f.Suppressed != "":
			level = "notice"
		case opts.Policy.Fails(f):
			level = "error"
		case f.Class() >= ReadTolerant || len(f.Hazards) > 0:
			level = "warning"
		}
		p := opts.displayPos(f)
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
		props = append(props, "title="+escapeGitHubProperty(fmt.Sprintf("%s (%s)", f.Rule, f.Class())))
		msg := f.Subject + ": " + f.Message
		for _, h := range f.Hazards {
			msg += "\nhazard " + h.Rule + ": " + h.Message
		}
		if len(f.Advice) > 0 {
			msg += "\nsafe sequence:"
			for i, step := range f.Advice {
				msg += fmt.Sprintf("\n%d. %s", i+1, step)
			}
		}
		if f.Suppressed != "" {
			msg += "\nignored: " + f.Suppressed
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), escapeGitHubData(msg))
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

// escapeGitHubData escapes a workflow command's message: '%', CR and LF.
func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeGitHubProperty escapes a workflow command's property value: as data, plus ':' and ','.
func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
