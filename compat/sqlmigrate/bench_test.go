package sqlmigrate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
)

// benchTrees builds n released migrations of about 4 KiB each and a change set of ten
// more: tables with many columns, indexes, constraints, column changes and backfills,
// so replay touches every part of the catalog.
func benchTrees(n int) (old, new fstest.MapFS, size int) {
	old, new = fstest.MapFS{}, fstest.MapFS{}
	mig := func(i int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "-- migration %d\nSET lock_timeout = '5s';\n", i)
		fmt.Fprintf(&b, "CREATE TABLE t%d (\n    id bigint PRIMARY KEY,\n", i)
		for c := 0; c < 40; c++ {
			fmt.Fprintf(&b, "    c%d varchar(%d) DEFAULT 'x',\n", c, 10+c)
		}
		fmt.Fprintf(&b, "    created_at timestamptz NOT NULL DEFAULT now()\n);\n")
		fmt.Fprintf(&b, "CREATE INDEX t%d_c1_idx ON t%d (c1);\n", i, i)
		if i > 0 {
			fmt.Fprintf(&b, "ALTER TABLE t%d ADD COLUMN ref bigint REFERENCES t%d (id);\n", i, i-1)
			fmt.Fprintf(&b, "ALTER TABLE t%d ALTER COLUMN c2 TYPE varchar(200);\n", i-1)
			fmt.Fprintf(&b, "UPDATE t%d SET c3 = c4 WHERE c3 IS NULL;\n", i-1)
			fmt.Fprintf(&b, "COMMENT ON COLUMN t%d.c5 IS 'deprecated';\n", i-1)
		}
		return b.String()
	}
	for i := 0; i < n; i++ {
		data := []byte(mig(i))
		size += len(data)
		name := fmt.Sprintf("%06d_m.up.sql", i)
		old[name] = &fstest.MapFile{Data: data}
		new[name] = &fstest.MapFile{Data: data}
	}
	for i := n; i < n+10; i++ {
		data := []byte(mig(i) + fmt.Sprintf("ALTER TABLE t%d DROP COLUMN c5;\nALTER TABLE t%d ALTER COLUMN c6 SET NOT NULL;\n", i-5, i-6))
		size += len(data)
		new[fmt.Sprintf("%06d_m.up.sql", i)] = &fstest.MapFile{Data: data}
	}
	return old, new, size
}

// BenchmarkCompare compares a thousand released migrations plus ten new ones that touch a
// handful of tables: the common case, where only the released migrations naming those
// tables are parsed and replayed.
func BenchmarkCompare(b *testing.B) {
	old, new, size := benchTrees(1000)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		r, err := Compare(ctx, compat.Source{FS: old, Name: "old"}, compat.Source{FS: new, Name: "new"}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkCompareFullReplay is BenchmarkCompare with a change set that names every
// table (a view over all of them), so every released migration must be parsed and
// replayed: the worst case of a long history.
func BenchmarkCompareFullReplay(b *testing.B) {
	old, new, size := benchTrees(1000)
	var tables []string
	for i := 0; i < 1000; i++ {
		tables = append(tables, fmt.Sprintf("SELECT id FROM t%d", i))
	}
	view := []byte("CREATE VIEW every_id AS " + strings.Join(tables, " UNION ALL ") + ";\n")
	new["009999_view.up.sql"] = &fstest.MapFile{Data: view}
	b.SetBytes(int64(size + len(view)))
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		r, err := Compare(ctx, compat.Source{FS: old, Name: "old"}, compat.Source{FS: new, Name: "new"}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
