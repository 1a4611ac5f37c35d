package contract

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"strconv"
	"strings"
)

// goosePaths are the import paths of github.com/pressly/goose whose registration
// functions are recognized.
var goosePaths = map[string]bool{"github.com/pressly/goose/v3": true, "github.com/pressly/goose": true}

// GooseMigration is a goose migration written in Go: its registration, its up function and
// the constant SQL the up function executes.
type GooseMigration struct {
	// Call registers the migration; Func is the goose function it calls
	// (AddMigrationContext, AddNamedMigrationNoTxContext, NewGoMigration, ...).
	Call *ast.CallExpr
	Func string
	// Version is goose's version of the migration: the number its file name starts with,
	// or NewGoMigration's argument.
	Version int64
	// GoFile is the base name of the Go file that registers the migration, or the name
	// given to AddNamedMigration*.
	GoFile string
	// NoTx is set when goose runs the migration outside a transaction.
	NoTx bool
	// Up and Down are the migration's functions, when they are function literals or
	// functions declared in the package.
	Up, Down *GooseFunc
	// UpKey is the RunTx or RunDB key of NewGoMigration's &goose.GoFunc{...} for Up.
	UpKey *ast.Ident
	// Execs are the calls in Up's body that execute constant SQL, in source order.
	Execs []*Exec
}

// GooseFunc is a migration function's syntax.
type GooseFunc struct {
	Type *ast.FuncType
	Body *ast.BlockStmt
	// Decl is set when the function is declared in the package rather than a literal.
	Decl *ast.FuncDecl
}

// Exec is one call executing constant SQL (Exec, ExecContext on *sql.Tx, *sql.DB or any
// other receiver with that method).
type Exec struct {
	Call *ast.CallExpr
	// Arg is the argument that holds the SQL, and SQL its constant value.
	Arg ast.Expr
	SQL string
}

// SyntheticName is the .sql file name under which the migration's SQL joins the package's
// .sql migrations, so that the SQL engine orders it by its version among them.
func (m *GooseMigration) SyntheticName() string {
	if v, ok := gooseVersion(m.GoFile); ok && v == m.Version {
		return m.GoFile + ".sql"
	}
	return fmt.Sprintf("%d_%s.sql", m.Version, m.GoFile)
}

// gooseVersion reads a version from a file name as goose does: the number before the
// first underscore.
func gooseVersion(name string) (int64, bool) {
	base := filepath.Base(name)
	i := strings.IndexByte(base, '_')
	if i <= 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(base[:i], 10, 64)
	return n, err == nil && n > 0
}

// Synthesize returns the migration's SQL as a goose .sql migration, and for each Exec the
// byte offset where its SQL starts in it.
func (m *GooseMigration) Synthesize() ([]byte, []int) {
	var b strings.Builder
	b.WriteString("-- +goose Up\n")
	if m.NoTx {
		b.WriteString("-- +goose NO TRANSACTION\n")
	}
	offsets := make([]int, len(m.Execs))
	for i, e := range m.Execs {
		offsets[i] = b.Len()
		b.WriteString(e.SQL)
		if !strings.HasSuffix(strings.TrimSpace(e.SQL), ";") {
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
	return []byte(b.String()), offsets
}

// findGoose returns the package's goose migrations written in Go, in source order.
func findGoose(pkg *Package) []*GooseMigration {
	decls := map[types.Object]*ast.FuncDecl{}
	for _, f := range pkg.Files {
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil {
				decls[pkg.Info.Defs[fd.Name]] = fd
			}
		}
	}
	funcOf := func(e ast.Expr) *GooseFunc {
		switch e := ast.Unparen(e).(type) {
		case *ast.FuncLit:
			return &GooseFunc{Type: e.Type, Body: e.Body}
		case *ast.Ident:
			if fd := decls[pkg.Info.Uses[e]]; fd != nil && fd.Body != nil {
				return &GooseFunc{Type: fd.Type, Body: fd.Body, Decl: fd}
			}
		}
		return nil
	}
	var out []*GooseMigration
	for _, f := range pkg.Files {
		goFile := filepath.Base(pkg.Fset.File(f.Pos()).Name())
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := typeutilCallee(pkg.Info, call).(*types.Func)
			if !ok || fn.Pkg() == nil || !goosePaths[fn.Pkg().Path()] || fn.Type().(*types.Signature).Recv() != nil {
				return true
			}
			m := &GooseMigration{Call: call, Func: fn.Name(), GoFile: goFile}
			args := call.Args
			switch fn.Name() {
			case "AddMigration", "AddMigrationContext", "AddMigrationNoTx", "AddMigrationNoTxContext":
			case "AddNamedMigration", "AddNamedMigrationContext", "AddNamedMigrationNoTx", "AddNamedMigrationNoTxContext":
				if len(args) == 0 {
					return true
				}
				name, ok := constString(pkg.Info, args[0])
				if !ok {
					return true
				}
				m.GoFile, args = filepath.Base(name), args[1:]
			case "NewGoMigration":
				if len(args) != 3 {
					return true
				}
				tv := pkg.Info.Types[args[0]]
				if tv.Value == nil {
					return true
				}
				v, exact := constant.Int64Val(constant.ToInt(tv.Value))
				if !exact {
					return true
				}
				m.Version = v
				m.Up, m.UpKey, m.NoTx = goFunc(pkg, funcOf, args[1])
				m.Down, _, _ = goFunc(pkg, funcOf, args[2])
				m.findExecs(pkg)
				out = append(out, m)
				return true
			default:
				return true
			}
			if len(args) != 2 {
				return true
			}
			v, ok := gooseVersion(m.GoFile)
			if !ok {
				return true
			}
			m.Version = v
			m.NoTx = strings.Contains(fn.Name(), "NoTx")
			m.Up, m.Down = funcOf(args[0]), funcOf(args[1])
			m.findExecs(pkg)
			out = append(out, m)
			return true
		})
	}
	return out
}

// goFunc reads NewGoMigration's &goose.GoFunc{RunTx: f} or {RunDB: f, Mode: ...}.
func goFunc(pkg *Package, funcOf func(ast.Expr) *GooseFunc, e ast.Expr) (*GooseFunc, *ast.Ident, bool) {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := ast.Unparen(e).(*ast.CompositeLit)
	if !ok {
		return nil, nil, false
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			continue
		}
		switch key.Name {
		case "RunTx":
			return funcOf(kv.Value), key, false
		case "RunDB":
			return funcOf(kv.Value), key, true
		}
	}
	return nil, nil, false
}

// findExecs collects the constant SQL the up function executes.
func (m *GooseMigration) findExecs(pkg *Package) {
	if m.Up == nil {
		return
	}
	ast.Inspect(m.Up.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fn, ok := typeutilCallee(pkg.Info, call).(*types.Func)
		if !ok || fn.Name() != "Exec" && fn.Name() != "ExecContext" {
			return true
		}
		sig := fn.Type().(*types.Signature)
		for i := 0; i < sig.Params().Len() && i < len(call.Args); i++ {
			if b, ok := sig.Params().At(i).Type().(*types.Basic); ok && b.Kind() == types.String {
				if sql, ok := constString(pkg.Info, call.Args[i]); ok {
					m.Execs = append(m.Execs, &Exec{Call: call, Arg: call.Args[i], SQL: sql})
				}
				break
			}
		}
		return true
	})
}

// constString returns the value of a constant string expression.
func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv := info.Types[e]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}
