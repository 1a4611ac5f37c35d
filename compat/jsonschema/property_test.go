package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/require"
)

// randSchema builds a small random schema from the keyword families the engine models.
func randSchema(r *rand.Rand, depth int) map[string]any {
	s := map[string]any{}
	types := []string{"null", "boolean", "integer", "number", "string", "object", "array"}
	pick := func() string { return types[r.Intn(len(types))] }
	switch r.Intn(4) {
	case 0:
		s["type"] = pick()
	case 1:
		a, b := pick(), pick()
		if a == b {
			s["type"] = a
		} else {
			s["type"] = []any{a, b}
		}
	case 2:
		vals := []any{"a", "b", json.Number("1"), json.Number("2"), true, nil}
		var e []any
		seen := map[int]bool{}
		for i := 0; i < 1+r.Intn(3); i++ {
			j := r.Intn(len(vals))
			if !seen[j] {
				seen[j] = true
				e = append(e, vals[j])
			}
		}
		s["enum"] = e
		return s
	}
	if r.Intn(2) == 0 {
		s["minimum"] = json.Number(fmt.Sprint(r.Intn(4)))
	}
	if r.Intn(3) == 0 {
		s["exclusiveMaximum"] = json.Number(fmt.Sprint(3 + r.Intn(4)))
	}
	if r.Intn(4) == 0 {
		s["multipleOf"] = json.Number(fmt.Sprint(1 + r.Intn(3)))
	}
	if r.Intn(2) == 0 {
		s["maxLength"] = json.Number(fmt.Sprint(r.Intn(4)))
	}
	if r.Intn(4) == 0 {
		s["pattern"] = []string{"^a", "b$", "^[ab]+$", "a|b", "^a*$"}[r.Intn(5)]
	}
	if depth < 2 {
		if r.Intn(2) == 0 {
			props := map[string]any{}
			for _, k := range []string{"x", "y"} {
				if r.Intn(2) == 0 {
					props[k] = randSchema(r, depth+1)
				}
			}
			s["properties"] = props
			if r.Intn(2) == 0 {
				s["required"] = []any{"x"}
			}
			if r.Intn(3) == 0 {
				s["additionalProperties"] = false
			}
		}
		if r.Intn(3) == 0 {
			s["items"] = randSchema(r, depth+1)
		}
		if r.Intn(3) == 0 {
			s["maxItems"] = json.Number(fmt.Sprint(r.Intn(3)))
		}
		if r.Intn(6) == 0 {
			s["anyOf"] = []any{randSchema(r, depth+1), randSchema(r, depth+1)}
		}
		if r.Intn(8) == 0 {
			s["oneOf"] = []any{randSchema(r, depth+1), randSchema(r, depth+1)}
		}
		if r.Intn(6) == 0 {
			s["allOf"] = []any{randSchema(r, depth+1), randSchema(r, depth+1)}
		}
		if r.Intn(10) == 0 {
			s["not"] = randSchema(r, depth+1)
		}
		if r.Intn(6) == 0 {
			s["patternProperties"] = map[string]any{"^y": randSchema(r, depth+1)}
		}
		if r.Intn(8) == 0 {
			s["dependentRequired"] = map[string]any{"x": []any{"y"}}
		}
		if r.Intn(6) == 0 {
			s["prefixItems"] = []any{randSchema(r, depth+1)}
		}
		if r.Intn(8) == 0 {
			s["if"] = randSchema(r, depth+1)
			s["then"] = randSchema(r, depth+1)
		}
		if r.Intn(8) == 0 {
			s["propertyNames"] = map[string]any{"maxLength": json.Number("1")}
		}
		if r.Intn(8) == 0 {
			s["uniqueItems"] = true
		}
		if r.Intn(8) == 0 {
			s["minProperties"] = json.Number("1")
		}
	}
	return s
}

// randValue builds a random JSON value over the same small vocabulary.
func randValue(r *rand.Rand, depth int) any {
	switch r.Intn(8) {
	case 0:
		return nil
	case 1:
		return r.Intn(2) == 0
	case 2:
		return json.Number(fmt.Sprint(r.Intn(8) - 1))
	case 3:
		return json.Number(fmt.Sprintf("%d.5", r.Intn(5)))
	case 4:
		return []string{"", "a", "b", "ab", "ba", "aaaa", "c"}[r.Intn(7)]
	case 5:
		if depth > 2 {
			return "a"
		}
		m := map[string]any{}
		for _, k := range []string{"x", "y", "z"} {
			if r.Intn(2) == 0 {
				m[k] = randValue(r, depth+1)
			}
		}
		return m
	default:
		if depth > 2 {
			return json.Number("1")
		}
		var a []any
		for i := 0; i < r.Intn(4); i++ {
			a = append(a, randValue(r, depth+1))
		}
		return a
	}
}

func source(name string, schema map[string]any) compat.Source {
	b, _ := json.Marshal(schema)
	return compat.Source{FS: fstest.MapFS{"s.json": {Data: b}}, File: "s.json", Name: name}
}

