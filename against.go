package compatcheck

import (
	"context"
	"path"
	"path/filepath"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
)

// AgainstResult is the comparison of one contract path at a git ref with the working tree.
type AgainstResult struct {
	// Path is the contract's path as given (relative to the directory the repository was
	// opened in), slash-separated.
	Path string
	// Kind is the kind that was compared; empty when the path is new.
	Kind compat.Kind
	// Report holds the findings, with positions relative to Path on each side.
	Report *compat.Report
	// New is set when the path does not exist at the ref: the contract is new, nothing
	// released reads or writes it, and there is nothing to compare.
	New bool
	// Old and NewSource are the two versions that were compared (Old is empty when New).
	Old, NewSource compat.Source
}

// CompareAgainst compares each path at ref (the version in git) with the same path in the
// working tree, as `compatcheck --against REF PATH…` does. Paths are relative to the
// directory repo was opened in. A path missing at ref while it exists in the working tree
// is a new contract (AgainstResult.New) rather than an error: on a branch that adds a
// contract, the base has no version of it. A path missing from the working tree is an
// error. The configuration file names its contracts through this same function, one
// call per set of options.
func CompareAgainst(ctx context.Context, repo *gitsrc.Repo, ref string, paths []string, opts Options) ([]AgainstResult, error) {
	commit, err := repo.Resolve(ctx, ref)
	if err != nil {
		return nil, err
	}
	out := make([]AgainstResult, 0, len(paths))
	for _, p := range paths {
		res := AgainstResult{Path: path.Clean(filepath.ToSlash(p))}
		rp, err := repo.RepoPath(p)
		if err != nil {
			return nil, err
		}
		newSrc, err := repo.WorkTree(rp, p)
		if err != nil {
			return nil, err
		}
		res.NewSource = newSrc
		if _, ok, err := repo.Lookup(commit, rp); err != nil {
			return nil, &compat.Error{Pos: compat.Position{File: ref + ":" + res.Path}, Msg: err.Error()}
		} else if !ok {
			res.New = true
			res.Report = compat.NewReport(nil)
			out = append(out, res)
			continue
		}
		oldSrc, _, err := repo.Source(commit, rp, ref, p)
		if err != nil {
			return nil, err
		}
		res.Old = oldSrc
		res.Report, res.Kind, err = Compare(ctx, oldSrc, newSrc, opts)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// MergeAgainst joins the reports of several contracts into one whose positions are
// relative to the directory the paths were given in (each finding's paths prefixed with
// its contract's path, or its directory for a one-file contract), so that one report can
// name files of several contracts.
func MergeAgainst(results []AgainstResult) *compat.Report {
	all := compat.NewReport(nil)
	for _, res := range results {
		if res.Report == nil {
			continue
		}
		r := *res.Report
		r.Findings = append([]compat.Finding(nil), res.Report.Findings...)
		r.Unused = append([]compat.Directive(nil), res.Report.Unused...)
		newBase := sourceBase(res.Path, res.NewSource)
		oldBase := newBase
		for i := range r.Findings {
			f := &r.Findings[i]
			f.Old = prefixPos(oldBase, f.Old)
			f.New = prefixPos(newBase, f.New)
		}
		for i := range r.Unused {
			r.Unused[i].Pos = *prefixPos(newBase, &r.Unused[i].Pos)
		}
		all.Merge(&r)
	}
	return all
}

// sourceBase is the directory positions of src are relative to, as the user wrote it.
func sourceBase(p string, src compat.Source) string {
	if !src.IsDir() {
		return path.Dir(p)
	}
	return p
}

func prefixPos(base string, p *compat.Position) *compat.Position {
	if p == nil {
		return nil
	}
	q := *p
	if base != "" && base != "." && q.File != "" {
		q.File = path.Join(base, q.File)
	}
	return &q
}
