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

// Comparing a tree that vendors a dependency under third_party/: with the import path, the
// contract imports it by its import name, and the vendored file only lends its types.
func ExampleOptions_importPaths() {
	annotations := []byte(`syntax = "proto3";
package vendor.api;
message Rule { string get = 1; }
`)
	old := fstest.MapFS{
		"third_party/vendor/api/rule.proto": {Data: annotations},
		"shop/v1/order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
import "vendor/api/rule.proto";
message Order {
  vendor.api.Rule rule = 1;
}
`)},
	}
	new := fstest.MapFS{
		"third_party/vendor/api/rule.proto": {Data: annotations},
		"shop/v1/order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
import "vendor/api/rule.proto";
message Order {
  vendor.api.Rule rule = 1;
  repeated vendor.api.Rule more = 2;
}
`)},
	}
	report, err := proto.Compare(context.Background(),
		compat.Source{FS: old, Name: "old"}, compat.Source{FS: new, Name: "new"},
		proto.Options{ImportPaths: []string{"third_party"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s %s at %s\n", f.Class(), f.Rule, f.Subject, f.New)
	}
	// Output:
	// additive FIELD_ADDED shop.v1.Order.more at shop/v1/order.proto:6:3
}

// An inline ignore in the NEW file accepts one finding, with a reason a reviewer can read;
// the finding stays in the report and no longer counts toward the verdict.
func ExampleCompare_inlineIgnore() {
	old := fstest.MapFS{"order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
message Order {
  int64 total = 1;
}
`)}}
	new := fstest.MapFS{"order.proto": {Data: []byte(`syntax = "proto3";
package shop.v1;
message Order {
  // compatcheck:ignore FIELD_TYPE_CHANGED totals are below 2^31, see #88
  int32 total = 1;
}
`)}}
	report, err := proto.Compare(context.Background(),
		compat.Source{FS: old, Name: "old"}, compat.Source{FS: new, Name: "new"}, proto.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%s %s (ignored: %s)\n", f.Rule, f.Subject, f.Suppressed)
	}
	fmt.Println("verdict:", report.Verdict())
	// Output:
	// FIELD_TYPE_CHANGED shop.v1.Order.total (ignored: totals are below 2^31, see #88)
	// verdict: none
}
