package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/compatcheck/compatcheck/compat"
	js "github.com/santhosh-tekuri/jsonschema/v5"
)

// Document is one decoded JSON or YAML file of a contract version.
type Document struct {
	// Path is the slash path relative to the Source root; positions and subjects use it.
	Path string
	// Value is the decoded JSON value: map[string]any, []any, string, float64 or
	// json.Number, bool, nil.
	Value any
	// Pos returns where the value at a JSON pointer (e.g. "/components/schemas/Pet")
	// starts; it may be nil, and positions are then omitted.
	Pos func(pointer string) (line, col int)
}

// rootURL is the base under which every document of a version is registered with the
// validator's compiler. A reference that resolves outside it climbs out of the input tree.
const rootURL = "file:///compatcheck-root/"

// docURL is the URL a document is registered under: its path escaped, as the validator
// escapes the references it resolves (spaces, non-ASCII letters).
func docURL(p string) string {
	return (&url.URL{Scheme: "file", Path: "/compatcheck-root/" + p}).String()
}

// docPath reverses docURL for a URL under rootURL.
func docPath(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, rootURL)
	if !ok {
		return "", false
	}
	if p, err := url.PathUnescape(rest); err == nil {
		return p, true
	}
	return rest, true
}

// Schemas is one contract version's schema documents, ready for comparison: every document
// is registered in memory so that references between them resolve without touching the
// network or the disk.
type Schemas struct {
	docs     map[string]*Document
	ids      map[string]string // root $id (without fragment) -> document path
	compiler *js.Compiler
	errf     func(file string, line, col int, format string, args ...any) error
	tree     string // the Source's name, when built from one
	refs     Refs
	// standIns holds, in opaque mode, the stand-in document served for every schema
	// outside the documents that a $ref names (see refs.go), by URL without fragment.
	standIns map[string]any
	// idLosers names the documents whose root $id another document holds too; they are
	// handed to the library without it.
	idLosers map[string]bool
	// remoteSites holds the nodes of such references written beside other keywords.
	remoteSites map[string]*node
	// draft7 is set when some document is registered as draft-07 (see compileAsDraft7);
	// exact is then the compiler that registers none so, built on first need.
	draft7 bool
	exact  *js.Compiler

	sorted []*Document // the documents in path order
	// native is set when the model is built straight from the documents (see native.go);
	// nnodes then holds the nodes by "file#ptr".
	native *nativeIndex
	nnodes map[string]*node
	// libValues holds the documents as the library is handed them (see ecma.go).
	libValues map[string]any
	// pendingEnums are native nodes built whose enums are not filtered yet.
	pendingEnums []pendingEnum
	// prune caches the pruned schemas values are validated against (see prune.go).
	prune *pruneCache

	// posMemo memoizes positions by document path and pointer; guarded by posMu.
	posMemo map[string]map[string][2]int

	mu       sync.Mutex // guards compiled, nodes, nnodes, nextID and the compiler; taken in seq order
	seq      uint64
	compiled map[string]*js.Schema
	nodes    map[*js.Schema]*node
	nextID   int
}

// schemasSeq numbers Schemas values for lock ordering.
var schemasSeq atomic.Uint64

// NewSchemas prepares documents whose schemas are JSON Schema 2020-12 (unless $schema says
// otherwise). $refs resolve only among the given documents (relative paths + fragments);
// every other reference is refused with a positioned error when a schema using it is
// compared.
func NewSchemas(docs []Document) (*Schemas, error) {
	return NewSchemasWith(docs, SchemasOptions{})
}

// SchemasOptions tunes how one version's documents are read.
type SchemasOptions struct {
	// Refs decides what a $ref to a schema outside the documents does (see [Refs]); the
	// zero value reads it as opaque.
	Refs Refs
}

// NewSchemasWith is NewSchemas with options.
func NewSchemasWith(docs []Document, opts SchemasOptions) (*Schemas, error) {
	return newSchemas(docs, opts, func(file string, line, col int, format string, args ...any) error {
		return &compat.Error{Pos: compat.Position{File: file, Line: line, Column: col}, Msg: fmt.Sprintf(format, args...)}
	})
}

