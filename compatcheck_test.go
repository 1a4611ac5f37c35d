package compatcheck

import (
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mapSource(name string, files map[string]string) compat.Source {
	fsys := fstest.MapFS{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(data)}
	}
	return compat.Source{FS: fsys, Name: name}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  compat.Kind
	}{
		{"proto", map[string]string{"a/b.proto": "syntax = \"proto3\";"}, compat.KindProto},
		{"sql", map[string]string{"1_init.up.sql": "CREATE TABLE t (id int);"}, compat.KindSQL},
		{"openapi yaml", map[string]string{"api.yaml": "info: {}\nopenapi: 3.1.0\n"}, compat.KindOpenAPI},
		{"swagger json", map[string]string{"api.json": `{"info": {"openapi": "nested, not top-level"}, "swagger": "2.0"}`}, compat.KindOpenAPI},
		{"nested openapi key is not openapi", map[string]string{"s.json": `{"properties": {"openapi": {"type": "string"}}}`}, compat.KindJSONSchema},
		{"indented yaml key is not openapi", map[string]string{"s.yaml": "properties:\n  openapi:\n    type: string\n"}, compat.KindJSONSchema},
		{"json schema", map[string]string{"s.json": `{"type": "object"}`}, compat.KindJSONSchema},
		{"nothing", map[string]string{"README.md": "hi"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(mapSource("v1", tt.files))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDetectAmbiguous(t *testing.T) {
	_, err := Detect(mapSource("v1", map[string]string{"a.proto": "", "b.sql": ""}))
	assert.EqualError(t, err, "v1: holds both .proto and .sql files; use --kind to say which to compare")
}

func TestDetectPair(t *testing.T) {
	proto := mapSource("old", map[string]string{"a.proto": ""})
	sql := mapSource("new", map[string]string{"a.sql": ""})
	empty := mapSource("new", map[string]string{})
	_, err := DetectPair(proto, sql)
	assert.EqualError(t, err, "new: OLD (old) is proto but NEW is sql; compare two versions of the same kind of contract")
	// An empty side (a first release) takes the other side's kind.
	k, err := DetectPair(empty, proto)
	require.NoError(t, err)
	assert.Equal(t, compat.KindProto, k)
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]compat.Kind{"proto": compat.KindProto, "JSON-Schema": compat.KindJSONSchema, "openapi": compat.KindOpenAPI, "postgres": compat.KindSQL} {
		got, err := ParseKind(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseKind("cobol")
	assert.Error(t, err)
}

func TestCheckKind(t *testing.T) {
	openapiDoc := "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
	schema := `{"type": "object"}`
	tests := []struct {
		name  string
		files map[string]string
		file  string // a one-file source of this file
		kind  compat.Kind
		err   string
	}{
		// Overrides that resolve what detection cannot, or pick one of two kinds present.
		{name: "proto among sql", files: map[string]string{"a.proto": "", "b.sql": ""}, kind: compat.KindProto},
		{name: "sql among proto", files: map[string]string{"a.proto": "", "b.sql": ""}, kind: compat.KindSQL},
		{name: "schemas beside protos", files: map[string]string{"a.proto": "", "s.json": schema}, kind: compat.KindJSONSchema},
		{name: "openapi with schema files", files: map[string]string{"api.yaml": openapiDoc, "s.json": schema}, kind: compat.KindOpenAPI},
		{name: "same as detected", files: map[string]string{"s.json": schema}, kind: compat.KindJSONSchema},
		// An empty baseline fits every kind.
		{name: "empty", files: map[string]string{"README.md": "hi"}, kind: compat.KindSQL},
		{name: "empty for openapi", files: map[string]string{}, kind: compat.KindOpenAPI},

		{name: "jsonschema on openapi file", files: map[string]string{"api.yaml": openapiDoc}, file: "api.yaml", kind: compat.KindJSONSchema,
			err: "v1/api.yaml: kind jsonschema does not fit: this is an OpenAPI document (a top-level openapi or swagger key), which a JSON Schema comparison would read as a schema of unknown keywords and pass without a finding; leave the kind to detection (drop --kind, or kind: in compatcheck.yaml), or exclude the document"},
		{name: "jsonschema on a directory holding an openapi document", files: map[string]string{"a.json": schema, "z/api.yaml": openapiDoc}, kind: compat.KindJSONSchema,
			err: "v1/z/api.yaml: kind jsonschema does not fit: this is an OpenAPI document"},
		{name: "jsonschema on sql", files: map[string]string{"1.sql": ""}, kind: compat.KindJSONSchema,
			err: "v1: kind jsonschema does not fit: there are no .json, .yaml or .yml files here (it holds SQL files such as 1.sql); leave the kind to detection (drop --kind, or kind: in compatcheck.yaml)"},
		{name: "sql on schemas", files: map[string]string{"s.json": schema}, kind: compat.KindSQL,
			err: "v1: kind sql does not fit: there are no .sql files here (it holds JSON or YAML documents such as s.json); leave the kind to detection (drop --kind, or kind: in compatcheck.yaml)"},
		{name: "proto on sql file", files: map[string]string{"1.sql": ""}, file: "1.sql", kind: compat.KindProto,
			err: "v1/1.sql: kind proto does not fit: this is not a .proto file; leave the kind to detection (drop --kind, or kind: in compatcheck.yaml)"},
		{name: "sql on proto file", files: map[string]string{"a.proto": ""}, file: "a.proto", kind: compat.KindSQL,
			err: "v1/a.proto: kind sql does not fit: this is not a .sql file"},
		{name: "openapi on schema", files: map[string]string{"s.json": schema}, file: "s.json", kind: compat.KindOpenAPI,
			err: "v1/s.json: kind openapi does not fit: this file has no top-level openapi or swagger key"},
		{name: "openapi on schema directory", files: map[string]string{"s.json": schema, "p.proto": ""}, kind: compat.KindOpenAPI,
			err: "v1: kind openapi does not fit: no JSON or YAML file here has a top-level openapi or swagger key (it holds protobuf files such as p.proto and JSON or YAML documents such as s.json)"},
		{name: "jsonschema on proto file", files: map[string]string{"a.proto": ""}, file: "a.proto", kind: compat.KindJSONSchema,
			err: "v1/a.proto: kind jsonschema does not fit: this is not a .json, .yaml or .yml file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := mapSource("v1", tt.files)
			src.File = tt.file
			err := CheckKind(src, tt.kind)
			if tt.err == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}

	// An excluded OpenAPI document no longer stands in the way of a JSON Schema comparison.
	src := mapSource("v1", map[string]string{"a.json": schema, "z/api.yaml": openapiDoc})
	src.Exclude = []string{"api.yaml"}
	require.NoError(t, CheckKind(src, compat.KindJSONSchema))
}

func TestCompareRefusesAKindThatDoesNotFit(t *testing.T) {
	doc := "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"
	old := mapSource("v1", map[string]string{"api.yaml": doc})
	new := mapSource("v2", map[string]string{"api.yaml": doc})
	old.File, new.File = "api.yaml", "api.yaml"
	_, _, err := Compare(t.Context(), old, new, Options{Kind: compat.KindJSONSchema})
	assert.ErrorContains(t, err, "v1/api.yaml: kind jsonschema does not fit")
	_, _, err = Compare(t.Context(), old, new, Options{Kind: "cobol"})
	assert.EqualError(t, err, `unknown kind "cobol" (want proto, jsonschema, openapi or sql)`)
	r, kind, err := Compare(t.Context(), old, new, Options{Kind: compat.KindOpenAPI})
	require.NoError(t, err)
	assert.Equal(t, compat.KindOpenAPI, kind)
	assert.Empty(t, r.Findings)
}
