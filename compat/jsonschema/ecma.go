package jsonschema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2"
	js "github.com/santhosh-tekuri/jsonschema/v5"
)

// JSON Schema and OpenAPI regular expressions (pattern, the names of patternProperties,
// a pattern inside propertyNames) are ECMA-262 regular expressions. The validator library
// and this engine's automata use Go's RE2, which lacks lookaround, backreferences and
// repetition counts above 1,000, all common in published specs (^(?!x-).+$ in bitrise,
// vega and web-types; most of AWS's APIs), and which the library's metaschema check
// refuses as "not a valid regex".
//
// Every regular expression is therefore read in two ways:
//
//   - RE2, when it compiles there (most do): the automata decide pattern inclusion and
//     the library matches it natively;
//   - otherwise github.com/dlclark/regexp2 in its ECMAScript mode, with a match timeout:
//     the pattern is compared as text (the same text is no change, another is undecided)
//     but values are still tested against it exactly. The documents handed to the library
//     carry, in place of such a regex, something RE2 reads (pattern "" and, for a
//     patternProperties name, a stand-in that matches nothing) plus one keyword of this
//     engine (ecmaKeyword) that a library extension (ecmaExtension) evaluates with
//     regexp2: the pattern itself, the names the stand-ins stand for, and the schema's
//     additionalProperties, which must know which names the patterns match.
//
// A regex neither reads (Java's \p{Print} in AWS's specs, or a broken one: the
// specification only says a regex SHOULD be ECMA-262) is opaque: it is compared as text,
// never refused, the library matches it as if it were absent (pattern "") or matched
// nothing (a stand-in name), and no witness is reported from a schema that reaches it
// (see reachesOpaque), since the library cannot check one.

// ecmaKeyword is the keyword of the library's documents that ecmaExtension evaluates. It
// never appears in a user's schema: the library form adds it (see libraryForm).
const ecmaKeyword = "x-compatcheck-ecma"

// standInPrefix starts the RE2 stand-in for a patternProperties name RE2 cannot read:
// \b\B asserts a word boundary and its absence at one position, so it matches nothing.
const standInPrefix = `\b\B(?:compatcheck-ecma-`

// regexMatchTimeout bounds one regexp2 match: ECMA-262 regexes backtrack, and a hostile
// pattern must not hang a comparison.
const regexMatchTimeout = 100 * time.Millisecond

// regexTimeouts counts regexp2 matches that ran out of time, so that a witness check in
// which one did is not trusted (see Comparison.witness).
var regexTimeouts atomic.Int64

// regex is one compiled ECMA-262 regular expression.
type regex struct {
	src  string
	re2  *regexp.Regexp  // nil when RE2 cannot compile src
	ecma *regexp2.Regexp // set when only regexp2 can
}

// compileRegex reads src as RE2 if it can, else as ECMAScript; a regex neither reads is
// returned opaque.
func compileRegex(src string) *regex {
	r := &regex{src: src}
	if re, err := regexp.Compile(src); err == nil {
		r.re2 = re
		return r
	}
	r.ecma = compileECMA(src)
	return r
}

// compileECMA compiles src with regexp2's ECMAScript option and Unicode matching (as
// JSON Schema asks regexes to be read), or returns nil.
func compileECMA(src string) *regexp2.Regexp {
	re, err := regexp2.Compile(src, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		// Some ECMAScript features (\u{...}) need the Unicode flag and others reject it;
		// one more try without it.
		if re, err = regexp2.Compile(src, regexp2.ECMAScript); err != nil {
			return nil
		}
	}
	re.MatchTimeout = regexMatchTimeout
	return re
}

// opaque reports whether neither RE2 nor regexp2 reads the regex.
func (r *regex) opaque() bool { return r == nil || r.re2 == nil && r.ecma == nil }

