package contract

import (
	"context"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
)

// Package is one type-checked Go package, as an analysis pass and the go/packages loader
// of `compatcheck baseline` both see it.
type Package struct {
	Fset  *token.FileSet
	Files []*ast.File
	Types *types.Package
	Info  *types.Info
	// Dir is the package's directory on disk; empty means the directory of its first file.
	Dir string
}

// dir returns the package directory.
func (p *Package) dir() string {
	if p.Dir != "" {
		return p.Dir
	}
	for _, f := range p.Files {
		if name := p.Fset.File(f.Pos()).Name(); name != "" {
			return filepath.Dir(name)
		}
	}
	return "."
}

// Options selects what counts as a contract beyond the marked types.
type Options struct {
	// JSONMarshaled also treats as contracts the package's own types that it passes to
	// encoding/json's Marshal, MarshalIndent or Encoder.Encode.
	JSONMarshaled bool
}

// Contracts is everything a package holds that the analyzers compare with its baseline.
type Contracts struct {
	Proto *ProtoContracts
	JSON  *JSONContracts
	SQL   []*MigrationTree
}

// Collect finds the package's contracts. A contract that cannot be read (a descriptor
// that does not decode, migrations with a syntax error) is left out and reported in errs,
// positioned in the package's Go files; the rest is still returned.
func Collect(ctx context.Context, pkg *Package, opts Options) (c *Contracts, errs []*Error) {
	c = &Contracts{JSON: collectJSON(pkg, opts)}
	proto, err := collectProto(pkg)
	if err != nil {
		errs = append(errs, err)
		proto = &ProtoContracts{}
	}
	c.Proto = proto
	trees, sqlErrs := collectSQL(ctx, pkg)
	c.SQL = trees
	return c, append(errs, sqlErrs...)
}

// Empty reports whether the package holds no contract.
func (c *Contracts) Empty() bool {
	return len(c.Proto.Files) == 0 && len(c.JSON.Roots) == 0 && len(c.SQL) == 0
}

// Describe names the contracts for messages: the first proto file, JSON contract or
// migration tree.
func (c *Contracts) Describe() string {
	switch {
	case len(c.Proto.Files) > 0:
		return "protobuf file " + c.Proto.Files[0].Desc.Path()
	case len(c.JSON.Roots) > 0:
		return "JSON contract " + c.JSON.Roots[0].Key
	case len(c.SQL) > 0:
		return "SQL migrations in " + c.SQL[0].Dir
	}
	return "no contracts"
}

// Snapshot returns what the baseline of these contracts holds.
func (c *Contracts) Snapshot() *Snapshot {
	s := &Snapshot{}
	c.Proto.snapshot(s)
	c.JSON.snapshot(s)
	for _, t := range c.SQL {
		s.SQL = append(s.SQL, t.snapshot())
	}
	s.sort()
	return s
}
