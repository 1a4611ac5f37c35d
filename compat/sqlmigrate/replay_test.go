package sqlmigrate

import (
	"context"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/require"
)

// hazardsOf compares a one-table baseline with one added golang-migrate migration and
// returns the hazard rule IDs reported, in order.
func hazardsOf(t *testing.T, added string, pg int) []string {
	t.Helper()
	released := "CREATE TABLE t (id int PRIMARY KEY, a int);"
	oldFS := fstest.MapFS{"1_a.up.sql": {Data: []byte(released)}}
	newFS := fstest.MapFS{"1_a.up.sql": {Data: []byte(released)}, "2_b.up.sql": {Data: []byte(added)}}
	r, err := Compare(context.Background(), compat.Source{FS: oldFS}, compat.Source{FS: newFS}, Options{PGVersion: pg})
	require.NoError(t, err)
	var out []string
	for _, f := range r.Findings {
		for _, h := range f.Hazards {
			out = append(out, h.Rule)
		}
	}
	return out
}

func TestLockTimeoutSettings(t *testing.T) {
	const add = "ALTER TABLE t ADD COLUMN b int;"
	cases := map[string]bool{ // SET statement → lock_timeout in force afterwards
		"SET lock_timeout = '5s';":                     true,
		"SET lock_timeout TO 2000;":                    true,
		"SET LOCAL lock_timeout = '1.5min';":           true,
		"SET lock_timeout = 0;":                        false,
		"SET lock_timeout = '0s';":                     false,
		"SET lock_timeout = '5s'; RESET lock_timeout;": false,
		"SET lock_timeout = DEFAULT;":                  false,
		"SET statement_timeout = '5s';":                false,
	}
	for set, ok := range cases {
		got := hazardsOf(t, set+"\n"+add, 16)
		if ok {
			require.Empty(t, got, set)
		} else {
			require.Equal(t, []string{hazardNoLockTimeout.ID}, got, set)
		}
	}
}

func TestVolatileDefaults(t *testing.T) {
	for def, volatile := range map[string]bool{
		"DEFAULT 1":                      false,
		"DEFAULT now()":                  false,
		"DEFAULT CURRENT_TIMESTAMP":      false,
		"DEFAULT '{}'::jsonb":            false,
		"DEFAULT lower('A') || 'b'":      false,
		"DEFAULT random()":               true,
		"DEFAULT gen_random_uuid()":      true,
		"DEFAULT my_func()":              true,
		"DEFAULT (SELECT 1)":             true,
		"GENERATED ALWAYS AS IDENTITY":   true,
		"GENERATED ALWAYS AS (a) STORED": true,
	} {
		got := hazardsOf(t, "SET lock_timeout = '1s'; ALTER TABLE t ADD COLUMN b int "+def+";", 16)
		if volatile {
			require.Equal(t, []string{hazardVolatileDefault.ID}, got, def)
		} else {
			require.Empty(t, got, def)
		}
	}
}

func TestVersionOrder(t *testing.T) {
	src := compat.Source{FS: fstest.MapFS{}}
	parse := func(s string) []uint64 {
		v, err := parseVersion(src, "f", s)
		require.NoError(t, err)
		return v
	}
	require.Negative(t, compareVersions(parse("1.9"), parse("1.10")))
	require.Negative(t, compareVersions(parse("2"), parse("10")))
	require.Negative(t, compareVersions(parse("1"), parse("1.1")))
	require.Zero(t, compareVersions(parse("1_1"), parse("1.1")))
	require.Zero(t, compareVersions(parse("007"), parse("7")))
	_, err := parseVersion(src, "f", "12345678901234567890123")
	require.Error(t, err)
}

func TestPositions(t *testing.T) {
	text := "ab\ncdé\n\nx"
	idx := newLineIndex(text)
	for off, want := range map[int][2]int{0: {1, 1}, 2: {1, 3}, 3: {2, 1}, 7: {2, 5}, 8: {3, 1}, 9: {4, 1}} {
		line, col := idx.position(off)
		require.Equal(t, want, [2]int{line, col}, "offset %d", off)
	}
	require.Equal(t, 4, runeOffset("cdé!", 4)) // é is two bytes
	require.Equal(t, 23, skipSpaceAndComments("  -- x\n/* a /* b */ */ SELECT", 0))
	require.Equal(t, -1, invalidUTF8([]byte("ok é")))
	require.Equal(t, 2, invalidUTF8([]byte("ok\x00")))
	require.Equal(t, 1, invalidUTF8([]byte("o\xff")))
}
