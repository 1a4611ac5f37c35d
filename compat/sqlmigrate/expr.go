package sqlmigrate

import (
	pg_query "github.com/pganalyze/pg_query_go/v5"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// walk calls fn for every message inside n (n included), in pre-order, until fn returns
// false. It reaches every node kind through protobuf reflection, so expressions of any
// shape are covered without a case per node type. It keeps its own stack instead of
// recursing, so a deeply nested tree (a long UNION ALL chain, thousands of parentheses)
// cannot exhaust the goroutine stack.
func walk(n *pg_query.Node, fn func(m protoreflect.Message) bool) {
	if n == nil {
		return
	}
	stack := []protoreflect.Message{n.ProtoReflect()}
	var children []protoreflect.Message
	for len(stack) > 0 {
		m := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(m) {
			return
		}
		children = children[:0]
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() != protoreflect.MessageKind {
				return true
			}
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					children = append(children, l.Get(i).Message())
				}
				return true
			}
			children = append(children, v.Message())
			return true
		})
		// Push in reverse so children are visited in field order.
		for i := len(children) - 1; i >= 0; i-- {
			stack = append(stack, children[i])
		}
	}
}

// columnRefs lists the columns an expression mentions, in order, without repeats.
func columnRefs(n *pg_query.Node) []string {
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

// isNullConstant reports a default that is the NULL constant (DEFAULT NULL), which never
// fills rows.
func isNullConstant(n *pg_query.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.GetArg()
	}
	c := n.GetAConst()
	return c != nil && c.GetIsnull()
}
