package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"

	js "github.com/santhosh-tekuri/jsonschema/v5"
)

// typeSet is a set of JSON types. Numbers are split into integers and non-integers so that
// "integer" is the subset of "number" it is.
type typeSet uint8

const (
	tNull typeSet = 1 << iota
	tBoolean
	tObject
	tArray
	tString
	tInteger
	tFraction // numbers that are not integers

	tNumber = tInteger | tFraction
	tAll    = tNull | tBoolean | tObject | tArray | tString | tNumber
)

// typeNames lists the names in the order messages use.
var typeNames = []struct {
	t    typeSet
	name string
}{{tNull, "null"}, {tBoolean, "boolean"}, {tObject, "object"}, {tArray, "array"}, {tString, "string"}, {tNumber, "number"}, {tInteger, "integer"}}

func parseType(name string) typeSet {
	for _, tn := range typeNames {
		if tn.name == name {
			return tn.t
		}
	}
	return 0
}

// String spells the set with the JSON Schema type names, "number" covering integers.
func (t typeSet) String() string {
	var parts []string
	rest := t
	for _, tn := range typeNames {
		if rest&tn.t == tn.t && tn.t != 0 {
			parts = append(parts, tn.name)
			rest &^= tn.t
		}
	}
	if rest&tFraction != 0 {
		parts = append(parts, "non-integer number")
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// typeOf returns the type of a decoded JSON value.
func typeOf(v any) typeSet {
	switch v := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case map[string]any:
		return tObject
	case []any:
		return tArray
	case string:
		return tString
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(v)); ok && r.IsInt() {
			return tInteger
		}
		return tFraction
	case float64:
		if r := new(big.Rat).SetFloat64(v); r != nil && r.IsInt() {
			return tInteger
		}
		return tFraction
	}
	return 0
}

// patternProp is one patternProperties entry.
type patternProp struct {
	src string
	re  *regex
	n   *node
}

// node is the normalized model of one compiled schema: the keywords that assert something,
// with draft differences and spellings folded away (draft-04 boolean exclusive bounds, const
// as a one-value enum, tuple items as prefixItems, dependencies split into dependentRequired
// and dependentSchemas, a $ref without assertions of its own resolved to its target).
type node struct {
	s    *js.Schema // the compiled schema, for validating witnesses; nil for synthetic nodes
	side *Schemas
	id   int

	file, ptr string // where the schema is; for a synthetic node, where it would be
	synthetic bool   // not written in the file: an absent keyword's implied schema
	// conj lists, for the intersection of several schemas (see merge.go), the schemas it
	// is the conjunction of: values it accepts are those all of them accept.
	conj []*node
	// remote is the URL of a schema outside the input that the node stands for (see
	// refs.go): known only by it, never filled.
	remote string
	// refMember is set when allOf[0] is the target of a $ref written beside other
	// keywords, which is one more conjunct.
	refMember bool
	native    bool           // built from the document, not from a compiled schema (see native.go)
	raw       map[string]any // a native node's schema object, nil for a boolean schema
	// opaque caches reachesOpaque.
	opaque opaqueState
	// open marks an undeclared position of an open object or tuple: it accepts every
	// value, but under the produce-accept model writers put nothing there.
	open bool
	// openTail and openOther are the implied schemas of undeclared tuple positions and
	// undeclared properties, built on first use.
	openTail, openOther *node

	declaredTypes bool
	types         typeSet

	hasEnum bool
	enum    []any // values, each valid against the schema itself

	lo, hi         *big.Rat
	loExcl, hiExcl bool
	multipleOf     *big.Rat

	minLen, maxLen int // -1 when absent
	pattern        string
	patternRe      *regexp.Regexp // nil when RE2 cannot read the pattern (see ecma.go)
	patternX       *regex         // the pattern as values are matched against it
	format         string

	prefix                 []*node
	items                  *node // schema of items after prefix; nil when absent
	minItems, maxItems     int
	unique                 bool
	contains               *node
	minContains            int
	maxContains            int
	props                  map[string]*node
	propNames              []string // sorted
	required               map[string]bool
	additional             *node // nil when absent
	patternProps           []patternProp
	propertyNames          *node
	minProps, maxProps     int
	depRequired            map[string][]string
	depSchemas             map[string]*node
	allOf, anyOf, oneOf    []*node
	not                    *node
	ifN, thenN, elseN      *node
	readOnly, writeOnly    bool
	deprecated             bool
	unevaluatedProps       *node
	unevaluatedItems       *node
	hasOwnObjectKeywords   bool
	hasCombinatorsOrRefSet bool

	// How the keywords are spelled in the file, for subjects and positions: const rather
	// than enum, a draft-04 style exclusive bound, the tuple form of items, the required
	// list in its order, and which keyword ("dependentRequired" or "dependencies") holds
	// each dependency.
	// deprecatedProps names the properties whose schema, as written (before a $ref
	// beside the annotation is followed), is marked deprecated; nil when none is.
	deprecatedProps    map[string]bool
	isConst            bool
	loExclKw, hiExclKw bool
	tupleItems         bool
	requiredList       []string
	depKw              map[string]string
}

