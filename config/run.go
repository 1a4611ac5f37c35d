package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
)

// Tree is one version of the repository a configuration describes: the working tree,
// a checkout of the base branch, or the tree of a git ref. It opens the contracts'
// paths in that version.
type Tree interface {
	// Open returns the Source for a contract path (slash-separated, relative to the
	// repository root). When the path does not exist in this version the error
	// satisfies errors.Is(err, fs.ErrNotExist).
	Open(path string) (compat.Source, error)
}

// Dir is a version of the repository on disk, rooted at the directory root (as the
// user wrote it: paths in messages start with it).
func Dir(root string) Tree { return dirTree(root) }

type dirTree string

func (t dirTree) Open(p string) (compat.Source, error) {
	full := filepath.Join(string(t), filepath.FromSlash(p))
	if _, err := os.Stat(full); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return compat.Source{}, &notExistError{full}
		}
		return compat.Source{}, &compat.Error{Pos: compat.Position{File: full}, Msg: err.Error()}
	}
	return compat.OpenPath(full)
}

// FS is a version of the repository held in any fs.FS: a git ref's tree, an archive, an
// fstest.MapFS in tests. name is how messages refer to its root.
func FS(fsys fs.FS, name string) Tree { return fsTree{fsys, name} }

type fsTree struct {
	fsys fs.FS
	name string
}

func (t fsTree) Open(p string) (compat.Source, error) {
	display := path.Join(t.name, p)
	info, err := fs.Stat(t.fsys, p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return compat.Source{}, &notExistError{display}
		}
		return compat.Source{}, &compat.Error{Pos: compat.Position{File: display}, Msg: err.Error()}
	}
	dir, file := p, ""
	if !info.IsDir() {
		dir, file = path.Dir(p), path.Base(p)
	}
	sub, err := fs.Sub(t.fsys, dir)
	if err != nil {
		return compat.Source{}, &compat.Error{Pos: compat.Position{File: display}, Msg: err.Error()}
	}
	name := path.Join(t.name, dir)
	if t.name == "" && dir == "." {
		name = ""
	}
	return compat.Source{FS: sub, File: file, Name: name}, nil
}

// RunOptions tune a run over the configured contracts.
type RunOptions struct {
	// Now is the clock against which ignore expiry (and OpenAPI sunset dates) are
	// judged; nil means time.Now. Tests and reproducible runs fix it.
	Now func() time.Time
	// Excludes are globs left out of every contract, beside the configuration's own
	// (the command's --exclude).
	Excludes []string
	// Options, when set, is called with each contract's engine options after the
	// configuration's are applied, so that the command line's flags win over the file.
	Options func(*compatcheck.Options)
	// FailOn, FailOnHazard and Require, when set, replace the configuration's values,
	// top-level and per contract (the command line's --fail-on and friends).
	FailOn       *compat.Class
	FailOnHazard *bool
	Require      *compat.Requirement
	// Log, when set, receives one line about each contract: its kind, and the two
	// versions compared (the command's -v).
	Log func(msg string)
}

// Result is the outcome of a run.
type Result struct {
	// Report holds the findings of every contract, each with its Contract set and its
	// paths relative to the repository root, and the configuration's unused and
	// expired ignores.
	Report *compat.Report
	// Policy decides which findings fail: the configuration's, with the overrides of
	// RunOptions.
	Policy compat.Policy
}

// Run compares every contract of the configuration in base with the same path in head
// and returns the merged report. A contract whose path does not exist in base is new:
// there is nothing it could break yet, so it is skipped (and logged). A path that does
// not exist in head is an error at the contract's entry, as is any input problem, which
// names the contract.
func (c *Config) Run(ctx context.Context, base, head Tree, opts RunOptions) (*Result, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	all := &compat.Report{}
	for _, ct := range c.Contracts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		newSrc, err := head.Open(ct.Path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				display := ct.Path
				var ne *notExistError
				if errors.As(err, &ne) {
					display = ne.display
				}
				return nil, errorf(ct.pathPos, fmt.Sprintf("contract %s: %s does not exist", ct.Name, display))
			}
			return nil, err
		}
		oldSrc, err := base.Open(ct.Path)
		if errors.Is(err, fs.ErrNotExist) {
			c.log(opts, "contract %s: %s is new (absent from the base); nothing to compare", ct.Name, newSrc.Describe())
			continue
		}
		if err != nil {
			return nil, err
		}
		r, err := c.compare(ctx, ct, oldSrc, newSrc, opts, now)
		if err != nil {
			return nil, err
		}
		all.Merge(r)
	}
	c.applyIgnores(all, now())
	all.Sort()
	return &Result{Report: all, Policy: c.policyWith(opts)}, nil
}

// Compare compares two versions of one contract of the configuration, opened by the
// caller, with the contract's kind, options, excludes and rules, and returns its
// findings named by the contract with paths relative to the repository root. The
// configuration's ignores are not applied: they span contracts, and Run applies them
// to the merged report.
func (c *Config) Compare(ctx context.Context, ct *Contract, old, new compat.Source, opts RunOptions) (*compat.Report, error) {
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	return c.compare(ctx, ct, old, new, opts, now)
}

