// Package golangci registers compatcheck's analyzers as a golangci-lint v2 module plugin
// named "compatcheck". Build a custom golangci-lint that includes it with
// `golangci-lint custom` and a .custom-gcl.yml naming this package, then enable the
// linter in .golangci.yml; docs/analyzers.md has both files.
package golangci

import (
	"fmt"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers"
	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
)

func init() { register.Plugin("compatcheck", New) }

// Settings are the plugin's settings in .golangci.yml (linters.settings.custom.
// compatcheck.settings). Unknown keys are refused, so a misspelled option fails the run
// instead of being ignored.
type Settings struct {
	// Gates are compatwrite's rollout-gate functions, as go/types names them
	// ("example.com/flags.Enabled", "(*example.com/flags.Client).On").
	Gates []string `json:"gates"`
	// JSONMarshaled makes the types a package passes to encoding/json contracts too;
	// write the baselines with `compatcheck baseline --json-marshaled` to match.
	JSONMarshaled bool `json:"json-marshaled"`
	// PGVersion is the PostgreSQL major version compatgoose judges hazards for.
	PGVersion int `json:"pg-version"`
	// BaselineCommand is how compatbaseline's messages say to run the baseline command.
	BaselineCommand string `json:"baseline-command"`
	// Disable names analyzers not to run: compatbaseline, compatwrite, compatjson,
	// compatgoose.
	Disable []string `json:"disable"`
}

// New builds the plugin from its settings.
func New(settings any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](settings)
	if err != nil {
		return nil, fmt.Errorf("compatcheck: %w", err)
	}
	all := analyzers.New(analyzers.Config{})
	for _, name := range s.Disable {
		if !slices.ContainsFunc(all, func(a *analysis.Analyzer) bool { return a.Name == name }) {
			var names []string
			for _, a := range all {
				names = append(names, a.Name)
			}
			return nil, fmt.Errorf("compatcheck: disable: unknown analyzer %q (want one of %s)", name, strings.Join(names, ", "))
		}
	}
	return &plugin{s}, nil
}

type plugin struct{ settings Settings }

// BuildAnalyzers returns the enabled analyzers, configured by the settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, a := range analyzers.New(analyzers.Config{
		Gates: p.settings.Gates, JSONMarshaled: p.settings.JSONMarshaled,
		PGVersion: p.settings.PGVersion, BaselineCommand: p.settings.BaselineCommand,
	}) {
		if !slices.Contains(p.settings.Disable, a.Name) {
			out = append(out, a)
		}
	}
	return out, nil
}

// GetLoadMode asks for type information: every analyzer needs it.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
