package history

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
)

// Floor is how far back in the releases one of the two answers holds for the head.
type Floor struct {
	// Release is the oldest release for which the answer holds; empty when it does not
	// hold even for the newest release.
	Release string `json:"release,omitempty"`
	// Blocked is the release just older than Release, for which it does not hold; empty
	// when it holds all the way back to the first release.
	Blocked string `json:"blocked,omitempty"`
	// Rule and Subject name the change that stops it.
	Rule    string `json:"rule,omitempty"`
	Subject string `json:"subject,omitempty"`
	// In is the release that made that change; empty for the head's own change.
	In string `json:"in,omitempty"`
}

// Rollback is the rollback floor of the head.
type Rollback struct {
	// Run is the oldest release that can still run against the head: every step from it
	// to the head keeps B, so the head reads what its writers produce.
	Run Floor `json:"run"`
	// Rollback is the oldest release the head can roll back to: every step keeps F, so
	// that release's readers read what the head writes.
	Rollback Floor `json:"rollback"`
}

// rollback computes both floors from the final findings of every step and of the direct
// comparisons with earlier releases.
func (c *checker) rollback(steps []*step, extra []against) Rollback {
	return Rollback{
		Run:      c.floor(steps, extra, func(f compat.Finding) bool { return f.Backward }),
		Rollback: c.floor(steps, extra, func(f compat.Finding) bool { return f.Forward }),
	}
}

// floor walks back from the newest release: release t is reachable when the steps into
// every later release and the head's own step keep the answer, and no direct comparison
// of the head with release t or a later one fails it.
func (c *checker) floor(steps []*step, extra []against, holds func(compat.Finding) bool) Floor {
	n := len(c.rels)
	blocker := func(fs []compat.Finding) (compat.Finding, bool) {
		for _, f := range compat.NewReport(fs).Findings {
			if f.Suppressed == "" && !holds(f) {
				return f, true
			}
		}
		return compat.Finding{}, false
	}
	direct := func(t int) (compat.Finding, bool) {
		var fs []compat.Finding
		for _, a := range extra {
			if a.release >= t {
				fs = append(fs, a.f)
			}
		}
		return blocker(fs)
	}
	headOnly := steps[len(steps)-1].findings
	var own []compat.Finding
	for _, f := range headOnly {
		if !isAgainst(f, extra) {
			own = append(own, f)
		}
	}
	if f, ok := blocker(own); ok {
		return Floor{Blocked: c.rels[n-1].Name, Rule: f.Rule, Subject: f.Subject}
	}
	if f, ok := direct(n - 1); ok {
		return Floor{Blocked: c.rels[n-1].Name, Rule: f.Rule, Subject: f.Subject}
	}
	for t := n - 1; t > 0; t-- {
		if f, ok := blocker(steps[t-1].findings); ok {
			return Floor{Release: c.rels[t].Name, Blocked: c.rels[t-1].Name, Rule: f.Rule, Subject: f.Subject, In: c.rels[t].Name}
		}
		if f, ok := direct(t - 1); ok {
			return Floor{Release: c.rels[t].Name, Blocked: c.rels[t-1].Name, Rule: f.Rule, Subject: f.Subject}
		}
	}
	return Floor{Release: c.rels[0].Name}
}

// isAgainst reports whether f is one of the direct comparisons' findings.
func isAgainst(f compat.Finding, extra []against) bool {
	for _, a := range extra {
		if a.f.Rule == f.Rule && a.f.Subject == f.Subject && a.f.Message == f.Message {
			return true
		}
	}
	return false
}

// sentences renders the floors as the text report prints them.
func (r Rollback) sentences() []string {
	return []string{
		r.Rollback.sentence("rollback to %s is safe", "rollback to %s is not safe", "to %s it is not", "rollback to %s, the first release, is safe"),
		r.Run.sentence("%s and later can still run against the head", "not even %s can run against the head", "%s cannot", "every release from %s, the first, can still run against the head"),
	}
}

// sentence says where the floor is: safe names the floor, alone the newest release when
// even it is blocked, after the release just past the floor, all a floor at the first
// release.
func (f Floor) sentence(safe, alone, after, all string) string {
	cause := ""
	if f.Rule != "" {
		in := "this change"
		if f.In != "" {
			in = f.In
		}
		cause = fmt.Sprintf(": %s in %s (%s)", f.Rule, in, f.Subject)
	}
	switch {
	case f.Release == "" && f.Blocked == "":
		return ""
	case f.Release == "":
		return fmt.Sprintf(alone, f.Blocked) + cause
	case f.Blocked == "":
		return fmt.Sprintf(all, f.Release)
	}
	return fmt.Sprintf(safe, f.Release) + "; " + fmt.Sprintf(after, f.Blocked) + cause
}
