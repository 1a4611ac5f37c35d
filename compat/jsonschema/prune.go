package jsonschema

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	js "github.com/santhosh-tekuri/jsonschema/v5"
)

// Pruned-schema validation.
//
// The engine asks the validator library whether the schema at file#ptr accepts a value
// (enum filtering, comparing enums, verifying witnesses). Compiling file#ptr with the
// library compiles its whole $ref closure, which for a large API is the entire API. The
// value only ever reaches a small part of that closure, so validAt builds a standalone
// draft-07 document holding only what validating the value can reach, compiles that
// small document, and caches it.
//
// Pruning follows the value: prune(schema, vals) gets every instance value the validator
// could evaluate the subschema against (a superset is always correct). Keywords applying
// to the same instance (allOf, anyOf, oneOf, not, if/then/else, $ref) keep vals; object
// keywords get the property values (or names) of the object values, array keywords the
// elements of the array values, and keywords of a kind no value has are dropped. A
// subschema no value reaches becomes {}. Each $ref target, pruned for a set of values, is
// emitted once into the output root's definitions; reaching the same target at the same
// values while pruning it is a $ref cycle without structure, which the library refuses,
// and is an error here.
//
// Pruning reads keywords as the library compiles them: then and else only next to an
// if, additionalItems never (the library applies it only next to an array-valued items,
// which the subset excludes). Definitions are dropped (only $refs reach them).
//
// Pruning never looks at a scalar, so the pruned document depends only on the shape of
// the value (its objects' keys and its arrays' lengths): compiled pruned schemas are
// cached per file#ptr and shape, and one serves every scalar.
//
// Only the documents of a native version (see native.go), and documents registered as
// draft-07 (see compileAsDraft7), are supported: every keyword they use reads the same
// under draft-07, which the pruned document is compiled as. Anything else is an error, on
// which the caller compiles the real schema instead.

// maxPrunedSchemas bounds how many schema objects one pruned document may hold.
const maxPrunedSchemas = 50_000

// maxPruneDepth bounds how deeply pruning recurses (schemas within schemas, $refs
// followed): a value nested as deeply as a document may be (maxDecodeDepth), through a
// recursive definition that takes two steps a level, still prunes.
const maxPruneDepth = 4 * maxDecodeDepth

// maxPruneCache bounds how many pruned schemas are kept for values that are objects or
// arrays (by shape and by document); a full map is emptied.
const maxPruneCache = 4096

// prunedURL is the URL every pruned document is registered under, in its own compiler.
const prunedURL = "file:///compatcheck-pruned/schema.json"

// pruneCache holds the compiled pruned schemas of one Schemas value. It has its own
// mutex: callers of validAt may hold sc.mu.
type pruneCache struct {
	mu sync.Mutex
	// draft7 records, per document path, whether the document is registered as draft-07.
	draft7 map[string]bool
	// scalar holds, per "file#ptr", the pruned schema for values that are neither objects
	// nor arrays: it keeps no object or array keyword, so it is the same for all of them.
	scalar map[string]*prunedSchema
	// shapes holds pruned schemas by "file#ptr" and the shape of the value (see
	// writeShape), on which alone the pruned document depends: witnesses that differ only
	// in their scalars share one.
	shapes map[string]*prunedSchema
	// docs holds compiled pruned documents by their JSON encoding, shared by the
	// locations and shapes that prune alike.
	docs map[string]*prunedSchema
	// results holds the library's answers by the SHA-256 of "file#ptr", NUL and the
	// exact value (see writeExact; candidates are often kilobytes of JSON, which as keys
	// were 8 % of Stripe's live heap). A component reached from many operations is
	// compared with many partners, and each comparison checks the same witness
	// candidates against it again: on the Cloudflare corpus only 15,000 of 54,000
	// questions are distinct. It is bounded like the shape map.
	results map[[sha256.Size]byte]bool
}

