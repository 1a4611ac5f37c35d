package jsonschema

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// IgnoreKeyword is the keyword that holds inline ignore directives on a schema object of
// the NEW version, in JSON Schema files and in the schemas of OpenAPI documents. It is a
// keyword of no draft, so validators and metaschemas ignore it, and the comparison never
// reads it: adding, changing or removing one is no change of the contract.
const IgnoreKeyword = "x-compatcheck-ignore"

// IgnoreText is one "RULE reason" text of an x-compatcheck-ignore value.
type IgnoreText struct {
	// Text is the directive as written, to be read with compat.ParseDirective.
	Text string
	// Index is the text's place in the list it is an item of, or -1 when the value is a
	// single string; with it the caller positions the directive and its errors.
	Index int
}

// IgnoreValueError says that an x-compatcheck-ignore value is neither a string nor a
// list of strings. Index is the list item at fault, or -1 when the value itself is.
type IgnoreValueError struct{ Index int }

func (e *IgnoreValueError) Error() string {
	return IgnoreKeyword + ` must be a string "RULE reason" or a list of them`
}

// IgnoreTexts reads the value of an x-compatcheck-ignore keyword as decoded from JSON or
// YAML: a string "RULE reason" or a list of them. Any other value is an
// *IgnoreValueError, the only error it returns, which the caller positions. Both the JSON Schema and the OpenAPI
// engine read the keyword with it, so that the two accept the same forms.
func IgnoreTexts(v any) ([]IgnoreText, error) {
	switch x := v.(type) {
	case string:
		return []IgnoreText{{Text: x, Index: -1}}, nil
	case []any:
		out := make([]IgnoreText, 0, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, &IgnoreValueError{Index: i}
			}
			out = append(out, IgnoreText{Text: s, Index: i})
		}
		return out, nil
	}
	return nil, &IgnoreValueError{Index: -1}
}

// ignore is one inline ignore of the NEW version and the schema it is written on.
type ignore struct {
	compat.Directive
	// covers are the locations ("file#pointer") of the schema holding it: a finding whose
	// subject is one of them or lies below one of them is covered. There are two when a
	// single file is compared with a file of another name, since a finding about what
	// only the old file has is named after the old file.
	covers []string
	// depth is how many pointer tokens deep the schema is, so that the innermost
	// directive's reason is the one a finding shows.
	depth int
}

// readIgnores finds the x-compatcheck-ignore keywords of NEW's documents. They are read on
// every schema object: the root of a file and every subschema reached through the
// keywords that hold schemas (properties, items, allOf, $defs…), and the objects inside
// the values of unknown keywords, where a $ref may point. Instance data (enum, const,
// default, examples) is never read: a key there is data. oldFile is the old file's name
// when two single files are compared, or "".
//
// A directive without a reason, naming a rule no JSON Schema finding carries, or of a
// value that is neither a string nor a list of strings is a positioned error.
func readIgnores(src compat.Source, docs []Document, oldFile string) ([]*ignore, error) {
	var out []*ignore
	for _, d := range docs {
		if !mentionsIgnore(d.Value) {
			continue // most documents hold none: skip the ordered walk
		}
		r := &ignoreReader{src: src, doc: d, oldFile: oldFile}
		if err := r.schema("", d.Value, 0); err != nil {
			return nil, err
		}
		out = append(out, r.out...)
	}
	// The innermost directive comes first, so its reason is the one a finding it shares
	// with an enclosing directive shows. The walk's order (documents by path, keys
	// sorted) breaks ties, so the result is the same on every run.
	slices.SortStableFunc(out, func(a, b *ignore) int { return cmp.Compare(b.depth, a.depth) })
	return out, nil
}

// mentionsIgnore reports whether the keyword is a key anywhere in v, instance data
// included. It allocates nothing, unlike the walk that reads directives in order.
func mentionsIgnore(v any) bool {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x[IgnoreKeyword]; ok {
			return true
		}
		for _, e := range x {
			if mentionsIgnore(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentionsIgnore(e) {
				return true
			}
		}
	}
	return false
}

