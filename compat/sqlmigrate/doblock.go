package sqlmigrate

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleDoBlockNotAnalyzed = compat.Register(compat.Rule{
	ID: "DO_BLOCK_NOT_ANALYZED", Kind: compat.KindSQL,
	Title: "A DO block may change the schema in a way compatcheck cannot analyze",
	Why: "The block EXECUTEs SQL built when it runs, changes the schema inside a loop or an exception " +
		"handler, or guards a schema change with a condition that cannot be decided against the schema " +
		"the migrations build. What it does to the released application is unknown, so neither B nor F " +
		"is claimed: the finding is undecided, and breaking until someone reviews the block. Plain SQL " +
		"inside the block, constant EXECUTE strings and guards on information_schema or pg_catalog are " +
		"analyzed like any other statement and need no such finding.",
	Old: "CREATE TABLE users (id bigint PRIMARY KEY, legacy text);",
	New: "DO $$ DECLARE t text; BEGIN\n  FOR t IN SELECT table_name FROM information_schema.columns WHERE column_name = 'legacy' LOOP\n" +
		"    EXECUTE format('ALTER TABLE %I DROP COLUMN legacy', t);\n  END LOOP;\nEND $$;",
	Safe: "Write the schema changes as plain statements (inside the block if need be, with constant EXECUTE strings and catalog guards), or review the block and record the decision with -- compatcheck:ignore DO_BLOCK_NOT_ANALYZED <reason>.",
})

var adviceDoBlock = []string{
	"write the schema changes as plain SQL statements, or as constant EXECUTE strings and guards on information_schema or pg_catalog, so each one is checked",
	"or review what the block does to the tables the released application uses, and record the decision with -- compatcheck:ignore DO_BLOCK_NOT_ANALYZED <reason>",
}

// conservative ends every message of an undecided DO block finding.
const conservative = "its effect is not analyzed, so B and F are answered no (conservative)"

// doBlock evaluates a DO statement: the SQL its body runs is applied as if it were
// written in the migration, guards are decided against the catalog, and what cannot be
// analyzed is reported as DO_BLOCK_NOT_ANALYZED.
func (r *replayer) doBlock() {
	b := r.s.do
	if b == nil {
		return
	}
	if b.failure != "" {
		r.notAnalyzed(0, 0, "DO block", "the DO block is not read: %s; %s", b.failure, conservative)
		return
	}
	maybe := r.plMaybe
	r.plMaybe = false
	r.doDepth++
	r.runPL(b.stmts)
	r.doDepth--
	r.plMaybe = maybe
}

// runPL evaluates statements in order and reports whether they certainly returned.
func (r *replayer) runPL(stmts []plStmt) bool {
	for i := range stmts {
		st := &stmts[i]
		switch st.kind {
		case plSQL, plExecute:
			r.runSQL(st)
		case plIf:
			if r.runIf(st) {
				return true
			}
		case plLoop:
			if r.effectful(st.body) {
				r.notAnalyzed(st.line, st.col, subjectOf(st.body),
					"a %s runs statements that change the schema (%s) a number of times only a run can tell; %s",
					st.what, describe(st.body), conservative)
			}
			if mayReturn(st.body, true) {
				r.plMaybe = true
			}
		case plBlock:
			if r.runBlock(st) {
				return true
			}
		case plReturn:
			return true
		case plExit:
			r.plMaybe = true
		}
	}
	return false
}

func (r *replayer) runSQL(st *plStmt) {
	switch {
	case st.dynamic != "":
		r.notAnalyzed(st.line, st.col, "DO block",
			"EXECUTE runs SQL built when the block runs (%s), which compatcheck cannot read; %s", shorten(st.dynamic), conservative)
	case st.sqlErr != "":
		p := r.notAnalyzed(st.line, st.col, "DO block", "EXECUTE runs a constant string that does not parse as SQL (%s); %s", st.sqlErr, conservative)
		if p != nil {
			r.at(st.line, st.col, func() {
				r.refused(p, hazardRefused, "", []string{"fix the SQL of the EXECUTE string"},
					"PostgreSQL refuses the EXECUTEd string when the block runs: %s", st.sqlErr)
			})
		}
	case r.plMaybe && r.effectful([]plStmt{*st}):
		r.notAnalyzed(st.line, st.col, subjectOf([]plStmt{*st}),
			"%s runs only if an earlier RETURN or EXIT, whose condition compatcheck cannot decide, is not taken; %s",
			describe([]plStmt{*st}), conservative)
	default:
		for _, in := range st.sql {
			r.applyInner(st.line, st.col, in)
		}
	}
}

