package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/config"
	flag "github.com/spf13/pflag"
)

// configFlags are the flags that only a run over a configuration's contracts reads.
var configFlags = []string{"config", "base"}

// plainOnly refuses the configuration flags in a comparison of two given paths, which
// never reads a configuration: `compatcheck OLD NEW` behaves the same wherever it runs.
func plainOnly(fs *flag.FlagSet) error {
	for _, name := range configFlags {
		if fs.Changed(name) {
			return usageError{fmt.Sprintf("--%s applies to a run over the contracts of a configuration, which takes no OLD and NEW; drop OLD and NEW, or drop --%s", name, name)}
		}
	}
	return nil
}

// compareContracts checks every contract of the configuration against the base version:
// `compatcheck --base DIR` or `compatcheck --against REF`, with the configuration found
// from the working directory up to the repository root or named by --config.
func compareContracts(ctx context.Context, fs *flag.FlagSet, f *compareFlags, git *gitInputs, opts compatcheck.Options, policy compat.Policy, stderr io.Writer) (*compat.Report, compat.EncodeOptions, error) {
	var enc compat.EncodeOptions
	file := f.config
	if file == "" {
		found, err := config.Find(".")
		if err != nil {
			return nil, enc, err
		}
		if found == "" {
			wd, _ := os.Getwd()
			if f.against != "" {
				return nil, enc, usageError{fmt.Sprintf("--against needs the paths to compare (compatcheck --against REF PATH...), or a compatcheck.yaml naming the contracts (none in %s or above it up to the repository root)", wd)}
			}
			return nil, enc, usageError{fmt.Sprintf("need two versions to compare: compatcheck [flags] OLD NEW, or a compatcheck.yaml naming the contracts (none in %s or above it up to the repository root)", wd)}
		}
		file = found
	}
	cfg, err := config.Load(file)
	if err != nil {
		return nil, enc, err
	}
	if f.verbose {
		fmt.Fprintf(stderr, "compatcheck: configuration %s (%d contracts)\n", file, len(cfg.Contracts))
	}
	if fs.Changed("kind") {
		return nil, enc, usageError{"--kind applies to OLD NEW; in a configuration each contract has its own kind (kind: on the contract)"}
	}
	if policy.Require.Transitive {
		return nil, enc, usageError{"--require: a _transitive mode compares more than two versions; a configuration run compares two"}
	}
	base, baseName, err := baseTree(ctx, f, git, cfg.Dir)
	if err != nil {
		return nil, enc, err
	}
	now, err := today()
	if err != nil {
		return nil, enc, err
	}
	ropts := config.RunOptions{Now: now, Excludes: f.excludes, Options: flagOptions(fs, opts)}
	if fs.Changed("fail-on") {
		ropts.FailOn = &policy.FailOn
	}
	if fs.Changed("fail-on-hazard") {
		ropts.FailOnHazard = &policy.Hazards
	}
	if fs.Changed("require") {
		ropts.Require = &policy.Require
	}
	if f.verbose {
		ropts.Log = func(msg string) { fmt.Fprintln(stderr, "compatcheck: "+msg) }
	}
	res, err := cfg.Run(ctx, base, config.Dir(cfg.Dir), ropts)
	if err != nil {
		return nil, enc, err
	}
	// Paths in the report are relative to the repository root, so the text and github
	// formats join them to the root as the user reaches it from here.
	enc = compat.EncodeOptions{OldName: baseName, NewName: filepath.ToSlash(cfg.Dir), Policy: res.Policy}
	return res.Report, enc, nil
}

// baseTree opens the version every contract is compared with: a directory (--base) or
// the tree of a git ref (--against), in which the configuration's directory dir is
// found at the same place as in the working tree.
func baseTree(ctx context.Context, f *compareFlags, git *gitInputs, dir string) (config.Tree, string, error) {
	switch {
	case f.base != "" && f.against != "":
		return nil, "", usageError{"--base and --against both name the base version; give one"}
	case f.against != "":
		repo, commit, ref, err := git.resolveAgainst(ctx, f.against)
		if err != nil {
			return nil, "", err
		}
		rp, err := repo.RepoPath(dir)
		if err != nil {
			return nil, "", err
		}
		fsys := repo.FS(commit.Tree)
		if rp != "." && rp != "" {
			if fsys, err = fs.Sub(fsys, rp); err != nil {
				return nil, "", err
			}
		}
		return config.FS(fsys, ref+":"), ref + ":", nil
	case f.base == "":
		return nil, "", usageError{"a configuration run needs the base version to compare with: --against REF (such as origin/main or last-release), or --base DIR (a checkout of the base branch)"}
	}
	info, err := os.Stat(f.base)
	switch {
	case err != nil:
		return nil, "", &compat.Error{Pos: compat.Position{File: f.base}, Msg: "--base: no such directory"}
	case !info.IsDir():
		return nil, "", &compat.Error{Pos: compat.Position{File: f.base}, Msg: "--base: not a directory (it is the root of the base version of the repository)"}
	}
	return config.Dir(f.base), filepath.ToSlash(filepath.Clean(f.base)), nil
}

// flagOptions returns the override that makes the engine flags given on the command
// line win over each contract's options in the file. Flags left at their defaults do
// not override: the file's value, or the engine's default, stands.
func flagOptions(fs *flag.FlagSet, opts compatcheck.Options) func(*compatcheck.Options) {
	return func(o *compatcheck.Options) {
		if fs.Changed("proto-encoding") {
			o.Proto.Encodings = opts.Proto.Encodings
		}
		if fs.Changed("proto-json-readers") {
			o.Proto.StrictJSONReaders = opts.Proto.StrictJSONReaders
		}
		if fs.Changed("proto-full-check") {
			o.Proto.FullCheck = opts.Proto.FullCheck
		}
		if fs.Changed("audience") {
			o.OpenAPI.Audience = opts.OpenAPI.Audience
		}
		if fs.Changed("schema-model") {
			o.JSONSchema.Model, o.OpenAPI.Model = opts.JSONSchema.Model, opts.OpenAPI.Model
		}
		if fs.Changed("refs") {
			o.JSONSchema.Refs = opts.JSONSchema.Refs
		}
		if fs.Changed("proto-path") {
			o.Proto.ImportPaths = opts.Proto.ImportPaths
		}
		if fs.Changed("pg-version") {
			o.SQL.PGVersion = opts.SQL.PGVersion
		}
		if fs.Changed("sql-layout") {
			o.SQL.Layout = opts.SQL.Layout
		}
		o.OpenAPI.Now = opts.OpenAPI.Now
	}
}

// today returns the clock for ignore expiry and OpenAPI sunset dates: the day
// COMPATCHECK_TODAY names (YYYY-MM-DD), to reproduce a run of another day, or the
// real time when it is unset.
func today() (func() time.Time, error) {
	v := os.Getenv("COMPATCHECK_TODAY")
	if v == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, fmt.Errorf("COMPATCHECK_TODAY=%q is not a date of the form YYYY-MM-DD", v)
	}
	return func() time.Time { return t }, nil
}
