package contract

import (
	"bytes"
	"context"
	"flag"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/json/*.txtar")

// TestJSONDerivation derives the schemas of the contract types of each archive's p.go and
// compares the snapshot's JSON sections with the archive's want section: one golden per
// topic of encoding/json's rules. Read every diff -update writes: it is the claim that
// encoding/json writes what the schema says.
func TestJSONDerivation(t *testing.T) {
	files, _ := filepath.Glob("testdata/json/*.txtar")
	if len(files) == 0 {
		t.Fatal("no archives")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var src []byte
			for _, f := range ar.Files {
				if f.Name == "p.go" {
					src = f.Data
				}
			}
			pkg := typeCheck(t, src)
			c, errs := Collect(context.Background(), pkg, Options{JSONMarshaled: strings.Contains(string(ar.Comment), "marshaled")})
			if len(errs) > 0 {
				t.Fatal(errs[0])
			}
			got, err := c.Snapshot().Encode()
			if err != nil {
				t.Fatal(err)
			}
			for i := range ar.Files {
				if ar.Files[i].Name != "want" {
					continue
				}
				if *update {
					ar.Files[i].Data = got
					if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
				} else if !bytes.Equal(ar.Files[i].Data, got) {
					t.Errorf("snapshot mismatch (run with -update and review the diff)\n got:\n%s\nwant:\n%s", got, ar.Files[i].Data)
				}
			}
		})
	}
}

// typeCheck type-checks one file as package p, with the standard library from source.
func typeCheck(t testing.TB, src []byte) *Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(t.TempDir(), "p.go"), src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	tp, err := conf.Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return &Package{Fset: fset, Files: []*ast.File{f}, Types: tp, Info: info, Dir: t.TempDir()}
}
