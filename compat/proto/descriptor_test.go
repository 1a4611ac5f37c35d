package proto

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"golang.org/x/tools/txtar"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// TestCompareDescriptorsMatchesCompare checks that comparing compiled descriptors gives the
// report comparing the sources gives, for every golden archive: the analyzers classify
// generated code with CompareDescriptors, and must not disagree with the CLI.
func TestCompareDescriptorsMatchesCompare(t *testing.T) {
	archives, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no golden archives: %v", err)
	}
	ctx := context.Background()
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			old, new := compattest.Trees(ar)
			want, err := goldenCompare(ctx, old, new, string(ar.Comment))
			if err != nil {
				t.Skip("error archive")
			}
			oldFiles, err := compileAll(ctx, old)
			if err != nil {
				t.Skip("a side does not compile on its own")
			}
			newFiles, err := compileAll(ctx, new)
			if err != nil {
				t.Skip("a side does not compile on its own")
			}
			var opts Options
			if e := compattest.Option(string(ar.Comment), "encodings"); e != "" {
				opts.Encodings, _ = ParseEncodings(e)
			}
			opts.StrictJSONReaders = compattest.Option(string(ar.Comment), "strict-json") == "true"
			got, err := CompareDescriptors(ctx, oldFiles, newFiles, opts)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := compattest.EncodeJSON(t, got), compattest.EncodeJSON(t, want); !bytes.Equal(g, w) {
				t.Errorf("descriptors and sources disagree\ndescriptors:\n%s\nsources:\n%s", g, w)
			}
		})
	}
}

// compileAll compiles every .proto file of a tree, as protoc would before generating code.
func compileAll(ctx context.Context, src compat.Source) ([]protoreflect.FileDescriptor, error) {
	tr, err := loadTree(src)
	if err != nil {
		return nil, err
	}
	s, err := compileSide(ctx, tr, tr.inputs, true)
	if err != nil {
		return nil, err
	}
	var out []protoreflect.FileDescriptor
	for _, name := range tr.inputs {
		out = append(out, s.byPath[name])
	}
	return out, nil
}

func TestCompareDescriptorsRefusesDuplicates(t *testing.T) {
	ctx := context.Background()
	files, err := compileAll(ctx, compat.Source{FS: fstest.MapFS{"a.proto": {Data: []byte("syntax = \"proto3\";\npackage p;\nmessage M {}\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = CompareDescriptors(ctx, append(files, files[0]), files, Options{})
	if err == nil || err.Error() != "a.proto: file descriptor given twice" {
		t.Fatalf("got %v, want a.proto: file descriptor given twice", err)
	}
}
