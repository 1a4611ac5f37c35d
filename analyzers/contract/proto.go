package contract

import (
	"context"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/proto"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// ProtoContracts is what a package's generated protobuf code holds, mapped back to Go.
type ProtoContracts struct {
	// Files are the descriptors embedded in the package, in file name order.
	Files []*ProtoSource
	// Enums maps each generated Go enum type to its descriptor, found through the path
	// its EnumDescriptor method returns, never through its Go name (editions'
	// strip_enum_prefix and name conflicts change those).
	Enums map[*types.TypeName]protoreflect.EnumDescriptor
	// Messages maps each generated message struct to its descriptor, found through the
	// path its Descriptor method returns.
	Messages map[*types.TypeName]protoreflect.MessageDescriptor
	// Fields maps the fields of those structs to their protobuf fields, by the field
	// number in their protobuf struct tag.
	Fields map[*types.Var]protoreflect.FieldDescriptor
	// RPCs maps the generated code's method-name constants (gRPC's *_FullMethodName,
	// Connect's *Procedure) and client methods to the method path they call,
	// "/package.Service/Method". It is filled for every generated package, also for
	// Connect packages whose descriptors live in another package.
	RPCs map[types.Object]string
}

// ProtoSource is one embedded descriptor and the declaration that holds it.
type ProtoSource struct {
	Desc protoreflect.FileDescriptor
	// Pos is the file_*_proto_rawDesc declaration.
	Pos token.Pos
}

// rawDescName matches the variables and constants protoc-gen-go embeds descriptors in.
var rawDescName = regexp.MustCompile(`^file_.*_proto_rawDesc$`)

// rpcPath matches the value of a generated method-name constant.
var rpcPath = regexp.MustCompile(`^/[A-Za-z_][A-Za-z0-9_.]*/[A-Za-z_][A-Za-z0-9_]*$`)

// collectProto reads the descriptors embedded in the package's generated files and maps
// the generated Go declarations back to them.
func collectProto(pkg *Package) (*ProtoContracts, *Error) {
	pc := &ProtoContracts{
		Enums:    map[*types.TypeName]protoreflect.EnumDescriptor{},
		Messages: map[*types.TypeName]protoreflect.MessageDescriptor{},
		Fields:   map[*types.Var]protoreflect.FieldDescriptor{},
		RPCs:     map[types.Object]string{},
	}
	type raw struct {
		fdp *descriptorpb.FileDescriptorProto
		pos token.Pos
	}
	var raws []raw
	for _, f := range pkg.Files {
		if !ast.IsGenerated(f) {
			continue
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok == token.IMPORT || gd.Tok == token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !rawDescName.MatchString(name.Name) {
						continue
					}
					if i >= len(vs.Values) {
						return nil, &Error{Pos: name.Pos(), Msg: name.Name + " has no value: cannot read the embedded protobuf descriptor"}
					}
					data, ok := constBytes(pkg.Info, vs.Values[i])
					if !ok {
						return nil, &Error{Pos: name.Pos(), Msg: name.Name + " is not a constant byte slice or string: cannot read the embedded protobuf descriptor"}
					}
					fdp := &descriptorpb.FileDescriptorProto{}
					if err := gproto.Unmarshal(data, fdp); err != nil {
						return nil, &Error{Pos: name.Pos(), Msg: fmt.Sprintf("%s does not hold a protobuf file descriptor: %v", name.Name, err)}
					}
					raws = append(raws, raw{fdp, name.Pos()})
				}
			}
		}
	}
	// Files of one package may import each other; build them in import order, leaving
	// imports from other packages unresolved (placeholders are enough to read enums and
	// services).
	sort.Slice(raws, func(i, j int) bool { return raws[i].fdp.GetName() < raws[j].fdp.GetName() })
	reg := new(protoregistry.Files)
	built := map[string]bool{}
	var build func(i int, stack map[int]bool) *Error
	byName := map[string]int{}
	for i, r := range raws {
		byName[r.fdp.GetName()] = i
	}
	build = func(i int, stack map[int]bool) *Error {
		r := raws[i]
		if built[r.fdp.GetName()] || stack[i] {
			return nil
		}
		stack[i] = true
		for _, dep := range r.fdp.GetDependency() {
			if j, ok := byName[dep]; ok {
				if err := build(j, stack); err != nil {
					return err
				}
			}
		}
		fd, err := (protodesc.FileOptions{AllowUnresolvable: true}).New(r.fdp, reg)
		if err != nil {
			return &Error{Pos: r.pos, Msg: fmt.Sprintf("the embedded descriptor of %s is invalid: %v", r.fdp.GetName(), err)}
		}
		if err := reg.RegisterFile(fd); err != nil {
			return &Error{Pos: r.pos, Msg: fmt.Sprintf("the embedded descriptor of %s conflicts with another file of the package: %v", r.fdp.GetName(), err)}
		}
		built[r.fdp.GetName()] = true
		pc.Files = append(pc.Files, &ProtoSource{Desc: fd, Pos: r.pos})
		return nil
	}
	for i := range raws {
		if err := build(i, map[int]bool{}); err != nil {
			return nil, err
		}
	}
	sort.Slice(pc.Files, func(i, j int) bool { return pc.Files[i].Desc.Path() < pc.Files[j].Desc.Path() })
	pc.mapGoTypes(pkg)
	pc.mapRPCs(pkg)
	return pc, nil
}