// opaqueState is what reachesOpaque knows about a node.
type opaqueState uint8

const (
	opaqueUnknown opaqueState = iota
	opaqueVisiting
	opaqueNo
	opaqueYes
)

// loc is the node's "path#/pointer".
func (n *node) loc() string { return n.file + "#" + n.ptr }

// isTrue reports whether the node accepts every value.
func (n *node) isTrue() bool {
	return n.remote == "" && n.types == tAll && !n.hasEnum && n.lo == nil && n.hi == nil && n.multipleOf == nil &&
		n.minLen < 0 && n.maxLen < 0 && n.pattern == "" && n.format == "" &&
		len(n.prefix) == 0 && (n.items == nil || n.items.isTrue()) && n.minItems <= 0 && n.maxItems < 0 && !n.unique && n.contains == nil &&
		len(n.props) == 0 && len(n.required) == 0 && (n.additional == nil || n.additional.isTrue()) && len(n.patternProps) == 0 &&
		n.propertyNames == nil && n.minProps <= 0 && n.maxProps < 0 && len(n.depRequired) == 0 && len(n.depSchemas) == 0 &&
		len(n.allOf) == 0 && len(n.anyOf) == 0 && len(n.oneOf) == 0 && n.not == nil && n.ifN == nil &&
		n.unevaluatedProps == nil && n.unevaluatedItems == nil
}

// isFalse reports whether the node accepts nothing as far as its types say.
func (n *node) isFalse() bool { return n.types == 0 }

// maxRefChain bounds how many $ref hops without assertions a schema may chain.
const maxRefChain = 64

// refOnly reports whether a compiled schema asserts nothing besides its $ref (annotations
// such as title, description and deprecated do not count).
func refOnly(s *js.Schema) bool {
	target := s.Ref
	if target == nil {
		target = s.DynamicRef
	}
	if target == nil {
		target = s.RecursiveRef
	}
	return target != nil && !hasAssertions(s, false)
}

func refTarget(s *js.Schema) *js.Schema {
	switch {
	case s.Ref != nil:
		return s.Ref
	case s.DynamicRef != nil:
		return s.DynamicRef
	}
	return s.RecursiveRef
}

// hasAssertions reports whether s has any assertion or applicator keyword, counting its
// $ref only when withRef is set.
func hasAssertions(s *js.Schema, withRef bool) bool {
	if withRef && (s.Ref != nil || s.DynamicRef != nil || s.RecursiveRef != nil) {
		return true
	}
	return s.Always != nil || len(s.Types) > 0 || s.Constant != nil || s.Enum != nil || s.Not != nil ||
		len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.If != nil ||
		s.MinProperties >= 0 || s.MaxProperties >= 0 || len(s.Required) > 0 || len(s.Properties) > 0 ||
		s.PropertyNames != nil || len(s.PatternProperties) > 0 || s.AdditionalProperties != nil ||
		len(s.Dependencies) > 0 || len(s.DependentRequired) > 0 || len(s.DependentSchemas) > 0 ||
		s.UnevaluatedProperties != nil || s.MinItems >= 0 || s.MaxItems >= 0 || s.UniqueItems ||
		s.Items != nil || s.AdditionalItems != nil || len(s.PrefixItems) > 0 || s.Items2020 != nil ||
		s.Contains != nil || s.UnevaluatedItems != nil || s.MinLength >= 0 || s.MaxLength >= 0 ||
		s.Pattern != nil || s.Format != "" || s.Minimum != nil || s.Maximum != nil ||
		s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil ||
		s.ContentEncoding != "" || s.ContentMediaType != ""
}

