package compat

import (
	"bytes"
	"encoding/json"
	"io"
)

// jsonReport and jsonFinding fix the field order of the JSON contract
// (docs/cli.md); encoding/json writes struct fields in declaration order.
type jsonReport struct {
	Verdict  Class         `json:"verdict"`
	Findings []jsonFinding `json:"findings"`
	Unused   []Directive   `json:"unused_ignores,omitempty"`
	Expired  []Directive   `json:"expired_ignores,omitempty"`
}

type jsonFinding struct {
	Rule       string          `json:"rule"`
	Class      Class           `json:"class"`
	Backward   bool            `json:"backward"`
	Forward    bool            `json:"forward"`
	Kind       Kind            `json:"kind"`
	Contract   string          `json:"contract,omitempty"`
	Subject    string          `json:"subject"`
	Message    string          `json:"message"`
	Old        *Position       `json:"old,omitempty"`
	New        *Position       `json:"new,omitempty"`
	ReadersLag bool            `json:"readers_lag,omitempty"`
	Undecided  bool            `json:"undecided,omitempty"`
	Release    string          `json:"release,omitempty"`
	Writable   string          `json:"writable_from,omitempty"`
	Operations []OperationRef  `json:"operations,omitempty"`
	Hazards    []Hazard        `json:"hazards,omitempty"`
	Witness    json.RawMessage `json:"witness,omitempty"`
	Advice     []string        `json:"advice,omitempty"`
	Suppressed string          `json:"suppressed,omitempty"`
}

// MarshalJSON encodes the report as the CLI's `--format json` does, without indentation.
// '<', '>' and '&' are written as they are: reports quote protobuf types such as
// map<string, int32>, and nothing renders them as HTML.
func (r *Report) MarshalJSON() ([]byte, error) {
	out := jsonReport{Verdict: r.Verdict(), Findings: make([]jsonFinding, 0, len(r.Findings)), Unused: r.Unused, Expired: r.Expired}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.Rule, Class: f.Class(), Backward: f.Backward, Forward: f.Forward,
			Kind: f.Kind, Contract: f.Contract, Subject: f.Subject, Message: f.Message, Old: f.Old, New: f.New,
			ReadersLag: f.ReadersLag, Undecided: f.Undecided, Release: f.Release, Writable: f.WritableFrom, Operations: f.Operations, Hazards: f.Hazards,
			Witness: f.Witness, Advice: f.Advice, Suppressed: f.Suppressed,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func encodeJSON(w io.Writer, r *Report, _ EncodeOptions) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
