package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func memSource(files map[string]string) compat.Source {
	fs := fstest.MapFS{}
	for name, data := range files {
		fs[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return compat.Source{FS: fs, Name: "v"}
}

// TestAliasBombBounded checks that a billion-laughs document fails quickly and without
// expanding: the decoder's budget stops it long before memory grows.
func TestAliasBombBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\nx-0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 1; i < 12; i++ {
		p := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "x-%d: &a%d [%s]\n", i, i, strings.Repeat(p+",", 9)+p)
	}
	src := memSource(map[string]string{"openapi.yaml": b.String()})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Compare(context.Background(), src, src, Options{})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "alias bomb")
	assert.Less(t, elapsed, 2*time.Second)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "alias expansion must stay bounded")
}

// TestDeepNesting checks that a deeply nested document is refused with an error, not a
// stack overflow.
func TestDeepNesting(t *testing.T) {
	doc := "openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\npaths: {}\nx-deep: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	src := memSource(map[string]string{"openapi.yaml": doc})
	_, err := Compare(context.Background(), src, src, Options{})
	require.Error(t, err)
	var ce *compat.Error
	assert.ErrorAs(t, err, &ce, "a user mistake is a positioned *compat.Error")
}

// TestConvert30 checks the 3.0 → 2020-12 dialect conversion on its own.
func TestConvert30(t *testing.T) {
	m := map[string]any{"type": "string", "nullable": true, "enum": []any{"a"}, "example": "a"}
	convert30(m)
	assert.Equal(t, map[string]any{"type": []any{"string", "null"}, "enum": []any{"a", nil}}, m)

	m = map[string]any{"type": "number", "minimum": 1, "exclusiveMinimum": true, "maximum": 5, "exclusiveMaximum": false}
	convert30(m)
	assert.Equal(t, map[string]any{"type": "number", "exclusiveMinimum": 1, "maximum": 5}, m)

	m = map[string]any{"$ref": "#/components/schemas/A", "nullable": true, "description": "ignored"}
	convert30(m)
	assert.Equal(t, map[string]any{"anyOf": []any{map[string]any{"$ref": "#/components/schemas/A"}, map[string]any{"type": "null"}}}, m)

	m = map[string]any{"allOf": []any{map[string]any{"$ref": "#/x"}}, "nullable": true}
	convert30(m)
	assert.Equal(t, map[string]any{"anyOf": []any{map[string]any{"allOf": []any{map[string]any{"$ref": "#/x"}}}, map[string]any{"type": "null"}}}, m)
}

// TestSubjects pins the spelling of subjects.
func TestSubjects(t *testing.T) {
	src := memSource(map[string]string{"openapi.yaml": `openapi: 3.0.3
paths:
  /users:
    parameters:
      - {name: X-Trace, in: header}
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path}
`})
	s := &spec{src: src, root: "openapi.yaml", files: map[string]*file{}}
	cases := map[loc]string{
		{"openapi.yaml", "/paths/~1users~1{id}/get/parameters/0/schema"}: "GET /users/{id} #/parameters/path/id/schema",
		{"openapi.yaml", "/paths/~1users/post"}:                          "POST /users",
		{"openapi.yaml", "/components/schemas/Pet/properties/status"}:    "#/components/schemas/Pet/properties/status",
		{"openapi.yaml", "/webhooks/orderCreated/post/requestBody"}:      "POST webhook:orderCreated #/requestBody",
		{"schemas/pet.yaml", "/Pet"}:                                     "schemas/pet.yaml#/Pet",
		{"openapi.yaml", "/paths/~1users/parameters/0"}:                  "/users #/parameters/header/X-Trace",
	}
	for l, want := range cases {
		assert.Equal(t, want, s.subject(l), "%v", l)
	}
}

// TestNowDefault checks that a zero Options works: Now defaults to the wall clock.
func TestNowDefault(t *testing.T) {
	src := memSource(map[string]string{"openapi.yaml": "openapi: 3.1.0\ninfo: {title: t, version: \"1\"}\npaths: {}\n"})
	r, err := Compare(context.Background(), src, src, Options{})
	require.NoError(t, err)
	assert.Empty(t, r.Findings)
}

