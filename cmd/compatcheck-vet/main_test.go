package main

import (
	"os/exec"
	"testing"

	"github.com/compatcheck/compatcheck/internal/scripttest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"compatcheck-vet": main})
}

// TestScripts runs go vet -vettool, go fix -fixtool and the standalone command on
// throwaway modules the scripts write. They use the host's build and module caches and
// no network, so they stay fast and work offline.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			if err := scripttest.HostGo(env); err != nil {
				return err
			}
			// go vet and go fix need the tool's path; testscript put it on PATH.
			tool, err := exec.LookPath("compatcheck-vet")
			if err != nil {
				return err
			}
			env.Setenv("VETTOOL", tool)
			return nil
		},
	})
}