func newSchemas(docs []Document, opts SchemasOptions, errf func(file string, line, col int, format string, args ...any) error) (*Schemas, error) {
	return newSchemasLibrary(docs, opts, errf, false)
}

// newSchemasLibrary is newSchemas that, when library is set, never reads the documents
// natively: a group of a directory's files (see groups.go) is read as the whole
// directory is, and one document the native reading refuses makes it refuse them all.
func newSchemasLibrary(docs []Document, opts SchemasOptions, errf func(file string, line, col int, format string, args ...any) error, library bool) (*Schemas, error) {
	sc := &Schemas{
		refs:     opts.Refs,
		seq:      schemasSeq.Add(1),
		docs:     map[string]*Document{},
		ids:      map[string]string{},
		errf:     errf,
		compiled: map[string]*js.Schema{},
		nodes:    map[*js.Schema]*node{},
		prune:    newPruneCache(),
	}
	sorted := append([]Document(nil), docs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	ptrs := make([]*Document, len(sorted))
	for i := range sorted {
		d := &sorted[i]
		if !validDocPath(d.Path) {
			return nil, errf(d.Path, 0, 0, "invalid document path")
		}
		if _, dup := sc.docs[d.Path]; dup {
			return nil, errf(d.Path, 0, 0, "document given twice")
		}
		sc.docs[d.Path] = d
		ptrs[i] = d
		if m, ok := d.Value.(map[string]any); ok {
			for _, key := range []string{"$id", "id"} {
				if id, ok := m[key].(string); ok && id != "" {
					if u, err := url.Parse(id); err == nil && u.IsAbs() {
						u.Fragment = ""
						key := u.String()
						if prev, dup := sc.ids[key]; dup {
							// Two documents claim one $id (a copied schema that kept its
							// original's): the one whose file name the URL ends in keeps
							// it, else the first; the other is read without it (ecma.go).
							keep, drop := prev, d.Path
							if path.Base(d.Path) == path.Base(u.Path) && path.Base(prev) != path.Base(u.Path) {
								keep, drop = d.Path, prev
							}
							sc.ids[key] = keep
							if sc.idLosers == nil {
								sc.idLosers = map[string]bool{}
							}
							sc.idLosers[drop] = true
							continue
						}
						sc.ids[key] = d.Path
					}
				}
			}
		}
	}
	sc.sorted = ptrs
	if sc.refs == RefsOpaque {
		sc.standIns = standIns(sc)
	}
	if ix := nativeIndexOf(ptrs); ix != nil && !library && !libraryOnly() {
		// The library is handed the documents only if a question about values needs
		// a schema it cannot answer from a pruned copy (see validNode).
		sc.native, sc.nnodes = ix, map[string]*node{}
		return sc, nil
	}
	if err := sc.registerAll(); err != nil {
		return nil, err
	}
	return sc, nil
}

// registerAll registers every document with a new compiler (once).
func (sc *Schemas) registerAll() error {
	if sc.compiler != nil {
		return nil
	}
	c := sc.newCompiler()
	for _, d := range sc.sorted {
		lv := sc.libraryValue(d)
		v, fast := compileAs2019(lv), false
		if v7, ok := compileAsDraft7(lv); ok {
			v, fast = v7, true
			sc.draft7 = true
		}
		if err := sc.register(c, d, v); err != nil {
			if !fast {
				return err
			}
			// The exact registration decides what is wrong with the document.
			if err := sc.register(c, d, compileAs2019(lv)); err != nil {
				return err
			}
		}
	}
	sc.compiler = c
	return nil
}

// forceLibrary turns native mode off, for the differential tests.
var forceLibrary bool

// LibraryOnlyEnv names the environment variable that, set to 1, builds every model from
// the validator library's compiled schemas (see native.go): slower, and a way to tell
// whether a surprising answer comes from the native model.
const LibraryOnlyEnv = "COMPATCHECK_JSONSCHEMA_LIBRARY_ONLY"

func libraryOnly() bool { return forceLibrary || os.Getenv(LibraryOnlyEnv) == "1" }

// newCompiler returns a validator compiler configured for this engine, loading only
// from sc.
func (sc *Schemas) newCompiler() *js.Compiler {
	c := js.NewCompiler()
	c.Draft = js.Draft2020
	c.AssertFormat = true
	c.AssertContent = false
	c.ExtractAnnotations = true // readOnly, writeOnly and deprecated
	c.LoadURL = sc.load
	addECMA(c)
	return c
}

// register adds document d, whose value is v, to compiler c.
func (sc *Schemas) register(c *js.Compiler, d *Document, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return sc.errf(d.Path, 1, 1, "cannot encode document: %v", err)
	}
	if err := c.AddResource(docURL(d.Path), bytes.NewReader(data)); err != nil {
		return sc.errf(d.Path, 1, 1, "%s", cleanLibError(err.Error()))
	}
	return nil
}

