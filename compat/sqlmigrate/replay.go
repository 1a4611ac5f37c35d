package sqlmigrate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// replayer applies statements to the catalog. Replaying the baseline only builds the
// catalog; replaying the change set (emit set) also reports what each statement changes
// for the released application and the hazards of running it.
type replayer struct {
	cat  *catalog
	pg   int
	emit bool

	m *migration
	s *statement
	// inTx is whether the current statement runs inside a transaction block.
	inTx bool
	// explicitTx is set between an explicit BEGIN and its COMMIT or ROLLBACK.
	explicitTx bool
	// lockTimeout is set once the migration has set a non-zero lock_timeout.
	lockTimeout bool

	findings []*pending
	stmtState
	// doDepth counts the DO blocks the current statement runs in; plMaybe is set once a
	// DO block passed a RETURN or EXIT that may or may not be taken.
	doDepth int
	plMaybe bool
	// txCounter numbers transactions; migrationTx is the runner's transaction of the
	// current migration, explicitID the one its BEGIN opened, beginAt that BEGIN.
	txCounter, migrationTx, explicitID int
	beginAt                            *statement
}

// stmtState is what the replayer gathers about the statement it is applying.
type stmtState struct {
	stmtStart   int
	stmtHazards []compat.Hazard
	strongest   map[string]string // existing table → strongest lock taken
	subject     string            // carrier subject for hazards without a finding
}

// pending is a finding that may still be netted out by a later statement of the change
// set (a column added and then dropped again).
type pending struct {
	f       compat.Finding
	obj     string
	dropped bool
}

// beginMigration resets the per-migration state.
func (r *replayer) beginMigration(m *migration) {
	r.m = m
	r.explicitTx = false
	r.lockTimeout = false
	r.beginAt = nil
	r.txCounter++
	r.migrationTx = r.txCounter
}

// apply replays one statement.
func (r *replayer) apply(s *statement) {
	r.s = s
	r.inTx = r.m.inTx || r.explicitTx
	if r.m.tx == txSupabase && !r.explicitTx && supabaseRunsAlone(s.node) {
		r.inTx = false
	}
	r.stmtState = stmtState{stmtStart: len(r.findings), stmtHazards: r.stmtHazards[:0], strongest: map[string]string{}}
	r.dispatch(s.node)
	if r.emit {
		r.finishStatement()
	}
}

func (r *replayer) dispatch(n *pg_query.Node) {
	switch {
	case n.GetCreateStmt() != nil:
		r.createTable(n.GetCreateStmt())
	case n.GetCreateTableAsStmt() != nil:
		r.createTableAs(n.GetCreateTableAsStmt())
	case n.GetAlterTableStmt() != nil:
		r.alterTable(n.GetAlterTableStmt())
	case n.GetRenameStmt() != nil:
		r.rename(n.GetRenameStmt())
	case n.GetDropStmt() != nil:
		r.drop(n.GetDropStmt())
	case n.GetIndexStmt() != nil:
		r.createIndex(n.GetIndexStmt())
	case n.GetViewStmt() != nil:
		r.createView(n.GetViewStmt())
	case n.GetCreateEnumStmt() != nil:
		r.createEnum(n.GetCreateEnumStmt())
	case n.GetAlterEnumStmt() != nil:
		r.alterEnum(n.GetAlterEnumStmt())
	case n.GetCommentStmt() != nil:
		r.comment(n.GetCommentStmt())
	case n.GetUpdateStmt() != nil:
		r.update(n.GetUpdateStmt())
	case n.GetInsertStmt() != nil:
		r.insert(n.GetInsertStmt())
	case n.GetTransactionStmt() != nil:
		r.transaction(n.GetTransactionStmt())
	case n.GetVariableSetStmt() != nil:
		r.setVariable(n.GetVariableSetStmt())
	case n.GetVacuumStmt() != nil:
		r.vacuum(n.GetVacuumStmt())
	case n.GetClusterStmt() != nil:
		r.cluster(n.GetClusterStmt())
	case n.GetReindexStmt() != nil:
		r.reindex(n.GetReindexStmt())
	case n.GetDoStmt() != nil:
		r.doBlock()
	case n.GetDropdbStmt() != nil:
		r.dropDatabase(n.GetDropdbStmt())
	case n.GetCreateSeqStmt() != nil:
		r.cat.sequences[rangeKey(n.GetCreateSeqStmt().GetSequence())] = true
	case n.GetCompositeTypeStmt() != nil:
		r.cat.otherTypes[rangeKey(n.GetCompositeTypeStmt().GetTypevar())] = true
	case n.GetCreateRangeStmt() != nil:
		r.cat.otherTypes[nameList(n.GetCreateRangeStmt().GetTypeName())] = true
	case n.GetCreateDomainStmt() != nil:
		r.createDomain(n.GetCreateDomainStmt())
	case n.GetTruncateStmt() != nil:
		r.truncate(n.GetTruncateStmt())
	case n.GetAlterDomainStmt() != nil:
		r.alterDomain(n.GetAlterDomainStmt())
	case databaseCommand(n) != "":
		r.notInTransaction(databaseCommand(n))
	}
}