// MatchString reports whether s matches somewhere, as JSON Schema regexes are unanchored.
// An opaque regex matches nothing; a timed-out match counts as none and is recorded.
func (r *regex) MatchString(s string) bool {
	switch {
	case r == nil:
		return false
	case r.re2 != nil:
		return r.re2.MatchString(s)
	case r.ecma != nil:
		return ecmaMatch(r.ecma, s)
	}
	return false
}

func ecmaMatch(re *regexp2.Regexp, s string) bool {
	ok, err := re.MatchString(s)
	if err != nil {
		regexTimeouts.Add(1)
		return false
	}
	return ok
}

// opaquePattern reports whether a pattern keyword's value is a string RE2 cannot compile.
func opaquePattern(x any) bool {
	s, ok := x.(string)
	if !ok {
		return false
	}
	_, err := regexp.Compile(s)
	return err != nil
}

// Keywords whose value is one schema, an object of schemas or an array of schemas, and
// keywords whose value is instance data, never a schema.
var (
	schemaKeywords = map[string]bool{"items": true, "additionalItems": true, "additionalProperties": true,
		"propertyNames": true, "if": true, "then": true, "else": true, "not": true, "contains": true,
		"unevaluatedItems": true, "unevaluatedProperties": true, "contentSchema": true}
	schemaMapKeywords = map[string]bool{"properties": true, "patternProperties": true, "$defs": true,
		"definitions": true, "dependentSchemas": true, "dependencies": true}
	schemaListKeywords = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true, "items": true}
	dataKeywords       = map[string]bool{"enum": true, "const": true, "default": true, "examples": true}
)

// annotationTypes lists the annotation keywords and the check their value must pass. A
// published schema that breaks one (a "description": null) asserts nothing wrong about
// instances, so the library form drops such a value instead of refusing the schema.
var annotationTypes = map[string]func(any) bool{
	"title":       isString,
	"description": isString,
	"$comment":    isString,
	"readOnly":    isBool,
	"writeOnly":   isBool,
	"deprecated":  isBool,
	"examples":    func(x any) bool { _, ok := x.([]any); return ok },
}

// otherDraft reports whether keyword k, with value x, belongs to a draft other than the
// document's and would make the library's metaschema check refuse the document (see
// drafts.go); such a keyword is unknown to the document's draft and asserts nothing.
func otherDraft(k string, x any, draft string) bool { return otherDraftKeyword(k, x, draft) }

func isString(x any) bool { _, ok := x.(string); return ok }
func isBool(x any) bool   { _, ok := x.(bool); return ok }

// libraryForm returns the schema document v as the library is handed it: regexes RE2
// cannot read replaced as described above, annotations with values of the wrong type
// dropped, and keywords of another draft renamed out of the way (see otherDraft). v itself
// is returned, and not copied, when nothing changes. Schema positions are visited, and
// so are the values of unknown keywords (a $ref may point into them); instance data
// (enum, const, default, examples) never is.
func libraryForm(v any, draft string, depth int) (any, bool) {
	return libraryFormOf(v, draft, depth, false)
}

