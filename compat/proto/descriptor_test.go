package proto

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bufbuild/protocompile"
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
			if bytes.Contains(txtar.Format(ar), []byte("compatcheck:ignore")) {
				t.Skip("inline ignores are read from source text, which descriptors do not carry")
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

// compileAll compiles every .proto file of a tree with protocompile alone, as protoc would
// before generating code, independent of the engine's own loading.
func compileAll(ctx context.Context, src compat.Source) ([]protoreflect.FileDescriptor, error) {
	var names []string
	err := fs.WalkDir(src.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".proto") {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	c := protocompile.Compiler{SourceInfoMode: protocompile.SourceInfoStandard, Resolver: protocompile.WithStandardImports(&protocompile.SourceResolver{
		Accessor: func(p string) (io.ReadCloser, error) { return src.FS.Open(p) },
	})}
	files, err := c.Compile(ctx, names...)
	if err != nil {
		return nil, err
	}
	out := make([]protoreflect.FileDescriptor, len(files))
	for i, f := range files {
		out[i] = f
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
