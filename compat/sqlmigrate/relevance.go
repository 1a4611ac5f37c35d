package sqlmigrate

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Parsing dominates the cost of a comparison, and a long history mostly creates and
// alters objects the change set never touches. So only the released migrations that can
// affect what the change set touches are parsed and replayed: those whose text mentions,
// as a whole word, the name of a table, view, index, type or constraint the change set
// names. Renames in those migrations add their old names, and the search repeats until
// nothing new is found, so an object's whole history is replayed under all its names.
// An object whose history is skipped is one the change set never names, so its state
// cannot change any finding.

// defaultNameSuffixes are the suffixes PostgreSQL gives generated index and constraint
// names (users_email_idx); the words before them name the table.
var defaultNameSuffixes = []string{"_idx", "_key", "_pkey", "_fkey", "_check", "_excl", "_not_null"}

// names is a set of lower-cased identifiers.
type names map[string]bool

// add records an identifier, and for a generated-looking name (users_email_idx) every
// underscore-separated prefix before its suffix (users_email, users), one of which is the
// table name that appears where the object was created.
func (n names) add(id string) bool {
	id = strings.ToLower(id)
	if id == "" || n[id] {
		return false
	}
	n[id] = true
	for _, suffix := range defaultNameSuffixes {
		if base, ok := strings.CutSuffix(id, suffix); ok {
			for base != "" {
				n[base] = true
				i := strings.LastIndexByte(base, '_')
				if i < 0 {
					break
				}
				base = base[:i]
			}
			break
		}
	}
	return true
}

// objectNames adds the names of the relations, indexes, types and constraints a
// statement refers to. Column names are left out: a column always appears beside its
// table's name, and words such as "id" are in every migration.
func objectNames(n *pg_query.Node, into names) bool {
	grew := false
	addAll := func(nodes []*pg_query.Node) {
		for _, x := range nodes {
			if s := x.GetString_(); s != nil {
				grew = into.add(s.GetSval()) || grew
			}
			if l := x.GetList(); l != nil {
				for _, y := range l.GetItems() {
					if s := y.GetString_(); s != nil {
						grew = into.add(s.GetSval()) || grew
					}
				}
			}
			if tn := x.GetTypeName(); tn != nil {
				for _, y := range tn.GetNames() {
					grew = into.add(y.GetString_().GetSval()) || grew
				}
			}
		}
	}
	walk(n, func(m protoreflect.Message) bool {
		switch x := m.Interface().(type) {
		case *pg_query.RangeVar:
			grew = into.add(x.GetRelname()) || grew
			grew = into.add(x.GetSchemaname()) || grew
		case *pg_query.IndexStmt:
			grew = into.add(x.GetIdxname()) || grew
		case *pg_query.Constraint:
			grew = into.add(x.GetConname()) || grew
			grew = into.add(x.GetIndexname()) || grew
		case *pg_query.DropStmt:
			addAll(x.GetObjects())
		case *pg_query.RenameStmt:
			grew = into.add(x.GetNewname()) || grew
			if x.GetRenameType() != pg_query.ObjectType_OBJECT_COLUMN {
				grew = into.add(x.GetSubname()) || grew
			}
			if x.GetObject() != nil {
				addAll([]*pg_query.Node{x.GetObject()})
			}
		case *pg_query.AlterEnumStmt:
			addAll(x.GetTypeName())
		case *pg_query.CreateEnumStmt:
			addAll(x.GetTypeName())
		case *pg_query.CommentStmt:
			items := x.GetObject().GetList().GetItems()
			if x.GetObjtype() == pg_query.ObjectType_OBJECT_COLUMN && len(items) > 0 {
				items = items[:len(items)-1] // the column itself
			}
			addAll(items)
		case *pg_query.ReindexStmt:
			grew = into.add(x.GetName()) || grew
		case *pg_query.ClusterStmt:
			grew = into.add(x.GetIndexname()) || grew
		case *pg_query.AlterTableCmd:
			if x.GetSubtype() == pg_query.AlterTableType_AT_DropConstraint ||
				x.GetSubtype() == pg_query.AlterTableType_AT_ValidateConstraint {
				grew = into.add(x.GetName()) || grew
			}
		}
		return true
	})
	return grew
}

// renameNames adds the names on both sides of every rename in stmts.
func renameNames(stmts []*statement, into names) bool {
	grew := false
	for _, s := range stmts {
		if s.node.GetRenameStmt() != nil || (s.node.GetAlterEnumStmt() != nil && s.node.GetAlterEnumStmt().GetOldVal() != "") {
			grew = objectNames(s.node, into) || grew
		}
		grew = doNames(s.do, into, true) || grew
	}
	return grew
}

// mentions reports whether text contains one of the names as a whole identifier word
// (letters, digits, '_' and '$'), ignoring case.
func mentions(text string, want names) bool {
	start := -1
	for i := 0; i <= len(text); i++ {
		c := byte(0)
		if i < len(text) {
			c = text[i]
		}
		word := c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
		switch {
		case word && start < 0:
			start = i
		case !word && start >= 0:
			if w := text[start:i]; len(w) <= 128 && want[strings.ToLower(w)] {
				return true
			}
			start = -1
		}
	}
	return false
}

// relevantBaseline parses the released migrations that can affect the change set and
// returns them in runner order.
func relevantBaseline(olds []*migration, changes []changeItem, cache *parseCache) ([]*migration, error) {
	if len(olds) == 0 {
		return nil, nil // a first migration: nothing released to search
	}
	want := names{}
	for _, c := range changes {
		for _, s := range c.stmts {
			objectNames(s.node, want)
			doNames(s.do, want, false)
		}
	}
	relevant := make([]bool, len(olds))
	for {
		var batch []*migration
		for i, m := range olds {
			if !relevant[i] && mentions(m.text, want) {
				relevant[i] = true
				batch = append(batch, m)
			}
		}
		if len(batch) == 0 {
			break
		}
		if err := parseMigrations(batch, cache); err != nil {
			return nil, err
		}
		grew := false
		for _, m := range batch {
			grew = renameNames(m.stmts, want) || grew
		}
		if !grew {
			break
		}
	}
	var out []*migration
	for i, m := range olds {
		if relevant[i] || m.parsed {
			out = append(out, m)
		}
	}
	return out, nil
}
