package sqlmigrate

import (
	"encoding/json"
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// A DO block runs PL/pgSQL, whose statements the SQL parser sees only as one string. Its
// body is read with libpg_query's PL/pgSQL parser (pg_query.ParsePlPgSqlToJSON, which
// accepts a DO statement as it is written: it compiles the body as PostgreSQL compiles an
// inline code block, so no wrapping as a function is needed) and reduced here to what the
// replayer can evaluate: the SQL statements the block runs, the constant strings it
// EXECUTEs, the conditions that guard them, and the loops, handlers and early returns
// whose effect cannot be known without running the block.

// doBody is the analysable shape of one DO statement.
type doBody struct {
	// failure says why the body could not be read at all (a PL/pgSQL syntax error, another
	// language); stmts is then empty.
	failure string
	stmts   []plStmt
}

// plKind is what one PL/pgSQL statement means for the schema.
type plKind int

const (
	// plOther changes no schema: assignments, RAISE, PERFORM, NULL, GET DIAGNOSTICS.
	plOther plKind = iota
	// plSQL is a SQL statement written in the body; sql holds its parse.
	plSQL
	// plExecute is EXECUTE: sql holds the parse of its string when the string is a
	// constant (a literal, a concatenation of literals, format() of literals), dynamic the
	// expression when it is not.
	plExecute
	// plIf is IF/ELSIF/ELSE or CASE: branches in order, the last with a nil cond for ELSE.
	plIf
	// plLoop is LOOP, WHILE or FOR: body runs a number of times only a run can tell.
	plLoop
	// plBlock is a nested BEGIN ... END, with the EXCEPTION handlers' statements.
	plBlock
	// plReturn is RETURN: the rest of the block does not run.
	plReturn
	// plExit is EXIT or CONTINUE outside a loop (a labelled block): where the run goes on
	// is not modelled, so what follows is treated as conditional.
	plExit
)

// plStmt is one PL/pgSQL statement, positioned in the migration file.
type plStmt struct {
	kind      plKind
	line, col int
	// sql holds the statements of plSQL and of a constant plExecute.
	sql []innerStmt
	// sqlErr is set when the SQL of the statement does not parse; PostgreSQL refuses it
	// when it runs.
	sqlErr string
	// dynamic is the expression of an EXECUTE whose string is built at run time.
	dynamic string
	// what names a loop or handler for messages ("FOR loop").
	what     string
	branches []plBranch
	body     []plStmt
	handlers []plStmt
}

// plBranch is one arm of an IF or CASE. cond is nil for ELSE; undecidable is set for arms
// whose condition is not an expression on its own (the WHEN of a simple CASE).
type plBranch struct {
	cond        *pg_query.Node
	condText    string
	undecidable bool
	line, col   int
	body        []plStmt
}

// innerStmt is one SQL statement a DO block runs, with the body of a DO it runs in turn.
// base is the file offset the statement's parse locations count from, or -1 when its
// text is not written in the file as it is parsed (an EXECUTEd string).
type innerStmt struct {
	node *pg_query.Node
	do   *doBody
	base int
}

// maxDoDepth bounds DO blocks that EXECUTE DO blocks, so a hostile input cannot recurse.
const maxDoDepth = 4

// plNode is a PL/pgSQL statement as the JSON output writes it: one key naming its type.
type plNode map[string]json.RawMessage

type plExpr struct {
	Expr struct {
		Query string `json:"query"`
	} `json:"PLpgSQL_expr"`
}

func (e *plExpr) text() string {
	if e == nil {
		return ""
	}
	return e.Expr.Query
}

// plFields holds every field of the statement types the reduction reads.
type plFields struct {
	Lineno    int      `json:"lineno"`
	Body      []plNode `json:"body"`
	Cond      *plExpr  `json:"cond"`
	ThenBody  []plNode `json:"then_body"`
	ElseBody  []plNode `json:"else_body"`
	ElsifList []struct {
		Elsif struct {
			Lineno int      `json:"lineno"`
			Cond   *plExpr  `json:"cond"`
			Stmts  []plNode `json:"stmts"`
		} `json:"PLpgSQL_if_elsif"`
	} `json:"elsif_list"`
	TExpr        *plExpr `json:"t_expr"`
	CaseWhenList []struct {
		When struct {
			Lineno int      `json:"lineno"`
			Expr   *plExpr  `json:"expr"`
			Stmts  []plNode `json:"stmts"`
		} `json:"PLpgSQL_case_when"`
	} `json:"case_when_list"`
	HaveElse   bool     `json:"have_else"`
	ElseStmts  []plNode `json:"else_stmts"`
	Sqlstmt    *plExpr  `json:"sqlstmt"`
	Query      *plExpr  `json:"query"`
	Exceptions *struct {
		Block struct {
			ExcList []struct {
				Exc struct {
					Action []plNode `json:"action"`
				} `json:"PLpgSQL_exception"`
			} `json:"exc_list"`
		} `json:"PLpgSQL_exception_block"`
	} `json:"exceptions"`
}

// doSource locates the statements of one DO body in its file: bodyLine is the file line
// of the body's first character, which PL/pgSQL counts as line 1.
type doSource struct {
	bodyLine int
	lines    lineIndex
}

// parseDo reads the body of a DO statement. text is the file, [off, end) the statement;
// the returned body is never nil.
func parseDo(text string, off, end int, lines lineIndex, do *pg_query.DoStmt, depth int) *doBody {
	b := &doBody{}
	lang := "plpgsql"
	bodyOff := off
	for _, a := range do.GetArgs() {
		d := a.GetDefElem()
		switch d.GetDefname() {
		case "language":
			lang = strings.ToLower(d.GetArg().GetString_().GetSval())
		case "as":
			if loc := int(d.GetLocation()); loc >= off && loc < end {
				bodyOff = bodyStart(text, loc)
			}
		}
	}
	if lang != "plpgsql" {
		b.failure = fmt.Sprintf("the block is written in %s, which compatcheck does not read", lang)
		return b
	}
	out, err := pg_query.ParsePlPgSqlToJSON(text[off:end])
	if err != nil {
		b.failure = "its PL/pgSQL body does not parse (" + shorten(err.Error()) + ")"
		return b
	}
	var funcs []struct {
		Function struct {
			Action plNode `json:"action"`
		} `json:"PLpgSQL_function"`
	}
	if err := json.Unmarshal([]byte(out), &funcs); err != nil || len(funcs) != 1 {
		b.failure = "libpg_query's PL/pgSQL parser gave an answer compatcheck cannot read (internal error, please report)"
		return b
	}
	bodyLine, _ := lines.position(bodyOff)
	src := &doSource{bodyLine: bodyLine, lines: lines}
	b.stmts = src.stmts([]plNode{funcs[0].Function.Action}, text, depth)
	return b
}

// bodyStart returns the offset of the first character of a DO body written at loc as a
// dollar-quoted ($tag$...$tag$), standard ('...') or escape (E'...') string constant.
func bodyStart(text string, loc int) int {
	switch {
	case loc < len(text) && text[loc] == '$':
		if i := strings.IndexByte(text[loc+1:], '$'); i >= 0 {
			return loc + i + 2
		}
	case loc+1 < len(text) && (text[loc] == 'E' || text[loc] == 'e') && text[loc+1] == '\'':
		return loc + 2
	case loc < len(text) && text[loc] == '\'':
		return loc + 1
	}
	return loc
}

// position turns a PL/pgSQL line number (1 is the line the body starts on) into a file
// position, at the first character of query on that line when it is found there, else at
// the line's first non-blank character.
func (s *doSource) position(lineno int, text, query string) (int, int) {
	line, col, _ := s.locate(lineno, text, query)
	return line, col
}

// locate is position, also returning the file offset of query when it was found.
func (s *doSource) locate(lineno int, text, query string) (int, int, int) {
	line := s.bodyLine + max(lineno, 1) - 1
	if line > len(s.lines) {
		line = len(s.lines)
	}
	start := s.lines[line-1]
	end := len(text)
	if line < len(s.lines) {
		end = s.lines[line] - 1
	}
	lineText := text[start:end]
	if q := strings.TrimSpace(query); q != "" {
		head := q
		if i := strings.IndexAny(head, " \t\n"); i > 0 {
			head = head[:i]
		}
		if i := strings.Index(lineText, head); i >= 0 {
			return line, i + 1, start + i
		}
	}
	col := len(lineText) - len(strings.TrimLeft(lineText, " \t")) + 1
	return line, col, -1
}

// stmts reduces a list of PL/pgSQL statements.
func (s *doSource) stmts(nodes []plNode, text string, depth int) []plStmt {
	var out []plStmt
	for _, n := range nodes {
		for kind, raw := range n {
			var f plFields
			if err := json.Unmarshal(raw, &f); err != nil {
				continue
			}
			st := s.stmt(kind, &f, text, depth)
			if kind == "PLpgSQL_stmt_return" && f.Lineno == 0 {
				continue // the implicit RETURN the compiler appends to every body
			}
			out = append(out, st)
		}
	}
	return out
}

func (s *doSource) stmt(kind string, f *plFields, text string, depth int) plStmt {
	st := plStmt{kind: plOther}
	query := ""
	switch kind {
	case "PLpgSQL_stmt_execsql":
		query = f.Sqlstmt.text()
	case "PLpgSQL_stmt_dynexecute":
		query = "EXECUTE"
	}
	var base int
	st.line, st.col, base = s.locate(f.Lineno, text, query)
	switch kind {
	case "PLpgSQL_stmt_block":
		st.kind = plBlock
		st.body = s.stmts(f.Body, text, depth)
		if f.Exceptions != nil {
			for _, e := range f.Exceptions.Block.ExcList {
				st.handlers = append(st.handlers, s.stmts(e.Exc.Action, text, depth)...)
			}
		}
		if len(st.handlers) == 0 && f.Exceptions != nil {
			st.handlers = []plStmt{} // handlers that do nothing still catch errors
		}
	case "PLpgSQL_stmt_execsql":
		st.kind = plSQL
		// The statement is written in the file as it is parsed (PL/pgSQL blanks an INTO
		// clause with spaces), so its parse locations are file offsets from where it starts.
		st.sql, st.sqlErr = parseInner(f.Sqlstmt.text(), base, depth)
	case "PLpgSQL_stmt_dynexecute":
		st.kind = plExecute
		if sql, ok := constantString(f.Query.text()); ok {
			st.sql, st.sqlErr = parseInner(sql, -1, depth)
		} else {
			st.dynamic = f.Query.text()
		}
	case "PLpgSQL_stmt_if":
		st.kind = plIf
		st.branches = append(st.branches, s.branch(f.Cond.text(), f.Lineno, f.ThenBody, text, depth))
		for _, e := range f.ElsifList {
			st.branches = append(st.branches, s.branch(e.Elsif.Cond.text(), e.Elsif.Lineno, e.Elsif.Stmts, text, depth))
		}
		if len(f.ElseBody) > 0 {
			st.branches = append(st.branches, plBranch{line: st.line, col: st.col, body: s.stmts(f.ElseBody, text, depth)})
		}
	case "PLpgSQL_stmt_case":
		st.kind = plIf
		for _, w := range f.CaseWhenList {
			br := s.branch(w.When.Expr.text(), w.When.Lineno, w.When.Stmts, text, depth)
			if f.TExpr != nil {
				// A simple CASE compares a value computed at run time with each WHEN.
				br.cond, br.undecidable = nil, true
			}
			st.branches = append(st.branches, br)
		}
		if f.HaveElse {
			st.branches = append(st.branches, plBranch{line: st.line, col: st.col, body: s.stmts(f.ElseStmts, text, depth)})
		}
	case "PLpgSQL_stmt_loop", "PLpgSQL_stmt_while", "PLpgSQL_stmt_fori", "PLpgSQL_stmt_fors",
		"PLpgSQL_stmt_forc", "PLpgSQL_stmt_foreach_a", "PLpgSQL_stmt_dynfors":
		st.kind = plLoop
		st.what = map[string]string{
			"PLpgSQL_stmt_loop": "LOOP", "PLpgSQL_stmt_while": "WHILE loop", "PLpgSQL_stmt_fori": "FOR loop over a range",
			"PLpgSQL_stmt_fors": "FOR loop over a query", "PLpgSQL_stmt_forc": "FOR loop over a cursor",
			"PLpgSQL_stmt_foreach_a": "FOREACH loop over an array", "PLpgSQL_stmt_dynfors": "FOR loop over an EXECUTEd query",
		}[kind]
		st.body = s.stmts(f.Body, text, depth)
	case "PLpgSQL_stmt_return":
		st.kind = plReturn
	case "PLpgSQL_stmt_exit":
		st.kind = plExit
	}
	return st
}

func (s *doSource) branch(cond string, lineno int, body []plNode, text string, depth int) plBranch {
	br := plBranch{condText: cond, body: s.stmts(body, text, depth)}
	br.line, br.col = s.position(lineno, text, "")
	if tree, err := pg_query.Parse("SELECT " + cond); err == nil && len(tree.GetStmts()) == 1 {
		if sel := tree.GetStmts()[0].GetStmt().GetSelectStmt(); sel != nil && len(sel.GetTargetList()) == 1 && sel.GetFromClause() == nil {
			br.cond = sel.GetTargetList()[0].GetResTarget().GetVal()
		}
	}
	if br.cond == nil {
		br.undecidable = true
	}
	return br
}

// parseInner parses SQL a DO block runs, and the bodies of the DO blocks it runs in turn.
func parseInner(sql string, base, depth int) ([]innerStmt, string) {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return nil, shorten(err.Error())
	}
	var out []innerStmt
	for _, raw := range tree.GetStmts() {
		in := innerStmt{node: raw.GetStmt(), base: base}
		if d := in.node.GetDoStmt(); d != nil {
			if depth >= maxDoDepth {
				in.do = &doBody{failure: "it is nested more than four DO blocks deep"}
			} else {
				start := int(raw.GetStmtLocation())
				end := len(sql)
				if l := int(raw.GetStmtLen()); l > 0 {
					end = start + l
				}
				in.do = parseDo(sql, start, end, newLineIndex(sql), d, depth+1)
				// Positions inside an EXECUTEd string are not positions in the file.
				flattenPositions(in.do.stmts, 0, 0)
			}
		}
		out = append(out, in)
	}
	return out, ""
}

// flattenPositions gives statements of a DO block that was itself EXECUTEd the position
// of the EXECUTE (0, 0 here; the replayer uses its caller's position for them).
func flattenPositions(stmts []plStmt, line, col int) {
	for i := range stmts {
		stmts[i].line, stmts[i].col = line, col
		flattenPositions(stmts[i].body, line, col)
		flattenPositions(stmts[i].handlers, line, col)
		for j := range stmts[i].branches {
			stmts[i].branches[j].line, stmts[i].branches[j].col = line, col
			flattenPositions(stmts[i].branches[j].body, line, col)
		}
	}
}
