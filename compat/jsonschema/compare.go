package jsonschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/internal/selfcheck"
)

// maxPairDepth bounds how deeply pair comparisons nest before the engine stops proving.
const maxPairDepth = 10000

// pairKey identifies one (old, new) schema comparison for memoization.
type pairKey struct{ o, n *node }

// pairResult is what comparing one pair found: its own findings, the nested pairs it
// compared (each reported where it is, so a shared definition is reported once), and the
// answers folded over all of them.
type pairResult struct {
	own      []compat.Finding
	children []*pairResult
	b, f     bool
	clean    bool // no finding here or in any nested pair
	done     bool
	visit    uint64 // the collect walk that last reached this pair
	// lazy holds the deferred witness searches of own findings (see withWitness), in the
	// order they were made; settled is set once they ran.
	lazy    []lazyWitness
	settled bool
	// o and n are the pair, at the nesting depth it was first compared at. dropped says
	// that own and lazy were let go once the pair was done (see keepOwn): collect builds
	// them again.
	o, n    *node
	at      int32
	dropped bool
	// keep is set while the pair is compared when its findings depend on more than the
	// pair and the answers of the pairs it nests (see keepOwn).
	keep bool
}

// lazyID names a finding among the findings of one pair, for its deferred witness search.
// The strings are the finding's own, so the name costs no allocation (a concatenated
// string was 9 % of the live heap on the Cloudflare corpus).
type lazyID struct{ rule, subject, message string }

// lazyWitness is one deferred witness search: the finding it is for, the answers the
// finding had when it was made, the pair, and the candidate generator (see withWitness).
// They are kept in a slice rather than a map by finding: most pairs defer one or two, and
// a map per pair was a sixth of the live heap on the Cloudflare corpus.
type lazyWitness struct {
	id    lazyID
	b, fw bool
	o, n  *node
	cands func(producer, acceptor *node) []any
	used  bool
}

var yes = &pairResult{b: true, f: true, clean: true, done: true}

// sub records a nested pair of the pair being compared.
func (c *Comparison) sub(r *pairResult) {
	if c.cur != nil && r != yes {
		c.cur.children = append(c.cur.children, r)
	}
}

// collect returns the findings of a pair and every pair nested in it, each pair once.
// Each walk marks the pairs it reaches with its own number instead of filling a set:
// a large API walks most of its pairs once per operation. The pairs reachable from
// root belong to c, whose calls are serialized.
func (c *Comparison) collect(root *pairResult) []compat.Finding {
	c.walks++
	walk := c.walks
	var out []compat.Finding
	root.visit = walk
	stack := []*pairResult{root}
	for len(stack) > 0 {
		r := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if r.dropped {
			c.rebuild(r)
		}
		c.settle(r)
		out = append(out, r.own...)
		for _, ch := range r.children {
			if ch.visit != walk {
				ch.visit = walk
				stack = append(stack, ch)
			}
		}
	}
	return out
}

// undecidedRule reports pairs the engine gave up on.
var ruleUndecided = compat.Register(compat.Rule{
	ID:    "SCHEMA_COMPARISON_UNDECIDED",
	Kind:  compat.KindJSONSchema,
	Title: "The engine could not decide whether the schemas accept the same data",
	Why: "The comparison ran out of its work budget or nesting bound before it could prove either inclusion, " +
		"so both B and F are answered no: an answer of yes would be a guess, and a wrong yes lets a breaking change through.",
	Old:  `{"$defs": {"...": "thousands of mutually recursive definitions"}}`,
	New:  `{"$defs": {"...": "the same, changed"}}`,
	Safe: "Review the change by hand, or split the schema so each comparison stays within the budget (CompareOptions.Budget).",
})

// pair compares the old schema o with the new schema n. Results are memoized per pair; a
// pair met again while it is still being compared (a recursive schema) is assumed to hold,
// which is the coinductive reading of recursive inclusion.
func (c *Comparison) pair(o, n *node) *pairResult {
	if o == nil || n == nil {
		return yes
	}
	key := pairKey{o, n}
	if r, ok := c.memo[key]; ok {
		if !r.done && r.at < c.low {
			c.low = r.at
		}
		return r // while still in progress its answers read yes: the coinductive assumption
	}
	c.work++
	if c.work > c.opts.Budget || c.depth > maxPairDepth || (c.ctx != nil && c.work%1024 == 0 && c.ctx.Err() != nil) {
		f := c.finding(ruleUndecided, o, n, "", false, false,
			"could not prove inclusion either way: the comparison's work budget or nesting bound was exhausted here")
		c.exhausted++
		return &pairResult{own: []compat.Finding{f}, done: true}
	}
	r := &pairResult{b: true, f: true, clean: true, o: o, n: n, at: int32(c.depth)}
	c.memo[key] = r
	prevLow, exhausted := c.low, c.exhaustedAll()
	c.low = maxAt
	c.depth++
	prev := c.cur
	c.cur = r
	own := c.compute(o, n)
	c.cur = prev
	c.depth--
	low := c.low
	c.low = min(prevLow, low)
	r.b, r.f = fold(own)
	r.clean = len(own) == 0
	for _, ch := range r.children {
		if ch.done {
			r.b, r.f, r.clean = r.b && ch.b, r.f && ch.f, r.clean && ch.clean
		}
	}
	r.done = true
	if len(own) > 0 && (c.answersOnly || !r.keep && low > r.at && c.exhaustedAll() == exhausted) {
		if selfcheck.Enabled() && !c.answersOnly {
			checkRebuild.Store(r, ownCopy(own))
		}
		r.own, r.lazy, r.dropped = nil, nil, !c.answersOnly
		return r
	}
	r.own = ownCopy(own)
	return r
}

