package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// JSONContracts is the JSON side of a package's contracts: a JSON Schema derived from each
// contract type by encoding/json's (v1) rules, and where each part of it comes from in Go.
type JSONContracts struct {
	// Roots are the contract types, in declaration order.
	Roots []*JSONDef
	// Defs holds every named type the roots reach that has a schema of its own (structs
	// and contract types), by key.
	Defs map[string]*JSONDef
}

// JSONDef is the schema of one named Go type.
type JSONDef struct {
	// Key names the definition: the type's name in this package, or its package path and
	// name ("example.com/shop/money.Amount") outside it. Pointers into the schema use it:
	// /$defs/<key, escaped>/properties/<name>.
	Key    string
	Obj    *types.TypeName
	Schema map[string]any
	// Pos is the type's declaration when it is in this package.
	Pos token.Pos
	// Marshaled marks a root that is a contract because the package passes it to
	// encoding/json (Options.JSONMarshaled), not because of a directive.
	Marshaled bool
	// Props are a struct's JSON properties by name.
	Props map[string]*JSONProp
	// Enum lists the constants of a contract type with a basic underlying type, which
	// are its JSON enum, with their JSON encoding.
	Enum []JSONEnumMember
}

// JSONProp is one property of a struct's JSON object.
type JSONProp struct {
	Name string
	// GoPath is the Go field that produces the property: "Name", or "Base.CreatedAt" for
	// a field promoted from an embedded struct.
	GoPath string
	// Field is that Go field, and Node its declaration when it is in this package.
	Field *types.Var
	Node  *ast.Field
	// Tag is the json tag's options after the name ("omitempty", "string", ...).
	Options []string
}

// Pos returns where the property is declared in this package's syntax, or NoPos.
func (p *JSONProp) Pos() token.Pos {
	if p.Node == nil {
		return token.NoPos
	}
	if len(p.Node.Names) > 0 {
		for _, n := range p.Node.Names {
			if n.Name == p.Field.Name() {
				return n.Pos()
			}
		}
	}
	return p.Node.Type.Pos()
}

// JSONEnumMember is one constant of a contract enum type.
type JSONEnumMember struct {
	Const *types.Const
	// JSON is the constant's JSON encoding: "\"open\"" or "3".
	JSON string
}

// pointerKey escapes a definition key for a JSON pointer (RFC 6901).
func pointerKey(key string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
}

// DefPointer returns the JSON pointer of a definition.
func DefPointer(key string) string { return "/$defs/" + pointerKey(key) }

// collectJSON finds the contract types of the package and derives their schemas.
func collectJSON(pkg *Package, opts Options) *JSONContracts {
	d := &deriver{pkg: pkg, out: &JSONContracts{Defs: map[string]*JSONDef{}},
		contract: map[*types.TypeName]bool{}, fields: map[*types.Var]*ast.Field{}, specs: map[*types.TypeName]*ast.TypeSpec{}}
	var roots []*types.TypeName
	marshaled := map[*types.TypeName]bool{}
	for _, f := range pkg.Files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				tn, ok := pkg.Info.Defs[ts.Name].(*types.TypeName)
				if !ok {
					continue
				}
				d.specs[tn] = ts
				marked := hasDirective(ts.Doc, ContractDirective) || len(gd.Specs) == 1 && hasDirective(gd.Doc, ContractDirective)
				// Generic types have no JSON shape until they are instantiated.
				if marked && ts.TypeParams == nil {
					d.contract[tn] = true
					roots = append(roots, tn)
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if st, ok := n.(*ast.StructType); ok {
				for _, fld := range st.Fields.List {
					if len(fld.Names) == 0 {
						if v, ok := pkg.Info.Defs[embeddedIdent(fld.Type)].(*types.Var); ok {
							d.fields[v] = fld
						}
					}
					for _, name := range fld.Names {
						if v, ok := pkg.Info.Defs[name].(*types.Var); ok {
							d.fields[v] = fld
						}
					}
				}
			}
			if call, ok := n.(*ast.CallExpr); ok && opts.JSONMarshaled {
				if tn := marshaledType(pkg, call); tn != nil && !d.contract[tn] && !marshaled[tn] {
					marshaled[tn] = true
				}
			}
			return true
		})
	}
	for tn := range marshaled {
		roots = append(roots, tn)
	}
	sort.SliceStable(roots, func(i, j int) bool { return roots[i].Pos() < roots[j].Pos() })
	for _, tn := range roots {
		d.schema(tn.Type())
		def := d.out.Defs[d.key(tn.Type().(*types.Named))]
		if def == nil {
			// A contract type without a definition of its own (a plain string type, say)
			// gets one, so that every root can be compared by key.
			def = d.define(tn.Type().(*types.Named), d.underlying(tn.Type().Underlying()))
		}
		def.Marshaled = marshaled[tn]
		d.out.Roots = append(d.out.Roots, def)
	}
	return d.out
}

