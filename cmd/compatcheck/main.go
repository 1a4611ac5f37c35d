// Command compatcheck compares two versions of a contract (protobuf, JSON Schema, OpenAPI or
// PostgreSQL migrations) and says how each change behaves while both versions are live:
// additive, read-tolerant or breaking.
//
// Usage:
//
//	compatcheck [flags] OLD NEW
//	compatcheck [flags] --against REF|last-release PATH...
//	compatcheck history [flags] [PATH]
//	compatcheck rules [--format text|json|markdown]
//	compatcheck completion bash|zsh|fish
//
// Exit status: 0 when no finding is at or above --fail-on, 1 when one is, 2 when the inputs
// or flags could not be used (one line on stderr says what and where). See docs/cli.md.
package main

import (
	"os"
	"runtime/debug"
)

func main() {
	// A comparison is short-lived and most of its heap stays live until the report: the
	// collector running half as often saves about an eighth of the CPU time on large
	// contracts for a few percent more memory (docs/performance.md). GOGC in the
	// environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(Main())
}
