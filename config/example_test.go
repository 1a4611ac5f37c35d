package config_test

import (
	"context"
	"fmt"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/config"
)

// A configuration names the contracts of a repository; Run compares each with the same
// path in the base version. Here the base and head trees are in memory; on disk they
// are config.Dir(".") and a checkout of the base branch, and another Tree can read a
// git ref.
func ExampleConfig_Run() {
	cfg, err := config.Parse("compatcheck.yaml", []byte(`
version: 1
contracts:
  - name: shop
    path: proto
ignore:
  - rule: ENUM_VALUE_ADDED
    subject: shop.v1.Status.*
    reason: every reader of Status was released with the new values last week
    expires: 2026-06-30
`))
	if err != nil {
		fmt.Println(err) // compatcheck.yaml:line:col: what is wrong
		return
	}
	base := fstest.MapFS{"proto/shop.proto": {Data: []byte(
		"syntax = \"proto3\";\npackage shop.v1;\nenum Status { STATUS_UNSPECIFIED = 0; }\n")}}
	head := fstest.MapFS{"proto/shop.proto": {Data: []byte(
		"syntax = \"proto3\";\npackage shop.v1;\nenum Status { STATUS_UNSPECIFIED = 0; STATUS_SHIPPED = 1; }\n")}}
	today := func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	res, err := cfg.Run(context.Background(), config.FS(base, "base"), config.FS(head, "head"), config.RunOptions{Now: today})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Report.Findings {
		fmt.Printf("%s %s %s at %s, ignored: %s\n", f.Contract, f.Rule, f.Subject, f.New, f.Suppressed)
	}
	fmt.Println("fails:", res.Report.Failed(res.Policy))
	// Output:
	// shop ENUM_VALUE_ADDED shop.v1.Status.STATUS_SHIPPED at proto/shop.proto:3:39, ignored: every reader of Status was released with the new values last week
	// fails: false
}