// prunedSchema is one compiled pruned document, or why it could not be built.
type prunedSchema struct {
	s   *js.Schema
	err error
}

// pruneCache returns sc's cache of pruned schemas.
func (sc *Schemas) pruneCache() *pruneCache { return sc.prune }

func newPruneCache() *pruneCache {
	return &pruneCache{
		draft7:  map[string]bool{},
		scalar:  map[string]*prunedSchema{},
		shapes:  map[string]*prunedSchema{},
		docs:    map[string]*prunedSchema{},
		results: map[[sha256.Size]byte]bool{},
	}
}

// validAt reports whether the schema at file#ptr accepts v, checked by the validator
// library on a pruned standalone copy of the schema (see above). err != nil means the
// pruned copy could not be built or compiled, or the library could not validate v (an
// infinite loop, a value that is not JSON); the caller then falls back to compiling the
// real schema.
func (sc *Schemas) validAt(file, ptr string, v any) (bool, error) {
	return sc.remembered(exactKey(file, ptr, v), func(cache *pruneCache) (bool, error) {
		return sc.validAtUncached(cache, file, ptr, v)
	})
}

// validCompiled reports whether the compiled schema of the library node n accepts v.
// Witness searches ask the same question many times (on vector.json of SchemaStore, four
// times in five), and the library spends most of a rejection building its error.
func (sc *Schemas) validCompiled(n *node, v any) bool {
	ok, _ := sc.remembered(exactKey("\x00compiled", strconv.Itoa(n.id), v), func(*pruneCache) (bool, error) {
		return n.s.Validate(v) == nil, nil
	})
	return ok
}

// remembered returns the validation answer kept under key, or runs check and keeps
// its answer.
func (sc *Schemas) remembered(key [sha256.Size]byte, check func(*pruneCache) (bool, error)) (bool, error) {
	cache := sc.pruneCache()
	cache.mu.Lock()
	ok, known := cache.results[key]
	cache.mu.Unlock()
	if known {
		return ok, nil
	}
	timeouts := regexTimeouts.Load()
	ok, err := check(cache)
	// An answer is kept only when it is the library's own verdict: errors fall back to
	// the full schema, and a pattern that ran out of time may answer otherwise next time.
	if err == nil && regexTimeouts.Load() == timeouts {
		cache.mu.Lock()
		if len(cache.results) >= maxResultCache {
			cache.results = map[[sha256.Size]byte]bool{}
		}
		cache.results[key] = ok
		cache.mu.Unlock()
	}
	return ok, err
}

// maxResultCache bounds the validation answers one Schemas value keeps.
const maxResultCache = 1 << 16

// exactKey is the SHA-256 of "file#ptr", NUL and the exact value (see writeExact),
// hashed as it is written: candidates are often kilobytes long (Stripe's witnesses for
// maxLength 5000), and building each key as a string first was a sixth of everything the
// Stripe corpus allocated.
func exactKey(file, ptr string, v any) (key [sha256.Size]byte) {
	w := hashWriters.Get().(*hashWriter)
	w.h.Reset()
	w.b.Reset(w.h)
	w.b.WriteString(file)
	w.b.WriteByte('#')
	w.b.WriteString(ptr)
	w.b.WriteByte(0)
	writeExact(w.b, v)
	w.b.Flush()
	w.h.Sum(key[:0])
	hashWriters.Put(w)
	return key
}

// hashWriter is a SHA-256 state behind a buffer, reused across exactKey calls.
type hashWriter struct {
	h hash.Hash
	b *bufio.Writer
}

var hashWriters = sync.Pool{New: func() any {
	h := sha256.New()
	return &hashWriter{h: h, b: bufio.NewWriterSize(h, 4096)}
}}

// exactWriter is what writeExact writes to: a strings.Builder or a buffered hash.
type exactWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

