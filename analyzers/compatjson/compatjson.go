package compatjson

import (
	"context"
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Config configures the analyzer.
type Config struct {
	// JSONMarshaled also checks the package's own types that it passes to
	// encoding/json; the baseline must be written with the same option.
	JSONMarshaled bool
}

// Analyzer checks JSON contract types against their baseline.
var Analyzer = New(Config{})

// New returns the analyzer with a configuration; its -json-marshaled flag starts from it.
func New(cfg Config) *analysis.Analyzer {
	c := cfg
	a := &analysis.Analyzer{
		Name: "compatjson",
		Doc:  analysisutil.MustDoc(doc, "compatjson"),
		URL:  analysisutil.AnalyzerURL("compatjson"),
	}
	a.Flags.BoolVar(&c.JSONMarshaled, "json-marshaled", c.JSONMarshaled, "also check the package's types passed to encoding/json")
	a.Run = func(pass *analysis.Pass) (any, error) { return nil, run(pass, &c) }
	return a
}

// reported are the rules reported whatever their class: a JSON name that disappears
// skipped the deprecation the engine's safe sequence asks for, even when the produce-
// accept model finds no reader that fails.
var reported = map[string]bool{"PROPERTY_REMOVED": true, "PROPERTY_REMOVED_FROM_CLOSED_OBJECT": true}

// skipped are the rules left to others: added enum values are compatwrite's.
var skipped = map[string]bool{"ENUM_MEMBER_ADDED": true}

func run(pass *analysis.Pass, cfg *Config) error {
	pkg := analysisutil.Package(pass)
	b, err := contract.FindBaseline(pkg)
	if err != nil || b == nil || len(b.Snapshot.JSONRoots) == 0 {
		return nil // compatbaseline reports missing and malformed baselines
	}
	ctx := context.Background()
	contracts, _ := contract.Collect(ctx, pkg, contract.Options{JSONMarshaled: cfg.JSONMarshaled})
	report, err := contract.CompareJSON(ctx, b.Snapshot, contracts.JSON)
	if err != nil {
		return fmt.Errorf("comparing the JSON contracts with the baseline: %v", err)
	}
	c := &checker{pass: pass, base: b, jc: contracts.JSON, findings: map[string]compat.Finding{}}
	// A definition reached from several roots is compared once per root; it is one change.
	var order []string
	for _, f := range report.Findings {
		ptr := contract.SubjectPointer(f.Subject)
		k := f.Rule + " " + ptr
		if _, dup := c.findings[k]; !dup {
			c.findings[k] = f
			order = append(order, k)
		}
	}
	sort.Strings(order)
	renamed := c.renames()
	for _, k := range order {
		f := c.findings[k]
		if renamed[k] || skipped[f.Rule] || f.Suppressed != "" {
			continue
		}
		if f.Class() < compat.ReadTolerant && !reported[f.Rule] {
			continue
		}
		c.report(f)
	}
	return nil
}

type checker struct {
	pass *analysis.Pass
	base *contract.Baseline
	jc   *contract.JSONContracts
	// findings are the engine's findings by rule and pointer.
	findings map[string]compat.Finding
}

// location is where a JSON pointer leads in this package's Go code.
type location struct {
	def  *contract.JSONDef
	prop *contract.JSONProp
	// field is the Go field of a property that no longer has one (json:"-").
	field *ast.Field
	name  string // the property name the pointer names, if any
}

// locate follows a pointer /$defs/<key>[/properties/<name>...] to the definition and
// property it names in the current code.
func (c *checker) locate(ptr string) location {
	rest, ok := strings.CutPrefix(ptr, "/$defs/")
	if !ok {
		return location{}
	}
	seg, rest, _ := strings.Cut(rest, "/")
	key := strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
	loc := location{def: c.jc.Defs[key]}
	if name, ok := strings.CutPrefix(rest, "properties/"); ok {
		name, _, _ = strings.Cut(name, "/")
		loc.name = strings.NewReplacer("~1", "/", "~0", "~").Replace(name)
		if loc.def != nil {
			loc.prop = loc.def.Props[loc.name]
		}
		if loc.prop == nil && loc.def != nil {
			if path := c.base.Snapshot.JSONFields[key][loc.name]; path != "" {
				loc.field = c.goField(loc.def, path)
			}
		}
	}
	return loc
}

// goField finds the declaration of a Go field by its path in a struct, when it is
// declared in this package.
func (c *checker) goField(def *contract.JSONDef, path string) *ast.Field {
	t := types.Type(def.Obj.Type())
	var v *types.Var
	for _, name := range strings.Split(path, ".") {
		obj, _, _ := types.LookupFieldOrMethod(t, true, def.Obj.Pkg(), name)
		fv, ok := obj.(*types.Var)
		if !ok {
			return nil
		}
		v, t = fv, fv.Type()
	}
	for _, f := range c.pass.Files {
		var found *ast.Field
		ast.Inspect(f, func(n ast.Node) bool {
			if fld, ok := n.(*ast.Field); ok {
				for _, name := range fld.Names {
					if c.pass.TypesInfo.Defs[name] == v {
						found = fld
					}
				}
			}
			return found == nil
		})
		if found != nil {
			return found
		}
	}
	return nil
}

// pos is where a finding is reported: the property's tag for tag changes, its field,
// the field that lost it, its type, or the baseline.
func (c *checker) pos(loc location, atTag bool) token.Pos {
	switch {
	case loc.prop != nil && loc.prop.Node != nil:
		if atTag && loc.prop.Node.Tag != nil {
			return loc.prop.Node.Tag.Pos()
		}
		return loc.prop.Pos()
	case loc.field != nil:
		if loc.field.Tag != nil {
			return loc.field.Tag.Pos()
		}
		return loc.field.Pos()
	case loc.def != nil && loc.def.Pos.IsValid():
		return loc.def.Pos
	}
	// What the code no longer declares is reported at the package clause of the first
	// hand-written file (the baseline itself is generated).
	for _, f := range c.pass.Files {
		if !analysisutil.Generated(f) {
			return f.Name.Pos()
		}
	}
	return c.base.Pos
}

// report emits one engine finding.
func (c *checker) report(f compat.Finding) {
	ptr := contract.SubjectPointer(f.Subject)
	loc := c.locate(ptr)
	what := describe(ptr, loc)
	atTag := strings.HasPrefix(f.Rule, "REQUIRED_")
	msg := fmt.Sprintf("%s: %s (%s)", what, f.Message, answers(f))
	if loc.prop == nil && loc.field == nil && loc.name != "" && reported[f.Rule] {
		msg += "; the Go field is gone (mark a field Deprecated in one release, remove it in a later one)"
	}
	if atTag && loc.prop != nil && !stringLike(loc.prop.Field.Type()) {
		msg += "; note that encoding/json/v2's omitempty does not omit 0 or false (omitzero does)"
	}
	if len(f.Advice) > 0 {
		msg += ": " + strings.Join(f.Advice, "; then ")
	}
	d := analysis.Diagnostic{Pos: c.pos(loc, atTag), Message: msg}
	d.Related = c.related(loc)
	analysisutil.Report(c.pass, d, f.Rule, analysisutil.RuleURL(f.Rule))
}

// related points at the contract type and at the baseline the change is measured against.
func (c *checker) related(loc location) []analysis.RelatedInformation {
	var out []analysis.RelatedInformation
	if loc.def != nil && loc.def.Pos.IsValid() {
		out = append(out, analysis.RelatedInformation{Pos: loc.def.Pos, Message: "the JSON contract " + loc.def.Key})
	}
	return append(out, analysis.RelatedInformation{Pos: c.base.Pos, Message: "the baseline it is compared with"})
}

// describe names what changed: a property of a definition, a definition, or a
// definition the code no longer has (from its pointer).
func describe(ptr string, loc location) string {
	switch {
	case loc.def != nil && loc.name != "":
		return fmt.Sprintf("JSON property %q of %s", loc.name, loc.def.Key)
	case loc.def != nil:
		return "JSON contract " + loc.def.Key
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(ptr, "/$defs/"), "/")
	return "JSON contract " + strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
}

// answers spells a finding's class and answers.
func answers(f compat.Finding) string {
	yes := map[bool]string{true: "yes", false: "no"}
	return fmt.Sprintf("%s; B: %s, F: %s", f.Class(), yes[f.Backward], yes[f.Forward])
}

// stringLike reports whether omitempty treats the type alike in encoding/json v1 and v2:
// strings, slices and maps are empty in both when their JSON is "", [] or {}.
func stringLike(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return u.Info()&types.IsString != 0
	case *types.Slice, *types.Map:
		return true
	}
	return false
}

