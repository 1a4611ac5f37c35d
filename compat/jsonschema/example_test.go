package jsonschema_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// Adding an optional property to an open object is additive under the default
// produce-accept model, while lowering a maxLength is breaking: old writers may still
// produce the longer strings, as the verified witness shows.
func Example() {
	old := compat.Source{Name: "old", File: "person.json", FS: fstest.MapFS{"person.json": {Data: []byte(`{
  "type": "object",
  "properties": {"name": {"type": "string", "maxLength": 5}}
}`)}}}
	new := compat.Source{Name: "new", File: "person.json", FS: fstest.MapFS{"person.json": {Data: []byte(`{
  "type": "object",
  "properties": {
    "name": {"type": "string", "maxLength": 3},
    "nickname": {"type": "string"}
  }
}`)}}}
	report, err := jsonschema.Compare(context.Background(), old, new, jsonschema.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s: %s", f.Class(), f.Rule, f.Subject, f.Message)
		if f.Witness != nil {
			fmt.Printf(" (witness %s)", f.Witness)
		}
		fmt.Println()
	}
	fmt.Println("verdict:", report.Verdict())
	// Output:
	// breaking MAX_LENGTH_DECREASED person.json#/properties/name: maxLength lowered from 5 to 3 (witness "aaaaa")
	// additive PROPERTY_ADDED_OPTIONAL person.json#/properties/nickname: optional property "nickname" added
	// verdict: breaking
}
