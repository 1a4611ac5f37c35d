package openapi

import (
	"context"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// schemaEngine is what this package needs from the JSON Schema engine: one memoizing
// comparison per role, so that a shared component is decided once per role however many
// operations reach it.
type schemaEngine interface {
	compare(ctx context.Context, serverWrites bool, oldRef, newRef string) ([]compat.Finding, error)
}

// jsonschemaEngine compares schemas with compat/jsonschema. Requests (and callback
// responses) ignore readOnly properties, which clients never send; responses (and
// callback requests) ignore writeOnly properties, which servers never return.
type jsonschemaEngine struct {
	clientWrites, serverWrites *jsonschema.Comparison
}

func (e *jsonschemaEngine) compare(ctx context.Context, serverWrites bool, oldRef, newRef string) ([]compat.Finding, error) {
	if serverWrites {
		return e.serverWrites.Compare(ctx, oldRef, newRef)
	}
	return e.clientWrites.Compare(ctx, oldRef, newRef)
}

// units splits a version's schemas into the documents handed to the JSON Schema engine:
// one per outermost schema (each component schema, each inline schema of a parameter,
// header or media type, each schema in another file reached by $ref). Handing the whole
// API document as one schema resource would make the validator library's compilation
// quadratic in the number of schemas; small documents keep it linear. The documents live
// under a virtual directory (prefix) so that subjects and positions can be mapped back.
type units struct {
	prefix string         // "old/" or "new/": virtual directory of this version's documents
	base   map[loc]string // outermost schema location → virtual document path
	byPath map[string]loc // virtual document path → outermost schema location
}

// buildUnits chooses the outermost schema roots and numbers them deterministically.
func (s *spec) buildUnits(prefix string) {
	roots := make([]loc, 0, len(s.schemaRoots))
	for l := range s.schemaRoots {
		roots = append(roots, l)
	}
	sort.Slice(roots, func(i, j int) bool {
		if roots[i].file != roots[j].file {
			return roots[i].file < roots[j].file
		}
		return roots[i].ptr < roots[j].ptr
	})
	u := &units{prefix: prefix, base: map[loc]string{}, byPath: map[string]loc{}}
	for _, l := range roots {
		if _, _, inner := u.find(l); inner {
			continue
		}
		name := prefix + itoa(len(u.byPath)) + ".json"
		u.base[l] = name
		u.byPath[name] = l
	}
	s.units = u
}

// find returns the document holding l and l's pointer inside it; inner is false when no
// document holds it.
func (u *units) find(l loc) (string, string, bool) {
	p := l.ptr
	for {
		if name, ok := u.base[loc{l.file, p}]; ok {
			return name, l.ptr[len(p):], true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return "", "", false
		}
		p = p[:i]
	}
}

// ref returns the "path#/pointer" the JSON Schema engine knows l by.
func (u *units) ref(l loc) string {
	name, rest, ok := u.find(l)
	if !ok {
		return l.ref()
	}
	return name + "#" + rest
}

// real maps a virtual "path#/pointer" back to a location of the version, or false.
func (u *units) real(path, ptr string) (loc, bool) {
	b, ok := u.byPath[path]
	if !ok {
		return loc{}, false
	}
	return loc{b.file, b.ptr + ptr}, true
}

// documents returns the version's schemas as JSON Schema documents: copies of each
// outermost schema whose $refs are rewritten to name the documents they reach.
func (s *spec) documents() ([]jsonschema.Document, error) {
	u := s.units
	names := make([]string, 0, len(u.byPath))
	for name := range u.byPath {
		names = append(names, name)
	}
	sort.Strings(names)
	docs := make([]jsonschema.Document, 0, len(names))
	for _, name := range names {
		b := u.byPath[name]
		v, _ := s.get(b)
		cp, err := s.rewriteRefs(b, v, false, 0)
		if err != nil {
			return nil, err
		}
		pos := func(ptr string) (int, int) { return s.lineCol(b.file, b.ptr+ptr) }
		if s.swagger {
			// Positions inside a converted Swagger 2.0 document cannot be mapped back;
			// findings still name the file.
			pos = func(string) (int, int) { return 0, 0 }
		}
		docs = append(docs, jsonschema.Document{Path: name, Value: cp, Pos: pos})
	}
	return docs, nil
}

// rewriteRefs copies the schema v at l, pointing every $ref at the virtual document that
// holds its target. Documents sit in one virtual directory, so a reference is the target
// document's base name. Annotations that decide nothing (descriptions, titles, examples,
// extensions) are left out of the copy, which keeps the validator's work proportional to
// what is compared; instance data (enum, const, default) is copied as it is. names is set
// for the maps whose keys are property or definition names rather than keywords.
func (s *spec) rewriteRefs(l loc, v any, names bool, depth int) (any, error) {
	if depth > maxDepth {
		return nil, s.errAt(l, "schema is nested too deeply")
	}
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if !names {
				if annotation[k] || strings.HasPrefix(k, "x-") {
					continue
				}
				if data[k] {
					out[k] = e
					continue
				}
				if ref, ok := e.(string); ok && k == "$ref" {
					to, err := s.resolveRef(l.child(k), ref)
					if err != nil {
						return nil, err
					}
					name, rest, ok := s.units.find(to)
					if !ok {
						return nil, s.errAt(l.child(k), "reference %q does not name a schema", ref)
					}
					out[k] = strings.TrimPrefix(name, s.units.prefix) + "#" + rest
					continue
				}
			}
			if !isContainer(e) {
				out[k] = e // a scalar holds no $ref: no location needed
				continue
			}
			c, err := s.rewriteRefs(l.child(k), e, !names && nameKeywords[k], depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			if !isContainer(e) {
				out[i] = e
				continue
			}
			c, err := s.rewriteRefs(l.child(itoa(i)), e, false, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

// isContainer reports whether a decoded JSON value is an object or an array.
func isContainer(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

var (
	// annotation keywords decide nothing about which instances a schema accepts.
	annotation = map[string]bool{"description": true, "title": true, "$comment": true, "examples": true,
		"example": true, "externalDocs": true, "xml": true}
	// data keywords hold instances, not schemas: their "$ref" keys are data.
	data = map[string]bool{"enum": true, "const": true, "default": true}
	// nameKeywords map names to subschemas.
	nameKeywords = map[string]bool{"properties": true, "patternProperties": true, "$defs": true,
		"definitions": true, "dependentSchemas": true, "dependentRequired": true}
)

// newSchemas prepares the schema comparisons of both versions.
func (c *comparer) newSchemas() error {
	c.old.buildUnits("old/")
	c.new.buildUnits("new/")
	// The versions are prepared at the same time (copying and encoding thousands of
	// schemas is a fair part of a large comparison); errors keep their order: documents
	// of the old version, of the new one, then schemas of the old one, of the new one.
	type prepared struct {
		schemas        *jsonschema.Schemas
		docErr, schErr error
	}
	prepare := func(sp *spec) (p prepared) {
		docs, err := sp.documents()
		if err != nil {
			p.docErr = err
			return p
		}
		p.schemas, p.schErr = jsonschema.NewSchemas(docs)
		return p
	}
	var np prepared
	var npanic any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { npanic = recover() }()
		np = prepare(c.new)
	}()
	op := func() prepared {
		defer func() { <-done }()
		return prepare(c.old)
	}()
	if npanic != nil {
		panic(npanic)
	}
	for _, err := range []error{op.docErr, np.docErr} {
		if err != nil {
			return err
		}
	}
	for _, err := range []error{op.schErr, np.schErr} {
		if err != nil {
			return c.rename(err)
		}
	}
	olds, news := op.schemas, np.schemas
	c.schemas = &jsonschemaEngine{
		clientWrites: jsonschema.NewComparison(olds, news, jsonschema.CompareOptions{Model: c.opts.Model, IgnoreReadOnly: true}),
		serverWrites: jsonschema.NewComparison(olds, news, jsonschema.CompareOptions{Model: c.opts.Model, IgnoreWriteOnly: true}),
	}
	return nil
}

// rename turns an error of the JSON Schema engine, which names virtual documents, into
// an error at the real file and position of the version it concerns.
func (c *comparer) rename(err error) error {
	ce, ok := err.(*compat.Error)
	if !ok {
		return err
	}
	for _, sp := range []*spec{c.old, c.new} {
		if l, ok := sp.units.real(ce.Pos.File, ""); ok {
			line, col := ce.Pos.Line, ce.Pos.Column
			if line == 0 {
				line, col = sp.lineCol(l.file, l.ptr)
			}
			return sp.src.Errorf(l.file, line, col, "%s", ce.Msg)
		}
	}
	return err
}

// schemaUse records that an operation reaches an old schema in a role.
type schemaUse struct {
	at  loc
	ref opRef
	r   role
}

// compareSchema compares the schema at ol (old) with the one at nl (new) in role r of
// operation ref, and reports the JSON Schema engine's findings as OpenAPI findings whose
// subjects name the component (or operation) where the change is.
func (c *comparer) compareSchema(ol, nl loc, ref opRef, r role) {
	if c.err != nil {
		return
	}
	c.roots = append(c.roots, schemaUse{at: ol, ref: ref, r: r})
	fs, err := c.schemas.compare(c.ctx, r.serverWrites, c.old.units.ref(ol), c.new.units.ref(nl))
	if err != nil {
		c.fail(c.rename(err))
		return
	}
	for _, f := range fs {
		f.Subject = c.schemaSubject(f.Subject)
		f.Old = c.realPos(c.old, f.Old)
		f.New = c.realPos(c.new, f.New)
		f.Kind = compat.KindOpenAPI
		f.Operations = nil
		c.add(f, ref, r, nil, nil)
	}
}

// schemaSubject turns the engine's "path#/pointer" subject, which names a virtual
// document, into this package's spelling of the real location.
func (c *comparer) schemaSubject(subject string) string {
	file, ptr, ok := strings.Cut(subject, "#")
	if !ok {
		return subject
	}
	for _, sp := range []*spec{c.new, c.old} {
		if l, ok := sp.units.real(file, ptr); ok {
			return sp.subject(l)
		}
	}
	return subject
}

// realPos replaces the virtual document of a position by its real file; the line and
// column already come from the real file.
func (c *comparer) realPos(sp *spec, p *compat.Position) *compat.Position {
	if p == nil {
		return nil
	}
	if l, ok := sp.units.real(p.File, ""); ok {
		q := *p
		q.File = l.file
		return &q
	}
	return p
}
