// Command compatcheck-vet runs compatcheck's analyzers (compatbaseline, compatwrite,
// compatjson, compatgoose) on Go packages:
//
//	go vet -vettool=$(which compatcheck-vet) ./...
//	go fix -fixtool=$(which compatcheck-vet) ./...   # applies the suggested fixes
//	compatcheck-vet ./...                            # standalone; -fix applies fixes
//
// Each analyzer's flags are prefixed with its name, such as
// -compatwrite.gates=example.com/flags.Enabled. docs/analyzers.md describes the checks
// and the baseline they compare with.
package main

import (
	"github.com/compatcheck/compatcheck/analyzers"
	"golang.org/x/tools/go/analysis/multichecker"
)

func main() { multichecker.Main(analyzers.All()...) }
