package proto_test

import (
	"context"
	"fmt"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/proto"
)

// Comparing two versions of a message: widening int32 to int64 is read-tolerant, and a
// new field is additive.
func ExampleCompare() {
	old := fstest.MapFS{"order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
message Order {
  int32 count = 1;
}
`)}}
	new := fstest.MapFS{"order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
message Order {
  int64 count = 1;
  string note = 2;
}
`)}}
	report, err := proto.Compare(context.Background(),
		compat.Source{FS: old, Name: "old"}, compat.Source{FS: new, Name: "new"}, proto.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s: %s\n", f.Class(), f.Rule, f.Subject, f.Message)
	}
	fmt.Println("verdict:", report.Verdict())
	// Output:
	// read-tolerant FIELD_TYPE_WIDENED shop.v1.Order.count: field count changed type from int32 to int64
	// additive FIELD_ADDED shop.v1.Order.note: field note = 2 was added
	// verdict: read-tolerant
}
