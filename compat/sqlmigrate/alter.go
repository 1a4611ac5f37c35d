package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleNotNullDropped = compat.Register(compat.Rule{
	ID: "NOT_NULL_DROPPED", Kind: compat.KindSQL, Backward: true,
	Title: "A column's NOT NULL constraint is dropped",
	Why: "Everything the released application writes is still accepted (B holds), but new writers may " +
		"store NULL, which released readers never met and may not handle, so F fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
	New:  "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
	Safe: "Release readers that handle NULL first; drop NOT NULL in that release or later, and write NULLs only in a release after it (read-before-write).",
})

var ruleNotNullAdded = compat.Register(compat.Rule{
	ID: "NOT_NULL_ADDED", Kind: compat.KindSQL,
	Title: "A column is made NOT NULL",
	Why: "The released application may still insert rows without the column or with NULL in it; those " +
		"writes now fail, so B fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
	New:  "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
	Safe: "Release writers that always fill the column, backfill NULLs in batches, then ADD CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, SET NOT NULL, and drop the CHECK.",
})

var ruleTypeWidened = compat.Register(compat.Rule{
	ID: "COLUMN_TYPE_WIDENED", Kind: compat.KindSQL, Backward: true,
	Title: "A column's type is widened",
	Why: "Every value the released application writes still fits (B holds), but new writers may store " +
		"longer strings or larger numbers than released readers expect (an int32 field, a fixed-size " +
		"buffer), so F fails. Covers varchar(n) → varchar(m > n) or text, int → bigint, numeric precision up.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));",
	New:  "ALTER TABLE users ALTER COLUMN name TYPE varchar(100);",
	Safe: "Release readers that accept the wider values first; widen in that release or later; write wider values only in a later release (read-before-write).",
})

var ruleTypeChanged = compat.Register(compat.Rule{
	ID: "COLUMN_TYPE_CHANGED", Kind: compat.KindSQL,
	Title: "A column's type is narrowed or changed incompatibly",
	Why: "Values the released application writes may no longer fit or convert (a longer string, a " +
		"larger number, text into an integer), so its writes fail: B fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100));",
	New:  "ALTER TABLE users ALTER COLUMN name TYPE varchar(50);",
	Safe: "Add a new column of the new type, dual-write, backfill in batches, switch reads, then drop the old column in a later release.",
})

var ruleDefaultChanged = compat.Register(compat.Rule{
	ID: "COLUMN_DEFAULT_CHANGED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "A column's default is set or changed",
	Why: "Released INSERTs that omit the column still succeed (B); rows get another value than before, " +
		"which released readers already accept for the column's type (F).",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, plan text);",
	New:  "ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free';",
	Safe: "Nothing to sequence for the shape; make sure the new default means what old writers meant.",
})

var ruleDefaultDropped = compat.Register(compat.Rule{
	ID: "COLUMN_DEFAULT_DROPPED", Kind: compat.KindSQL, Backward: true, Forward: true,
	Title: "The default of a nullable column is dropped",
	Why: "Released INSERTs that omit the column still succeed and store NULL, which the nullable column " +
		"already allowed readers to meet, so B and F hold.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, plan text DEFAULT 'free');",
	New:  "ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;",
	Safe: "Nothing to sequence for the shape; check that old writers did not rely on the default's value.",
})

var ruleRequiredDefaultDropped = compat.Register(compat.Rule{
	ID: "NOT_NULL_COLUMN_DEFAULT_DROPPED", Kind: compat.KindSQL,
	Title: "The default of a NOT NULL column is dropped",
	Why: "Released INSERTs that omit the column relied on the default; they now store NULL into a NOT " +
		"NULL column and fail, so B fails.",
	Old:  "CREATE TABLE users (id bigint PRIMARY KEY, plan text NOT NULL DEFAULT 'free');",
	New:  "ALTER TABLE users ALTER COLUMN plan DROP DEFAULT;",
	Safe: "Release writers that always name the column, then drop the default in a later release.",
})