// inclusionAnswers folds a report's answers as fold does: the phasing B of a property
// removed without deprecation counts as the inclusion it is not about.
func inclusionAnswers(r *compat.Report) (b, f bool) {
	b, f = fold(r.Findings)
	return b, f
}

// TestRandomSoundness compares random schema pairs and checks the engine's properties:
// self-comparison reports nothing, swapping OLD and NEW swaps B and F, and no random
// instance contradicts a "yes": an instance the old side produces and the new side
// rejects means B must be no (and the same for F the other way round).
func TestRandomSoundness(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		testRandomSoundness(t, seed)
	}
}

func testRandomSoundness(t *testing.T, seed int64) {
	r := rand.New(rand.NewSource(seed))
	ctx := context.Background()
	for i := 0; i < 400; i++ {
		model := Model(i % 2)
		so, sn := randSchema(r, 0), randSchema(r, 0)
		if r.Intn(3) == 0 {
			sn = mutate(r, so)
		}
		old, new := source("old", so), source("new", sn)
		rep, err := Compare(ctx, old, new, Options{Model: model})
		require.NoError(t, err)
		self, err := Compare(ctx, old, old, Options{Model: model})
		require.NoError(t, err)
		require.Empty(t, self.Findings, "self comparison of %s", mustJSON(so))
		swapped, err := Compare(ctx, new, old, Options{Model: model})
		require.NoError(t, err)
		// Swapping mirrors inclusion; a removal's phasing answer (PROPERTY_REMOVED's B) has
		// no mirror, so the answers are folded as inclusion answers.
		b, f := inclusionAnswers(rep)
		sb, sf := inclusionAnswers(swapped)
		require.Equal(t, [2]bool{b, f}, [2]bool{sf, sb}, "swap: old %s new %s (%s)", mustJSON(so), mustJSON(sn), model)

		os, _ := NewSchemas([]Document{{Path: "s.json", Value: roundTrip(so)}})
		ns, _ := NewSchemas([]Document{{Path: "s.json", Value: roundTrip(sn)}})
		on, err := os.schemaAt("s.json#")
		require.NoError(t, err)
		nn, err := ns.schemaAt("s.json#")
		require.NoError(t, err)
		c := NewComparison(os, ns, CompareOptions{Model: model})
		for j := 0; j < 300; j++ {
			v := randValue(r, 0)
			if b && valid(on, v) && c.producible(on, v) && !valid(nn, v) {
				t.Fatalf("B answered yes but %s is produced by old %s and rejected by new %s (%s)", mustJSON(v), mustJSON(so), mustJSON(sn), model)
			}
			if f && valid(nn, v) && c.producible(nn, v) && !valid(on, v) {
				t.Fatalf("F answered yes but %s is produced by new %s and rejected by old %s (%s)", mustJSON(v), mustJSON(sn), mustJSON(so), model)
			}
		}
	}
}

// mutate changes one keyword of a schema, so pairs are often close to each other.
func mutate(r *rand.Rand, s map[string]any) map[string]any {
	out := roundTrip(s).(map[string]any)
	keys := []string{"minimum", "maxLength", "required", "additionalProperties", "type", "pattern", "maxItems", "allOf", "anyOf", "properties",
		"patternProperties", "prefixItems", "propertyNames", "uniqueItems", "dependentRequired", "if", "then", "oneOf", "not"}
	k := keys[r.Intn(len(keys))]
	if _, ok := out[k]; ok {
		delete(out, k)
		return out
	}
	other := randSchema(r, 0)
	if v, ok := other[k]; ok {
		out[k] = v
	}
	return out
}

func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(bytesReader(b))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// TestDeepNesting compares schemas nested hundreds of levels deep and a long $ref chain:
// no stack overflow, and the change at the bottom is found.
func TestDeepNesting(t *testing.T) {
	build := func(depth, maxLen int) map[string]any {
		s := map[string]any{"type": "string", "maxLength": json.Number(fmt.Sprint(maxLen))}
		for i := 0; i < depth; i++ {
			s = map[string]any{"type": "object", "properties": map[string]any{"p": s}}
		}
		return s
	}
	rep, err := Compare(context.Background(), source("old", build(240, 5)), source("new", build(240, 4)), Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	require.Equal(t, "MAX_LENGTH_DECREASED", rep.Findings[0].Rule)

	chain := func(n, maxLen int) map[string]any {
		defs := map[string]any{}
		for i := 0; i < n; i++ {
			defs[fmt.Sprintf("d%d", i)] = map[string]any{"type": "object", "properties": map[string]any{"next": map[string]any{"$ref": fmt.Sprintf("#/$defs/d%d", i+1)}}}
		}
		defs[fmt.Sprintf("d%d", n)] = map[string]any{"type": "string", "maxLength": json.Number(fmt.Sprint(maxLen))}
		return map[string]any{"$defs": defs, "$ref": "#/$defs/d0"}
	}
	rep, err = Compare(context.Background(), source("old", chain(3000, 5)), source("new", chain(3000, 4)), Options{})
	require.NoError(t, err)
	require.Len(t, rep.Findings, 1)
	require.Equal(t, "s.json#/$defs/d3000", rep.Findings[0].Subject)
}