// resolve follows $ref hops (and single-member allOf wrappers) that assert nothing of their
// own, so that a refactor into $defs compares the definition itself. A cycle of such hops
// describes no structure at all and is an error.
func (sc *Schemas) resolve(s *js.Schema) (*js.Schema, error) {
	seen := map[*js.Schema]bool{}
	for i := 0; ; i++ {
		if seen[s] || i > maxRefChain {
			file, ptr := sc.locate(s.Location)
			return nil, sc.errAt(file, ptr, "cyclic $ref without structure: the schema only refers to itself")
		}
		seen[s] = true
		switch {
		case refOnly(s) && sc.remoteOf(refTarget(s).Location) != "":
			// A reference outside the input is known only by its URL, and is reported
			// where it is written (see refs.go).
			return s, nil
		case refOnly(s):
			s = refTarget(s)
		case len(s.AllOf) == 1 && !hasAssertionsBesidesAllOf(s):
			s = s.AllOf[0]
		default:
			return s, nil
		}
	}
}

func hasAssertionsBesidesAllOf(s *js.Schema) bool {
	c := *s
	c.AllOf = nil
	return hasAssertions(&c, true)
}

// nodeOf returns the normalized node of a compiled schema, building it once.
func (sc *Schemas) nodeOf(s *js.Schema) (*node, error) {
	r, err := sc.resolve(s)
	if err != nil {
		return nil, err
	}
	if n, ok := sc.nodes[r]; ok {
		return n, nil
	}
	sc.nextID++
	n := &node{s: r, side: sc, id: sc.nextID, minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1, maxContains: -1}
	n.file, n.ptr = sc.locate(r.Location)
	sc.nodes[r] = n
	if t := refTarget(r); t != nil && refOnly(r) {
		n.remote = sc.remoteOf(t.Location)
	}
	if n.remote == "" {
		n.remote = sc.remoteOf(r.Location)
	}
	if n.remote != "" {
		n.types = tAll
		return n, nil
	}
	if err := sc.fill(n, r); err != nil {
		return nil, err
	}
	return n, nil
}

// remoteSite returns the node of a reference outside the input written at file#ptr
// beside other keywords (see refs.go), building it once.
func (sc *Schemas) remoteSite(file, ptr, u string) *node {
	key := file + "#" + ptr
	if n, ok := sc.remoteSites[key]; ok {
		return n
	}
	n := sc.synthetic(file, ptr, true)
	n.synthetic, n.remote = false, u
	if sc.remoteSites == nil {
		sc.remoteSites = map[string]*node{}
	}
	sc.remoteSites[key] = n
	return n
}

// synthetic returns a node standing for an absent keyword at file#ptr: accepting
// everything (accept true) or nothing.
func (sc *Schemas) synthetic(file, ptr string, accept bool) *node {
	sc.nextID++
	n := &node{side: sc, id: sc.nextID, file: file, ptr: ptr, synthetic: true, minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1, maxContains: -1}
	if accept {
		n.types = tAll
	}
	return n
}