// maxAt is the depth no pair is compared at: c.low when no pair in progress was met.
const maxAt = int32(1<<31 - 1)

// ownCopy returns the findings a pair keeps. The memo keeps them until the comparison
// ends, and appending left up to twice the room they need: a copy of the right size,
// which the pair owns alone (settle edits it in place), halves what they hold.
func ownCopy(own []compat.Finding) []compat.Finding {
	if len(own) == 0 {
		return nil
	}
	return append(make([]compat.Finding, 0, len(own)), own...)
}

// Keeping the findings of pairs no report reaches.
//
// Most pairs of a large API are compared only to prove something about an enclosing
// pair (matching anyOf/oneOf branches, allOf members, normal forms) and are never
// collected: on the Cloudflare corpus 434,000 of the 447,000 findings memoized in the
// response role belonged to such pairs, most of the live heap. A finished pair therefore
// keeps only its answers (b, f, clean and the pairs it nests), and collect builds its
// findings again by running compute once more (rebuild).
//
// That is exact only when compute reads nothing but the pair and the final answers of
// the pairs it nests, which are fixed once they are done. So a pair keeps its findings
// (keepOwn) when, while it was compared:
//   - it met a pair still in progress at its own depth or above (the coinductive
//     assumption read yes where the final answer may be no): c.low;
//   - some pair ran out of the work budget or nesting bound, which is not memoized and
//     reads the counters (c.exhausted, the strict comparison's too);
//   - the normal forms were consulted beyond the trivial checks, which read the work
//     budget and a check count shared by nested decisions (decideForms sets keep).
//
// A strict comparison (see strictHolds) is never collected at all: its pairs keep no
// findings.

// exhaustedAll counts the budget exhaustions of c and of its strict comparison.
func (c *Comparison) exhaustedAll() int {
	n := c.exhausted
	if c.strict != nil {
		n += c.strict.exhausted
	}
	return n
}

// rebuild computes the findings of a pair that let them go again, as pair first
// computed them (see above): the nested pairs it reaches are all memoized and done, so
// nothing new is compared and no counter moves.
func (c *Comparison) rebuild(r *pairResult) {
	cur, depth, work, low := c.cur, c.depth, c.work, c.low
	tmp := &pairResult{o: r.o, n: r.n, at: r.at}
	c.cur, c.depth, c.work = tmp, int(r.at)+1, 0
	own := c.compute(r.o, r.n)
	c.cur, c.depth, c.work, c.low = cur, depth, work, low
	r.own, r.lazy, r.dropped = ownCopy(own), tmp.lazy, false
	if selfcheck.Enabled() {
		if want, ok := checkRebuild.LoadAndDelete(r); !ok || !reflect.DeepEqual(want, r.own) {
			panic(fmt.Sprintf("jsonschema: findings of %s vs %s built again differ:\n%v\n%v", r.o.loc(), r.n.loc(), want, r.own))
		}
	}
}

// checkRebuild holds, when tests enable the self-checks (internal/selfcheck), the findings
// of every pair that let them go, and rebuild panics when it builds others.
var checkRebuild sync.Map

// fold ANDs the inclusion answers of findings. A property removed without deprecation
// answers B no by the phasing rule, not by inclusion (the open object still accepts the
// name): the pair's own inclusion, which proofs about enclosing schemas read, holds.
func fold(fs []compat.Finding) (b, f bool) {
	b, f = true, true
	for _, x := range fs {
		b = b && (x.Backward || x.Rule == rulePropertyRemoved.ID)
		f = f && x.Forward
	}
	return b, f
}