// constBytes evaluates the initializer of a rawDesc declaration: a string constant, a
// composite literal of constant bytes, or a conversion between the two.
func constBytes(info *types.Info, e ast.Expr) ([]byte, bool) {
	e = ast.Unparen(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return []byte(constant.StringVal(tv.Value)), true
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		out := make([]byte, 0, len(e.Elts))
		for _, elt := range e.Elts {
			tv, ok := info.Types[elt]
			if !ok || tv.Value == nil {
				return nil, false
			}
			b, exact := constant.Uint64Val(constant.ToInt(tv.Value))
			if !exact || b > 255 {
				return nil, false
			}
			out = append(out, byte(b))
		}
		return out, true
	case *ast.CallExpr:
		if tv, ok := info.Types[e.Fun]; ok && tv.IsType() && len(e.Args) == 1 {
			return constBytes(info, e.Args[0])
		}
	}
	return nil, false
}

// descriptorPath reads a generated method body of the form
// `return file_x_proto_rawDescGZIP(), []int{0, 1}` and returns the path, with the
// function that names the file's descriptor.
func descriptorPath(info *types.Info, body *ast.BlockStmt) (types.Object, []int, bool) {
	if body == nil || len(body.List) != 1 {
		return nil, nil, false
	}
	ret, ok := body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 2 {
		return nil, nil, false
	}
	call, ok := ast.Unparen(ret.Results[0]).(*ast.CallExpr)
	if !ok {
		return nil, nil, false
	}
	fn, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return nil, nil, false
	}
	lit, ok := ast.Unparen(ret.Results[1]).(*ast.CompositeLit)
	if !ok {
		return nil, nil, false
	}
	var path []int
	for _, elt := range lit.Elts {
		tv := info.Types[elt]
		if tv.Value == nil {
			return nil, nil, false
		}
		n, exact := constant.Int64Val(constant.ToInt(tv.Value))
		if !exact || n < 0 {
			return nil, nil, false
		}
		path = append(path, int(n))
	}
	return info.Uses[fn], path, len(path) > 0
}