// embeddedIdent returns the identifier that names an embedded field's type.
func embeddedIdent(e ast.Expr) *ast.Ident {
	switch t := e.(type) {
	case *ast.Ident:
		return t
	case *ast.StarExpr:
		return embeddedIdent(t.X)
	case *ast.SelectorExpr:
		return t.Sel
	case *ast.IndexExpr:
		return embeddedIdent(t.X)
	case *ast.IndexListExpr:
		return embeddedIdent(t.X)
	}
	return nil
}

// marshaledType returns the named type of this package that a call to encoding/json's
// Marshal, MarshalIndent or (*Encoder).Encode serializes, looking through pointers,
// slices, arrays and map values.
func marshaledType(pkg *Package, call *ast.CallExpr) *types.TypeName {
	fn, ok := typeutilCallee(pkg.Info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "encoding/json" || len(call.Args) == 0 {
		return nil
	}
	switch fn.FullName() {
	case "encoding/json.Marshal", "encoding/json.MarshalIndent", "(*encoding/json.Encoder).Encode":
	default:
		return nil
	}
	t := pkg.Info.TypeOf(call.Args[0])
	for t != nil {
		switch u := types.Unalias(t).(type) {
		case *types.Pointer:
			t = u.Elem()
			continue
		case *types.Slice:
			t = u.Elem()
			continue
		case *types.Array:
			t = u.Elem()
			continue
		case *types.Map:
			t = u.Elem()
			continue
		case *types.Named:
			if u.Obj().Pkg() == pkg.Types && u.TypeArgs() == nil {
				return u.Obj()
			}
		}
		return nil
	}
	return nil
}

// typeutilCallee returns the function or method a call statically calls.
func typeutilCallee(info *types.Info, call *ast.CallExpr) types.Object {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[fun]
	case *ast.SelectorExpr:
		if sel := info.Selections[fun]; sel != nil {
			return sel.Obj()
		}
		return info.Uses[fun.Sel]
	case *ast.IndexExpr:
		if id, ok := fun.X.(*ast.Ident); ok {
			return info.Uses[id]
		}
	}
	return nil
}

// deriver derives schemas, defining each named struct once.
type deriver struct {
	pkg      *Package
	out      *JSONContracts
	contract map[*types.TypeName]bool
	fields   map[*types.Var]*ast.Field
	specs    map[*types.TypeName]*ast.TypeSpec
}

func (d *deriver) key(n *types.Named) string {
	return types.TypeString(n, func(p *types.Package) string {
		if p == d.pkg.Types {
			return ""
		}
		return p.Path()
	})
}

// ref returns a reference to a definition.
func ref(key string) map[string]any { return map[string]any{"$ref": "#" + DefPointer(key)} }

// define records the schema of a named type under its key.
func (d *deriver) define(n *types.Named, schema map[string]any) *JSONDef {
	key := d.key(n)
	def := d.out.Defs[key]
	if def == nil {
		def = &JSONDef{Key: key, Obj: n.Obj()}
		if ts := d.specs[n.Obj()]; ts != nil {
			def.Pos = ts.Name.Pos()
		}
		d.out.Defs[key] = def
	}
	def.Schema = schema
	return def
}

