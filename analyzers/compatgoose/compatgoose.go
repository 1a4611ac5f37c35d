package compatgoose

import (
	"context"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Config configures the analyzer.
type Config struct {
	// PGVersion is the PostgreSQL major version whose locks decide the hazards; 0 means
	// compat/sqlmigrate's default.
	PGVersion int
}

// Analyzer classifies the SQL of goose migrations written in Go.
var Analyzer = New(Config{})

// New returns the analyzer with a configuration; its -pg-version flag starts from it.
func New(cfg Config) *analysis.Analyzer {
	c := cfg
	a := &analysis.Analyzer{
		Name: "compatgoose",
		Doc:  analysisutil.MustDoc(doc, "compatgoose"),
		URL:  analysisutil.AnalyzerURL("compatgoose"),
	}
	a.Flags.IntVar(&c.PGVersion, "pg-version", c.PGVersion, fmt.Sprintf("PostgreSQL major version (%d to %d) whose locks decide the hazards", sqlmigrate.MinPGVersion, sqlmigrate.MaxPGVersion))
	a.Run = func(pass *analysis.Pass) (any, error) { return nil, run(pass, &c) }
	return a
}

// notInTransaction is the hazard of a statement PostgreSQL refuses in a transaction.
const notInTransaction = "STATEMENT_NOT_ALLOWED_IN_TRANSACTION"

func run(pass *analysis.Pass, cfg *Config) error {
	if cfg.PGVersion != 0 && (cfg.PGVersion < sqlmigrate.MinPGVersion || cfg.PGVersion > sqlmigrate.MaxPGVersion) {
		return fmt.Errorf("-pg-version %d is not supported (want %d to %d)", cfg.PGVersion, sqlmigrate.MinPGVersion, sqlmigrate.MaxPGVersion)
	}
	ctx := context.Background()
	contracts, _ := contract.Collect(ctx, analysisutil.Package(pass), contract.Options{})
	for _, tree := range contracts.SQL {
		names := make([]string, 0, len(tree.Goose))
		for name := range tree.Goose {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			m := tree.Goose[name]
			if len(m.Execs) == 0 {
				continue
			}
			// The migration runs against every migration of a lower version.
			before := func(file string) bool {
				v, ok := version(file)
				return ok && v < m.Version
			}
			old := tree.Source(before)
			new := tree.Source(func(file string) bool { return before(file) || file == contract.BaselineName(name) })
			report, err := sqlmigrate.Compare(ctx, old, new, sqlmigrate.Options{PGVersion: cfg.PGVersion})
			if err != nil {
				return fmt.Errorf("%s: classifying %s: %v", pass.Fset.Position(m.Call.Pos()), m.GoFile, err)
			}
			c := &migration{pass: pass, m: m, name: name}
			c.text, c.offsets = m.Synthesize()
			for _, f := range report.Findings {
				c.report(f)
			}
		}
	}
	return nil
}

// version reads the version of a migration's baseline name (1_a.sql, 00002_b.go).
func version(name string) (int64, bool) {
	var v int64
	i := 0
	for i < len(name) && name[i] >= '0' && name[i] <= '9' {
		v = v*10 + int64(name[i]-'0')
		i++
	}
	return v, i > 0
}

// migration reports the findings of one Go migration.
type migration struct {
	pass    *analysis.Pass
	m       *contract.GooseMigration
	name    string
	text    []byte
	offsets []int
}

// at maps a position in the synthesized migration back to the Go code: the SQL string
// of the Exec call, at the statement's byte when the string is a literal.
func (c *migration) at(p *compat.Position) (token.Pos, bool) {
	if p == nil || p.File != c.name || p.Line == 0 {
		return token.NoPos, false
	}
	line, off := 1, 0
	for off < len(c.text) && line < p.Line {
		if c.text[off] == '\n' {
			line++
		}
		off++
	}
	off += max(p.Column-1, 0)
	for i := len(c.offsets) - 1; i >= 0; i-- {
		if off >= c.offsets[i] {
			e := c.m.Execs[i]
			if lit, ok := ast.Unparen(e.Arg).(*ast.BasicLit); ok {
				return contract.LiteralPos(lit, off-c.offsets[i]), true
			}
			return e.Arg.Pos(), true
		}
	}
	return token.NoPos, false
}

// report emits a finding that is not additive, and every hazard.
func (c *migration) report(f compat.Finding) {
	pos, ok := c.at(f.New)
	if !ok || f.Suppressed != "" {
		return
	}
	if f.Class() >= compat.ReadTolerant {
		msg := fmt.Sprintf("%s (%s)", f.Message, answers(f))
		if len(f.Advice) > 0 {
			msg += ": " + strings.Join(f.Advice, "; then ")
		}
		analysisutil.Report(c.pass, analysis.Diagnostic{Pos: pos, Message: msg}, f.Rule, analysisutil.RuleURL(f.Rule))
	}
	for _, h := range f.Hazards {
		hpos := pos
		if p, ok := c.at(h.Pos); ok {
			hpos = p
		}
		msg := h.Message
		if h.Lock != "" {
			msg += fmt.Sprintf(" (lock %s, rewrites: %s, scans: %s)", h.Lock, yes(h.Rewrites), yes(h.Scans))
		}
		d := analysis.Diagnostic{Pos: hpos}
		advice := h.Advice
		if h.Rule == notInTransaction && !c.m.NoTx {
			// The engine's advice names every runner's annotation; a Go migration has
			// one way out, its registration.
			msg += fmt.Sprintf("; this migration is registered with %s", c.registration())
			if fix, ok := c.noTxFix(); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
				advice = []string{fix.Message + ", with nothing else in it"}
			} else {
				advice = []string{"register it with the no-transaction variant by hand: its functions use *sql.Tx methods that *sql.DB lacks"}
			}
		}
		if len(advice) > 0 {
			msg += ": " + strings.Join(advice, "; then ")
		}
		d.Message = msg
		analysisutil.Report(c.pass, d, h.Rule, analysisutil.RuleURL(h.Rule))
	}
}

