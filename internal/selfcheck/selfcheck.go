// Package selfcheck holds a switch tests turn on to make the engines verify their own
// shortcuts as they take them. It is internal: nothing outside this module may depend on
// it, and production code never turns it on.
package selfcheck

import (
	"flag"
	"os"
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

// Main is a test binary's TestMain with the checks on: it parses the flags, enables the
// checks unless benchmarks were asked for, runs the tests and exits with their status.
// m is the *testing.M (an interface, so that the engines importing this package do not
// import package testing).
func Main(m interface{ Run() int }) {
	flag.Parse()
	EnableUnlessBenchmarking()
	os.Exit(m.Run())
}