// libraryFormOf is libraryForm; lenient is set below unknown keywords, whose values may be
// schemas (a $ref may point there) or data, so that only regexes are rewritten there.
func libraryFormOf(v any, draft string, depth int, lenient bool) (any, bool) {
	m, ok := v.(map[string]any)
	if !ok || depth > maxDecodeDepth {
		return v, false
	}
	if s, ok := m["$schema"].(string); ok && depth == 0 {
		draft = s
	}
	var out map[string]any
	copyOnce := func() {
		if out == nil {
			out = make(map[string]any, len(m))
			for k, x := range m {
				out[k] = x
			}
		}
	}
	set := func(k string, x any) { copyOnce(); out[k] = x }
	for k, x := range m {
		switch {
		case dataKeywords[k] && k != "examples":
		case k == "$ref":
			if r, ok := x.(string); ok && isMetaschemaRef(r) {
				set(k, metaschemaStandIn(r)) // read as opaque, not as the library's own copy (refs.go)
			}
		case lenient && (annotationTypes[k] != nil || otherDraft(k, x, draft)):
		case annotationTypes[k] != nil:
			if !annotationTypes[k](x) {
				copyOnce()
				delete(out, k)
			}
		case otherDraft(k, x, draft):
			copyOnce()
			delete(out, k)
		case schemaMapKeywords[k]:
			sub, ok := x.(map[string]any)
			if !ok {
				continue
			}
			var copied map[string]any
			for name, e := range sub {
				if c, changed := libraryFormOf(e, draft, depth+1, lenient); changed {
					if copied == nil {
						copied = make(map[string]any, len(sub))
						for n, e := range sub {
							copied[n] = e
						}
					}
					copied[name] = c
				}
			}
			if copied != nil {
				set(k, copied)
			}
		case schemaListKeywords[k] || schemaKeywords[k] || !jsonSchemaKeywords[k]:
			below := lenient || !jsonSchemaKeywords[k] && !schemaKeywords[k] && !schemaListKeywords[k]
			if list, ok := x.([]any); ok {
				var copied []any
				for i, e := range list {
					if c, changed := libraryFormOf(e, draft, depth+1, below); changed {
						if copied == nil {
							copied = append([]any(nil), list...)
						}
						copied[i] = c
					}
				}
				if copied != nil {
					set(k, copied)
				}
			} else if c, changed := libraryFormOf(x, draft, depth+1, below); changed {
				set(k, c)
			}
		}
	}
	cur := m
	if out != nil {
		cur = out
	}
	if lf, changed := ecmaLevel(cur); changed {
		return lf, true
	}
	if out == nil {
		return v, false
	}
	return out, true
}

// ecmaLevel rewrites the regexes of one schema object that RE2 cannot read (see the
// package comment above), returning a copy, or m and false when there are none.
func ecmaLevel(m map[string]any) (map[string]any, bool) {
	ext := map[string]any{}
	pat, hasPat := m["pattern"].(string)
	if hasPat && opaquePattern(pat) {
		ext["pattern"] = pat
	}
	pps, _ := m["patternProperties"].(map[string]any)
	var opaqueNames []string
	for name := range pps {
		if opaquePattern(name) {
			opaqueNames = append(opaqueNames, name)
		}
	}
	if len(ext) == 0 && len(opaqueNames) == 0 {
		return m, false
	}
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	if _, ok := ext["pattern"]; ok {
		out["pattern"] = ""
	}
	if len(opaqueNames) > 0 {
		sort.Strings(opaqueNames)
		np := make(map[string]any, len(pps))
		for k, x := range pps {
			np[k] = x
		}
		names := map[string]any{}
		for i, name := range opaqueNames {
			stand := standInPrefix + strconv.Itoa(i) + ")"
			np[stand] = np[name]
			delete(np, name)
			names[stand] = name
		}
		out["patternProperties"] = np
		ext["patternProperties"] = names
		// The library decides which names are additional from the regexes it compiled,
		// which the stand-ins are not: additionalProperties moves into the extension,
		// which knows.
		if ap, ok := m["additionalProperties"]; ok && ap != true {
			ext["additionalProperties"] = ap
			delete(out, "additionalProperties")
		}
	}
	out[ecmaKeyword] = ext
	return out, true
}

// ecmaExtension is the library extension that evaluates ecmaKeyword.
type ecmaExtension struct{}

// ecmaSchema is ecmaKeyword compiled for one schema.
type ecmaSchema struct {
	pattern *regexp2.Regexp // nil unless the schema's pattern is one only regexp2 reads
	// names pairs each stand-in's real regex with the schema compiled for its names.
	names []ecmaName
	// additional is the schema's moved additionalProperties: nil when absent, false, or a
	// schema; props and re2 are what it needs to know which names are additional.
	additional any
	props      map[string]bool
	re2        []*regexp.Regexp
}

type ecmaName struct {
	src string
	re  *regex
	s   *js.Schema
}