// schema derives the JSON Schema of the values encoding/json produces for t.
func (d *deriver) schema(t types.Type) map[string]any {
	t = types.Unalias(t)
	if n, ok := t.(*types.Named); ok {
		obj := n.Obj()
		if obj.Pkg() != nil && obj.Pkg().Path() == "time" && obj.Name() == "Time" {
			return map[string]any{"type": "string", "format": "date-time"}
		}
		if implements(t, "MarshalJSON") {
			// A json.Marshaler writes whatever it likes: opaque to the derivation.
			return map[string]any{}
		}
		if implements(t, "MarshalText") {
			return map[string]any{"type": "string"}
		}
		_, isStruct := n.Underlying().(*types.Struct)
		if !isStruct && !d.contract[obj] {
			return d.underlying(n.Underlying())
		}
		key := d.key(n)
		if _, done := d.out.Defs[key]; done {
			return ref(key)
		}
		def := d.define(n, nil) // defined before its fields, so recursive types terminate
		if isStruct {
			def.Schema, def.Props = d.object(n.Underlying().(*types.Struct))
		} else {
			def.Schema = d.underlying(n.Underlying())
			if d.contract[obj] {
				def.Enum = d.enumMembers(n)
				if len(def.Enum) > 0 {
					var values []any
					for _, m := range def.Enum {
						values = append(values, json.RawMessage(m.JSON))
					}
					def.Schema["enum"] = values
				}
			}
		}
		return ref(key)
	}
	return d.underlying(t)
}

// implements reports whether t or *t has a method of the given name with the shape of
// json.Marshaler (MarshalJSON() ([]byte, error)) or encoding.TextMarshaler. encoding/json
// calls a pointer method only on addressable values (fields of a struct marshaled through
// a pointer); the derivation assumes it is called, as it is for the usual json.Marshal(&v).
func implements(t types.Type, method string) bool {
	return hasMethod(t, method) || hasMethod(types.NewPointer(t), method)
}

// hasMethod reports whether t's own method set has such a method.
func hasMethod(t types.Type, method string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, false, nil, method)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 0 || sig.Results().Len() != 2 {
		return false
	}
	s, ok := sig.Results().At(0).Type().(*types.Slice)
	return ok && types.Identical(s.Elem(), types.Typ[types.Byte])
}

// underlying derives the schema of an unnamed type (or a named type's underlying type).
func (d *deriver) underlying(t types.Type) map[string]any {
	switch u := types.Unalias(t).(type) {
	case *types.Basic:
		return basicSchema(u)
	case *types.Pointer:
		return nullable(d.schema(u.Elem()))
	case *types.Slice:
		if isByte(u.Elem()) {
			return map[string]any{"type": []any{"string", "null"}, "contentEncoding": "base64"}
		}
		return nullable(map[string]any{"type": "array", "items": d.schema(u.Elem())})
	case *types.Array:
		return map[string]any{"type": "array", "items": d.schema(u.Elem()), "minItems": u.Len(), "maxItems": u.Len()}
	case *types.Map:
		// Map keys, as encoding/json writes them: strings as they are, then keys whose
		// type (not its pointer: keys are not addressable) is a TextMarshaler, then
		// integers in decimal; other key types make Marshal fail.
		s := map[string]any{"type": "object", "additionalProperties": d.schema(u.Elem())}
		k, _ := u.Key().Underlying().(*types.Basic)
		switch {
		case k != nil && k.Info()&types.IsString != 0:
		case hasMethod(u.Key(), "MarshalText"):
		case k != nil && k.Info()&types.IsUnsigned != 0:
			s["propertyNames"] = map[string]any{"pattern": "^[0-9]+$"}
		case k != nil && k.Info()&types.IsInteger != 0:
			s["propertyNames"] = map[string]any{"pattern": "^-?[0-9]+$"}
		default:
			return map[string]any{}
		}
		return nullable(s)
	case *types.Struct:
		s, _ := d.object(u)
		return s
	case *types.Named:
		return d.schema(u)
	}
	// Interfaces hold anything; channels, functions and complex numbers make
	// encoding/json fail, which no schema can express.
	return map[string]any{}
}

// isByte reports whether a slice's element makes encoding/json write base64: a byte type
// that is no Marshaler of its own.
func isByte(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte && !implements(t, "MarshalJSON") && !implements(t, "MarshalText")
}

