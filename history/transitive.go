package history

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
)

// against is a head finding from comparing an earlier release with the head directly.
type against struct {
	f compat.Finding
	// release is the index of the earlier release.
	release int
}

func findingsOf(as []against) []compat.Finding {
	out := make([]compat.Finding, len(as))
	for i, a := range as {
		out[i] = a.f
	}
	return out
}

// transitive compares earlier releases with the head directly and reports what no single
// step shows: an element an earlier release retired that the head brings back with
// another meaning (at any distance), and any other incompatibility with a release inside
// the window. Only the comparisons that can find something are made: the release before
// each step that removed an element (when the head adds one), and the window's releases.
func (c *checker) transitive(ctx context.Context, steps []*step) ([]against, error) {
	n := len(c.rels)
	head := steps[len(steps)-1]
	// after[i] holds rule and subject of every finding of the steps after release i.
	after := make([]map[string]bool, n)
	acc := map[string]bool{}
	for i := n - 1; i >= 0; i-- {
		st := steps[i] // the step into release i+1, or the head's for i == n-1
		for _, f := range st.engine {
			acc[key(f)] = true
		}
		after[i] = maps.Clone(acc)
	}
	headMax := map[string]compat.Class{}
	added := map[string]bool{}
	for _, f := range head.engine {
		if f.Suppressed == "" && f.Class() > headMax[f.Subject] {
			headMax[f.Subject] = f.Class()
		}
		if isAddition(f) {
			added[f.Subject] = true
		}
	}
	// emergent are the findings of comparing release k with the head that no step after k
	// reports and that are worse than what the head's own step says about the element.
	emergent := func(fs []compat.Finding, k int) []compat.Finding {
		var out []compat.Finding
		for _, f := range fs {
			if f.Suppressed != "" || f.Class() < compat.ReadTolerant || after[k][key(f)] || headMax[f.Subject] >= f.Class() {
				continue
			}
			out = append(out, f)
		}
		return out
	}

	var out []against
	reported := map[string]bool{}
	if len(added) > 0 {
		for j := n - 1; j >= 1; j-- {
			st := steps[j-1] // the step into release j
			removed := map[string]bool{}
			for _, f := range st.engine {
				if isRemoval(f) {
					removed[f.Subject] = true
				}
			}
			if len(removed) == 0 {
				continue
			}
			k := j - 1
			fs, err := c.compare(ctx, c.rels[k], c.seq.Head)
			if err != nil {
				c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with the head: %v", c.rels[k].Name, err))
				continue
			}
			var reuse []compat.Finding
			for _, f := range emergent(fs, k) {
				// A reuse has the element on both sides: what release k had, and what the head has.
				if f.Class() == compat.Breaking && f.Old != nil && f.New != nil && (removedAfter(steps, k, f.Subject) || added[f.Subject]) && !reported[key(f)] {
					reuse = append(reuse, f)
				}
			}
			for _, group := range byNewLine(reuse) {
				for _, f := range group {
					reported[key(f)] = true
				}
				out = append(out, against{f: c.retired(group, k, j), release: k})
			}
			if c.cmp.Kind == compat.KindSQL {
				more, err := c.retiredColumns(ctx, fs, k, j, removed, added, reported)
				if err != nil {
					return nil, err
				}
				out = append(out, more...)
			}
		}
	}
	for k := n - 2; k >= 0 && k >= n-c.opts.Window; k-- {
		fs, err := c.compare(ctx, c.rels[k], c.seq.Head)
		if err != nil {
			c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with the head: %v", c.rels[k].Name, err))
			continue
		}
		for _, f := range emergent(fs, k) {
			if reported[key(f)] {
				continue
			}
			reported[key(f)] = true
			nf := wrap(ruleIncompatibleWithEarlierRelease, f,
				fmt.Sprintf("against %s, inside the rollback window of %s: %s (%s)", c.rels[k].Name, plural(c.opts.Window, "release"), f.Message, f.Rule),
				append(slices.Clone(f.Advice), fmt.Sprintf("Or accept that rollbacks past %s are unsafe and shorten --window", c.rels[k+1].Name)))
			out = append(out, against{f: nf, release: k})
		}
	}
	return out, nil
}

