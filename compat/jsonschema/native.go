package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"net/url"
	"sort"
	"strconv"
	"strings"

	js "github.com/santhosh-tekuri/jsonschema/v5"
)

// The validator library compiles every schema a comparison reaches, $refs included, and
// checks each document against its draft's metaschema first; on a large API that is most
// of the comparison's time and memory. For the documents most APIs are made of, the
// model is built straight from the decoded documents instead ("native" mode), and the
// library only answers the questions the engine asks it about values (see validNode).
//
// A version is native only when every one of its documents
//   - uses only keywords the library compiles identically under draft-07 and the
//     document's own draft (draft7Keywords), $defs, deprecated, and keywords of no draft
//     at all (discriminator, extensions), which assert nothing;
//   - has no keyword that asserts anything beside a $ref, and $id only at the root, when
//     every $ref of the document is a fragment;
//   - passes the checks the metaschemas make (see walk);
//   - has every $ref resolve to a schema of the version, and no cycle of schemas applying
//     to the same instance (which the library reports as an infinite loop).
//
// Anything else, valid or not, goes through the library as before, so errors read
// exactly as they always did. The differential tests (native_test.go) build both models
// for every golden archive and arbitrary documents and require them to be equal.

// nativeIndex is what the native checks learn about a version: every schema location
// and the target of every $ref.
type nativeIndex struct {
	locs map[string]any    // "file#ptr" → the schema there (an object or a boolean)
	refs map[string]string // "file#ptr" of a schema with a $ref → "file#ptr" of its target
}

// nativeIndexOf checks the documents for native mode and indexes them, or returns nil.
func nativeIndexOf(docs []*Document) *nativeIndex {
	ix := &nativeIndex{locs: map[string]any{}, refs: map[string]string{}}
	type refSite struct{ file, at, ref string }
	var refs []refSite
	for _, d := range docs {
		m, ok := d.Value.(map[string]any)
		if !ok {
			return nil
		}
		if s, has := m["$schema"]; has {
			str, _ := s.(string)
			if strings.TrimSuffix(str, "#") != draft2020URL {
				return nil
			}
		}
		// A root $id changes the base its document's relative references resolve
		// against; native mode takes it only when every $ref of the document is a
		// fragment, which resolves in the document whatever its base.
		id, hasID := m["$id"]
		if hasID && !plainRootID(id) {
			return nil
		}
		rebased := false
		ok = ix.walk(d.Path, "", m, 0, func(at, ref string) {
			rebased = rebased || (hasID && !strings.HasPrefix(ref, "#"))
			refs = append(refs, refSite{d.Path, at, ref})
		})
		if !ok || rebased {
			return nil
		}
	}
	paths := map[string]bool{}
	for _, d := range docs {
		paths[d.Path] = true
	}
	for _, r := range refs {
		target, ok := nativeRef(paths, r.file, r.ref)
		if !ok {
			return nil
		}
		if _, ok := ix.locs[target]; !ok {
			return nil
		}
		ix.refs[r.at] = target
	}
	if ix.sameInstanceCycle() {
		return nil
	}
	return ix
}

// nativeRef resolves a $ref found in file as the library does, to "file#ptr".
func nativeRef(paths map[string]bool, file, ref string) (string, bool) {
	target, ptr, err := resolveLocalRef(func(p string) bool { return paths[p] }, file, ref)
	return target + "#" + ptr, err == nil
}

// resolveLocalRef resolves a $ref found in document file as the library does, to a
// document isDoc knows and a JSON pointer in it; anything else is an error saying why.
func resolveLocalRef(isDoc func(string) bool, file, ref string) (string, string, error) {
	base, err := url.Parse(docURL(file))
	if err != nil {
		return "", "", err
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", "", fmt.Errorf("jsonschema: invalid $ref %q in %s: %v", ref, file, err)
	}
	abs := base.ResolveReference(u).String()
	doc, frag, _ := strings.Cut(abs, "#")
	target, ok := docPath(doc)
	if !ok {
		return "", "", fmt.Errorf("jsonschema: $ref %q in %s leaves the input tree", ref, file)
	}
	if !isDoc(target) {
		return "", "", fmt.Errorf("jsonschema: $ref %q in %s: no such schema document", ref, file)
	}
	ptr, err := url.PathUnescape(frag)
	if err != nil {
		return "", "", fmt.Errorf("jsonschema: invalid $ref %q in %s: %v", ref, file, err)
	}
	if ptr != "" && !strings.HasPrefix(ptr, "/") {
		return "", "", fmt.Errorf("jsonschema: $ref %q in %s is not a JSON pointer", ref, file)
	}
	return target, ptr, nil
}

