package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// Data statements (INSERT, UPDATE, DELETE) change no schema; the replayer reads them only
// for the expand step of expand–contract (see update and insert) and for the mistakes
// PostgreSQL refuses whatever the data.

// duplicateTarget returns the first column an INSERT column list or an UPDATE SET list
// names twice where PostgreSQL refuses it ("multiple assignments to same column",
// "column specified more than once"): the same column twice, unless both assignments go
// through a subscript or a field (SET a[1] = x, a[2] = y is allowed).
func duplicateTarget(targets []*pg_query.Node) string {
	whole := map[string]bool{}
	parts := map[string]bool{}
	for _, n := range targets {
		rt := n.GetResTarget()
		if rt == nil || rt.GetName() == "" {
			continue
		}
		name := rt.GetName()
		partial := len(rt.GetIndirection()) > 0
		if whole[name] || (!partial && parts[name]) {
			return name
		}
		if partial {
			parts[name] = true
		} else {
			whole[name] = true
		}
	}
	return ""
}

// checkTargets reports a column assigned twice in the current INSERT or UPDATE.
func (r *replayer) checkTargets(targets []*pg_query.Node, what string) {
	if !r.emit {
		return
	}
	if col := duplicateTarget(targets); col != "" {
		r.refused(nil, hazardRefused, "", []string{"assign each column once per statement"},
			"%s assigns column %s more than once, which PostgreSQL refuses", what, col)
	}
}
