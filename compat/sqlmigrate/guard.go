package sqlmigrate

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Guards are the conditions DO blocks put around schema changes to make a migration
// idempotent: IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name =
// 'users' AND column_name = 'email'), to_regclass('users') IS NULL, and so on. A guard is
// decided against the catalog the migrations built up to that statement, which is the
// schema a database that ran them has, as far as the migrations say:
//
//   - an object the catalog holds exists;
//   - an object it does not hold does not exist, unless something the replay could not
//     read (a DO block left undecided, a table whose columns are not all known) may have
//     made it: the guard is then undecided;
//   - any condition that is not such a catalog question (a variable, a query on the
//     application's data, a predicate on a catalog column that is not modelled) is
//     undecided.
//
// Objects made outside the migrations (by an extension, by hand) are invisible to the
// catalog, as they are to the rest of the comparison; docs/sql.md says so.

// tri is a three-valued truth: a guard is true, false or undecided.
type tri int

const (
	triUnknown tri = iota
	triFalse
	triTrue
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

func (t tri) not() tri {
	switch t {
	case triTrue:
		return triFalse
	case triFalse:
		return triTrue
	}
	return triUnknown
}

// decide evaluates a guard.
func (r *replayer) decide(n *pg_query.Node) tri {
	switch {
	case n == nil:
		return triUnknown
	case n.GetBoolExpr() != nil:
		b := n.GetBoolExpr()
		switch b.GetBoolop() {
		case pg_query.BoolExprType_NOT_EXPR:
			if len(b.GetArgs()) == 1 {
				return r.decide(b.GetArgs()[0]).not()
			}
		case pg_query.BoolExprType_AND_EXPR:
			out := triTrue
			for _, a := range b.GetArgs() {
				switch r.decide(a) {
				case triFalse:
					return triFalse
				case triUnknown:
					out = triUnknown
				}
			}
			return out
		case pg_query.BoolExprType_OR_EXPR:
			out := triFalse
			for _, a := range b.GetArgs() {
				switch r.decide(a) {
				case triTrue:
					return triTrue
				case triUnknown:
					out = triUnknown
				}
			}
			return out
		}
	case n.GetAConst() != nil && n.GetAConst().GetBoolval() != nil:
		return triOf(n.GetAConst().GetBoolval().GetBoolval())
	case n.GetSubLink() != nil && n.GetSubLink().GetSubLinkType() == pg_query.SubLinkType_EXISTS_SUBLINK:
		return r.exists(n.GetSubLink().GetSubselect().GetSelectStmt())
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		var t tri
		switch arg := nt.GetArg(); {
		case arg.GetFuncCall() != nil:
			t = r.regExists(arg.GetFuncCall())
		case arg.GetSubLink() != nil && arg.GetSubLink().GetSubLinkType() == pg_query.SubLinkType_EXPR_SUBLINK:
			// (SELECT 1 FROM ... WHERE ...) IS NULL asks whether no row matches, when the
			// selected value cannot be NULL itself.
			sel := arg.GetSubLink().GetSubselect().GetSelectStmt()
			if !selectsNonNull(sel) {
				return triUnknown
			}
			t = r.exists(sel)
		default:
			return triUnknown
		}
		if nt.GetNulltesttype() == pg_query.NullTestType_IS_NULL {
			return t.not()
		}
		return t
	case n.GetAExpr() != nil:
		return r.countTest(n.GetAExpr())
	}
	return triUnknown
}

// countTest decides (SELECT count(*) FROM catalog WHERE ...) compared with 0 or 1.
func (r *replayer) countTest(e *pg_query.A_Expr) tri {
	if e.GetKind() != pg_query.A_Expr_Kind_AEXPR_OP || len(e.GetName()) != 1 {
		return triUnknown
	}
	op := e.GetName()[0].GetString_().GetSval()
	sub, num := e.GetLexpr(), e.GetRexpr()
	if sub.GetSubLink() == nil {
		sub, num = num, sub
		op = map[string]string{"<": ">", ">": "<", "<=": ">=", ">=": "<=", "=": "=", "<>": "<>", "!=": "!="}[op]
	}
	sl := sub.GetSubLink()
	c := num.GetAConst()
	if sl == nil || sl.GetSubLinkType() != pg_query.SubLinkType_EXPR_SUBLINK || c == nil {
		return triUnknown
	}
	n := int32(0)
	switch {
	case c.GetIval() != nil:
		n = c.GetIval().GetIval()
	case c.GetSval() == nil && c.GetFval() == nil && c.GetBoolval() == nil && !c.GetIsnull():
	default:
		return triUnknown
	}
	sel := sl.GetSubselect().GetSelectStmt()
	if sel == nil || len(sel.GetTargetList()) != 1 || !isCountStar(sel.GetTargetList()[0].GetResTarget().GetVal()) {
		return triUnknown
	}
	// count > 0, >= 1, <> 0 ask whether a row exists; = 0, < 1, <= 0 whether none does.
	switch {
	case (op == ">" && n == 0) || (op == ">=" && n == 1) || ((op == "<>" || op == "!=") && n == 0):
		return r.exists(sel)
	case (op == "=" && n == 0) || (op == "<" && n == 1) || (op == "<=" && n == 0):
		return r.exists(sel).not()
	}
	return triUnknown
}

func isCountStar(n *pg_query.Node) bool {
	fc := n.GetFuncCall()
	if fc == nil || len(fc.GetFuncname()) == 0 {
		return false
	}
	name := fc.GetFuncname()[len(fc.GetFuncname())-1].GetString_().GetSval()
	return name == "count" && (fc.GetAggStar() || len(fc.GetArgs()) == 1)
}

// nonNullColumns are catalog columns that are never NULL, so selecting one in a scalar
// subquery and testing it with IS NULL asks whether no row matches.
var nonNullColumns = map[string]bool{
	"oid": true, "relname": true, "typname": true, "attname": true, "conname": true, "indexname": true,
	"tablename": true, "viewname": true, "column_name": true, "table_name": true, "constraint_name": true,
	"enumlabel": true, "relkind": true,
}

func selectsNonNull(sel *pg_query.SelectStmt) bool {
	if sel == nil || len(sel.GetTargetList()) != 1 {
		return false
	}
	v := sel.GetTargetList()[0].GetResTarget().GetVal()
	switch {
	case v.GetAConst() != nil:
		return !v.GetAConst().GetIsnull()
	case v.GetColumnRef() != nil:
		f := v.GetColumnRef().GetFields()
		return len(f) > 0 && nonNullColumns[f[len(f)-1].GetString_().GetSval()]
	}
	return false
}

// regExists decides to_regclass('name') and to_regtype('name'), whose result is NULL
// when nothing of that name exists.
func (r *replayer) regExists(fc *pg_query.FuncCall) tri {
	names := fc.GetFuncname()
	if len(names) == 0 || len(fc.GetArgs()) != 1 {
		return triUnknown
	}
	arg, ok := foldString(fc.GetArgs()[0])
	if !ok {
		return triUnknown
	}
	schema, name := splitQualified(arg)
	switch names[len(names)-1].GetString_().GetSval() {
	case "to_regclass":
		return r.relationExists(schema, name, "relation")
	case "to_regtype":
		return r.typeExists(schema, name)
	}
	return triUnknown
}

// splitQualified splits "schema.name" as a regclass input is written; quotes are
// dropped and unquoted names folded to lower case.
func splitQualified(s string) (schema, name string) {
	parts := []string{}
	for _, p := range strings.Split(s, ".") {
		p = strings.TrimSpace(p)
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		} else {
			p = strings.ToLower(p)
		}
		parts = append(parts, p)
	}
	if len(parts) == 1 {
		return "", parts[0]
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// guardQuery is an EXISTS subquery over the system catalogs reduced to its constants:
// which catalog view it reads and the value each of its columns must equal.
type guardQuery struct {
	view string
	eq   map[string]string
}

// catalogViews lists the system catalog views guards ask, with the columns whose
// equality with a constant the replay can decide. A condition on any other column makes
// the guard undecided.
var catalogViews = map[string][]string{
	"information_schema.columns":           {"table_schema", "table_name", "column_name", "data_type", "table_catalog"},
	"information_schema.tables":            {"table_schema", "table_name", "table_type", "table_catalog"},
	"information_schema.views":             {"table_schema", "table_name", "table_catalog"},
	"information_schema.table_constraints": {"table_schema", "constraint_schema", "table_name", "constraint_name", "constraint_type", "table_catalog", "constraint_catalog"},
	"pg_tables":                            {"schemaname", "tablename"},
	"pg_views":                             {"schemaname", "viewname"},
	"pg_matviews":                          {"schemaname", "matviewname"},
	"pg_indexes":                           {"schemaname", "tablename", "indexname"},
	"pg_class":                             {"relname", "relkind", "relnamespace"},
	"pg_type":                              {"typname", "typtype", "typnamespace"},
	"pg_constraint":                        {"conname", "conrelid", "contype", "connamespace"},
	"pg_attribute":                         {"attrelid", "attname", "attisdropped"},
	"pg_enum":                              {"enumlabel", "enumtypid"},
}

// parseGuardQuery reduces sel, or returns nil when it is not a plain catalog lookup:
// one catalog view in FROM, a WHERE that is a conjunction of column = constant (a
// constant cast to regclass, regtype or regnamespace included).
func parseGuardQuery(sel *pg_query.SelectStmt) *guardQuery {
	if sel == nil || sel.GetOp() != pg_query.SetOperation_SETOP_NONE || len(sel.GetFromClause()) != 1 ||
		sel.GetGroupClause() != nil || sel.GetHavingClause() != nil || sel.GetLimitCount() != nil {
		return nil
	}
	rv := sel.GetFromClause()[0].GetRangeVar()
	if rv == nil {
		return nil
	}
	view := rv.GetRelname()
	switch rv.GetSchemaname() {
	case "information_schema":
		view = "information_schema." + view
	case "", "pg_catalog":
	default:
		return nil
	}
	cols, ok := catalogViews[view]
	if !ok {
		return nil
	}
	q := &guardQuery{view: view, eq: map[string]string{}}
	var conds []*pg_query.Node
	var flatten func(n *pg_query.Node)
	flatten = func(n *pg_query.Node) {
		if b := n.GetBoolExpr(); b != nil && b.GetBoolop() == pg_query.BoolExprType_AND_EXPR {
			for _, a := range b.GetArgs() {
				flatten(a)
			}
			return
		}
		conds = append(conds, n)
	}
	if w := sel.GetWhereClause(); w != nil {
		flatten(w)
	}
	for _, c := range conds {
		col, val, ok := equality(c)
		if !ok || !slices.Contains(cols, col) {
			return nil
		}
		if old, dup := q.eq[col]; dup && old != val {
			return nil
		}
		q.eq[col] = val
	}
	return q
}

// equality reads "col = 'value'" (either way round, the column optionally qualified by an
// alias, the constant optionally cast), "NOT col" and "col = false" for boolean flags
// (value "f"), and "col = current_database()" for the catalog columns (value "").
func equality(n *pg_query.Node) (col, val string, ok bool) {
	if b := n.GetBoolExpr(); b != nil && b.GetBoolop() == pg_query.BoolExprType_NOT_EXPR && len(b.GetArgs()) == 1 {
		if c := columnName(b.GetArgs()[0]); c != "" {
			return c, "f", true
		}
		return "", "", false
	}
	e := n.GetAExpr()
	if e == nil || e.GetKind() != pg_query.A_Expr_Kind_AEXPR_OP || len(e.GetName()) != 1 || e.GetName()[0].GetString_().GetSval() != "=" {
		return "", "", false
	}
	l, rt := e.GetLexpr(), e.GetRexpr()
	if columnName(l) == "" {
		l, rt = rt, l
	}
	col = columnName(l)
	if col == "" {
		return "", "", false
	}
	if fc := rt.GetFuncCall(); fc != nil && len(fc.GetFuncname()) > 0 &&
		fc.GetFuncname()[len(fc.GetFuncname())-1].GetString_().GetSval() == "current_database" {
		return col, "", true
	}
	if sv := rt.GetSqlvalueFunction(); sv != nil && sv.GetOp() == pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG {
		return col, "", true
	}
	if c := rt.GetAConst(); c != nil && c.GetBoolval() != nil {
		if c.GetBoolval().GetBoolval() {
			return col, "t", true
		}
		return col, "f", true
	}
	if tc := rt.GetTypeCast(); tc != nil {
		switch typeOf(tc.GetTypeName()).name {
		case "regclass", "regtype", "regnamespace", "name":
			rt = tc.GetArg()
		}
	}
	v, ok := foldString(rt)
	return col, v, ok
}

func columnName(n *pg_query.Node) string {
	cr := n.GetColumnRef()
	if cr == nil || len(cr.GetFields()) == 0 || len(cr.GetFields()) > 2 {
		return ""
	}
	return cr.GetFields()[len(cr.GetFields())-1].GetString_().GetSval()
}

// exists decides whether a catalog lookup finds a row.
func (r *replayer) exists(sel *pg_query.SelectStmt) tri {
	q := parseGuardQuery(sel)
	if q == nil {
		return triUnknown
	}
	for _, c := range []string{"table_catalog", "constraint_catalog"} {
		if v, ok := q.eq[c]; ok && v != "" {
			return triUnknown // another database than the one migrated
		}
	}
	switch q.view {
	case "information_schema.columns":
		if _, ok := q.eq["column_name"]; !ok {
			return r.relationExists(q.eq["table_schema"], q.eq["table_name"], "table")
		}
		return r.columnExists(q.eq["table_schema"], q.eq["table_name"], q.eq["column_name"], q.eq["data_type"])
	case "information_schema.tables":
		kind := "table"
		switch t, ok := q.eq["table_type"]; {
		case !ok:
			kind = "table or view"
		case t == "VIEW":
			kind = "view"
		case t != "BASE TABLE":
			return triUnknown
		}
		return r.relationExists(q.eq["table_schema"], q.eq["table_name"], kind)
	case "information_schema.views":
		return r.relationExists(q.eq["table_schema"], q.eq["table_name"], "view")
	case "information_schema.table_constraints":
		schema := q.eq["table_schema"]
		if s, ok := q.eq["constraint_schema"]; ok {
			schema = s
		}
		if _, ok := q.eq["constraint_type"]; ok {
			return triUnknown
		}
		return r.constraintExists(schema, q.eq["table_name"], q.eq["constraint_name"])
	case "pg_tables":
		return r.relationExists(q.eq["schemaname"], q.eq["tablename"], "table")
	case "pg_views", "pg_matviews":
		name := q.eq["viewname"]
		if q.view == "pg_matviews" {
			name = q.eq["matviewname"]
		}
		return r.relationExists(q.eq["schemaname"], name, "view")
	case "pg_indexes":
		if _, ok := q.eq["indexname"]; !ok {
			return triUnknown
		}
		return r.relationExists(q.eq["schemaname"], q.eq["indexname"], "index")
	case "pg_class":
		kind := map[string]string{"": "relation", "r": "table", "p": "table", "v": "view", "m": "view", "i": "index", "S": "sequence"}[q.eq["relkind"]]
		if kind == "" {
			return triUnknown
		}
		return r.relationExists(q.eq["relnamespace"], q.eq["relname"], kind)
	case "pg_type":
		if t, ok := q.eq["typtype"]; ok && t != "e" {
			return triUnknown
		}
		return r.typeExists(q.eq["typnamespace"], q.eq["typname"])
	case "pg_constraint":
		schema, table := "", ""
		if rel, ok := q.eq["conrelid"]; ok {
			schema, table = splitQualified(rel)
		}
		if _, ok := q.eq["contype"]; ok {
			return triUnknown
		}
		return r.constraintExists(schema, table, q.eq["conname"])
	case "pg_attribute":
		rel, ok := q.eq["attrelid"]
		if !ok {
			return triUnknown
		}
		if d, ok := q.eq["attisdropped"]; ok && d != "f" {
			return triUnknown
		}
		schema, table := splitQualified(rel)
		return r.columnExists(schema, table, q.eq["attname"], "")
	case "pg_enum":
		typ, ok := q.eq["enumtypid"]
		if !ok {
			return triUnknown
		}
		schema, name := splitQualified(typ)
		return r.enumLabelExists(schema, name, q.eq["enumlabel"])
	}
	return triUnknown
}

// absent is the answer for an object the catalog does not hold: false, unless the
// replay met something it could not read that may have made it.
func (r *replayer) absent() tri {
	if r.cat.opaque {
		return triUnknown
	}
	return triFalse
}

// candidates returns the catalog keys an object name may have: in one schema when the
// guard names it, in any schema when it does not.
func candidates[V any](m map[string]V, schema, name string) []string {
	if name == "" {
		return nil
	}
	if schema != "" {
		if _, ok := m[qualify(schema, name)]; ok {
			return []string{qualify(schema, name)}
		}
		return nil
	}
	var out []string
	for key := range m {
		if key == name || strings.HasSuffix(key, "."+name) {
			out = append(out, key)
		}
	}
	slices.Sort(out)
	return out
}

func (r *replayer) relationExists(schema, name, kind string) tri {
	if name == "" {
		return triUnknown
	}
	found := false
	if kind == "table" || kind == "table or view" || kind == "relation" {
		found = found || len(candidates(r.cat.tables, schema, name)) > 0
	}
	if kind == "view" || kind == "table or view" || kind == "relation" {
		found = found || len(candidates(r.cat.views, schema, name)) > 0
	}
	if kind == "index" || kind == "relation" {
		found = found || len(candidates(r.cat.indexes, schema, name)) > 0
	}
	if kind == "sequence" || kind == "relation" {
		found = found || len(candidates(r.cat.sequences, schema, name)) > 0
	}
	if found {
		return triTrue
	}
	return r.absent()
}

func (r *replayer) typeExists(schema, name string) tri {
	if name == "" {
		return triUnknown
	}
	if len(candidates(r.cat.types, schema, name)) > 0 || len(candidates(r.cat.otherTypes, schema, name)) > 0 ||
		len(candidates(r.cat.domains, schema, name)) > 0 {
		return triTrue
	}
	return r.absent()
}

func (r *replayer) constraintExists(schema, table, name string) tri {
	if name == "" {
		return triUnknown
	}
	var keys []string
	if table != "" {
		keys = candidates(r.cat.tables, schema, table)
	} else {
		want := schema
		if want == "public" {
			want = ""
		}
		for key := range r.cat.tables {
			if schema == "" || schemaOf(key) == want {
				keys = append(keys, key)
			}
		}
	}
	complete := true
	for _, key := range keys {
		t := r.cat.tables[key]
		if _, ok := t.cons[name]; ok {
			return triTrue
		}
		complete = complete && t.complete
	}
	if !complete {
		return triUnknown
	}
	return r.absent()
}

func (r *replayer) columnExists(schema, table, column, dataType string) tri {
	if table == "" || column == "" {
		return triUnknown
	}
	keys := candidates(r.cat.tables, schema, table)
	if len(keys) == 0 {
		return r.absent()
	}
	out := triFalse
	for _, key := range keys {
		t := r.cat.tables[key]
		col, ok := t.byName[column]
		switch {
		case ok && dataType == "":
			return triTrue
		case ok:
			spelled, known := informationSchemaType(col)
			if !known {
				out = triUnknown
			} else if spelled == dataType {
				return triTrue
			}
		case !t.complete:
			out = triUnknown
		}
	}
	if out == triFalse {
		return r.absent()
	}
	return out
}

func (r *replayer) enumLabelExists(schema, name, label string) tri {
	keys := candidates(r.cat.types, schema, name)
	if len(keys) == 0 || label == "" {
		return triUnknown
	}
	for _, key := range keys {
		e := r.cat.types[key]
		if slices.Contains(e.values, label) {
			return triTrue
		}
		if !e.complete {
			return triUnknown
		}
	}
	return r.absent()
}

// informationSchemaType spells a column's type as information_schema.columns.data_type
// does, for the types that spelling is known for.
func informationSchemaType(col *column) (string, bool) {
	if !col.typeKnown {
		return "", false
	}
	if col.typ.array > 0 {
		return "ARRAY", true
	}
	spelled := map[string]string{
		"int2": "smallint", "int4": "integer", "int8": "bigint", "varchar": "character varying",
		"bpchar": "character", "bool": "boolean", "float4": "real", "float8": "double precision",
		"timestamptz": "timestamp with time zone", "timestamp": "timestamp without time zone",
		"timetz": "time with time zone", "time": "time without time zone", "numeric": "numeric",
		"text": "text", "uuid": "uuid", "jsonb": "jsonb", "json": "json", "bytea": "bytea", "date": "date",
		"inet": "inet", "cidr": "cidr", "interval": "interval", "citext": "USER-DEFINED",
	}
	s, ok := spelled[col.typ.name]
	return s, ok
}

// guardNames adds the names a guard compares catalog columns with, so that the history
// of every object a DO block asks about is replayed (see relevance.go).
func guardNames(n *pg_query.Node, into names) bool {
	grew := false
	walk(n, func(m protoreflect.Message) bool {
		if c, ok := m.Interface().(*pg_query.A_Const); ok && c.GetSval() != nil {
			schema, name := splitQualified(c.GetSval().GetSval())
			grew = into.add(name) || grew
			grew = into.add(schema) || grew
		}
		return true
	})
	return grew
}
