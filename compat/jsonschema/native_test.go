package jsonschema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// librarySchemas builds the Schemas of docs without native mode.
func librarySchemas(t *testing.T, docs []Document) (*Schemas, error) {
	t.Helper()
	forceLibrary = true
	defer func() { forceLibrary = false }()
	return NewSchemas(docs)
}

// checkNativeMatchesLibrary builds every schema location of a native version both ways
// and requires the two models to be the same graph. It returns how many locations it
// checked, or -1 when the version is not native.
func checkNativeMatchesLibrary(t *testing.T, name string, docs []Document) int {
	t.Helper()
	nat, err := NewSchemas(docs)
	if err != nil || nat.native == nil {
		return -1
	}
	lib, err := librarySchemas(t, docs)
	require.NoError(t, err, name)
	require.Nil(t, lib.native)
	locs := make([]string, 0, len(nat.native.locs))
	for l := range nat.native.locs {
		locs = append(locs, l)
	}
	sort.Strings(locs)
	m := &nodeMatcher{t: t, name: name, pairs: map[*node]*node{}}
	for _, l := range locs {
		ln, lerr := lib.schemaAt(l)
		nn, nerr := nat.schemaAt(l)
		require.NoError(t, lerr, "%s: library %s", name, l)
		require.NoError(t, nerr, "%s: native %s", name, l)
		m.same(ln, nn, l)
		checkValidMatchesLibrary(t, name+" "+l, ln, nn)
	}
	return len(locs)
}

// nodeMatcher compares a library-built node graph with a native one.
type nodeMatcher struct {
	t     *testing.T
	name  string
	pairs map[*node]*node // library node → the native node it matched
}

func (m *nodeMatcher) same(l, n *node, at string) {
	t := m.t
	t.Helper()
	if l == nil || n == nil {
		require.True(t, l == nil && n == nil, "%s %s: one side has no schema (library %v, native %v)", m.name, at, l != nil, n != nil)
		return
	}
	if !l.synthetic {
		if prev, ok := m.pairs[l]; ok {
			require.Same(t, prev, n, "%s %s: one library schema matched two native ones", m.name, at)
			return
		}
		m.pairs[l] = n
	}
	where := fmt.Sprintf("%s %s (%s)", m.name, at, l.loc())
	require.Equal(t, l.file+"#"+l.ptr, n.file+"#"+n.ptr, where)
	require.Equal(t, l.synthetic, n.synthetic, where)
	require.Equal(t, l.open, n.open, where)
	require.Equal(t, l.declaredTypes, n.declaredTypes, where)
	require.Equal(t, l.types, n.types, where)
	require.Equal(t, l.hasEnum, n.hasEnum, where)
	require.Equal(t, canonicalAll(l.enum), canonicalAll(n.enum), where)
	require.Equal(t, ratText(l.lo), ratText(n.lo), where)
	require.Equal(t, ratText(l.hi), ratText(n.hi), where)
	require.Equal(t, ratText(l.multipleOf), ratText(n.multipleOf), where)
	require.Equal(t, []bool{l.loExcl, l.hiExcl, l.loExclKw, l.hiExclKw, l.isConst, l.tupleItems, l.unique, l.readOnly, l.writeOnly, l.deprecated},
		[]bool{n.loExcl, n.hiExcl, n.loExclKw, n.hiExclKw, n.isConst, n.tupleItems, n.unique, n.readOnly, n.writeOnly, n.deprecated}, where)
	require.Equal(t, []int{l.minLen, l.maxLen, l.minItems, l.maxItems, l.minContains, l.maxContains, l.minProps, l.maxProps},
		[]int{n.minLen, n.maxLen, n.minItems, n.maxItems, n.minContains, n.maxContains, n.minProps, n.maxProps}, where)
	require.Equal(t, l.pattern, n.pattern, where)
	require.Equal(t, l.format, n.format, where)
	require.Equal(t, nonNil(l.propNames), nonNil(n.propNames), where)
	require.Equal(t, len(l.props), len(n.props), where)
	require.Equal(t, nonNil(l.required), nonNil(n.required), where)
	require.Equal(t, nonNil(l.requiredList), nonNil(n.requiredList), where)
	require.Equal(t, nonNil(l.depRequired), nonNil(n.depRequired), where)
	require.Equal(t, nonNil(l.depKw), nonNil(n.depKw), where)
	require.Equal(t, nonNil(l.deprecatedProps), nonNil(n.deprecatedProps), where)
	require.Equal(t, len(l.patternProps), len(n.patternProps), where)
	for i := range l.patternProps {
		require.Equal(t, l.patternProps[i].src, n.patternProps[i].src, where)
		m.same(l.patternProps[i].n, n.patternProps[i].n, at+" patternProperties")
	}
	for name, lp := range l.props {
		m.same(lp, n.props[name], at+" properties/"+name)
	}
	require.Equal(t, len(l.depSchemas), len(n.depSchemas), where)
	for k, ld := range l.depSchemas {
		m.same(ld, n.depSchemas[k], at+" dependentSchemas/"+k)
	}
	lists := []struct {
		kw   string
		l, n []*node
	}{{"prefixItems", l.prefix, n.prefix}, {"allOf", l.allOf, n.allOf}, {"anyOf", l.anyOf, n.anyOf}, {"oneOf", l.oneOf, n.oneOf}}
	for _, x := range lists {
		require.Equal(t, len(x.l), len(x.n), "%s %s", where, x.kw)
		for i := range x.l {
			m.same(x.l[i], x.n[i], fmt.Sprintf("%s %s/%d", at, x.kw, i))
		}
	}
	singles := []struct {
		kw   string
		l, n *node
	}{{"items", l.items, n.items}, {"contains", l.contains, n.contains}, {"additionalProperties", l.additional, n.additional},
		{"propertyNames", l.propertyNames, n.propertyNames}, {"not", l.not, n.not}, {"if", l.ifN, n.ifN}, {"then", l.thenN, n.thenN},
		{"else", l.elseN, n.elseN}, {"unevaluatedProperties", l.unevaluatedProps, n.unevaluatedProps}, {"unevaluatedItems", l.unevaluatedItems, n.unevaluatedItems}}
	for _, x := range singles {
		m.same(x.l, x.n, at+" "+x.kw)
	}
}

