// Package selfcheck holds a switch tests turn on to make the engines verify their own
// shortcuts as they take them. It is internal: nothing outside this module may depend on
// it, and production code never turns it on.
package selfcheck

import (
	"flag"
	"sync/atomic"
)

var on atomic.Bool

// Enable turns the checks on for the rest of the process. Tests call it from TestMain.
func Enable() { on.Store(true) }

// EnableUnlessBenchmarking is Enable for a test binary that is not asked to run
// benchmarks (-test.bench), whose figures the checks would distort. Call it after
// flag.Parse.
func EnableUnlessBenchmarking() {
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		Enable()
	}
}

// Enabled reports whether the checks are on.
func Enabled() bool { return on.Load() }
