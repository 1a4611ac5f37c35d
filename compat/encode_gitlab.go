package compat

import (
	"cmp"
	"fmt"
	"io"
	"strings"
)

// The gitlab format is a GitLab Code Quality report (artifacts:reports:codequality): a
// JSON array of Code Climate issues, of which GitLab reads description, check_name,
// fingerprint, severity, location.path and location.lines.begin. GitLab keeps one issue
// per fingerprint, so fingerprints are unique within a report and, being made without
// line numbers, stay the same when a change moves, which is how the merge request widget
// tells new issues from old ones.
//
// Severity follows the class: breaking is blocker (it breaks a rollout unless done by
// expand–contract), read-tolerant is minor (safe when readers go first), additive is
// info. A hazard is an issue of its own with severity major: it does not break
// compatibility but takes locks or rewrites tables in production. Suppressed findings
// are left out (GitLab has no notion of an accepted issue), and an ignore that matched
// nothing is a minor issue at the directive.

type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Content     gitlabContent  `json:"content"`
	Categories  []string       `json:"categories"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabContent struct {
	Body string `json:"body"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// gitlabSeverity maps a class onto the Code Climate severities GitLab shows.
func gitlabSeverity(c Class) string {
	switch c {
	case Breaking:
		return "blocker"
	case ReadTolerant:
		return "minor"
	}
	return "info"
}

// encodeGitLab writes the report as a GitLab Code Quality JSON array.
func encodeGitLab(w io.Writer, r *Report, opts EncodeOptions) error {
	issues := make([]gitlabIssue, 0, len(r.Findings))
	fps := fingerprinter{}
	for _, f := range r.Findings {
		if f.Suppressed != "" {
			continue
		}
		p := opts.displayPos(f)
		if p.File == "" {
			// A finding about the contract as a whole is placed on its root.
			p.File = cmp.Or(opts.NewName, ".")
		}
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   f.Rule,
			Description: fmt.Sprintf("%s: %s (%s)", f.Class(), sentence(f.Message), f.Subject),
			Content:     gitlabContent{Body: gitlabBody(f)},
			Categories:  []string{"Compatibility"},
			Fingerprint: gitlabFingerprint(fps, f.Rule, sidePath(opts.NewName, f.Pos().File), f.Subject),
			Severity:    gitlabSeverity(f.Class()),
			Location:    gitlabLoc(p),
		})
		for _, h := range f.Hazards {
			hp, fileKey := p, sidePath(opts.NewName, f.Pos().File)
			if h.Pos != nil {
				hp = *h.Pos
				hp.File = sidePath(opts.NewName, h.Pos.File)
				fileKey = hp.File
			}
			var body strings.Builder
			fmt.Fprintf(&body, "%s.\n\nIt comes with `%s`: %s.", mdEscape(sentence(h.Message)), f.Rule, mdEscape(sentence(f.Message)))
			writeSteps(&body, "\n\nSafe way:\n", h.Advice, mdEscape)
			issues = append(issues, gitlabIssue{
				Type:        "issue",
				CheckName:   h.Rule,
				Description: fmt.Sprintf("hazard: %s (%s)", sentence(h.Message), f.Subject),
				Content:     gitlabContent{Body: body.String()},
				Categories:  []string{"Performance"},
				Fingerprint: gitlabFingerprint(fps, h.Rule, fileKey, f.Subject),
				Severity:    "major",
				Location:    gitlabLoc(hp),
			})
		}
	}
	for _, d := range r.Unused {
		p := d.Pos
		p.File = sidePath(opts.NewName, p.File)
		issues = append(issues, gitlabIssue{
			Type:        "issue",
			CheckName:   "UNUSED_IGNORE",
			Description: fmt.Sprintf("unused ignore of %s (%s): nothing it names was found; remove it", d.Rule, oneLine(d.Reason)),
			Content:     gitlabContent{Body: "This ignore matched no finding. Remove it, so that it cannot hide a later change by accident."},
			Categories:  []string{"Clarity"},
			Fingerprint: gitlabFingerprint(fps, "UNUSED_IGNORE", p.File, d.Rule),
			Severity:    "minor",
			Location:    gitlabLoc(p),
		})
	}
	return writeIndentedJSON(w, issues)
}

// gitlabFingerprint is the SARIF fingerprint recipe (rule, file and subject, with the
// occurrence for repeats) in the plain hexadecimal form Code Climate reports use.
func gitlabFingerprint(fps fingerprinter, rule, file, subject string) string {
	fp := fps.next(rule, file, subject)
	hash, n, _ := strings.Cut(fp, ":")
	if n == "1" {
		return hash
	}
	return hash + "-" + n
}

// gitlabLoc is an issue's location. GitLab needs a line to place an issue in the diff, so
// a finding without one is placed on line 1 of its file.
func gitlabLoc(p Position) gitlabLocation {
	return gitlabLocation{Path: p.File, Lines: gitlabLines{Begin: max(p.Line, 1)}}
}

// gitlabBody is the Markdown body of an issue: answers, details and the safe sequence.
func gitlabBody(f Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** `%s` (B: %s, F: %s)", f.Class(), f.Rule, yesNo(f.Backward), yesNo(f.Forward))
	if f.Undecided {
		b.WriteString(", undecided")
	}
	fmt.Fprintf(&b, ": %s.", mdEscape(sentence(f.Message)))
	if f.Release != "" {
		fmt.Fprintf(&b, "\n\nRelease %s.", mdEscape(f.Release))
	}
	if f.WritableFrom != "" {
		fmt.Fprintf(&b, " Writers may emit the new shape from release %s.", mdEscape(f.WritableFrom))
	}
	for _, h := range f.Hazards {
		fmt.Fprintf(&b, "\n\nHazard `%s`: %s.", h.Rule, mdEscape(sentence(h.Message)))
	}
	writeSteps(&b, "\n\nSafe sequence:\n", f.Advice, mdEscape)
	fmt.Fprintf(&b, "\n\n[%s](%s)", f.Rule, RuleURL(f.Rule))
	return b.String()
}

func init() { RegisterFormat("gitlab", encodeGitLab) }