// runIf takes the branch whose guard holds, when every guard before it is decided.
func (r *replayer) runIf(st *plStmt) bool {
	for i, br := range st.branches {
		t := triTrue
		switch {
		case br.undecidable:
			t = triUnknown
		case br.cond != nil:
			t = r.decide(br.cond)
		}
		switch t {
		case triTrue:
			return r.runPL(br.body)
		case triFalse:
			continue
		}
		var rest []plStmt
		for _, b := range st.branches[i:] {
			rest = append(rest, b.body...)
		}
		if mayReturn(rest, false) {
			r.plMaybe = true
		}
		if r.effectful(rest) {
			cond := shorten(br.condText)
			if br.undecidable && br.cond == nil && br.condText != "" {
				cond = "a CASE value known only when the block runs"
			}
			why := "cannot be decided against the schema the migrations build"
			if r.cat.opaque {
				why += " (an earlier DO block was not analyzed, so a missing object may exist)"
			}
			r.notAnalyzed(br.line, br.col, subjectOf(rest),
				"a branch of this IF changes the schema (%s), and its condition (%s) %s; %s",
				describe(rest), cond, why, conservative)
		}
		return false
	}
	return false
}

// runBlock evaluates a nested block. A block with EXCEPTION handlers whose body would
// fail at once on the replayed schema (it creates what exists already: the common
// "CREATE TYPE ...; EXCEPTION WHEN duplicate_object THEN NULL" idiom) is rolled back
// and has no effect; handlers that change the schema are not analyzed, because whether
// they run depends on errors only a run can raise.
func (r *replayer) runBlock(st *plStmt) bool {
	if st.handlers == nil {
		return r.runPL(st.body)
	}
	returned := false
	if !r.wouldFail(st.body) {
		returned = r.runPL(st.body)
	}
	if r.effectful(st.handlers) {
		r.notAnalyzed(st.line, st.col, subjectOf(st.handlers),
			"an EXCEPTION handler changes the schema (%s) when the block fails, which only a run can tell; %s",
			describe(st.handlers), conservative)
	}
	return returned
}

// notAnalyzed reports what could not be analyzed as an undecided finding at the given
// position (the current statement's when line is 0), and makes the catalog opaque: what
// the unread part did may have created anything.
func (r *replayer) notAnalyzed(line, col int, subject, format string, args ...any) *pending {
	r.cat.opaque = true
	var p *pending
	r.at(line, col, func() {
		p = r.report(ruleDoBlockNotAnalyzed, subject, "", nil, adviceDoBlock, format, args...)
	})
	if p != nil {
		p.f.Undecided = true
	}
	return p
}

// at runs fn with the current statement positioned at line and col (when line is not 0).
func (r *replayer) at(line, col int, fn func()) {
	if line == 0 {
		fn()
		return
	}
	outer := r.s
	s := *outer
	s.line, s.col = line, col
	r.s = &s
	fn()
	r.s = outer
}

// applyInner applies one statement a DO block runs, as a statement of its own at the
// block's line for it: its findings, locks and hazards are its own, and it runs inside
// the block's transaction. Directives before the DO statement apply to it.
func (r *replayer) applyInner(line, col int, in innerStmt) {
	outer := r.s
	s := &statement{node: in.node, off: outer.off, end: outer.end, line: line, col: col, ignore: outer.ignore, do: in.do, base: in.base}
	if line == 0 {
		s.line, s.col = outer.line, outer.col
	}
	saved := r.stmtState
	r.s = s
	r.inTx = true
	r.stmtState = stmtState{stmtStart: len(r.findings), strongest: map[string]string{}}
	r.dispatch(in.node)
	if r.emit {
		r.finishStatement()
	}
	r.s = outer
	r.stmtState = saved
}

// effectful reports whether statements may change what the catalog models.
func (r *replayer) effectful(stmts []plStmt) bool {
	for _, st := range stmts {
		switch {
		case st.dynamic != "" || st.sqlErr != "":
			return true
		case r.effectful(st.body) || r.effectful(st.handlers):
			return true
		}
		for _, in := range st.sql {
			if changesSchema(in.node) {
				return true
			}
		}
		for _, b := range st.branches {
			if r.effectful(b.body) {
				return true
			}
		}
	}
	return false
}

