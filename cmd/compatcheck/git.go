package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/history"
)

// gitInputs opens the repository the first time an argument needs it, so that plain
// comparisons of two directories never start git.
type gitInputs struct {
	repo *gitsrc.Repo
}

func (g *gitInputs) open(ctx context.Context) (*gitsrc.Repo, error) {
	if g.repo == nil {
		r, err := gitsrc.Open(ctx, ".")
		if err != nil {
			return nil, err
		}
		g.repo = r
	}
	return g.repo, nil
}

func (g *gitInputs) close() {
	if g.repo != nil {
		g.repo.Close()
	}
}

// openInput reads one OLD or NEW argument: a file or directory on disk, or REF:PATH read
// from git. A path that exists on disk wins, so a file whose name holds a colon is still a
// file; a Windows drive path (C:\…) is never read as a ref.
func (g *gitInputs) openInput(ctx context.Context, arg string) (compat.Source, error) {
	if _, err := os.Lstat(arg); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return compat.OpenPath(arg)
	}
	ref, p, ok := gitsrc.SplitRef(arg)
	if !ok {
		return compat.OpenPath(arg)
	}
	repo, err := g.open(ctx)
	if err != nil {
		return compat.Source{}, err
	}
	commit, err := repo.Resolve(ctx, ref)
	if err != nil {
		return compat.Source{}, withFile(err, arg)
	}
	rp, err := repo.RepoPath(p)
	if err != nil {
		return compat.Source{}, err
	}
	src, _, err := repo.Source(commit, rp, ref, p)
	return src, err
}

// withFile puts the argument in front of an error that has no position yet.
func withFile(err error, file string) error {
	var ce *compat.Error
	if errors.As(err, &ce) && ce.Pos.File == "" {
		return &compat.Error{Pos: compat.Position{File: file}, Msg: ce.Msg}
	}
	return err
}

// compareAgainst compares each path at ref with the working tree into one report whose
// paths are relative to the current directory.
func compareAgainst(ctx context.Context, g *gitInputs, ref string, paths []string, opts compatcheck.Options, stderr io.Writer) (*compat.Report, error) {
	repo, ref, err := g.againstRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	results, err := compatcheck.CompareAgainst(ctx, repo, ref, paths, opts)
	if err != nil {
		return nil, withFile(err, "--against "+ref)
	}
	for _, res := range results {
		if res.New {
			fmt.Fprintf(stderr, "compatcheck: %s does not exist at %s: a new contract, nothing to compare\n", res.Path, ref)
		}
	}
	return compatcheck.MergeAgainst(results), nil
}

// againstRef opens the repository and names the ref --against means: last-release is the
// newest release tag (v*, pre-releases left out), any other ref itself.
func (g *gitInputs) againstRef(ctx context.Context, ref string) (*gitsrc.Repo, string, error) {
	repo, err := g.open(ctx)
	if err != nil {
		return nil, ref, err
	}
	if ref == "last-release" {
		if ref, err = history.LastRelease(ctx, repo, "v*", false); err != nil {
			return nil, ref, err
		}
	}
	return repo, ref, nil
}

// resolveAgainst resolves an --against ref (see againstRef) to its commit.
func (g *gitInputs) resolveAgainst(ctx context.Context, ref string) (*gitsrc.Repo, gitsrc.Commit, string, error) {
	repo, ref, err := g.againstRef(ctx, ref)
	if err != nil {
		return nil, gitsrc.Commit{}, ref, err
	}
	commit, err := repo.Resolve(ctx, ref)
	if err != nil {
		return nil, gitsrc.Commit{}, ref, withFile(err, "--against "+ref)
	}
	return repo, commit, ref, nil
}