// renames finds Go fields whose JSON name changed: a property removed from a definition
// whose Go field (by its path, from the baseline) now produces another property added to
// the same definition. Each is reported once, as JSON_NAME_CHANGED with the answers of
// both engine findings, and the keys of those findings are returned so they are not
// reported again.
func (c *checker) renames() map[string]bool {
	done := map[string]bool{}
	var keys []string
	for k := range c.findings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		removed := c.findings[k]
		if !strings.HasPrefix(removed.Rule, "PROPERTY_REMOVED") || removed.Rule == "PROPERTY_REMOVED_AFTER_DEPRECATION" {
			continue
		}
		ptr := contract.SubjectPointer(removed.Subject)
		loc := c.locate(ptr)
		if loc.def == nil || loc.prop != nil {
			continue
		}
		path := c.base.Snapshot.JSONFields[loc.def.Key][loc.name]
		var now *contract.JSONProp
		for _, p := range loc.def.Props {
			if p.GoPath == path && path != "" {
				now = p
			}
		}
		if now == nil {
			continue
		}
		addedPtr := contract.DefPointer(loc.def.Key) + "/properties/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(now.Name)
		var added *compat.Finding
		var addedKey string
		for k2, f := range c.findings {
			if p := contract.SubjectPointer(f.Subject); p == addedPtr && strings.HasPrefix(f.Rule, "PROPERTY_ADDED") {
				f := f
				added, addedKey = &f, k2
			}
		}
		if added == nil {
			continue
		}
		done[k], done[addedKey] = true, true
		c.reportRename(loc, now, removed, *added)
	}
	return done
}