func canonicalAll(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = canonical(v)
	}
	return out
}

func ratText(r *big.Rat) string {
	if r == nil {
		return "absent"
	}
	return r.RatString()
}

// goldenSides returns the decoded documents of every side of every golden archive.
func goldenSides(t *testing.T) map[string][]Document {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	out := map[string][]Document{}
	for _, f := range files {
		ar, err := txtar.ParseFile(f)
		require.NoError(t, err)
		old, new := compattest.Trees(ar)
		for side, src := range map[string]compat.Source{"old": old, "new": new} {
			docs, _, err := readSide(src)
			if err != nil {
				continue
			}
			out[f+" "+side] = docs
		}
	}
	return out
}

// TestNativeModelMatchesLibrary builds, for every golden archive side that native mode
// takes, every schema both ways and requires the same model.
func TestNativeModelMatchesLibrary(t *testing.T) {
	sides, native, locs := 0, 0, 0
	names := []string{}
	all := goldenSides(t)
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sides++
		if n := checkNativeMatchesLibrary(t, name, all[name]); n >= 0 {
			native++
			locs += n
		}
	}
	t.Logf("%d of %d golden sides are native; %d schema locations matched", native, sides, locs)
	require.Greater(t, native, 20, "the goldens must exercise native mode")
}

// TestNativeModelEdgeCases covers spellings the goldens may not: escaped names, float
// and exact bounds, boolean schemas, wrappers, references between documents, enum values
// the schema itself rejects. Each case states whether native mode must take it.
func TestNativeModelEdgeCases(t *testing.T) {
	tests := []struct {
		name   string
		docs   map[string]string
		native bool
	}{
		{"escaped names", map[string]string{"a.json": `{"type":"object","properties":{"a/b":{"type":"string"},"c~d":{"$ref":"#/properties/a~1b"},"e f":{"$ref":"#/properties/e%20f2"},"e f2":{"minLength":2},"p%q":{"$ref":"#/properties/p%25q2"},"p%q2":true}}`}, true},
		{"numbers", map[string]string{"a.json": `{"type":"number","minimum":1.5,"exclusiveMinimum":1.5,"maximum":1e3,"exclusiveMaximum":999.99,"multipleOf":0.01}`}, true},
		{"exclusive only", map[string]string{"a.json": `{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":10}`}, true},
		{"booleans", map[string]string{"a.json": `{"properties":{"t":true,"f":false},"additionalProperties":false,"items":false,"not":true}`}, true},
		{"wrappers", map[string]string{"a.json": `{"definitions":{"x":{"allOf":[{"$ref":"#/definitions/y"}],"title":"x"},"y":{"type":"string"}},"anyOf":[{"$ref":"#/definitions/x"},{"allOf":[{"type":"null"}],"readOnly":true}]}`}, true},
		{"across documents", map[string]string{"a.json": `{"$ref":"sub/b.json#/definitions/x"}`, "sub/b.json": `{"definitions":{"x":{"type":"object","properties":{"back":{"$ref":"../a.json"}}}}}`}, true},
		{"enum filtered by the schema", map[string]string{"a.json": `{"type":"string","enum":["a",1,null,"a","bb"],"maxLength":1}`}, true},
		{"const", map[string]string{"a.json": `{"const":{"k":[1,2.50]}}`}, true},
		{"if then else", map[string]string{"a.json": `{"if":{"required":["a"]},"then":{"required":["b"]},"else":{"maxProperties":0}}`}, true},
		{"then without if", map[string]string{"a.json": `{"then":{"required":["b"]}}`}, true},
		{"recursive through properties", map[string]string{"a.json": `{"type":"object","properties":{"child":{"anyOf":[{"type":"string"},{"$ref":"#"}]}}}`}, true},
		{"patterns", map[string]string{"a.json": `{"pattern":"^a+$","patternProperties":{"^x-":{"type":"string"}},"propertyNames":{"maxLength":3}}`}, true},
		{"uniqueItems false and empty lists", map[string]string{"a.json": `{"allOf":[{"uniqueItems":false,"required":[],"properties":{}}]}`}, true},
		{"required order", map[string]string{"a.json": `{"required":["z","a","m"]}`}, true},
		{"same-instance cycle", map[string]string{"a.json": `{"anyOf":[{"type":"string"},{"$ref":"#"}]}`}, false},
		{"length spelled 1.0", map[string]string{"a.json": `{"maxLength":1.0}`}, false},
		{"$defs", map[string]string{"a.json": `{"$defs":{"x":{"type":"string"}},"properties":{"a":{"$ref":"#/$defs/x"}}}`}, true},
		{"$ref beside definitions and annotations", map[string]string{"a.json": `{"$defs":{"x":{"type":"string"}},"$ref":"#/$defs/x","title":"t","readOnly":true}`}, true},
		{"$ref beside an assertion", map[string]string{"a.json": `{"$defs":{"x":{"type":"string"}},"$ref":"#/$defs/x","maxLength":3}`}, false},
		{"dangling ref", map[string]string{"a.json": `{"properties":{"a":{"$ref":"#/definitions/nope"}}}`}, false},
		{"remote ref", map[string]string{"a.json": `{"properties":{"a":{"$ref":"https://example.com/s.json"}}}`}, false},
		{"ref into a non-schema", map[string]string{"a.json": `{"properties":{"a":{"$ref":"#/required"}},"required":["a"]}`}, false},
		{"invalid type", map[string]string{"a.json": `{"type":"strin"}`}, false},
		{"patterns RE2 cannot read", map[string]string{"a.json": `{"properties":{"a":{"pattern":"^(?!aws:).+$","enum":["x","aws:y"]},"b":{"pattern":"^a{1,2000}$"},"c":{"pattern":"\\p{Print}+"},"d":{"pattern":"("}}}`}, true},
		{"pattern that is not a string", map[string]string{"a.json": `{"pattern":1}`}, false},
		{"keywords of no draft", map[string]string{"a.json": `{"type":"object","discriminator":{"propertyName":"kind","mapping":{"a":"#/x"}},"x-ext":{"$ref":"nowhere.json"},"properties":{"a":{"$ref":"#/definitions/a","xml":{"name":"A"}}},"definitions":{"a":{"type":"string","example":"x"}}}`}, true},
		{"keyword of another draft", map[string]string{"a.json": `{"type":"array","contains":{"type":"string"},"minContains":2}`}, false},
		{"deprecated", map[string]string{"a.json": `{"type":"object","properties":{"old":{"type":"string","deprecated":true},"ref":{"$ref":"#/$defs/x","deprecated":true}},"$defs":{"x":{"type":"string"}}}`}, true},
		{"root $id, fragment refs", map[string]string{"a.json": `{"$id":"https://example.com/a.json","properties":{"a":{"$ref":"#/$defs/x"}},"$defs":{"x":{"type":"string"}}}`}, true},
		{"root $id, relative ref", map[string]string{"a.json": `{"$id":"https://example.com/a.json","properties":{"a":{"$ref":"b.json"}}}`, "b.json": `{"type":"string"}`}, false},
		{"ref to a root $id", map[string]string{"a.json": `{"$id":"https://example.com/a.json","type":"string"}`, "b.json": `{"properties":{"a":{"$ref":"https://example.com/a.json"}}}`}, false},
		{"relative root $id", map[string]string{"a.json": `{"$id":"a.json","type":"string"}`}, false},
		{"nested $id", map[string]string{"a.json": `{"properties":{"a":{"$id":"https://example.com/x.json","type":"string"}}}`}, false},
		{"contains", map[string]string{"a.json": `{"contains":{"type":"string"}}`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := docsOf(t, tt.docs)
			n := checkNativeMatchesLibrary(t, tt.name, docs)
			require.Equal(t, tt.native, n >= 0, "native mode taken")
		})
	}
}

