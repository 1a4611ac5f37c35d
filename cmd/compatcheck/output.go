package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// target is one report the run writes: a format and where it goes.
type target struct {
	format string
	// path is the file written, or "" for standard output.
	path string
	file *os.File
}

func (t target) stdout() bool { return t.path == "" }

// parseOutputs turns --format and the repeatable --output FORMAT=FILE into the run's
// targets. Standard output gets --format unless an --output names "-"; two reports on
// standard output would interleave, so at most one may go there, and an explicit
// --format then conflicts with it.
func parseOutputs(format string, formatSet bool, specs []string) ([]target, error) {
	if !hasFormat(format) {
		return nil, usageError{fmt.Sprintf("--format: unknown format %q (want one of %s)", format, strings.Join(compat.Formats(), ", "))}
	}
	var targets []target
	toStdout := -1
	seen := map[string]string{}
	for _, spec := range specs {
		name, file, ok := strings.Cut(spec, "=")
		if !ok || name == "" || file == "" {
			return nil, usageError{fmt.Sprintf("--output %q: want FORMAT=FILE, such as sarif=results.sarif (FILE - is standard output)", spec)}
		}
		if !hasFormat(name) {
			return nil, usageError{fmt.Sprintf("--output %s: unknown format %q (want one of %s)", spec, name, strings.Join(compat.Formats(), ", "))}
		}
		if file == "-" {
			if toStdout >= 0 {
				return nil, usageError{fmt.Sprintf("--output %s: standard output already gets %s; write one of them to a file", spec, targets[toStdout].format)}
			}
			if formatSet {
				return nil, usageError{fmt.Sprintf("--output %s: --format %s also writes to standard output; drop one of them", spec, format)}
			}
			toStdout = len(targets)
			targets = append(targets, target{format: name})
			continue
		}
		clean := filepath.Clean(file)
		if prev, dup := seen[clean]; dup {
			return nil, usageError{fmt.Sprintf("--output %s: %s is already written as %s", spec, file, prev)}
		}
		seen[clean] = name
		targets = append(targets, target{format: name, path: file})
	}
	if toStdout < 0 {
		targets = slices.Insert(targets, 0, target{format: format})
	}
	return targets, nil
}

// openOutputs creates the report files before the comparison runs, so that a path that
// cannot be written fails at once rather than after a long comparison.
func openOutputs(targets []target) error {
	for i := range targets {
		t := &targets[i]
		if t.stdout() {
			continue
		}
		f, err := os.Create(t.path)
		if err != nil {
			return fileError(t.path, "cannot write the "+t.format+" report", err)
		}
		t.file = f
	}
	return nil
}

// discardOutputs closes and removes the report files of a run that failed (exit status
// 2), so that no empty or stale report is left for CI to upload as if it were current.
func discardOutputs(targets []target) {
	for _, t := range targets {
		if t.file != nil {
			t.file.Close()
			os.Remove(t.path)
		}
	}
}

// fileError is an error about a file the run writes, as "path: what: why".
func fileError(path, what string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %s: %v", path, what, err)
}

// writeOutputs encodes the report into every target. Colour and --quiet apply only to
// text on standard output: report files are always complete and plain. When a github
// target is written inside GitHub Actions ($GITHUB_STEP_SUMMARY set), the markdown
// summary is appended to the job summary too.
func writeOutputs(stdout io.Writer, targets []target, r *compat.Report, enc compat.EncodeOptions, color, quiet bool, getenv func(string) string) error {
	fileReport := ""
	for _, t := range targets {
		if !t.stdout() && t.format != "github" && t.format != "markdown" {
			fileReport = t.path
			break
		}
	}
	runURL := ""
	if getenv("GITHUB_ACTIONS") == "true" && getenv("GITHUB_SERVER_URL") != "" && getenv("GITHUB_REPOSITORY") != "" && getenv("GITHUB_RUN_ID") != "" {
		runURL = getenv("GITHUB_SERVER_URL") + "/" + getenv("GITHUB_REPOSITORY") + "/actions/runs/" + getenv("GITHUB_RUN_ID")
	}
	optsFor := func(t target) compat.EncodeOptions {
		o := enc
		// The annotations' overflow lines are in the step's log already; elsewhere the
		// job log is a place to look when no report file was written.
		o.FullReport = fileReport
		if o.FullReport == "" && t.format != "github" {
			o.FullReport = runURL
		}
		if t.stdout() && t.format == "text" {
			o.Color, o.Quiet = color, quiet
		}
		return o
	}
	github := false
	for _, t := range targets {
		github = github || t.format == "github"
		if t.stdout() {
			if err := compat.Encode(stdout, r, t.format, optsFor(t)); err != nil {
				return err
			}
			continue
		}
		err := compat.Encode(t.file, r, t.format, optsFor(t))
		if cerr := t.file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fileError(t.path, "cannot write the "+t.format+" report", err)
		}
	}
	if summary := getenv("GITHUB_STEP_SUMMARY"); github && summary != "" {
		f, err := os.OpenFile(summary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fileError(summary, "cannot append the job summary ($GITHUB_STEP_SUMMARY)", err)
		}
		err = compat.Encode(f, r, "markdown", optsFor(target{format: "markdown", path: summary}))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fileError(summary, "cannot append the job summary ($GITHUB_STEP_SUMMARY)", err)
		}
	}
	return nil
}