// writeExact writes v so that two values get the same text only when they are the same
// Go value: unlike canonical, numbers keep their spelling and type (1 and 1.0 may differ
// under draft-04's integer), and strings are length-prefixed, so no two values collide.
func writeExact(b exactWriter, v any) {
	switch v := v.(type) {
	case map[string]any:
		keys := objectKeys(v)
		b.WriteByte('{')
		for _, k := range keys {
			writeExact(b, k)
			writeExact(b, v[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for _, e := range v {
			writeExact(b, e)
		}
		b.WriteByte(']')
	case string:
		b.WriteByte('s')
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	case json.Number:
		b.WriteByte('n')
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(string(v))
	case float64:
		b.WriteByte('f')
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		b.WriteByte(';')
	case bool:
		if v {
			b.WriteByte('T')
		} else {
			b.WriteByte('F')
		}
	case nil:
		b.WriteByte('N')
	default:
		// No other type comes out of decoding or candidate generation; a value of one is
		// spelled with its type so that it can only meet itself.
		fmt.Fprintf(b, "?%T:%#v;", v, v)
	}
}

// objectKeys returns an object's member names in order, which every encoding of a value
// as a key needs.
func objectKeys(v map[string]any) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// validAtUncached is validAt without the cache of answers.
func (sc *Schemas) validAtUncached(cache *pruneCache, file, ptr string, v any) (bool, error) {
	// A scalar's pruned schema depends on the location only; an object's or array's on
	// its shape too. The shape map is bounded; the scalar map holds one entry a location.
	m, bounded, key := &cache.scalar, false, file+"#"+ptr
	switch v.(type) {
	case map[string]any, []any:
		var b strings.Builder
		b.WriteString(key)
		b.WriteByte(0)
		writeShape(&b, v)
		m, bounded, key = &cache.shapes, true, b.String()
	}
	cache.mu.Lock()
	ps := (*m)[key]
	cache.mu.Unlock()
	if ps == nil {
		ps = sc.buildPruned(cache, file, ptr, v)
		cache.mu.Lock()
		if bounded && len(*m) >= maxPruneCache {
			*m = map[string]*prunedSchema{}
		}
		(*m)[key] = ps
		cache.mu.Unlock()
	}
	if ps.err != nil {
		return false, ps.err
	}
	err := ps.s.Validate(v)
	if err == nil {
		return true, nil
	}
	var ve *js.ValidationError
	if errors.As(err, &ve) {
		return false, nil
	}
	return false, err
}

// buildPruned prunes the schema at file#ptr for v and compiles the result (or finds it
// compiled).
func (sc *Schemas) buildPruned(cache *pruneCache, file, ptr string, v any) *prunedSchema {
	doc, err := sc.prunedDoc(cache, file, ptr, v)
	if err != nil {
		return &prunedSchema{err: err}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return &prunedSchema{err: err}
	}
	key := string(data)
	cache.mu.Lock()
	ps := cache.docs[key]
	cache.mu.Unlock()
	if ps != nil {
		return ps
	}
	ps = compilePruned(data)
	cache.mu.Lock()
	if len(cache.docs) >= maxPruneCache {
		cache.docs = map[string]*prunedSchema{}
	}
	cache.docs[key] = ps
	cache.mu.Unlock()
	return ps
}

// writeShape writes v with every scalar replaced by 0 and object keys in order: pruning
// never looks at a scalar, so values of one shape prune to the same document.
func writeShape(b *strings.Builder, v any) {
	switch v := v.(type) {
	case map[string]any:
		keys := objectKeys(v)
		b.WriteByte('{')
		for _, k := range keys {
			b.WriteString(strconv.Itoa(len(k)))
			b.WriteByte(':')
			b.WriteString(k)
			writeShape(b, v[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for _, e := range v {
			writeShape(b, e)
		}
		b.WriteByte(']')
	default:
		b.WriteByte('0')
	}
}

// compilePruned compiles a pruned document with a compiler configured like
// newCompiler's that loads nothing: the document is standalone.
func compilePruned(data []byte) (ps *prunedSchema) {
	defer func() {
		if r := recover(); r != nil {
			ps = &prunedSchema{err: fmt.Errorf("jsonschema: internal error compiling a pruned schema: %v", r)}
		}
	}()
	c, err := prunedCompiler(data)
	if err != nil {
		return &prunedSchema{err: err}
	}
	s, err := c.Compile(prunedURL)
	if err != nil {
		return &prunedSchema{err: err}
	}
	return &prunedSchema{s: s}
}

// prunedCompiler returns a compiler configured like newCompiler's, holding the pruned
// document data under prunedURL and loading nothing else: the document is standalone.
func prunedCompiler(data []byte) (*js.Compiler, error) {
	c := js.NewCompiler()
	c.Draft = js.Draft2020
	c.AssertFormat = true
	c.AssertContent = false
	c.ExtractAnnotations = true
	addECMA(c)
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("pruned schema refers to %s outside itself", s)
	}
	if err := c.AddResource(prunedURL, bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return c, nil
}

// compileWithin compiles url with c, turning a panic of the library into an error.
func compileWithin(c *js.Compiler, url string) (s *js.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("jsonschema: internal error compiling a pruned schema: %v", r)
		}
	}()
	return c.Compile(url)
}

// prunedDoc builds the standalone draft-07 document validating v as the schema at
// file#ptr does: {"$schema": draft-07, "allOf": [{"$ref": "#/definitions/d0"}],
// "definitions": {...}}, where d0 is the pruned schema at file#ptr.
func (sc *Schemas) prunedDoc(cache *pruneCache, file, ptr string, v any) (map[string]any, error) {
	if ptr != "" && !strings.HasPrefix(ptr, "/") {
		return nil, fmt.Errorf("jsonschema: cannot prune the schema at %s#%s: not a JSON pointer", file, ptr)
	}
	p := &pruner{sc: sc, cache: cache, defs: map[string]any{}, memo: map[string]string{}, active: map[string]bool{}, draft7: map[string]bool{}}
	root, err := p.target(file, ptr, []any{v})
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"$schema":     draft7URL,
		"allOf":       []any{root},
		"definitions": p.defs,
	}, nil
}

// pruner builds one pruned document.
type pruner struct {
	sc    *Schemas
	cache *pruneCache
	defs  map[string]any    // the output's definitions: "dN" -> pruned schema
	memo  map[string]string // target file#ptr and value set -> "dN"
	// active holds the memo keys being pruned, to detect cycles at the same values.
	active map[string]bool
	draft7 map[string]bool // documents checked by this pruner
	count  int             // schema objects pruned
	depth  int
}

// target prunes the schema at file#ptr for vals (once per value set) into the output's
// definitions and returns a $ref to it.
func (p *pruner) target(file, ptr string, vals []any) (any, error) {
	key := file + "#" + ptr + "\x00" + valsKey(vals)
	if name, ok := p.memo[key]; ok {
		if p.active[key] {
			return nil, fmt.Errorf("jsonschema: cyclic $ref without structure at %s#%s", file, ptr)
		}
		return map[string]any{"$ref": "#/definitions/" + name}, nil
	}
	s, err := p.lookup(file, ptr)
	if err != nil {
		return nil, err
	}
	name := "d" + strconv.Itoa(len(p.memo))
	p.memo[key] = name
	p.active[key] = true
	out, err := p.prune(file, s, vals)
	delete(p.active, key)
	if err != nil {
		return nil, err
	}
	p.defs[name] = out
	return map[string]any{"$ref": "#/definitions/" + name}, nil
}

// lookup returns the schema at the JSON pointer ptr of document file, which must be one
// pruning supports (see registersAsDraft7).
func (p *pruner) lookup(file, ptr string) (any, error) {
	d, ok := p.sc.docs[file]
	if !ok {
		return nil, fmt.Errorf("jsonschema: no such schema document %s", file)
	}
	ok, checked := p.draft7[file]
	if !checked {
		p.cache.mu.Lock()
		ok, checked = p.cache.draft7[file]
		p.cache.mu.Unlock()
		if !checked {
			ok = p.sc.registersAsDraft7(d)
			p.cache.mu.Lock()
			p.cache.draft7[file] = ok
			p.cache.mu.Unlock()
		}
		p.draft7[file] = ok
	}
	if !ok {
		return nil, fmt.Errorf("jsonschema: %s is not registered as draft-07; its schemas are not pruned", file)
	}
	v := d.Value
	if ptr == "" {
		return v, nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = unescapePointer(tok)
		switch x := v.(type) {
		case map[string]any:
			if v, ok = x[tok]; !ok {
				return nil, fmt.Errorf("jsonschema: %s#%s not found", file, ptr)
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != tok {
				return nil, fmt.Errorf("jsonschema: %s#%s not found", file, ptr)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("jsonschema: %s#%s not found", file, ptr)
		}
	}
	return v, nil
}

// registersAsDraft7 reports whether pruning supports document d: it belongs to a native
// version, or compileAsDraft7 accepts it.
func (sc *Schemas) registersAsDraft7(d *Document) bool {
	if sc.native != nil {
		// nativeIndexOf has checked every document: only keywords that read the same
		// under draft-07, a $ref beside nothing that asserts (see refSibling), $defs and
		// deprecated, which prune drops as it drops definitions and annotations.
		return true
	}
	_, ok := compileAsDraft7(d.Value)
	return ok
}

// resolve resolves a $ref found in document file as the validator library does, to a
// document of sc and a JSON pointer in it ("#/" is the root).
func (p *pruner) resolve(file, ref string) (string, string, error) {
	target, ptr, err := resolveLocalRef(func(d string) bool { _, ok := p.sc.docs[d]; return ok }, file, ref)
	if ptr == "/" {
		ptr = ""
	}
	return target, ptr, err
}

// valsKey identifies a set of instance values for memoization. Pruning never looks at a
// scalar, so only the objects and arrays count, by identity: equal keys mean equal
// values (values equal but distinct merely prune twice), and a set reached again
// without descending into a child instance has the same key. Every nonempty set of
// scalars prunes alike.
func valsKey(vals []any) string {
	if len(vals) == 0 {
		return ""
	}
	var ids []string
	for _, v := range vals {
		switch x := v.(type) {
		case map[string]any:
			ids = append(ids, "m"+strconv.FormatUint(uint64(uintptr(reflect.ValueOf(x).UnsafePointer())), 16))
		case []any:
			ids = append(ids, "a"+strconv.FormatUint(uint64(uintptr(reflect.ValueOf(x).UnsafePointer())), 16)+":"+strconv.Itoa(len(x)))
		}
	}
	if len(ids) == 0 {
		return "S"
	}
	sort.Strings(ids)
	var b strings.Builder
	for i, id := range ids {
		if i > 0 && id == ids[i-1] {
			continue
		}
		b.WriteString(id)
		b.WriteByte(' ')
	}
	return b.String()
}

// prune returns the schema s, found in document file, pruned for the instance values vals.
func (p *pruner) prune(file string, s any, vals []any) (any, error) {
	if len(vals) == 0 {
		return map[string]any{}, nil
	}
	if b, ok := s.(bool); ok {
		return b, nil
	}
	m, ok := s.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("jsonschema: schema in %s is neither an object nor a boolean", file)
	}
	p.count++
	if p.count > maxPrunedSchemas {
		return nil, fmt.Errorf("jsonschema: pruned schema exceeds %d subschemas", maxPrunedSchemas)
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxPruneDepth {
		return nil, fmt.Errorf("jsonschema: pruned schema nests deeper than %d levels", maxPruneDepth)
	}
	if ref, ok := m["$ref"]; ok {
		// Draft-07 ignores the siblings of $ref; the subset has none.
		r, ok := ref.(string)
		if !ok || !refStandsAlone(m, p.sc.native != nil) {
			return nil, fmt.Errorf("jsonschema: $ref in %s is not a string standing alone", file)
		}
		if p.sc.standInRef(file, r) {
			return true, nil // a schema outside the input, read as accepting everything (refs.go)
		}
		tfile, tptr, err := p.resolve(file, r)
		if err != nil {
			return nil, err
		}
		return p.target(tfile, tptr, vals)
	}

	var objs []map[string]any
	var arrs [][]any
	for _, v := range vals {
		switch v := v.(type) {
		case map[string]any:
			objs = append(objs, v)
		case []any:
			arrs = append(arrs, v)
		}
	}
	out := make(map[string]any, len(m))
	for k, x := range m {
		if !draft7Keywords[k] {
			if k == "$schema" || (p.sc.native != nil && (k == "$defs" || k == "deprecated" || k == "$id" || !jsonSchemaKeywords[k])) {
				continue // a document's root; containers, annotations and keywords of no draft
			}
			return nil, fmt.Errorf("jsonschema: keyword %q in %s is not pruned", k, file)
		}
		switch k {
		case "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "properties", "patternProperties",
			"additionalProperties", "propertyNames", "items", "additionalItems", "definitions":
			// Below, in a fixed order, so that equal inputs prune to equal documents.
		default:
			out[k] = x
		}
	}
	sub := func(key string, x any, vals []any) error {
		pruned, err := p.prune(file, x, vals)
		if err != nil {
			return err
		}
		out[key] = pruned
		return nil
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		x, ok := m[k]
		if !ok {
			continue
		}
		list, ok := x.([]any)
		if !ok {
			return nil, fmt.Errorf("jsonschema: %s in %s is not an array", k, file)
		}
		pl := make([]any, len(list))
		for i, e := range list {
			pruned, err := p.prune(file, e, vals)
			if err != nil {
				return nil, err
			}
			pl[i] = pruned
		}
		out[k] = pl
	}
	if x, ok := m["not"]; ok {
		if err := sub("not", x, vals); err != nil {
			return nil, err
		}
	}
	// The library reads then and else only next to an if.
	if x, ok := m["if"]; ok && x != nil {
		for _, k := range []string{"if", "then", "else"} {
			if x, ok := m[k]; ok {
				if err := sub(k, x, vals); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(objs) > 0 {
		if err := p.objectKeywords(file, m, out, objs); err != nil {
			return nil, err
		}
	}
	// additionalItems applies only next to an array-valued items, which the subset
	// excludes: the library never compiles it, so it is dropped.
	if x, ok := m["items"]; ok && len(arrs) > 0 {
		var elems []any
		for _, a := range arrs {
			elems = append(elems, a...)
		}
		if err := sub("items", x, elems); err != nil {
			return nil, err
		}
	}
	if lf, changed := ecmaLevel(out); changed {
		return lf, nil // regexes RE2 cannot read, as the library is handed them (see ecma.go)
	}
	return out, nil
}

// objectKeywords prunes the object keywords of m into out for the object values objs.
func (p *pruner) objectKeywords(file string, m, out map[string]any, objs []map[string]any) error {
	var props map[string]any
	if x, ok := m["properties"]; ok {
		if props, ok = x.(map[string]any); !ok {
			return fmt.Errorf("jsonschema: properties in %s is not an object", file)
		}
		names := make([]string, 0, len(props))
		for name := range props {
			names = append(names, name)
		}
		sort.Strings(names)
		pruned := map[string]any{}
		for _, name := range names {
			var pv []any
			for _, o := range objs {
				if v, ok := o[name]; ok {
					pv = append(pv, v)
				}
			}
			if len(pv) == 0 {
				// No value has the property: the keyword never applies (and the property
				// is not additional for additionalProperties either).
				continue
			}
			s, err := p.prune(file, props[name], pv)
			if err != nil {
				return err
			}
			pruned[name] = s
		}
		if len(pruned) > 0 {
			out["properties"] = pruned
		}
	}
	// All property values of all objects, in a deterministic order.
	var all, additional, keys []any
	for _, o := range objs {
		names := make([]string, 0, len(o))
		for name := range o {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			all = append(all, o[name])
			keys = append(keys, name)
			if _, declared := props[name]; !declared {
				additional = append(additional, o[name])
			}
		}
	}
	if x, ok := m["patternProperties"]; ok && len(all) > 0 {
		pp, ok := x.(map[string]any)
		if !ok {
			return fmt.Errorf("jsonschema: patternProperties in %s is not an object", file)
		}
		patterns := make([]string, 0, len(pp))
		for pat := range pp {
			patterns = append(patterns, pat)
		}
		sort.Strings(patterns)
		pruned := make(map[string]any, len(pp))
		for _, pat := range patterns {
			// Conservatively every property value: a superset is always correct.
			s, err := p.prune(file, pp[pat], all)
			if err != nil {
				return err
			}
			pruned[pat] = s
		}
		out["patternProperties"] = pruned
	}
	if x, ok := m["additionalProperties"]; ok {
		// Without patternProperties the additional properties are exactly the undeclared
		// ones; with them, conservatively every property.
		vals := additional
		if _, ok := m["patternProperties"]; ok {
			vals = all
		}
		if len(vals) > 0 {
			s, err := p.prune(file, x, vals)
			if err != nil {
				return err
			}
			out["additionalProperties"] = s
		}
	}
	if x, ok := m["propertyNames"]; ok && len(keys) > 0 {
		s, err := p.prune(file, x, keys)
		if err != nil {
			return err
		}
		out["propertyNames"] = s
	}
	return nil
}

// refStandsAlone reports whether the $ref of m has no sibling: none at all, or, in native
// mode, none that asserts anything (see refSibling), which every draft reads alike.
func refStandsAlone(m map[string]any, native bool) bool {
	if len(m) == 1 {
		return true
	}
	if !native {
		return false
	}
	for k := range m {
		if !refSibling[k] && jsonSchemaKeywords[k] {
			return false
		}
	}
	return true
}

// prepareScalars compiles, as one document, the pruned schemas of the locations ("file#ptr")
// for scalar values that are not cached yet, and caches them as validAt would. Each
// location's schema is one definition of the document; a location whose schema cannot be
// pruned is left to validAt, which reports why. The library may hand out broken schemas
// from a compiler after a failed compile, so the first failure ends the batch.
func (sc *Schemas) prepareScalars(locs []string) {
	cache := sc.pruneCache()
	p := &pruner{sc: sc, cache: cache, defs: map[string]any{}, memo: map[string]string{}, active: map[string]bool{}, draft7: map[string]bool{}}
	names := map[string]string{}
	var order []string
	for _, at := range locs {
		cache.mu.Lock()
		_, done := cache.scalar[at]
		cache.mu.Unlock()
		if _, seen := names[at]; done || seen {
			continue
		}
		file, ptr, _ := strings.Cut(at, "#")
		if ptr != "" && !strings.HasPrefix(ptr, "/") {
			continue
		}
		ref, err := p.target(file, ptr, []any{nil})
		if err != nil {
			continue
		}
		name := strings.TrimPrefix(ref.(map[string]any)["$ref"].(string), "#/definitions/")
		names[at] = name
		order = append(order, at)
	}
	if len(order) == 0 {
		return
	}
	data, err := json.Marshal(map[string]any{"$schema": draft7URL, "definitions": p.defs})
	if err != nil {
		return
	}
	c, err := prunedCompiler(data)
	if err != nil {
		return
	}
	for _, at := range order {
		s, err := compileWithin(c, prunedURL+"#/definitions/"+names[at])
		if err != nil {
			return
		}
		cache.mu.Lock()
		cache.scalar[at] = &prunedSchema{s: s}
		cache.mu.Unlock()
	}
}