var adviceNotNullDropped = []string{
	"release readers that handle NULL in the column",
	"drop NOT NULL in that release or later",
	"write NULL only from a later release, so no reader that rejects it is still running",
}

var adviceNotNullAdded = []string{
	"release writers that always fill the column",
	"backfill NULL rows in batches",
	"ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration",
	"SET NOT NULL (no scan on PostgreSQL 12 and later) and drop the CHECK",
}

var adviceTypeWidened = []string{
	"release readers that accept the wider values",
	"widen the column in that release or later",
	"write values only the wider type holds from a later release",
}

var adviceDefaultDropped = []string{
	"release writers that always name the column in their INSERTs",
	"drop the default in a later release",
}

// alterTable handles the subcommands of ALTER TABLE in order.
func (r *replayer) alterTable(as *pg_query.AlterTableStmt) {
	switch as.GetObjtype() {
	case pg_query.ObjectType_OBJECT_TABLE:
	case pg_query.ObjectType_OBJECT_INDEX, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		return
	default:
		return
	}
	key := rangeKey(as.GetRelation())
	if _, ok := r.cat.tables[key]; !ok && as.GetMissingOk() {
		return
	}
	t := r.cat.table(key)
	relname := as.GetRelation().GetRelname()
	for _, n := range as.GetCmds() {
		cmd := n.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		switch cmd.GetSubtype() {
		case pg_query.AlterTableType_AT_AddColumn:
			if cd := cmd.GetDef().GetColumnDef(); cd != nil {
				r.addColumn(t, relname, cd, cmd.GetMissingOk())
			}
		case pg_query.AlterTableType_AT_DropColumn:
			r.dropColumn(t, cmd.GetName(), cmd.GetMissingOk())
		case pg_query.AlterTableType_AT_AlterColumnType:
			if cd := cmd.GetDef().GetColumnDef(); cd != nil {
				r.alterType(t, cmd.GetName(), cd)
			}
		case pg_query.AlterTableType_AT_SetNotNull:
			r.setNotNull(t, cmd.GetName())
		case pg_query.AlterTableType_AT_DropNotNull:
			r.dropNotNull(t, cmd.GetName())
		case pg_query.AlterTableType_AT_ColumnDefault:
			r.setDefault(t, cmd.GetName(), cmd.GetDef())
		case pg_query.AlterTableType_AT_AddConstraint:
			if c := cmd.GetDef().GetConstraint(); c != nil {
				r.addTableConstraint(t, relname, c)
			}
		case pg_query.AlterTableType_AT_ValidateConstraint:
			r.validateConstraint(t, cmd.GetName())
		case pg_query.AlterTableType_AT_DropConstraint:
			r.dropConstraint(t, cmd.GetName(), cmd.GetMissingOk())
		case pg_query.AlterTableType_AT_AttachPartition, pg_query.AlterTableType_AT_DetachPartition:
			r.partitionCmd(t, cmd)
		}
	}
}

func (r *replayer) alterType(t *table, name string, cd *pg_query.ColumnDef) {
	col := t.column(name)
	from, to := col.typ, typeOf(cd.GetTypeName())
	known := col.typeKnown
	col.typ, col.typeKnown = to, true
	if t.created || (known && from.equal(to)) {
		return
	}
	change := typeChange{rewrites: true, reason: "the old type is unknown"}
	if known {
		change = classifyTypeChange(from, to)
	}
	var p *pending
	// A column the change set added has no released reader or writer, so its type is
	// free to change; the table it lives in is still rewritten.
	if !col.created {
		subject := colSubject(t.key, name)
		if change.widening {
			p = r.report(ruleTypeWidened, subject, "", col.pos, adviceTypeWidened,
				"column %s widens from %s to %s: %s", name, from, to, change.reason)
		} else {
			p = r.report(ruleTypeChanged, subject, "", col.pos, adviceTypeRewrite,
				"column %s changes type from %s to %s: %s", name, from, to, change.reason)
		}
	}
	if change.rewrites {
		r.lock(t.key, opAlterTypeRewrite)
		r.hazard(p, hazardTypeRewrite, opAlterTypeRewrite, adviceTypeRewrite,
			"changing %s from %s to %s rewrites %s and its indexes under ACCESS EXCLUSIVE", name, from, to, t.key)
	} else {
		r.lock(t.key, opAlterTypeCoercible)
	}
}

