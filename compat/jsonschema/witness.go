package jsonschema

import (
	"encoding/json"
	"math/big"
	"sort"
	"strings"
)

// A witness is a concrete JSON instance that one side produces and the other rejects. The
// engine only ever reports one after checking it with the real validator on both sides
// (and, under the produce-accept model, that it uses only what the producing schema
// declares); candidates that fail the check are dropped silently.

// maxGenDepth bounds how deeply candidate generation descends into nested schemas.
const maxGenDepth = 6

// witness returns the first candidate the producer accepts and produces and the acceptor
// rejects, compactly encoded, or nil.
func (c *Comparison) witness(producer, acceptor *node, cands []any) json.RawMessage {
	if reachesOpaque(producer) || reachesOpaque(acceptor) {
		// The library cannot check a regex neither RE2 nor regexp2 reads (see ecma.go):
		// it would confirm values one side or the other decides otherwise.
		return nil
	}
	for i, v := range cands {
		if i > 64 {
			break
		}
		timeouts := regexTimeouts.Load()
		if valid(producer, v) && !valid(acceptor, v) && c.producible(producer, v) && regexTimeouts.Load() == timeouts {
			return json.RawMessage(compactJSON(v))
		}
	}
	return nil
}

// Witness is one witness the engine reported, with the schemas it was verified against:
// the producing side accepts Value (and, under the produce-accept model, produces it:
// it uses only what that side declares) and the accepting side rejects it.
type Witness struct {
	// Rule and Subject are those of the finding that carries the witness.
	Rule, Subject string
	// Value is the witness as the finding carries it.
	Value json.RawMessage
	// Producer and Acceptor are the schemas of each side.
	Producer, Acceptor WitnessSchema
	// Model is the model the witness was produced under.
	Model Model
}

// WitnessSchema names the schema one side of a witness was checked against.
type WitnessSchema struct {
	// Old is set for the old version, clear for the new one.
	Old bool
	// All lists the schemas ("path#/pointer") whose conjunction the side is: one for a
	// schema written in a document, several for the intersection of a combinator branch
	// with its context, none for an implied schema (an absent keyword).
	All []string
	// Nothing is set for an implied schema that accepts nothing (additionalProperties
	// false); an implied schema without it accepts everything.
	Nothing bool
}

// witnessSchema describes node n for a Witness.
func (c *Comparison) witnessSchema(n *node) WitnessSchema {
	ws := WitnessSchema{Old: n.side == c.old && c.old != c.new}
	for _, x := range n.conjuncts() {
		if x.synthetic {
			if x.isFalse() {
				ws.Nothing = true
			}
			continue
		}
		ws.All = append(ws.All, x.loc())
	}
	return ws
}

// conjuncts lists the nodes whose conjunction n is: n itself unless it is the
// intersection of others (see merge.go).
func (n *node) conjuncts() []*node {
	if len(n.conj) == 0 {
		return []*node{n}
	}
	var out []*node
	for _, c := range n.conj {
		out = append(out, c.conjuncts()...)
	}
	return out
}

// candidates generates values of the producer near its own and the acceptor's boundaries.
func (c *Comparison) candidates(producer, acceptor *node) []any {
	return c.gen(producer, acceptor, tAll, 0)
}

// typeCandidates generates values of the given types only.
func (c *Comparison) typeCandidates(mask typeSet) func(producer, acceptor *node) []any {
	return func(producer, acceptor *node) []any { return c.gen(producer, acceptor, mask, 0) }
}