func docsOf(t testing.TB, files map[string]string) []Document {
	var docs []Document
	for p, text := range files {
		v, _, err := decodeFile(p, []byte(text))
		require.NoError(t, err)
		docs = append(docs, Document{Path: p, Value: v})
	}
	return docs
}

// FuzzNativeModel builds arbitrary documents both ways: whenever native mode takes a
// document, its model must equal the library's.
func FuzzNativeModel(f *testing.F) {
	for _, pair := range compattest.SeedPairs(f, "testdata/*.txtar", ".json") {
		f.Add(pair[0])
	}
	f.Add([]byte(`{"anyOf":[{"type":"string"},{"$ref":"#/definitions/x"}],"definitions":{"x":{"properties":{"a/b":{"$ref":"#"}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, _, err := decodeFile("a.json", data)
		if err != nil {
			return
		}
		checkNativeMatchesLibrary(t, "fuzz", []Document{{Path: "a.json", Value: v}})
	})
}

// nonNil spells an empty map or slice, nil or not, as nil, for comparing models.
func nonNil(v any) any {
	if r := reflect.ValueOf(v); (r.Kind() == reflect.Map || r.Kind() == reflect.Slice) && r.Len() == 0 {
		return nil
	}
	return v
}

// checkValidMatchesLibrary asks a native node, through every path validNode takes, about
// a battery of values and requires the library's answer on the compiled schema.
func checkValidMatchesLibrary(t *testing.T, where string, ln, nn *node) {
	t.Helper()
	if ln.s == nil {
		return
	}
	values := []any{nil, true, false, "", "a", "active", json.Number("0"), json.Number("1"), json.Number("1.5"), json.Number("-3"),
		map[string]any{}, []any{}, []any{"a", json.Number("1")}}
	values = append(values, ln.enum...)
	obj := map[string]any{}
	for _, p := range ln.propNames {
		obj[p] = "a"
	}
	values = append(values, obj)
	for _, v := range values {
		want := ln.s.Validate(v) == nil
		if ok, decided := typeAndEnumOnly(nn, v); decided {
			require.Equal(t, want, ok, "%s: typeAndEnumOnly(%s)", where, canonical(v))
		}
		require.Equal(t, want, nn.side.validNode(nn, v), "%s: validNode(%s)", where, canonical(v))
	}
}

// TestEnumFiltersCompileTogether checks that the enum filters a native build needs the
// library for are compiled as one document (every location is cached after one build),
// and that the batched answers are the library's on the real schemas.
func TestEnumFiltersCompileTogether(t *testing.T) {
	docs := docsOf(t, map[string]string{"a.json": `{"type": "object", "properties": {
		"short": {"type": "string", "enum": ["a", "bb", "ccc"], "maxLength": 2},
		"code":  {"type": "string", "enum": ["x1", "y", "z9"], "pattern": "^[a-z][0-9]$"},
		"day":   {"type": "string", "enum": ["2024-01-01", "not a date"], "format": "date"},
		"both":  {"type": ["string", "integer"], "enum": ["a", 1, 2.5], "minimum": 0},
		"ref":   {"$ref": "#/definitions/d"}},
		"definitions": {"d": {"enum": ["p", "q"], "not": {"const": "q"}}}}`})
	sc, err := NewSchemas(docs)
	require.NoError(t, err)
	require.NotNil(t, sc.native)
	_, err = sc.schemaAt("a.json#")
	require.NoError(t, err)
	for _, at := range []string{"/properties/short", "/properties/code", "/properties/day", "/properties/both", "/definitions/d"} {
		require.NotNil(t, sc.prune.scalar["a.json#"+at], "%s is cached by the batch", at)
	}
	// The root, five properties, the definition and its not: every one built both ways.
	require.Equal(t, 8, checkNativeMatchesLibrary(t, "enums", docs))
}
