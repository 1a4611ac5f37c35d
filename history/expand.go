package history

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck/compat"
)

// expandNotReleased finds the removals of a step whose deprecation exists only in
// unreleased versions inside the step (commits, pre-releases): the engines, comparing the
// released version before the step, see a removal without deprecation; comparing an
// unreleased commit that deprecated the element with the step's end shows the
// deprecation, and that is what the message names.
func (c *checker) expandNotReleased(ctx context.Context, st *step) error {
	var idx []int
	for i, f := range st.findings {
		if plainRemovals[f.Rule] && f.Suppressed == "" {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	between, err := c.unreleased(ctx, st.from, st.to)
	if err != nil {
		c.notes = append(c.notes, fmt.Sprintf("the commits between %s and %s could not be read: %v", st.from.Name, st.to.Name, err))
		return nil
	}
	if len(between) == 0 {
		return nil
	}
	// For each removal, the newest unreleased version that had the element deprecated.
	found := map[int]Version{}
	for v := len(between) - 1; v >= 0 && len(found) < len(idx); v-- {
		fs, err := c.compare(ctx, between[v], st.to)
		if err != nil {
			c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with %s: %v", between[v].describe(), st.to.Name, err))
			continue
		}
		for _, i := range idx {
			if _, done := found[i]; done {
				continue
			}
			if hasRule(fs, st.findings[i].Subject, deprecatedRemovals) {
				found[i] = between[v]
			}
		}
	}
	for _, i := range idx {
		v, ok := found[i]
		if !ok {
			continue
		}
		f := st.findings[i]
		var msg string
		var advice []string
		expanded := "it was deprecated"
		if f.Kind == compat.KindSQL {
			expanded = "its replacement was added and filled"
		}
		if st.isHead() {
			msg = fmt.Sprintf("%s (%s): %s only in %s, after %s, and no release has shipped that expand step; it must ship in the release after %s, and the removal wait for a later one",
				f.Message, f.Rule, expanded, v.describe(), st.from.Name, st.from.Name)
			advice = []string{
				fmt.Sprintf("Restore %s, deprecated, and ship that in the release after %s", f.Subject, st.from.Name),
				"Remove it in a later release, once no supported release uses it",
			}
		} else {
			msg = fmt.Sprintf("%s (%s): %s only in %s, between %s and %s; that expand step had to ship in %s, and the removal wait for a later release",
				f.Message, f.Rule, expanded, v.describe(), st.from.Name, st.to.Name, st.to.Name)
			advice = []string{
				fmt.Sprintf("Ship the deprecation of %s in a release of its own", f.Subject),
				"Remove it in a later release, once no supported release uses it",
			}
		}
		nf := wrap(ruleExpandNotReleased, f, msg, advice)
		nf.Backward = false
		st.findings[i] = nf
	}
	return nil
}

// deprecationWindow checks each removal of a deprecated element against the minimum
// number of releases and days the deprecation must have shipped for. The release that
// shipped the deprecation is found by comparing ever older releases with the step's end:
// as long as the engines still call the removal a removal after deprecation, that release
// had the element deprecated. The walk stops as soon as the minimums are met.
func (c *checker) deprecationWindow(ctx context.Context, st *step) error {
	minRel, minDays := c.opts.MinDeprecationReleases, c.opts.MinDeprecationDays
	if minRel <= 0 && minDays <= 0 {
		return nil
	}
	last := st.index - 1 // the release before the step, which had the element deprecated
	for i, f := range st.findings {
		if !deprecatedRemovals[f.Rule] || f.Suppressed != "" || !f.Backward {
			continue // a removal that fails anyway (before its sunset) needs no second reason
		}
		first := last
		met := func() bool {
			return (last-first+1) >= minRel && days(c.rels[first].Date, st.to.Date) >= minDays
		}
		for k := last - 1; k >= 0 && !met(); k-- {
			fs, err := c.compare(ctx, c.rels[k], st.to)
			if err != nil {
				c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with %s: %v", c.rels[k].Name, st.to.Name, err))
				break
			}
			if !hasRule(fs, f.Subject, deprecatedRemovals) {
				break
			}
			first = k
		}
		if met() {
			continue
		}
		shipped := last - first + 1
		since := c.rels[first]
		var need []string
		if minRel > 0 {
			need = append(need, plural(minRel, "release"))
		}
		if minDays > 0 {
			need = append(need, plural(minDays, "day"))
		}
		when := st.to.Name
		if st.isHead() {
			when = "this change"
		}
		expand, keepAs := "its deprecation", ", deprecated,"
		if f.Kind == compat.KindSQL {
			expand, keepAs = "its expand step (a backfilled replacement, or a deprecation comment)", ""
		}
		msg := fmt.Sprintf("%s (%s) in %s, but %s shipped in %s%s, %s and %s before: the deprecation window is %s",
			f.Message, f.Rule, when, expand, since.Name, dateSuffix(since), plural(shipped, "release"), plural(days(since.Date, st.to.Date), "day"), joinAnd(need))
		var keep []string
		if minRel > 0 && shipped < minRel {
			keep = append(keep, fmt.Sprintf("until %s have shipped %s", plural(minRel, "release"), strings.Replace(expand, "its ", "the ", 1)))
		}
		if minDays > 0 && days(since.Date, st.to.Date) < minDays {
			keep = append(keep, "until "+since.Date.AddDate(0, 0, minDays).Format("2006-01-02"))
		}
		nf := wrap(ruleDeprecationWindowTooShort, f, msg, []string{
			fmt.Sprintf("Keep %s%s %s", f.Subject, keepAs, joinAnd(keep)),
			"Then remove it; that removal is the contract step",
		})
		nf.Backward = false
		st.findings[i] = nf
	}
	return nil
}

// hasRule reports whether fs holds a finding about subject of one of the rules.
func hasRule(fs []compat.Finding, subject string, rules map[string]bool) bool {
	for _, f := range fs {
		if f.Subject == subject && rules[f.Rule] {
			return true
		}
	}
	return false
}

// days counts whole days from a to b.
func days(a, b time.Time) int {
	if b.Before(a) {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}

func dateSuffix(v Version) string {
	if v.Date.IsZero() {
		return ""
	}
	return " (" + v.Date.Format("2006-01-02") + ")"
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	out := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		out += ", " + p
	}
	return out + " and " + parts[len(parts)-1]
}
