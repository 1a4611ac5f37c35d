package jsonschema

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
)

// bigSchema generates one schema with n definitions that reference each other (and
// themselves, through arrays), as large generated API schemas do. changed definitions get
// a lower maxLength and an extra required property.
func bigSchema(n int, changed func(i int) bool) []byte {
	defs := map[string]any{}
	for i := 0; i < n; i++ {
		maxLen := 100
		required := []any{"id"}
		if changed(i) {
			maxLen = 50
			required = append(required, "name")
		}
		defs[fmt.Sprintf("d%d", i)] = map[string]any{
			"type": "object",
			"properties": map[string]any{
				"id":       map[string]any{"type": "string", "pattern": "^[a-z0-9-]+$"},
				"name":     map[string]any{"type": "string", "maxLength": maxLen},
				"kind":     map[string]any{"enum": []any{"a", "b", "c"}},
				"count":    map[string]any{"type": "integer", "minimum": 0},
				"next":     map[string]any{"$ref": fmt.Sprintf("#/$defs/d%d", (i+1)%n)},
				"other":    map[string]any{"$ref": fmt.Sprintf("#/$defs/d%d", (i*7+3)%n)},
				"children": map[string]any{"type": "array", "items": map[string]any{"$ref": fmt.Sprintf("#/$defs/d%d", i)}},
			},
			"required": required,
		}
	}
	b, _ := json.Marshal(map[string]any{"$defs": defs, "$ref": "#/$defs/d0"})
	return b
}

// realisticSchema is one real-world-sized schema (a few dozen properties, nested objects,
// arrays, enums, formats and patterns); variant changes a few keywords.
func realisticSchema(i int, variant bool) []byte {
	props := map[string]any{}
	for j := 0; j < 25; j++ {
		props[fmt.Sprintf("field%d", j)] = map[string]any{"type": "string", "maxLength": 64 + j}
	}
	props["id"] = map[string]any{"type": "string", "format": "uuid"}
	props["status"] = map[string]any{"enum": []any{"active", "inactive", "pending"}}
	props["email"] = map[string]any{"type": "string", "pattern": "^[^@]+@[^@]+$"}
	props["address"] = map[string]any{"$ref": "#/$defs/address"}
	props["tags"] = map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "maxItems": 20}
	props["amount"] = map[string]any{"type": "number", "minimum": 0, "multipleOf": 0.01}
	address := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"street": map[string]any{"type": "string"},
			"zip":    map[string]any{"type": "string", "pattern": "^[0-9]{5}$"},
			"city":   map[string]any{"type": "string"},
		},
		"required":             []any{"street"},
		"additionalProperties": false,
	}
	if variant {
		props["status"] = map[string]any{"enum": []any{"active", "inactive", "pending", "archived"}}
		props["field3"] = map[string]any{"type": "string", "maxLength": 10}
		props["note"] = map[string]any{"type": "string"}
		address["properties"].(map[string]any)["zip"] = map[string]any{"type": "string", "pattern": "^[0-9]{5}(-[0-9]{4})?$"}
	}
	b, _ := json.Marshal(map[string]any{
		"$id":        fmt.Sprintf("https://example.com/s%d.json", i),
		"type":       "object",
		"properties": props,
		"required":   []any{"id", "status"},
		"$defs":      map[string]any{"address": address},
	})
	return b
}

func BenchmarkLargeRecursiveSchema(b *testing.B) {
	const n = 3000
	old := compat.Source{FS: fstest.MapFS{"big.json": {Data: bigSchema(n, func(int) bool { return false })}}, File: "big.json", Name: "old"}
	new := compat.Source{FS: fstest.MapFS{"big.json": {Data: bigSchema(n, func(i int) bool { return i%100 == 0 })}}, File: "big.json", Name: "new"}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Compare(context.Background(), old, new, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) != 2*n/100 {
			b.Fatalf("got %d findings, want %d", len(rep.Findings), 2*n/100)
		}
	}
}

func BenchmarkThousandSchemaDirectory(b *testing.B) {
	const n = 1000
	oldFS, newFS := fstest.MapFS{}, fstest.MapFS{}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("s%04d.json", i)
		oldFS[name] = &fstest.MapFile{Data: realisticSchema(i, false)}
		newFS[name] = &fstest.MapFile{Data: realisticSchema(i, true)}
	}
	old, new := compat.Source{FS: oldFS, Name: "old"}, compat.Source{FS: newFS, Name: "new"}
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Compare(context.Background(), old, new, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Findings) != 4*n {
			b.Fatalf("got %d findings, want %d", len(rep.Findings), 4*n)
		}
	}
}

// BenchmarkSlowestPair reports the slowest single schema pair of the directory benchmark
// (each compared with a fresh engine, decode and compile included) as max-ms.
func BenchmarkSlowestPair(b *testing.B) {
	for b.Loop() {
		var worst time.Duration
		for i := 0; i < 200; i++ {
			old := compat.Source{FS: fstest.MapFS{"s.json": {Data: realisticSchema(i, false)}}, File: "s.json"}
			new := compat.Source{FS: fstest.MapFS{"s.json": {Data: realisticSchema(i, true)}}, File: "s.json"}
			start := time.Now()
			if _, err := Compare(context.Background(), old, new, Options{}); err != nil {
				b.Fatal(err)
			}
			worst = max(worst, time.Since(start))
		}
		b.ReportMetric(float64(worst.Microseconds())/1000, "max-ms")
	}
}
