package proto

import (
	"bytes"
	"strings"

	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"github.com/bufbuild/protocompile/sourceinfo"
	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Positions are resolved after the comparison instead of being read from source info the
// compiler builds for every file: source info is a large part of a compiled descriptor's
// memory, and only the few files holding a finding need it. During the comparison a
// position names a file and a source path (a descriptor's place in its file); at the end,
// each file that holds a finding is parsed once more and its source info generated from
// the syntax tree alone, which is what the compiler does too.

// posRef is a position to resolve: the declaration (for the map-field fallback) or a
// source path in a file.
type posRef struct {
	d    protoreflect.Descriptor
	file protoreflect.FileDescriptor
	path protoreflect.SourcePath
}

// unresolved is handed out during dry runs, whose findings are never shown.
var unresolved = &compat.Position{}

// pos locates a descriptor's declaration in its file, 1-based, once resolved.
func (c *comparer) pos(d protoreflect.Descriptor) *compat.Position {
	if d == nil {
		return nil
	}
	file := d.ParentFile()
	if file == nil {
		return nil
	}
	if c.dry {
		return unresolved
	}
	p := &compat.Position{File: file.Path()}
	c.lazy[p] = posRef{d: d, file: file, path: sourcePath(d)}
	return p
}

// posPath locates the element at a source path inside a file, once resolved.
func (c *comparer) posPath(file protoreflect.FileDescriptor, path protoreflect.SourcePath) *compat.Position {
	if c.dry {
		return unresolved
	}
	p := &compat.Position{File: file.Path()}
	c.lazy[p] = posRef{file: file, path: append(protoreflect.SourcePath(nil), path...)}
	return p
}

// sourcePath returns a descriptor's path in its file, as descriptor.proto numbers the
// lists of a FileDescriptorProto: messages 4 (nested 3), enums 5 (nested 4), values 2,
// fields 2, extensions 7 (nested 6), oneofs 8, services 6, methods 2.
func sourcePath(d protoreflect.Descriptor) protoreflect.SourcePath {
	in := func(parent protoreflect.Descriptor, tag int32, i int) protoreflect.SourcePath {
		return append(append(protoreflect.SourcePath(nil), sourcePath(parent)...), tag, int32(i))
	}
	_, nested := d.Parent().(protoreflect.MessageDescriptor)
	switch d := d.(type) {
	case protoreflect.MessageDescriptor:
		if nested {
			return in(d.Parent(), 3, d.Index())
		}
		return protoreflect.SourcePath{4, int32(d.Index())}
	case protoreflect.EnumDescriptor:
		if nested {
			return in(d.Parent(), 4, d.Index())
		}
		return protoreflect.SourcePath{5, int32(d.Index())}
	case protoreflect.EnumValueDescriptor:
		return in(d.Parent(), 2, d.Index())
	case protoreflect.FieldDescriptor:
		switch {
		case d.IsExtension() && nested:
			return in(d.Parent(), 6, d.Index())
		case d.IsExtension():
			return protoreflect.SourcePath{7, int32(d.Index())}
		}
		return in(d.Parent(), 2, d.Index())
	case protoreflect.OneofDescriptor:
		return in(d.Parent(), 8, d.Index())
	case protoreflect.ServiceDescriptor:
		return protoreflect.SourcePath{6, int32(d.Index())}
	case protoreflect.MethodDescriptor:
		return in(d.Parent(), 2, d.Index())
	}
	return nil
}

// span is where a source path's element starts, 0-based as source info has it.
type span struct{ line, col int32 }

// resolvePositions fills in the positions of every finding and shows each file by its
// path in the tree.
func (c *comparer) resolvePositions() error {
	files := map[*tree]map[string]map[string]span{}
	for i := range c.findings {
		f := &c.findings[i]
		var err error
		if f.Old, err = c.resolve(f.Old, c.old.tree, files); err != nil {
			return err
		}
		if f.New, err = c.resolve(f.New, c.new.tree, files); err != nil {
			return err
		}
	}
	return nil
}

// resolve returns the resolved copy of a position of tree t's side.
func (c *comparer) resolve(p *compat.Position, t *tree, cache map[*tree]map[string]map[string]span) (*compat.Position, error) {
	if p == nil {
		return nil, nil
	}
	ref, lazy := c.lazy[p]
	if !lazy {
		return compat.Pos(t.diskPath(p.File), p.Line, p.Column), nil
	}
	if cache[t] == nil {
		cache[t] = map[string]map[string]span{}
	}
	name := ref.file.Path()
	locs, ok := cache[t][name]
	if !ok {
		var err error
		if locs, err = sourceSpans(t, name, ref.file); err != nil {
			return nil, err
		}
		cache[t][name] = locs
	}
	at, found := locs[pathKey(ref.path)]
	if !found && ref.d != nil {
		// Map entry messages and their fields are synthesized: show the map field.
		if field := mapFieldOf(ref.d); field != nil {
			at, found = locs[pathKey(sourcePath(field))]
		}
	}
	if !found {
		return compat.Pos(t.diskPath(name), 0, 0), nil
	}
	return compat.Pos(t.diskPath(name), int(at.line)+1, int(at.col)+1), nil
}

// sourceSpans parses a file of the tree again and returns where each source path's element
// starts (the first location of a path, as protoreflect's lookup by path gives it). A file
// the tree does not hold (a standard import, or a compiled descriptor given to
// CompareDescriptors) has the source info its descriptor carries, usually none.
func sourceSpans(t *tree, name string, fd protoreflect.FileDescriptor) (map[string]span, error) {
	out := map[string]span{}
	if _, ok := t.resolve(name); !ok {
		locs := fd.SourceLocations()
		for i := 0; i < locs.Len(); i++ {
			loc := locs.Get(i)
			k := pathKey(loc.Path)
			if _, dup := out[k]; !dup {
				out[k] = span{int32(loc.StartLine), int32(loc.StartColumn)}
			}
		}
		return out, nil
	}
	data, _, err := t.read(name)
	if err != nil {
		return nil, err
	}
	handler := reporter.NewHandler(nil)
	file, err := parser.Parse(name, bytes.NewReader(data), handler)
	if err != nil || file == nil {
		return nil, t.errorf(name, 0, 0, "could not be parsed again to locate findings: %v", err)
	}
	info := sourceinfo.GenerateSourceInfo(file, nil)
	for _, loc := range info.GetLocation() {
		k := pathKey(loc.GetPath())
		if _, dup := out[k]; !dup && len(loc.GetSpan()) >= 2 {
			out[k] = span{loc.GetSpan()[0], loc.GetSpan()[1]}
		}
	}
	return out, nil
}

// pathKey turns a source path into a map key.
func pathKey(p []int32) string {
	var b strings.Builder
	for _, n := range p {
		b.WriteByte(byte(n >> 24))
		b.WriteByte(byte(n >> 16))
		b.WriteByte(byte(n >> 8))
		b.WriteByte(byte(n))
	}
	return b.String()
}
