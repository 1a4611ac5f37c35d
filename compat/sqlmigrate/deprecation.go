package sqlmigrate

import (
	"regexp"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// A deprecation is the expand step of expand–contract written as a comment: a released
// migration says, in COMMENT ON COLUMN or COMMENT ON TABLE, that the object is on its
// way out, and a later release may drop it. Two rules keep that honest:
//
//   - only a released comment counts: one written in the change set (the same
//     unreleased change as the drop) announced nothing to anyone;
//   - the comment must be a marker, not merely contain the word: its text, after leading
//     white space, starts with "deprecated" or "@deprecated" as a whole word, in any
//     letter case ("deprecated", "DEPRECATED: use full_name", "@deprecated since 4.2",
//     "Deprecated."). "Not deprecated: still required", "was deprecated" and
//     "deprecatedness" are not markers.

// reDeprecated matches a deprecation marker at the start of a comment.
var reDeprecated = regexp.MustCompile(`(?i)^\s*@?deprecated\b`)

// isDeprecationMarker reports whether a comment's text marks its object deprecated.
func isDeprecationMarker(comment string) bool {
	return reDeprecated.MatchString(comment)
}

// deprecation is the released comment that marked an object deprecated.
type deprecation struct {
	text string
}

// comment records COMMENT ON TABLE and COMMENT ON COLUMN of released migrations: a
// marker deprecates the object, any other text (or IS NULL) takes a deprecation back.
// Comments of the change set change nothing: they were not released.
func (r *replayer) comment(c *pg_query.CommentStmt) {
	if r.emit {
		return
	}
	var dep *deprecation
	if isDeprecationMarker(c.GetComment()) {
		dep = &deprecation{text: c.GetComment()}
	}
	switch c.GetObjtype() {
	case pg_query.ObjectType_OBJECT_TABLE:
		if t, ok := r.cat.tables[nameList(c.GetObject().GetList().GetItems())]; ok {
			t.deprecated = dep
		}
	case pg_query.ObjectType_OBJECT_COLUMN:
		items := c.GetObject().GetList().GetItems()
		if len(items) < 2 {
			return
		}
		t, ok := r.cat.tables[nameList(items[:len(items)-1])]
		if !ok {
			return
		}
		if col, ok := t.byName[items[len(items)-1].GetString_().GetSval()]; ok {
			col.deprecated = dep
		}
	}
}
