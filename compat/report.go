package compat

import (
	"cmp"
	"slices"
)

// Report is the result of comparing two versions of a contract: its findings in a
// deterministic order.
type Report struct {
	Findings []Finding
	// Unused lists the ignore directives (inline, or entries of a configuration) that
	// matched no finding, so that stale ignores are seen and removed, as staticcheck
	// reports stale lint directives. They change neither verdict nor exit status.
	Unused []Directive
	// Expired lists the ignores whose expiry date has passed. They suppress nothing, so
	// the findings they named are reported as usual, and each one fails the run on its
	// own (see [Report.Failed]): the time-boxed exception ran out, and someone has to
	// renew it with a new reason or fix what it hid.
	Expired []Directive
}

// NewReport returns a report holding findings in their canonical order.
func NewReport(findings []Finding) *Report {
	r := &Report{Findings: findings}
	r.Sort()
	return r
}

// Add appends findings; call Sort before encoding.
func (r *Report) Add(f ...Finding) { r.Findings = append(r.Findings, f...) }

// Merge appends the findings of other reports and restores the canonical order.
func (r *Report) Merge(others ...*Report) {
	for _, o := range others {
		if o != nil {
			r.Findings = append(r.Findings, o.Findings...)
			r.Unused = append(r.Unused, o.Unused...)
			r.Expired = append(r.Expired, o.Expired...)
		}
	}
	r.Sort()
}

// Sort puts findings in the canonical order: by file, line and column of their shown
// position (new side first, old side for deletions), then rule, subject and message. Two
// runs over the same inputs therefore encode to the same bytes whatever order an engine
// found things in.
func (r *Report) Sort() {
	slices.SortStableFunc(r.Findings, compareFindings)
	r.Findings = slices.CompactFunc(r.Findings, func(a, b Finding) bool {
		return compareFindings(a, b) == 0 && a.Class() == b.Class()
	})
	slices.SortStableFunc(r.Unused, compareDirectives)
	slices.SortStableFunc(r.Expired, compareDirectives)
}

func compareDirectives(a, b Directive) int {
	if c := cmp.Compare(a.Pos.File, b.Pos.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Line, b.Pos.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Pos.Column, b.Pos.Column); c != 0 {
		return c
	}
	return cmp.Compare(a.Rule, b.Rule)
}

func compareFindings(a, b Finding) int {
	pa, pb := a.Pos(), b.Pos()
	if c := cmp.Compare(pa.File, pb.File); c != 0 {
		return c
	}
	if c := cmp.Compare(pa.Line, pb.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(pa.Column, pb.Column); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Subject, b.Subject); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	// The same change made again in a later release is another finding, not a duplicate.
	return cmp.Compare(a.Release, b.Release)
}

// Verdict is the highest class among the findings that are not suppressed, or None.
// Findings of earlier releases (with a Release) are context and do not count: a history's
// verdict judges what its head adds.
func (r *Report) Verdict() Class {
	v := None
	for _, f := range r.Findings {
		if f.Suppressed == "" && f.Release == "" && f.Class() > v {
			v = f.Class()
		}
	}
	return v
}

// Count returns how many unsuppressed findings have class c, leaving out the context
// findings of earlier releases as Verdict does.
func (r *Report) Count(c Class) int {
	n := 0
	for _, f := range r.Findings {
		if f.Suppressed == "" && f.Release == "" && f.Class() == c {
			n++
		}
	}
	return n
}

// Policy decides which findings fail a check. The zero Policy fails on breaking findings,
// which is the CLI's default.
type Policy struct {
	// FailOn is the lowest class that fails. None means nothing fails on class alone, and
	// the zero value means Breaking.
	FailOn Class
	// failOnSet records that FailOn was chosen, so the zero value can mean Breaking.
	failOnSet bool
	// Require, when set, also fails every finding that lacks the answers a schema
	// registry compatibility mode demands (see [Requirement]).
	Require Requirement
	// Hazards fails every finding that carries a hazard.
	Hazards bool
	// Contracts holds the policies of named contracts, for a configuration that sets
	// fail-on per contract: a finding whose Contract has an entry here is judged by that
	// entry alone.
	Contracts map[string]Policy
	// History also fails findings of earlier releases (those with a Release), which a
	// history otherwise reports as context only (compatcheck history --fail-on-history).
	History bool
}

// FailOn returns a Policy that fails on findings of class c or higher; FailOn(None)
// fails on nothing.
func FailOn(c Class) Policy { return Policy{FailOn: c, failOnSet: true} }

// Fails reports whether the finding fails the policy. Suppressed findings never fail. A
// finding that carries a rejected hazard fails whatever the policy says about classes and
// hazards: the change it describes cannot be applied as written.
func (p Policy) Fails(f Finding) bool {
	if f.Suppressed != "" || (f.Release != "" && !p.History) {
		return false
	}
	for _, h := range f.Hazards {
		if h.Rejected {
			return true
		}
	}
	if cp, ok := p.Contracts[f.Contract]; ok && f.Contract != "" {
		cp.Contracts = nil
		return cp.Fails(f)
	}
	threshold := p.FailOn
	if !p.failOnSet && threshold == None {
		threshold = Breaking
	}
	if threshold != None && f.Class() >= threshold {
		return true
	}
	if !p.Require.Satisfied(f) {
		return true
	}
	return p.Hazards && len(f.Hazards) > 0
}

// Failed reports whether the report fails the check under the policy, which is what the
// command's exit status 1 means: a finding fails the policy, or an ignore has expired.
func (r *Report) Failed(p Policy) bool {
	return len(r.Expired) > 0 || len(r.Failures(p)) > 0
}

// Failures returns the findings that fail the policy, in report order.
func (r *Report) Failures(p Policy) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if p.Fails(f) {
			out = append(out, f)
		}
	}
	return out
}
