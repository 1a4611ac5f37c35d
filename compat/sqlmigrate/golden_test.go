package sqlmigrate

import (
	"context"
	"strconv"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// goldenCompare runs Compare with the options of an archive comment ("pg-version: 11",
// "layout: goose", "file: schema.sql").
func goldenCompare(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
	var opts Options
	if v := compattest.Option(comment, "pg-version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, err
		}
		opts.PGVersion = n
	}
	if v := compattest.Option(comment, "layout"); v != "" {
		opts.Layout = Layout(v)
	}
	// "file: schema.sql" compares one-file Sources, as the CLI does when given two files.
	if f := compattest.Option(comment, "file"); f != "" {
		old.File, new.File = f, f
	}
	return Compare(ctx, old, new, opts)
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{})
}
