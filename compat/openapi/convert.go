package openapi

import (
	"strings"
)

// schemaKeywords that hold one subschema, a map of subschemas or a list of subschemas.
var (
	oneSchema  = []string{"additionalProperties", "items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems"}
	mapSchema  = []string{"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"}
	listSchema = []string{"allOf", "anyOf", "oneOf", "prefixItems"}
)

// nameMaps are the OpenAPI objects whose keys are names chosen by the author.
var nameMaps = map[string]bool{
	"paths": true, "webhooks": true, "callbacks": true, "headers": true, "content": true, "responses": true,
	"schemas": true, "parameters": true, "requestBodies": true, "securitySchemes": true, "links": true, "pathItems": true,
	"encoding": true,
}

// prepare walks the whole API document: every schema it holds is converted to the
// 2020-12 dialect the JSON Schema engine compares (for OpenAPI 3.0 input), every file a
// $ref reaches is loaded, and reference cycles without structure are refused.
func (s *spec) prepare() error {
	p := &preparer{s: s, api: map[loc]bool{}, schemas: map[loc]bool{}}
	s.schemaRoots = map[loc]bool{}
	if err := p.apiLoc(loc{s.root, ""}, 0); err != nil {
		return err
	}
	// Schemas reached through $ref are visited from a work list rather than by
	// recursion: chains of references between components can be thousands long.
	for len(p.queue) > 0 {
		l := p.queue[len(p.queue)-1]
		p.queue = p.queue[:len(p.queue)-1]
		p.s.schemaRoots[l] = true
		if err := p.schema(l, 0); err != nil {
			return err
		}
	}
	return nil
}

type preparer struct {
	s       *spec
	api     map[loc]bool
	schemas map[loc]bool
	queue   []loc
}

// directiveAt is an x-compatcheck-ignore found while preparing a version: the object that
// holds it, its value as written, and whether that object is a schema.
type directiveAt struct {
	at     loc
	value  any
	schema bool
}

