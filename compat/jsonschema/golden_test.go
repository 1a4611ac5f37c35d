package jsonschema

import (
	"context"
	"strconv"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// goldenCompare runs the engine with the options an archive's comment names.
func goldenCompare(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
	var opts Options
	if m := compattest.Option(comment, "model"); m != "" {
		model, err := ParseModel(m)
		if err != nil {
			return nil, err
		}
		opts.Model = model
	}
	if r := compattest.Option(comment, "refs"); r != "" {
		refs, err := ParseRefs(r)
		if err != nil {
			return nil, err
		}
		opts.Refs = refs
	}
	if b := compattest.Option(comment, "budget"); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil {
			return nil, err
		}
		opts.Budget = n
	}
	return Compare(ctx, old, new, opts)
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{Swap: true})
}
