package sqlmigrate

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
)

// maxConstant bounds the strings constant folding builds, so format('%s%s…') of a hostile
// input cannot grow without limit.
const maxConstant = 1 << 20

// constantString folds the expression of an EXECUTE into the SQL it runs, when that SQL
// does not depend on anything known only at run time: a string literal, literals joined
// with ||, and format(), concat(), quote_ident() and quote_literal() of literals. ok is
// false for every other expression (a variable, a query, any other function).
func constantString(expr string) (sql string, ok bool) {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err != nil || len(tree.GetStmts()) != 1 {
		return "", false
	}
	sel := tree.GetStmts()[0].GetStmt().GetSelectStmt()
	if sel == nil || len(sel.GetTargetList()) != 1 || sel.GetFromClause() != nil || sel.GetWhereClause() != nil {
		return "", false
	}
	return foldString(sel.GetTargetList()[0].GetResTarget().GetVal())
}

// foldString evaluates a constant text expression.
func foldString(n *pg_query.Node) (string, bool) {
	switch {
	case n.GetAConst() != nil:
		c := n.GetAConst()
		switch {
		case c.GetSval() != nil:
			return c.GetSval().GetSval(), true
		case c.GetIval() != nil:
			return strconv.Itoa(int(c.GetIval().GetIval())), true
		case c.GetFval() != nil:
			return c.GetFval().GetFval(), true
		case c.GetIsnull():
			return "", false
		case c.GetBoolval() == nil && c.GetBsval() == nil:
			return "0", true // the integer 0 is encoded as an empty value
		}
	case n.GetTypeCast() != nil:
		switch typeOf(n.GetTypeCast().GetTypeName()).name {
		case "text", "varchar", "bpchar", "name":
			return foldString(n.GetTypeCast().GetArg())
		}
	case n.GetAExpr() != nil:
		e := n.GetAExpr()
		if e.GetKind() != pg_query.A_Expr_Kind_AEXPR_OP || len(e.GetName()) != 1 || e.GetName()[0].GetString_().GetSval() != "||" {
			return "", false
		}
		l, ok := foldString(e.GetLexpr())
		if !ok {
			return "", false
		}
		r, ok := foldString(e.GetRexpr())
		if !ok || len(l)+len(r) > maxConstant {
			return "", false
		}
		return l + r, true
	case n.GetFuncCall() != nil:
		return foldCall(n.GetFuncCall())
	}
	return "", false
}

func foldCall(fc *pg_query.FuncCall) (string, bool) {
	names := fc.GetFuncname()
	if len(names) == 0 || fc.GetAggStar() || fc.GetAggDistinct() || fc.GetFuncVariadic() || fc.GetOver() != nil {
		return "", false
	}
	name := names[len(names)-1].GetString_().GetSval()
	if len(names) == 2 && names[0].GetString_().GetSval() != "pg_catalog" {
		return "", false
	}
	args := make([]string, len(fc.GetArgs()))
	for i, a := range fc.GetArgs() {
		v, ok := foldString(a)
		if !ok {
			return "", false
		}
		args[i] = v
	}
	switch {
	case name == "format" && len(args) >= 1:
		return formatSQL(args[0], args[1:])
	case name == "concat":
		s := strings.Join(args, "")
		return s, len(s) <= maxConstant
	case name == "quote_ident" && len(args) == 1:
		return quoteIdent(args[0]), true
	case name == "quote_literal" && len(args) == 1:
		return quoteLiteral(args[0]), true
	}
	return "", false
}

// formatSQL implements PostgreSQL's format() for %s, %I, %L and %%, with optional
// positions (%2$I). Width and flags are not supported: ok is false, as for anything the
// fold cannot reproduce exactly.
func formatSQL(f string, args []string) (string, bool) {
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return "", false
		}
		if f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		arg := next
		if j := strings.IndexByte(f[i:], '$'); j > 0 {
			if n, err := strconv.Atoi(f[i : i+j]); err == nil {
				arg, i = n-1, i+j+1
				if i >= len(f) {
					return "", false
				}
			}
		}
		if arg < 0 || arg >= len(args) {
			return "", false
		}
		next = arg + 1
		switch f[i] {
		case 's':
			b.WriteString(args[arg])
		case 'I':
			b.WriteString(quoteIdent(args[arg]))
		case 'L':
			b.WriteString(quoteLiteral(args[arg]))
		default:
			return "", false
		}
		if b.Len() > maxConstant {
			return "", false
		}
	}
	return b.String(), true
}

// quoteIdent quotes an identifier. PostgreSQL leaves plain lower-case names bare; always
// quoting names the same identifier and never collides with a keyword.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