// mapGoTypes maps generated enum and message types to their descriptors. The GZIP
// function a Descriptor method calls names the file: its body reaches exactly one
// file_*_proto_rawDesc declaration.
func (pc *ProtoContracts) mapGoTypes(pkg *Package) {
	if len(pc.Files) == 0 {
		return
	}
	byPos := map[token.Pos]protoreflect.FileDescriptor{}
	for _, f := range pc.Files {
		byPos[f.Pos] = f.Desc
	}
	fileOf := map[types.Object]protoreflect.FileDescriptor{}
	funcs := map[types.Object]*ast.FuncDecl{}
	vars := map[types.Object]ast.Expr{}
	for _, f := range pkg.Files {
		if !ast.IsGenerated(f) {
			continue
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					funcs[pkg.Info.Defs[d.Name]] = d
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								vars[pkg.Info.Defs[n]] = vs.Values[i]
							}
						}
					}
				}
			}
		}
	}
	// rawDescOf follows identifiers from a function body through package variables'
	// initializers (rawDescData = rawDesc) to the rawDesc declaration.
	rawDescOf := func(fn types.Object) protoreflect.FileDescriptor {
		if fd, ok := fileOf[fn]; ok {
			return fd
		}
		var found protoreflect.FileDescriptor
		seen := map[types.Object]bool{}
		var visit func(n ast.Node)
		visit = func(n ast.Node) {
			ast.Inspect(n, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				obj := pkg.Info.Uses[id]
				if obj == nil || seen[obj] || obj.Pkg() != pkg.Types {
					return true
				}
				seen[obj] = true
				if fd, ok := byPos[obj.Pos()]; ok {
					found = fd
					return false
				}
				if init, ok := vars[obj]; ok {
					visit(init)
				}
				return true
			})
		}
		if d := funcs[fn]; d != nil {
			visit(d.Body)
		}
		fileOf[fn] = found
		return found
	}
	for _, f := range pkg.Files {
		if !ast.IsGenerated(f) {
			continue
		}
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Recv == nil || len(d.Recv.List) != 1 {
				continue
			}
			if d.Name.Name != "EnumDescriptor" && d.Name.Name != "Descriptor" {
				continue
			}
			tn := recvTypeName(pkg.Info, d.Recv.List[0].Type)
			if tn == nil {
				continue
			}
			fn, path, ok := descriptorPath(pkg.Info, d.Body)
			if !ok {
				continue
			}
			fd := rawDescOf(fn)
			if fd == nil {
				continue
			}
			if d.Name.Name == "EnumDescriptor" {
				if ed := enumAt(fd, path); ed != nil {
					pc.Enums[tn] = ed
				}
			} else if md := messageAt(fd, path); md != nil {
				pc.Messages[tn] = md
			}
		}
	}
	// Struct tags carry each field's number: `protobuf:"varint,2,opt,name=status,..."`.
	for tn, md := range pc.Messages {
		st, ok := tn.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			tag := reflect.StructTag(st.Tag(i)).Get("protobuf")
			parts := strings.Split(tag, ",")
			if len(parts) < 2 {
				continue
			}
			n, err := strconv.Atoi(parts[1])
			if err != nil {
				continue
			}
			if fd := md.Fields().ByNumber(protoreflect.FieldNumber(n)); fd != nil {
				pc.Fields[st.Field(i)] = fd
			}
		}
	}
}

// recvTypeName returns the named type of a method receiver (T or *T).
func recvTypeName(info *types.Info, e ast.Expr) *types.TypeName {
	t := info.TypeOf(e)
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj()
	}
	return nil
}

// enumAt and messageAt follow a generated descriptor path: indexes of messages, then of
// the enum or message itself.
func enumAt(fd protoreflect.FileDescriptor, path []int) protoreflect.EnumDescriptor {
	enums := fd.Enums()
	if len(path) > 1 {
		md := messageAt(fd, path[:len(path)-1])
		if md == nil {
			return nil
		}
		enums = md.Enums()
	}
	if i := path[len(path)-1]; i < enums.Len() {
		return enums.Get(i)
	}
	return nil
}

func messageAt(fd protoreflect.FileDescriptor, path []int) protoreflect.MessageDescriptor {
	msgs := fd.Messages()
	var md protoreflect.MessageDescriptor
	for _, i := range path {
		if i >= msgs.Len() {
			return nil
		}
		md = msgs.Get(i)
		msgs = md.Messages()
	}
	return md
}

