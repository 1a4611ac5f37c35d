package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// stripeLike generates a document shaped like Stripe's public spec: thousands of
// component schemas that refer to each other through "expandable" anyOf [string, $ref]
// (recursively), hundreds of operations sharing them, about 4 MB of JSON. changed makes
// the new version: one enum value added to a widely shared schema, an optional query
// parameter added, one operation removed.
func stripeLike(schemas, paths int, changed bool) []byte {
	rng := rand.New(rand.NewSource(1))
	comps := map[string]any{}
	name := func(i int) string { return fmt.Sprintf("resource_%04d", i) }
	for i := 0; i < schemas; i++ {
		props := map[string]any{
			"id":       map[string]any{"type": "string", "maxLength": 5000, "description": "Unique identifier for the object."},
			"object":   map[string]any{"type": "string", "enum": []any{name(i)}, "description": "String representing the object's type."},
			"created":  map[string]any{"type": "integer", "format": "unix-time", "description": "Time at which the object was created."},
			"livemode": map[string]any{"type": "boolean", "description": "Has the value true if the object exists in live mode."},
			"metadata": map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "maxLength": 500}, "nullable": true},
			"status":   map[string]any{"type": "string", "enum": []any{"active", "inactive", "pending"}, "nullable": true},
			"amount":   map[string]any{"type": "integer", "minimum": 0, "description": "Amount in the smallest currency unit."},
		}
		for j := 0; j < 3; j++ {
			target := rng.Intn(schemas)
			props[fmt.Sprintf("link_%d", j)] = map[string]any{
				"anyOf":                []any{map[string]any{"type": "string", "maxLength": 5000}, map[string]any{"$ref": "#/components/schemas/" + name(target)}},
				"description":          "The ID of the linked object, or the object itself when expanded.",
				"nullable":             true,
				"x-expansionResources": map[string]any{"oneOf": []any{map[string]any{"$ref": "#/components/schemas/" + name(target)}}},
			}
		}
		props["list"] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/" + name(rng.Intn(schemas))}}
		comps[name(i)] = map[string]any{
			"type": "object", "title": name(i), "description": "A generated resource shaped like Stripe's.",
			"required": []any{"id", "object", "created", "livemode"}, "properties": props,
			"x-resourceId": name(i),
		}
	}
	if changed {
		// A widely shared schema gains an enum value: one finding, whatever the
		// number of operations that reach it.
		comps[name(0)].(map[string]any)["properties"].(map[string]any)["status"].(map[string]any)["enum"] = []any{"active", "inactive", "pending", "archived"}
	}
	comps["error"] = map[string]any{"type": "object", "properties": map[string]any{"message": map[string]any{"type": "string"}}}
	ps := map[string]any{}
	for i := 0; i < paths; i++ {
		r := name(rng.Intn(schemas))
		params := []any{
			map[string]any{"name": "expand", "in": "query", "style": "deepObject", "explode": true, "schema": map[string]any{"type": "array", "items": map[string]any{"type": "string", "maxLength": 5000}}},
			map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer"}},
		}
		if changed && i%7 == 0 {
			params = append(params, map[string]any{"name": "ending_before", "in": "query", "schema": map[string]any{"type": "string"}})
		}
		resp := func(ref string) map[string]any {
			return map[string]any{
				"200":     map[string]any{"description": "ok", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + ref}}}},
				"default": map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/error"}}}},
			}
		}
		item := map[string]any{
			"get": map[string]any{"operationId": fmt.Sprintf("Get%d", i), "parameters": params, "responses": resp(r)},
		}
		if !(changed && i == paths-1) {
			item["post"] = map[string]any{
				"operationId": fmt.Sprintf("Post%d", i),
				"requestBody": map[string]any{"content": map[string]any{"application/x-www-form-urlencoded": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/" + r}}}},
				"responses":   resp(r),
			}
		}
		ps[fmt.Sprintf("/v1/%s/{id}/sub%d", r, i)] = item
	}
	doc := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]any{"title": "Generated", "version": "2024-01-01"},
		"paths":      ps,
		"components": map[string]any{"schemas": comps},
		"security":   []any{map[string]any{"basicAuth": []any{}}},
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		panic(err)
	}
	return out
}

func benchSources(b testing.TB) (compat.Source, compat.Source) {
	return sources(b, 1400, 400)
}

func sources(b testing.TB, schemas, paths int) (compat.Source, compat.Source) {
	old := stripeLike(schemas, paths, false)
	new := stripeLike(schemas, paths, true)
	b.Logf("generated %d and %d bytes", len(old), len(new))
	return compat.Source{FS: fstest.MapFS{"spec3.json": {Data: old}}, File: "spec3.json"},
		compat.Source{FS: fstest.MapFS{"spec3.json": {Data: new}}, File: "spec3.json"}
}

