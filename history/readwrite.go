package history

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// widening is a read-tolerant change: readers accept a new shape from the release that
// ships it, and writers may emit it from the release after.
type widening struct {
	f compat.Finding
	// where names the unreleased commit that made it, when it is not the step itself.
	where string
}

// writtenBeforeReadable finds the changes of a step that make writers emit a shape which a
// read-tolerant change of the same step only now lets readers accept: a B-failing change
// (a requirement, or the removal of the old shape) on the same element as the widening,
// or removing a sibling of an element the widening adds (the old enum value beside the
// new one). For the head, the widenings of every unreleased commit in the window count
// too, since a commit may widen and a later one require, and the comparison with the
// newest release then shows only the requirement.
func (c *checker) writtenBeforeReadable(ctx context.Context, st *step) error {
	if !slices.ContainsFunc(st.findings, dependent) {
		return nil
	}
	var ws []widening
	for _, f := range st.findings {
		if f.Class() == compat.ReadTolerant && f.Suppressed == "" && !isHistoryRule(f.Rule) {
			ws = append(ws, widening{f: f})
		}
	}
	if st.isHead() {
		between, err := c.unreleased(ctx, st.from, st.to)
		if err != nil {
			c.notes = append(c.notes, fmt.Sprintf("the commits between %s and the head could not be read: %v", st.from.Name, err))
		}
		prev := st.from
		for _, v := range append(between, st.to) {
			fs, err := c.compare(ctx, prev, v)
			if err != nil {
				c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with %s: %v", v.describe(), prev.describe(), err))
				prev = v
				continue
			}
			for _, f := range fs {
				if f.Class() == compat.ReadTolerant && f.Suppressed == "" {
					where := ""
					if v.Name != st.to.Name {
						where = v.describe()
					}
					ws = append(ws, widening{f: f, where: where})
				}
			}
			prev = v
		}
	}
	if len(ws) == 0 {
		return nil
	}
	for i, d := range st.findings {
		if !dependent(d) {
			continue
		}
		for _, w := range ws {
			if w.f.Rule == d.Rule && w.f.Subject == d.Subject {
				continue
			}
			if !depends(w.f, d) {
				continue
			}
			st.findings[i] = c.writtenEarly(st, d, w)
			break
		}
	}
	return nil
}

// dependent reports whether f could depend on a widening: it fails B (new readers demand
// something) and no other sequence rule has explained it already.
func dependent(f compat.Finding) bool {
	return !f.Backward && f.Suppressed == "" && !isHistoryRule(f.Rule)
}

// depends reports whether d makes writers emit what w lets readers accept.
func depends(w, d compat.Finding) bool {
	if related(w.Subject, d.Subject) {
		return true
	}
	if isAddition(w) && isRemoval(d) {
		pw, pd := parent(w.Subject), parent(d.Subject)
		return pw != "" && pw == pd
	}
	return false
}

// parent strips the last segment of a subject: "shop.v1.Status.NEW" → "shop.v1.Status".
func parent(subject string) string {
	i := strings.LastIndexAny(subject, "./#")
	if i <= 0 {
		return ""
	}
	return subject[:i]
}

func (c *checker) writtenEarly(st *step, d compat.Finding, w widening) compat.Finding {
	where := ""
	if w.where != "" {
		where = ", in " + w.where
	}
	var msg string
	var advice []string
	if st.isHead() {
		msg = fmt.Sprintf("%s (%s); with that, writers must emit what %s (%s%s) first lets readers accept, in the same unreleased change: readers of %s, still running during the rollout, reject it; this can ship no earlier than the release after the one that ships the widening",
			d.Message, d.Rule, w.f.Subject, w.f.Rule, where, st.from.Name)
		advice = []string{
			fmt.Sprintf("Ship the widening of %s (%s) alone in the next release", w.f.Subject, w.f.Rule),
			"Let writers emit the new shape from the release after it",
			"Make this change in a release after that",
		}
	} else {
		msg = fmt.Sprintf("%s (%s); with that, writers had to emit what %s (%s) first let readers accept, in the same release %s: readers of %s rejected it during the rollout; this had to wait for %s",
			d.Message, d.Rule, w.f.Subject, w.f.Rule, st.to.Name, st.from.Name, st.next)
		advice = []string{
			fmt.Sprintf("Ship the widening of %s (%s) alone in one release", w.f.Subject, w.f.Rule),
			"Make the change that depends on it in a later release",
		}
	}
	nf := wrap(ruleWrittenBeforeReadable, d, msg, append(advice, d.Advice...))
	nf.Forward = false
	return nf
}