// ignoreReader walks one document of NEW for directives.
type ignoreReader struct {
	src     compat.Source
	doc     Document
	oldFile string
	out     []*ignore
}

// schema reads the directives of the schema v at ptr and of everything below it.
func (r *ignoreReader) schema(ptr string, v any, depth int) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil // a boolean schema, or a value under an unknown keyword
	}
	if x, ok := m[IgnoreKeyword]; ok {
		if err := r.directives(ptr, x, depth); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		x := m[k]
		at := ptr + "/" + escapePointer(k)
		switch {
		case k == IgnoreKeyword || dataKeywords[k]:
		case schemaMapKeywords[k]:
			sub, _ := x.(map[string]any)
			for _, name := range slices.Sorted(maps.Keys(sub)) {
				if err := r.schema(at+"/"+escapePointer(name), sub[name], depth+2); err != nil {
					return err
				}
			}
		case schemaKeywords[k] || schemaListKeywords[k] || !jsonSchemaKeywords[k]:
			if list, ok := x.([]any); ok {
				for i, e := range list {
					if err := r.schema(at+"/"+strconv.Itoa(i), e, depth+2); err != nil {
						return err
					}
				}
			} else if err := r.schema(at, x, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// directives parses the value x of the keyword on the schema at ptr.
func (r *ignoreReader) directives(ptr string, x any, depth int) error {
	kw := ptr + "/" + IgnoreKeyword
	textPtr := func(i int) string {
		if i < 0 {
			return kw
		}
		return kw + "/" + strconv.Itoa(i)
	}
	texts, err := IgnoreTexts(x)
	if err != nil {
		return r.errAt(textPtr(err.(*IgnoreValueError).Index), err.Error())
	}
	covers := []string{r.doc.Path + "#" + ptr}
	if r.oldFile != "" && r.oldFile != r.doc.Path {
		covers = append(covers, r.oldFile+"#"+ptr)
	}
	for _, t := range texts {
		rule, reason, err := parseDirective(t.Text)
		if err != nil {
			return r.errAt(textPtr(t.Index), err.Error())
		}
		line, col := r.lineCol(textPtr(t.Index))
		r.out = append(r.out, &ignore{
			Directive: compat.Directive{Rule: rule, Reason: reason, Pos: compat.Position{File: r.doc.Path, Line: line, Column: col}},
			covers:    covers,
			depth:     depth,
		})
	}
	return nil
}

func (r *ignoreReader) lineCol(ptr string) (int, int) {
	if r.doc.Pos == nil {
		return 0, 0
	}
	return r.doc.Pos(ptr)
}

func (r *ignoreReader) errAt(ptr, msg string) error {
	line, col := r.lineCol(ptr)
	return r.src.Errorf(r.doc.Path, line, col, "%s", msg)
}

// parseDirective reads "RULE reason" as a directive of a JSON Schema file, which only
// the rules of this package can match. A rule of another engine gets its own message:
// "unknown" would send the user looking for a typo.
func parseDirective(text string) (string, string, error) {
	rule, reason, err := compat.ParseDirective(compat.KindJSONSchema, text)
	if err == nil {
		return rule, reason, nil
	}
	if id, _, aerr := compat.ParseDirective("", text); aerr == nil {
		other, _ := compat.LookupRule(id)
		return "", "", fmt.Errorf("%s names %s rule %s, which no JSON Schema finding carries (compatcheck rules --kind jsonschema lists those)",
			compat.DirectiveWord, other.Kind, id)
	}
	return "", "", err
}

// suppressIgnored marks the findings the directives cover, with the innermost covering
// directive's reason, and returns the directives that covered none.
func suppressIgnored(findings []compat.Finding, ds []*ignore) []compat.Directive {
	plain := make([]compat.Directive, len(ds))
	for i, d := range ds {
		plain[i] = d.Directive
	}
	return compat.Suppress(findings, plain, func(i int, f compat.Finding) bool {
		return slices.ContainsFunc(ds[i].covers, func(at string) bool {
			return f.Subject == at || strings.HasPrefix(f.Subject, at+"/")
		})
	})
}
