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
	opts, err := goldenOptions(comment)
	if err != nil {
		return nil, err
	}
	return Compare(ctx, old, new, opts)
}

// goldenOptions reads the options an archive's comment names.
func goldenOptions(comment string) (Options, error) {
	var opts Options
	if m := compattest.Option(comment, "model"); m != "" {
		model, err := ParseModel(m)
		if err != nil {
			return opts, err
		}
		opts.Model = model
	}
	if r := compattest.Option(comment, "refs"); r != "" {
		refs, err := ParseRefs(r)
		if err != nil {
			return opts, err
		}
		opts.Refs = refs
	}
	if b := compattest.Option(comment, "budget"); b != "" {
		n, err := strconv.Atoi(b)
		if err != nil {
			return opts, err
		}
		opts.Budget = n
	}
	return opts, nil
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{Swap: true})
}
