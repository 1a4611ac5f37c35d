package compattest

import (
	"os"
	"path/filepath"
)

// CorporaEnv names the environment variable that points tests and benchmarks at the shared
// corpora (published contracts at two commits each) when they are not beside the project.
const CorporaEnv = "COMPATCHECK_CORPORA"

// CorporaDir returns where the shared corpora are: $COMPATCHECK_CORPORA when it is set,
// else ../shared/corpora beside the module root (the directory holding go.mod, found from
// the working directory up). Tests that read them skip when the directory is absent; the
// corpora are never copied into the project.
func CorporaDir() string {
	if dir := os.Getenv(CorporaEnv); dir != "" {
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
