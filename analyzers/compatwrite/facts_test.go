package compatwrite

import (
	"bytes"
	"encoding/gob"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestFactsRoundTrip encodes every fact the analyzer exports for the shared test module
// with gob, as go vet and golangci-lint do between packages, and checks that it decodes to
// the same value: a fact that loses a field silently stops importing packages' checks.
func TestFactsRoundTrip(t *testing.T) {
	a := New(Config{})
	var facts []analysis.Fact
	rec := recorder{}
	for _, r := range analysistest.Run(&rec, "../testdata/shop", a, "./gen/...", "./store", "./api") {
		for _, fs := range r.Facts {
			facts = append(facts, fs...)
		}
	}
	kinds := map[reflect.Type]bool{}
	for _, f := range facts {
		kinds[reflect.TypeOf(f)] = true
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(f); err != nil {
			t.Fatalf("encoding %T: %v", f, err)
		}
		back := reflect.New(reflect.TypeOf(f).Elem()).Interface()
		if err := gob.NewDecoder(&buf).Decode(back); err != nil {
			t.Fatalf("decoding %T: %v", f, err)
		}
		if !reflect.DeepEqual(f, back) {
			t.Errorf("%T does not survive gob:\n before: %#v\n  after: %#v", f, f, back)
		}
	}
	for _, want := range a.FactTypes {
		if !kinds[reflect.TypeOf(want)] {
			t.Errorf("the test module exports no %T, so its encoding is not checked", want)
		}
	}
}

type recorder struct{}

func (recorder) Errorf(string, ...any) {}
