package sqlmigrate

import (
	"context"

	"github.com/compatcheck/compatcheck/compat"
)

// ColumnTypes replays every migration of src and returns the type of each column of the
// schema they build, keyed by "table.column" as findings name columns ("int4",
// "varchar(100)", "text[]"). Columns whose type the migrations never state are left out.
//
// A single comparison sees a column dropped in one migration and added again in a later
// one as two changes; compatcheck history asks for the types on both sides to tell a
// column re-added as it was from one that comes back with another type, which the data
// and the code of the release that had it cannot read.
func ColumnTypes(ctx context.Context, src compat.Source) (map[string]string, error) {
	_, ms, err := loadMigrations(src, "")
	if err != nil {
		return nil, err
	}
	if err := parseMigrations(ms, newParseCache()); err != nil {
		return nil, err
	}
	r := &replayer{cat: newCatalog(), pg: DefaultPGVersion}
	for _, m := range ms {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.beginMigration(m)
		for _, s := range m.stmts {
			r.apply(s)
		}
	}
	out := map[string]string{}
	for _, t := range r.cat.tables {
		for _, c := range t.cols {
			if c.typeKnown {
				out[colSubject(t.key, c.name)] = c.typ.String()
			}
		}
	}
	return out, nil
}