// requiredNow reports a column the change set added to an existing table that has just
// become NOT NULL without a default: released INSERTs that omit it now fail, however the
// column got there. The earlier COLUMN_ADDED finding is replaced.
func (r *replayer) requiredNow(t *table, col *column) *pending {
	if !col.created || !col.notNull || col.def != nil || col.identity {
		return nil
	}
	key := colKey(t.key, col.name)
	for _, p := range r.findings {
		if p.obj == key && p.f.Rule == ruleColumnAdded.ID {
			p.dropped = true
		}
	}
	return r.report(ruleRequiredColumnAdded, colSubject(t.key, col.name), key, nil, adviceRequiredColumn,
		"column %s %s, added by this change, is now NOT NULL without a default; released INSERTs that omit it now fail", col.name, col.typ)
}

func (r *replayer) setNotNull(t *table, name string) {
	col := t.column(name)
	was := col.notNull
	col.notNull = true
	if t.created || was {
		return
	}
	var p *pending
	if col.created {
		p = r.requiredNow(t, col)
	} else {
		p = r.report(ruleNotNullAdded, colSubject(t.key, name), "", col.pos, adviceNotNullAdded,
			"column %s becomes NOT NULL; released writers that omit it or write NULL now fail", name)
	}
	if r.pg >= 12 && t.hasValidNotNullCheck(name) {
		r.lock(t.key, opSetNotNullChecked)
		return
	}
	r.lock(t.key, opSetNotNull)
	msg := "SET NOT NULL on %s scans %s under ACCESS EXCLUSIVE; no validated CHECK (%s IS NOT NULL) exists to skip the scan"
	advice := adviceNotNull
	if r.pg < 12 {
		msg = "SET NOT NULL on %s scans %s under ACCESS EXCLUSIVE; PostgreSQL 11 cannot use a CHECK (%s IS NOT NULL) to skip the scan"
		advice = []string{"schedule SET NOT NULL for a quiet time, or upgrade to PostgreSQL 12 or later, which can skip the scan with a validated CHECK (col IS NOT NULL)"}
	}
	r.hazard(p, hazardNotNullScan, opSetNotNull, advice, msg, name, t.key, name)
}

func (r *replayer) dropNotNull(t *table, name string) {
	col := t.column(name)
	was := col.notNull
	col.notNull = false
	if t.created || col.created || !was {
		return
	}
	r.lock(t.key, opDropNotNull)
	r.report(ruleNotNullDropped, colSubject(t.key, name), "", col.pos, adviceNotNullDropped,
		"column %s may now hold NULL, which released readers never met", name)
}

func (r *replayer) setDefault(t *table, name string, def *pg_query.Node) {
	col := t.column(name)
	had := col.def != nil
	col.def = def
	if t.created {
		return
	}
	r.lock(t.key, opSetDefault)
	if col.created {
		if def == nil {
			r.requiredNow(t, col)
		}
		return
	}
	subject := colSubject(t.key, name)
	switch {
	case def != nil:
		r.report(ruleDefaultChanged, subject, "", col.pos, nil, "column %s gets a new default", name)
	case had && col.notNull:
		r.report(ruleRequiredDefaultDropped, subject, "", col.pos, adviceDefaultDropped,
			"NOT NULL column %s loses its default; released INSERTs that omit it now fail", name)
	case had:
		r.report(ruleDefaultDropped, subject, "", col.pos, nil, "column %s loses its default; INSERTs that omit it store NULL", name)
	}
}
