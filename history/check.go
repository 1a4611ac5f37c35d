package history

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
)

// Options tunes a history check.
type Options struct {
	// Compare holds the engines' options, as for a plain comparison. OpenAPI.Now is set by
	// the check for each comparison to the date of its newer side, so that sunsets are
	// judged against the removal's release date.
	Compare compatcheck.Options
	// Window is how many of the newest releases the head must stay compatible with
	// (INCOMPATIBLE_WITH_EARLIER_RELEASE); 0 means 1, the newest release only.
	Window int
	// MinDeprecationReleases is how many releases must ship a deprecation before the
	// element may be removed; 0 sets no minimum.
	MinDeprecationReleases int
	// MinDeprecationDays is how many days must pass between the tag date of the release
	// that shipped a deprecation and the date of the removal's release; 0 sets no minimum.
	MinDeprecationDays int
}

// checker holds the state of one Check: the readable releases and the comparison cache.
type checker struct {
	seq   Sequence
	opts  Options
	cmp   compatcheck.Options
	rels  []Version
	cache map[string]cached
	// between caches the unreleased versions of a window, by the window's two commits.
	between map[string][]Version
	notes   []string
	// unreadable holds, by name, the releases left out because they cannot be read.
	unreadable map[string]string
	// Comparisons counts the comparisons actually run (not answered from the cache or
	// skipped because both sides are identical), for tests and benchmarks.
	comparisons int
}

type cached struct {
	findings []compat.Finding
	unused   []compat.Directive
	err      error
}

// step is the comparison of one version with the one before it in the sequence.
type step struct {
	from, to Version
	// release names the release the step's changes belong to; "" for the head.
	release string
	// next is the writable_from of the step's read-tolerant changes.
	next string
	// index is the position of to in the releases, or len(releases) for the head.
	index int
	// engine holds the engines' findings as they came; findings is what the sequence
	// rules made of them.
	engine   []compat.Finding
	findings []compat.Finding
	// failed says why the step could not be compared, when it could not.
	failed string
}

func (s *step) isHead() bool { return s.release == "" }

// Check judges the head of seq against its releases: the engines' comparison with the
// newest release, with the sequence rules applied to it, and every earlier step as
// context. Problems with the head or the newest release are errors; an earlier release
// that cannot be compared is left out with a note in the result.
func Check(ctx context.Context, seq Sequence, opts Options) (*Result, error) {
	if opts.Window <= 0 {
		opts.Window = 1
	}
	if opts.MinDeprecationReleases < 0 || opts.MinDeprecationDays < 0 {
		return nil, &compat.Error{Msg: "the deprecation window cannot be negative"}
	}
	c := &checker{seq: seq, opts: opts, cmp: opts.Compare, rels: seq.Releases, cache: map[string]cached{}, between: map[string][]Version{}}
	res := &Result{Head: seq.Head.Name, Path: seq.Path, base: seq.Path}
	if !seq.Head.Source.IsDir() && seq.Path != "" {
		// Findings are relative to a one-file contract's directory.
		if res.base = path.Dir(seq.Path); res.base == "." {
			res.base = ""
		}
	}
	if opts.MinDeprecationDays > 0 {
		for _, v := range append(slices.Clone(seq.Releases), seq.Head) {
			if v.Date.IsZero() {
				return nil, &compat.Error{Msg: fmt.Sprintf("--min-deprecation-days needs release dates, and %s has none (a directory of versions carries no dates; use git tags)", v.Name)}
			}
		}
	}
	if len(c.rels) == 0 {
		res.Report = compat.NewReport(nil)
		res.Notes = append(slices.Clone(seq.Notes), "no releases to compare the head with")
		res.Releases = []ReleaseSummary{summaryRow(seq.Head, nil, true)}
		return res, nil
	}
	newest := c.rels[len(c.rels)-1]
	if c.cmp.Kind == "" {
		kind, err := compatcheck.DetectPair(newest.Source, seq.Head.Source)
		if err != nil {
			return nil, err
		}
		c.cmp.Kind = kind
	}
	res.Kind = c.cmp.Kind

	c.rels = c.readable(ctx) // never empty: a release is left out only for another one
	newest = c.rels[len(c.rels)-1]
	// A head that is itself a release (a tag, a version directory) is the release after
	// the newest one; the working tree becomes the release after it.
	headNext, newestNext := "the release after this one", "the release after "+newest.Name
	if seq.Head.Name != UnreleasedName {
		headNext, newestNext = "the release after "+seq.Head.Name, seq.Head.Name
	}
	steps := make([]*step, 0, len(c.rels))
	for i := 1; i < len(c.rels); i++ {
		next := newestNext
		if i+1 < len(c.rels) {
			next = c.rels[i+1].Name
		}
		st := &step{from: c.rels[i-1], to: c.rels[i], release: c.rels[i].Name, next: next, index: i}
		fs, err := c.compare(ctx, st.from, st.to)
		if err != nil {
			st.failed = err.Error()
			c.notes = append(c.notes, fmt.Sprintf("%s could not be compared with %s, so its changes are not shown: %v", st.to.Name, st.from.Name, err))
		}
		st.engine, st.findings = fs, slices.Clone(fs)
		steps = append(steps, st)
	}
	head := &step{from: newest, to: seq.Head, next: headNext, index: len(c.rels)}
	fs, unused, err := c.compareFull(ctx, head.from, head.to)
	if err != nil {
		return nil, err
	}
	head.engine, head.findings = fs, slices.Clone(fs)
	steps = append(steps, head)

	for _, st := range steps {
		if st.failed != "" {
			continue
		}
		if err := c.expandNotReleased(ctx, st); err != nil {
			return nil, err
		}
		if err := c.deprecationWindow(ctx, st); err != nil {
			return nil, err
		}
		if err := c.writtenBeforeReadable(ctx, st); err != nil {
			return nil, err
		}
	}
	extra, err := c.transitive(ctx, steps)
	if err != nil {
		return nil, err
	}
	head.findings = append(head.findings, findingsOf(extra)...)

	var all []compat.Finding
	for _, st := range steps {
		for i := range st.findings {
			f := &st.findings[i]
			f.Release = st.release
			if f.Class() == compat.ReadTolerant {
				f.WritableFrom = st.next
			}
		}
		all = append(all, st.findings...)
	}
	res.Report = compat.NewReport(all)
	res.Report.Unused = unused // the head's stale ignores; earlier releases' are history
	res.Rollback = c.rollback(steps, extra)
	res.Releases = c.summary(steps, seq.Releases)
	res.Notes = append(slices.Clone(seq.Notes), c.notes...)
	res.comparisons = c.comparisons
	return res, nil
}

