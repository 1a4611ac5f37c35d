// Package compattest runs an engine's golden tests: txtar archives holding an old/ tree, a
// new/ tree and the expected report, with -update to regenerate the expectations. Every
// archive is also checked for the properties every engine must have: comparing a tree with
// itself reports nothing, the same inputs encode to byte-identical reports, and every
// report keeps the promises [CheckPromises] lists.
//
// An archive looks like this; its comment (the text before the first file) is handed to
// the engine, which reads its options from it:
//
//	encodings: json
//	-- old/a.proto --
//	...
//	-- new/a.proto --
//	...
//	-- want --
//	{ JSON report, as `compatcheck --format json` prints it }
//
// An archive whose comparison must fail has an "error" section with the error's text
// instead of "want".
package compattest

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want and error sections of golden txtar archives")

// CompareFunc compares the two trees of one archive. comment is the archive's comment,
// from which the engine reads its options.
type CompareFunc func(ctx context.Context, old, new compat.Source, comment string) (*compat.Report, error)

// Options selects the optional property checks.
type Options struct {
	// Swap checks that comparing NEW with OLD swaps the overall B and F answers. It holds
	// for the schema formats, where B and F are set inclusions in opposite directions,
	// except where a rule reads history (a removal after deprecation is not the mirror of
	// an addition): an archive whose comment says "swap: no" is not swapped.
	Swap bool
	// NoSelf skips the self-comparison property, for archives whose trees are not valid
	// on their own (error cases are skipped automatically).
	NoSelf bool
}

// Run runs every archive matching pattern (for example "testdata/*.txtar") as a subtest.
func Run(t *testing.T, pattern string, compare CompareFunc, opts Options) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no golden archives match %s", pattern)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) { runArchive(t, file, compare, opts) })
	}
}

// Trees splits an archive's files into the old and new sources, named "old" and "new".
func Trees(ar *txtar.Archive) (old, new compat.Source) {
	oldFS, newFS := fstest.MapFS{}, fstest.MapFS{}
	for _, f := range ar.Files {
		if rest, ok := strings.CutPrefix(f.Name, "old/"); ok {
			oldFS[rest] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		} else if rest, ok := strings.CutPrefix(f.Name, "new/"); ok {
			newFS[rest] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
		}
	}
	return compat.Source{FS: oldFS, Name: "old"}, compat.Source{FS: newFS, Name: "new"}
}

func runArchive(t *testing.T, file string, compare CompareFunc, opts Options) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	old, new := Trees(ar)
	comment := string(ar.Comment)
	ctx := context.Background()

	report, cmpErr := compare(ctx, old, new, comment)
	var got []byte
	section := "want"
	if cmpErr != nil {
		section = "error"
		got = []byte(cmpErr.Error() + "\n")
	} else {
		got = EncodeJSON(t, report)
	}

	want, hasWant := sectionData(ar, "want")
	wantErr, hasErr := sectionData(ar, "error")
	switch {
	case *update:
		setSection(ar, section, got)
		dropSection(ar, map[string]string{"want": "error", "error": "want"}[section])
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	case section == "error" && !hasErr:
		t.Fatalf("unexpected error: %v", cmpErr)
	case section == "error":
		if string(got) != string(wantErr) {
			t.Errorf("error mismatch\n got: %s\nwant: %s", got, wantErr)
		}
	case !hasWant:
		t.Fatalf("archive has no want section; got report:\n%s", got)
	default:
		if !bytes.Equal(got, want) {
			t.Errorf("report mismatch (run with -update and review the diff)\n got:\n%s\nwant:\n%s", got, want)
		}
	}
	if cmpErr != nil {
		return
	}
	CheckPromises(t, report)

	// The same inputs must encode to byte-identical reports.
	again, err := compare(ctx, old, new, comment)
	if err != nil {
		t.Fatalf("second comparison failed: %v", err)
	}
	if g2 := EncodeJSON(t, again); !bytes.Equal(got, g2) {
		t.Errorf("output is not deterministic:\nfirst:\n%s\nsecond:\n%s", got, g2)
	}

	if !opts.NoSelf && !strings.Contains(comment, "noself") {
		for _, side := range []compat.Source{old, new} {
			self, err := compare(ctx, side, side, comment)
			if err != nil {
				t.Errorf("comparing %s with itself failed: %v", side.Name, err)
				continue
			}
			if len(self.Findings) > 0 {
				t.Errorf("comparing %s with itself reported findings:\n%s", side.Name, EncodeJSON(t, self))
			}
		}
	}

	if opts.Swap && Option(comment, "swap") != "no" {
		swapped, err := compare(ctx, new, old, comment)
		if err != nil {
			t.Fatalf("swapped comparison failed: %v", err)
		}
		b, f := Answers(report)
		sb, sf := Answers(swapped)
		if b != sf || f != sb {
			t.Errorf("swapping OLD and NEW must swap B and F: got B=%v F=%v, swapped B=%v F=%v\nswapped report:\n%s",
				b, f, sb, sf, EncodeJSON(t, swapped))
		}
	}
}

