package jsonschema

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck/compat/compattest"
	js "github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

// pruneDoc decodes a JSON document as the engine does (json.Number for numbers).
func pruneDoc(t testing.TB, path, text string) Document {
	t.Helper()
	v, pos, err := decodeFile(path, []byte(text))
	require.NoError(t, err, path)
	return Document{Path: path, Value: v, Pos: pos}
}

// allDraft7 reports whether every document registers as draft-07.
func allDraft7(docs []Document) bool {
	for _, d := range docs {
		if _, ok := compileAsDraft7(d.Value); !ok {
			return false
		}
	}
	return len(docs) > 0
}

// renameDefs rewrites "$defs" to "definitions" (keys and $ref fragments), which turns
// many 2020-12 test schemas into ones that register as draft-07.
func renameDefs(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == "$defs" {
				k = "definitions"
			}
			if s, ok := x.(string); ok && k == "$ref" {
				x = strings.ReplaceAll(s, "#/$defs/", "#/definitions/")
			} else {
				x = renameDefs(x)
			}
			out[k] = x
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = renameDefs(x)
		}
		return out
	}
	return v
}

// schemaLocations lists the pointers of every subschema of a schema document.
func schemaLocations(v any, ptr string, out *[]string) {
	*out = append(*out, ptr)
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for _, k := range []string{"additionalProperties", "items", "additionalItems", "propertyNames", "not", "if", "then", "else"} {
		if x, ok := m[k]; ok {
			switch x.(type) {
			case map[string]any, bool:
				schemaLocations(x, ptr+"/"+k, out)
			}
		}
	}
	for _, k := range []string{"properties", "patternProperties", "definitions"} {
		if x, ok := m[k].(map[string]any); ok {
			names := make([]string, 0, len(x))
			for n := range x {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				schemaLocations(x[n], ptr+"/"+k+"/"+escapePointer(n), out)
			}
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if x, ok := m[k].([]any); ok {
			for i, e := range x {
				schemaLocations(e, fmt.Sprintf("%s/%s/%d", ptr, k, i), out)
			}
		}
	}
}

var pruneScalars = []any{
	nil, true, false, json.Number("0"), json.Number("-1"), json.Number("1"), 1.5, json.Number("1e300"),
	json.Number("2.5"), "", "a", "abc", strings.Repeat("x", 300), strings.Repeat("y", 6000),
	"2020-01-01T00:00:00Z", "user@example.com", "5f1b2c9e-0e2a-4b6c-9d7e-1a2b3c4d5e6f", "123",
}

// schemaFacts gathers, from a schema and what it reaches through $ref and the
// combinators (a few levels), the property names and the literal values it mentions.
func schemaFacts(p *pruner, file string, s any, depth int, names map[string]bool, lits *[]any) {
	m, ok := s.(map[string]any)
	if !ok || depth > 4 {
		return
	}
	if ref, ok := m["$ref"].(string); ok {
		if tf, tp, err := p.resolve(file, ref); err == nil {
			if t, err := p.lookup(tf, tp); err == nil {
				schemaFacts(p, tf, t, depth+1, names, lits)
			}
		}
		return
	}
	if ps, ok := m["properties"].(map[string]any); ok {
		for n, x := range ps {
			names[n] = true
			if depth < 2 {
				schemaFacts(p, file, x, depth+2, names, lits)
			}
		}
	}
	if r, ok := m["required"].([]any); ok {
		for _, n := range r {
			if n, ok := n.(string); ok {
				names[n] = true
			}
		}
	}
	for _, k := range []string{"enum", "examples"} {
		if l, ok := m[k].([]any); ok {
			*lits = append(*lits, l...)
		}
	}
	for _, k := range []string{"const", "default"} {
		if x, ok := m[k]; ok {
			*lits = append(*lits, x)
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf"} {
		if l, ok := m[k].([]any); ok {
			for _, e := range l {
				schemaFacts(p, file, e, depth+1, names, lits)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not", "if", "then", "else"} {
		if x, ok := m[k]; ok {
			schemaFacts(p, file, x, depth+1, names, lits)
		}
	}
}

// pruneBattery returns the values the schema at file#ptr is checked with.
func pruneBattery(sc *Schemas, file, ptr string, extra []any) []any {
	p := &pruner{sc: sc, cache: sc.pruneCache(), draft7: map[string]bool{}}
	s, _ := p.lookup(file, ptr)
	names := map[string]bool{}
	var lits []any
	schemaFacts(p, file, s, 0, names, &lits)
	scalars := append(append([]any(nil), pruneScalars...), lits...)
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	if len(sorted) > 12 {
		sorted = sorted[:12]
	}
	vals := append([]any{map[string]any{}, []any{}}, scalars...)
	vals = append(vals, extra...)
	few := scalars
	if len(few) > 8 {
		few = append(append([]any(nil), scalars[:5]...), scalars[len(scalars)-3:]...)
	}
	var objs []any
	for _, x := range scalars {
		all := map[string]any{}
		for _, n := range sorted {
			all[n] = x
		}
		objs = append(objs, all)
	}
	for _, n := range sorted {
		for _, x := range few {
			objs = append(objs, map[string]any{n: x})
		}
		for _, n2 := range sorted[:min(4, len(sorted))] {
			objs = append(objs, map[string]any{n: map[string]any{n2: "a"}}, map[string]any{n: []any{map[string]any{n2: json.Number("1")}}})
		}
		objs = append(objs, map[string]any{n: map[string]any{}}, map[string]any{n: []any{}}, map[string]any{n: []any{"a", json.Number("1")}})
	}
	objs = append(objs, map[string]any{"zz-unknown": "a"}, map[string]any{"zz-unknown": map[string]any{"x": nil}})
	vals = append(vals, objs...)
	for i := 0; i+1 < len(objs); i += 7 {
		vals = append(vals, []any{objs[i]}, []any{objs[i], objs[i+1]})
	}
	for _, x := range few {
		vals = append(vals, []any{x}, []any{x, x}, []any{[]any{x}})
	}
	// Deduplicate.
	seen := map[string]bool{}
	out := vals[:0]
	for _, v := range vals {
		k := fmt.Sprintf("%T:%s", v, canonical(v))
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

// diffStats counts a differential run.
type diffStats struct{ locations, pairs, accepted, skipped int }

// differential checks validAt against the fully compiled schema at every subschema of
// every document of sc, for the battery of values (plus extra).
func differential(t *testing.T, name string, sc *Schemas, docs []Document, keep func(ptr string) bool, extra func(file, ptr string) []any, st *diffStats) {
	t.Helper()
	for _, d := range docs {
		var locs []string
		schemaLocations(d.Value, "", &locs)
		for _, ptr := range locs {
			if keep != nil && !keep(ptr) {
				continue
			}
			full, err := sc.compileAt(d.Path, ptr)
			if err != nil {
				st.skipped++
				// The library keeps the half-compiled schemas of a failed Compile, and a
				// later Compile of one of them "succeeds": start again from a clean compiler.
				var rerr error
				sc, rerr = NewSchemas(docs)
				require.NoError(t, rerr)
				continue
			}
			st.locations++
			var more []any
			if extra != nil {
				more = extra(d.Path, ptr)
			}
			for _, v := range pruneBattery(sc, d.Path, ptr, more) {
				ferr := full.Validate(v)
				var ve *js.ValidationError
				if ferr != nil && !errors.As(ferr, &ve) {
					st.skipped++
					continue
				}
				got, err := sc.validAt(d.Path, ptr, v)
				require.NoError(t, err, "%s: %s#%s with %s", name, d.Path, ptr, canonical(v))
				require.Equal(t, ferr == nil, got, "%s: %s#%s with %s", name, d.Path, ptr, canonical(v))
				st.pairs++
				if got {
					st.accepted++
				}
			}
		}
	}
}

func TestValidAtMatchesLibraryOnGoldenSchemas(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var direct, renamed diffStats
	sides := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		require.NoError(t, err)
		old, new := compattest.Trees(ar)
		for i, side := range [](func() ([]Document, []string, error)){
			func() ([]Document, []string, error) { return readSide(old) },
			func() ([]Document, []string, error) { return readSide(new) },
		} {
			docs, _, err := side()
			if err != nil || len(docs) == 0 {
				continue
			}
			name := fmt.Sprintf("%s/%s", filepath.Base(file), []string{"old", "new"}[i])
			st := &direct
			if !allDraft7(docs) {
				for j := range docs {
					docs[j].Value = renameDefs(docs[j].Value)
				}
				if !allDraft7(docs) {
					continue
				}
				st = &renamed
			}
			sc, err := NewSchemas(docs)
			if err != nil {
				continue
			}
			sides++
			differential(t, name, sc, docs, nil, nil, st)
		}
	}
	t.Logf("%d archive sides; as is: %d locations, %d (schema, value) pairs, %d accepted, %d skipped; with $defs renamed: %d locations, %d pairs, %d accepted, %d skipped",
		sides, direct.locations, direct.pairs, direct.accepted, direct.skipped, renamed.locations, renamed.pairs, renamed.accepted, renamed.skipped)
	require.Greater(t, direct.pairs, 500)
	require.Greater(t, renamed.pairs, 500)
	require.Greater(t, direct.accepted+renamed.accepted, 100)
}

// stripeDefs generates n definitions shaped like Stripe's schemas (as compat/openapi's
// stripeLike), as a plain JSON Schema document: "expandable" links anyOf [string, $ref],
// lists of $refs, free-form metadata, enums.
func stripeDefs(n int) map[string]any {
	rng := rand.New(rand.NewSource(1))
	name := func(i int) string { return fmt.Sprintf("resource_%04d", i) }
	defs := map[string]any{}
	for i := 0; i < n; i++ {
		props := map[string]any{
			"id":       map[string]any{"type": "string", "maxLength": 5000, "description": "Unique identifier for the object."},
			"object":   map[string]any{"type": "string", "enum": []any{name(i)}},
			"created":  map[string]any{"type": "integer", "format": "unix-time"},
			"livemode": map[string]any{"type": "boolean"},
			"metadata": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "maxLength": 500}},
			"status":   map[string]any{"type": "string", "enum": []any{"active", "inactive", "pending"}},
			"amount":   map[string]any{"type": "integer", "minimum": 0},
		}
		for j := 0; j < 3; j++ {
			target := rng.Intn(n)
			props[fmt.Sprintf("link_%d", j)] = map[string]any{
				"anyOf":       []any{map[string]any{"type": "string", "maxLength": 5000}, map[string]any{"$ref": "#/definitions/" + name(target)}},
				"description": "The ID of the linked object, or the object itself when expanded.",
			}
		}
		props["list"] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/definitions/" + name(rng.Intn(n))}}
		defs[name(i)] = map[string]any{
			"type": "object", "title": name(i),
			"required": []any{"id", "object", "created", "livemode"}, "properties": props,
		}
	}
	return defs
}

// stripeInstance generates a valid instance of definition i, expanding links to depth.
func stripeInstance(defs map[string]any, i int, depth int, rng *rand.Rand) map[string]any {
	name := fmt.Sprintf("resource_%04d", i)
	props := defs[name].(map[string]any)["properties"].(map[string]any)
	out := map[string]any{
		"id": fmt.Sprintf("id_%d", rng.Intn(1000)), "object": name, "created": json.Number("1700000000"), "livemode": rng.Intn(2) == 0,
		"metadata": map[string]any{"k": "v"}, "status": []string{"active", "inactive", "pending"}[rng.Intn(3)],
		"amount": json.Number(fmt.Sprint(rng.Intn(100))),
	}
	for j := 0; j < 3; j++ {
		k := fmt.Sprintf("link_%d", j)
		ref := props[k].(map[string]any)["anyOf"].([]any)[1].(map[string]any)["$ref"].(string)
		var t int
		fmt.Sscanf(ref, "#/definitions/resource_%d", &t)
		if depth > 0 && rng.Intn(2) == 0 {
			out[k] = stripeInstance(defs, t, depth-1, rng)
		} else {
			out[k] = "id_link"
		}
	}
	return out
}

func TestValidAtMatchesLibraryOnStripeShapedSchemas(t *testing.T) {
	defs := stripeDefs(60)
	data, err := json.Marshal(map[string]any{"definitions": defs, "type": "object", "properties": map[string]any{
		"data": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/definitions/resource_0000"}},
	}})
	require.NoError(t, err)
	doc := pruneDoc(t, "stripe.json", string(data))
	docs := []Document{doc}
	require.True(t, allDraft7(docs))
	sc, err := NewSchemas(docs)
	require.NoError(t, err)
	rng := rand.New(rand.NewSource(2))
	extra := func(file, ptr string) []any {
		var i int
		if _, err := fmt.Sscanf(ptr, "/definitions/resource_%d", &i); err != nil || strings.Count(ptr, "/") != 2 {
			return nil
		}
		var out []any
		for k := 0; k < 4; k++ {
			inst := stripeInstance(defs, i, 2, rng)
			out = append(out, inst)
			// And broken copies: a wrong enum deep inside, a missing required property.
			bad := stripeInstance(defs, i, 2, rng)
			delete(bad, "created")
			out = append(out, bad)
			deep := stripeInstance(defs, i, 2, rng)
			for _, l := range []string{"link_0", "link_1", "link_2"} {
				if m, ok := deep[l].(map[string]any); ok {
					m["status"] = "archived"
				}
			}
			out = append(out, deep)
		}
		return out
	}
	// Every definition and the root, and every subschema of a few definitions.
	keep := func(ptr string) bool {
		return strings.Count(ptr, "/") <= 2 || strings.HasPrefix(ptr, "/definitions/resource_000")
	}
	var st diffStats
	differential(t, "stripe", sc, docs, keep, extra, &st)
	t.Logf("stripe-shaped: %d locations, %d (schema, value) pairs, %d accepted, %d skipped", st.locations, st.pairs, st.accepted, st.skipped)
	require.Greater(t, st.pairs, 1000)
	require.Greater(t, st.accepted, 100)
}

// pruneSchemas builds Schemas from JSON documents given as path, text pairs.
func pruneSchemas(t testing.TB, files ...string) *Schemas {
	t.Helper()
	var docs []Document
	for i := 0; i+1 < len(files); i += 2 {
		docs = append(docs, pruneDoc(t, files[i], files[i+1]))
	}
	sc, err := NewSchemas(docs)
	require.NoError(t, err)
	return sc
}

// decodeValue decodes a JSON value with json.Number numbers.
func decodeValue(t testing.TB, text string) any {
	t.Helper()
	v, _, err := decodeFile("v.json", []byte(text))
	require.NoError(t, err, text)
	return v
}

// nested returns {"next": {"next": ... {}}} n levels deep.
func nested(n int) any {
	var v any = map[string]any{}
	for i := 0; i < n; i++ {
		v = map[string]any{"next": v}
	}
	return v
}

// distinctTree returns a binary tree {"l": ..., "r": ...} of the given depth whose
// subtrees are all distinct.
func distinctTree(depth int, next *int) any {
	if depth == 0 {
		*next++
		return json.Number(fmt.Sprint(*next))
	}
	return map[string]any{"l": distinctTree(depth-1, next), "r": distinctTree(depth-1, next)}
}

func TestValidAt(t *testing.T) {
	escaping := `{
		"definitions": {
			"a/b": {"type": "string"},
			"c~d": {"type": "integer"},
			"e%f": {"type": "boolean"},
			"g h": {"enum": ["x", "y"]},
			"~1": {"const": 1}
		},
		"properties": {
			"a/b": {"$ref": "#/definitions/a~1b"},
			"c~d": {"$ref": "#/definitions/c~0d"},
			"e%f": {"$ref": "#/definitions/e%25f"},
			"g h": {"$ref": "#/definitions/g%20h"},
			"t": {"$ref": "#/definitions/~01"}
		}
	}`
	tests := []struct {
		name  string
		files []string
		file  string
		ptr   string
		value string
		// raw, when set, is the value instead of value.
		raw  any
		want bool
		// err, when set, is a substring of the error validAt must return.
		err string
		// noFull skips the comparison with the fully compiled schema (which fails).
		noFull bool
	}{
		{name: "cycle through anyOf at the same instance", files: []string{"a.json", `{
			"definitions": {"a": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/a"}]}},
			"properties": {"x": {"$ref": "#/definitions/a"}}}`},
			file: "a.json", ptr: "/definitions/a", value: `"s"`, err: "cyclic $ref", noFull: true},
		{name: "cycle through allOf and not, from an object", files: []string{"a.json", `{
			"definitions": {"a": {"allOf": [{"not": {"$ref": "#/definitions/b"}}]}, "b": {"$ref": "#/definitions/a"}},
			"properties": {"x": {"$ref": "#/definitions/a"}}}`},
			file: "a.json", ptr: "/properties/x", value: `{"y": 1}`, err: "cyclic $ref", noFull: true},
		{name: "cycle to the root", files: []string{"a.json", `{"anyOf": [{"$ref": "#"}]}`},
			file: "a.json", ptr: "", value: `1`, err: "cyclic $ref", noFull: true},
		{name: "recursion through properties terminates", files: []string{"a.json", `{
			"definitions": {"n": {"type": "object", "properties": {"next": {"$ref": "#/definitions/n"}}, "additionalProperties": false}}}`},
			file: "a.json", ptr: "/definitions/n", raw: nested(maxDecodeDepth), want: true},
		{name: "recursion deeper than the bound", files: []string{"a.json", `{
			"definitions": {"n": {"type": "object", "properties": {"next": {"$ref": "#/definitions/n"}}}}}`},
			file: "a.json", ptr: "/definitions/n", raw: nested(maxPruneDepth/2 + 10), err: "deeper than", noFull: true},
		{name: "too many distinct subschemas", files: []string{"a.json", `{
			"definitions": {"t": {"anyOf": [{"type": "integer"}, {"properties": {"l": {"$ref": "#/definitions/t"}, "r": {"$ref": "#/definitions/t"}}}]}}}`},
			file: "a.json", ptr: "/definitions/t", raw: distinctTree(16, new(int)), err: "exceeds", noFull: true},
		{name: "ref to another document", files: []string{
			"main.json", `{"properties": {"x": {"$ref": "other.json#/definitions/x"}}}`,
			"other.json", `{"definitions": {"x": {"type": "integer", "maximum": 3}}}`},
			file: "main.json", ptr: "", value: `{"x": 3}`, want: true},
		{name: "ref to another document rejects", files: []string{
			"main.json", `{"properties": {"x": {"$ref": "other.json#/definitions/x"}}}`,
			"other.json", `{"definitions": {"x": {"type": "integer", "maximum": 3}}}`},
			file: "main.json", ptr: "/properties/x", value: `4`},
		{name: "relative ref between directories", files: []string{
			"a/main.json", `{"items": {"$ref": "../b/other.json"}}`,
			"b/other.json", `{"type": "string", "minLength": 2}`},
			file: "a/main.json", ptr: "", value: `["ab", "c"]`},
		{name: "ref to a document root with #", files: []string{
			"main.json", `{"items": {"$ref": "other.json#"}}`,
			"other.json", `{"type": "string", "minLength": 2}`},
			file: "main.json", ptr: "", value: `["ab", "cd"]`, want: true},
		{name: "ref out of the tree", files: []string{"a.json", `{"properties": {"x": {"$ref": "../../etc/passwd"}}}`},
			file: "a.json", ptr: "", value: `{"x": 1}`, err: "leaves the input tree", noFull: true},
		// References outside the input are opaque by default: read as accepting everything.
		{name: "remote ref", files: []string{"a.json", `{"properties": {"x": {"$ref": "https://example.com/s.json"}}}`},
			file: "a.json", ptr: "", value: `{"x": 1}`, want: true},
		{name: "missing document", files: []string{"a.json", `{"properties": {"x": {"$ref": "missing.json"}}}`},
			file: "a.json", ptr: "", value: `{"x": 1}`, want: true},
		{name: "ref not reached by the value is not resolved", files: []string{"a.json", `{"properties": {"x": {"$ref": "missing.json"}}}`},
			file: "a.json", ptr: "", value: `{"y": 1}`, want: true, noFull: true},
		{name: "missing pointer", files: []string{"a.json", `{"properties": {"x": {"$ref": "#/definitions/nope"}}}`},
			file: "a.json", ptr: "", value: `{"x": 1}`, err: "not found", noFull: true},
		{name: "document not registered as draft-07", files: []string{"a.json", `{"$defs": {"x": {"type": "string"}}, "$ref": "#/$defs/x", "maxLength": 3}`},
			file: "a.json", ptr: "", value: `"s"`, err: "not registered as draft-07"},
		{name: "document whose root is a $ref", files: []string{"main.json", `{"$ref": "other.json"}`, "other.json", `{"type": "string"}`},
			file: "main.json", ptr: "", value: `"s"`, want: true},
		{name: "$ref beside $defs and annotations", files: []string{"a.json", `{"$defs": {"x": {"type": "string", "deprecated": true}}, "$ref": "#/$defs/x", "title": "t"}`},
			file: "a.json", ptr: "", value: `1`},
		{name: "$ref beside $defs, accepted", files: []string{"a.json", `{"$defs": {"x": {"type": "string", "deprecated": true}}, "$ref": "#/$defs/x", "title": "t"}`},
			file: "a.json", ptr: "", value: `"s"`, want: true},
		{name: "value that is not JSON", files: []string{"a.json", `{"enum": ["a"]}`},
			file: "a.json", ptr: "", raw: []string{"a"}, err: "invalid jsonType", noFull: true},
		{name: "false property", files: []string{"a.json", `{"properties": {"a": false, "b": true}}`},
			file: "a.json", ptr: "", value: `{"a": 1}`},
		{name: "true property", files: []string{"a.json", `{"properties": {"a": false, "b": true}}`},
			file: "a.json", ptr: "", value: `{"b": 1}`, want: true},
		{name: "boolean schema at the pointer", files: []string{"a.json", `{"properties": {"a": false, "b": true}}`},
			file: "a.json", ptr: "/properties/a", value: `null`},
		{name: "true schema at the pointer", files: []string{"a.json", `{"properties": {"a": false, "b": true}}`},
			file: "a.json", ptr: "/properties/b", value: `{"x": [1]}`, want: true},
		{name: "false items", files: []string{"a.json", `{"items": false}`},
			file: "a.json", ptr: "", value: `[]`, want: true},
		{name: "false items, one element", files: []string{"a.json", `{"items": false}`},
			file: "a.json", ptr: "", value: `[1]`},
		{name: "false additionalProperties", files: []string{"a.json", `{"properties": {"a": {}}, "additionalProperties": false}`},
			file: "a.json", ptr: "", value: `{"a": 1, "b": 2}`},
		{name: "false additionalProperties, declared only", files: []string{"a.json", `{"properties": {"a": {}}, "additionalProperties": false}`},
			file: "a.json", ptr: "", value: `{"a": 1}`, want: true},
		{name: "patternProperties with additionalProperties", files: []string{"a.json", `{"patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": {"type": "string"}}`},
			file: "a.json", ptr: "", value: `{"x1": 1, "y": "s"}`, want: true},
		{name: "patternProperties with additionalProperties rejects", files: []string{"a.json", `{"patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": {"type": "string"}}`},
			file: "a.json", ptr: "", value: `{"x1": "s"}`},
		{name: "propertyNames", files: []string{"a.json", `{"propertyNames": {"maxLength": 2}}`},
			file: "a.json", ptr: "", value: `{"abc": 1}`},
		{name: "then without if is ignored", files: []string{"a.json", `{"then": false, "else": false}`},
			file: "a.json", ptr: "", value: `1`, want: true},
		{name: "if then else", files: []string{"a.json", `{"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"minimum": 5}}`},
			file: "a.json", ptr: "", value: `4`},
		{name: "additionalItems is ignored next to a single items", files: []string{"a.json", `{"items": {}, "additionalItems": false}`},
			file: "a.json", ptr: "", value: `[1, 2]`, want: true},
		{name: "pointer escaping: slash", files: []string{"a.json", escaping},
			file: "a.json", ptr: "", value: `{"a/b": 1}`},
		{name: "pointer escaping: tilde", files: []string{"a.json", escaping},
			file: "a.json", ptr: "", value: `{"c~d": 1}`, want: true},
		{name: "pointer escaping: percent", files: []string{"a.json", escaping},
			file: "a.json", ptr: "", value: `{"e%f": "s"}`},
		{name: "pointer escaping: space", files: []string{"a.json", escaping},
			file: "a.json", ptr: "", value: `{"g h": "y"}`, want: true},
		{name: "pointer escaping: tilde one", files: []string{"a.json", escaping},
			file: "a.json", ptr: "/properties/t", value: `2`},
		{name: "pointer escaping: escaped pointer given", files: []string{"a.json", escaping},
			file: "a.json", ptr: "/properties/a~1b", value: `"s"`, want: true},
		{name: "pointer escaping: in a file name", files: []string{"my schemas/a b.json", `{"properties": {"x": {"$ref": "c%20d.json"}}}`, "my schemas/c d.json", `{"type": "string"}`},
			file: "my schemas/a b.json", ptr: "", value: `{"x": 1}`},
		{name: "format asserted", files: []string{"a.json", `{"format": "date-time"}`},
			file: "a.json", ptr: "", value: `"yesterday"`},
		{name: "enum of objects", files: []string{"a.json", `{"enum": [{"a": [1, 2.0]}, "b"]}`},
			file: "a.json", ptr: "", value: `{"a": [1, 2]}`, want: true},
		{name: "integer type and big numbers", files: []string{"a.json", `{"type": "integer", "maximum": 1e300}`},
			file: "a.json", ptr: "", value: `1e300`, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := pruneSchemas(t, tt.files...)
			v := tt.raw
			if v == nil {
				v = decodeValue(t, tt.value)
			}
			done := make(chan struct{})
			var got bool
			var err error
			go func() {
				defer close(done)
				got, err = sc.validAt(tt.file, tt.ptr, v)
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("validAt hangs")
			}
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			if !tt.noFull {
				full, err := sc.compileAt(tt.file, tt.ptr)
				require.NoError(t, err)
				require.Equal(t, full.Validate(v) == nil, got, "the library disagrees")
			}
			// Asked again, the answer comes from the cache.
			again, err := sc.validAt(tt.file, tt.ptr, v)
			require.NoError(t, err)
			require.Equal(t, got, again)
		})
	}
}

func TestValidAtCachesScalars(t *testing.T) {
	sc := pruneSchemas(t, "a.json", `{"definitions": {"s": {"enum": ["a", "b"]}}, "properties": {"x": {"$ref": "#/definitions/s"}}}`)
	ok, err := sc.validAt("a.json", "/properties/x", "a")
	require.NoError(t, err)
	require.True(t, ok)
	cache := sc.pruneCache()
	first := cache.scalar["a.json#/properties/x"]
	require.NotNil(t, first)
	ok, err = sc.validAt("a.json", "/properties/x", "c")
	require.NoError(t, err)
	require.False(t, ok)
	require.Same(t, first, cache.scalar["a.json#/properties/x"])
	require.Len(t, cache.scalar, 1)
	// Objects are cached by their shape (values differing only in scalars share one), and
	// by their pruned document (an undeclared property is pruned away).
	for _, v := range []string{`{"x": "a"}`, `{"x": "b"}`, `{"x": "c"}`, `{"x": 1, "y": [2]}`} {
		_, err := sc.validAt("a.json", "", decodeValue(t, v))
		require.NoError(t, err)
	}
	require.Len(t, cache.shapes, 2)
	require.Len(t, cache.docs, 2) // the scalars' at /properties/x, the objects' at the root
	ok, err = sc.validAt("a.json", "", decodeValue(t, `{"x": "b", "y": [3]}`))
	require.NoError(t, err)
	require.True(t, ok)
	require.Len(t, cache.shapes, 2)
}

// TestValidAtCachesAnswers checks that a question asked again is answered from the cache
// with the library's answer, and that values which only canonical encoding would equate
// (1 and 1.0, which draft-04's integer tells apart) get keys of their own.
func TestValidAtCachesAnswers(t *testing.T) {
	sc := pruneSchemas(t, "a.json", `{"properties": {"n": {"type": "integer"}}}`)
	cache := sc.pruneCache()
	tests := []struct {
		value string
		want  bool
	}{
		{`{"n": 1}`, true},
		{`{"n": 1.5}`, false},
		{`{"n": "1"}`, false},
		{`{"n": 1}`, true},
		{`{}`, true},
	}
	for _, tt := range tests {
		v := decodeValue(t, tt.value)
		want, err := sc.validAtUncached(cache, "a.json", "", v)
		require.NoError(t, err)
		require.Equal(t, tt.want, want, tt.value)
		for range 2 {
			got, err := sc.validAt("a.json", "", v)
			require.NoError(t, err)
			require.Equal(t, want, got, tt.value)
		}
	}
	require.Len(t, cache.results, 4)
	var a, b strings.Builder
	writeExact(&a, json.Number("1"))
	writeExact(&b, json.Number("1.0"))
	require.NotEqual(t, a.String(), b.String())
	a.Reset()
	b.Reset()
	writeExact(&a, map[string]any{"a": "b", "c": nil})
	writeExact(&b, map[string]any{"a": "b\x00c", "": nil})
	require.NotEqual(t, a.String(), b.String())
}

func TestPrunedDocument(t *testing.T) {
	sc := pruneSchemas(t, "a.json", `{
		"definitions": {
			"n": {"type": "object", "required": ["id"], "description": "node",
				"properties": {"id": {"type": "string"}, "kids": {"type": "array", "items": {"$ref": "#/definitions/n"}}, "unused": {"$ref": "#/definitions/big"}},
				"additionalProperties": {"$ref": "#/definitions/big"}},
			"big": {"type": "object", "properties": {"a": {"type": "string"}}}
		}
	}`)
	doc, err := sc.prunedDoc(sc.pruneCache(), "a.json", "/definitions/n", decodeValue(t, `{"id": "x", "kids": [{"id": "y"}, {"id": "z"}]}`))
	require.NoError(t, err)
	// The two kids prune alike, at one value set; "unused" and additionalProperties reach
	// no value; big is never reached.
	want := `{"$schema":"http://json-schema.org/draft-07/schema#","allOf":[{"$ref":"#/definitions/d0"}],"definitions":{` +
		`"d0":{"description":"node","properties":{"id":{"type":"string"},"kids":{"items":{"$ref":"#/definitions/d1"},"type":"array"}},"required":["id"],"type":"object"},` +
		`"d1":{"description":"node","properties":{"id":{"type":"string"}},"required":["id"],"type":"object"}}}`
	require.Equal(t, want, canonical(doc))
	// A scalar keeps no object keyword.
	doc, err = sc.prunedDoc(sc.pruneCache(), "a.json", "/definitions/n", "x")
	require.NoError(t, err)
	require.Equal(t, `{"$schema":"http://json-schema.org/draft-07/schema#","allOf":[{"$ref":"#/definitions/d0"}],"definitions":{"d0":{"description":"node","required":["id"],"type":"object"}}}`, canonical(doc))
}

// BenchmarkValidAt validates a scalar against an enum property of a large recursive
// schema (1,400 Stripe-shaped definitions): the first call prunes and compiles, the
// others are a map lookup and a Validate. "object" validates a witness-like object.
func BenchmarkValidAt(b *testing.B) {
	data, err := json.Marshal(map[string]any{"definitions": stripeDefs(1400)})
	require.NoError(b, err)
	doc := pruneDoc(b, "stripe.json", string(data))
	ptr := "/definitions/resource_0000/properties/status"
	b.Run("scalar", func(b *testing.B) {
		sc, err := NewSchemas([]Document{doc})
		require.NoError(b, err)
		ok, err := sc.validAt("stripe.json", ptr, "active")
		require.NoError(b, err)
		require.True(b, ok)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if ok, err := sc.validAt("stripe.json", ptr, "archived"); err != nil || ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("scalar-first-call", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			sc, err := NewSchemas([]Document{doc})
			require.NoError(b, err)
			b.StartTimer()
			if ok, err := sc.validAt("stripe.json", ptr, "active"); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("full-compile", func(b *testing.B) {
		// The slow path validAt replaces: compiling the schema (and its $ref closure).
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			sc, err := NewSchemas([]Document{doc})
			require.NoError(b, err)
			b.StartTimer()
			s, err := sc.compileAt("stripe.json", "/definitions/resource_0000")
			if err != nil {
				b.Fatal(err)
			}
			if s.Validate(map[string]any{}) == nil {
				b.Fatal("accepted")
			}
		}
	})
	b.Run("object", func(b *testing.B) {
		sc, err := NewSchemas([]Document{doc})
		require.NoError(b, err)
		defs := doc.Value.(map[string]any)["definitions"].(map[string]any)
		v := stripeInstance(defs, 0, 2, rand.New(rand.NewSource(3)))
		ok, err := sc.validAt("stripe.json", "/definitions/resource_0000", v)
		require.NoError(b, err)
		require.True(b, ok)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if ok, err := sc.validAt("stripe.json", "/definitions/resource_0000", v); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("object-first-call", func(b *testing.B) {
		defs := doc.Value.(map[string]any)["definitions"].(map[string]any)
		v := stripeInstance(defs, 0, 2, rand.New(rand.NewSource(3)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			sc, err := NewSchemas([]Document{doc})
			require.NoError(b, err)
			b.StartTimer()
			if ok, err := sc.validAt("stripe.json", "/definitions/resource_0000", v); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("object-full-validate", func(b *testing.B) {
		// The floor for "object": Validate alone, on the fully compiled schema.
		sc, err := NewSchemas([]Document{doc})
		require.NoError(b, err)
		defs := doc.Value.(map[string]any)["definitions"].(map[string]any)
		v := stripeInstance(defs, 0, 2, rand.New(rand.NewSource(3)))
		s, err := sc.compileAt("stripe.json", "/definitions/resource_0000")
		require.NoError(b, err)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := s.Validate(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestValidAtConcurrent(t *testing.T) {
	defs := stripeDefs(30)
	data, err := json.Marshal(map[string]any{"definitions": defs})
	require.NoError(t, err)
	sc := pruneSchemas(t, "stripe.json", string(data))
	done := make(chan error)
	for g := 0; g < 8; g++ {
		go func(g int) {
			rng := rand.New(rand.NewSource(int64(g)))
			for i := 0; i < 50; i++ {
				d := rng.Intn(30)
				ptr := fmt.Sprintf("/definitions/resource_%04d", d)
				ok, err := sc.validAt("stripe.json", ptr, stripeInstance(defs, d, 1, rng))
				if err == nil && !ok {
					err = fmt.Errorf("%s rejected a valid instance", ptr)
				}
				if err == nil {
					ok, err = sc.validAt("stripe.json", ptr+"/properties/status", []string{"active", "archived"}[i%2])
					if err == nil && ok != (i%2 == 0) {
						err = fmt.Errorf("%s/properties/status answered %v", ptr, ok)
					}
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}(g)
	}
	for g := 0; g < 8; g++ {
		require.NoError(t, <-done)
	}
}

// TestValidCompiledRemembers checks that the answers of the library's compiled schemas
// are remembered per node and value: the same as the library's, and asked of it once.
func TestValidCompiledRemembers(t *testing.T) {
	forceLibrary = true
	defer func() { forceLibrary = false }()
	var doc any
	require.NoError(t, json.Unmarshal([]byte(`{"$schema": "http://json-schema.org/draft-07/schema#",
		"type": "object", "required": ["kind"],
		"properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer", "maximum": 3}}}`), &doc))
	sc, err := NewSchemas([]Document{{Path: "a.json", Value: doc}})
	require.NoError(t, err)
	n, err := sc.schemaAt("a.json#")
	require.NoError(t, err)
	require.False(t, n.native)
	require.NotNil(t, n.s)
	values := []any{
		map[string]any{"kind": "a"},
		map[string]any{"kind": "c"},
		map[string]any{"kind": "b", "n": json.Number("4")},
		map[string]any{"n": json.Number("1")},
		"not an object",
	}
	for _, v := range values {
		require.Equal(t, n.s.Validate(v) == nil, valid(n, v), "%v", v)
	}
	kept := len(sc.prune.results)
	require.Equal(t, len(values), kept, "one answer per value")
	for _, v := range values {
		require.Equal(t, n.s.Validate(v) == nil, valid(n, v), "%v, remembered", v)
	}
	require.Equal(t, kept, len(sc.prune.results), "answers asked again are not kept again")
}
