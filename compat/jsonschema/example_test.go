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

// A reviewed change is accepted where it is written: x-compatcheck-ignore on a schema of
// the new version suppresses the findings of its rule on that schema and below it. The
// suppressed finding is still reported, with the reason, but no longer decides the
// verdict; a directive that covered nothing is listed so that it can be removed.
func Example_inlineIgnore() {
	old := compat.Source{Name: "old", File: "person.json", FS: fstest.MapFS{"person.json": {Data: []byte(`{
  "type": "object",
  "properties": {"name": {"type": "string", "maxLength": 5}}
}`)}}}
	new := compat.Source{Name: "new", File: "person.json", FS: fstest.MapFS{"person.json": {Data: []byte(`{
  "type": "object",
  "x-compatcheck-ignore": [
    "MAX_LENGTH_DECREASED no stored name is longer than 3 characters",
    "REQUIRED_ADDED nothing is required yet"
  ],
  "properties": {"name": {"type": "string", "maxLength": 3}}
}`)}}}
	report, err := jsonschema.Compare(context.Background(), old, new, jsonschema.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s, ignored: %s\n", f.Class(), f.Rule, f.Subject, f.Suppressed)
	}
	for _, d := range report.Unused {
		fmt.Printf("unused at %s: %s\n", d.Pos, d.Rule)
	}
	fmt.Println("verdict:", report.Verdict())
	// Output:
	// breaking MAX_LENGTH_DECREASED person.json#/properties/name, ignored: no stored name is longer than 3 characters
	// unused at person.json:5:5: REQUIRED_ADDED
	// verdict: none
}

// IgnoreTexts reads the two forms the keyword takes, for engines that find it in
// documents of their own (the OpenAPI engine reads it on operations, parameters…).
func ExampleIgnoreTexts() {
	for _, v := range []any{"ENUM_MEMBER_ADDED readers map unknown values", []any{"A one", "B two"}, 42} {
		texts, err := jsonschema.IgnoreTexts(v)
		fmt.Println(texts, err)
	}
	// Output:
	// [{ENUM_MEMBER_ADDED readers map unknown values -1}] <nil>
	// [{A one 0} {B two 1}] <nil>
	// [] x-compatcheck-ignore must be a string "RULE reason" or a list of them
}
