// Package jsonschematest checks, in the tests of the engines built on compat/jsonschema
// (the JSON Schema and OpenAPI engines), the promise every schema finding makes: a
// finding whose B or F is "no" either carries a witness that a real validator confirms on
// both sides (the producing side accepts it, the accepting side rejects it) or says, in
// its message and with Undecided set, that its answer is conservative.
//
// Witnesses are checked again with a validator independent of the engine's own
// machinery: github.com/santhosh-tekuri/jsonschema/v6 (the engine uses v5, and its own
// pruned copies of schemas), with every regular expression read by regexp2's ECMAScript
// mode, as JSON Schema asks. A test collects the engine's witnesses with
// jsonschema.Options.OnWitness (or CompareOptions.OnWitness), builds a Validator per
// version from the same documents it handed the engine, and calls CheckReport.
package jsonschematest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/dlclark/regexp2"
	js6 "github.com/santhosh-tekuri/jsonschema/v6"
)

const root = "file:///compatcheck-test-root/"

// Validator validates instances against the schemas of one version's documents.
type Validator struct {
	c    *js6.Compiler
	docs map[string]any
	memo map[string]*js6.Schema
}

// NewValidator registers documents (as handed to the engine) with a fresh v6 compiler.
// References to a document's root $id reach it; a $ref to anything else outside them
// resolves to the schema that accepts everything, as the
// engine reads such a reference by default (it reports no witness reaching one).
func NewValidator(docs []jsonschema.Document) (*Validator, error) {
	c := js6.NewCompiler()
	c.DefaultDraft(js6.Draft2020)
	c.AssertFormat()
	c.UseRegexpEngine(ecmaEngine)
	v := &Validator{c: c, docs: map[string]any{}, memo: map[string]*js6.Schema{}}
	// Two documents with one root $id: the one whose file name the URL ends in keeps it,
	// else the first in path order, as the engine reads such input.
	owner := map[string]string{}
	sorted := append([]jsonschema.Document(nil), docs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for _, d := range sorted {
		id := rootID(d.Value)
		if id == "" {
			continue
		}
		prev, dup := owner[id]
		if !dup || path.Base(d.Path) == path.Base(id) && path.Base(prev) != path.Base(id) {
			owner[id] = d.Path
		}
	}
	for _, d := range docs {
		if id := rootID(d.Value); id != "" && owner[id] != d.Path {
			m := d.Value.(map[string]any)
			cp := make(map[string]any, len(m))
			for k, x := range m {
				if k != "$id" && k != "id" {
					cp[k] = x
				}
			}
			d.Value = cp
		}
		v.docs[d.Path] = d.Value
		m, _ := d.Value.(map[string]any)
		draft, _ := m["$schema"].(string)
		val, err := roundTrip(tolerant(d.Value, draft, 0))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(docURL(d.Path), val); err != nil {
			return nil, fmt.Errorf("%s: %v", d.Path, err)
		}
	}
	byID := anyLoader{}
	for id, p := range owner {
		for _, d := range docs {
			if d.Path == p {
				m, _ := d.Value.(map[string]any)
				draft, _ := m["$schema"].(string)
				val, err := roundTrip(tolerant(d.Value, draft, 0))
				if err != nil {
					return nil, err
				}
				byID[id] = val
			}
		}
	}
	c.UseLoader(byID)
	return v, nil
}

// roundTrip re-decodes a value as v6 decodes documents (json.Number for numbers).
func roundTrip(v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return js6.UnmarshalJSON(bytes.NewReader(data))
}

// tolerant drops what JSON Schema says asserts nothing but v6's metaschema check would
// refuse: an annotation whose value has the wrong type ("description": null, in
// published schemas), and in a 2020-12 document 2019-09's $recursiveAnchor and
// $recursiveRef, keywords of another draft. Instance data is left alone.
func tolerant(v any, draft string, depth int) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			switch k {
			case "title", "description", "$comment":
				if _, ok := e.(string); !ok {
					continue
				}
			case "readOnly", "writeOnly", "deprecated":
				if _, ok := e.(bool); !ok {
					continue
				}
			case "$recursiveAnchor", "$recursiveRef":
				if draft == "" || strings.Contains(draft, "2020-12") {
					continue
				}
			case "enum", "const", "default", "examples":
				out[k] = e
				continue
			}
			if depth < 500 {
				e = tolerant(e, draft, depth+1)
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tolerant(e, draft, depth+1)
		}
		return out
	}
	return v
}