// exactCompiler returns (building it once) a compiler holding every document registered
// as draft 2019-09 or 2020-12, never as draft-07 (see compileAsDraft7): it decides the
// schemas the fast registration fails on, so that errors read exactly as they always did.
func (sc *Schemas) exactCompiler() (*js.Compiler, error) {
	if sc.exact != nil {
		return sc.exact, nil
	}
	c := sc.newCompiler()
	paths := make([]string, 0, len(sc.docs))
	for p := range sc.docs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		d := sc.docs[p]
		if err := sc.register(c, d, compileAs2019(sc.libraryValue(d))); err != nil {
			return nil, err
		}
	}
	sc.exact = c
	return c, nil
}

func validDocPath(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../") && !strings.ContainsAny(p, "#?\\")
}

// load is the compiler's LoadURL: it serves documents by their root $id and refuses
// everything else, so that no schema is ever fetched from the network or read from disk.
func (sc *Schemas) load(s string) (io.ReadCloser, error) {
	if p, ok := sc.ids[s]; ok {
		data, err := json.Marshal(sc.libraryValue(sc.docs[p]))
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	if v, ok := sc.standIns[s]; ok {
		data, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(data)), nil
	}
	if rest, ok := docPath(s); ok {
		return nil, refusedError{s, fmt.Sprintf("$ref to %s: no such schema file in the input tree", rest)}
	}
	if strings.HasPrefix(s, "file:") {
		return nil, refusedError{s, "$ref climbs out of the input tree; only files inside it are read"}
	}
	return nil, refusedError{s, fmt.Sprintf("$ref to %s refused: remote schemas are never fetched; add the schema to the input tree", displayURL(s))}
}

// refusedError is a reference the loader refused, with the absolute URL it resolved to.
type refusedError struct{ url, msg string }

func (e refusedError) Error() string { return e.msg }

// locate turns a compiled schema's absolute location into a document path and pointer.
func (sc *Schemas) locate(loc string) (string, string) {
	base, frag, _ := strings.Cut(loc, "#")
	frag, _ = url.PathUnescape(frag)
	if p, ok := docPath(base); ok {
		return p, sc.realPointer(p, frag)
	}
	if p, ok := sc.ids[base]; ok {
		return p, sc.realPointer(p, frag)
	}
	return base, frag
}

// pos returns the position of the value at pointer in file, or nil when unknown.
func (sc *Schemas) pos(file, ptr string) *compat.Position {
	d, ok := sc.docs[file]
	if !ok || d.Pos == nil {
		return nil
	}
	posMu.Lock()
	defer posMu.Unlock()
	line, col := sc.posOf(d, ptr)
	return compat.Pos(file, line, col)
}

// posOf returns where the value at ptr in d starts, or where its nearest ancestor that is
// written in the file does. Answers are memoized: nested comparisons ask about ever longer
// pointers below the same written schema (implied schemas are not in the file), and walking
// each one up from scratch made position lookups quadratic in the nesting.
func (sc *Schemas) posOf(d *Document, ptr string) (int, int) {
	memo := sc.posMemo[d.Path]
	if memo == nil {
		if sc.posMemo == nil {
			sc.posMemo = map[string]map[string][2]int{}
		}
		memo = map[string][2]int{}
		sc.posMemo[d.Path] = memo
	}
	var unknown []string // pointers from ptr up to the first one known
	line, col := 0, 0
	for {
		if p, ok := memo[ptr]; ok {
			line, col = p[0], p[1]
			break
		}
		unknown = append(unknown, ptr)
		if line, col = d.Pos(ptr); line > 0 {
			break
		}
		i := strings.LastIndex(ptr, "/")
		if i < 0 {
			line, col = 0, 0
			break
		}
		ptr = ptr[:i]
	}
	for _, p := range unknown {
		memo[p] = [2]int{line, col}
	}
	return line, col
}

