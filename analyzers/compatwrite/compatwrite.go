package compatwrite

import (
	"context"
	_ "embed"
	"go/types"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"golang.org/x/tools/go/analysis"
)

//go:embed doc.go
var doc string

// Config configures the analyzer.
type Config struct {
	// Gates lists rollout-gate functions (feature flags) by their full go/types name,
	// such as "example.com/flags.Enabled" or "(*example.com/flags.Client).On": a write in
	// a branch that runs only when a gate returned true is not reported.
	Gates []string
}

// Analyzer reports writes of contract elements added in this release.
var Analyzer = New(Config{})

// New returns the analyzer with a configuration; its -gates flag starts from it.
func New(cfg Config) *analysis.Analyzer {
	c := &checker{gates: map[string]bool{}}
	for _, g := range cfg.Gates {
		c.gates[g] = true
	}
	a := &analysis.Analyzer{
		Name:      "compatwrite",
		Doc:       analysisutil.MustDoc(doc, "compatwrite"),
		URL:       analysisutil.AnalyzerURL("compatwrite"),
		FactTypes: []analysis.Fact{new(enumFact), new(methodFact), new(messageFact), new(packageFact)},
	}
	a.Flags.Var(gateFlag{c.gates}, "gates", "comma-separated rollout-gate functions, as go/types names them (example.com/flags.Enabled)")
	a.Run = c.run
	return a
}

// gateFlag is the -gates flag: a comma-separated list added to the configured gates.
type gateFlag struct{ gates map[string]bool }

func (f gateFlag) String() string {
	var names []string
	for g := range f.gates {
		names = append(names, g)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func (f gateFlag) Set(s string) error {
	for _, g := range strings.Split(s, ",") {
		if g = strings.TrimSpace(g); g != "" {
			f.gates[g] = true
		}
	}
	return nil
}

// checker holds the configuration, which runs only read.
type checker struct {
	gates map[string]bool
}

// state is one pass's view: what this package adds and what it imports.
type state struct {
	pass      *analysis.Pass
	pkg       *contract.Package
	contracts *contract.Contracts
	gates     map[string]bool
	// enums and methods are the facts of this package's objects.
	enums   map[*types.TypeName]*enumFact
	methods map[types.Object]*methodFact
	// added are the methods this package's baseline comparison found added.
	added []addedMethod
	// labels are the SQL labels added here and in imported packages; local are this
	// package's own, exported as a fact.
	labels, local []addedLabels
	// trees maps a local label type to the embed declaration of its migrations.
	treePos map[string]types.Object
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	ctx := context.Background()
	st := &state{
		pass: pass, pkg: analysisutil.Package(pass), gates: c.gates,
		enums: map[*types.TypeName]*enumFact{}, methods: map[types.Object]*methodFact{},
	}
	// Contracts that cannot be read, and malformed baselines, are compatbaseline's to
	// report; this pass checks what it can read.
	st.contracts, _ = contract.Collect(ctx, st.pkg, contract.Options{})
	if b, err := contract.FindBaseline(st.pkg); err == nil && b != nil {
		st.protoAdditions(ctx, b.Snapshot)
		st.jsonAdditions(ctx, b.Snapshot)
		st.sqlAdditions(ctx, b.Snapshot)
	}
	st.mapMethods()
	st.exportFacts()
	for _, pf := range pass.AllPackageFacts() {
		if f, ok := pf.Fact.(*packageFact); ok && pf.Package != pass.Pkg {
			st.labels = append(st.labels, f.Labels...)
		}
	}
	st.labels = append(st.labels, st.local...)
	st.check()
	return nil, nil
}

// exportFacts publishes what this package adds to the packages that import it.
func (st *state) exportFacts() {
	for tn, f := range st.enums {
		st.pass.ExportObjectFact(tn, f)
	}
	for obj, f := range st.methods {
		st.pass.ExportObjectFact(obj, f)
	}
	for tn, md := range st.contracts.Proto.Messages {
		st.pass.ExportObjectFact(tn, &messageFact{Name: string(md.FullName())})
	}
	if len(st.added) > 0 || len(st.local) > 0 {
		st.pass.ExportPackageFact(&packageFact{Methods: st.added, Labels: st.local})
	}
}