// rootID returns a document's absolute root $id (or id) without fragment, or "".
func rootID(v any) string {
	m, _ := v.(map[string]any)
	for _, k := range []string{"$id", "id"} {
		if s, ok := m[k].(string); ok {
			if u, err := url.Parse(s); err == nil && u.IsAbs() {
				u.Fragment = ""
				return u.String()
			}
		}
	}
	return ""
}

// anyLoader serves documents by root $id, and for any other URL the schema that accepts
// everything.
type anyLoader map[string]any

func (l anyLoader) Load(u string) (any, error) {
	if v, ok := l[u]; ok {
		return v, nil
	}
	return map[string]any{}, nil
}

func docURL(p string) string {
	return (&url.URL{Scheme: "file", Path: "/compatcheck-test-root/" + p}).String()
}

// ecmaRegexp adapts regexp2 to v6's Regexp.
type ecmaRegexp struct{ re *regexp2.Regexp }

func (r ecmaRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return ok && err == nil
}
func (r ecmaRegexp) String() string { return r.re.String() }

// ecmaEngine reads every regex as ECMAScript; one regexp2 refuses but RE2 reads (Go's
// (?P<name>...) syntax) is read by RE2.
func ecmaEngine(s string) (js6.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		re, err = regexp2.Compile(s, regexp2.ECMAScript)
	}
	if err == nil {
		return ecmaRegexp{re}, nil
	}
	if re2, err2 := regexp.Compile(s); err2 == nil {
		return re2, nil
	}
	// A regex no engine reads (the specification only says it SHOULD be ECMA-262): the
	// engine never reports a witness reaching one, so whatever it matches here is moot,
	// and the document must still compile.
	return unreadable(s), nil
}

// unreadable stands for a regex no engine reads.
type unreadable string

func (unreadable) MatchString(string) bool { return true }
func (u unreadable) String() string        { return string(u) }

// Valid reports whether the schema at ref ("path#/pointer") accepts the JSON value.
func (v *Validator) Valid(ref string, value json.RawMessage) (bool, error) {
	s, ok := v.memo[ref]
	if !ok {
		file, ptr, _ := strings.Cut(ref, "#")
		loc := docURL(file)
		if ptr != "" {
			loc += "#" + (&url.URL{Path: ptr}).EscapedPath()
		}
		var err error
		if s, err = v.c.Compile(loc); err != nil {
			return false, fmt.Errorf("compiling %s: %v", ref, err)
		}
		v.memo[ref] = s
	}
	inst, err := js6.UnmarshalJSON(bytes.NewReader(value))
	if err != nil {
		return false, err
	}
	return s.Validate(inst) == nil, nil
}

// valid reports whether the side accepts value: the conjunction of its schemas, or its
// implied answer.
func (v *Validator) valid(ws jsonschema.WitnessSchema, value json.RawMessage) (bool, error) {
	if len(ws.All) == 0 {
		return !ws.Nothing, nil
	}
	for _, ref := range ws.All {
		ok, err := v.Valid(ref, value)
		if err != nil || !ok {
			return false, err
		}
	}
	return !ws.Nothing, nil
}

