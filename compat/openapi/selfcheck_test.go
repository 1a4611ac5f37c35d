package openapi

import (
	"testing"

	"github.com/compatcheck/compatcheck/internal/selfcheck"
)

// TestMain turns on the engines' self-checks (internal/selfcheck) for the tests: every
// memoized schema pair that let its findings go is checked to build them again exactly
// as they were first made. Benchmarks run without them.
func TestMain(m *testing.M) { selfcheck.Main(m) }