// compute runs every keyword family over one pair.
func (c *Comparison) compute(o, n *node) []compat.Finding {
	if o.remote != "" || n.remote != "" {
		return c.compareRemote(o, n)
	}
	pa := c.opts.Model == ProduceAccept
	// An undeclared position of an open object or tuple produces nothing under the
	// produce-accept model and accepts everything: nothing to compare.
	if pa && (o.open || n.open) {
		return nil
	}
	if o.isFalse() && n.isFalse() || o.isTrue() && n.isTrue() {
		return nil
	}
	var fs []compat.Finding
	fs = join(fs, c.compareTypes(o, n))
	if c.effTypes(o) == 0 || c.effTypes(n) == 0 {
		// One side accepts nothing at all: the type finding says everything.
		return fs
	}
	if !o.hasEnum && !n.hasEnum {
		common := c.effTypes(o) & c.effTypes(n)
		if common&tNumber != 0 {
			fs = join(fs, c.compareNumbers(o, n))
		}
		if common&tString != 0 {
			fs = join(fs, c.compareStrings(o, n))
		}
		if common&tArray != 0 {
			fs = join(fs, c.compareArrays(o, n))
		}
		if common&tObject != 0 {
			fs = join(fs, c.compareObjects(o, n))
		}
	}
	fs = c.decideForms(o, n, join(fs, c.compareCombinators(o, n)))
	return fs
}

// join appends the findings of one keyword family to those of the pair. Usually one
// family finds anything, and its slice is taken as it is rather than copied (findings
// are large and a large comparison makes hundreds of thousands); its capacity is cut so
// that a later family's findings never write into it. pair copies the result anyway.
func join(fs, more []compat.Finding) []compat.Finding {
	if len(fs) == 0 {
		return more[:len(more):len(more)]
	}
	return append(fs, more...)
}

// subject names where a finding is: the new schema's location, or the old one's when the
// new side does not exist.
func subjectOf(o, n *node) string {
	if n != nil {
		return n.loc()
	}
	return o.loc()
}

// finding builds a finding of rule r for the pair (o, n) with the computed answers,
// positions at keyword kw of each side (or the schema itself), advice for unsafe answers,
// and no witness yet.
func (c *Comparison) finding(r *compat.Rule, o, n *node, kw string, b, f bool, msg string) compat.Finding {
	x := r.Finding(subjectOf(o, n), msg)
	x.Backward, x.Forward = b, f
	if o != nil {
		x.Old = o.side.pos(o.file, joinPtr(o.ptr, kw))
	}
	if n != nil {
		x.New = n.side.pos(n.file, joinPtr(n.ptr, kw))
	}
	x.Advice = advice(x)
	return x
}

// findingAt is finding for an element that exists on one side only (oldExists/newExists
// say which), positioned at the given pointers.
func (c *Comparison) findingAt(r *compat.Rule, subject string, o, n *node, oldPtr, newPtr string, b, f bool, msg string) compat.Finding {
	x := r.Finding(subject, msg)
	x.Backward, x.Forward = b, f
	if o != nil {
		x.Old = o.side.pos(o.file, oldPtr)
	}
	if n != nil {
		x.New = n.side.pos(n.file, newPtr)
	}
	x.Advice = advice(x)
	return x
}

func joinPtr(ptr, kw string) string {
	if kw == "" {
		return ptr
	}
	return ptr + "/" + kw
}

// advice is the safe sequence of releases for a finding's class. The slices are shared by
// every finding of the class (nothing edits a finding's advice in place): a large
// comparison keeps hundreds of thousands of findings in its memo.
func advice(f compat.Finding) []string {
	switch f.Class() {
	case compat.Breaking:
		return adviceBreaking
	case compat.ReadTolerant:
		return adviceReadTolerant
	}
	return nil
}

var (
	adviceBreaking = []string{
		"Expand: release a schema that accepts both the old and the new shape (for example add the new form beside the old one), readers first",
		"Migrate: switch writers to the new shape and let data written in the old shape drain or be rewritten",
		"Contract: in a later release, narrow the schema to the new shape only",
	}
	adviceReadTolerant = []string{
		"Release every reader with the new schema first, so they accept the new shape",
		"Only then release writers that emit data using it",
	}
)

// withWitness sets the first verified witness for the finding's failing direction.
func (c *Comparison) withWitness(f compat.Finding, o, n *node, cands func(producer, acceptor *node) []any) compat.Finding {
	if cands == nil || c.cur == nil {
		return c.witnessNow(f, f.Backward, f.Forward, o, n, cands)
	}
	// Witnesses are searched only for findings that are reported: most pairs are compared
	// to prove something about an enclosing pair (matching branches, allOf members), and
	// validating candidates against their schemas was most of the time those proofs took.
	// The search runs when a report first collects the pair (see collect), with the
	// answers the finding has now.
	c.cur.lazy = append(c.cur.lazy, lazyWitness{id: lazyKey(f), b: f.Backward, fw: f.Forward, o: o, n: n, cands: cands})
	return f
}

func lazyKey(f compat.Finding) lazyID { return lazyID{f.Rule, f.Subject, f.Message} }

