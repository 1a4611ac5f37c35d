package history_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/history"
)

// A history judges the head against every release; the changes of earlier releases are
// context, each with its release.
func ExampleCheck() {
	dir, _ := os.MkdirTemp("", "history-example")
	defer os.RemoveAll(dir)
	for version, schema := range map[string]string{
		"v1": `{"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}`,
		"v2": `{"type": "object", "properties": {"n": {"type": "integer", "maximum": 100}}}`,
		"v3": `{"type": "object", "properties": {"n": {"type": "integer", "maximum": 100}, "note": {"type": "string"}}}`,
	} {
		os.MkdirAll(filepath.Join(dir, version), 0o755)
		os.WriteFile(filepath.Join(dir, version, "order.json"), []byte(schema), 0o644)
	}
	seq, err := history.FromDirectory(dir, "") // v3, the newest, is the head
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := history.Check(context.Background(), seq, history.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Report.Findings {
		fmt.Printf("%s %s release=%q writable_from=%q\n", f.Rule, f.Class(), f.Release, f.WritableFrom)
	}
	fmt.Println("verdict:", res.Report.Verdict())
	fmt.Println("rollback floor:", res.Rollback.Rollback.Release)
	fmt.Println("fails:", res.Failed(compat.FailOn(compat.Breaking)))
	// Output:
	// MAXIMUM_INCREASED read-tolerant release="v2" writable_from="v3"
	// PROPERTY_ADDED_OPTIONAL additive release="" writable_from=""
	// verdict: additive
	// rollback floor: v2
	// fails: false
}
