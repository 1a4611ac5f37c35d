// Package baselinetest keeps the baseline files of the analyzers' test packages honest:
// each is what `compatcheck baseline` writes for the previous release of the package, kept
// beside the test data as an old/ tree, so that the tests exercise the real generator and
// never a hand-edited snapshot.
package baselinetest

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/analyzers/contract"
)

// The -update flag rewrites the baseline files of the test packages from their old/
// trees. A test binary may already define it for its own goldens; then that one is used.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files, and the baseline files of the test packages from their old/ trees")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// Check loads the packages patterns name from the old tree (GOPATH-style when env sets
// GOPATH, else the module at oldDir) and checks that each baseline file in the new tree is
// what the generator writes for the old package. With -update it rewrites them.
func Check(t *testing.T, oldDir, newDir string, env []string, opts contract.Options, patterns ...string) {
	t.Helper()
	ctx := context.Background()
	pkgs, err := contract.Load(ctx, oldDir, env, patterns...)
	if err != nil {
		t.Fatalf("loading %s: %v", oldDir, err)
	}
	absOld, err := filepath.Abs(oldDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		want, err := contract.BaselineFile(ctx, p, opts)
		if err != nil {
			t.Fatalf("%s: %v", p.Path, err)
		}
		if want == nil {
			continue
		}
		rel, err := filepath.Rel(absOld, p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(newDir, rel, contract.FileName)
		if updating() {
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v (run the test with -update)", p.Path, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what compatcheck baseline writes for %s; run the test with -update and review the diff", file, p.Path)
		}
	}
}