// walk checks the schema v at file#ptr the way the draft-07 metaschema (and the
// library's compiler) would, indexing it and reporting its $refs. It answers false for
// anything it is not sure of.
func (ix *nativeIndex) walk(file, ptr string, v any, depth int, ref func(at, ref string)) bool {
	if depth > maxDecodeDepth {
		return false
	}
	at := file + "#" + ptr
	switch v.(type) {
	case bool:
		ix.locs[at] = v
		return true
	case map[string]any:
	default:
		return false
	}
	m := v.(map[string]any)
	if _, ref := m["$ref"]; ref {
		// Draft-07 ignores a $ref's siblings and later drafts apply them: only siblings
		// that assert nothing (definitions, annotations) read the same either way.
		for k := range m {
			if !refSibling[k] && jsonSchemaKeywords[k] {
				return false
			}
		}
	}
	ix.locs[at] = v
	sub := func(k string, x any) bool {
		return ix.walk(file, ptr+"/"+escapePointer(k), x, depth+1, ref)
	}
	for k, x := range m {
		ok := true
		switch k {
		case "$schema":
			_, ok = x.(string)
			ok = ok && ptr == ""
		case "$id":
			ok = ptr == "" // checked by plainRootID
		case "$ref":
			var s string
			s, ok = x.(string)
			if ok {
				ref(at, s)
			}
		case "type":
			ok = validTypeKeyword(x)
		case "enum", "examples":
			_, ok = x.([]any)
		case "const", "default":
		case "multipleOf":
			r, isNum := nativeRat(x)
			ok = isNum && r.Sign() > 0
		case "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum":
			_, ok = nativeRat(x)
		case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties":
			ok = plainNonNegativeInteger(x)
		case "pattern":
			_, ok = x.(string) // one RE2 cannot read is compared as text (ecma.go)
		case "format", "title", "description", "$comment":
			_, ok = x.(string)
		case "uniqueItems", "readOnly", "writeOnly", "deprecated":
			_, ok = x.(bool)
		case "required":
			ok = uniqueStrings(x)
		case "items", "additionalItems", "additionalProperties", "propertyNames", "if", "then", "else", "not":
			ok = sub(k, x)
		case "properties", "patternProperties", "definitions", "$defs":
			ps, isMap := x.(map[string]any)
			ok = isMap
			for name, e := range ps {
				if !ok {
					break
				}
				ok = ix.walk(file, ptr+"/"+k+"/"+escapePointer(name), e, depth+2, ref)
			}
		case "allOf", "anyOf", "oneOf":
			list, isList := x.([]any)
			ok = isList && len(list) > 0
			for i, e := range list {
				if !ok {
					break
				}
				ok = ix.walk(file, ptr+"/"+k+"/"+strconv.Itoa(i), e, depth+2, ref)
			}
		default:
			// A keyword of no draft (discriminator, xml, extensions) asserts nothing and
			// the library never looks inside it; one of another draft is not read here.
			ok = !jsonSchemaKeywords[k]
		}
		if !ok {
			return false
		}
	}
	return true
}

