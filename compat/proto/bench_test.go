package proto

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
)

// largeTree generates a googleapis-sized tree in memory: pkgs packages of files files
// each, every file importing a shared types file and its predecessor, with four messages
// of eight fields, an enum and, in every third file, a service. edit, when set, rewrites
// the text of chosen files for the NEW side.
func largeTree(pkgs, files int, edit func(pkg, file int, text string) string) fstest.MapFS {
	fsys := fstest.MapFS{}
	fsys["common/types.proto"] = &fstest.MapFile{Data: []byte(`syntax = "proto3";
package common;
import "google/protobuf/timestamp.proto";
message Money { string currency = 1; int64 units = 2; int32 nanos = 3; }
message Audit { google.protobuf.Timestamp created = 1; string by = 2; }
enum Region { REGION_UNSPECIFIED = 0; REGION_EU = 1; REGION_US = 2; }
`)}
	for p := 0; p < pkgs; p++ {
		for f := 0; f < files; f++ {
			var b strings.Builder
			pkg := fmt.Sprintf("g.p%03d.v1", p)
			fmt.Fprintf(&b, "syntax = \"proto3\";\npackage %s;\nimport \"common/types.proto\";\n", pkg)
			if f > 0 {
				fmt.Fprintf(&b, "import \"g/p%03d/v1/f%03d.proto\";\n", p, f-1)
			}
			fmt.Fprintf(&b, "enum Kind%d { KIND%d_UNSPECIFIED = 0; KIND%d_A = 1; KIND%d_B = 2; KIND%d_C = 3; }\n", f, f, f, f, f)
			for m := 0; m < 4; m++ {
				fmt.Fprintf(&b, "message M%d_%d {\n", f, m)
				fmt.Fprintf(&b, "  string id = 1;\n  int64 count = 2;\n  common.Money price = 3;\n  Kind%d kind = 4;\n", f)
				fmt.Fprintf(&b, "  repeated string tags = 5;\n  map<string, string> labels = 6;\n  common.Audit audit = 7;\n")
				if f > 0 {
					fmt.Fprintf(&b, "  M%d_%d prev = 8;\n", f-1, m)
				} else {
					fmt.Fprintf(&b, "  bytes blob = 8;\n")
				}
				b.WriteString("}\n")
			}
			if f%3 == 0 {
				fmt.Fprintf(&b, "service Svc%d {\n  rpc Get(M%d_0) returns (M%d_1);\n  rpc List(M%d_2) returns (stream M%d_3);\n  rpc Put(M%d_1) returns (M%d_0);\n}\n", f, f, f, f, f, f, f)
			}
			text := b.String()
			if edit != nil {
				text = edit(p, f, text)
			}
			fsys[fmt.Sprintf("g/p%03d/v1/f%03d.proto", p, f)] = &fstest.MapFile{Data: []byte(text)}
		}
	}
	return fsys
}

// fewChanges edits five files spread over the tree: a field added, a type widened, an enum
// value added, a method added and a field deleted.
func fewChanges(p, f int, text string) string {
	switch {
	case p == 3 && f == 4:
		return strings.Replace(text, "  string id = 1;\n", "  string id = 1;\n  string note = 9;\n", 1)
	case p == 17 && f == 10:
		return strings.Replace(text, "int64 count = 2;", "int32 count = 2;", 1)
	case p == 42 && f == 0:
		return strings.Replace(text, "KIND0_C = 3;", "KIND0_C = 3; KIND0_D = 4;", 1)
	case p == 60 && f == 9:
		return strings.Replace(text, "rpc Put(", "rpc Del(M9_0) returns (M9_1);\n  rpc Put(", 1)
	case p == 88 && f == 20:
		return strings.Replace(text, "  repeated string tags = 5;\n", "", 1)
	}
	return text
}

const benchPkgs, benchFiles = 100, 30 // 3,000 files a side, 96,000 fields

// onDisk writes a generated tree to a temporary directory and opens it as the CLI does,
// so that benchmarks pay for real file reads rather than fstest.MapFS's linear scans.
func onDisk(b *testing.B, fsys fstest.MapFS) compat.Source {
	dir := b.TempDir()
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	src, err := compat.OpenPath(dir)
	if err != nil {
		b.Fatal(err)
	}
	return src
}

func benchCompare(b *testing.B, pkgs int, edit func(p, f int, text string) string, want int) {
	old := onDisk(b, largeTree(pkgs, benchFiles, nil))
	new := onDisk(b, largeTree(pkgs, benchFiles, edit))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Compare(context.Background(), old, new, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if want >= 0 && len(rep.Findings) != want {
			b.Fatalf("got %d findings, want %d", len(rep.Findings), want)
		}
	}
}

// BenchmarkCompareLarge compares two 3,000-file trees that differ in five files: only
// those files and their import closures are compiled.
func BenchmarkCompareLarge(b *testing.B) { benchCompare(b, benchPkgs, fewChanges, 5) }

// BenchmarkCompareGoogleapisSized is BenchmarkCompareLarge at the size of googleapis:
// 234 packages of 30 files, 7,021 files a side.
func BenchmarkCompareGoogleapisSized(b *testing.B) { benchCompare(b, 234, fewChanges, 5) }

// BenchmarkCompareLargeFull changes every file (a trailing comment), which forces the
// whole tree of both sides through the compiler: the cost the incremental path avoids.
func BenchmarkCompareLargeFull(b *testing.B) {
	benchCompare(b, benchPkgs, func(p, f int, text string) string { return fewChanges(p, f, text) + "// touched\n" }, 5)
}

// TestCompareLargeSmoke runs the large comparison on a smaller tree in the normal test
// run, so that the benchmark's expectations do not rot.
func TestCompareLargeSmoke(t *testing.T) {
	old := compat.Source{FS: largeTree(100, 21, nil), Name: "old"}
	new := compat.Source{FS: largeTree(100, 21, fewChanges), Name: "new"}
	rep, err := Compare(context.Background(), old, new, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range rep.Findings {
		rules = append(rules, f.Rule+" "+f.Subject)
	}
	want := []string{
		"FIELD_ADDED g.p003.v1.M4_0.note",
		"ENUM_VALUE_ADDED g.p042.v1.Kind0.KIND0_D",
		"METHOD_ADDED g.p060.v1.Svc9.Del",
		"FIELD_TYPE_CHANGED g.p017.v1.M10_0.count",
		"FIELD_DELETED g.p088.v1.M20_0.tags",
	}
	if len(rules) != len(want) {
		t.Fatalf("got %v", rules)
	}
	for _, w := range want {
		found := false
		for _, r := range rules {
			found = found || r == w
		}
		if !found {
			t.Errorf("missing %s in %v", w, rules)
		}
	}
}