func (c *migration) registration() string {
	if c.m.Func == "NewGoMigration" {
		return "NewGoMigration with RunTx"
	}
	return c.m.Func
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func answers(f compat.Finding) string {
	return fmt.Sprintf("%s; B: %s, F: %s", f.Class(), yes(f.Backward), yes(f.Forward))
}

// noTxFunc maps each transactional goose registration to its no-transaction variant.
var noTxFunc = map[string]string{
	"AddMigration":             "AddMigrationNoTx",
	"AddMigrationContext":      "AddMigrationNoTxContext",
	"AddNamedMigration":        "AddNamedMigrationNoTx",
	"AddNamedMigrationContext": "AddNamedMigrationNoTxContext",
}

// dbMethods are the methods *sql.Tx and *sql.DB share, which a function may keep calling
// once its parameter becomes a *sql.DB.
var dbMethods = map[string]bool{
	"Exec": true, "ExecContext": true, "Query": true, "QueryContext": true,
	"QueryRow": true, "QueryRowContext": true, "Prepare": true, "PrepareContext": true,
}

// noTxFix returns the fix that registers the migration outside a transaction.
func (c *migration) noTxFix() (analysis.SuggestedFix, bool) {
	var edits []analysis.TextEdit
	switch {
	case c.m.Func == "NewGoMigration":
		if c.m.UpKey == nil || c.m.UpKey.Name != "RunTx" {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: c.m.UpKey.Pos(), End: c.m.UpKey.End(), NewText: []byte("RunDB")})
		// The GoFunc's Mode must match: TransactionEnabled becomes TransactionDisabled.
		ast.Inspect(c.m.Call, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if key, ok := kv.Key.(*ast.Ident); ok && key.Name == "Mode" {
				if sel, ok := kv.Value.(*ast.SelectorExpr); ok && sel.Sel.Name == "TransactionEnabled" {
					edits = append(edits, analysis.TextEdit{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte("TransactionDisabled")})
				}
			}
			return false
		})
	case noTxFunc[c.m.Func] != "":
		sel, ok := ast.Unparen(c.m.Call.Fun).(*ast.SelectorExpr)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte(noTxFunc[c.m.Func])})
	default:
		return analysis.SuggestedFix{}, false
	}
	for _, fn := range []*contract.GooseFunc{c.m.Up, c.m.Down} {
		if fn == nil {
			if fn == c.m.Up {
				return analysis.SuggestedFix{}, false
			}
			continue
		}
		e, ok := c.txParam(fn)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, e)
	}
	target := noTxFunc[c.m.Func]
	if target == "" {
		target = "RunDB"
	}
	return analysis.SuggestedFix{Message: "Register the migration with " + target + " so that goose runs it outside a transaction", TextEdits: edits}, true
}

// txParam returns the edit that turns a function's *sql.Tx parameter into *sql.DB, when
// the body only calls methods both types have on it.
func (c *migration) txParam(fn *contract.GooseFunc) (analysis.TextEdit, bool) {
	info := c.pass.TypesInfo
	for _, field := range fn.Type.Params.List {
		star, ok := field.Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		sel, ok := star.X.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Tx" {
			continue
		}
		tn, ok := info.Uses[sel.Sel].(*types.TypeName)
		if !ok || tn.Pkg() == nil || tn.Pkg().Path() != "database/sql" {
			continue
		}
		params := map[types.Object]bool{}
		for _, name := range field.Names {
			params[info.Defs[name]] = true
		}
		safe := true
		var stack []ast.Node
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			id, ok := n.(*ast.Ident)
			if !ok || !params[info.Uses[id]] {
				return true
			}
			// Each use must be the receiver of a method *sql.DB has too.
			if len(stack) < 2 {
				safe = false
				return false
			}
			if s, ok := stack[len(stack)-2].(*ast.SelectorExpr); !ok || s.X != id || !dbMethods[s.Sel.Name] {
				safe = false
			}
			return true
		})
		if !safe {
			return analysis.TextEdit{}, false
		}
		return analysis.TextEdit{Pos: sel.Sel.Pos(), End: sel.Sel.End(), NewText: []byte("DB")}, true
	}
	return analysis.TextEdit{}, false
}
