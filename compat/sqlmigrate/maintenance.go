package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// hasOption reports whether a list of DefElem options names opt and does not turn it
// off (VACUUM (FULL false) is a plain VACUUM).
func hasOption(opts []*pg_query.Node, opt string) bool {
	for _, n := range opts {
		d := n.GetDefElem()
		if d == nil || d.GetDefname() != opt {
			continue
		}
		arg := d.GetArg()
		if arg == nil {
			return true
		}
		if b := arg.GetBoolean(); b != nil {
			return b.GetBoolval()
		}
		if c := arg.GetAConst(); c != nil {
			if b := c.GetBoolval(); b != nil {
				return b.GetBoolval()
			}
			if iv := c.GetIval(); iv != nil {
				return iv.GetIval() != 0
			}
			if sv := c.GetSval(); sv != nil {
				switch sv.GetSval() {
				case "false", "off", "0", "no":
					return false
				}
			}
		}
		if s := arg.GetString_(); s != nil {
			switch s.GetSval() {
			case "false", "off", "0", "no":
				return false
			}
		}
		return true
	}
	return false
}

// existing reports whether key names a table the released application already uses.
func (r *replayer) existing(key string) bool {
	t, ok := r.cat.tables[key]
	return !ok || !t.created
}

func (r *replayer) vacuum(v *pg_query.VacuumStmt) {
	if !v.GetIsVacuumcmd() {
		return // ANALYZE takes SHARE UPDATE EXCLUSIVE and blocks nothing the application does
	}
	for _, n := range v.GetRels() {
		if key := rangeKey(n.GetVacuumRelation().GetRelation()); key != "" && r.subject == "" {
			r.subject = key
		}
	}
	r.notInTransaction("VACUUM")
	if !hasOption(v.GetOptions(), "full") {
		return
	}
	for _, n := range v.GetRels() {
		key := rangeKey(n.GetVacuumRelation().GetRelation())
		if key == "" || !r.existing(key) {
			continue
		}
		r.lock(key, opVacuumFull)
		r.hazard(nil, hazardMaintenanceRewrite, opVacuumFull, adviceMaintenance,
			"VACUUM FULL rewrites %s under ACCESS EXCLUSIVE", key)
	}
}

func (r *replayer) cluster(c *pg_query.ClusterStmt) {
	if c.GetRelation() == nil {
		return
	}
	key := rangeKey(c.GetRelation())
	if !r.existing(key) {
		return
	}
	r.lock(key, opCluster)
	r.hazard(nil, hazardMaintenanceRewrite, opCluster, adviceMaintenance, "CLUSTER rewrites %s under ACCESS EXCLUSIVE", key)
}

func (r *replayer) reindex(rs *pg_query.ReindexStmt) {
	var key string
	switch rs.GetKind() {
	case pg_query.ReindexObjectType_REINDEX_OBJECT_TABLE:
		key = rangeKey(rs.GetRelation())
	case pg_query.ReindexObjectType_REINDEX_OBJECT_INDEX:
		if ix, ok := r.cat.indexes[rangeKey(rs.GetRelation())]; ok {
			key = ix.table
		} else {
			key = rangeKey(rs.GetRelation())
		}
	default:
		key = rs.GetName()
	}
	if key != "" && r.subject == "" {
		r.subject = key
	}
	concurrently := hasOption(rs.GetParams(), "concurrently")
	if concurrently {
		r.notInTransaction("REINDEX CONCURRENTLY")
	}
	if key == "" || !r.existing(key) {
		return
	}
	switch {
	case concurrently && r.pg < 12:
		r.lock(key, opReindex)
		r.refused(nil, hazardRefused, "", []string{"CREATE INDEX CONCURRENTLY a copy of the index", "DROP INDEX CONCURRENTLY the old one", "rename the copy"},
			"REINDEX CONCURRENTLY does not exist before PostgreSQL 12, so PostgreSQL %d refuses the statement on %s", r.pg, key)
	case concurrently:
		r.lock(key, opReindexConcurrently)
	default:
		r.lock(key, opReindex)
		advice := []string{"use REINDEX CONCURRENTLY, outside a transaction"}
		if r.pg < 12 {
			advice = []string{"CREATE INDEX CONCURRENTLY a copy of the index", "DROP INDEX CONCURRENTLY the old one", "rename the copy"}
		}
		r.hazard(nil, hazardReindex, opReindex, advice, "REINDEX blocks writes to %s while it rebuilds", key)
	}
}