// mayReturn reports whether statements may end the block early: RETURN anywhere, or
// EXIT and CONTINUE outside a loop.
func mayReturn(stmts []plStmt, inLoop bool) bool {
	for _, st := range stmts {
		switch st.kind {
		case plReturn:
			return true
		case plExit:
			if !inLoop {
				return true
			}
		case plLoop:
			if mayReturn(st.body, true) {
				return true
			}
		}
		if mayReturn(st.body, inLoop) || mayReturn(st.handlers, inLoop) {
			return true
		}
		for _, b := range st.branches {
			if mayReturn(b.body, inLoop) {
				return true
			}
		}
	}
	return false
}

// changesSchema reports statements the replay models: anything that may create, change
// or drop a table, column, constraint, index, view or type, or that carries a hazard.
// Data statements, SET, and the objects the replay treats as no-ops (functions,
// triggers, grants, policies, extensions) are not.
func changesSchema(n *pg_query.Node) bool {
	switch {
	case n.GetCreateStmt() != nil, n.GetCreateTableAsStmt() != nil, n.GetAlterTableStmt() != nil,
		n.GetRenameStmt() != nil, n.GetDropStmt() != nil, n.GetIndexStmt() != nil, n.GetViewStmt() != nil,
		n.GetCreateEnumStmt() != nil, n.GetAlterEnumStmt() != nil, n.GetCommentStmt() != nil,
		n.GetVacuumStmt() != nil && n.GetVacuumStmt().GetIsVacuumcmd(), n.GetClusterStmt() != nil,
		n.GetReindexStmt() != nil, n.GetDoStmt() != nil, n.GetCreateDomainStmt() != nil,
		n.GetAlterDomainStmt() != nil, n.GetCompositeTypeStmt() != nil, n.GetCreateRangeStmt() != nil,
		n.GetCreateSeqStmt() != nil, n.GetTruncateStmt() != nil, databaseCommand(n) != "":
		return true
	}
	return false
}

// wouldFail reports whether the body of a protected block creates, at its top level,
// something the catalog already holds, so that PostgreSQL raises a duplicate_* error and
// rolls the whole body back.
func (r *replayer) wouldFail(body []plStmt) bool {
	made := map[string]bool{}
	exists := func(kind, key string) bool {
		if made[kind+key] {
			return true
		}
		made[kind+key] = true
		switch kind {
		case "table":
			_, t := r.cat.tables[key]
			_, v := r.cat.views[key]
			return t || v
		case "type":
			_, e := r.cat.types[key]
			_, d := r.cat.domains[key]
			return e || d || r.cat.otherTypes[key]
		case "index":
			_, ok := r.cat.indexes[key]
			return ok
		case "sequence":
			return r.cat.sequences[key]
		}
		return false
	}
	for _, st := range body {
		for _, in := range st.sql {
			n := in.node
			switch {
			case n.GetCreateStmt() != nil && !n.GetCreateStmt().GetIfNotExists():
				if exists("table", rangeKey(n.GetCreateStmt().GetRelation())) {
					return true
				}
			case n.GetViewStmt() != nil && !n.GetViewStmt().GetReplace():
				if exists("table", rangeKey(n.GetViewStmt().GetView())) {
					return true
				}
			case n.GetCreateEnumStmt() != nil:
				if exists("type", nameList(n.GetCreateEnumStmt().GetTypeName())) {
					return true
				}
			case n.GetCreateDomainStmt() != nil:
				if exists("type", nameList(n.GetCreateDomainStmt().GetDomainname())) {
					return true
				}
			case n.GetCompositeTypeStmt() != nil:
				if exists("type", rangeKey(n.GetCompositeTypeStmt().GetTypevar())) {
					return true
				}
			case n.GetCreateSeqStmt() != nil && !n.GetCreateSeqStmt().GetIfNotExists():
				if exists("sequence", rangeKey(n.GetCreateSeqStmt().GetSequence())) {
					return true
				}
			case n.GetIndexStmt() != nil && !n.GetIndexStmt().GetIfNotExists() && n.GetIndexStmt().GetIdxname() != "":
				is := n.GetIndexStmt()
				if exists("index", qualify(is.GetRelation().GetSchemaname(), is.GetIdxname())) {
					return true
				}
			case n.GetAlterEnumStmt() != nil && n.GetAlterEnumStmt().GetOldVal() == "" && !n.GetAlterEnumStmt().GetSkipIfNewValExists():
				ae := n.GetAlterEnumStmt()
				if e, ok := r.cat.types[nameList(ae.GetTypeName())]; ok && slices.Contains(e.values, ae.GetNewVal()) {
					return true
				}
			case n.GetAlterTableStmt() != nil:
				t, ok := r.cat.tables[rangeKey(n.GetAlterTableStmt().GetRelation())]
				if !ok {
					continue
				}
				for _, c := range n.GetAlterTableStmt().GetCmds() {
					cmd := c.GetAlterTableCmd()
					switch cmd.GetSubtype() {
					case pg_query.AlterTableType_AT_AddColumn:
						if _, dup := t.byName[cmd.GetDef().GetColumnDef().GetColname()]; dup && !cmd.GetMissingOk() {
							return true
						}
					case pg_query.AlterTableType_AT_AddConstraint:
						if name := cmd.GetDef().GetConstraint().GetConname(); name != "" {
							if _, dup := t.cons[name]; dup {
								return true
							}
						}
					}
				}
			}
		}
	}
	return false
}

