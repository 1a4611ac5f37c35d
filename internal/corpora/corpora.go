// Package corpora says where the shared corpora are: published contracts at two commits
// each, read by opt-in tests and benchmarks and never copied into the project. It has no
// flags and no dependencies, so any test package can import it.
package corpora

import (
	"os"
	"path/filepath"
)

// Env names the environment variable that points tests and benchmarks at the shared
// corpora (published contracts at two commits each) when they are not beside the project.
const Env = "COMPATCHECK_CORPORA"

// Dir returns where the shared corpora are: $COMPATCHECK_CORPORA when it is set,
// else ../shared/corpora beside the module root (the directory holding go.mod, found from
// the working directory up). Tests that read them skip when the directory is absent; the
// corpora are never copied into the project.
func Dir() string {
	if dir := os.Getenv(Env); dir != "" {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "corpora")
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "corpora")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join(wd, "..", "shared", "corpora")
		}
		dir = parent
	}
}
