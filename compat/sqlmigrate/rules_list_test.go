package sqlmigrate

import (
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/require"
)

// TestRulesDeclared checks that every SQL rule reads as a sentence, says why and how to
// do it safely, and that the lock table names every operation once with a known mode.
func TestRulesDeclared(t *testing.T) {
	n := 0
	for _, r := range compat.Rules() {
		if r.Kind != compat.KindSQL {
			continue
		}
		n++
		require.NotEmpty(t, r.Why, r.ID)
		require.NotEmpty(t, r.Safe, r.ID)
		if !r.Hazard {
			// A hazard carrier or a class rule: its class must be derivable.
			require.NotEqual(t, compat.None, r.Class(), r.ID)
		}
	}
	require.GreaterOrEqual(t, n, 40)
	seen := map[lockOp]bool{}
	for _, row := range lockTable {
		require.False(t, seen[row.op], "duplicate lock row %s", row.op)
		seen[row.op] = true
		require.Contains(t, lockRank, row.lock, row.op)
		require.GreaterOrEqual(t, row.minPG, 0)
	}
}
