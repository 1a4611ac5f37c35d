package jsonschema

import (
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Pattern inclusion is decided on automata: both RE2 patterns are compiled with
// regexp/syntax into NFAs for "matches somewhere in the string" (JSON Schema patterns are
// not anchored), and a product of their subset constructions is searched breadth-first for
// a string the first accepts and the second rejects. The search has a state budget; when
// it runs out, or a pattern uses assertions the construction does not model (word
// boundaries, multi-line anchors), inclusion is unknown and callers answer "no".

// patternStateBudget bounds the product states explored for one inclusion question.
const patternStateBudget = 4000

// patternStepBudget bounds the transitions computed for one inclusion question.
const patternStepBudget = 2_000_000

// automaton is a compiled pattern.
type automaton struct {
	prog *syntax.Prog
}

var (
	automataMu sync.Mutex
	automata   = map[string]*automaton{} // shared cache of compiled patterns
)

// compilePattern builds the automaton of an unanchored pattern, or nil when the
// construction cannot model it.
func compilePattern(p string) *automaton {
	automataMu.Lock()
	a, ok := automata[p]
	automataMu.Unlock()
	if ok {
		return a
	}
	a = buildAutomaton(p)
	automataMu.Lock()
	if len(automata) < 10000 {
		automata[p] = a
	}
	automataMu.Unlock()
	return a
}

func buildAutomaton(p string) *automaton {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return nil
	}
	if !supported(re) {
		return nil
	}
	re = unfold(re)
	any := &syntax.Regexp{Op: syntax.OpStar, Sub: []*syntax.Regexp{{Op: syntax.OpAnyChar}}}
	wrapped := &syntax.Regexp{Op: syntax.OpConcat, Sub: []*syntax.Regexp{any, re, any}}
	prog, err := syntax.Compile(wrapped.Simplify())
	if err != nil {
		return nil
	}
	return &automaton{prog: prog}
}

// supported reports whether the construction models every assertion in re.
func supported(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return false
	}
	for _, s := range re.Sub {
		if !supported(s) {
			return false
		}
	}
	return true
}

// unfold turns case-folded literals into explicit character classes, so that every rune
// instruction matches exactly its listed ranges.
func unfold(re *syntax.Regexp) *syntax.Regexp {
	if re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase != 0 {
		cat := &syntax.Regexp{Op: syntax.OpConcat}
		for _, r := range re.Rune {
			var rs []rune
			rs = append(rs, r, r)
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				rs = append(rs, f, f)
			}
			cat.Sub = append(cat.Sub, &syntax.Regexp{Op: syntax.OpCharClass, Rune: rs})
		}
		if len(cat.Sub) == 1 {
			return cat.Sub[0]
		}
		return cat
	}
	for i, s := range re.Sub {
		re.Sub[i] = unfold(s)
	}
	if re.Op == syntax.OpCharClass || re.Op == syntax.OpLiteral {
		re.Flags &^= syntax.FoldCase
	}
	return re
}

// closure follows empty transitions from pcs; atStart and atEnd say which text anchors hold.
func (a *automaton) closure(pcs []uint32, atStart, atEnd bool) (set []uint32, match bool) {
	seen := map[uint32]bool{}
	stack := append([]uint32(nil), pcs...)
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &a.prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, in.Out)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if op&syntax.EmptyBeginText != 0 && !atStart {
				continue
			}
			if op&syntax.EmptyEndText != 0 && !atEnd {
				continue
			}
			stack = append(stack, in.Out)
		case syntax.InstMatch:
			match = true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			set = append(set, pc)
		}
	}
	sort.Slice(set, func(i, j int) bool { return set[i] < set[j] })
	return set, match
}

// step returns the pcs reached from the rune instructions in set by reading r.
func (a *automaton) step(set []uint32, r rune) []uint32 {
	var out []uint32
	for _, pc := range set {
		in := &a.prog.Inst[pc]
		if in.MatchRune(r) {
			out = append(out, in.Out)
		}
	}
	return out
}

