package proto

import (
	"context"
	"crypto/sha256"
	"fmt"
	"sort"
	"testing/fstest"

	"github.com/bufbuild/protocompile/linker"
	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// CompareDescriptors compares two versions of a protobuf contract that are already
// compiled, as the descriptors protoc-gen-go embeds in generated Go code, and reports every
// change with the same rules and answers as [Compare]. Files are paired by path; every file
// counts as changed, since descriptors carry no source text to hash.
//
// Descriptors usually carry no source information, so findings are positioned at their
// file (line 0). The go/analysis passes in analyzers/ use it to classify what generated
// code defines without the .proto sources at hand.
func CompareDescriptors(ctx context.Context, old, new []protoreflect.FileDescriptor, opts Options) (rep *compat.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("proto: internal error (please report): %v", r)
		}
	}()
	c, err := newComparer(opts)
	if err != nil {
		return nil, err
	}
	if c.old, err = descriptorSide(old); err != nil {
		return nil, err
	}
	if c.new, err = descriptorSide(new); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.run()
	if err := c.resolvePositions(); err != nil {
		return nil, err
	}
	return compat.NewReport(c.findings), nil
}

// descriptorSide builds the side the comparer reads from compiled descriptors: every file
// is an input and changed, and the tree is a directory so that files pair by path.
func descriptorSide(files []protoreflect.FileDescriptor) (*side, error) {
	t := &tree{src: compat.Source{FS: fstest.MapFS{}}, lay: &layout{roots: []string{"."}}, disk: map[string]string{}, hashes: map[string][sha256.Size]byte{}, sums: map[string][sha256.Size]byte{}}
	s := &side{tree: t, byPath: map[string]linker.File{}}
	for _, fd := range files {
		if fd == nil {
			continue
		}
		if _, dup := s.byPath[fd.Path()]; dup {
			return nil, &compat.Error{Pos: compat.Position{File: fd.Path()}, Msg: "file descriptor given twice"}
		}
		lf, err := linker.NewFileRecursive(fd)
		if err != nil {
			return nil, &compat.Error{Pos: compat.Position{File: fd.Path()}, Msg: err.Error()}
		}
		s.byPath[fd.Path()] = lf
		s.files = append(s.files, lf)
		// The hash only records that the path exists on this side (package.go asks).
		t.hashes[fd.Path()] = sha256.Sum256([]byte(fd.Path()))
		t.inputs = append(t.inputs, fd.Path())
	}
	sort.Strings(t.inputs)
	s.changed = t.inputs
	return s, nil
}
