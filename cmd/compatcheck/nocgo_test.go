package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildWithoutCgo builds the module with CGO_ENABLED=0, as on a machine without a C
// compiler: every package but the SQL engine must compile (the root package reaches the
// SQL engine only in builds with cgo), and the command must compare OpenAPI and refuse
// SQL with a message that says how to get it.
func TestBuildWithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the module a second time; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	env := append(os.Environ(), "CGO_ENABLED=0")

	list := exec.Command(goBin, "list", "./...")
	list.Dir, list.Env = root, env
	out, err := list.Output()
	require.NoError(t, err)
	var pkgs []string
	for _, p := range strings.Fields(string(out)) {
		// The analyzers classify SQL written in Go (compatgoose, compatwrite's enum labels)
		// with the SQL engine itself, so they and the vet tool need cgo, as docs/analyzers.md says.
		if !strings.HasSuffix(p, "/compat/sqlmigrate") && !strings.Contains(p, "/analyzers") && !strings.HasSuffix(p, "/cmd/compatcheck-vet") {
			pkgs = append(pkgs, p)
		}
	}
	build := exec.Command(goBin, append([]string{"build"}, pkgs...)...)
	build.Dir, build.Env = root, env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build of every package but sqlmigrate and the analyzers failed:\n%s", out)
	}

	bin := filepath.Join(t.TempDir(), "compatcheck")
	cmd := exec.Command(goBin, "build", "-o", bin, "./cmd/compatcheck")
	cmd.Dir, cmd.Env = root, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build ./cmd/compatcheck failed:\n%s", out)
	}
	deps := exec.Command(goBin, "list", "-deps", "./cmd/compatcheck")
	deps.Dir, deps.Env = root, env
	out, err = deps.Output()
	require.NoError(t, err)
	assert.NotContains(t, string(out), "pg_query_go", "the cgo-free command must not link the C parser")

	examples := filepath.Join(root, "testdata", "examples")
	run := func(args ...string) (string, string, int) {
		c := exec.Command(bin, args...)
		var stdout, stderr strings.Builder
		c.Stdout, c.Stderr = &stdout, &stderr
		err := c.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else {
			require.NoError(t, err)
		}
		return stdout.String(), stderr.String(), code
	}
	stdout, _, code := run(filepath.Join(examples, "openapi", "v1.yaml"), filepath.Join(examples, "openapi", "v2.yaml"))
	assert.Equal(t, 1, code, "the OpenAPI example has breaking changes")
	assert.Contains(t, stdout, "verdict: breaking")

	stdout, stderr, code := run(filepath.Join(examples, "sql", "v1"), filepath.Join(examples, "sql", "v2"))
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "compatcheck: this compatcheck was built without cgo; the SQL engine needs the C parser: rebuild with CGO_ENABLED=1 and a C compiler\n", stderr)

	// The cgo-free build keeps its own copy of the SQL engine's version bounds.
	_, stderr, code = run("--pg-version", "99", filepath.Join(examples, "openapi", "v1.yaml"), filepath.Join(examples, "openapi", "v2.yaml"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, fmt.Sprintf("(want %d to %d)", sqlmigrate.MinPGVersion, sqlmigrate.MaxPGVersion))

	// A configuration of protobuf contracts runs; one that names a SQL rule says why
	// this build does not know it.
	repo := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(repo, "proto"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "proto", "a.proto"), []byte("syntax = \"proto3\";\npackage p;\nmessage M { string a = 1; }\n"), 0o644))
	cfg := filepath.Join(repo, "compatcheck.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\ncontracts: [{name: shop, path: proto}]\n"), 0o644))
	stdout, stderr, code = run("--config", cfg, "--base", repo)
	assert.Equal(t, 0, code, stderr)
	assert.Equal(t, "verdict: none (0 breaking, 0 read-tolerant, 0 additive)\n", stdout)
	require.NoError(t, os.WriteFile(cfg, []byte("version: 1\ncontracts: [{name: shop, path: proto}]\nrules:\n  except: [COLUMN_DROPPED]\n"), 0o644))
	_, stderr, code = run("--config", cfg, "--base", repo)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unknown rule COLUMN_DROPPED (compatcheck rules lists them; this compatcheck was built without cgo and does not know the SQL engine's rules)")

	// A baseline snapshots every kind, SQL included, so it needs the SQL engine.
	stdout, stderr, code = run("baseline")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "compatcheck: this compatcheck was built without cgo; the SQL engine needs the C parser: rebuild with CGO_ENABLED=1 and a C compiler\n", stderr)
}
