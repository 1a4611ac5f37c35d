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
