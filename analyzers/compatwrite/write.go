package compatwrite

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"github.com/compatcheck/compatcheck/analyzers/contract"
	"github.com/compatcheck/compatcheck/analyzers/internal/analysisutil"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// check walks the package's hand-written files for writes of added elements.
func (st *state) check() {
	for _, f := range st.pass.Files {
		if analysisutil.Generated(f) {
			continue
		}
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			if e, ok := n.(ast.Expr); ok && st.checkExpr(e, stack) {
				stack = stack[:len(stack)-1]
				return false // the expression is decided; its parts are not looked at again
			}
			return true
		})
	}
}

// checkExpr checks one expression and reports whether it was decided.
func (st *state) checkExpr(e ast.Expr, stack []ast.Node) bool {
	info := st.pass.TypesInfo
	if tv, ok := info.Types[e]; ok && tv.Value != nil {
		if named, ok := types.Unalias(tv.Type).(*types.Named); ok {
			if fact := st.enumFactOf(named.Obj()); fact != nil {
				if js, ok := contract.ConstJSON(tv.Value); ok {
					if v, ok := fact.value(canonical(js)); ok && !isRead(stack) && !st.gated(stack) {
						st.reportValue(e, stack, named.Obj(), fact, v)
					}
				}
				return true
			}
		}
		if tv.Value.Kind() == constant.String {
			switch e.(type) {
			case *ast.BasicLit, *ast.BinaryExpr:
				st.checkSQL(e, constant.StringVal(tv.Value), stack)
				return true
			}
		}
	}
	var obj types.Object
	var at ast.Node
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if sel := info.Selections[e]; sel != nil {
			obj = sel.Obj()
		} else {
			obj = info.Uses[e.Sel]
		}
		at = e.Sel
	case *ast.Ident:
		obj, at = info.Uses[e], e
	default:
		return false
	}
	fact := st.methodFactOf(obj)
	if fact == nil {
		return false
	}
	if _, isConst := obj.(*types.Const); isConst && isRead(stack) || st.gated(stack) {
		return true
	}
	m := fact.Method
	analysisutil.Report(st.pass, analysis.Diagnostic{
		Pos: at.Pos(), End: e.End(),
		Message: fmt.Sprintf("method %s was added to %s since the baseline (%s, %s); calling it in the same release reaches servers "+
			"of the previous release during the rollout, which answer Unimplemented: call it from the next release or behind a rollout gate",
			m.Path, m.Where, m.Finding.Rule, m.Finding.Class()),
		Related: []analysis.RelatedInformation{{Pos: obj.Pos(), Message: "the generated code that calls " + m.Path}},
	}, contract.RuleMethodCalled.ID, analysisutil.RuleURL(contract.RuleMethodCalled.ID))
	return true
}

// enumFactOf returns the added values of a Go type, from this package or a fact.
func (st *state) enumFactOf(tn *types.TypeName) *enumFact {
	if f := st.enums[tn]; f != nil {
		return f
	}
	if tn.Pkg() == nil || tn.Pkg() == st.pass.Pkg {
		return nil
	}
	f := new(enumFact)
	if st.pass.ImportObjectFact(tn, f) {
		return f
	}
	return nil
}

// methodFactOf returns what a generated object calls, from this package or a fact.
func (st *state) methodFactOf(obj types.Object) *methodFact {
	if obj == nil {
		return nil
	}
	if f := st.methods[obj]; f != nil {
		return f
	}
	if obj.Pkg() == nil || obj.Pkg() == st.pass.Pkg {
		return nil
	}
	if fn, ok := obj.(*types.Func); ok {
		obj = fn.Origin()
	}
	f := new(methodFact)
	if st.pass.ImportObjectFact(obj, f) {
		return f
	}
	return nil
}

// reportValue reports a write of an added enum value.
func (st *state) reportValue(e ast.Expr, stack []ast.Node, tn *types.TypeName, fact *enumFact, v addedValue) {
	where := ""
	if field := st.writtenField(stack); field != "" {
		where = " to " + field
	}
	rule := contract.RuleEnumValueWritten
	var msg string
	if fact.Contract == "proto" {
		msg = fmt.Sprintf("%s.%s (= %s) was added to %s since the baseline (%s, %s); written%s in the same release, "+
			"it reaches readers of the previous release during the rollout, which cannot interpret it: write it from the next release or behind a rollout gate",
			fact.Name, v.Name, v.Value, v.Where, v.Finding.Rule, v.Finding.Class(), where)
	} else {
		rule = contract.RuleJSONEnumValueWritten
		msg = fmt.Sprintf("%s value %s (%s) was added since the baseline (%s, %s); written%s in the same release, "+
			"it reaches readers of the previous release during the rollout, which reject it: write it from the next release or behind a rollout gate",
			fact.Name, v.Value, v.Name, v.Finding.Rule, v.Finding.Class(), where)
	}
	d := analysis.Diagnostic{Pos: e.Pos(), End: e.End(), Message: msg}
	if c := declaredConst(tn, v); c != nil {
		d.Related = []analysis.RelatedInformation{{Pos: c.Pos(), Message: fmt.Sprintf("%s is declared here (%s)", c.Name(), v.Where)}}
	}
	analysisutil.Report(st.pass, d, rule.ID, analysisutil.RuleURL(rule.ID))
}

// declaredConst finds the constant that declares an added value, for Related.
func declaredConst(tn *types.TypeName, v addedValue) *types.Const {
	scope := tn.Pkg().Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok || !types.Identical(c.Type(), tn.Type()) {
			continue
		}
		if js, ok := contract.ConstJSON(c.Val()); ok && canonical(js) == v.Value {
			return c
		}
	}
	return nil
}

