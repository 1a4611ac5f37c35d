// Package analysisutil holds what the compatcheck analyzers share: their documentation,
// the diagnostics' categories and links, and the view of a pass as a contract.Package.
package analysisutil

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"golang.org/x/tools/go/analysis"
)

// docsBase is where the documentation the diagnostics link to is published.
const docsBase = "https://github.com/compatcheck/compatcheck/blob/main/docs/"

// AnalyzerURL links to an analyzer's section of docs/analyzers.md.
func AnalyzerURL(name string) string { return docsBase + "analyzers.md#" + name }

// RuleURL links to a rule's entry in docs/rules.md, which is generated from the registry.
func RuleURL(id string) string { return docsBase + "rules.md#" + strings.ToLower(id) }

// MustDoc returns the documentation of the analyzer name from the source of its doc.go,
// as x/tools' passes keep it: the package comment's section "# Analyzer name", whose
// first line "name: summary" becomes the summary line. It panics when the section is
// missing, which every test of the analyzer catches.
func MustDoc(docGo, name string) string {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil || f.Doc == nil {
		panic("analysisutil: doc.go of " + name + " has no package comment")
	}
	text := f.Doc.Text()
	_, section, ok := strings.Cut(text, "# Analyzer "+name+"\n\n")
	if !ok {
		panic("analysisutil: doc.go has no section # Analyzer " + name)
	}
	if i := strings.Index(section, "\n# "); i >= 0 {
		section = section[:i]
	}
	section = strings.TrimPrefix(section, name+": ")
	return strings.TrimSpace(section)
}

// Package returns the package a pass analyzes, as the contract package reads it.
func Package(pass *analysis.Pass) *contract.Package {
	return &contract.Package{Fset: pass.Fset, Files: pass.Files, Types: pass.Pkg, Info: pass.TypesInfo}
}

// Report emits a diagnostic of a rule: its category is the rule ID, its URL the rule's
// entry, and its message ends with the ID in parentheses, as go vet prints no category.
func Report(pass *analysis.Pass, d analysis.Diagnostic, rule, url string) {
	d.Category = rule
	d.URL = url
	d.Message += " (" + rule + ")"
	pass.Report(d)
}

// Generated reports whether a file is generated code, where the analyzers report nothing:
// it is regenerated from the contract, not edited.
func Generated(f *ast.File) bool { return ast.IsGenerated(f) }
