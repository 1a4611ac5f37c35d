//go:build cgo

package main

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/internal/scripttest"
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
		Setup:               scripttest.HostGo,
	})
}