// posMu serializes calls of the documents' Pos functions, which the two versions of a
// comparison may reach at the same time while they compile (see schemasAt).
var posMu sync.Mutex

// errAt returns a positioned error at file#ptr.
func (sc *Schemas) errAt(file, ptr, format string, args ...any) error {
	line, col := 0, 0
	if p := sc.pos(file, ptr); p != nil {
		line, col = p.Line, p.Column
	}
	return sc.errf(file, line, col, format, args...)
}

// schemaAt compiles the schema at "path#/pointer" (once) and returns its normalized node.
func (sc *Schemas) schemaAt(ref string) (*node, error) {
	file, ptr := splitRef(ref)
	if _, ok := sc.docs[file]; !ok {
		return nil, sc.errf(file, 0, 0, "no such schema document")
	}
	if sc.native != nil {
		if _, ok := sc.native.locs[file+"#"+ptr]; ok {
			n := sc.nativeNode(file + "#" + ptr)
			sc.flushEnums()
			return n, nil
		}
	}
	s, ok := sc.compiled[ref]
	if !ok {
		var err error
		s, err = sc.compileAt(file, ptr)
		if err != nil {
			return nil, err
		}
		sc.compiled[ref] = s
	}
	return sc.nodeOf(s)
}

func (sc *Schemas) compileAt(file, ptr string) (*js.Schema, error) {
	if err := sc.registerAll(); err != nil {
		return nil, err
	}
	s, err := sc.compileWith(sc.compiler, file, ptr)
	if err != nil && sc.draft7 {
		// Documents registered as draft-07 compile exactly as under their own draft when
		// they are valid; whatever fails is decided, and reported, by the exact drafts.
		c, cerr := sc.exactCompiler()
		if cerr != nil {
			return nil, cerr
		}
		return sc.compileWith(c, file, ptr)
	}
	return s, err
}

func (sc *Schemas) compileWith(c *js.Compiler, file, ptr string) (s *js.Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, sc.errAt(file, ptr, "internal error compiling the schema (please report): %v", r)
		}
	}()
	u := docURL(file)
	if ptr != "" {
		u += "#" + (&url.URL{Path: ptr}).EscapedPath()
		if !strings.HasPrefix(ptr, "/") {
			u = docURL(file) + "#" + ptr
		}
	}
	s, err = c.Compile(u)
	if err != nil {
		return nil, sc.compileError(file, ptr, err)
	}
	return s, nil
}

// compileError turns the validator library's compile error into a positioned error: a
// metaschema violation points at the offending keyword.
func (sc *Schemas) compileError(file, ptr string, err error) error {
	var ve *js.ValidationError
	if errors.As(err, &ve) {
		leaf := ve
		for len(leaf.Causes) > 0 {
			leaf = leaf.Causes[0]
		}
		f, _ := sc.locate(ve.AbsoluteKeywordLocation)
		if _, ok := sc.docs[f]; !ok {
			f = file
		}
		where := leaf.InstanceLocation
		return sc.errAt(f, where, "invalid schema at %s: %s", pointerOrRoot(where), leaf.Message)
	}
	var refused refusedError
	if errors.As(err, &refused) {
		f, p := sc.findRef(file, ptr, refused.url)
		return sc.errAt(f, p, "%s", refused.msg)
	}
	var loop js.InfiniteLoopError
	if errors.As(err, &loop) {
		f, p := sc.locate(string(loop))
		if _, ok := sc.docs[f]; !ok {
			f, p = file, ptr
		}
		return sc.errAt(f, p, "cyclic $ref without structure: the schema at %s refers to itself without asserting anything", pointerOrRoot(p))
	}
	return sc.errAt(file, ptr, "%s", cleanLibError(err.Error()))
}