// subjectOf names the tables and types statements touch, for the subject of a finding
// about them, or "DO block" when they name none the parser can see.
func subjectOf(stmts []plStmt) string {
	seen := map[string]bool{}
	var visit func([]plStmt)
	visit = func(stmts []plStmt) {
		for _, st := range stmts {
			for _, in := range st.sql {
				if !changesSchema(in.node) {
					continue
				}
				walk(in.node, func(m protoreflect.Message) bool {
					switch x := m.Interface().(type) {
					case *pg_query.RangeVar:
						seen[rangeKey(x)] = true
					case *pg_query.CreateEnumStmt:
						seen[nameList(x.GetTypeName())] = true
					case *pg_query.AlterEnumStmt:
						seen[nameList(x.GetTypeName())] = true
					case *pg_query.CreateDomainStmt:
						seen[nameList(x.GetDomainname())] = true
					}
					return true
				})
			}
			visit(st.body)
			visit(st.handlers)
			for _, b := range st.branches {
				visit(b.body)
			}
		}
	}
	visit(stmts)
	if len(seen) == 0 {
		return "DO block"
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// maxDescribed bounds how many statements a message lists.
const maxDescribed = 3

// describe lists the schema-changing statements among stmts for a message.
func describe(stmts []plStmt) string {
	var out []string
	more := 0
	var visit func([]plStmt)
	visit = func(stmts []plStmt) {
		for _, st := range stmts {
			var items []string
			switch {
			case st.dynamic != "":
				items = append(items, "EXECUTE of a string built at run time")
			case st.sqlErr != "":
				items = append(items, "EXECUTE of a string that does not parse")
			}
			for _, in := range st.sql {
				if changesSchema(in.node) {
					items = append(items, sqlSummary(in.node))
				}
			}
			for _, it := range items {
				if len(out) < maxDescribed {
					out = append(out, it)
				} else {
					more++
				}
			}
			visit(st.body)
			visit(st.handlers)
			for _, b := range st.branches {
				visit(b.body)
			}
		}
	}
	visit(stmts)
	s := strings.Join(out, "; ")
	if more > 0 {
		s += fmt.Sprintf("; and %d more", more)
	}
	return s
}

// maxSummary bounds a statement quoted in a message.
const maxSummary = 80

// sqlSummary is a statement's deparsed text, cut to a readable length.
func sqlSummary(n *pg_query.Node) string {
	out, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: n}}})
	if err != nil {
		return statementName(n)
	}
	if len(out) > maxSummary {
		cut := maxSummary
		for cut > 0 && out[cut]&0xC0 == 0x80 {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}

// doNames adds the names a DO body's statements and guards refer to (only those of
// renames when renamesOnly is set, as renameNames does for plain statements).
func doNames(b *doBody, into names, renamesOnly bool) bool {
	if b == nil {
		return false
	}
	grew := false
	var visit func([]plStmt)
	visit = func(stmts []plStmt) {
		for _, st := range stmts {
			for _, in := range st.sql {
				isRename := in.node.GetRenameStmt() != nil || (in.node.GetAlterEnumStmt() != nil && in.node.GetAlterEnumStmt().GetOldVal() != "")
				if !renamesOnly || isRename {
					grew = objectNames(in.node, into) || grew
				}
				grew = doNames(in.do, into, renamesOnly) || grew
			}
			for _, br := range st.branches {
				if br.cond != nil {
					grew = guardNames(br.cond, into) || grew
				}
				visit(br.body)
			}
			visit(st.body)
			visit(st.handlers)
		}
	}
	visit(b.stmts)
	return grew
}
