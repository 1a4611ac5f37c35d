package contract_test

import (
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/baselinetest"
)

// TestBaselines checks the baseline files of the shared test module against the
// generator, from the module's previous release in old/.
func TestBaselines(t *testing.T) {
	baselinetest.Check(t, "../testdata/shop/old", "../testdata/shop", []string{"GOPROXY=off", "GOWORK=off"}, contract.Options{}, "./...")
}
