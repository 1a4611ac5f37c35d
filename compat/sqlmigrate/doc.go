// Package sqlmigrate decides, for a team that ships PostgreSQL migrations with its
// application, whether the migrations a change adds keep the released application
// working: the previous release still runs against the migrated schema during the
// rollout (migrations run before new code is live) and comes back on a rollback.
//
// Compare replays the released migrations (OLD) into a model of the schema, checks that
// NEW keeps them unchanged and orders its new migrations after them, and evaluates each
// new statement against the schema at that point. Every change gets a class from the
// compatibility model:
//
//   - additive: the released application's writes and reads work unchanged (a nullable
//     column, a column with a constant default, a table, an index, a view);
//   - read-tolerant: its writes still work, but it may read values it never met (NOT NULL
//     dropped, a CHECK dropped, a widened type, a new enum label), so readers must be
//     released before any writer produces such values;
//   - breaking: its writes or reads fail (a dropped or renamed column, table, view or
//     type, a NOT NULL column without default, SET NOT NULL, a narrowed type, a new
//     constraint its writers may violate, an edited or deleted released migration).
//
// Beside the class, each finding carries the hazards of running the statement on a live
// table for the targeted PostgreSQL version (Options.PGVersion): the lock it takes and
// whether it rewrites or scans the table, from a data table verified on a real server.
// Breaking and read-tolerant findings and every hazard carry the safe sequence of
// releases that reaches the same end state.
//
// Migrations are read in the layouts of golang-migrate, goose, Flyway, dbmate, diesel,
// Prisma, Supabase, Atlas (atlas.sum verified) and sqitch, one directory per migration,
// plain numbered files, or as one file compared as a migration log; see [Layout]. DO
// blocks are evaluated: the SQL their PL/pgSQL runs is replayed, constant EXECUTE strings
// are folded and guards on the system catalogs decided, and what cannot be analyzed is an
// undecided DO_BLOCK_NOT_ANALYZED finding. A statement PostgreSQL refuses carries a
// rejected hazard, which fails every policy. A "-- compatcheck:ignore RULE reason" comment
// on the line before a statement suppresses that rule's finding (or leaves out that
// hazard) for the statement; one that suppresses nothing is listed in Report.Unused.
package sqlmigrate
