package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// FuzzCompare feeds arbitrary old and new schema files to the engine: it must return a
// report or a positioned error, never panic, hang or report an internal error.
func FuzzCompare(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", "") {
		f.Add(p[0], p[1], false)
	}
	f.Add([]byte("type: string\n"), []byte("type: [string, 'null']\n"), true)
	f.Fuzz(func(t *testing.T, old, new []byte, yaml bool) {
		name := "s.json"
		if yaml {
			name = "s.yaml"
		}
		src := func(label string, data []byte) compat.Source {
			return compat.Source{FS: fstest.MapFS{name: {Data: data}}, File: name, Name: label}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, model := range []Model{ProduceAccept, Strict} {
			rep, err := Compare(ctx, src("old", old), src("new", new), Options{Model: model, Budget: 20000})
			if err != nil {
				if strings.Contains(err.Error(), "internal error") {
					t.Fatalf("internal error: %v", err)
				}
				continue
			}
			for _, x := range rep.Findings {
				if x.Rule == "" || x.Subject == "" || x.Message == "" {
					t.Fatalf("incomplete finding %+v", x)
				}
			}
		}
	})
}

// FuzzDecodeJSON checks the JSON decoding path on its own: whatever encoding/json accepts
// (with duplicate names the only difference: they are refused here) decodes to the same
// value, every member of the result has a position, and nothing else is accepted.
func FuzzDecodeJSON(f *testing.F) {
	for _, p := range compattest.SeedPairs(f, "testdata/*.txtar", ".json") {
		f.Add(p[0])
		f.Add(p[1])
	}
	f.Add([]byte(`{"a": "x\/y", "n": 1e400, "u": "\u00e9"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, pos, err := decodeJSON(data)
		dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
		dec.UseNumber()
		var want any
		stdErr := dec.Decode(&want)
		if stdErr == nil {
			if _, extra := dec.Token(); extra != io.EOF {
				stdErr = errors.New("trailing data")
			}
		}
		if err != nil {
			if _, ok := err.(*posError); !ok {
				t.Fatalf("unpositioned error %T: %v", err, err)
			}
			return
		}
		if stdErr != nil {
			t.Fatalf("accepted what encoding/json refuses (%v): %q", stdErr, data)
		}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("decoded %#v, encoding/json %#v", v, want)
		}
		var walk func(v any, ptr string)
		walk = func(v any, ptr string) {
			if line, col := pos(ptr); line < 1 || col < 1 {
				t.Fatalf("no position for %q", ptr)
			}
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					walk(e, ptr+"/"+escapePointer(k))
				}
			case []any:
				for i, e := range x {
					walk(e, ptr+"/"+strconv.Itoa(i))
				}
			}
		}
		walk(v, "")
	})
}
