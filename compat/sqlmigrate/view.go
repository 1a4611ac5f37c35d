package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleViewAdded = compat.Register(compat.Rule{
	ID: "VIEW_ADDED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A view is added",
	Why:   "The released application does not query a view it does not know, so nothing it does changes.",
	Old:   "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);",
	New:   "CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 1000;",
	Safe:  "Nothing to sequence: add the view in any release.",
})

var ruleViewReplaced = compat.Register(compat.Rule{
	ID: "VIEW_REPLACED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "An existing view is redefined with CREATE OR REPLACE",
	Why: "PostgreSQL only lets CREATE OR REPLACE VIEW keep every existing column with its type and append " +
		"new ones, so the released application's queries keep their shape; what rows the view returns may " +
		"change, which is a matter of meaning, not of shape.",
	Old:  "CREATE VIEW active_users AS SELECT id FROM users WHERE active;",
	New:  "CREATE OR REPLACE VIEW active_users AS SELECT id, email FROM users WHERE active;",
	Safe: "Nothing to sequence for the shape; review the new definition's meaning.",
})

var ruleViewDropped = compat.Register(compat.Rule{
	ID: "VIEW_DROPPED", Kind: compat.KindSQL,
	Title: "A view is dropped",
	Why:   "The released application may still query the view during the rollout and after a rollback, so B fails.",
	Old:   "CREATE VIEW active_users AS SELECT id FROM users WHERE active;",
	New:   "DROP VIEW active_users;",
	Safe:  "Release application code that no longer queries the view, then drop it in a later release.",
})

var ruleViewRenamed = compat.Register(compat.Rule{
	ID: "VIEW_RENAMED", Kind: compat.KindSQL,
	Title: "A view is renamed",
	Why:   "The released application queries the view by its old name, which no longer exists, so B fails.",
	Old:   "CREATE VIEW active_users AS SELECT id FROM users WHERE active;",
	New:   "ALTER VIEW active_users RENAME TO live_users;",
	Safe:  "Create the view under the new name beside the old one, switch the application, and drop the old view in a later release.",
})

var adviceDropView = []string{
	"release application code that no longer queries the view",
	"drop the view in a migration of a later release",
}

var adviceRenameView = []string{
	"create a second view under the new name with the same definition",
	"release code that queries the new name",
	"drop the old view in a later release",
}

func (r *replayer) createView(vs *pg_query.ViewStmt) {
	r.addView(rangeKey(vs.GetView()), false, vs.GetReplace())
}

func (r *replayer) addView(key string, materialized, replace bool) {
	if v, ok := r.cat.views[key]; ok && replace {
		if !v.created {
			r.report(ruleViewReplaced, key, "", v.pos, nil, "view %s is redefined", key)
		}
		return
	}
	r.cat.views[key] = &view{object: object{key: key, created: r.emit, pos: r.pos()}, materialized: materialized}
	r.report(ruleViewAdded, key, key, nil, nil, "view %s is added", key)
}

func (r *replayer) dropView(key string, missingOK bool) {
	v, ok := r.cat.views[key]
	if !ok && missingOK {
		return
	}
	delete(r.cat.views, key)
	if ok && v.created {
		r.netOut(key)
		return
	}
	var pos *compat.Position
	if ok {
		pos = v.pos
	}
	r.report(ruleViewDropped, key, "", pos, adviceDropView, "view %s is dropped while the released application may still query it", key)
}

func (r *replayer) renameView(from, to string) {
	v, ok := r.cat.views[from]
	if !ok {
		v = &view{object: object{key: from}}
	}
	delete(r.cat.views, from)
	v.key = to
	r.cat.views[to] = v
	if v.created {
		return
	}
	r.report(ruleViewRenamed, from, "", v.pos, adviceRenameView, "view %s is renamed to %s while the released application still uses the old name", from, to)
}
