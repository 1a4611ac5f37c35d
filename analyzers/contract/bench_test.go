package contract

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkJSONContracts derives and compares a package of many contract types, as
// compatjson does for each package: 200 structs of 20 fields, each embedding a shared
// struct and referring to the next, with one renamed tag in the new version.
func BenchmarkJSONContracts(b *testing.B) {
	const types, fields = 200, 20
	gen := func(renamed bool) []byte {
		var s strings.Builder
		s.WriteString("package p\n\nimport \"time\"\n\ntype Base struct {\n\tID string `json:\"id\"`\n\tAt time.Time `json:\"at\"`\n}\n")
		for i := 0; i < types; i++ {
			fmt.Fprintf(&s, "\n//compatcheck:contract\ntype T%d struct {\n\tBase\n", i)
			for j := 0; j < fields; j++ {
				name := fmt.Sprintf("f%d", j)
				if renamed && i == types/2 && j == 0 {
					name = "renamed"
				}
				fmt.Fprintf(&s, "\tF%d *int64 `json:\"%s,omitempty\"`\n", j, name)
			}
			fmt.Fprintf(&s, "\tNext *T%d `json:\"next\"`\n}\n", (i+1)%types)
		}
		return []byte(s.String())
	}
	ctx := context.Background()
	oldPkg := typeCheck(b, gen(false))
	oldC, _ := Collect(ctx, oldPkg, Options{})
	base := oldC.Snapshot()
	newPkg := typeCheck(b, gen(true))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, _ := Collect(ctx, newPkg, Options{})
		r, err := CompareJSON(ctx, base, c.JSON)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Findings) == 0 {
			b.Fatal("the renamed tag was not found")
		}
	}
}