func (c *Config) compare(ctx context.Context, ct *Contract, old, new compat.Source, opts RunOptions, now func() time.Time) (*compat.Report, error) {
	excludes := slices.Concat(c.Excludes, ct.Excludes, opts.Excludes)
	old.Exclude = slices.Concat(old.Exclude, excludes)
	new.Exclude = slices.Concat(new.Exclude, excludes)
	eopts := ct.Options
	if opts.Options != nil {
		opts.Options(&eopts)
	}
	if eopts.OpenAPI.Now == nil {
		eopts.OpenAPI.Now = now
	}
	kind, how := ct.Kind, "is"
	if kind == "" {
		detected, err := compatcheck.DetectPair(old, new)
		if err != nil {
			return nil, inContract(err, ct)
		}
		kind, how = detected, "was detected as"
	}
	if err := ct.checkOptions(kind, how); err != nil {
		return nil, err
	}
	eopts.Kind = kind
	c.log(opts, "contract %s (%s): %s against %s", ct.Name, kind, new.Describe(), old.Describe())
	r, _, err := compatcheck.Compare(ctx, old, new, eopts)
	if err != nil {
		return nil, inContract(err, ct)
	}
	oldPrefix, newPrefix := ct.prefix(old), ct.prefix(new)
	use, except := c.Rules.Use, c.Rules.Except
	if ct.Rules.Use != nil {
		use = ct.Rules.Use
	}
	if ct.Rules.Except != nil {
		except = ct.Rules.Except
	}
	out := &compat.Report{}
	for _, f := range r.Findings {
		f, keep := selectFinding(f, use, except)
		if !keep {
			continue
		}
		f.Contract = ct.Name
		f.Old = prefixPos(f.Old, oldPrefix)
		f.New = prefixPos(f.New, newPrefix)
		if len(f.Hazards) > 0 {
			hs := slices.Clone(f.Hazards)
			for i := range hs {
				hs[i].Pos = prefixPos(hs[i].Pos, newPrefix)
			}
			f.Hazards = hs
		}
		out.Findings = append(out.Findings, f)
	}
	for _, d := range r.Unused {
		d.Pos = *prefixPos(&d.Pos, newPrefix)
		out.Unused = append(out.Unused, d)
	}
	out.Sort()
	return out, nil
}

// prefix is the path of the source's root relative to the repository root: the
// contract's path for a directory, its directory for a file.
func (ct *Contract) prefix(src compat.Source) string {
	if src.IsDir() {
		return ct.Path
	}
	return path.Dir(ct.Path)
}

func prefixPos(p *compat.Position, prefix string) *compat.Position {
	if p == nil {
		return nil
	}
	q := *p
	if q.File != "" && prefix != "" && prefix != "." {
		q.File = path.Join(prefix, q.File)
	}
	return &q
}

// inContract names the contract in an input error, keeping its position first.
func inContract(err error, ct *Contract) error {
	var ce *compat.Error
	if errors.As(err, &ce) {
		return &compat.Error{Pos: ce.Pos, Msg: ce.Msg + " (contract " + ct.Name + ")"}
	}
	return fmt.Errorf("contract %s: %w", ct.Name, err)
}

func (c *Config) log(opts RunOptions, format string, args ...any) {
	if opts.Log != nil {
		opts.Log(fmt.Sprintf(format, args...))
	}
}

// policyWith is the configuration's policy with the run's overrides, which replace the
// file's values everywhere: at the top level, and in every contract that sets its own.
func (c *Config) policyWith(opts RunOptions) compat.Policy {
	cc := *c
	cc.Contracts = make([]*Contract, len(c.Contracts))
	for i, ct := range c.Contracts {
		own := *ct
		cc.Contracts[i] = &own
	}
	for _, r := range append([]*Rules{&cc.Rules}, rulesOf(cc.Contracts)...) {
		top := r == &cc.Rules
		if opts.FailOn != nil {
			r.FailOn = choose(top, opts.FailOn)
		}
		if opts.FailOnHazard != nil {
			r.FailOnHazard = choose(top, opts.FailOnHazard)
		}
		if opts.Require != nil {
			r.Require = choose(top, opts.Require)
		}
	}
	return cc.Policy()
}

func rulesOf(cts []*Contract) []*Rules {
	out := make([]*Rules, len(cts))
	for i, ct := range cts {
		out[i] = &ct.Rules
	}
	return out
}

// choose returns the override for the top level and nil (inherit it) for a contract.
func choose[T any](top bool, v *T) *T {
	if top {
		return v
	}
	return nil
}

// notExistError says that a contract path is absent from a version of the repository.
type notExistError struct{ display string }

func (e *notExistError) Error() string        { return e.display + ": no such file or directory" }
func (e *notExistError) Is(target error) bool { return target == fs.ErrNotExist }
