package compatcheck_test

import (
	"context"
	"fmt"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/proto"
)

// Compare detects the kind of contract, compares the two versions, and returns a report
// whose findings carry their class and the safe sequence of releases.
func ExampleCompare() {
	old, err := compat.OpenPath("testdata/demo/v1")
	if err != nil {
		fmt.Println(err)
		return
	}
	new, err := compat.OpenPath("testdata/demo/v2")
	if err != nil {
		fmt.Println(err)
		return
	}
	report, kind, err := compatcheck.Compare(context.Background(), old, new, compatcheck.Options{})
	if err != nil {
		fmt.Println(err) // a *compat.Error: file:line:col: message
		return
	}
	fmt.Println(kind, report.Verdict())
	for _, f := range report.Failures(compat.FailOn(compat.Breaking)) {
		fmt.Printf("%s %s\n", f.Rule, f.Subject)
		fmt.Printf("  first step: %s\n", f.Advice[0])
	}
	// Output:
	// proto breaking
	// FIELD_TYPE_CHANGED shop.v1.Order.total_cents
	//   first step: Add a new field of the new type with a new number, and let writers fill both
	// FIELD_RENAMED shop.v1.Order.customer_email
	//   first step: Keep the old JSON name with the json_name option, or add a new field beside the old one
}

// Options select the engine's behaviour. Here only the binary wire encoding must stay
// compatible, so the rename (a JSON-only break) no longer fails.
func ExampleCompare_wireOnly() {
	old, _ := compat.OpenPath("testdata/demo/v1")
	new, _ := compat.OpenPath("testdata/demo/v2")
	var opts compatcheck.Options
	opts.Proto.Encodings = []proto.Encoding{proto.Wire}
	report, _, err := compatcheck.Compare(context.Background(), old, new, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Failures(compat.FailOn(compat.Breaking)) {
		fmt.Println(f.Rule, f.Subject, f.Class())
	}
	// Output:
	// FIELD_TYPE_CHANGED shop.v1.Order.total_cents breaking
}