// retired reports one reuse: the findings of one element of the head against release k,
// which had it before release j removed it.
func (c *checker) retired(group []compat.Finding, k, j int) compat.Finding {
	var what []string
	for _, f := range group {
		what = append(what, fmt.Sprintf("%s (%s)", f.Message, f.Rule))
	}
	base := group[0]
	msg := fmt.Sprintf("%s had it, %s removed it, and the head brings it back with another meaning: %s",
		c.rels[k].Name, c.rels[j].Name, strings.Join(what, "; "))
	advice := []string{
		"Give the new element a new name (and number) instead",
		"Keep the retired name unused from now on, and say so where the contract is documented",
	}
	if base.Kind == compat.KindProto {
		advice[1] = "Keep the retired number and name reserved for good, so that no later change reuses them"
	}
	nf := wrap(ruleRetiredElementReused, base, msg, advice)
	nf.Backward, nf.Forward = false, false
	return nf
}

// retiredColumns finds the SQL columns that release j dropped and the head adds again
// with another type. A comparison of migrations sees the drop and the add as two
// statements, so the types come from replaying both versions.
func (c *checker) retiredColumns(ctx context.Context, fs []compat.Finding, k, j int, removed, added, reported map[string]bool) ([]against, error) {
	var cands []compat.Finding
	for _, f := range fs {
		if additions[f.Rule] && removed[f.Subject] && added[f.Subject] && !reported["col\x00"+f.Subject] {
			cands = append(cands, f)
		}
	}
	if len(cands) == 0 {
		return nil, nil
	}
	oldTypes, err := compatcheck.SQLColumnTypes(ctx, c.rels[k].Source)
	if err != nil {
		c.notes = append(c.notes, fmt.Sprintf("the columns of %s could not be read: %v", c.rels[k].Name, err))
		return nil, nil
	}
	newTypes, err := compatcheck.SQLColumnTypes(ctx, c.seq.Head.Source)
	if err != nil {
		return nil, err
	}
	var out []against
	for _, f := range cands {
		was, is := oldTypes[f.Subject], newTypes[f.Subject]
		if was == "" || is == "" || was == is {
			continue
		}
		reported["col\x00"+f.Subject] = true
		msg := fmt.Sprintf("column %s was %s in %s, %s dropped it, and the head adds it back as %s: rows and code of %s read it as %s",
			f.Subject, was, c.rels[k].Name, c.rels[j].Name, is, c.rels[k].Name, was)
		nf := wrap(ruleRetiredElementReused, f, msg, []string{
			"Add the column under a new name instead",
			"Leave the dropped name unused",
		})
		nf.Backward, nf.Forward = false, false
		out = append(out, against{f: nf, release: k})
	}
	return out, nil
}

// removedAfter reports whether a step after release k removed subject.
func removedAfter(steps []*step, k int, subject string) bool {
	for _, st := range steps[k : len(steps)-1] {
		for _, f := range st.engine {
			if f.Subject == subject && isRemoval(f) {
				return true
			}
		}
	}
	return false
}

// byNewLine groups findings by the line of their new side, so that one reused element
// (a field whose name and type both differ from the retired one) is reported once.
func byNewLine(fs []compat.Finding) [][]compat.Finding {
	groups := map[string][]compat.Finding{}
	for _, f := range fs {
		p := f.Pos()
		k := fmt.Sprintf("%s:%d", p.File, p.Line)
		if f.New == nil || p.Line == 0 {
			k += "\x00" + f.Subject
		}
		groups[k] = append(groups[k], f)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([][]compat.Finding, 0, len(keys))
	for _, k := range keys {
		out = append(out, compat.NewReport(groups[k]).Findings)
	}
	return out
}

func key(f compat.Finding) string { return f.Rule + "\x00" + f.Subject }