// pos is the position of the current statement.
func (r *replayer) pos() *compat.Position {
	return compat.Pos(r.m.file, r.s.line, r.s.col)
}

// report records a finding of the current statement. obj names the object the finding
// is about, so that a later drop of an object the change set created can net it out.
func (r *replayer) report(rule *compat.Rule, subject, obj string, old *compat.Position, advice []string, format string, args ...any) *pending {
	if !r.emit {
		return nil
	}
	f := rule.Findingf(subject, format, args...)
	f.New = r.pos()
	if old != nil {
		p := *old
		f.Old = &p
	}
	f.Advice = advice
	if d, ok := r.s.ignore[rule.ID]; ok {
		d.used = true
		f.Suppressed = d.Reason
	}
	p := &pending{f: f, obj: obj}
	r.findings = append(r.findings, p)
	return p
}

// hazard records a hazard of the current statement on p, or on the statement's first
// finding when p is nil. A hazard named by an ignore directive is left out.
func (r *replayer) hazard(p *pending, rule *compat.Rule, op lockOp, advice []string, format string, args ...any) {
	r.addHazard(p, rule, op, false, advice, format, args...)
}

// refused records a hazard of a statement PostgreSQL refuses as written: the migration
// fails when it is applied, so the finding that carries it fails every policy.
func (r *replayer) refused(p *pending, rule *compat.Rule, op lockOp, advice []string, format string, args ...any) {
	r.addHazard(p, rule, op, true, advice, format, args...)
}

func (r *replayer) addHazard(p *pending, rule *compat.Rule, op lockOp, rejected bool, advice []string, format string, args ...any) {
	if !r.emit {
		return
	}
	if r.ignored(rule.ID) {
		return
	}
	var row lockRow
	if op != "" {
		row = lockFor(op)
	}
	h := rule.HazardOf(fmt.Sprintf(format, args...), row.lock, row.rewrites, row.scans)
	h.Advice = advice
	h.Rejected = rejected
	if p != nil {
		p.f.Hazards = append(p.f.Hazards, h)
		return
	}
	r.stmtHazards = append(r.stmtHazards, h)
}

// lock records that the statement takes op's lock on an existing table.
func (r *replayer) lock(tableKey string, op lockOp) {
	if r.subject == "" {
		r.subject = tableKey
	}
	lock := lockFor(op).lock
	if lockRank[lock] > lockRank[r.strongest[tableKey]] {
		r.strongest[tableKey] = lock
	}
}