// Compile compiles ecmaKeyword of the schema object m.
func (ecmaExtension) Compile(ctx js.CompilerContext, m map[string]any) (js.ExtSchema, error) {
	ext, ok := m[ecmaKeyword].(map[string]any)
	if !ok {
		return nil, nil
	}
	es := &ecmaSchema{props: map[string]bool{}}
	if p, ok := ext["pattern"].(string); ok {
		es.pattern = compileECMA(p) // nil for an opaque pattern, which then asserts nothing
	}
	if names, ok := ext["patternProperties"].(map[string]any); ok {
		stands := make([]string, 0, len(names))
		for stand := range names {
			stands = append(stands, stand)
		}
		sort.Strings(stands)
		for _, stand := range stands {
			src, _ := names[stand].(string)
			s, err := ctx.Compile("patternProperties/"+escapePointer(stand), false)
			if err != nil {
				return nil, err
			}
			es.names = append(es.names, ecmaName{src: src, re: compileRegex(src), s: s})
		}
	}
	if ap, ok := ext["additionalProperties"]; ok {
		switch ap := ap.(type) {
		case bool:
			es.additional = ap
		case map[string]any:
			s, err := ctx.Compile(ecmaKeyword+"/additionalProperties", false)
			if err != nil {
				return nil, err
			}
			es.additional = s
		}
		props, _ := m["properties"].(map[string]any)
		for k := range props {
			es.props[k] = true
		}
		pps, _ := m["patternProperties"].(map[string]any)
		for src := range pps {
			if strings.HasPrefix(src, standInPrefix) {
				continue
			}
			if re, err := regexp.Compile(src); err == nil {
				es.re2 = append(es.re2, re)
			}
		}
	}
	return es, nil
}

// Validate evaluates the compiled keyword on v.
func (es *ecmaSchema) Validate(ctx js.ValidationContext, v any) error {
	switch v := v.(type) {
	case string:
		if es.pattern != nil && !ecmaMatch(es.pattern, v) {
			return ctx.Error("pattern", "does not match pattern %q", es.pattern.String())
		}
	case map[string]any:
		names := make([]string, 0, len(v))
		for k := range v {
			names = append(names, k)
		}
		sort.Strings(names)
		var errs []error
		for _, k := range names {
			matched := false
			for _, n := range es.names {
				if !n.re.MatchString(k) {
					continue
				}
				matched = true
				ctx.EvaluatedProp(k)
				if err := ctx.Validate(n.s, "patternProperties/"+escapePointer(n.src), v[k], escapePointer(k)); err != nil {
					errs = append(errs, err)
				}
			}
			if es.additional == nil || matched || es.props[k] || matchesAny(es.re2, k) {
				continue
			}
			ctx.EvaluatedProp(k)
			switch a := es.additional.(type) {
			case bool:
				if !a {
					errs = append(errs, ctx.Error("additionalProperties", "additionalProperties %q not allowed", k))
				}
			case *js.Schema:
				if err := ctx.Validate(a, "additionalProperties", v[k], escapePointer(k)); err != nil {
					errs = append(errs, err)
				}
			}
		}
		if es.additional != nil {
			for _, k := range names {
				ctx.EvaluatedProp(k) // additionalProperties evaluates every name, as the library's does
			}
		}
		if len(errs) > 0 {
			parent := ctx.Error("", "properties do not match")
			return js.ValidationError{}.Group(parent, errs...)
		}
	}
	return nil
}

func matchesAny(res []*regexp.Regexp, k string) bool {
	for _, re := range res {
		if re.MatchString(k) {
			return true
		}
	}
	return false
}

// addECMA registers the extension with a compiler.
func addECMA(c *js.Compiler) { c.RegisterExtension("compatcheck-ecma", nil, ecmaExtension{}) }

