package jsonschema

import (
	"regexp"
	"strconv"
	"strings"
)

// JSON Schema and OpenAPI patterns are ECMA-262 regular expressions; the validator library
// and this engine's automata use Go's RE2, which lacks lookaround, backreferences and
// repetition counts above 1,000, all common in published specs (most of AWS's APIs use
// them, and Java's \p{Print} besides). Such a pattern is kept as written in the model, where it only compares equal to
// the same text (a change is undecided), and the documents handed to the library hold ""
// in its place, which matches every string: the library then over-accepts strings the
// pattern would reject, so the engine reports no witness produced by a schema that
// reaches such a pattern (see reachesOpaque).

// opaquePattern reports whether a pattern keyword's value is a string RE2 cannot compile.
// Patterns SHOULD be ECMA-262 regular expressions (the specification does not require
// it), and published specs also carry other dialects (Java's \p{Print} in AWS's): every
// such string is compared as text rather than refused.
func opaquePattern(x any) bool {
	s, ok := x.(string)
	if !ok {
		return false
	}
	_, err := regexp.Compile(s)
	return err != nil
}

// Keywords whose value is one schema, an object of schemas or an array of schemas.
var (
	schemaKeywords = map[string]bool{"items": true, "additionalItems": true, "additionalProperties": true,
		"propertyNames": true, "if": true, "then": true, "else": true, "not": true, "contains": true,
		"unevaluatedItems": true, "unevaluatedProperties": true, "contentSchema": true}
	schemaMapKeywords = map[string]bool{"properties": true, "patternProperties": true, "$defs": true,
		"definitions": true, "dependentSchemas": true, "dependencies": true}
	schemaListKeywords = map[string]bool{"allOf": true, "anyOf": true, "oneOf": true, "prefixItems": true, "items": true}
)

// withoutOpaquePatterns returns the schema document v with every pattern keyword RE2
// cannot compile replaced by "", and whether there was one; v itself is returned, and not
// copied, when there was none. Only schema positions are visited, so instance data (enum,
// const, default, examples) is never touched.
func withoutOpaquePatterns(v any, depth int) (any, bool) {
	m, ok := v.(map[string]any)
	if !ok || depth > maxDecodeDepth {
		return v, false
	}
	var out map[string]any
	set := func(k string, x any) {
		if out == nil {
			out = make(map[string]any, len(m))
			for k, x := range m {
				out[k] = x
			}
		}
		out[k] = x
	}
	for k, x := range m {
		switch {
		case k == "pattern" && opaquePattern(x):
			set(k, "")
		case schemaMapKeywords[k]:
			sub, ok := x.(map[string]any)
			if !ok {
				continue
			}
			var copied map[string]any
			for name, e := range sub {
				if c, changed := withoutOpaquePatterns(e, depth+1); changed {
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
		case schemaListKeywords[k] || schemaKeywords[k]:
			if list, ok := x.([]any); ok && schemaListKeywords[k] {
				var copied []any
				for i, e := range list {
					if c, changed := withoutOpaquePatterns(e, depth+1); changed {
						if copied == nil {
							copied = append([]any(nil), list...)
						}
						copied[i] = c
					}
				}
				if copied != nil {
					set(k, copied)
				}
			} else if c, changed := withoutOpaquePatterns(x, depth+1); changed {
				set(k, c)
			}
		}
	}
	if out == nil {
		return v, false
	}
	return out, true
}

// libraryValue returns what the library is handed for document d: d's value with its
// opaque patterns replaced (computed once).
func (sc *Schemas) libraryValue(d *Document) any {
	if v, ok := sc.libValues[d.Path]; ok {
		return v
	}
	v, _ := withoutOpaquePatterns(d.Value, 0)
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
	v := d.Value
	if ptr != "" {
		for _, tok := range splitPointer(ptr) {
			switch x := v.(type) {
			case map[string]any:
				if v, ok = x[tok]; !ok {
					return "", false
				}
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(x) {
					return "", false
				}
				v = x[i]
			default:
				return "", false
			}
		}
	}
	m, _ := v.(map[string]any)
	if p := m["pattern"]; opaquePattern(p) {
		return p.(string), true
	}
	return "", false
}

// splitPointer splits a JSON pointer ("/a/b~1c") into its unescaped tokens.
func splitPointer(ptr string) []string {
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		toks[i] = unescapePointer(t)
	}
	return toks
}

// opaqueText reports whether n's pattern is one RE2 cannot read.
func opaqueText(n *node) bool { return n.pattern != "" && n.patternRe == nil }