// mapRPCs maps generated method-name constants, and the client methods whose bodies use
// them (directly, as gRPC clients do, or through a field set from one, as Connect clients
// do), to the method path. Interface methods take the mapping of the generated type that
// implements the interface, so calls through OrderServiceClient are found.
func (pc *ProtoContracts) mapRPCs(pkg *Package) {
	var generated []*ast.File
	for _, f := range pkg.Files {
		if ast.IsGenerated(f) {
			generated = append(generated, f)
		}
	}
	for _, f := range generated {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					c, ok := pkg.Info.Defs[name].(*types.Const)
					if ok && c.Val().Kind() == constant.String && rpcPath.MatchString(constant.StringVal(c.Val())) {
						pc.RPCs[c] = constant.StringVal(c.Val())
					}
				}
			}
		}
	}
	if len(pc.RPCs) == 0 {
		return
	}
	// rpcsIn returns the method paths of the constants an expression refers to.
	rpcsIn := func(n ast.Node) map[string]bool {
		out := map[string]bool{}
		ast.Inspect(n, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if p, ok := pc.RPCs[pkg.Info.Uses[id]]; ok {
					out[p] = true
				}
			}
			return true
		})
		return out
	}
	only := func(m map[string]bool) (string, bool) {
		if len(m) != 1 {
			return "", false
		}
		for p := range m {
			return p, true
		}
		return "", false
	}
	// Struct fields set from a constant in a composite literal (Connect's clients).
	fieldRPC := map[*types.Var]string{}
	conflict := map[*types.Var]bool{}
	for _, f := range generated {
		ast.Inspect(f, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			key, ok := kv.Key.(*ast.Ident)
			if !ok {
				return true
			}
			if v, ok := pkg.Info.Uses[key].(*types.Var); ok && v.IsField() {
				if p, ok := only(rpcsIn(kv.Value)); ok {
					// A field set from different constants (grpc.UnaryServerInfo's
					// FullMethod in every handler) names no one method.
					if prev, seen := fieldRPC[v]; seen && prev != p {
						conflict[v] = true
					}
					fieldRPC[v] = p
				}
			}
			return true
		})
	}
	for _, f := range generated {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Recv == nil || d.Body == nil {
				continue
			}
			m := pkg.Info.Defs[d.Name]
			if p, ok := only(rpcsIn(d.Body)); ok {
				pc.RPCs[m] = p
				continue
			}
			fields := map[string]bool{}
			ast.Inspect(d.Body, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if s := pkg.Info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
						if p, ok := fieldRPC[s.Obj().(*types.Var)]; ok && !conflict[s.Obj().(*types.Var)] {
							fields[p] = true
						}
					}
				}
				return true
			})
			if p, ok := only(fields); ok {
				pc.RPCs[m] = p
			}
		}
	}
	// A client interface is what a generated constructor returns, built from the
	// client type (NewOrderServiceClient returns &orderServiceClient{...}). Handler
	// interfaces, which a client type may happen to satisfy too, are parameters instead,
	// and calling them is the server's own business.
	for _, f := range generated {
		for _, decl := range f.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok || d.Recv != nil || d.Body == nil {
				continue
			}
			fn, _ := pkg.Info.Defs[d.Name].(*types.Func)
			if fn == nil || fn.Type().(*types.Signature).Results().Len() != 1 {
				continue
			}
			iface, ok := fn.Type().(*types.Signature).Results().At(0).Type().Underlying().(*types.Interface)
			if !ok {
				continue
			}
			ast.Inspect(d.Body, func(n ast.Node) bool {
				ret, ok := n.(*ast.ReturnStmt)
				if !ok || len(ret.Results) != 1 {
					return true
				}
				e := ast.Unparen(ret.Results[0])
				if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
					e = u.X
				}
				if _, ok := e.(*ast.CompositeLit); !ok {
					return true
				}
				impl := pkg.Info.TypeOf(ret.Results[0])
				for i := 0; i < iface.NumMethods(); i++ {
					im := iface.Method(i)
					obj, _, _ := types.LookupFieldOrMethod(impl, false, pkg.Types, im.Name())
					if p, ok := pc.RPCs[obj]; ok {
						pc.RPCs[im] = p
					}
				}
				return true
			})
		}
	}
}

// projectProto returns the snapshot records of descriptors: the enums with their values
// in declaration order (the first is the default), and the services with their methods.
func projectProto(files []protoreflect.FileDescriptor, s *Snapshot) {
	for _, fd := range files {
		s.ProtoFiles = append(s.ProtoFiles, ProtoFile{Path: fd.Path(), Package: string(fd.Package())})
		var enums func(protoreflect.EnumDescriptors)
		enums = func(es protoreflect.EnumDescriptors) {
			for i := 0; i < es.Len(); i++ {
				e := es.Get(i)
				pe := ProtoEnum{File: fd.Path(), Name: string(e.FullName()), Closed: e.IsClosed()}
				for j := 0; j < e.Values().Len(); j++ {
					v := e.Values().Get(j)
					pe.Values = append(pe.Values, ProtoValue{Name: string(v.Name()), Number: int32(v.Number())})
				}
				s.ProtoEnums = append(s.ProtoEnums, pe)
			}
		}
		var messages func(protoreflect.MessageDescriptors)
		messages = func(ms protoreflect.MessageDescriptors) {
			for i := 0; i < ms.Len(); i++ {
				enums(ms.Get(i).Enums())
				messages(ms.Get(i).Messages())
			}
		}
		enums(fd.Enums())
		messages(fd.Messages())
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			ps := ProtoService{File: fd.Path(), Name: string(sd.FullName())}
			for j := 0; j < sd.Methods().Len(); j++ {
				m := sd.Methods().Get(j)
				ps.Methods = append(ps.Methods, ProtoMethod{
					Name: string(m.Name()), Input: string(m.Input().FullName()), Output: string(m.Output().FullName()),
					ClientStreaming: m.IsStreamingClient(), ServerStreaming: m.IsStreamingServer(),
				})
			}
			s.ProtoServices = append(s.ProtoServices, ps)
		}
	}
}

func (pc *ProtoContracts) snapshot(s *Snapshot) {
	var fds []protoreflect.FileDescriptor
	for _, f := range pc.Files {
		fds = append(fds, f.Desc)
	}
	projectProto(fds, s)
}

