package contract

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sample() *Snapshot {
	return &Snapshot{
		ProtoFiles:    []ProtoFile{{Path: "b.proto", Package: "p"}, {Path: "a.proto", Package: "p"}},
		ProtoEnums:    []ProtoEnum{{File: "a.proto", Name: "p.E", Values: []ProtoValue{{"E_UNSPECIFIED", 0}, {"E_ON", 1}}}},
		ProtoServices: []ProtoService{{File: "b.proto", Name: "p.S", Methods: []ProtoMethod{{Name: "Get", Input: "p.Req", Output: "p.Res", ServerStreaming: true}}}},
		JSONRoots:     []string{"Order"},
		JSONDefs:      map[string]json.RawMessage{"Order": json.RawMessage(`{"type": "object", "properties": {"a&b": {"maximum": 18446744073709551615}}}`)},
		JSONFields:    map[string]map[string]string{"Order": {"a&b": "AB"}},
		SQL:           []SQLTree{{Dir: "migrations", Migrations: []string{"2_b.sql", "1_a.sql"}, Enums: []SQLEnum{{Name: "s", Labels: []string{"x"}}}}},
	}
}

// TestSnapshotRoundTrip checks that encoding is canonical (sorted, numbers exact, no
// HTML escaping) and that decoding gives the snapshot back.
func TestSnapshotRoundTrip(t *testing.T) {
	data, err := sample().Encode()
	require.NoError(t, err)
	assert.Equal(t, `{"compatcheck_baseline": 1,
"proto_files": [
  {"path":"a.proto","package":"p"},
  {"path":"b.proto","package":"p"}
],
"proto_enums": [
  {"file":"a.proto","name":"p.E","values":[{"name":"E_UNSPECIFIED","number":0},{"name":"E_ON","number":1}]}
],
"proto_services": [
  {"file":"b.proto","name":"p.S","methods":[{"name":"Get","input":"p.Req","output":"p.Res","server_streaming":true}]}
],
"json_roots": [
  "Order"
],
"json_defs": {
  "Order": {"properties":{"a&b":{"maximum":18446744073709551615}},"type":"object"}
},
"json_fields": {
  "Order": {"a&b":"AB"}
},
"sql": [
  {"dir":"migrations","migrations":["1_a.sql","2_b.sql"],"enums":[{"name":"s","labels":["x"]}]}
]
}
`, string(data))
	back, err := Decode(data)
	require.NoError(t, err)
	again, err := back.Encode()
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	assert.False(t, back.Empty())
	assert.True(t, (&Snapshot{}).Empty())
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, data, msg, at string }{
		{"not JSON", `{"compatcheck_baseline": 1,,}`, "invalid JSON: invalid character ',' looking for beginning of object key string", ",}"},
		{"no version", `{"proto_files": []}`, "not a compatcheck baseline: the compatcheck_baseline version key is missing", ""},
		{"newer version", `{"compatcheck_baseline": 2}`, "baseline format version 2 is not supported (this compatcheck reads version 1)", "compatcheck_baseline"},
		{"unknown key", `{"compatcheck_baseline": 1, "proto_enum": []}`, `unknown key "proto_enum"`, "proto_enum"},
		{"wrong type", `{"compatcheck_baseline": 1, "json_roots": "Order"}`, "json_roots must be []string, not string", `"json_roots"`},
		{"trailing data", `{"compatcheck_baseline": 1} {}`, "unexpected data after the snapshot", "{}"},
		{"truncated", `{"compatcheck_baseline": 1, "sql": [`, "the snapshot ends early", ""},
		{"unknown file", `{"compatcheck_baseline": 1, "proto_enums": [{"file": "x.proto", "name": "p.E", "values": [{"name": "A", "number": 0}]}]}`,
			`proto enum p.E names file "x.proto", which proto_files does not list`, "p.E"},
		{"enum without values", `{"compatcheck_baseline": 1, "proto_files": [{"path": "a.proto"}], "proto_enums": [{"file": "a.proto", "name": "p.E", "values": []}]}`,
			"proto enum p.E has no values", "p.E"},
		{"duplicate file", `{"compatcheck_baseline": 1, "proto_files": [{"path": "a.proto"}, {"path": "a.proto"}]}`, "proto file a.proto is listed twice", "a.proto"},
		{"method without types", `{"compatcheck_baseline": 1, "proto_files": [{"path": "a.proto"}], "proto_services": [{"file": "a.proto", "name": "p.S", "methods": [{"name": "M"}]}]}`,
			"a method of proto service p.S lacks its name, input or output", "p.S"},
		{"root without def", `{"compatcheck_baseline": 1, "json_roots": ["Order"]}`, "JSON contract Order has no entry in json_defs", "Order"},
		{"def not an object", `{"compatcheck_baseline": 1, "json_defs": {"Order": true}}`, "json_defs Order is not a JSON Schema object", "Order"},
		{"duplicate tree", `{"compatcheck_baseline": 1, "sql": [{"dir": "m", "migrations": []}, {"dir": "m", "migrations": []}]}`, "SQL tree m is listed twice", `"m"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.data))
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, tt.msg, de.Msg)
			if tt.at != "" {
				assert.True(t, strings.HasPrefix(tt.data[de.Offset:], strings.Trim(tt.at, `"`)) || strings.HasPrefix(tt.data[de.Offset:], tt.at),
					"offset %d points at %q, want %q", de.Offset, tt.data[de.Offset:], tt.at)
			}
		})
	}
}

// FuzzDecode checks that no input makes Decode panic, and that whatever it accepts
// encodes and decodes again to the same snapshot.
func FuzzDecode(f *testing.F) {
	data, err := sample().Encode()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"compatcheck_baseline": 1}`))
	f.Add([]byte(`{"compatcheck_baseline": 1, "json_roots": ["A"], "json_defs": {"A": {}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data)
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error %T is not a *DecodeError: %v", err, err)
			}
			return
		}
		enc, err := s.Encode()
		if err != nil {
			t.Fatalf("a decoded snapshot does not encode: %v", err)
		}
		s2, err := Decode(enc)
		if err != nil {
			t.Fatalf("an encoded snapshot does not decode: %v\n%s", err, enc)
		}
		enc2, _ := s2.Encode()
		if string(enc) != string(enc2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", enc, enc2)
		}
	})
}
