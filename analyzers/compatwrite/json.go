package compatwrite

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/compat"
)

// jsonAdditions asks compat/jsonschema which JSON contract enums grew since the baseline
// with a read-tolerant addition, and keeps the constants that are new.
func (st *state) jsonAdditions(ctx context.Context, baseline *contract.Snapshot) {
	jc := st.contracts.JSON
	if len(jc.Roots) == 0 || len(baseline.JSONRoots) == 0 {
		return
	}
	report, err := contract.CompareJSON(ctx, baseline, jc)
	if err != nil {
		return
	}
	done := map[string]bool{}
	for _, f := range report.Findings {
		if f.Rule != "ENUM_MEMBER_ADDED" || f.Class() != compat.ReadTolerant {
			continue
		}
		ptr := contract.SubjectPointer(f.Subject)
		key, ok := strings.CutPrefix(ptr, "/$defs/")
		if !ok || strings.Contains(key, "/") {
			continue
		}
		key = strings.NewReplacer("~1", "/", "~0", "~").Replace(key)
		def := jc.Defs[key]
		if def == nil || def.Obj.Pkg() != st.pass.Pkg || done[key] {
			continue
		}
		done[key] = true
		old := map[string]bool{}
		var schema struct {
			Enum []json.RawMessage `json:"enum"`
		}
		_ = json.Unmarshal(baseline.JSONDefs[key], &schema)
		for _, v := range schema.Enum {
			old[canonical(string(v))] = true
		}
		fact := &enumFact{Contract: "json", Name: def.Obj.Pkg().Name() + "." + def.Obj.Name()}
		for _, m := range def.Enum {
			if !old[canonical(m.JSON)] {
				fact.Values = append(fact.Values, addedValue{
					Name: m.Const.Name(), Value: canonical(m.JSON), Where: def.Obj.Pkg().Name() + "." + def.Obj.Name(), Finding: f,
				})
			}
		}
		if len(fact.Values) > 0 {
			st.enums[def.Obj] = fact
		}
	}
}

// canonical re-encodes a JSON value, so that values written by different encoders
// compare equal.
func canonical(js string) string {
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return js
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return js
	}
	return strings.TrimSpace(b.String())
}