// TestJSONPositions checks that a JSON file, decoded by internal/jsondoc, gets the values
// and positions the YAML decoder gives the same text, so that findings do not move with
// the decoder; and that a .json file is held to JSON while a YAML flow mapping still
// decodes as YAML.
func TestJSONPositions(t *testing.T) {
	docs := map[string]string{
		"indented": "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/a\": {\"get\": {\"x\": [1, 2.5e3, -0, true, null, \"\\u00e9\\n\"]}}\n  },\n  \"é\": {}\n}\n",
		// Machine-written specs are often one line of megabytes: columns count runes,
		// across multi-byte characters.
		"minified": `{"openapi":"3.1.0","ünï":"çødé","paths":{"/a":{"get":{"x":[1,2.5e3,-0,true,null,"\u00e9\n"]}}},"é":{}}`,
		"mixed":    "{\"é\": {}, \"openapi\": \"3.1.0\",\n\"paths\": {\"/a\": {\"get\": {\"x\": [1, 2.5e3,\n -0, true, null, \"ü\"]}}}}",
	}
	for name, doc := range docs {
		s := &spec{src: memSource(map[string]string{"j.json": doc}), files: map[string]*file{}}
		jf, err := s.file("j.json")
		require.NoError(t, err, name)
		require.NotNil(t, jf.json, "%s: a JSON document is decoded as JSON", name)
		yn, yv, err := decode([]byte(doc))
		require.NoError(t, err, name)
		assert.Equal(t, yv, jf.value, name)
		s.files["y"] = &file{node: yn}
		for _, ptr := range []string{"", "/openapi", "/paths", "/paths/~1a/get/x", "/paths/~1a/get/x/1", "/paths/~1a/get/x/5", "/é", "/missing"} {
			yl, yc := s.lineCol("y", ptr)
			jl, jc := s.lineCol("j.json", ptr)
			assert.Equal(t, [2]int{yl, yc}, [2]int{jl, jc}, "%s %s", name, ptr)
		}
	}
	// JSON's own escapes, which YAML refuses (\/), decode.
	s := &spec{src: memSource(map[string]string{"e.json": `{"a": "http:\/\/x"}`}), files: map[string]*file{}}
	f, err := s.file("e.json")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"a": "http://x"}, f.value)

	bad := map[string]string{
		`{"a": 1,}`:         "e.json:1:8: malformed JSON",
		`{"a": 1} x`:        "e.json:1:10: ",
		`{"a": 01}`:         "e.json:1:8: malformed JSON",
		`{"a": 1, "a": 2}`:  `e.json:1:10: duplicate key "a"`,
		"{\"a\": \"\x01\"}": "e.json:1:8: malformed JSON",
		`{a: 1}`:            "e.json:1:2: malformed JSON",
	}
	for doc, want := range bad {
		s := &spec{src: memSource(map[string]string{"e.json": doc}), files: map[string]*file{}}
		_, err := s.file("e.json")
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want, doc)
	}
	// The same text in a YAML file is a flow mapping.
	s = &spec{src: memSource(map[string]string{"e.yaml": `{a: 1, b: [x]}`}), files: map[string]*file{}}
	f, err = s.file("e.yaml")
	require.NoError(t, err)
	assert.NotNil(t, f.node)
	assert.Equal(t, map[string]any{"a": json.Number("1"), "b": []any{"x"}}, f.value)
}

// TestCanceled checks that a canceled context stops the comparison with its error.
func TestCanceled(t *testing.T) {
	old, new := sources(t, 50, 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Compare(ctx, old, new, Options{})
	require.ErrorIs(t, err, context.Canceled)
}

// TestRefNamesNothing covers the references that name nothing: as written, after
// percent-decoding, and with an escape that does not decode.
func TestRefNamesNothing(t *testing.T) {
	for name, ref := range map[string]string{
		"plain":      "#/components/schemas/Missing",
		"decoded":    "#/paths/~1users~1%7Bname%7D/get",
		"bad escape": "#/paths/~1users~1%zz/get",
	} {
		t.Run(name, func(t *testing.T) {
			doc := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/users/{id}": {"get": {"responses": {"200": {"description": "ok"}}}},
"/teams": {"$ref": "` + ref + `"}}, "components": {"schemas": {"Pet": {"type": "object"}}}}`
			src := memSource(map[string]string{"openapi.json": doc})
			_, err := Compare(context.Background(), src, src, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "openapi.json:2:")
			assert.Contains(t, err.Error(), "names nothing")
		})
	}
}