// reportRename reports a changed JSON name at the field's tag, with the fix that pins the
// old name.
func (c *checker) reportRename(loc location, now *contract.JSONProp, removed, added compat.Finding) {
	rule := contract.RuleJSONNameChanged
	f := rule.Finding(loc.def.Key+"."+now.GoPath, "")
	f.Backward = removed.Backward && added.Backward
	f.Forward = removed.Forward && added.Forward
	msg := fmt.Sprintf("the JSON name of %s.%s changed from %q to %q since the baseline (%s): %s; %s",
		loc.def.Key, now.GoPath, loc.name, now.Name, answers(f), removed.Message, added.Message)
	if f.Class() == compat.Additive {
		msg += "; both names are optional, so no reader fails, but readers of the old name silently stop receiving the value"
	}
	if strings.EqualFold(loc.name, now.Name) {
		msg += "; encoding/json v1 matches names case-insensitively and still reads the old name, encoding/json/v2 and most other languages do not"
	}
	msg += ": " + strings.Join(contract.Advice(rule), "; then ")
	d := analysis.Diagnostic{Pos: now.Pos(), Message: msg, Related: c.related(loc)}
	if now.Node != nil {
		d.Pos = now.Pos()
		if now.Node.Tag != nil {
			d.Pos = now.Node.Tag.Pos()
		}
		if edit, ok := pinName(now.Node, now.Field.Name(), loc.name); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{{
				Message:   fmt.Sprintf("Keep the JSON name %q in the tag", loc.name),
				TextEdits: []analysis.TextEdit{edit},
			}}
		}
	}
	analysisutil.Report(c.pass, d, rule.ID, analysisutil.RuleURL(rule.ID))
}

// pinName returns the edit that sets the name in a field's json tag, keeping its options
// and other keys, or adds a tag when the field has none.
func pinName(fld *ast.Field, goName, name string) (analysis.TextEdit, bool) {
	if fld.Tag == nil {
		tag := "`json:" + strconv.Quote(name) + "`"
		return analysis.TextEdit{Pos: fld.Type.End(), End: fld.Type.End(), NewText: []byte(" " + tag)}, true
	}
	value, err := strconv.Unquote(fld.Tag.Value)
	if err != nil {
		return analysis.TextEdit{}, false
	}
	value, ok := setJSONName(value, name)
	if !ok {
		return analysis.TextEdit{}, false
	}
	lit := "`" + value + "`"
	if strings.Contains(value, "`") {
		lit = strconv.Quote(value)
	}
	return analysis.TextEdit{Pos: fld.Tag.Pos(), End: fld.Tag.End(), NewText: []byte(lit)}, true
}

// setJSONName rewrites the name of the json key of a struct tag (key:"value" pairs
// separated by spaces, as reflect.StructTag reads them), appending the key when absent.
func setJSONName(tag, name string) (string, bool) {
	i := 0
	for i < len(tag) {
		for i < len(tag) && tag[i] == ' ' {
			i++
		}
		start := i
		for i < len(tag) && tag[i] > ' ' && tag[i] != ':' && tag[i] != '"' && tag[i] != 0x7f {
			i++
		}
		if i == start || i+1 >= len(tag) || tag[i] != ':' || tag[i+1] != '"' {
			return "", false // not in the conventional format: leave it to the user
		}
		key := tag[start:i]
		i++
		vstart := i
		i++
		for i < len(tag) && tag[i] != '"' {
			if tag[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(tag) {
			return "", false
		}
		i++
		if key != "json" {
			continue
		}
		value, err := strconv.Unquote(tag[vstart:i])
		if err != nil {
			return "", false
		}
		_, opts, hasOpts := strings.Cut(value, ",")
		value = name
		if hasOpts {
			value += "," + opts
		}
		return tag[:vstart] + strconv.Quote(value) + tag[i:], true
	}
	sep := " "
	if strings.TrimSpace(tag) == "" {
		sep, tag = "", ""
	}
	return tag + sep + "json:" + strconv.Quote(name), true
}
