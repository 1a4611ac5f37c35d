package contract

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// Loaded is a package loaded from disk, with its import path.
type Loaded struct {
	*Package
	Path string
	Name string
}

// Load type-checks the packages that patterns name, from dir, as `go list` resolves
// them (env is added to the environment; GOFLAGS applies). Test files are left out: a
// contract is what the package's own code writes. Errors in the packages are returned
// together, each as file:line:col: message.
func Load(ctx context.Context, dir string, env []string, patterns ...string) ([]*Loaded, error) {
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	cfg := &packages.Config{
		Context: ctx,
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps,
		Dir: dir,
		Env: append(os.Environ(), env...),
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, err
	}
	var errs []string
	var out []*Loaded
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if e.Pos == "" || e.Pos == "-" {
				errs = append(errs, e.Msg)
			} else {
				errs = append(errs, e.Pos+": "+e.Msg)
			}
		}
		if len(p.Errors) > 0 || p.Types == nil {
			continue
		}
		d := ""
		if len(p.GoFiles) > 0 {
			d = filepath.Dir(p.GoFiles[0])
		}
		out = append(out, &Loaded{
			Package: &Package{Fset: p.Fset, Files: p.Syntax, Types: p.Types, Info: p.TypesInfo, Dir: d},
			Path:    p.PkgPath, Name: p.Name,
		})
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// BaselineFile returns the baseline file for a package: its snapshot as Go source, or nil
// when the package holds no contracts. The package's current baseline file, if any, is
// not part of the snapshot, so regenerating gives the same bytes.
func BaselineFile(ctx context.Context, l *Loaded, opts Options) ([]byte, error) {
	c, errs := Collect(ctx, l.Package, opts)
	if len(errs) > 0 {
		// A baseline without a contract that cannot be read would report it as removed.
		var msgs []string
		for _, e := range errs {
			msgs = append(msgs, fmt.Sprintf("%s: %s", l.Fset.Position(e.Pos), e.Msg))
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	if c.Empty() {
		return nil, nil
	}
	return GoFile(l.Name, c.Snapshot())
}