// findRef finds the $ref (in any document, file first) that resolves to the refused
// URL, for the error position; it falls back to file#ptr.
func (sc *Schemas) findRef(file, ptr, refused string) (string, string) {
	want, _, _ := strings.Cut(refused, "#")
	paths := []string{file}
	for p := range sc.docs {
		if p != file {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths[1:])
	for _, p := range paths {
		base, _ := url.Parse(docURL(p))
		var found string
		var walk func(v any, at string)
		walk = func(v any, at string) {
			if found != "" {
				return
			}
			switch v := v.(type) {
			case map[string]any:
				if r, ok := v["$ref"].(string); ok {
					if u, err := url.Parse(r); err == nil {
						abs := base.ResolveReference(u)
						abs.Fragment = ""
						if abs.String() == want || r == want {
							found = at + "/$ref"
							return
						}
					}
				}
				keys := make([]string, 0, len(v))
				for k := range v {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					walk(v[k], at+"/"+escapePointer(k))
				}
			case []any:
				for i, e := range v {
					walk(e, fmt.Sprintf("%s/%d", at, i))
				}
			}
		}
		walk(sc.docs[p].Value, "")
		if found != "" {
			return p, found
		}
	}
	return file, ptr
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "the root"
	}
	return p
}

// cleanLibError strips the library's URL noise from an error message.
func cleanLibError(s string) string {
	s = strings.TrimPrefix(s, "jsonschema: ")
	s = strings.ReplaceAll(s, rootURL, "")
	return s
}

// CompareOptions tunes one Comparison.
type CompareOptions struct {
	// Model decides what writers produce (see [Model]).
	Model Model
	// IgnoreReadOnly drops readOnly properties from both sides (the OpenAPI request
	// role, where clients never send them); IgnoreWriteOnly drops writeOnly properties
	// (the response role, where servers never return them).
	IgnoreReadOnly, IgnoreWriteOnly bool
	// Budget bounds how many new schema pairs one Compare call examines (pairs decided by
	// earlier calls are free); when it is spent the remaining pairs are answered "no" with
	// a message saying so. Zero means the default.
	Budget int

	// OnWitness, when set, sees every witness the engine reports, with the schemas it was
	// verified against, so that tests can check it again with a validator of their own
	// (see package jsonschematest).
	OnWitness func(Witness)
}

// defaultBudget is how many distinct schema pairs a Comparison examines before it stops
// proving and answers "no".
const defaultBudget = 200_000

// Comparison compares many schema pairs between two versions, memoizing shared
// sub-results so that a component referenced from many operations is decided once.
// It is safe for concurrent use; calls are serialized.
type Comparison struct {
	old, new *Schemas
	opts     CompareOptions

	mu    sync.Mutex
	memo  map[pairKey]*pairResult
	work  int
	depth int
	ctx   context.Context
	cur   *pairResult // the pair being compared, which nested pairs are recorded on
	// walks numbers the collect walks (see collect).
	walks uint64
	// firsts memoizes generated values per schema, for witnesses.
	firsts map[*node]firstValue
	// strict answers the inclusion questions negation needs, which ignore what writers
	// produce; it is created on first use.
	strict *Comparison
	// contexts memoizes contextOf, so that a node's context is one node and its pairs
	// are memoized like any other.
	contexts map[*node]*node
	// forms holds the disjunctive normal forms built so far (see dnf.go).
	forms *normalForms
	// low is the smallest depth of a pair in progress met while comparing the current
	// pair, exhausted counts the pairs that ran out of the budget, and answersOnly is set
	// on a comparison nothing collects (see keepOwn in compare.go).
	// pads remembers padded witness strings (see padded).
	pads        map[padKey]string
	low         int32
	exhausted   int
	answersOnly bool
}

