package config

import (
	"slices"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/compatcheck/compatcheck/compat"
)

// selectFinding applies rules.use and rules.except to one finding: it is kept when use
// is empty or names its rule or class, and except names neither; hazards whose rule
// except names are dropped from it. Classes are the finding's own, which options can
// change (an OpenAPI enum value added to a response is breaking for a public audience
// and read-tolerant for an internal one).
func selectFinding(f compat.Finding, use, except []Selector) (compat.Finding, bool) {
	if len(use) > 0 && !slices.ContainsFunc(use, func(s Selector) bool { return s.matches(f) }) {
		return f, false
	}
	if slices.ContainsFunc(except, func(s Selector) bool { return s.matches(f) }) {
		return f, false
	}
	if len(f.Hazards) > 0 && len(except) > 0 {
		kept := make([]compat.Hazard, 0, len(f.Hazards))
		for _, h := range f.Hazards {
			if !slices.ContainsFunc(except, func(s Selector) bool { return s.Rule == h.Rule }) {
				kept = append(kept, h)
			}
		}
		f.Hazards = kept
	}
	return f, true
}

func (s Selector) matches(f compat.Finding) bool {
	if s.Rule != "" {
		return s.Rule == f.Rule
	}
	return s.Class == f.Class()
}

// applyIgnores marks the findings the configuration's ignores match as suppressed (or,
// for an ignore of a hazard rule, removes the hazard, as an inline directive does), and
// records the ignores that matched nothing in r.Unused and those past their date in
// r.Expired. An expired ignore is not applied: what it hid is reported as usual.
func (c *Config) applyIgnores(r *compat.Report, now time.Time) {
	today := now.UTC().Format(time.DateOnly)
	for _, ig := range c.Ignores {
		d := compat.Directive{Rule: ig.Rule, Reason: ig.Reason, Expires: ig.Expires,
			Pos: compat.Position{File: c.name, Line: ig.Pos.Line, Column: ig.Pos.Column}}
		// Dates of the form YYYY-MM-DD compare as strings.
		if ig.Expires != "" && today > ig.Expires {
			r.Expired = append(r.Expired, d)
			continue
		}
		used := false
		for i := range r.Findings {
			f := &r.Findings[i]
			if !ig.matches(f) {
				continue
			}
			if f.Rule == ig.Rule {
				used = true
				if f.Suppressed == "" {
					f.Suppressed = ig.Reason
				}
				continue
			}
			n := len(f.Hazards)
			f.Hazards = slices.DeleteFunc(slices.Clone(f.Hazards), func(h compat.Hazard) bool { return h.Rule == ig.Rule })
			used = used || len(f.Hazards) < n
		}
		if !used {
			r.Unused = append(r.Unused, d)
		}
	}
}

// matches reports whether the ignore's contract, subject and path globs match the
// finding; the rule is checked by the caller against the finding and its hazards.
func (ig *Ignore) matches(f *compat.Finding) bool {
	if ig.Contract != "" && ig.Contract != f.Contract {
		return false
	}
	if f.Rule != ig.Rule && !slices.ContainsFunc(f.Hazards, func(h compat.Hazard) bool { return h.Rule == ig.Rule }) {
		return false
	}
	if ig.Subject != "" && !doublestar.MatchUnvalidated(ig.Subject, f.Subject) {
		return false
	}
	if ig.Path != "" {
		onOld := f.Old != nil && doublestar.MatchUnvalidated(ig.Path, f.Old.File)
		onNew := f.New != nil && doublestar.MatchUnvalidated(ig.Path, f.New.File)
		if !onOld && !onNew {
			return false
		}
	}
	return true
}
