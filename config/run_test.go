package config

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/txtar"
)

// updating reports whether -update was given; the flag is compattest's, which
// rewrites golden sections the same way.
func updating() bool { return flag.Lookup("update").Value.String() == "true" }

// TestRun runs the archives of testdata/run: each holds a configuration
// (head/compatcheck.yaml), a base/ and a head/ tree, and the expected outcome: the log
// lines, whether the run fails, the failing findings, and the JSON report; or the error.
// The archive's comment sets the clock ("now: 2026-03-01") and run options
// ("exclude: GLOB", "fail-on: CLASS").
func TestRun(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "run", "*.txtar"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			require.NoError(t, err)
			got, isErr := runArchive(t, ar)
			section := "want"
			if isErr {
				section = "error"
			}
			if updating() {
				var files []txtar.File
				for _, f := range ar.Files {
					if f.Name != "want" && f.Name != "error" {
						files = append(files, f)
					}
				}
				ar.Files = append(files, txtar.File{Name: section, Data: got})
				require.NoError(t, os.WriteFile(file, txtar.Format(ar), 0o644))
				return
			}
			var want []byte
			found := false
			for _, f := range ar.Files {
				if f.Name == section {
					want, found = f.Data, true
				}
			}
			require.True(t, found, "no %s section; got:\n%s", section, got)
			if !bytes.Equal(got, want) {
				t.Errorf("mismatch (run with -update and review the diff)\ngot:\n%s\nwant:\n%s", got, want)
			}
			// Same inputs, same bytes.
			again, _ := runArchive(t, ar)
			require.Equal(t, string(got), string(again), "not deterministic")
		})
	}
}

func runArchive(t *testing.T, ar *txtar.Archive) ([]byte, bool) {
	t.Helper()
	base, head := fstest.MapFS{}, fstest.MapFS{}
	var cfgData []byte
	for _, f := range ar.Files {
		if rest, ok := strings.CutPrefix(f.Name, "base/"); ok {
			base[rest] = &fstest.MapFile{Data: f.Data}
		} else if rest, ok := strings.CutPrefix(f.Name, "head/"); ok {
			head[rest] = &fstest.MapFile{Data: f.Data}
			if rest == "compatcheck.yaml" {
				cfgData = f.Data
			}
		}
	}
	require.NotNil(t, cfgData, "archive has no head/compatcheck.yaml")
	comment := string(ar.Comment)
	now, err := time.Parse(time.DateOnly, compattest.Option(comment, "now"))
	require.NoError(t, err, "the comment must set now: YYYY-MM-DD")
	var log []string
	opts := RunOptions{Now: func() time.Time { return now }, Log: func(m string) { log = append(log, m) }}
	if g := compattest.Option(comment, "exclude"); g != "" {
		opts.Excludes = []string{g}
	}
	if c := compattest.Option(comment, "fail-on"); c != "" {
		class, err := compat.ParseClass(c)
		require.NoError(t, err)
		opts.FailOn = &class
	}
	cfg, err := Parse("compatcheck.yaml", cfgData)
	if err != nil {
		return []byte(err.Error() + "\n"), true
	}
	res, err := cfg.Run(context.Background(), FS(base, "base"), FS(head, "head"), opts)
	if err != nil {
		return []byte(err.Error() + "\n"), true
	}
	compattest.CheckPromises(t, res.Report)
	var out bytes.Buffer
	for _, l := range log {
		fmt.Fprintf(&out, "log: %s\n", l)
	}
	fmt.Fprintf(&out, "failed: %v\n", res.Report.Failed(res.Policy))
	for _, f := range res.Report.Failures(res.Policy) {
		fmt.Fprintf(&out, "fails: %s %s %s\n", f.Contract, f.Rule, f.Subject)
	}
	out.Write(compattest.EncodeJSON(t, res.Report))
	return out.Bytes(), false
}
