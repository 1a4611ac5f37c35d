package yamljson

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	v, err := Decode([]byte("a: 1\nb: [true, null, 2.5, x]\nd: 2026-01-31\ne: &x {k: v}\nf: *x\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(v)
	if want := `{"a":1,"b":[true,null,2.5,"x"],"d":"2026-01-31","e":{"k":"v"},"f":{"k":"v"}}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if _, err := Decode([]byte("a: 1\na: 2\n")); err == nil || !strings.Contains(err.Error(), "key a repeated") {
		t.Errorf("a repeated key must be an error, got %v", err)
	}
	if v, err := Decode([]byte("# nothing\n")); err != nil || v != nil {
		t.Errorf("an empty document is nil, got %v, %v", v, err)
	}
}

func TestValidate(t *testing.T) {
	schema := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(schema, []byte(`{"type": "object", "required": ["on"], "properties": {"on": {"type": "string"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Validate(schema, []byte("on: push\n")); err != nil {
		t.Errorf("valid document refused: %v", err)
	}
	if err := Validate(schema, []byte("on: [push]\n")); err == nil {
		t.Error("a list where the schema wants a string must be refused")
	}
	if err := Validate(filepath.Join(t.TempDir(), "none.json"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing schema must be fs.ErrNotExist, got %v", err)
	}
}