func (sc *Schemas) fill(n *node, s *js.Schema) error {
	sub := func(x *js.Schema) (*node, error) {
		if x == nil {
			return nil, nil
		}
		return sc.nodeOf(x)
	}
	subs := func(xs []*js.Schema) ([]*node, error) {
		out := make([]*node, 0, len(xs))
		for _, x := range xs {
			c, err := sub(x)
			if err != nil {
				return nil, err
			}
			out = append(out, c)
		}
		return out, nil
	}
	var err error
	n.types = tAll
	if s.Always != nil {
		if !*s.Always {
			n.types = 0
		}
		return nil
	}
	if len(s.Types) > 0 {
		n.declaredTypes = true
		n.types = 0
		for _, t := range s.Types {
			n.types |= parseType(t)
		}
	}
	// const and enum: the values the schema itself accepts.
	var values []any
	switch {
	case s.Constant != nil:
		values = []any{s.Constant[0]}
		n.hasEnum, n.isConst = true, true
	case s.Enum != nil:
		values = s.Enum
		n.hasEnum = true
	}
	if n.hasEnum {
		n.setEnum(values, func(v any) bool { return s.Validate(v) == nil })
	}
	// Numbers: draft-04 boolean exclusive bounds arrive already folded by the compiler.
	n.lo, n.loExcl = s.Minimum, false
	if s.ExclusiveMinimum != nil && (n.lo == nil || s.ExclusiveMinimum.Cmp(n.lo) >= 0) {
		n.lo, n.loExcl = s.ExclusiveMinimum, true
	}
	n.loExclKw = s.ExclusiveMinimum != nil && s.Minimum == nil
	n.hi, n.hiExcl = s.Maximum, false
	if s.ExclusiveMaximum != nil && (n.hi == nil || s.ExclusiveMaximum.Cmp(n.hi) <= 0) {
		n.hi, n.hiExcl = s.ExclusiveMaximum, true
	}
	n.hiExclKw = s.ExclusiveMaximum != nil && s.Maximum == nil
	n.multipleOf = s.MultipleOf
	n.minLen, n.maxLen = s.MinLength, s.MaxLength
	if s.Pattern != nil {
		n.pattern, n.patternRe = s.Pattern.String(), s.Pattern
		if n.pattern == "" {
			if p, ok := sc.rawPattern(n.file, n.ptr); ok {
				n.pattern, n.patternRe = p, nil // an ECMA-262 pattern RE2 cannot compile (ecma.go)
			}
		}
		n.patternX = compileRegex(n.pattern)
	}
	n.format = s.Format
	// Arrays: draft 2020-12 prefixItems/items and the older items array/additionalItems.
	n.minItems, n.maxItems, n.unique = s.MinItems, s.MaxItems, s.UniqueItems
	if n.prefix, err = subs(s.PrefixItems); err != nil {
		return err
	}
	if s.Items2020 != nil {
		if n.items, err = sub(s.Items2020); err != nil {
			return err
		}
	}
	switch items := s.Items.(type) {
	case *js.Schema:
		if n.items, err = sub(items); err != nil {
			return err
		}
	case []*js.Schema:
		n.tupleItems = true
		if n.prefix, err = subs(items); err != nil {
			return err
		}
		switch ai := s.AdditionalItems.(type) {
		case bool:
			if !ai {
				n.items = sc.synthetic(n.file, n.ptr+"/additionalItems", false)
			}
		case *js.Schema:
			if n.items, err = sub(ai); err != nil {
				return err
			}
		}
	}
	if s.Contains != nil {
		if n.contains, err = sub(s.Contains); err != nil {
			return err
		}
		n.minContains, n.maxContains = s.MinContains, s.MaxContains
	}
	// Objects.
	n.props = map[string]*node{}
	for name, ps := range s.Properties {
		c, err := sub(ps)
		if err != nil {
			return err
		}
		if ps.Deprecated {
			if n.deprecatedProps == nil {
				n.deprecatedProps = map[string]bool{}
			}
			n.deprecatedProps[name] = true
		}
		n.props[name] = c
		n.propNames = append(n.propNames, name)
	}
	sort.Strings(n.propNames)
	n.required = map[string]bool{}
	n.requiredList = s.Required
	for _, r := range s.Required {
		n.required[r] = true
	}
	additional := s.AdditionalProperties
	if es, ok := s.Extensions["compatcheck-ecma"].(*ecmaSchema); ok && es.additional != nil {
		additional = es.additional // moved beside regexes RE2 cannot read (ecma.go)
	}
	switch ap := additional.(type) {
	case bool:
		if !ap { // additionalProperties: true means the same as leaving it out
			n.additional = sc.synthetic(n.file, n.ptr+"/additionalProperties", false)
		}
	case *js.Schema:
		if n.additional, err = sub(ap); err != nil {
			return err
		}
	}
	for re, ps := range s.PatternProperties {
		c, err := sub(ps)
		if err != nil {
			return err
		}
		src := sc.realPatternName(n.file, n.ptr, re.String())
		n.patternProps = append(n.patternProps, patternProp{src: src, re: compileRegex(src), n: c})
	}
	sort.Slice(n.patternProps, func(i, j int) bool { return n.patternProps[i].src < n.patternProps[j].src })
	if n.propertyNames, err = sub(s.PropertyNames); err != nil {
		return err
	}
	n.minProps, n.maxProps = s.MinProperties, s.MaxProperties
	n.depRequired = map[string][]string{}
	n.depSchemas = map[string]*node{}
	n.depKw = map[string]string{}
	for k, v := range s.DependentRequired {
		n.depRequired[k] = v
		n.depKw[k] = "dependentRequired"
	}
	for k, v := range s.DependentSchemas {
		if n.depSchemas[k], err = sub(v); err != nil {
			return err
		}
	}
	for k, v := range s.Dependencies {
		switch v := v.(type) {
		case []string:
			n.depRequired[k] = v
			if n.depKw[k] == "" {
				n.depKw[k] = "dependencies"
			}
		case *js.Schema:
			if n.depKw[k] == "" {
				n.depKw[k] = "dependencies"
			}
			if n.depSchemas[k], err = sub(v); err != nil {
				return err
			}
		}
	}
	// Applicators. A $ref beside other assertions is one more conjunct.
	if t := refTarget(s); t != nil {
		var c *node
		if u := sc.remoteOf(t.Location); u != "" {
			c = sc.remoteSite(n.file, n.ptr+"/$ref", u)
		} else if c, err = sub(t); err != nil {
			return err
		}
		n.allOf = append(n.allOf, c)
		n.refMember = true
	}
	more, err := subs(s.AllOf)
	if err != nil {
		return err
	}
	n.allOf = append(n.allOf, more...)
	if n.anyOf, err = subs(s.AnyOf); err != nil {
		return err
	}
	if n.oneOf, err = subs(s.OneOf); err != nil {
		return err
	}
	if n.not, err = sub(s.Not); err != nil {
		return err
	}
	if s.If != nil {
		if n.ifN, err = sub(s.If); err != nil {
			return err
		}
		if n.thenN, err = sub(s.Then); err != nil {
			return err
		}
		if n.elseN, err = sub(s.Else); err != nil {
			return err
		}
	}
	if n.unevaluatedProps, err = sub(s.UnevaluatedProperties); err != nil {
		return err
	}
	if n.unevaluatedItems, err = sub(s.UnevaluatedItems); err != nil {
		return err
	}
	n.readOnly, n.writeOnly, n.deprecated = s.ReadOnly, s.WriteOnly, s.Deprecated
	return nil
}