// BenchmarkLoad measures decoding and preparing one generated Stripe-sized document.
func BenchmarkLoad(b *testing.B) {
	old, _ := benchSources(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := load(old)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.prepare(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompare measures the whole comparison of a generated Stripe-sized pair,
// loading included.
func BenchmarkCompare(b *testing.B) {
	old, new := benchSources(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Compare(context.Background(), old, new, Options{Now: func() time.Time { return testNow }})
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.Logf("%d findings", len(r.Findings))
		}
	}
}

// BenchmarkCompareMinified is BenchmarkCompare on the pair written on one line each, as
// machine-written specs often are: positions must not cost more on a line of megabytes.
func BenchmarkCompareMinified(b *testing.B) {
	old, new := benchSources(b)
	for _, src := range []*compat.Source{&old, &new} {
		data := src.FS.(fstest.MapFS)["spec3.json"].Data
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err != nil {
			b.Fatal(err)
		}
		src.FS = fstest.MapFS{"spec3.json": {Data: buf.Bytes()}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Compare(context.Background(), old, new, Options{Now: func() time.Time { return testNow }}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeDeterministic compares the generated pair twice and checks that the shared
// schema change is reported once, with every operation and role, and the reports are
// identical.
func TestLargeDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	old, new := sources(t, 500, 140)
	opts := Options{Now: func() time.Time { return testNow }}
	r1, err := Compare(context.Background(), old, new, opts)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := Compare(context.Background(), old, new, opts)
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(r1)
	j2, _ := json.Marshal(r2)
	if string(j1) != string(j2) {
		t.Fatal("reports differ between runs")
	}
	counts := map[string]int{}
	for _, f := range r1.Findings {
		counts[f.Rule]++
	}
	t.Logf("%d findings: %v", len(r1.Findings), counts)
	// Exactly the generated changes, and nothing else: the enum value added to a shared
	// schema once, one parameter finding per operation that gained one, and the
	// removed operation. A work budget spent on pointless pairs once turned this into
	// hundreds of SCHEMA_COMPARISON_UNDECIDED and anyOf findings and lost the enum change.
	want := map[string]int{"ENUM_MEMBER_ADDED": 1, "OPERATION_REMOVED": 1, "PARAMETER_ADDED_OPTIONAL": 20}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("findings by rule = %v, want %v", counts, want)
	}
	checkEveryRole(t, r1)
}

// checkEveryRole checks that the one finding of the shared enum change lists operations
// in both roles, and carries the answers of the response role, which decides its class
// (breaking for the public audience). Listing only the response role once dropped half
// of the operations the change reaches.
func checkEveryRole(t *testing.T, r *compat.Report) {
	t.Helper()
	for _, f := range r.Findings {
		if f.Rule != "ENUM_MEMBER_ADDED" {
			continue
		}
		roles := map[string]int{}
		for _, o := range f.Operations {
			roles[o.Role]++
		}
		t.Logf("%s reaches %d operation uses: %v", f.Subject, len(f.Operations), roles)
		if roles["request"] == 0 || roles["response 200"] == 0 {
			t.Errorf("%s lists roles %v, want both request and response 200", f.Subject, roles)
		}
		if f.Class() != compat.Breaking || !f.ReadersLag {
			t.Errorf("%s is %s (readers lag %v), want breaking from the response role", f.Subject, f.Class(), f.ReadersLag)
		}
	}
}

// TestStripeSizedReport compares the benchmark's Stripe-sized pair and checks the report
// is exactly the generated changes. At this size, and not at smaller ones, pointless pairs
// once spent the comparison's work budget and the report filled with hundreds of
// undecided and anyOf findings instead of the one enum change.
func TestStripeSizedReport(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	old, new := benchSources(t)
	r, err := Compare(context.Background(), old, new, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range r.Findings {
		counts[f.Rule]++
	}
	want := map[string]int{"ENUM_MEMBER_ADDED": 1, "OPERATION_REMOVED": 1, "PARAMETER_ADDED_OPTIONAL": 58}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("findings by rule = %v, want %v", counts, want)
	}
	checkEveryRole(t, r)
}

// TestStripeSizedLibraryOnly compares the Stripe-sized pair with schema models built from
// the documents (the default) and from the validator library's compiled schemas: the
// reports must be byte-identical.
func TestStripeSizedLibraryOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	old, new := benchSources(t)
	opts := Options{Now: func() time.Time { return testNow }}
	native, err := Compare(context.Background(), old, new, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(jsonschema.LibraryOnlyEnv, "1")
	library, err := Compare(context.Background(), old, new, opts)
	if err != nil {
		t.Fatal(err)
	}
	j1, _ := json.Marshal(native)
	j2, _ := json.Marshal(library)
	if string(j1) != string(j2) {
		t.Errorf("native and library-only reports differ:\n%s\n%s", j1, j2)
	}
}

// TestWriteStripeSizedPair writes the benchmark's pair to $COMPATCHECK_STRIPE_DIR/old and
// /new, so that the command line can be timed on it (docs/openapi.md).
func TestWriteStripeSizedPair(t *testing.T) {
	dir := os.Getenv("COMPATCHECK_STRIPE_DIR")
	if dir == "" {
		t.Skip("set COMPATCHECK_STRIPE_DIR to write the Stripe-sized pair there")
	}
	for side, changed := range map[string]bool{"old": false, "new": true} {
		if err := os.MkdirAll(filepath.Join(dir, side), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, side, "spec3.json"), stripeLike(1400, 400, changed), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
