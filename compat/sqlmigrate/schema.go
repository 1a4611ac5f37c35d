package sqlmigrate

import (
	"context"
	"fmt"
	"sort"

	"github.com/compatcheck/compatcheck/compat"
)

// Schema is what replaying every migration of a tree builds, reduced to what Go code
// that writes SQL needs to know: the enum types with their labels, and the column types
// of each table. It is the catalog Compare replays, exported so that the analyzers in
// analyzers/ judge constant SQL against the same model as the CLI.
type Schema struct {
	// Enums are the enum types, ordered by name.
	Enums []Enum
	// Tables are the tables, ordered by name.
	Tables []Table
}

// Enum is an enum type and its labels in declaration order.
type Enum struct {
	// Name is the type's key as findings name it: schema-qualified unless the schema is
	// public ("order_status", "billing.plan").
	Name   string
	Labels []string
	// Pos is where the type was created, relative to the tree's root; nil when a
	// migration altered a type it did not create.
	Pos *compat.Position
}

// Table is a table and its columns in table order.
type Table struct {
	// Name is the table's key, qualified as Enum.Name is.
	Name    string
	Columns []Column
}

// Column is one column of a table.
type Column struct {
	Name string
	// Type is the column's type name as the catalog holds it: an enum's key, a canonical
	// built-in name ("int8", "text"), with "[]" appended per array dimension; empty when a
	// migration used the column without defining it.
	Type string
}

// Enum returns the enum type named name, or nil.
func (s *Schema) Enum(name string) *Enum {
	i := sort.Search(len(s.Enums), func(i int) bool { return s.Enums[i].Name >= name })
	if i < len(s.Enums) && s.Enums[i].Name == name {
		return &s.Enums[i]
	}
	return nil
}

// Table returns the table named name, or nil.
func (s *Schema) Table(name string) *Table {
	i := sort.Search(len(s.Tables), func(i int) bool { return s.Tables[i].Name >= name })
	if i < len(s.Tables) && s.Tables[i].Name == name {
		return &s.Tables[i]
	}
	return nil
}

// ReadSchema replays every migration of src, in its runner's order, and returns the
// schema they build. It reads the layouts Compare reads; errors are positioned
// *compat.Error values.
func ReadSchema(ctx context.Context, src compat.Source) (schema *Schema, err error) {
	defer func() {
		if p := recover(); p != nil {
			schema = nil
			err = &compat.Error{Msg: fmt.Sprintf("internal error (please report): %v", p)}
		}
	}()
	cat, err := replayAll(ctx, src)
	if err != nil {
		return nil, err
	}
	out := &Schema{}
	for key, e := range cat.types {
		out.Enums = append(out.Enums, Enum{Name: key, Labels: append([]string(nil), e.values...), Pos: e.pos})
	}
	sort.Slice(out.Enums, func(i, j int) bool { return out.Enums[i].Name < out.Enums[j].Name })
	for key, t := range cat.tables {
		tt := Table{Name: key}
		for _, c := range t.cols {
			typ := ""
			if c.typeKnown {
				typ = c.typ.name
				for range c.typ.array {
					typ += "[]"
				}
			}
			tt.Columns = append(tt.Columns, Column{Name: c.name, Type: typ})
		}
		out.Tables = append(out.Tables, tt)
	}
	sort.Slice(out.Tables, func(i, j int) bool { return out.Tables[i].Name < out.Tables[j].Name })
	return out, nil
}

// ColumnTypes replays every migration of src and returns the type of each column of the
// schema they build, keyed by "table.column" as findings name columns ("int4",
// "varchar(100)", "text[]"). Columns whose type the migrations never state are left out.
//
// A single comparison sees a column dropped in one migration and added again in a later
// one as two changes; compatcheck history asks for the types on both sides to tell a
// column re-added as it was from one that comes back with another type, which the data
// and the code of the release that had it cannot read.
func ColumnTypes(ctx context.Context, src compat.Source) (map[string]string, error) {
	cat, err := replayAll(ctx, src)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, t := range cat.tables {
		for _, c := range t.cols {
			if c.typeKnown {
				out[colSubject(t.key, c.name)] = c.typ.String()
			}
		}
	}
	return out, nil
}

// replayAll loads, parses and replays every migration of src, in its runner's order, and
// returns the catalog they build.
func replayAll(ctx context.Context, src compat.Source) (*catalog, error) {
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
	return r.cat, nil
}
