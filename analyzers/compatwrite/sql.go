package compatwrite

import (
	"context"
	"fmt"
	"go/ast"
	"slices"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"golang.org/x/tools/go/analysis"
)

// sqlAdditions asks compat/sqlmigrate what the migrations the baseline does not list do
// to the released ones, and keeps the read-tolerant label additions.
func (st *state) sqlAdditions(ctx context.Context, baseline *contract.Snapshot) {
	for _, tree := range st.contracts.SQL {
		var released *contract.SQLTree
		for i := range baseline.SQL {
			if baseline.SQL[i].Dir == tree.Dir {
				released = &baseline.SQL[i]
			}
		}
		if released == nil {
			continue // a tree new in this release: everything it creates is new to readers too
		}
		old := tree.Source(func(name string) bool { return slices.Contains(released.Migrations, name) })
		report, err := sqlmigrate.Compare(ctx, old, tree.Source(nil), sqlmigrate.Options{})
		if err != nil {
			continue
		}
		byType := map[string]*addedLabels{}
		var types []string
		for _, f := range report.Findings {
			if f.Rule != "ENUM_LABEL_ADDED" || f.Class() != compat.ReadTolerant || f.Suppressed != "" {
				continue
			}
			al := byType[f.Subject]
			if al == nil {
				al = &addedLabels{Type: f.Subject, Finding: f, Tables: tree.Schema.Tables}
				byType[f.Subject] = al
				types = append(types, f.Subject)
			}
			if f.New != nil {
				if m := tree.DisplayName(f.New.File); !strings.Contains(al.Migration, m) {
					al.Migration = strings.TrimPrefix(al.Migration+", "+m, ", ")
				}
			}
		}
		sort.Strings(types)
		for _, typ := range types {
			al := byType[typ]
			var before []string
			for _, e := range released.Enums {
				if e.Name == typ {
					before = e.Labels
				}
			}
			if cur := tree.Schema.Enum(typ); cur != nil {
				for _, l := range cur.Labels {
					if !slices.Contains(before, l) {
						al.Labels = append(al.Labels, l)
					}
				}
			}
			if len(al.Labels) > 0 {
				st.local = append(st.local, *al)
			}
		}
	}
}

// sqlWrite is one enum label a constant SQL statement writes.
type sqlWrite struct {
	label, typ, column string
	// loc is the label's byte offset in the SQL text.
	loc  int
	verb string
}

// checkSQL reports the added labels that a constant SQL string writes.
func (st *state) checkSQL(e ast.Expr, sql string, stack []ast.Node) {
	if len(st.labels) == 0 || !strings.Contains(sql, "'") {
		return
	}
	lower := strings.ToLower(sql)
	if !strings.Contains(lower, "insert") && !strings.Contains(lower, "update") {
		return
	}
	res, err := pg_query.Parse(sql)
	if err != nil {
		return // not SQL, or SQL with placeholders PostgreSQL does not read ("?")
	}
	for _, w := range st.labelWrites(res) {
		al, ok := st.addedLabel(w.typ, w.label)
		if !ok || st.gated(stack) {
			continue
		}
		pos := e.Pos()
		if lit, ok := e.(*ast.BasicLit); ok {
			pos = contract.LiteralPos(lit, w.loc)
		}
		target := "a value of type " + w.typ
		if w.column != "" {
			target = w.column
		}
		analysisutil.Report(st.pass, analysis.Diagnostic{
			Pos: pos,
			Message: fmt.Sprintf("%s writes enum label '%s' of %s to %s, which %s adds in this release (%s, %s); "+
				"the previous release, still running during the rollout, cannot read it: write it from the next release or behind a rollout gate",
				w.verb, w.label, w.typ, target, al.Migration, al.Finding.Rule, al.Finding.Class()),
		}, contract.RuleEnumLabelWritten.ID, analysisutil.RuleURL(contract.RuleEnumLabelWritten.ID))
	}
}

// addedLabel finds an added label of a type.
func (st *state) addedLabel(typ, label string) (addedLabels, bool) {
	for _, al := range st.labels {
		if al.Type == typ && slices.Contains(al.Labels, label) {
			return al, true
		}
	}
	return addedLabels{}, false
}

// columnType returns a column's type from the schemas of the added labels.
func (st *state) columnType(table, column string) string {
	for _, al := range st.labels {
		for _, t := range al.Tables {
			if t.Name != table {
				continue
			}
			for _, c := range t.Columns {
				if c.Name == column {
					return c.Type
				}
			}
		}
	}
	return ""
}