// finishStatement adds the statement-level hazards: ACCESS EXCLUSIVE without a
// lock_timeout, then places hazards that have no finding of their own.
func (r *replayer) finishStatement() {
	if !r.lockTimeout {
		for _, key := range slices.Sorted(maps.Keys(r.strongest)) {
			if r.strongest[key] != lockAccessExclusive {
				continue
			}
			if r.ignored(hazardNoLockTimeout.ID) {
				break
			}
			h := hazardNoLockTimeout.HazardOf(
				"the statement waits for ACCESS EXCLUSIVE on "+key+" with no lock_timeout set earlier in the migration, queueing every query on the table behind it",
				lockAccessExclusive, false, false)
			h.Advice = adviceLockTimeout
			r.stmtHazards = append(r.stmtHazards, h)
		}
	}
	if len(r.stmtHazards) == 0 {
		return
	}
	var target *pending
	for _, p := range r.findings[r.stmtStart:] {
		if !p.dropped {
			target = p
			break
		}
	}
	if target == nil {
		switch {
		case r.subject == "":
			target = r.report(ruleMaintenanceRun, "database", "", nil, nil, "%s runs on the whole database", statementName(r.s.node))
		case r.s.node.GetTransactionStmt() != nil:
			target = r.report(ruleMaintenanceRun, r.subject, "", nil, nil, "BEGIN in %s changes no schema, but changes how the migration runs", r.subject)
		case r.s.node.GetAlterTableStmt() != nil:
			target = r.report(ruleMaintenanceRun, r.subject, "", nil, nil, "ALTER TABLE changes nothing in %s that the released application uses, but still locks the table", r.subject)
		default:
			target = r.report(ruleMaintenanceRun, r.subject, "", nil, nil, "%s runs on %s", statementName(r.s.node), r.subject)
		}
	}
	target.f.Hazards = append(target.f.Hazards, r.stmtHazards...)
}

// netOut drops the pending findings about an object the change set created and now
// removes again: for the released application nothing happened.
func (r *replayer) netOut(obj string) {
	for _, p := range r.findings {
		if p.obj != obj && !strings.HasPrefix(p.obj, obj+"\x00") {
			continue
		}
		if len(p.f.Hazards) == 0 {
			p.dropped = true
			continue
		}
		// The change nets out, but running the statement still locks, rewrites or fails:
		// its hazards stay, on an additive carrier at the same place.
		f := ruleMaintenanceRun.Findingf(p.f.Subject, "the change is undone later in this change set, but the statement still runs")
		f.New, f.Hazards, f.Suppressed = p.f.New, p.f.Hazards, p.f.Suppressed
		p.f, p.obj = f, ""
	}
}

// setVariable notices SET lock_timeout. A zero timeout ('0', '0s') or a RESET waits
// forever again.
func (r *replayer) setVariable(v *pg_query.VariableSetStmt) {
	if v.GetName() != "lock_timeout" {
		return
	}
	if v.GetKind() != pg_query.VariableSetKind_VAR_SET_VALUE {
		r.lockTimeout = false
		return
	}
	r.lockTimeout = false
	for _, a := range v.GetArgs() {
		c := a.GetAConst()
		switch {
		case c == nil:
		case c.GetIval() != nil:
			r.lockTimeout = c.GetIval().GetIval() > 0
		case c.GetFval() != nil:
			r.lockTimeout = positiveNumber(c.GetFval().GetFval())
		case c.GetSval() != nil:
			r.lockTimeout = positiveNumber(c.GetSval().GetSval())
		}
	}
}

// positiveNumber reports whether a setting such as "5s", "1.5min" or "250" starts with
// a number above zero.
func positiveNumber(s string) bool {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	n, err := strconv.ParseFloat(s[:end], 64)
	return err == nil && n > 0
}

// statementName names a statement's kind for messages.
func statementName(n *pg_query.Node) string {
	switch {
	case n.GetVacuumStmt() != nil:
		if n.GetVacuumStmt().GetIsVacuumcmd() {
			return "VACUUM"
		}
		return "ANALYZE"
	case n.GetClusterStmt() != nil:
		return "CLUSTER"
	case n.GetReindexStmt() != nil:
		return "REINDEX"
	case n.GetAlterTableStmt() != nil:
		return "ALTER TABLE"
	case n.GetIndexStmt() != nil:
		return "CREATE INDEX"
	case n.GetDropStmt() != nil:
		return "DROP"
	case n.GetAlterEnumStmt() != nil:
		return "ALTER TYPE"
	case n.GetAlterDomainStmt() != nil:
		return "ALTER DOMAIN"
	case n.GetTransactionStmt() != nil:
		return "BEGIN"
	case n.GetTruncateStmt() != nil:
		return "TRUNCATE"
	case n.GetUpdateStmt() != nil:
		return "UPDATE"
	case n.GetInsertStmt() != nil:
		return "INSERT"
	case databaseCommand(n) != "":
		return databaseCommand(n)
	}
	return "a statement"
}

