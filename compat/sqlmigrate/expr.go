package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxExprDepth bounds the walk over expression trees. The parser itself refuses
// extremely deep input; this keeps our own recursion bounded whatever it returns.
const maxExprDepth = 200

// walk calls fn for every message inside n (n included), depth first, until fn returns
// false. It reaches every node kind through protobuf reflection, so expressions of any
// shape are covered without a case per node type.
func walk(n *pg_query.Node, fn func(m protoreflect.Message) bool) {
	if n == nil {
		return
	}
	walkMessage(n.ProtoReflect(), 0, fn)
}

func walkMessage(m protoreflect.Message, depth int, fn func(m protoreflect.Message) bool) bool {
	if depth > maxExprDepth {
		return false
	}
	if !fn(m) {
		return false
	}
	ok := true
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() != protoreflect.MessageKind {
			return true
		}
		if fd.IsList() {
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				if !walkMessage(l.Get(i).Message(), depth+1, fn) {
					ok = false
					return false
				}
			}
			return true
		}
		if !walkMessage(v.Message(), depth+1, fn) {
			ok = false
			return false
		}
		return true
	})
	return ok
}

// columnRefs lists the columns an expression mentions, in order, without repeats.
func columnRefs(n *pg_query.Node, _ int) []string {
	var out []string
	seen := map[string]bool{}
	walk(n, func(m protoreflect.Message) bool {
		if cr, ok := m.Interface().(*pg_query.ColumnRef); ok {
			fields := cr.GetFields()
			if len(fields) > 0 {
				if s := fields[len(fields)-1].GetString_(); s != nil && !seen[s.GetSval()] {
					seen[s.GetSval()] = true
					out = append(out, s.GetSval())
				}
			}
		}
		return true
	})
	return out
}

// stableFunctions are functions that are not volatile, so a default calling them is
// evaluated once when a column is added (PostgreSQL 11 and later store it in the
// catalog instead of rewriting the table). Any other function is assumed volatile,
// because that is PostgreSQL's default for user-defined functions.
var stableFunctions = map[string]bool{
	"now": true, "transaction_timestamp": true, "statement_timestamp": true,
	"current_date": true, "current_time": true, "current_timestamp": true, "localtime": true, "localtimestamp": true,
	"lower": true, "upper": true, "trim": true, "btrim": true, "length": true, "concat": true,
	"coalesce": true, "nullif": true, "greatest": true, "least": true, "abs": true, "round": true,
	"to_jsonb": true, "to_json": true, "jsonb_build_object": true, "json_build_object": true,
	"jsonb_build_array": true, "json_build_array": true, "array": true, "make_interval": true,
	"date_trunc": true, "timezone": true, "md5": true, "current_user": true, "current_setting": true,
}

// isVolatile reports whether a default expression calls a volatile function.
func isVolatile(n *pg_query.Node) bool {
	volatile := false
	walk(n, func(m protoreflect.Message) bool {
		switch x := m.Interface().(type) {
		case *pg_query.FuncCall:
			names := x.GetFuncname()
			if len(names) == 0 {
				return true
			}
			name := names[len(names)-1].GetString_().GetSval()
			if !stableFunctions[name] {
				volatile = true
				return false
			}
		case *pg_query.SubLink:
			volatile = true
			return false
		}
		return true
	})
	return volatile
}