// rebuildProto turns the protobuf records of a snapshot back into descriptors that hold
// exactly what the records hold, as editions 2023 files (which can express open and
// closed enums side by side). Messages appear only as the parents of nested enums, and
// method types are left unresolved: both sides of a comparison are rebuilt this way, so
// what the projection drops can never show up as a change.
func rebuildProto(s *Snapshot) ([]protoreflect.FileDescriptor, error) {
	byFile := map[string]*descriptorpb.FileDescriptorProto{}
	var order []string
	for _, f := range s.ProtoFiles {
		byFile[f.Path] = &descriptorpb.FileDescriptorProto{
			Name: gproto.String(f.Path), Package: gproto.String(f.Package),
			Syntax: gproto.String("editions"), Edition: descriptorpb.Edition_EDITION_2023.Enum(),
		}
		order = append(order, f.Path)
	}
	for _, e := range s.ProtoEnums {
		fdp := byFile[e.File]
		if fdp == nil {
			return nil, fmt.Errorf("enum %s names unknown file %s", e.Name, e.File)
		}
		rel := strings.TrimPrefix(e.Name, fdp.GetPackage()+".")
		if fdp.GetPackage() == "" {
			rel = e.Name
		}
		parts := strings.Split(rel, ".")
		ep := &descriptorpb.EnumDescriptorProto{Name: gproto.String(parts[len(parts)-1]), Options: &descriptorpb.EnumOptions{}}
		if e.Closed {
			ep.Options.Features = &descriptorpb.FeatureSet{EnumType: descriptorpb.FeatureSet_CLOSED.Enum()}
		}
		seen := map[int32]bool{}
		for _, v := range e.Values {
			if seen[v.Number] {
				ep.Options.AllowAlias = gproto.Bool(true)
			}
			seen[v.Number] = true
			ep.Value = append(ep.Value, &descriptorpb.EnumValueDescriptorProto{Name: gproto.String(v.Name), Number: gproto.Int32(v.Number)})
		}
		if len(parts) == 1 {
			fdp.EnumType = append(fdp.EnumType, ep)
			continue
		}
		msgs := &fdp.MessageType
		var parent *descriptorpb.DescriptorProto
		for _, p := range parts[:len(parts)-1] {
			parent = nil
			for _, m := range *msgs {
				if m.GetName() == p {
					parent = m
				}
			}
			if parent == nil {
				parent = &descriptorpb.DescriptorProto{Name: gproto.String(p)}
				*msgs = append(*msgs, parent)
			}
			msgs = &parent.NestedType
		}
		parent.EnumType = append(parent.EnumType, ep)
	}
	for _, sv := range s.ProtoServices {
		fdp := byFile[sv.File]
		if fdp == nil {
			return nil, fmt.Errorf("service %s names unknown file %s", sv.Name, sv.File)
		}
		name := strings.TrimPrefix(sv.Name, fdp.GetPackage()+".")
		sp := &descriptorpb.ServiceDescriptorProto{Name: gproto.String(name)}
		for _, m := range sv.Methods {
			mp := &descriptorpb.MethodDescriptorProto{
				Name: gproto.String(m.Name), InputType: gproto.String("." + m.Input), OutputType: gproto.String("." + m.Output),
			}
			if m.ClientStreaming {
				mp.ClientStreaming = gproto.Bool(true)
			}
			if m.ServerStreaming {
				mp.ServerStreaming = gproto.Bool(true)
			}
			sp.Method = append(sp.Method, mp)
		}
		fdp.Service = append(fdp.Service, sp)
	}
	var out []protoreflect.FileDescriptor
	for _, path := range order {
		fd, err := (protodesc.FileOptions{AllowUnresolvable: true}).New(byFile[path], nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		out = append(out, fd)
	}
	return out, nil
}

// CompareProto compares the protobuf records of a baseline with the package's current
// descriptors through compat/proto, projecting both sides the same way, and returns the
// engine's findings.
func CompareProto(ctx context.Context, baseline *Snapshot, current *ProtoContracts) (*compat.Report, error) {
	cur := &Snapshot{}
	current.snapshot(cur)
	oldFiles, err := rebuildProto(baseline)
	if err != nil {
		return nil, fmt.Errorf("baseline: %v", err)
	}
	newFiles, err := rebuildProto(cur)
	if err != nil {
		return nil, fmt.Errorf("current descriptors: %v", err)
	}
	return proto.CompareDescriptors(ctx, oldFiles, newFiles, proto.Options{})
}