// drop dispatches DROP by object kind.
func (r *replayer) drop(ds *pg_query.DropStmt) {
	firstKey := ""
	for _, obj := range ds.GetObjects() {
		var key string
		switch {
		case obj.GetList() != nil:
			key = nameList(obj.GetList().GetItems())
		case obj.GetTypeName() != nil:
			key = nameList(obj.GetTypeName().GetNames())
		case obj.GetString_() != nil:
			key = obj.GetString_().GetSval()
		default:
			continue
		}
		if key == "" {
			continue
		}
		if firstKey == "" {
			firstKey = key
		}
		switch ds.GetRemoveType() {
		case pg_query.ObjectType_OBJECT_TABLE:
			r.dropTable(key, ds.GetMissingOk())
		case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
			r.dropView(key, ds.GetMissingOk())
		case pg_query.ObjectType_OBJECT_INDEX:
			r.dropIndex(key, ds)
			if ds.GetConcurrent() && key == firstKey && (len(ds.GetObjects()) > 1 || ds.GetBehavior() == pg_query.DropBehavior_DROP_CASCADE) {
				r.refused(nil, hazardRefused, "", []string{"drop one index per DROP INDEX CONCURRENTLY statement, without CASCADE", "drop what depended on the index first, each in its own statement"},
					"DROP INDEX CONCURRENTLY accepts one index and no CASCADE, so PostgreSQL refuses this statement")
			}
		case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
			r.dropType(key, ds.GetMissingOk())
		case pg_query.ObjectType_OBJECT_SEQUENCE:
			delete(r.cat.sequences, key)
		}
	}
}

// rename dispatches ALTER ... RENAME by object kind.
func (r *replayer) rename(rs *pg_query.RenameStmt) {
	switch rs.GetRenameType() {
	case pg_query.ObjectType_OBJECT_COLUMN:
		if rs.GetRelationType() != pg_query.ObjectType_OBJECT_TABLE {
			return
		}
		key := rangeKey(rs.GetRelation())
		if _, ok := r.cat.tables[key]; !ok && rs.GetMissingOk() {
			return
		}
		r.renameColumn(r.cat.table(key), rs.GetSubname(), rs.GetNewname())
	case pg_query.ObjectType_OBJECT_TABLE:
		from := rangeKey(rs.GetRelation())
		to := qualify(rs.GetRelation().GetSchemaname(), rs.GetNewname())
		if _, isView := r.cat.views[from]; isView {
			r.renameView(from, to)
			return
		}
		if _, ok := r.cat.tables[from]; !ok && rs.GetMissingOk() {
			return
		}
		r.renameTable(from, to)
	case pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		from := rangeKey(rs.GetRelation())
		r.renameView(from, qualify(rs.GetRelation().GetSchemaname(), rs.GetNewname()))
	case pg_query.ObjectType_OBJECT_INDEX:
		from := rangeKey(rs.GetRelation())
		if ix, ok := r.cat.indexes[from]; ok {
			delete(r.cat.indexes, from)
			ix.key = qualify(rs.GetRelation().GetSchemaname(), rs.GetNewname())
			r.cat.indexes[ix.key] = ix
		}
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		if t, ok := r.cat.tables[rangeKey(rs.GetRelation())]; ok {
			if con, ok := t.cons[rs.GetSubname()]; ok {
				delete(t.cons, con.name)
				con.name = rs.GetNewname()
				t.cons[con.name] = con
			}
		}
	case pg_query.ObjectType_OBJECT_TYPE, pg_query.ObjectType_OBJECT_DOMAIN:
		from := nameList(rs.GetObject().GetList().GetItems())
		items := rs.GetObject().GetList().GetItems()
		schema := ""
		if len(items) > 1 {
			schema = items[0].GetString_().GetSval()
		}
		r.renameType(from, qualify(schema, rs.GetNewname()))
	}
}

// sortedKeys returns a map's keys in order, so output does not depend on map order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// joinComma lists names for a message.
func joinComma(names []string) string {
	return strings.Join(names, ", ")
}
