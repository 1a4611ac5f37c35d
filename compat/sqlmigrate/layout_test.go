package sqlmigrate

import (
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLayoutDetection covers the detection rules docs/sql.md lists that the golden
// archives do not show on their own: the marker files and names that decide between the
// directory-per-migration layouts, and a tree that is a Supabase migrations directory
// itself.
func TestLayoutDetection(t *testing.T) {
	sql := &fstest.MapFile{Data: []byte("CREATE TABLE t (id int);\n")}
	tests := []struct {
		name   string
		src    compat.Source
		layout Layout
		inTx   bool
	}{
		{"supabase migrations directory itself", compat.Source{FS: fstest.MapFS{"20240101000000_a.sql": sql}, Name: "project/supabase/migrations"}, LayoutSupabase, true},
		{"prisma without a lock file", compat.Source{FS: fstest.MapFS{"20240101000000_a/migration.sql": sql}}, LayoutPrisma, false},
		{"diesel by metadata.toml", compat.Source{FS: fstest.MapFS{"20240101000000_a/up.sql": sql, "20240101000000_a/metadata.toml": {Data: []byte("run_in_transaction = false\n")}}}, LayoutDiesel, false},
		{"diesel by its setup migration", compat.Source{FS: fstest.MapFS{"00000000000000_diesel_initial_setup/up.sql": sql}}, LayoutDiesel, true},
		{"hasura", compat.Source{FS: fstest.MapFS{"1700000000000_a/up.sql": sql}}, LayoutDirectory, true},
		{"atlas txmode none", compat.Source{FS: fstest.MapFS{
			"20240101000000_a.sql": {Data: []byte("-- atlas:txmode none\n\nCREATE TABLE t (id int);\n")},
			"atlas.sum":            {Data: []byte(atlasSumOf(map[string]string{"20240101000000_a.sql": "-- atlas:txmode none\n\nCREATE TABLE t (id int);\n"}))},
		}}, LayoutAtlas, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			layout, ms, err := loadMigrations(tt.src)
			require.NoError(t, err)
			assert.Equal(t, tt.layout, layout)
			require.Len(t, ms, 1)
			if err := parseMigrations(ms, newParseCache()); err != nil {
				t.Fatal(err)
			}
			assert.Equal(t, tt.inTx, ms[0].inTx, ms[0].txNote)
		})
	}
}

// TestTextVersionOrder checks that diesel, Prisma, Supabase and Atlas versions order as
// their runners compare them: as strings, so a longer version with the same prefix comes
// after, and digits compare one by one.
func TestTextVersionOrder(t *testing.T) {
	assert.Negative(t, compareVersions(textVersion("20190226002946"), textVersion("202606021220080000")))
	assert.Negative(t, compareVersions(textVersion("20260602122008"), textVersion("202606021220080000")))
	assert.Positive(t, compareVersions(textVersion("9"), textVersion("10")), "string order, as diesel compares versions")
}