// setEnum keeps the distinct enum (or const) values the schema itself accepts, and
// narrows the node's types to theirs.
func (n *node) setEnum(values []any, accepts func(any) bool) {
	seen := map[string]bool{}
	for _, v := range values {
		k := canonical(v)
		if seen[k] || !accepts(v) {
			continue
		}
		seen[k] = true
		n.enum = append(n.enum, v)
	}
	var et typeSet
	for _, v := range n.enum {
		et |= typeOf(v)
	}
	n.types &= et
}

// canonical is a deterministic JSON spelling of a value with numbers normalized, so that
// 1, 1.0 and 1e0 are the same enum member.
func canonical(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch v := v.(type) {
	case map[string]any:
		keys := objectKeys(v)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeCanonical(b, v[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		if r, ok := new(big.Rat).SetString(string(v)); ok {
			b.WriteString(ratString(r))
			return
		}
		b.WriteString(string(v))
	case float64:
		b.WriteString(ratString(new(big.Rat).SetFloat64(v)))
	default:
		out, _ := json.Marshal(v)
		b.Write(out)
	}
}

// ratString prints a rational as a JSON number when it has a finite decimal expansion,
// else as a fraction (only used in messages and keys).
func ratString(r *big.Rat) string {
	if r == nil {
		return "none"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	if s, exact := r.FloatPrec(); exact {
		return r.FloatString(s)
	}
	return fmt.Sprintf("%s/%s", r.Num(), r.Denom())
}

// compactJSON is the compact, deterministic encoding used for values in messages and
// witnesses.
func compactJSON(v any) string { return canonical(v) }