// basicSchema maps a basic type to its JSON type, with the bounds of sized integers (an
// int32 field cannot read what an int64 writer sends).
func basicSchema(b *types.Basic) map[string]any {
	info := b.Info()
	switch {
	case info&types.IsBoolean != 0:
		return map[string]any{"type": "boolean"}
	case info&types.IsString != 0:
		return map[string]any{"type": "string"}
	case info&types.IsInteger != 0:
		s := map[string]any{"type": "integer"}
		switch b.Kind() {
		case types.Int8:
			s["minimum"], s["maximum"] = math.MinInt8, math.MaxInt8
		case types.Int16:
			s["minimum"], s["maximum"] = math.MinInt16, math.MaxInt16
		case types.Int32:
			s["minimum"], s["maximum"] = math.MinInt32, math.MaxInt32
		case types.Int, types.Int64:
			s["minimum"], s["maximum"] = int64(math.MinInt64), int64(math.MaxInt64)
		case types.Uint8:
			s["minimum"], s["maximum"] = 0, math.MaxUint8
		case types.Uint16:
			s["minimum"], s["maximum"] = 0, math.MaxUint16
		case types.Uint32:
			s["minimum"], s["maximum"] = 0, uint64(math.MaxUint32)
		case types.Uint, types.Uint64, types.Uintptr:
			s["minimum"], s["maximum"] = 0, uint64(math.MaxUint64)
		}
		return s
	case info&types.IsFloat != 0:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// nullable adds null to a schema's values, as encoding/json writes nil pointers, slices
// and maps.
func nullable(s map[string]any) map[string]any {
	if len(s) == 0 {
		return s
	}
	switch t := s["type"].(type) {
	case string:
		if _, isRef := s["$ref"]; !isRef {
			out := map[string]any{}
			for k, v := range s {
				out[k] = v
			}
			out["type"] = []any{t, "null"}
			return out
		}
	case []any:
		out := map[string]any{}
		for k, v := range s {
			out[k] = v
		}
		out["type"] = append(append([]any(nil), t...), "null")
		return out
	}
	return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, s}}
}

// jsonField is one field encoding/json encodes, as its typeFields computes them.
type jsonField struct {
	name      string
	tagged    bool
	index     []int
	vars      []*types.Var
	typ       types.Type
	options   []string
	quoted    bool
	omitEmpty bool
	omitZero  bool
	// viaPointer is set for fields promoted through an embedded pointer, which
	// encoding/json skips when the pointer is nil.
	viaPointer bool
}

// object derives the schema of a struct: its visible fields by encoding/json's rules
// (breadth-first over embedded structs; at each name the shallowest field wins, a tagged
// one over untagged ones at the same depth, and a tie drops the name), open to unknown
// properties as encoding/json readers are.
func (d *deriver) object(st *types.Struct) (map[string]any, map[string]*JSONProp) {
	fields := typeFields(st)
	props := map[string]any{}
	meta := map[string]*JSONProp{}
	var required []any
	for _, f := range fields {
		var s map[string]any
		if f.quoted {
			s = map[string]any{"type": "string"}
			if _, isPtr := f.typ.Underlying().(*types.Pointer); isPtr {
				s = nullable(s)
			}
		} else {
			s = d.schema(f.typ)
		}
		last := f.vars[len(f.vars)-1]
		node := d.fields[last]
		if node != nil && deprecated(node.Doc) {
			s = withKey(s, "deprecated", true)
		}
		props[f.name] = s
		var path []string
		for _, v := range f.vars {
			path = append(path, v.Name())
		}
		meta[f.name] = &JSONProp{Name: f.name, GoPath: strings.Join(path, "."), Field: last, Node: node, Options: f.options}
		if !f.viaPointer && !f.omitZero && !(f.omitEmpty && emptiable(f.typ)) {
			required = append(required, f.name)
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Slice(required, func(i, j int) bool { return required[i].(string) < required[j].(string) })
		s["required"] = required
	}
	return s, meta
}

// withKey returns a copy of s with one more keyword.
func withKey(s map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for kk, vv := range s {
		out[kk] = vv
	}
	return out
}

// deprecated reports whether a doc comment has a paragraph starting "Deprecated: ", the
// Go convention the property's deprecated keyword mirrors.
func deprecated(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, para := range strings.Split(doc.Text(), "\n\n") {
		if strings.HasPrefix(strings.TrimSpace(para), "Deprecated: ") {
			return true
		}
	}
	return false
}

// emptiable reports whether omitempty can omit a value of type t: encoding/json (v1)
// omits false, 0, "", nil pointers and interfaces, and empty slices, maps and arrays, but
// never a struct.
func emptiable(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return true
	case *types.Array:
		return u.Len() == 0
	case *types.Struct:
		return false
	}
	return true
}