// gen proposes values for schema n (of the types in mask), using hint's boundaries too.
func (c *Comparison) gen(n, hint *node, mask typeSet, depth int) []any {
	var out []any
	if n == nil {
		return []any{nil}
	}
	if n.hasEnum {
		for _, v := range n.enum {
			if typeOf(v)&mask != 0 {
				out = append(out, v)
			}
		}
		return out
	}
	if hint != nil && hint.hasEnum {
		for _, v := range hint.enum {
			if typeOf(v)&mask != 0 {
				out = append(out, v)
			}
		}
	}
	t := effTypes(n, 0) & mask
	if t == 0 && mask != tAll {
		t = mask // the producer may still accept these through its applicators
	}
	if t&tNull != 0 {
		out = append(out, nil)
	}
	if t&tBoolean != 0 {
		out = append(out, true, false)
	}
	if t&tNumber != 0 {
		out = append(out, numberCandidates(n, hint, t)...)
	}
	if t&tString != 0 {
		out = append(out, c.stringCandidates(n, hint)...)
	}
	if depth < maxGenDepth {
		if t&tObject != 0 {
			out = append(out, c.objectCandidates(n, hint, depth)...)
		}
		if t&tArray != 0 {
			out = append(out, c.arrayCandidates(n, hint, depth)...)
		}
	}
	// Values the combinators describe.
	if depth < maxGenDepth {
		for _, bs := range [][]*node{n.allOf, n.anyOf, n.oneOf} {
			for i, b := range bs {
				if i > 4 {
					break
				}
				for _, v := range c.gen(b, hint, mask, depth+1) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// first returns the first generated value the node accepts.
func (c *Comparison) first(n *node, depth int) (any, bool) {
	if v, ok := c.firsts[n]; ok {
		return v.v, v.ok
	}
	if c.firsts == nil {
		c.firsts = map[*node]firstValue{}
	}
	c.firsts[n] = firstValue{} // a recursive schema's value is not built from itself
	for _, v := range c.gen(n, nil, tAll, depth) {
		if valid(n, v) {
			c.firsts[n] = firstValue{v, true}
			return v, true
		}
	}
	return nil, false
}

// firstValue memoizes the first generated value a node accepts.
type firstValue struct {
	v  any
	ok bool
}

func numberCandidates(n, hint *node, t typeSet) []any {
	var rats []*big.Rat
	add := func(r *big.Rat) {
		if r != nil {
			rats = append(rats, r)
		}
	}
	one, half := big.NewRat(1, 1), big.NewRat(1, 2)
	for _, x := range []*node{n, hint} {
		if x == nil {
			continue
		}
		for _, b := range []*big.Rat{x.lo, x.hi} {
			if b == nil {
				continue
			}
			add(b)
			add(new(big.Rat).Add(b, one))
			add(new(big.Rat).Sub(b, one))
			add(new(big.Rat).Add(b, half))
			add(new(big.Rat).Sub(b, half))
			fl := new(big.Rat).SetInt(floorRat(b))
			add(fl)
			add(new(big.Rat).Add(fl, one))
		}
		if x.multipleOf != nil {
			add(x.multipleOf)
			add(new(big.Rat).Mul(x.multipleOf, big.NewRat(2, 1)))
			if x.lo != nil {
				q := new(big.Rat).Quo(x.lo, x.multipleOf)
				k := new(big.Rat).SetInt(ceilRat(q))
				add(new(big.Rat).Mul(k, x.multipleOf))
				add(new(big.Rat).Mul(new(big.Rat).Add(k, one), x.multipleOf))
			}
		}
	}
	add(new(big.Rat))
	add(one)
	add(big.NewRat(-1, 1))
	add(half)
	add(big.NewRat(3, 1))
	add(big.NewRat(7, 1))
	var out []any
	seen := map[string]bool{}
	for _, r := range rats {
		if t&tNumber == tInteger && !r.IsInt() {
			continue
		}
		if t&tNumber == tFraction && r.IsInt() {
			continue
		}
		s, ok := decimal(r)
		if !ok || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, json.Number(s))
	}
	return out
}

// decimal prints a rational as a JSON number when it has a short exact decimal form.
func decimal(r *big.Rat) (string, bool) {
	if r.IsInt() {
		return r.Num().String(), true
	}
	prec, exact := r.FloatPrec()
	if !exact || prec > 30 {
		return "", false
	}
	return r.FloatString(prec), true
}

func floorRat(r *big.Rat) *big.Int {
	q := new(big.Int)
	m := new(big.Int)
	q.DivMod(r.Num(), r.Denom(), m) // Euclidean: floor for positive denominators
	return q
}

func ceilRat(r *big.Rat) *big.Int {
	f := floorRat(r)
	if !r.IsInt() {
		f.Add(f, big.NewInt(1))
	}
	return f
}

var formatSamples = map[string][]string{
	"date-time":             {"2024-01-02T03:04:05Z"},
	"date":                  {"2024-01-02"},
	"time":                  {"03:04:05Z"},
	"duration":              {"P1D"},
	"email":                 {"a@example.com"},
	"idn-email":             {"a@example.com"},
	"hostname":              {"example.com"},
	"idn-hostname":          {"example.com"},
	"ipv4":                  {"192.0.2.1"},
	"ipv6":                  {"2001:db8::1"},
	"uri":                   {"https://example.com/a"},
	"uri-reference":         {"/a"},
	"iri":                   {"https://example.com/a"},
	"iri-reference":         {"/a"},
	"uuid":                  {"123e4567-e89b-12d3-a456-426614174000"},
	"uri-template":          {"/a/{b}"},
	"json-pointer":          {"/a"},
	"relative-json-pointer": {"0/a"},
	"regex":                 {"a+"},
}

func (c *Comparison) stringCandidates(n, hint *node) []any {
	var out []any
	lens := []int{0, 1}
	for _, x := range []*node{n, hint} {
		if x == nil {
			continue
		}
		for _, l := range []int{x.minLen, x.maxLen} {
			if l >= 0 {
				lens = append(lens, l, l+1, l-1)
			}
		}
	}
	var bases []string
	for _, x := range []*node{n, hint} {
		if x == nil {
			continue
		}
		if x.format != "" {
			bases = append(bases, formatSamples[x.format]...)
		}
		if x.pattern != "" {
			if s, ok := sampleString(x.pattern); ok {
				bases = append(bases, s)
			}
		}
	}
	// A string that matches the producer's pattern but not the acceptor's, when the
	// automata found one.
	if n != nil && hint != nil && n.pattern != "" && hint.pattern != "" && n.pattern != hint.pattern {
		if s, ok := patternDifference(n.pattern, hint.pattern); ok {
			bases = append([]string{s}, bases...)
		}
	}
	bases = append(bases, "", "a", "x-1")
	for _, b := range bases {
		out = append(out, b)
		for _, l := range lens {
			if l < 0 || l > maxWitnessLen {
				continue
			}
			out = append(out, c.padded(b, l))
		}
	}
	return out
}

// maxWitnessLen bounds the length of a generated string: long enough for the limits
// published APIs set (Stripe's maxLength 5000), short enough to validate cheaply. Text
// reports abbreviate long witnesses; JSON carries them whole.
const maxWitnessLen = 1 << 16

// padded is padTo, remembered: the same limits recur across a large API (Stripe sets
// maxLength 5000 on thousands of strings), and each candidate list built them again,
// kilobytes at a time. Strings are immutable, so every candidate shares one.
func (c *Comparison) padded(s string, l int) string {
	if len(s) == l && l <= 1 {
		return s
	}
	k := padKey{s, l}
	if p, ok := c.pads[k]; ok {
		return p
	}
	if c.pads == nil || len(c.pads) >= maxPads {
		c.pads = map[padKey]string{}
	}
	p := padTo(s, l)
	c.pads[k] = p
	return p
}

// padKey names one padded string; maxPads bounds how many a comparison keeps.
type padKey struct {
	s string
	l int
}

const maxPads = 4096

// padTo lengthens or shortens s to l runes by repeating its last rune (or 'a').
func padTo(s string, l int) string {
	rs := []rune(s)
	if len(rs) >= l {
		return string(rs[:l])
	}
	fill := 'a'
	if len(rs) > 0 {
		fill = rs[len(rs)-1]
	}
	return s + strings.Repeat(string(fill), l-len(rs))
}

func (c *Comparison) objectCandidates(n, hint *node, depth int) []any {
	build := func(names []string) map[string]any {
		m := map[string]any{}
		for _, k := range names {
			p := n.props[k]
			if p == nil {
				m[k] = "a"
				continue
			}
			if v, ok := c.first(p, depth+1); ok {
				m[k] = v
			}
		}
		return m
	}
	var req []string
	for _, k := range sortedKeys(n.required) {
		req = append(req, k)
	}
	// Under the produce-accept model writers no longer emit a deprecated property (its
	// deprecation asked them to stop), so the candidates leave it out unless required.
	names := n.propNames
	if c.opts.Model == ProduceAccept && len(n.deprecatedProps) > 0 {
		names = nil
		for _, k := range n.propNames {
			if !n.deprecatedProps[k] || n.required[k] {
				names = append(names, k)
			}
		}
	}
	out := []any{build(req), build(names)}
	if hint != nil {
		// Objects that leave out or add the names the other side cares about.
		var extra []string
		for _, k := range hint.propNames {
			if _, ok := n.props[k]; !ok {
				extra = append(extra, k)
			}
		}
		if len(extra) > 0 {
			out = append(out, build(append(append([]string(nil), req...), extra...)))
			// The same names with values of each type, for acceptors that constrain them.
			for _, v := range []any{json.Number("0"), nil, true, map[string]any{}, []any{}, "a"} {
				m := build(req)
				for _, k := range extra {
					m[k] = v
				}
				out = append(out, m)
			}
		}
		for _, k := range names {
			if !n.required[k] {
				out = append(out, build(append(append([]string(nil), req...), k)))
			}
		}
	}
	return out
}

func (c *Comparison) arrayCandidates(n, hint *node, depth int) []any {
	var elems []any
	for _, p := range n.prefix {
		v, ok := c.first(p, depth+1)
		if !ok {
			break
		}
		elems = append(elems, v)
	}
	var item any = "a"
	if n.items != nil {
		if v, ok := c.first(n.items, depth+1); ok {
			item = v
		}
	}
	counts := []int{0, 1, 2}
	for _, x := range []*node{n, hint} {
		if x == nil {
			continue
		}
		for _, l := range []int{x.minItems, x.maxItems} {
			if l >= 0 {
				counts = append(counts, l, l+1, l-1)
			}
		}
	}
	var out []any
	for _, k := range counts {
		if k < 0 || k > 256 {
			continue
		}
		arr := make([]any, 0, k)
		for i := 0; i < k; i++ {
			if i < len(elems) {
				arr = append(arr, elems[i])
			} else {
				arr = append(arr, item)
			}
		}
		out = append(out, arr)
	}
	if n.contains != nil {
		if v, ok := c.first(n.contains, depth+1); ok {
			out = append(out, []any{v})
		}
	}
	if n.items != nil && n.items.isFalse() == false {
		// Two distinct items, for uniqueItems and contains.
		for _, v := range c.gen(n.items, nil, tAll, depth+1) {
			if valid(n.items, v) && canonical(v) != canonical(item) {
				out = append(out, []any{item, v}, []any{item, item})
				break
			}
		}
	}
	return out
}

// producible reports whether a writer built from n could emit v: under the produce-accept
// model, objects carry only properties the schema declares and tuples only declared
// positions. Under the strict model every accepted value is produced.
func (c *Comparison) producible(n *node, v any) bool {
	if c.opts.Model == Strict {
		return true
	}
	return producible(n, v, 0)
}

func producible(n *node, v any, depth int) bool {
	if n == nil || depth > 32 {
		return true
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			decl, ok := declared(n, k, 0)
			if !ok {
				return false
			}
			if decl != nil && !producible(decl, x, depth+1) {
				return false
			}
		}
	case []any:
		for i, x := range v {
			var s *node
			switch {
			case i < len(n.prefix):
				s = n.prefix[i]
			case n.items != nil:
				s = n.items
			case len(n.prefix) > 0:
				return false
			}
			if s != nil && !producible(s, x, depth+1) {
				return false
			}
		}
	}
	return true
}

// declared finds the schema declaring property k in n or its applicators: a property, a
// matching pattern property, or an explicit additionalProperties schema.
func declared(n *node, k string, depth int) (*node, bool) {
	if n == nil || depth > 8 {
		return nil, false
	}
	if p, ok := n.props[k]; ok {
		return p, true
	}
	for _, pp := range n.patternProps {
		if pp.re.MatchString(k) {
			return pp.n, true
		}
	}
	if n.additional != nil && !n.additional.isFalse() && !n.additional.isTrue() {
		return n.additional, true
	}
	for _, bs := range [][]*node{n.allOf, n.anyOf, n.oneOf, {n.thenN, n.elseN}} {
		for _, b := range bs {
			if d, ok := declared(b, k, depth+1); ok {
				return d, true
			}
		}
	}
	for _, d := range n.depSchemas {
		if x, ok := declared(d, k, depth+1); ok {
			return x, true
		}
	}
	return nil, false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// reachesOpaque reports whether n or a schema it applies to its instance or to parts of
// it has a regex neither RE2 nor regexp2 reads (see ecma.go). Answers are kept on the nodes.
func reachesOpaque(n *node) bool {
	if n == nil {
		return false
	}
	switch n.opaque {
	case opaqueYes:
		return true
	case opaqueNo, opaqueVisiting:
		return false // a cycle adds nothing the nodes on it do not have
	}
	n.opaque = opaqueVisiting
	found := unreadable(n) || n.remote != ""
	for _, c := range n.children() {
		if found {
			break
		}
		found = reachesOpaque(c)
	}
	n.opaque = opaqueNo
	if found {
		n.opaque = opaqueYes
	}
	return found
}

// children lists every schema n holds.
func (n *node) children() []*node {
	out := append([]*node{n.items, n.contains, n.additional, n.propertyNames, n.not, n.ifN, n.thenN, n.elseN,
		n.unevaluatedProps, n.unevaluatedItems}, n.prefix...)
	out = append(out, n.allOf...)
	out = append(out, n.anyOf...)
	out = append(out, n.oneOf...)
	for _, k := range n.propNames {
		out = append(out, n.props[k])
	}
	for _, pp := range n.patternProps {
		out = append(out, pp.n)
	}
	for _, k := range sortedKeys(boolKeys(n.depSchemas)) {
		out = append(out, n.depSchemas[k])
	}
	return out
}

func boolKeys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