// boundaries adds every rune where some instruction's answer may change.
func (a *automaton) boundaries(into map[rune]bool) {
	for _, in := range a.prog.Inst {
		switch in.Op {
		case syntax.InstRune:
			for i := 0; i+1 < len(in.Rune); i += 2 {
				into[in.Rune[i]] = true
				into[in.Rune[i+1]+1] = true
			}
			if len(in.Rune) == 1 {
				into[in.Rune[0]] = true
				into[in.Rune[0]+1] = true
			}
		case syntax.InstRune1:
			into[in.Rune[0]] = true
			into[in.Rune[0]+1] = true
		case syntax.InstRuneAnyNotNL:
			into['\n'] = true
			into['\n'+1] = true
		}
	}
}

// includes decides whether every string matching a also matches b. When it does not, it
// returns a shortest counterexample. decided is false when the patterns are outside what
// the construction models or the budget ran out.
func includes(a, b string) (incl, decided bool, counter string) {
	if a == b {
		return true, true, ""
	}
	aa := compilePattern(a)
	if aa == nil {
		return false, false, ""
	}
	var bb *automaton
	if b != "" {
		if bb = compilePattern(b); bb == nil {
			return false, false, ""
		}
	}
	return search(aa, bb)
}

// search explores the product of a and b (b nil: the empty language) for a string a
// accepts and b rejects.
func search(a, b *automaton) (bool, bool, string) {
	bounds := map[rune]bool{0: true, 'a': true, '0': true, ' ': true}
	a.boundaries(bounds)
	if b != nil {
		b.boundaries(bounds)
	}
	var reps []rune
	for r := range bounds {
		if r >= 0 && r <= unicode.MaxRune && utf8.ValidRune(r) {
			reps = append(reps, r)
		}
	}
	sort.Slice(reps, func(i, j int) bool { return reps[i] < reps[j] })
	type state struct {
		as, bs []uint32 // kernels: pcs before closure
		start  bool
		path   []rune
	}
	key := func(s state) string {
		var sb strings.Builder
		if s.start {
			sb.WriteByte('^')
		}
		for _, pc := range s.as {
			sb.WriteString(strconv.Itoa(int(pc)))
			sb.WriteByte(',')
		}
		sb.WriteByte('|')
		for _, pc := range s.bs {
			sb.WriteString(strconv.Itoa(int(pc)))
			sb.WriteByte(',')
		}
		return sb.String()
	}
	startA := []uint32{uint32(a.prog.Start)}
	var startB []uint32
	if b != nil {
		startB = []uint32{uint32(b.prog.Start)}
	}
	queue := []state{{as: startA, bs: startB, start: true}}
	seen := map[string]bool{key(queue[0]): true}
	steps := 0
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		_, accA := a.closure(s.as, s.start, true)
		accB := false
		if b != nil {
			_, accB = b.closure(s.bs, s.start, true)
		}
		if accA && !accB {
			return false, true, string(s.path)
		}
		setA, _ := a.closure(s.as, s.start, false)
		if len(setA) == 0 {
			continue
		}
		var setB []uint32
		if b != nil {
			setB, _ = b.closure(s.bs, s.start, false)
		}
		for _, r := range reps {
			steps++
			if steps > patternStepBudget || len(seen) > patternStateBudget {
				return false, false, ""
			}
			na := a.step(setA, r)
			if len(na) == 0 {
				continue
			}
			var nb []uint32
			if b != nil {
				nb = b.step(setB, r)
			}
			ns := state{as: dedupe(na), bs: dedupe(nb)}
			k := key(ns)
			if seen[k] {
				continue
			}
			seen[k] = true
			ns.path = append(append([]rune(nil), s.path...), r)
			queue = append(queue, ns)
		}
	}
	return true, true, ""
}

func dedupe(pcs []uint32) []uint32 {
	sort.Slice(pcs, func(i, j int) bool { return pcs[i] < pcs[j] })
	out := pcs[:0]
	for i, pc := range pcs {
		if i == 0 || pc != pcs[i-1] {
			out = append(out, pc)
		}
	}
	return out
}

// sampleString returns a shortest string matching the pattern, when one is found.
func sampleString(p string) (string, bool) {
	a := compilePattern(p)
	if a == nil {
		return "", false
	}
	incl, decided, s := search(a, nil)
	if !decided || incl {
		return "", false
	}
	return s, true
}

// patternDifference returns a string matching a but not b, when the automata find one.
func patternDifference(a, b string) (string, bool) {
	incl, decided, s := includes(a, b)
	if !decided || incl {
		return "", false
	}
	return s, true
}