// useSite climbs from the expression at the top of the stack through parentheses and
// .Enum() calls (proto2 and editions pointer fields), which pass the value on unchanged,
// to the node that uses it. It returns that node's index in the stack, or -1, and the
// child of it that holds the value.
func useSite(stack []ast.Node) (int, ast.Node) {
	child := stack[len(stack)-1]
	for i := len(stack) - 2; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ParenExpr:
			child = p
			continue
		case *ast.SelectorExpr:
			if p.X == child && p.Sel.Name == "Enum" && i > 0 {
				if call, ok := stack[i-1].(*ast.CallExpr); ok && call.Fun == p {
					child = call
					i--
					continue
				}
			}
		}
		return i, child
	}
	return -1, child
}

// writtenField names the generated message field a value is written to, from the
// message's fact and the field's protobuf struct tag: "shop.v1.Order.status".
func (st *state) writtenField(stack []ast.Node) string {
	i, child := useSite(stack)
	if i < 0 {
		return ""
	}
	switch p := stack[i].(type) {
	case *ast.KeyValueExpr:
		if id, ok := p.Key.(*ast.Ident); ok && p.Value == child {
			if v, ok := st.pass.TypesInfo.Uses[id].(*types.Var); ok && v.IsField() {
				return st.protoFieldName(v)
			}
		}
	case *ast.AssignStmt:
		for j, rhs := range p.Rhs {
			if rhs != child || j >= len(p.Lhs) {
				continue
			}
			if sel, ok := p.Lhs[j].(*ast.SelectorExpr); ok {
				if s := st.pass.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
					return st.protoFieldName(s.Obj().(*types.Var))
				}
			}
		}
	}
	return ""
}

// protoFieldName names a generated message field by its message's full name and the
// name in its protobuf struct tag.
func (st *state) protoFieldName(v *types.Var) string {
	owner := fieldOwner(v)
	if owner == nil {
		return ""
	}
	var msg messageFact
	if m := st.contracts.Proto.Messages[owner]; m != nil {
		msg.Name = string(m.FullName())
	} else if owner.Pkg() == st.pass.Pkg || !st.pass.ImportObjectFact(owner, &msg) {
		return ""
	}
	st2, _ := owner.Type().Underlying().(*types.Struct)
	for i := 0; st2 != nil && i < st2.NumFields(); i++ {
		if st2.Field(i) != v {
			continue
		}
		for _, part := range strings.Split(reflect.StructTag(st2.Tag(i)).Get("protobuf"), ",") {
			if name, ok := strings.CutPrefix(part, "name="); ok {
				return msg.Name + "." + name
			}
		}
	}
	return ""
}

// fieldOwner returns the named struct type that declares a field.
func fieldOwner(v *types.Var) *types.TypeName {
	if v.Pkg() == nil {
		return nil
	}
	scope := v.Pkg().Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok {
			continue
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := 0; i < st.NumFields(); i++ {
				if st.Field(i) == v {
					return tn
				}
			}
		}
	}
	return nil
}

// isRead reports whether the expression at the top of the stack is only read where it
// stands: compared, matched by a switch case, used as a lookup key or map literal key,
// the value of a constant declaration, or the receiver of a method call (other than
// Enum, which returns a pointer to write).
func isRead(stack []ast.Node) bool {
	i, child := useSite(stack)
	if i < 0 {
		return false
	}
	switch p := stack[i].(type) {
	case *ast.BinaryExpr:
		switch p.Op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			return true
		}
	case *ast.CaseClause:
		for _, x := range p.List {
			if x == child {
				return true
			}
		}
	case *ast.IndexExpr:
		return p.Index == child
	case *ast.ValueSpec:
		// Declaring a constant (const StatusRefunded Status = "refunded") writes
		// nothing; initializing a variable does.
		gd, ok := stack[i-1].(*ast.GenDecl)
		return ok && gd.Tok == token.CONST
	case *ast.KeyValueExpr:
		// A key: of a map literal (read), or a struct field's name (not an expression).
		return p.Key == child
	case *ast.SelectorExpr:
		return p.X == child
	}
	return false
}

// gated reports whether the expression at the top of the stack runs only when a rollout
// gate returned true.
func (st *state) gated(stack []ast.Node) bool {
	if len(st.gates) == 0 {
		return false
	}
	for i := len(stack) - 1; i > 0; i-- {
		child := stack[i]
		switch p := stack[i-1].(type) {
		case *ast.IfStmt:
			if child == p.Body && st.implies(p.Cond, true) {
				return true
			}
			if p.Else != nil && child == p.Else && st.implies(p.Cond, false) {
				return true
			}
		case *ast.BlockStmt:
			for _, s := range p.List {
				if s == child {
					break
				}
				if ifs, ok := s.(*ast.IfStmt); ok && ifs.Else == nil && st.implies(ifs.Cond, false) && terminates(ifs.Body) {
					return true
				}
			}
		}
	}
	return false
}

// implies reports whether cond evaluating to want means that a gate returned true.
func (st *state) implies(cond ast.Expr, want bool) bool {
	switch c := ast.Unparen(cond).(type) {
	case *ast.CallExpr:
		if !want {
			return false
		}
		fn, ok := typeutil.Callee(st.pass.TypesInfo, c).(*types.Func)
		return ok && st.gates[fn.Origin().FullName()]
	case *ast.UnaryExpr:
		return c.Op == token.NOT && st.implies(c.X, !want)
	case *ast.BinaryExpr:
		switch {
		case c.Op == token.LAND && want:
			return st.implies(c.X, true) || st.implies(c.Y, true)
		case c.Op == token.LOR && !want:
			return st.implies(c.X, false) || st.implies(c.Y, false)
		}
	}
	return false
}

// terminates reports whether a block always leaves its enclosing block: it ends in a
// return, a branch or a panic.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch s := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	}
	return false
}