// tableColumns returns a table's columns in order, for an INSERT without a column list.
func (st *state) tableColumns(table string) []string {
	for _, al := range st.labels {
		for _, t := range al.Tables {
			if t.Name == table {
				var out []string
				for _, c := range t.Columns {
					out = append(out, c.Name)
				}
				return out
			}
		}
	}
	return nil
}

// labelWrites finds the string constants a parsed SQL text writes to enum-typed columns
// or casts to an enum type: INSERT values (VALUES rows and SELECT targets), UPDATE and
// ON CONFLICT DO UPDATE assignments, also inside WITH clauses. Comparisons in WHERE are
// reads and are not looked at.
func (st *state) labelWrites(res *pg_query.ParseResult) []sqlWrite {
	var out []sqlWrite
	value := func(verb, table, column string, n *pg_query.Node) {
		label, cast, loc, ok := stringValue(n)
		if !ok {
			return
		}
		typ := cast
		if typ == "" && column != "" {
			typ = st.columnType(table, column)
		}
		if typ == "" {
			return
		}
		col := ""
		if column != "" {
			col = table + "." + column
		}
		out = append(out, sqlWrite{label: label, typ: typ, column: col, loc: loc, verb: verb})
	}
	var stmt func(n *pg_query.Node)
	targets := func(verb, table string, list []*pg_query.Node) {
		for _, t := range list {
			if rt := t.GetResTarget(); rt != nil {
				value(verb, table, rt.GetName(), rt.GetVal())
			}
		}
	}
	ctes := func(w *pg_query.WithClause) {
		for _, c := range w.GetCtes() {
			stmt(c.GetCommonTableExpr().GetCtequery())
		}
	}
	stmt = func(n *pg_query.Node) {
		switch {
		case n.GetInsertStmt() != nil:
			ins := n.GetInsertStmt()
			ctes(ins.GetWithClause())
			table := tableKey(ins.GetRelation())
			var cols []string
			for _, c := range ins.GetCols() {
				cols = append(cols, c.GetResTarget().GetName())
			}
			if len(cols) == 0 {
				cols = st.tableColumns(table)
			}
			col := func(i int) string {
				if i < len(cols) {
					return cols[i]
				}
				return ""
			}
			sel := ins.GetSelectStmt().GetSelectStmt()
			for _, row := range sel.GetValuesLists() {
				for i, v := range row.GetList().GetItems() {
					value("INSERT", table, col(i), v)
				}
			}
			for i, t := range sel.GetTargetList() {
				value("INSERT", table, col(i), t.GetResTarget().GetVal())
			}
			targets("INSERT ... ON CONFLICT", table, ins.GetOnConflictClause().GetTargetList())
		case n.GetUpdateStmt() != nil:
			up := n.GetUpdateStmt()
			ctes(up.GetWithClause())
			targets("UPDATE", tableKey(up.GetRelation()), up.GetTargetList())
		case n.GetSelectStmt() != nil:
			ctes(n.GetSelectStmt().GetWithClause())
		}
	}
	for _, raw := range res.GetStmts() {
		stmt(raw.GetStmt())
	}
	return out
}

// stringValue reads a string constant, possibly cast to a type: 'x' or 'x'::t.
func stringValue(n *pg_query.Node) (label, cast string, loc int, ok bool) {
	if tc := n.GetTypeCast(); tc != nil {
		label, _, loc, ok = stringValue(tc.GetArg())
		return label, typeKey(tc.GetTypeName()), loc, ok
	}
	c := n.GetAConst()
	if c == nil || c.GetSval() == nil {
		return "", "", 0, false
	}
	return c.GetSval().GetSval(), "", int(c.GetLocation()), true
}

// tableKey and typeKey name tables and types as compat/sqlmigrate's schema does: with
// their schema, unless it is public or pg_catalog.
func tableKey(rv *pg_query.RangeVar) string { return qualify(rv.GetSchemaname(), rv.GetRelname()) }

func typeKey(tn *pg_query.TypeName) string {
	var parts []string
	for _, n := range tn.GetNames() {
		parts = append(parts, n.GetString_().GetSval())
	}
	if len(parts) == 0 {
		return ""
	}
	return qualify(strings.Join(parts[:len(parts)-1], "."), parts[len(parts)-1])
}

func qualify(schema, name string) string {
	if schema == "" || schema == "public" || schema == "pg_catalog" {
		return name
	}
	return schema + "." + name
}