// NewComparison starts a comparison between two versions.
func NewComparison(old, new *Schemas, opts CompareOptions) *Comparison {
	if opts.Budget <= 0 {
		opts.Budget = defaultBudget
	}
	return &Comparison{old: old, new: new, opts: opts, memo: map[pairKey]*pairResult{}, low: maxAt}
}

// Compare compares the schema at oldRef in the old version with the one at newRef in the
// new version. Refs are "path#/json/pointer". The findings have Kind compat.KindJSONSchema
// (the caller may rewrite Kind), subjects "path#/pointer" of the deepest differing
// location, Old/New positions and verified witnesses. Identical findings reached through
// several pairs are returned each time; the caller dedupes.
func (c *Comparison) Compare(ctx context.Context, oldRef, newRef string) (out []compat.Finding, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("jsonschema: internal error comparing %s with %s (please report): %v", oldRef, newRef, r)
		}
	}()
	// Lock both versions in a fixed order, so comparisons sharing them in opposite roles
	// cannot deadlock.
	first, second := c.old, c.new
	if second.seq < first.seq {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	if second != first {
		second.mu.Lock()
		defer second.mu.Unlock()
	}
	o, n, err := c.schemasAt(oldRef, newRef)
	if err != nil {
		return nil, err
	}
	c.ctx = ctx
	c.work = 0
	if c.strict != nil {
		c.strict.work, c.strict.ctx = 0, ctx
	}
	res := c.pair(o, n)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out = c.collect(res)
	return out, nil
}

// schemasAt returns the old and new nodes of a pair. Compiling is most of the work of the
// first comparisons (the first one of a large API compiles nearly every schema), and the
// two versions have their own compilers and node tables, so when both sides still need
// compiling they are compiled at the same time. Each side compiles exactly what it would
// alone; when both fail, the old side's error is returned, as when compiled in turn.
func (c *Comparison) schemasAt(oldRef, newRef string) (o, n *node, err error) {
	oldDone, newDone := c.old.built(oldRef), c.new.built(newRef)
	if oldDone || newDone || c.old == c.new {
		if o, err = c.old.schemaAt(oldRef); err != nil {
			return nil, nil, err
		}
		if n, err = c.new.schemaAt(newRef); err != nil {
			return nil, nil, err
		}
		return o, n, nil
	}
	var nerr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				n, nerr = nil, fmt.Errorf("jsonschema: internal error comparing %s with %s (please report): %v", oldRef, newRef, r)
			}
		}()
		n, nerr = c.new.schemaAt(newRef)
	}()
	func() {
		// Wait for the new side even when the old one panics, so that it is never
		// compiled after the locks are released.
		defer func() { <-done }()
		o, err = c.old.schemaAt(oldRef)
	}()
	if err != nil {
		return nil, nil, err
	}
	if nerr != nil {
		return nil, nil, nerr
	}
	return o, n, nil
}

// The validator library spends time quadratic in the number of subschemas of a document
// when it compiles draft 2020-12 (it scans every subschema for $dynamicAnchor at each
// one). A document that uses nothing that differs between drafts 2019-09 and 2020-12 for
// validation (prefixItems, an array-valued items, $dynamicRef, $dynamicAnchor) validates
// identically under 2019-09, which the library compiles in linear time, so such documents
// are registered as 2019-09. Positions and pointers are unchanged.
const (
	draft2019URL = "https://json-schema.org/draft/2019-09/schema"
	draft2020URL = "https://json-schema.org/draft/2020-12/schema"
)

func compileAs2019(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	if s, has := m["$schema"]; has {
		str, _ := s.(string)
		if strings.TrimSuffix(str, "#") != draft2020URL {
			return v
		}
	}
	if uses2020Only(v, 0) {
		return v
	}
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out["$schema"] = draft2019URL
	return out
}

// uses2020Only reports whether a document uses a keyword whose meaning differs between
// drafts 2019-09 and 2020-12. It looks at every object, schema or not, which can only make
// it answer yes more often (and keep the exact 2020-12 compilation).
func uses2020Only(v any, depth int) bool {
	if depth > maxDecodeDepth {
		return true
	}
	switch v := v.(type) {
	case map[string]any:
		for _, k := range []string{"prefixItems", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"} {
			if _, ok := v[k]; ok {
				return true
			}
		}
		if _, ok := v["items"].([]any); ok {
			return true
		}
		for _, x := range v {
			if uses2020Only(x, depth+1) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if uses2020Only(x, depth+1) {
				return true
			}
		}
	}
	return false
}

