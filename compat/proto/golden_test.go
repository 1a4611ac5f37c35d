package proto

import (
	"context"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
)

// goldenCompare reads an archive's options from its comment: "encodings: wire",
// "strict-json: true", "full-check: true" and "import-paths: third_party,vendor".
func goldenCompare(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error) {
	var opts Options
	if e := compattest.Option(comment, "encodings"); e != "" {
		encs, err := ParseEncodings(e)
		if err != nil {
			return nil, err
		}
		opts.Encodings = encs
	}
	opts.StrictJSONReaders = compattest.Option(comment, "strict-json") == "true"
	opts.FullCheck = compattest.Option(comment, "full-check") == "true"
	if p := compattest.Option(comment, "import-paths"); p != "" {
		opts.ImportPaths = strings.Split(p, ",")
	}
	return Compare(ctx, old, new, opts)
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{})
}