// libraryValue returns what the library is handed for document d (computed once).
func (sc *Schemas) libraryValue(d *Document) any {
	if v, ok := sc.libValues[d.Path]; ok {
		return v
	}
	v, _ := libraryForm(d.Value, "", 0)
	if m, ok := v.(map[string]any); ok && sc.idLosers[d.Path] {
		cp := make(map[string]any, len(m))
		for k, x := range m {
			if k != "$id" && k != "id" {
				cp[k] = x
			}
		}
		v = cp
	}
	for _, ptr := range conjunctiveCycleRefs(v) {
		var toks []string
		if ptr != "" {
			toks = splitPointer(ptr)
		}
		v = withoutRefAt(v, toks)
	}
	if sc.libValues == nil {
		sc.libValues = map[string]any{}
	}
	sc.libValues[d.Path] = v
	return v
}

// rawPattern returns the pattern keyword written at file#ptr when RE2 cannot compile it.
func (sc *Schemas) rawPattern(file, ptr string) (string, bool) {
	d, ok := sc.docs[file]
	if !ok {
		return "", false
	}
	m, _ := valueAt(d.Value, ptr).(map[string]any)
	if p := m["pattern"]; opaquePattern(p) {
		return p.(string), true
	}
	return "", false
}

// realPatternName returns the patternProperties name a library stand-in stands for in
// the schema at file#ptr, or the name itself.
func (sc *Schemas) realPatternName(file, ptr, name string) string {
	if !strings.HasPrefix(name, standInPrefix) {
		return name
	}
	d, ok := sc.docs[file]
	if !ok {
		return name
	}
	if m, ok := libraryValueAt(sc.libraryValue(d), ptr).(map[string]any); ok {
		if ext, ok := m[ecmaKeyword].(map[string]any); ok {
			if names, ok := ext["patternProperties"].(map[string]any); ok {
				if src, ok := names[name].(string); ok {
					return src
				}
			}
		}
	}
	return name
}

// libraryValueAt walks a pointer in a library-form document, where a moved
// additionalProperties lives under ecmaKeyword.
func libraryValueAt(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range splitPointer(ptr) {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok && tok == "additionalProperties" {
				if ext, ok := x[ecmaKeyword].(map[string]any); ok {
					next = ext["additionalProperties"]
				}
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// valueAt returns the value at a JSON pointer of a decoded document, or nil.
func valueAt(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range splitPointer(ptr) {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[tok]; !ok {
				return nil
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// splitPointer splits a JSON pointer ("/a/b~1c") into its unescaped tokens.
func splitPointer(ptr string) []string {
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		toks[i] = unescapePointer(t)
	}
	return toks
}

// opaqueText reports whether n's pattern is one RE2 cannot read: it is compared as text.
func opaqueText(n *node) bool { return n.pattern != "" && n.patternRe == nil }

// unreadable reports whether n holds a regex neither RE2 nor regexp2 reads, which the
// library cannot check values against.
func unreadable(n *node) bool {
	if n.pattern != "" && n.patternX.opaque() {
		return true
	}
	for _, pp := range n.patternProps {
		if pp.re.opaque() {
			return true
		}
	}
	return false
}

func (r *regex) String() string {
	if r == nil {
		return ""
	}
	return fmt.Sprint(r.src)
}

// realPointer maps a pointer into the library form of document file back to the
// document: a moved additionalProperties to its place, a stand-in name to the regex it
// stands for.
func (sc *Schemas) realPointer(file, ptr string) string {
	if !strings.Contains(ptr, ecmaKeyword) && !strings.Contains(ptr, standInPrefix) {
		return ptr
	}
	ptr = strings.ReplaceAll(ptr, "/"+ecmaKeyword+"/additionalProperties", "/additionalProperties")
	for {
		i := strings.Index(ptr, "/patternProperties/"+standInPrefix)
		if i < 0 {
			return ptr
		}
		rest := ptr[i+len("/patternProperties/"):]
		stand, tail, _ := strings.Cut(rest, "/")
		if tail != "" {
			tail = "/" + tail
		}
		real := sc.realPatternName(file, ptr[:i], unescapePointer(stand))
		if real == unescapePointer(stand) {
			return ptr
		}
		ptr = ptr[:i] + "/patternProperties/" + escapePointer(real) + tail
	}
}
