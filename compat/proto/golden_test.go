package proto

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goldenCompare reads an archive's options from its comment: "encodings: wire",
// "strict-json: true" and "full-check: true".
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
	return Compare(ctx, old, new, opts)
}

func TestGolden(t *testing.T) {
	compattest.Run(t, "testdata/*.txtar", goldenCompare, compattest.Options{})
}

// TestEveryRuleHasGolden keeps each rule exercised by at least one golden archive, so a
// rule cannot exist only as documentation.
func TestEveryRuleHasGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		all.Write(data)
	}
	for _, r := range compat.Rules() {
		if r.Kind == compat.KindProto {
			assert.Contains(t, all.String(), `"rule": "`+r.ID+`"`, "no golden archive reports %s", r.ID)
		}
	}
}