// CheckPromises checks what every report promises its readers, whatever the engine: each
// finding names a registered rule and is positioned, each unsuppressed breaking or
// read-tolerant finding carries the safe sequence of releases, and each hazard names a
// registered hazard rule and carries its own advice.
func CheckPromises(t testing.TB, r *compat.Report) {
	t.Helper()
	for _, f := range r.Findings {
		rule, ok := compat.LookupRule(f.Rule)
		if !ok || rule.Hazard {
			t.Errorf("%s: %q is not a registered class rule", f.Subject, f.Rule)
		}
		if f.Pos().File == "" {
			t.Errorf("%s %s: finding has no position", f.Rule, f.Subject)
		}
		if f.Suppressed == "" && f.Class() >= compat.ReadTolerant && len(f.Advice) == 0 {
			t.Errorf("%s %s: %s finding has no advice (the safe sequence of releases)", f.Rule, f.Subject, f.Class())
		}
		for _, h := range f.Hazards {
			hr, ok := compat.LookupRule(h.Rule)
			if !ok || !hr.Hazard {
				t.Errorf("%s %s: hazard %q is not a registered hazard rule", f.Rule, f.Subject, h.Rule)
			}
			if len(h.Advice) == 0 {
				t.Errorf("%s %s: hazard %s has no advice", f.Rule, f.Subject, h.Rule)
			}
		}
	}
}

// Answers folds a report into the overall B and F answers: each holds when it holds for
// every finding.
func Answers(r *compat.Report) (backward, forward bool) {
	backward, forward = true, true
	for _, f := range r.Findings {
		backward = backward && f.Backward
		forward = forward && f.Forward
	}
	return backward, forward
}

// EncodeJSON encodes a report as `compatcheck --format json` does.
func EncodeJSON(t testing.TB, r *compat.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := compat.Encode(&buf, r, "json", compat.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Option returns the value of a "key: value" line in an archive comment, or "".
func Option(comment, key string) string {
	for _, line := range strings.Split(comment, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Section returns the data of the archive's file called name, for golden tests of their
// own shape (such as the release histories of package history) that keep want sections too.
func Section(ar *txtar.Archive, name string) ([]byte, bool) { return sectionData(ar, name) }

// SetSection replaces the data of the archive's file called name, adding it when missing.
func SetSection(ar *txtar.Archive, name string, data []byte) { setSection(ar, name, data) }

func sectionData(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append(ar.Files, txtar.File{Name: name, Data: data})
}

func dropSection(ar *txtar.Archive, name string) {
	out := ar.Files[:0]
	for _, f := range ar.Files {
		if f.Name != name {
			out = append(out, f)
		}
	}
	ar.Files = out
}

// SeedPairs returns, for each archive matching pattern, the first old/ and the first new/
// file whose names end in suffix ("" for any), so fuzz targets start from the goldens.
// Archives that lack either side are skipped.
func SeedPairs(tb testing.TB, pattern, suffix string) [][2][]byte {
	tb.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		tb.Fatal(err)
	}
	var out [][2][]byte
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		var pair [2][]byte
		for _, af := range ar.Files {
			if !strings.HasSuffix(af.Name, suffix) {
				continue
			}
			if strings.HasPrefix(af.Name, "old/") && pair[0] == nil {
				pair[0] = af.Data
			} else if strings.HasPrefix(af.Name, "new/") && pair[1] == nil {
				pair[1] = af.Data
			}
		}
		if pair[0] != nil && pair[1] != nil {
			out = append(out, pair)
		}
	}
	return out
}
