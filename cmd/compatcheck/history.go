package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/history"
	flag "github.com/spf13/pflag"
)

// historyFlags holds the flags of `compatcheck history` beyond the comparison flags.
type historyFlags struct {
	releases      string
	release       []string
	preReleases   bool
	head          string
	versions      string
	window        int
	minReleases   int
	minDays       int
	failOnHistory bool
}

// newHistoryFlagSet is the comparison's flag set with the history flags added; the shell
// completion reads it too.
func newHistoryFlagSet() (*flag.FlagSet, *compareFlags, *historyFlags) {
	fs, f := newCompareFlagSet()
	fs.Init("compatcheck history", flag.ContinueOnError)
	h := &historyFlags{}
	fs.StringVar(&h.releases, "releases", "v*", "history: release tags match this glob, ordered by semantic version")
	fs.StringArrayVar(&h.release, "release", nil, "history: a release ref, oldest first (repeatable), instead of tags")
	fs.BoolVar(&h.preReleases, "pre-releases", false, "history: count pre-release tags (v1.2.0-rc.1) as releases")
	fs.StringVar(&h.head, "head", "", "history: the ref to judge instead of the working tree")
	fs.StringVar(&h.versions, "versions", "", "history: a directory whose subdirectories (v1/, v2/, ...) are the releases, instead of git")
	fs.IntVar(&h.window, "window", 1, "history: the head must stay compatible with this many of the newest releases")
	fs.IntVar(&h.minReleases, "min-deprecation-releases", 0, "history: releases that must ship a deprecation before the removal")
	fs.IntVar(&h.minDays, "min-deprecation-days", 0, "history: days from the release that shipped a deprecation to the removal's release")
	fs.BoolVar(&h.failOnHistory, "fail-on-history", false, "history: changes between earlier releases fail too, not only the head's")
	return fs, f, h
}

// runHistory is `compatcheck history [flags] [PATH]`: the contract at PATH (default ".")
// checked across its releases.
func runHistory(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs, f, h := newHistoryFlagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage:\n  compatcheck history [flags] [PATH]\n\nFlags:\n%s", fs.FlagUsages())
			return exitOK, nil
		}
		return exitBadArgs, usageError{err.Error()}
	}
	opts, policy, err := f.options()
	if err != nil {
		return exitBadArgs, err
	}
	if !hasFormat(f.format) {
		return exitBadArgs, usageError{fmt.Sprintf("--format: unknown format %q (want one of %s)", f.format, strings.Join(compat.Formats(), ", "))}
	}
	switch {
	case f.against != "":
		return exitBadArgs, usageError{"--against is for plain comparisons; history compares with every release"}
	case fs.NArg() > 1:
		return exitBadArgs, usageError{fmt.Sprintf("history takes one PATH, got %d", fs.NArg())}
	case h.window < 1:
		return exitBadArgs, usageError{fmt.Sprintf("--window: %d is not a number of releases (want 1 or more)", h.window)}
	case h.minReleases < 0 || h.minDays < 0:
		return exitBadArgs, usageError{"--min-deprecation-releases and --min-deprecation-days cannot be negative"}
	case h.versions != "" && (h.head != "" || len(h.release) > 0):
		return exitBadArgs, usageError{"--versions reads releases from a directory; it cannot be combined with --head or --release"}
	}
	policy.History = h.failOnHistory
	path := "."
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}

	var seq history.Sequence
	if h.versions != "" {
		headPath := ""
		if fs.NArg() == 1 {
			headPath = path
		}
		if seq, err = history.FromDirectory(h.versions, headPath); err != nil {
			return exitBadArgs, err
		}
	} else {
		var git gitInputs
		defer git.close()
		repo, err := git.open(ctx)
		if err != nil {
			return exitBadArgs, err
		}
		seq, err = history.FromGit(ctx, repo, history.GitOptions{
			Path: path, Releases: h.releases, PreReleases: h.preReleases, Explicit: h.release, HeadRef: h.head,
		})
		if err != nil {
			return exitBadArgs, err
		}
	}
	res, err := history.Check(ctx, seq, history.Options{
		Compare: opts, Window: h.window, MinDeprecationReleases: h.minReleases, MinDeprecationDays: h.minDays,
	})
	if err != nil {
		return exitBadArgs, err
	}
	if err := res.Encode(stdout, f.format, policy); err != nil {
		return exitBadArgs, err
	}
	if f.format != "text" && f.format != "json" {
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "compatcheck: note: "+n)
		}
	}
	if res.Failed(policy) {
		return exitFailed, nil
	}
	return exitOK, nil
}