// jsonSchemaKeywords are the keywords of every draft from 4 to 2020-12.
var jsonSchemaKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`$schema $id id $ref $anchor $dynamicRef $dynamicAnchor $recursiveRef
		$recursiveAnchor $vocabulary $comment $defs definitions type enum const multipleOf maximum
		exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern format items
		additionalItems prefixItems contains minContains maxContains maxItems minItems uniqueItems
		maxProperties minProperties required properties patternProperties additionalProperties
		dependencies dependentRequired dependentSchemas propertyNames if then else allOf anyOf oneOf
		not unevaluatedItems unevaluatedProperties contentEncoding contentMediaType contentSchema
		title description default deprecated readOnly writeOnly examples`) {
		jsonSchemaKeywords[k] = true
	}
}

// refSibling lists the keywords that may stand beside a $ref in native mode.
var refSibling = map[string]bool{"$ref": true, "$schema": true, "$defs": true, "definitions": true, "title": true,
	"description": true, "$comment": true, "examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true}

// plainRootID reports whether a root $id is an absolute URI without a fragment, as the
// metaschema requires and as the library registers it.
func plainRootID(x any) bool {
	s, ok := x.(string)
	if !ok || s == "" {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return false
	}
	base, frag, _ := strings.Cut(s, "#")
	return frag == "" && !strings.Contains(base, "#")
}

func validTypeKeyword(x any) bool {
	switch t := x.(type) {
	case string:
		return parseType(t) != 0
	case []any:
		if len(t) == 0 {
			return false
		}
		seen := map[string]bool{}
		for _, e := range t {
			s, ok := e.(string)
			if !ok || parseType(s) == 0 || seen[s] {
				return false
			}
			seen[s] = true
		}
		return true
	}
	return false
}

func uniqueStrings(x any) bool {
	list, ok := x.([]any)
	if !ok {
		return false
	}
	seen := map[string]bool{}
	for _, e := range list {
		s, ok := e.(string)
		if !ok || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

// numberText is the JSON spelling of a number, as the library reads it back after the
// document is encoded for it.
func numberText(x any) (string, bool) {
	switch x := x.(type) {
	case json.Number:
		return string(x), true
	case float64:
		b, err := json.Marshal(x)
		return string(b), err == nil
	}
	return "", false
}

// nativeRat reads a number keyword exactly as the library does.
func nativeRat(x any) (*big.Rat, bool) {
	s, ok := numberText(x)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

// plainNonNegativeInteger accepts only digit strings, the spelling every validator reads
// as a non-negative integer; other spellings (1.0, 1e2) are left to the library.
func plainNonNegativeInteger(x any) bool {
	s, ok := numberText(x)
	if !ok || s == "" || len(s) > 15 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// nativeInt reads a length or count keyword, -1 when absent.
func nativeInt(m map[string]any, k string) int {
	x, ok := m[k]
	if !ok {
		return -1
	}
	s, _ := numberText(x)
	i, _ := strconv.Atoi(s)
	return i
}

// sameInstanceCycle reports whether some schema applies itself to the same instance
// through $ref, allOf, anyOf, oneOf, not or if/then/else. Such a cycle passes through a
// $ref, so the search starts from the $refs only; the answer does not depend on order.
func (ix *nativeIndex) sameInstanceCycle() bool {
	const (
		active = 1
		done   = 2
	)
	state := map[string]uint8{}
	var visit func(at string) bool
	visit = func(at string) bool {
		switch state[at] {
		case active:
			return true
		case done:
			return false
		}
		state[at] = active
		for _, next := range ix.sameInstance(at) {
			if visit(next) {
				return true
			}
		}
		state[at] = done
		return false
	}
	for at := range ix.refs {
		if visit(at) {
			return true
		}
	}
	return false
}

// sameInstance lists the schemas the schema at applies to the instance it validates.
func (ix *nativeIndex) sameInstance(at string) []string {
	m, ok := ix.locs[at].(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	if t, ok := ix.refs[at]; ok {
		out = append(out, t)
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		list, _ := m[k].([]any)
		for i := range list {
			out = append(out, at+"/"+k+"/"+strconv.Itoa(i))
		}
	}
	keys := []string{"not"}
	if m["if"] != nil {
		keys = append(keys, "if", "then", "else")
	}
	for _, k := range keys {
		if _, ok := m[k]; ok {
			out = append(out, at+"/"+k)
		}
	}
	return out
}

// nativeAsserts mirrors hasAssertions for a schema of the native subset: whether it
// asserts anything besides its allOf (and its $ref, unless withRef).
func nativeAsserts(m map[string]any, withRef bool) bool {
	for k, x := range m {
		switch k {
		case "$ref":
			if withRef {
				return true
			}
		case "type", "const", "enum", "not", "if", "minProperties", "maxProperties", "propertyNames",
			"additionalProperties", "minItems", "maxItems", "items", "minLength", "maxLength", "pattern",
			"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "anyOf", "oneOf":
			return true
		case "required":
			if l, _ := x.([]any); len(l) > 0 {
				return true
			}
		case "properties", "patternProperties":
			if ps, _ := x.(map[string]any); len(ps) > 0 {
				return true
			}
		case "uniqueItems":
			if b, _ := x.(bool); b {
				return true
			}
		case "format":
			if s, _ := x.(string); s != "" {
				return true
			}
		}
	}
	return false
}

// nativeResolve follows the hops resolve follows (a lone $ref, a lone single-member
// allOf) from the schema at "file#ptr".
func (sc *Schemas) nativeResolve(at string) string {
	for i := 0; i <= maxRefChain; i++ {
		m, ok := sc.native.locs[at].(map[string]any)
		if !ok {
			return at
		}
		if t, ok := sc.native.refs[at]; ok {
			at = t
			continue
		}
		if all, _ := m["allOf"].([]any); len(all) == 1 && !nativeAsserts(m, true) {
			at += "/allOf/0"
			continue
		}
		return at
	}
	return at // unreachable: the index has no same-instance cycles
}

// nativeNode returns the node of the schema at "file#ptr", building it once.
func (sc *Schemas) nativeNode(at string) *node {
	at = sc.nativeResolve(at)
	if n, ok := sc.nnodes[at]; ok {
		return n
	}
	sc.nextID++
	n := &node{side: sc, id: sc.nextID, native: true, minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1, maxContains: -1}
	n.file, n.ptr, _ = strings.Cut(at, "#")
	n.raw, _ = sc.native.locs[at].(map[string]any)
	sc.nnodes[at] = n
	sc.nativeFill(n, at)
	return n
}

// pendingEnum is a native node whose enum values still have to be filtered by the schema.
type pendingEnum struct {
	n      *node
	values []any
}

// flushEnums filters the enum values of the nodes built since the last flush, keeping
// those the schema itself accepts (as fill does). The questions typeAndEnumOnly cannot
// answer go to the library, whose pruned schemas for all those nodes are compiled as one
// document first: compiling them one by one costs a compiler and a metaschema check each.
func (sc *Schemas) flushEnums() {
	pending := sc.pendingEnums
	sc.pendingEnums = nil
	var locs []string
	for _, p := range pending {
		for _, v := range p.values {
			if _, decided := typeAndEnumOnly(p.n, v); !decided {
				locs = append(locs, p.n.file+"#"+p.n.ptr)
				break
			}
		}
	}
	if len(locs) > 1 {
		sc.prepareScalars(locs)
	}
	for _, p := range pending {
		p.n.setEnum(p.values, func(v any) bool { return sc.validNode(p.n, v) })
	}
}

// nativeFill fills n from the schema at "file#ptr" as fill does from the compiled schema.
func (sc *Schemas) nativeFill(n *node, at string) {
	n.types = tAll
	v := sc.native.locs[at]
	if b, ok := v.(bool); ok {
		if !b {
			n.types = 0
		}
		return
	}
	m := v.(map[string]any)
	sub := func(k string) *node {
		if _, ok := m[k]; !ok {
			return nil
		}
		return sc.nativeNode(at + "/" + k)
	}
	subs := func(k string) []*node {
		list, _ := m[k].([]any)
		out := make([]*node, 0, len(list))
		for i := range list {
			out = append(out, sc.nativeNode(at+"/"+k+"/"+strconv.Itoa(i)))
		}
		return out
	}
	if t, ok := m["type"]; ok {
		n.declaredTypes = true
		n.types = 0
		switch t := t.(type) {
		case string:
			n.types = parseType(t)
		case []any:
			for _, e := range t {
				n.types |= parseType(e.(string))
			}
		}
	}
	var values []any
	if c, ok := m["const"]; ok {
		values = []any{asLibraryDecodes(c)}
		n.hasEnum, n.isConst = true, true
	} else if e, ok := m["enum"].([]any); ok {
		values = make([]any, len(e))
		for i, x := range e {
			values[i] = asLibraryDecodes(x)
		}
		n.hasEnum = true
	}
	if n.hasEnum {
		// Filtered once the whole closure is built (see flushEnums), so that the
		// library compiles the schemas it is asked about together.
		sc.pendingEnums = append(sc.pendingEnums, pendingEnum{n, values})
	}
	rat := func(k string) *big.Rat {
		x, ok := m[k]
		if !ok {
			return nil
		}
		r, _ := nativeRat(x)
		return r
	}
	min, xmin := rat("minimum"), rat("exclusiveMinimum")
	n.lo = min
	if xmin != nil && (n.lo == nil || xmin.Cmp(n.lo) >= 0) {
		n.lo, n.loExcl = xmin, true
	}
	n.loExclKw = xmin != nil && min == nil
	max, xmax := rat("maximum"), rat("exclusiveMaximum")
	n.hi = max
	if xmax != nil && (n.hi == nil || xmax.Cmp(n.hi) <= 0) {
		n.hi, n.hiExcl = xmax, true
	}
	n.hiExclKw = xmax != nil && max == nil
	n.multipleOf = rat("multipleOf")
	n.minLen, n.maxLen = nativeInt(m, "minLength"), nativeInt(m, "maxLength")
	if p, ok := m["pattern"].(string); ok {
		n.pattern = p
		n.patternX = compileRegex(p)
		n.patternRe = n.patternX.re2 // nil for an ECMA-262 pattern RE2 cannot compile
	}
	n.format, _ = m["format"].(string)
	n.minItems, n.maxItems = nativeInt(m, "minItems"), nativeInt(m, "maxItems")
	n.unique, _ = m["uniqueItems"].(bool)
	n.items = sub("items")
	// Maps stay nil when empty: most schemas have no properties, none has dependencies.
	if ps, ok := m["properties"].(map[string]any); ok && len(ps) > 0 {
		n.props = make(map[string]*node, len(ps))
		n.propNames = make([]string, 0, len(ps))
		for name, x := range ps {
			if pm, ok := x.(map[string]any); ok && pm["deprecated"] == true {
				if n.deprecatedProps == nil {
					n.deprecatedProps = map[string]bool{}
				}
				n.deprecatedProps[name] = true
			}
			n.props[name] = sc.nativeNode(at + "/properties/" + escapePointer(name))
			n.propNames = append(n.propNames, name)
		}
	}
	sort.Strings(n.propNames)
	if req, ok := m["required"].([]any); ok {
		n.required = make(map[string]bool, len(req))
		n.requiredList = make([]string, len(req))
		for i, r := range req {
			n.requiredList[i] = r.(string)
			n.required[r.(string)] = true
		}
	}
	switch ap := m["additionalProperties"].(type) {
	case bool:
		if !ap {
			n.additional = sc.synthetic(n.file, n.ptr+"/additionalProperties", false)
		}
	case map[string]any:
		n.additional = sub("additionalProperties")
	}
	if pps, ok := m["patternProperties"].(map[string]any); ok {
		for src := range pps {
			n.patternProps = append(n.patternProps, patternProp{src: src, re: compileRegex(src), n: sc.nativeNode(at + "/patternProperties/" + escapePointer(src))})
		}
	}
	sort.Slice(n.patternProps, func(i, j int) bool { return n.patternProps[i].src < n.patternProps[j].src })
	n.propertyNames = sub("propertyNames")
	n.minProps, n.maxProps = nativeInt(m, "minProperties"), nativeInt(m, "maxProperties")
	if _, ok := sc.native.refs[at]; ok {
		n.allOf = append(n.allOf, sc.nativeNode(sc.native.refs[at]))
		n.refMember = true
	}
	n.allOf = append(n.allOf, subs("allOf")...)
	n.anyOf = subs("anyOf")
	n.oneOf = subs("oneOf")
	n.not = sub("not")
	if m["if"] != nil {
		n.ifN, n.thenN, n.elseN = sub("if"), sub("then"), sub("else")
	}
	n.readOnly, _ = m["readOnly"].(bool)
	n.writeOnly, _ = m["writeOnly"].(bool)
	n.deprecated, _ = m["deprecated"].(bool)
}

// asLibraryDecodes returns an instance value as the library decodes it from the encoded
// document: numbers as json.Number.
func asLibraryDecodes(v any) any {
	if !hasFloat(v) {
		return v
	}
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	if dec.Decode(&out) != nil {
		return v
	}
	return out
}

func hasFloat(v any) bool {
	switch v := v.(type) {
	case float64:
		return true
	case map[string]any:
		for _, x := range v {
			if hasFloat(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasFloat(x) {
				return true
			}
		}
	}
	return false
}

// validNode reports whether the schema of native node n accepts v, asking the library:
// about a pruned copy of the schema holding only what validating v reaches (see
// prune.go), or, when no such copy can be built, about the schema itself.
func (sc *Schemas) validNode(n *node, v any) bool {
	if ok, decided := typeAndEnumOnly(n, v); decided {
		return ok
	}
	if ok, err := sc.validAt(n.file, n.ptr, v); err == nil {
		return ok
	}
	s, err := sc.fullSchema(n.file, n.ptr)
	if err != nil {
		return false
	}
	return s.Validate(v) == nil
}

// built reports whether the schema at ref ("path#/pointer") already has its node.
func (sc *Schemas) built(ref string) bool {
	if sc.native != nil {
		file, ptr := splitRef(ref)
		_, ok := sc.nnodes[sc.nativeResolve(file+"#"+ptr)]
		return ok
	}
	_, ok := sc.compiled[ref]
	return ok
}

// fullSchema compiles the schema at file#ptr with the library (once).
func (sc *Schemas) fullSchema(file, ptr string) (*js.Schema, error) {
	ref := file + "#" + ptr
	if s, ok := sc.compiled[ref]; ok {
		return s, nil
	}
	s, err := sc.compileAt(file, ptr)
	if err != nil {
		// A compiler that failed once may hand out schemas with their failing $ref left
		// out; the next question starts from a fresh one.
		sc.compiler, sc.exact = nil, nil
		return nil, err
	}
	sc.compiled[ref] = s
	return s, nil
}

// typeAndEnumOnly answers, without the library, whether a schema that asserts nothing but
// its type and enum (or const) accepts a string, boolean or null: the schema of most
// enum-valued properties, whose values every comparison checks against the other side.
// Equality of such values is plain equality. decided is false for every other case.
func typeAndEnumOnly(n *node, v any) (ok, decided bool) {
	switch v.(type) {
	case string, bool, nil:
	default:
		return false, false
	}
	if n.raw == nil {
		return false, false
	}
	for k := range n.raw {
		switch k {
		case "type", "enum", "const", "title", "description", "default", "examples", "$comment", "readOnly", "writeOnly":
		default:
			return false, false
		}
	}
	var t typeSet
	if x, ok := n.raw["type"]; ok {
		switch x := x.(type) {
		case string:
			t = parseType(x)
		case []any:
			for _, e := range x {
				s, _ := e.(string)
				t |= parseType(s)
			}
		}
	} else {
		t = tAll
	}
	if typeOf(v)&t == 0 {
		return false, true
	}
	var values []any
	if c, ok := n.raw["const"]; ok {
		values = []any{c}
	} else if e, ok := n.raw["enum"].([]any); ok {
		values = e
	} else {
		return true, true
	}
	for _, e := range values {
		if e == v {
			return true, true
		}
	}
	return false, true
}