// typeFields lists the fields encoding/json encodes for a struct.
func typeFields(st *types.Struct) []jsonField {
	type queued struct {
		st         *types.Struct
		key        string
		index      []int
		vars       []*types.Var
		viaPointer bool
	}
	var fields []jsonField
	next := []queued{{st: st, key: types.TypeString(st, nil)}}
	var count, nextCount map[string]int
	visited := map[string]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		count, nextCount = nextCount, map[string]int{}
		for _, q := range current {
			if visited[q.key] {
				continue
			}
			visited[q.key] = true
			for i := 0; i < q.st.NumFields(); i++ {
				sf := q.st.Field(i)
				if sf.Embedded() {
					t := sf.Type()
					if p, ok := t.Underlying().(*types.Pointer); ok && !isNamed(t) {
						t = p.Elem()
					}
					if _, isStruct := t.Underlying().(*types.Struct); !sf.Exported() && !isStruct {
						continue
					}
				} else if !sf.Exported() {
					continue
				}
				tag := reflect.StructTag(q.st.Tag(i)).Get("json")
				if tag == "-" {
					continue
				}
				name, opts := parseJSONTag(tag)
				if !validJSONName(name) {
					name = ""
				}
				index := append(append([]int(nil), q.index...), i)
				vars := append(append([]*types.Var(nil), q.vars...), sf)
				ft := sf.Type()
				if p, ok := types.Unalias(ft).(*types.Pointer); ok {
					ft = p.Elem()
				}
				quoted := false
				if contains(opts, "string") {
					if b, ok := ft.Underlying().(*types.Basic); ok && b.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsString) != 0 {
						quoted = true
					}
				}
				_, ftStruct := ft.Underlying().(*types.Struct)
				if name != "" || !sf.Embedded() || !ftStruct {
					f := jsonField{
						name: name, tagged: name != "", index: index, vars: vars, typ: sf.Type(), options: opts,
						quoted: quoted, omitEmpty: contains(opts, "omitempty"), omitZero: contains(opts, "omitzero"),
						viaPointer: q.viaPointer,
					}
					if f.name == "" {
						f.name = sf.Name()
					}
					fields = append(fields, f)
					if count[q.key] > 1 {
						// The same struct embedded twice at one depth: the copies
						// annihilate each other below.
						fields = append(fields, fields[len(fields)-1])
					}
					continue
				}
				key := types.TypeString(ft, nil)
				nextCount[key]++
				if nextCount[key] == 1 {
					_, viaPtr := types.Unalias(sf.Type()).(*types.Pointer)
					next = append(next, queued{st: ft.Underlying().(*types.Struct), key: key, index: index, vars: vars, viaPointer: q.viaPointer || viaPtr})
				}
			}
		}
	}
	sort.SliceStable(fields, func(i, j int) bool {
		a, b := fields[i], fields[j]
		if a.name != b.name {
			return a.name < b.name
		}
		if len(a.index) != len(b.index) {
			return len(a.index) < len(b.index)
		}
		if a.tagged != b.tagged {
			return a.tagged
		}
		return lessIndex(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		group := fields[i:j]
		if len(group) == 1 || len(group[0].index) != len(group[1].index) || group[0].tagged != group[1].tagged {
			out = append(out, group[0])
		}
		i = j
	}
	sort.Slice(out, func(i, j int) bool { return lessIndex(out[i].index, out[j].index) })
	return out
}

func isNamed(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Named)
	return ok
}

