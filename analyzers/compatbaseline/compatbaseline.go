package compatbaseline

import (
	"context"
	_ "embed"
	"fmt"
	"go/token"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// The diagnostics' categories. They are not contract rules (a missing file has no B and
// F answers), so they are documented in docs/analyzers.md rather than the rule registry.
const (
	CategoryMissing    = "BASELINE_MISSING"
	CategoryMalformed  = "BASELINE_MALFORMED"
	CategoryUnreadable = "CONTRACT_UNREADABLE"
)

// Config configures the analyzer.
type Config struct {
	// Command is how the messages tell users to run the baseline command; the default
	// is "compatcheck baseline".
	Command string
	// JSONMarshaled counts the types a package passes to encoding/json as contracts, as
	// compatjson's option of the same name does.
	JSONMarshaled bool
}

// Analyzer reports packages that hold contracts but no readable baseline.
var Analyzer = New(Config{})

// New returns the analyzer with a configuration; its flags (-command, -json-marshaled)
// start from it.
func New(cfg Config) *analysis.Analyzer {
	if cfg.Command == "" {
		cfg.Command = "compatcheck baseline"
	}
	a := &analysis.Analyzer{
		Name: "compatbaseline",
		Doc:  analysisutil.MustDoc(doc, "compatbaseline"),
		URL:  analysisutil.AnalyzerURL("compatbaseline"),
	}
	c := &cfg
	a.Flags.StringVar(&c.Command, "command", c.Command, "how messages tell users to run the baseline command")
	a.Flags.BoolVar(&c.JSONMarshaled, "json-marshaled", c.JSONMarshaled, "count types passed to encoding/json as contracts")
	a.Run = func(pass *analysis.Pass) (any, error) { return nil, run(pass, c) }
	return a
}

func run(pass *analysis.Pass, cfg *Config) error {
	pkg := analysisutil.Package(pass)
	fix := fmt.Sprintf("%s %s", cfg.Command, pass.Pkg.Path())
	contracts, errs := contract.Collect(context.Background(), pkg, contract.Options{JSONMarshaled: cfg.JSONMarshaled})
	for _, e := range errs {
		report(pass, e.Pos, CategoryUnreadable, "%s; the analyzers skip this contract until it can be read", e.Msg)
	}
	b, err := contract.FindBaseline(pkg)
	if e, ok := err.(*contract.Error); ok {
		report(pass, e.Pos, CategoryMalformed, "%s; regenerate it with: %s", e.Msg, fix)
		return nil
	}
	if b != nil || contracts.Empty() || len(pass.Files) == 0 {
		return nil
	}
	// Report at the package clause of the first file people edit, not a generated one.
	at := pass.Files[0]
	for _, f := range pass.Files {
		if !analysisutil.Generated(f) {
			at = f
			break
		}
	}
	report(pass, at.Name.Pos(), CategoryMissing,
		"package %s holds contracts (%s) but has no compatcheck baseline, so changes to them go unchecked; write one at release time with: %s",
		pass.Pkg.Name(), contracts.Describe(), fix)
	return nil
}

// report emits a diagnostic of one of the categories, linked to its entry in
// docs/analyzers.md.
func report(pass *analysis.Pass, pos token.Pos, category, format string, args ...any) {
	analysisutil.Report(pass, analysis.Diagnostic{Pos: pos, Message: fmt.Sprintf(format, args...)},
		category, analysisutil.AnalyzerURL(strings.ToLower(category)))
}