// apiWalk visits an OpenAPI (non-schema) object.
func (p *preparer) apiWalk(l loc, v any, depth int) error {
	if depth > maxDepth {
		return p.s.errAt(l, "document is nested too deeply")
	}
	switch x := v.(type) {
	case map[string]any:
		if d, ok := x[ignoreKey]; ok && !nameMaps[l.ptr[strings.LastIndexByte(l.ptr, '/')+1:]] {
			p.s.directives = append(p.s.directives, directiveAt{at: l, value: d})
		}
		if ref, ok := x["$ref"].(string); ok {
			to, err := p.s.resolveRef(l.child("$ref"), ref)
			if err != nil {
				return err
			}
			if _, _, err := p.s.derefValue(l, x); err != nil {
				return err
			}
			return p.apiLoc(to, depth+1)
		}
		parent := l.ptr[strings.LastIndexByte(l.ptr, '/')+1:]
		for _, k := range sortedKeys(x) {
			// Specification extensions (x-...) are skipped, except where keys are names
			// chosen by the author (a header may be called X-Rate-Limit).
			if k == "example" || k == "examples" || (strings.HasPrefix(k, "x-") && !nameMaps[parent]) {
				continue
			}
			if k != "schema" && !isContainer(x[k]) {
				continue // a scalar field holds nothing to visit
			}
			c := l.child(k)
			switch {
			case k == "schema":
				p.s.schemaRoots[c] = true
				if err := p.schemaValue(c, x[k], depth+1); err != nil {
					return err
				}
			case k == "schemas" && l.ptr == "/components" && l.file == p.s.root:
				if m, ok := x[k].(map[string]any); ok {
					for _, name := range sortedKeys(m) {
						p.s.schemaRoots[c.child(name)] = true
						if err := p.schemaValue(c.child(name), m[name], depth+1); err != nil {
							return err
						}
					}
				}
			default:
				if err := p.apiWalk(c, x[k], depth+1); err != nil {
					return err
				}
			}
		}
	case []any:
		for i, e := range x {
			if !isContainer(e) {
				continue
			}
			if err := p.apiWalk(l.child(itoa(i)), e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *preparer) apiLoc(l loc, depth int) error {
	if p.api[l] {
		return nil
	}
	p.api[l] = true
	v, _ := p.s.get(l)
	return p.apiWalk(l, v, depth)
}

// schema converts the schema at l and everything it reaches.
func (p *preparer) schema(l loc, depth int) error {
	if p.schemas[l] {
		return nil
	}
	v, _ := p.s.get(l)
	return p.schemaValue(l, v, depth)
}

// schemaValue is schema for the value v at l, which the caller already holds: looking
// every nested schema up from the document root was a fair part of loading a large API.
func (p *preparer) schemaValue(l loc, v any, depth int) error {
	if p.schemas[l] {
		return nil
	}
	p.schemas[l] = true
	if depth > maxDepth {
		return p.s.errAt(l, "schema is nested too deeply")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	// Read before the 3.0 conversion, which drops the siblings of a $ref.
	if d, ok := m[ignoreKey]; ok {
		p.s.directives = append(p.s.directives, directiveAt{at: l, value: d, schema: true})
	}
	if p.s.version == "3.0" {
		convert30(m)
	}
	if ref, ok := m["$ref"].(string); ok {
		to, err := p.s.resolveRef(l.child("$ref"), ref)
		if err != nil {
			return err
		}
		if _, _, err := p.s.derefValue(l, m); err != nil {
			return err
		}
		if !p.schemas[to] {
			p.queue = append(p.queue, to)
		}
	}
	for _, k := range oneSchema {
		if _, ok := m[k]; ok {
			if _, isList := m[k].([]any); isList {
				if err := p.list(l.child(k), m[k].([]any), depth); err != nil {
					return err
				}
				continue
			}
			if err := p.schemaValue(l.child(k), m[k], depth+1); err != nil {
				return err
			}
		}
	}
	for _, k := range mapSchema {
		if sub, ok := m[k].(map[string]any); ok {
			for _, name := range sortedKeys(sub) {
				if err := p.schemaValue(l.child(k, name), sub[name], depth+1); err != nil {
					return err
				}
			}
		}
	}
	for _, k := range listSchema {
		if sub, ok := m[k].([]any); ok {
			if err := p.list(l.child(k), sub, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *preparer) list(l loc, sub []any, depth int) error {
	for i := range sub {
		if err := p.schemaValue(l.child(itoa(i)), sub[i], depth+1); err != nil {
			return err
		}
	}
	return nil
}

// convert30 rewrites one OpenAPI 3.0 schema object, in place, into the JSON Schema
// 2020-12 dialect that OpenAPI 3.1 uses, so that a 3.0 → 3.1 migration of the same API
// compares equal:
//
//   - nullable: true adds "null" to type (and to enum), or wraps a typeless schema in
//     anyOf with {type: null};
//   - boolean exclusiveMinimum/exclusiveMaximum become the numeric 2020-12 keywords;
//   - siblings of $ref are ignored, as OpenAPI 3.0 says, except nullable;
//   - example, xml and externalDocs are documentation and dropped.
func convert30(m map[string]any) {
	nullable, _ := m["nullable"].(bool)
	delete(m, "nullable")
	delete(m, "example")
	delete(m, "xml")
	delete(m, "externalDocs")
	if ref, ok := m["$ref"].(string); ok {
		for k := range m {
			if k != "$ref" {
				delete(m, k)
			}
		}
		if nullable {
			delete(m, "$ref")
			m["anyOf"] = []any{map[string]any{"$ref": ref}, map[string]any{"type": "null"}}
		}
		return
	}
	for _, kw := range [][2]string{{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}} {
		if b, ok := m[kw[0]].(bool); ok {
			delete(m, kw[0])
			if b {
				if bound, ok := m[kw[1]]; ok {
					m[kw[0]] = bound
					delete(m, kw[1])
				}
			}
		}
	}
	if !nullable {
		return
	}
	switch t := m["type"].(type) {
	case string:
		m["type"] = []any{t, "null"}
	case []any:
		if !containsValue(t, "null") {
			m["type"] = append(t, "null")
		}
	case nil:
		_, a := m["allOf"]
		_, b := m["anyOf"]
		_, c := m["oneOf"]
		if a || b || c {
			rest := map[string]any{}
			for k, v := range m {
				rest[k] = v
				delete(m, k)
			}
			m["anyOf"] = []any{rest, map[string]any{"type": "null"}}
			return
		}
	}
	if e, ok := m["enum"].([]any); ok && !containsValue(e, nil) {
		m["enum"] = append(e, nil)
	}
}

func containsValue(list []any, v any) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
