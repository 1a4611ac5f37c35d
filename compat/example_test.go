package compat_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// A rule is declared once; engines create findings from it, and the class always follows
// from the two answers.
func ExampleRegister() {
	rule := compat.Register(compat.Rule{
		ID:       "EXAMPLE_WIDGET_ADDED",
		Kind:     "example",
		Title:    "A widget was added",
		Backward: true,
		Forward:  false,
		Why:      "New readers accept old data (B); old readers do not know widgets (not F).",
		Old:      "widgets: []",
		New:      "widgets: [gear]",
		Safe:     "Release readers that accept widgets, then writers that emit them.",
	})
	f := rule.Finding("inventory.widgets", "widget gear added")
	fmt.Println(f.Class())
	// Output: read-tolerant
}

// Reports encode deterministically; the JSON format is the CLI's contract.
func ExampleEncode() {
	r := compat.NewReport([]compat.Finding{{
		Rule: "FIELD_NUMBER_CHANGED", Kind: compat.KindProto,
		Subject: "shop.v1.Order.note", Message: "field note changed number from 2 to 3",
		Old: compat.Pos("a.proto", 3, 3), New: compat.Pos("a.proto", 3, 3),
	}})
	_ = compat.Encode(os.Stdout, r, "text", compat.EncodeOptions{Policy: compat.FailOn(compat.Breaking)})
	// Output:
	// a.proto
	//   3:3     breaking      FIELD_NUMBER_CHANGED shop.v1.Order.note: field note changed number from 2 to 3 [fails]
	//
	// verdict: breaking (1 breaking, 0 read-tolerant, 0 additive)
}

// Reports also encode for CI systems: GitLab Code Quality here, and SARIF for GitHub
// code scanning, JUnit XML and a markdown pull-request summary the same way. Paths are
// joined to the name NEW was given, so the consumer finds the file in the repository.
func ExampleEncode_gitlab() {
	r := compat.NewReport([]compat.Finding{{
		Rule: "FIELD_NUMBER_CHANGED", Kind: compat.KindProto,
		Subject: "shop.v1.Order.note", Message: "field note changed number from 2 to 3",
		New: compat.Pos("shop/v1/order.proto", 3, 3),
	}})
	var buf strings.Builder
	_ = compat.Encode(&buf, r, "gitlab", compat.EncodeOptions{NewName: "proto"})
	var issues []struct {
		CheckName   string `json:"check_name"`
		Severity    string `json:"severity"`
		Description string `json:"description"`
		Location    struct {
			Path  string              `json:"path"`
			Lines struct{ Begin int } `json:"lines"`
		} `json:"location"`
	}
	_ = json.Unmarshal([]byte(buf.String()), &issues)
	for _, is := range issues {
		fmt.Println(is.CheckName, is.Severity, is.Location.Path, is.Location.Lines.Begin)
		fmt.Println(is.Description)
	}
	// Output:
	// FIELD_NUMBER_CHANGED blocker proto/shop/v1/order.proto 3
	// breaking: field note changed number from 2 to 3 (shop.v1.Order.note)
}