// witnessNow searches the witness of f for the directions b and fw say fail.
func (c *Comparison) witnessNow(f compat.Finding, b, fw bool, o, n *node, cands func(producer, acceptor *node) []any) compat.Finding {
	if cands == nil {
		return f
	}
	shownBackward := false
	if !b {
		if w := c.witness(o, n, cands(o, n)); w != nil {
			f.Witness, shownBackward = w, true
			c.reportWitness(f, o, n)
		}
	}
	if !fw && f.Witness == nil {
		if w := c.witness(n, o, cands(n, o)); w != nil {
			f.Witness = w
			c.reportWitness(f, n, o)
		}
	}
	// The message need not hedge when the witness demonstrates the class: the one failing
	// direction, or B, whose failure makes the change breaking whatever F is.
	if f.Witness != nil && (f.Backward || f.Forward || shownBackward) {
		f.Message = strings.TrimSuffix(f.Message, unproven)
	} else if f.Witness != nil && !WitnessExempt(f) {
		// The witness shows F fails, but the class (breaking) rests on a B no shown by nothing.
		f.Undecided = true
	}
	return f
}

// settle runs the deferred witness searches of a pair's findings (once) and applies the
// witness discipline to them.
func (c *Comparison) settle(r *pairResult) {
	if r.settled {
		return
	}
	r.settled = true
	// Each finding takes the first unused search deferred for a finding of its name, as
	// the searches were made. Pairs with many deferred searches index them first, so that
	// settling stays linear.
	var byID map[lazyID][]int
	if len(r.lazy) > 16 {
		byID = map[lazyID][]int{}
		for j := range r.lazy {
			byID[r.lazy[j].id] = append(byID[r.lazy[j].id], j)
		}
	}
	for i := range r.own {
		k := lazyKey(r.own[i])
		j := -1
		if byID != nil {
			if js := byID[k]; len(js) > 0 {
				j, byID[k] = js[0], js[1:]
			}
		} else {
			for x := range r.lazy {
				if !r.lazy[x].used && r.lazy[x].id == k {
					j = x
					break
				}
			}
		}
		if j >= 0 {
			t := &r.lazy[j]
			t.used = true
			r.own[i] = c.witnessNow(r.own[i], t.b, t.fw, t.o, t.n, t.cands)
		}
		r.own[i] = disciplined(r.own[i])
	}
	r.lazy = nil
}

// disciplined marks a finding whose "no" answers no witness demonstrates as undecided,
// and says so in its message: every finding either carries a witness a real validator
// confirmed on both sides, is exempt (its answer is a phasing rule, not an inclusion;
// see WitnessExempt), or is undecided.
func disciplined(f compat.Finding) compat.Finding {
	if f.Backward && f.Forward || WitnessExempt(f) {
		return f
	}
	if f.Witness == nil {
		f.Undecided = true
	}
	if f.Undecided && !strings.HasSuffix(f.Message, unproven) && !strings.HasSuffix(f.Message, undemonstrated) &&
		!strings.Contains(f.Message, "answered no") && !strings.Contains(f.Message, "could not prove") && !strings.Contains(f.Message, "undecided") && !strings.Contains(f.Message, "not read") {
		f.Message += undemonstrated
	}
	return f
}

// undemonstrated is appended to the message of an undecided finding that does not
// already say why it is undecided.
const undemonstrated = " (no instance was found that shows it, so the answer is conservative)"

// WitnessExempt reports whether a finding's "no" answers come from the compatibility
// model's phasing rules rather than from set inclusion, so that no instance can show
// them: a schema file added or removed, and a property removed that OLD never marked
// deprecated (the expand–contract rule; an open object still accepts the name). Every
// other schema finding with a "no" carries a witness or is undecided.
func WitnessExempt(f compat.Finding) bool {
	switch f.Rule {
	case "SCHEMA_FILE_ADDED", "SCHEMA_FILE_REMOVED":
		return true
	case "PROPERTY_REMOVED":
		return !f.Backward
	}
	return false
}

// reportWitness hands f's witness to the OnWitness hook.
func (c *Comparison) reportWitness(f compat.Finding, producer, acceptor *node) {
	if c.opts.OnWitness == nil {
		return
	}
	c.opts.OnWitness(Witness{Rule: f.Rule, Subject: f.Subject, Value: f.Witness,
		Producer: c.witnessSchema(producer), Acceptor: c.witnessSchema(acceptor), Model: c.opts.Model})
}

// unproven is appended to messages whose "no" is the engine's inability to prove
// inclusion rather than a demonstrated difference.
const unproven = " (could not prove inclusion, so answered no)"

func quote(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// keepOwn marks the pair being compared as one whose findings are kept (see above).
func (c *Comparison) keepOwn() {
	if c.cur != nil {
		c.cur.keep = true
	}
}