func lessIndex(a, b []int) bool {
	for k := 0; k < len(a) && k < len(b); k++ {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return len(a) < len(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseJSONTag splits a json struct tag into its name and options.
func parseJSONTag(tag string) (string, []string) {
	name, rest, _ := strings.Cut(tag, ",")
	var opts []string
	if rest != "" {
		opts = strings.Split(rest, ",")
	}
	return name, opts
}

// validJSONName is encoding/json's test of a tag name: letters, digits and a set of
// punctuation; other names fall back to the Go field name.
func validJSONName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// enumMembers returns the package-level constants of a contract type, with their JSON
// encoding, ordered by that encoding.
func (d *deriver) enumMembers(n *types.Named) []JSONEnumMember {
	var out []JSONEnumMember
	scope := n.Obj().Pkg().Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok || !types.Identical(c.Type(), n) || name == "_" {
			continue
		}
		if js, ok := ConstJSON(c.Val()); ok {
			out = append(out, JSONEnumMember{Const: c, JSON: js})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].JSON < out[j].JSON })
	// Two constants with one value (an alias) are one member.
	dedup := out[:0]
	for i, m := range out {
		if i == 0 || m.JSON != out[i-1].JSON {
			dedup = append(dedup, m)
		}
	}
	return dedup
}

// ConstJSON returns a constant's JSON encoding as encoding/json writes it.
func ConstJSON(v constant.Value) (string, bool) {
	switch v.Kind() {
	case constant.String:
		b, err := json.Marshal(constant.StringVal(v))
		return string(b), err == nil
	case constant.Bool:
		return strconv.FormatBool(constant.BoolVal(v)), true
	case constant.Int:
		return v.ExactString(), true
	case constant.Float:
		f, _ := constant.Float64Val(v)
		b, err := json.Marshal(f)
		return string(b), err == nil
	}
	return "", false
}

func (jc *JSONContracts) snapshot(s *Snapshot) {
	if len(jc.Roots) == 0 {
		return
	}
	s.JSONDefs = map[string]json.RawMessage{}
	s.JSONFields = map[string]map[string]string{}
	for _, r := range jc.Roots {
		s.JSONRoots = append(s.JSONRoots, r.Key)
	}
	for key, def := range jc.Defs {
		data, err := json.Marshal(def.Schema)
		if err != nil {
			continue // every value is built from maps, strings, numbers and bools
		}
		s.JSONDefs[key] = data
		if len(def.Props) > 0 {
			fields := map[string]string{}
			for name, p := range def.Props {
				fields[name] = p.GoPath
			}
			s.JSONFields[key] = fields
		}
	}
}

// jsonDocument is the path under which each side's JSON contracts are compared: one
// document whose $defs hold every definition, so that a definition many roots reach is
// compared once.
const jsonDocument = "contracts.json"

// schemaDocument returns a snapshot's JSON contracts as one JSON Schema 2020-12 document.
func schemaDocument(s *Snapshot) (jsonschema.Document, error) {
	defs := map[string]any{}
	for k, raw := range s.JSONDefs {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return jsonschema.Document{}, fmt.Errorf("json_defs %s: %v", k, err)
		}
		defs[k] = v
	}
	return jsonschema.Document{Path: jsonDocument, Value: map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$defs":   defs,
	}}, nil
}

// CompareJSON compares the JSON contracts of a baseline with the package's current ones
// through compat/jsonschema, root by root within one comparison (which decides a shared
// definition once). Findings' subjects are "contracts.json#<pointer>", the pointer
// starting at the definition: /$defs/Order/properties/note. A root of the baseline whose
// definition no longer exists is the engine's SCHEMA_FILE_REMOVED.
func CompareJSON(ctx context.Context, baseline *Snapshot, current *JSONContracts) (*compat.Report, error) {
	cur := &Snapshot{}
	current.snapshot(cur)
	var sides [2]*jsonschema.Schemas
	for i, s := range []*Snapshot{baseline, cur} {
		doc, err := schemaDocument(s)
		if err != nil {
			return nil, err
		}
		if sides[i], err = jsonschema.NewSchemas([]jsonschema.Document{doc}); err != nil {
			return nil, err
		}
	}
	removed, ok := compat.LookupRule("SCHEMA_FILE_REMOVED")
	if !ok {
		return nil, fmt.Errorf("compat/jsonschema no longer declares SCHEMA_FILE_REMOVED (internal error)")
	}
	cmp := jsonschema.NewComparison(sides[0], sides[1], jsonschema.CompareOptions{})
	var findings []compat.Finding
	for _, root := range baseline.JSONRoots {
		ref := jsonDocument + "#" + DefPointer(root)
		if _, ok := cur.JSONDefs[root]; !ok {
			f := removed.Findingf(ref, "contract type %s was removed, or is no longer a contract", root)
			f.Advice = []string{removed.Safe}
			findings = append(findings, f)
			continue
		}
		fs, err := cmp.Compare(ctx, ref, ref)
		if err != nil {
			return nil, err
		}
		findings = append(findings, fs...)
	}
	return compat.NewReport(findings), nil
}

// SubjectPointer returns the JSON pointer of a finding's subject.
func SubjectPointer(subject string) string {
	_, pointer, _ := strings.Cut(subject, "#")
	return pointer
}