// readable returns the releases the engines can read, leaving out with a note each one
// whose comparison with its predecessor fails on its own files (a syntax error, an import it
// does not have): the steps then connect the releases around it. A failure that names
// neither side is the step's, and is shown on its row instead.
func (c *checker) readable(ctx context.Context) []Version {
	c.unreadable = map[string]string{}
	var good []Version
	for _, v := range c.seq.Releases {
		for {
			if len(good) == 0 {
				good = append(good, v)
				break
			}
			prev := good[len(good)-1]
			_, err := c.compare(ctx, prev, v)
			switch {
			case err == nil || (!names(err, v) && !names(err, prev)):
				good = append(good, v)
			case names(err, v):
				c.leaveOut(v, err)
			default:
				c.leaveOut(prev, err)
				good = good[:len(good)-1]
				continue // compare v with the release before prev instead
			}
			break
		}
	}
	return good
}

func (c *checker) leaveOut(v Version, err error) {
	c.unreadable[v.Name] = err.Error()
	c.notes = append(c.notes, fmt.Sprintf("%s cannot be read, so it is left out of the sequence: %v", v.Name, err))
}

// names reports whether err is a problem in one of v's files.
func names(err error, v Version) bool {
	ce, ok := err.(*compat.Error)
	if !ok || v.Source.Name == "" {
		return false
	}
	f := ce.Pos.File
	return f == v.Source.Name || f == v.Source.Describe() || strings.HasPrefix(f, v.Source.Name+"/")
}

// compare compares two versions with the engines, once per pair of contents: identical
// versions have no findings, and a pair met again is answered from the cache. The caller
// owns the returned slice.
func (c *checker) compare(ctx context.Context, old, new Version) ([]compat.Finding, error) {
	fs, _, err := c.compareFull(ctx, old, new)
	return fs, err
}

// compareFull is compare with the ignore directives of new that matched nothing.
func (c *checker) compareFull(ctx context.Context, old, new Version) ([]compat.Finding, []compat.Directive, error) {
	if old.ID != "" && old.ID == new.ID {
		return nil, nil, nil
	}
	key := identity(old) + "\x00" + identity(new)
	if c.cmp.Kind == compat.KindOpenAPI {
		key += "\x00" + new.Date.Format(time.RFC3339)
	}
	if e, ok := c.cache[key]; ok {
		return slices.Clone(e.findings), e.unused, e.err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	o := c.cmp
	date := new.Date
	o.OpenAPI.Now = func() time.Time { return date }
	c.comparisons++
	r, _, err := compatcheck.Compare(ctx, old.Source, new.Source, o)
	var fs []compat.Finding
	var unused []compat.Directive
	if err == nil {
		fs, unused = r.Findings, r.Unused
	}
	c.cache[key] = cached{findings: fs, unused: unused, err: err}
	return slices.Clone(fs), unused, err
}

func identity(v Version) string {
	if v.ID != "" {
		return v.ID
	}
	return "version:" + v.Name
}

// unreleased returns the unreleased versions between two versions, asking the sequence
// once per window.
func (c *checker) unreleased(ctx context.Context, from, to Version) ([]Version, error) {
	if c.seq.Between == nil {
		return nil, nil
	}
	key := identity(from) + "\x00" + from.Commit + "\x00" + identity(to) + "\x00" + to.Commit
	if vs, ok := c.between[key]; ok {
		return vs, nil
	}
	vs, err := c.seq.Between(ctx, from, to)
	if err != nil {
		return nil, err
	}
	c.between[key] = vs
	return vs, nil
}

// wrap turns an engine finding into a finding of a history rule about the same change:
// same element, positions and details, the rule's ID, a message saying what the sequence
// shows and the safe sequence of releases.
func wrap(rule *compat.Rule, base compat.Finding, message string, advice []string) compat.Finding {
	f := base
	f.Rule = rule.ID
	f.Message = message
	f.Advice = advice
	return f
}

func isHistoryRule(id string) bool {
	r, ok := compat.LookupRule(id)
	return ok && r.Kind == compat.KindHistory
}

// classOf is the highest class among a step's unsuppressed findings, context or not.
func classOf(fs []compat.Finding) compat.Class {
	v := compat.None
	for _, f := range fs {
		if f.Suppressed == "" && f.Class() > v {
			v = f.Class()
		}
	}
	return v
}
