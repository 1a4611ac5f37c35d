package sqlmigrate

import (
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// catalog models the schema the migrations build: what replaying the baseline creates,
// and then what each statement of the change set finds when it runs. It knows only what
// the migrations say; objects a migration refers to without creating (made by an
// extension, a DO block or outside the migrations) are added on first use as existing
// objects with unknown details.
type catalog struct {
	tables  map[string]*table
	views   map[string]*view
	types   map[string]*enumType
	indexes map[string]*index
	// sequences and otherTypes (domains, composite and range types) are known by name
	// only, so that DO block guards asking whether they exist can be decided.
	sequences  map[string]bool
	otherTypes map[string]bool
	domains    map[string]*domain
	// opaque is set once the replay met a schema change it could not read (a DO block
	// left undecided): from then on the absence of an object proves nothing.
	opaque bool
}

func newCatalog() *catalog {
	return &catalog{
		tables:     map[string]*table{},
		views:      map[string]*view{},
		types:      map[string]*enumType{},
		indexes:    map[string]*index{},
		sequences:  map[string]bool{},
		otherTypes: map[string]bool{},
		domains:    map[string]*domain{},
	}
}

// object is what every catalog entry knows about itself.
type object struct {
	// key is the schema-qualified name with "public." dropped, so public.t and t are one
	// object; it is also the subject findings use.
	key string
	// created marks objects the change set created: no released application reads or
	// writes them, so changing them is free.
	created bool
	// pos is where the object was defined, in the tree that defined it.
	pos *compat.Position
}

type table struct {
	object
	// replacedBy names a table a released migration filled from this one
	// (INSERT INTO new SELECT ... FROM old), and deprecated holds the released COMMENT ON
	// TABLE that marked it deprecated: either marks the expand step of expand–contract.
	replacedBy string
	deprecated *deprecation
	cols       []*column
	byName     map[string]*column
	cons       map[string]*constraint
	// complete is set for tables a replayed CREATE TABLE defined column by column: every
	// column and constraint they have is in the catalog, so a missing one does not exist.
	complete bool
	// partitioned is set for a table declared PARTITION BY; partitionOf names the
	// partitioned table this one is a partition of.
	partitioned bool
	partitionOf string
}

type column struct {
	name    string
	typ     typeRef
	notNull bool
	def     *pg_query.Node
	created bool
	pos     *compat.Position
	// deprecated holds the released COMMENT ON COLUMN that marked it deprecated.
	deprecated *deprecation
	identity   bool
	// replacedBy names a column that a released migration filled from this one
	// (UPDATE t SET new = f(old)): the expand step of expand–contract.
	replacedBy string
	// typeKnown is false for columns met without a definition.
	typeKnown bool
}

type view struct {
	object
	materialized bool
}

type enumType struct {
	object
	values []string
	// complete is set when a replayed CREATE TYPE defined the labels.
	complete bool
}

type index struct {
	object
	table  string
	unique bool
}

// qualify turns a schema and a name into a catalog key; the public schema is the
// default search path, so it is dropped.
func qualify(schema, name string) string {
	if schema == "" || schema == "public" || schema == "pg_catalog" {
		return name
	}
	return schema + "." + name
}

func rangeKey(rv *pg_query.RangeVar) string {
	return qualify(rv.GetSchemaname(), rv.GetRelname())
}

// nameList turns a list of String nodes (schema, name) into a key.
func nameList(nodes []*pg_query.Node) string {
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		parts = append(parts, n.GetString_().GetSval())
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	default:
		return qualify(strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1])
	}
}

// colKey is the object key of a column, used to net out findings about a column the
// change set both added and dropped.
func colKey(t, c string) string { return t + "\x00" + c }

// subject names a column in findings: table.column.
func colSubject(t, c string) string { return t + "." + c }

// table returns the table named key, creating an unknown existing one on first use.
func (c *catalog) table(key string) *table {
	t, ok := c.tables[key]
	if !ok {
		t = &table{object: object{key: key}, byName: map[string]*column{}, cons: map[string]*constraint{}}
		c.tables[key] = t
	}
	return t
}

// column returns the column of t named name, creating an unknown existing one on
// first use.
func (t *table) column(name string) *column {
	col, ok := t.byName[name]
	if !ok {
		col = &column{name: name}
		t.byName[name] = col
		t.cols = append(t.cols, col)
	}
	return col
}

func (t *table) addColumn(col *column) {
	if old, ok := t.byName[col.name]; ok {
		t.removeColumn(old.name)
	}
	t.byName[col.name] = col
	t.cols = append(t.cols, col)
}

func (t *table) removeColumn(name string) {
	delete(t.byName, name)
	for i, c := range t.cols {
		if c.name == name {
			t.cols = append(t.cols[:i], t.cols[i+1:]...)
			break
		}
	}
	for key, con := range t.cons {
		for _, cn := range con.cols {
			if cn == name {
				delete(t.cons, key)
				break
			}
		}
	}
}

func (t *table) renameColumn(from, to string) {
	col, ok := t.byName[from]
	if !ok {
		return
	}
	delete(t.byName, from)
	col.name = to
	t.byName[to] = col
	for _, con := range t.cons {
		for i, cn := range con.cols {
			if cn == from {
				con.cols[i] = to
			}
		}
		if con.notNullCol == from {
			con.notNullCol = to
		}
	}
}

// hasValidNotNullCheck reports whether a validated CHECK (col IS NOT NULL) exists, which
// lets PostgreSQL 12 and later skip the scan of SET NOT NULL.
func (t *table) hasValidNotNullCheck(col string) bool {
	for _, con := range t.cons {
		if con.kind == conCheck && con.valid && con.notNullCol == col {
			return true
		}
	}
	return false
}
