package sqlmigrate

import (
	"fmt"

	pg_query "github.com/pganalyze/pg_query_go/v5"

	"github.com/compatcheck/compatcheck/compat"
)

// Partitions move rows between a partitioned table and standalone tables. Attaching or
// detaching one changes no column, type or constraint the released application uses, so
// it has no class of its own (like DELETE, which rows a query sees is data, not shape;
// INSERTs of a detached range fail unless a default partition takes them, which
// docs/sql.md states as a limitation). What it costs is a hazard: the locks it takes on
// the parent and the scan that validates an attached partition.

var hazardDetachPartition = compat.Register(compat.Rule{
	ID: "PARTITION_DETACHED_WITHOUT_CONCURRENTLY", Kind: compat.KindSQL, Hazard: true,
	Title: "A partition is detached without CONCURRENTLY",
	Scope: "DETACH PARTITION ... CONCURRENTLY exists from PostgreSQL 14",
	Why: "A plain DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table, so every query of the " +
		"running application on any partition waits until it finishes and queues behind it.",
	Old:  "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2023 PARTITION OF events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');",
	New:  "ALTER TABLE events DETACH PARTITION events_2023;",
	Safe: "On PostgreSQL 14 and later, DETACH PARTITION ... CONCURRENTLY in a migration of its own, outside a transaction; before 14, set lock_timeout and detach at a quiet time.",
})

var hazardAttachPartition = compat.Register(compat.Rule{
	ID: "PARTITION_ATTACH_SCANS_TABLE", Kind: compat.KindSQL, Hazard: true,
	Title: "ATTACH PARTITION scans the table it attaches",
	Scope: "PostgreSQL 11 also takes ACCESS EXCLUSIVE on the partitioned table; 12 and later take SHARE UPDATE EXCLUSIVE",
	Why: "PostgreSQL reads every row of the attached table, holding ACCESS EXCLUSIVE on it, to prove the rows " +
		"fit the partition bound, unless a validated CHECK constraint already proves it; on PostgreSQL 11 the " +
		"partitioned table is locked ACCESS EXCLUSIVE for the whole scan as well.",
	Old:  "CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 (id bigint, at date);",
	New:  "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
	Safe: "Add a CHECK constraint matching the bound to the table NOT VALID, VALIDATE it, then ATTACH PARTITION (no scan), and drop the CHECK.",
})

var adviceAttachPartition = []string{
	"ADD CONSTRAINT ... CHECK (the partition bound) NOT VALID on the table to attach, then VALIDATE CONSTRAINT",
	"ATTACH PARTITION, which skips the scan when a validated CHECK implies the bound",
	"drop the CHECK constraint",
}

// partitionCmd handles ALTER TABLE parent ATTACH / DETACH PARTITION child.
func (r *replayer) partitionCmd(parent *table, cmd *pg_query.AlterTableCmd) {
	pc := cmd.GetDef().GetPartitionCmd()
	if pc == nil {
		return
	}
	childKey := rangeKey(pc.GetName())
	existing := !parent.created
	switch cmd.GetSubtype() {
	case pg_query.AlterTableType_AT_AttachPartition:
		child := r.cat.table(childKey)
		child.partitionOf = parent.key
		if !existing {
			return
		}
		op := opAttachPartition
		if r.pg < 12 {
			op = opAttachPartitionBefore12
		}
		r.lock(parent.key, op)
		if child.created || child.hasValidCheck() {
			return
		}
		r.lock(childKey, opAttachPartitionScan)
		also := ""
		if r.pg < 12 {
			also = fmt.Sprintf(", and PostgreSQL %d holds ACCESS EXCLUSIVE on %s for the whole scan", r.pg, parent.key)
		}
		r.hazard(nil, hazardAttachPartition, opAttachPartitionScan, adviceAttachPartition,
			"attaching %s to %s scans %s under ACCESS EXCLUSIVE to prove its rows fit the bound; no validated CHECK constraint on it can skip the scan%s", childKey, parent.key, childKey, also)
	case pg_query.AlterTableType_AT_DetachPartition:
		if child, ok := r.cat.tables[childKey]; ok {
			child.partitionOf = ""
		}
		if pc.GetConcurrent() {
			if r.pg < 14 {
				r.refused(nil, hazardRefused, "", []string{"detach the partition without CONCURRENTLY, with lock_timeout set, at a quiet time", "or target PostgreSQL 14 or later"},
					"DETACH PARTITION ... CONCURRENTLY does not exist before PostgreSQL 14, so PostgreSQL %d refuses the statement", r.pg)
			}
			r.notInTransaction("DETACH PARTITION ... CONCURRENTLY")
			if existing {
				r.lock(parent.key, opDetachPartitionConcurrently)
			}
			return
		}
		if !existing {
			return
		}
		r.lock(parent.key, opDetachPartition)
		advice := []string{"detach the partition with DETACH PARTITION ... CONCURRENTLY, in a migration of its own outside a transaction"}
		if r.pg < 14 {
			advice = []string{"set lock_timeout and detach the partition at a quiet time (CONCURRENTLY needs PostgreSQL 14)"}
		}
		r.hazard(nil, hazardDetachPartition, opDetachPartition, advice,
			"DETACH PARTITION %s takes ACCESS EXCLUSIVE on %s, blocking every query on it", childKey, parent.key)
	}
}

// hasValidCheck reports whether the table has a validated CHECK constraint, which
// PostgreSQL may use to skip the scan of ATTACH PARTITION. Whether it implies the bound
// is not checked; the table is given the benefit of the doubt.
func (t *table) hasValidCheck() bool {
	for _, con := range t.cons {
		if con.kind == conCheck && con.valid {
			return true
		}
	}
	return false
}