// Check re-validates one witness: the producing side accepts it and the accepting side
// rejects it; under the produce-accept model, every property name it uses is one the
// producing version declares somewhere (a coarse, independent check of "produced").
func Check(old, new *Validator, w jsonschema.Witness) error {
	side := func(ws jsonschema.WitnessSchema) *Validator {
		if ws.Old {
			return old
		}
		return new
	}
	ok, err := side(w.Producer).valid(w.Producer, w.Value)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s %s: witness %s is not accepted by the producing side %v", w.Rule, w.Subject, w.Value, w.Producer.All)
	}
	ok, err = side(w.Acceptor).valid(w.Acceptor, w.Value)
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("%s %s: witness %s is accepted by the accepting side %v", w.Rule, w.Subject, w.Value, w.Acceptor.All)
	}
	if w.Model == jsonschema.ProduceAccept {
		p := side(w.Producer)
		if name, bad := p.undeclared(w.Value); bad {
			return fmt.Errorf("%s %s: witness %s uses property %q, which the producing version never declares", w.Rule, w.Subject, w.Value, name)
		}
	}
	return nil
}

// undeclared finds a property name of value that no properties keyword of the version
// declares, when the version declares names only that way.
func (v *Validator) undeclared(value json.RawMessage) (string, bool) {
	declared := map[string]bool{}
	open := false
	var walkSchema func(x any, depth int)
	walkSchema = func(x any, depth int) {
		if depth > 500 {
			return
		}
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				switch k {
				case "properties":
					if ps, ok := e.(map[string]any); ok {
						for name := range ps {
							declared[name] = true
						}
					}
				case "patternProperties", "additionalProperties", "unevaluatedProperties":
					if b, isBool := e.(bool); !isBool || b {
						open = true
					}
				case "enum", "const", "default", "examples":
					continue
				}
				walkSchema(e, depth+1)
			}
		case []any:
			for _, e := range x {
				walkSchema(e, depth+1)
			}
		}
	}
	for _, d := range v.docs {
		walkSchema(d, 0)
	}
	if open {
		return "", false
	}
	var inst any
	dec := json.NewDecoder(bytes.NewReader(value))
	dec.UseNumber()
	if dec.Decode(&inst) != nil {
		return "", false
	}
	var bad string
	var walk func(x any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if !declared[k] && bad == "" {
					bad = k
				}
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(inst)
	return bad, bad != ""
}

// TB is the part of testing.TB CheckReport uses.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// CheckReport checks the witness discipline of a report against the witnesses the engine
// reported while producing it: every witness in the report is one the engine recorded and
// re-validates with Check, and every finding whose B or F is no carries a witness or is
// Undecided — except rules exempt from it (policy answers that no instance can show, such
// as a schema file removed; see jsonschema.WitnessExempt). It returns how many witnesses
// it re-validated.
func CheckReport(t TB, rep *compat.Report, ws []jsonschema.Witness, old, new *Validator) int {
	t.Helper()
	byKey := map[string]jsonschema.Witness{}
	for _, w := range ws {
		byKey[w.Rule+"\x00"+w.Subject+"\x00"+string(w.Value)] = w
	}
	checked := 0
	for _, f := range rep.Findings {
		if r, ok := compat.LookupRule(f.Rule); !ok || r.Kind != compat.KindJSONSchema {
			continue // not a schema finding: the discipline is the schema engine's
		}
		if len(f.Witness) > 0 {
			w, ok := byKey[f.Rule+"\x00"+f.Subject+"\x00"+string(f.Witness)]
			if !ok {
				// Callers may rewrite subjects (the OpenAPI engine does); match by value.
				for _, x := range ws {
					if x.Rule == f.Rule && bytes.Equal(x.Value, f.Witness) {
						w, ok = x, true
						break
					}
				}
			}
			if !ok {
				t.Errorf("%s %s: witness %s was not verified by the engine", f.Rule, f.Subject, f.Witness)
				continue
			}
			if err := Check(old, new, w); err != nil {
				t.Errorf("%v", err)
			}
			if f.Backward && f.Forward {
				t.Errorf("%s %s: witness on a finding that holds both ways", f.Rule, f.Subject)
			}
			checked++
			continue
		}
		if (!f.Backward || !f.Forward) && !f.Undecided && !jsonschema.WitnessExempt(f) {
			t.Errorf("%s %s: answers B=%v F=%v with neither a witness nor undecided: %s", f.Rule, f.Subject, f.Backward, f.Forward, f.Message)
		}
	}
	return checked
}
