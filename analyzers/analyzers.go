// Package analyzers gathers compatcheck's go/analysis passes for the programs that run
// them: cmd/compatcheck-vet (go vet -vettool, go fix -fixtool, standalone) and the
// golangci-lint plugin in analyzers/golangci. Each pass lives in a package of its own:
//
//   - compatbaseline reports packages holding contracts without a readable baseline;
//   - compatwrite reports writes of contract elements readers only learn in this release;
//   - compatjson checks Go types serialized as JSON against their baseline;
//   - compatgoose classifies the SQL of goose migrations written in Go.
//
// docs/analyzers.md says what each reports, why, and how the baseline is kept.
package analyzers

import (
	"github.com/compatcheck/compatcheck/analyzers/compatbaseline"
	"github.com/compatcheck/compatcheck/analyzers/compatgoose"
	"github.com/compatcheck/compatcheck/analyzers/compatjson"
	"github.com/compatcheck/compatcheck/analyzers/compatwrite"
	"golang.org/x/tools/go/analysis"
)

// Config configures every pass at once, with the options of each; the zero value is each
// pass's default.
type Config struct {
	// Gates are compatwrite's rollout-gate functions (compatwrite.Config.Gates).
	Gates []string
	// JSONMarshaled makes the types a package passes to encoding/json contracts, for
	// compatjson and compatbaseline alike; `compatcheck baseline --json-marshaled` must
	// match it.
	JSONMarshaled bool
	// PGVersion is compatgoose's PostgreSQL major version; 0 is the default (16).
	PGVersion int
	// BaselineCommand is how compatbaseline's messages say to run the baseline command.
	BaselineCommand string
}

// New returns the passes configured by cfg, in a fixed order.
func New(cfg Config) []*analysis.Analyzer {
	return []*analysis.Analyzer{
		compatbaseline.New(compatbaseline.Config{Command: cfg.BaselineCommand, JSONMarshaled: cfg.JSONMarshaled}),
		compatwrite.New(compatwrite.Config{Gates: cfg.Gates}),
		compatjson.New(compatjson.Config{JSONMarshaled: cfg.JSONMarshaled}),
		compatgoose.New(compatgoose.Config{PGVersion: cfg.PGVersion}),
	}
}

// All returns the passes with their default configuration.
func All() []*analysis.Analyzer { return New(Config{}) }
