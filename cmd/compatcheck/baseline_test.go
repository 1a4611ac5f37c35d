package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestBaselineScripts runs the scripts of `compatcheck baseline`, which loads packages
// with the go command: the scripts get the host's build and module caches, and no
// network.
func TestBaselineScripts(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "baseline"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			for _, v := range []string{"GOCACHE", "GOMODCACHE", "GOROOT"} {
				out, err := exec.Command("go", "env", v).Output()
				if err != nil {
					return err
				}
				env.Setenv(v, strings.TrimSpace(string(out)))
			}
			env.Setenv("GOPROXY", "off")
			env.Setenv("GOTOOLCHAIN", "local")
			env.Setenv("GOFLAGS", "-mod=mod")
			return nil
		},
	})
}