// The validator library checks every document against its draft's metaschema before
// compiling it, and for drafts 2019-09 and 2020-12 that check (vocabularies, $recursiveRef,
// unevaluated keywords) costs most of a large API's comparison. A document that uses only
// keywords the library compiles and validates identically under draft-07, whose
// metaschema constrains them identically, is registered as draft-07, which the library
// checks several times faster: a $ref stands alone (draft-07 ignores its siblings), and
// nothing draft-07 lacks or reads differently appears ($defs, $id, $anchor, contains with
// its 2019 minContains default, dependencies, deprecated, content keywords, unevaluated
// keywords, unknown keywords). Positions and pointers are unchanged; a document that
// fails to compile is compiled again under its own draft, which decides the error.
const draft7URL = "http://json-schema.org/draft-07/schema#"

// draft7Keywords are the keywords compiled identically under draft-07 and the document's
// own draft (2019-09 or 2020-12 without the keywords uses2020Only looks for).
var draft7Keywords = map[string]bool{
	"$ref": true, "type": true, "enum": true, "const": true, "multipleOf": true, "maximum": true,
	"exclusiveMaximum": true, "minimum": true, "exclusiveMinimum": true, "maxLength": true,
	"minLength": true, "pattern": true, "format": true, "items": true, "additionalItems": true,
	"maxItems": true, "minItems": true, "uniqueItems": true, "maxProperties": true,
	"minProperties": true, "required": true, "properties": true, "patternProperties": true,
	"additionalProperties": true, "propertyNames": true, "definitions": true, "if": true,
	"then": true, "else": true, "allOf": true, "anyOf": true, "oneOf": true, "not": true,
	"readOnly": true, "writeOnly": true, "title": true, "description": true, "default": true,
	"examples": true, "$comment": true, ecmaKeyword: true,
}

// compileAsDraft7 returns the document registered as draft-07, or false when it must keep
// its own draft.
func compileAsDraft7(v any) (any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	if s, has := m["$schema"]; has {
		str, _ := s.(string)
		if strings.TrimSuffix(str, "#") != draft2020URL {
			return nil, false
		}
	}
	if _, ref := m["$ref"]; ref || uses2020Only(v, 0) || !draft7Schema(m, 0, true) {
		return nil, false
	}
	out := make(map[string]any, len(m)+1)
	for k, x := range m {
		out[k] = x
	}
	out["$schema"] = draft7URL
	return out, true
}

// draft7Schema reports whether the schema v and its subschemas use only draft7Keywords.
func draft7Schema(v any, depth int, root bool) bool {
	if depth > maxDecodeDepth {
		return false
	}
	m, ok := v.(map[string]any)
	if !ok {
		_, isBool := v.(bool)
		return isBool
	}
	if _, ref := m["$ref"]; ref && len(m) != 1 {
		return false
	}
	for k, x := range m {
		if !draft7Keywords[k] {
			if root && k == "$schema" {
				continue
			}
			return false
		}
		switch k {
		case "allOf", "anyOf", "oneOf":
			list, ok := x.([]any)
			if !ok || len(list) == 0 {
				return false
			}
			for _, e := range list {
				if !draft7Schema(e, depth+1, false) {
					return false
				}
			}
		case "items", "additionalItems", "additionalProperties", "propertyNames", "if", "then", "else", "not":
			if !draft7Schema(x, depth+1, false) {
				return false
			}
		case ecmaKeyword:
			ext, _ := x.(map[string]any)
			if ap, ok := ext["additionalProperties"]; ok && !draft7Schema(ap, depth+1, false) {
				return false
			}
		case "properties", "patternProperties", "definitions":
			ps, ok := x.(map[string]any)
			if !ok {
				return false
			}
			for _, e := range ps {
				if !draft7Schema(e, depth+1, false) {
					return false
				}
			}
		}
	}
	return true
}
