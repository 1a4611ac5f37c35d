package history

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/compatcheck/compatcheck/internal/corpora"
)

// synthetic is a protobuf tree of files files that evolves one release at a time: each
// release adds a field to one file; every seventh deprecates a field it added earlier, and
// two releases later that field is deleted and reserved (the contract step); every tenth
// release changes nothing.
type synthetic struct {
	files  int
	fields [][]synField
}

type synField struct {
	name             string
	number           int
	deprecated, gone bool
}

func newSynthetic(files int) *synthetic {
	s := &synthetic{files: files, fields: make([][]synField, files)}
	for f := range s.fields {
		for n := 1; n <= 8; n++ {
			s.fields[f] = append(s.fields[f], synField{name: fmt.Sprintf("f%d", n), number: n})
		}
	}
	return s
}

// release applies release r's change.
func (s *synthetic) release(r int) {
	if r%10 == 0 {
		return
	}
	f := r % s.files
	fields := s.fields[f]
	next := fields[len(fields)-1].number + 1
	s.fields[f] = append(fields, synField{name: fmt.Sprintf("r%d", r), number: next})
	if r%7 == 0 {
		for i := range s.fields[f] {
			if fl := &s.fields[f][i]; !fl.deprecated && !fl.gone && fl.number > 8 {
				fl.deprecated = true
				break
			}
		}
	}
	if r%7 == 2 && r > 7 {
		g := (r - 2) % s.files
		for i := range s.fields[g] {
			if fl := &s.fields[g][i]; fl.deprecated && !fl.gone {
				fl.gone = true
				break
			}
		}
	}
}

func (s *synthetic) tree() map[string]string {
	out := map[string]string{}
	for f, fields := range s.fields {
		var b strings.Builder
		fmt.Fprintf(&b, "syntax = \"proto3\";\npackage syn.p%02d.v1;\n", f)
		if f > 0 {
			fmt.Fprintf(&b, "import \"p%02d.proto\";\n", f-1)
		}
		for m := 0; m < 6; m++ {
			fmt.Fprintf(&b, "message M%d {\n", m)
			var reserved []string
			for _, fl := range fields {
				if m > 0 && fl.number > 8 {
					continue // only M0 evolves
				}
				switch {
				case fl.gone:
					reserved = append(reserved, fmt.Sprint(fl.number))
				case fl.deprecated:
					fmt.Fprintf(&b, "  string %s = %d [deprecated = true];\n", fl.name, fl.number)
				default:
					fmt.Fprintf(&b, "  string %s = %d;\n", fl.name, fl.number)
				}
			}
			if len(reserved) > 0 {
				fmt.Fprintf(&b, "  reserved %s;\n", strings.Join(reserved, ", "))
			}
			if f > 0 && m == 0 {
				fmt.Fprintf(&b, "  syn.p%02d.v1.M1 prev = 100;\n", f-1)
			}
			b.WriteString("}\n")
		}
		out[fmt.Sprintf("p%02d.proto", f)] = b.String()
	}
	return out
}

// syntheticRepo commits releases releases of a files-file tree under proto/, each tagged,
// and leaves the working tree one change further.
func syntheticRepo(b *testing.B, releases, files int) *gittest.Repo {
	b.Helper()
	g := gittest.New(b)
	s := newSynthetic(files)
	for r := 0; r < releases; r++ {
		s.release(r)
		g.Replace("proto", s.tree())
		date := gittest.Epoch.AddDate(0, 0, 7*r)
		g.Commit(fmt.Sprintf("v1.%d.0", r), date)
		g.Tag(fmt.Sprintf("v1.%d.0", r), r%2 == 0, date)
	}
	s.release(releases + 1)
	g.Replace("proto", s.tree())
	return g
}

func runHistory(b *testing.B, dir, contract string, opts Options) *Result {
	b.Helper()
	ctx := context.Background()
	repo, err := gitsrc.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	defer repo.Close()
	seq, err := FromGit(ctx, repo, GitOptions{Path: filepath.Join(dir, contract)})
	if err != nil {
		b.Fatal(err)
	}
	res, err := Check(ctx, seq, opts)
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// BenchmarkHistorySynthetic100 checks a 100-release history of a 30-file protobuf tree:
// every release read through one git process, every step compared once.
func BenchmarkHistorySynthetic100(b *testing.B) {
	g := syntheticRepo(b, 100, 30)
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		res = runHistory(b, g.Dir, "proto", Options{MinDeprecationReleases: 2})
	}
	b.ReportMetric(float64(res.comparisons), "comparisons")
	b.ReportMetric(float64(len(res.Report.Findings)), "findings")
}

// BenchmarkHistorySyntheticOneStep is the single comparison of the same tree's newest
// release with its head, the unit the history's cost is measured in.
func BenchmarkHistorySyntheticOneStep(b *testing.B) {
	g := syntheticRepo(b, 100, 30)
	ctx := context.Background()
	repo, err := gitsrc.Open(ctx, g.Dir)
	if err != nil {
		b.Fatal(err)
	}
	defer repo.Close()
	c, err := repo.Resolve(ctx, "v1.99.0")
	if err != nil {
		b.Fatal(err)
	}
	old, _, err := repo.Source(c, "proto", "v1.99.0", "proto")
	if err != nil {
		b.Fatal(err)
	}
	head, err := repo.WorkTree("proto", "proto")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := compatcheck.Compare(ctx, old, head, compatcheck.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

var envoy = filepath.Join(corpora.Dir(), "envoy-api-2025")

// envoyRepo builds a history from the envoy corpus: the old snapshot is v1.0.0, the new one
// v1.5.0, and v1.1.0 to v1.4.0 lie between (v1.1.0 adds the new files, then each release
// takes a quarter of the changed files, and v1.5.0 also drops the deleted ones). The
// working tree is v1.5.0 with one field added.
func envoyRepo(b *testing.B) (*gittest.Repo, int) {
	b.Helper()
	oldDir, newDir := filepath.Join(envoy, "old"), filepath.Join(envoy, "new")
	if _, err := os.Stat(oldDir); err != nil {
		b.Skip("corpus absent: ", envoy)
	}
	oldFiles, newFiles := readTree(b, oldDir), readTree(b, newDir)
	var changed, added []string
	for name, data := range newFiles {
		switch old, ok := oldFiles[name]; {
		case !ok:
			added = append(added, name)
		case old != data:
			changed = append(changed, name)
		}
	}
	sort.Strings(changed)
	sort.Strings(added)
	g := gittest.New(b)
	tree := map[string]string{}
	for name, data := range oldFiles {
		tree[name] = data
	}
	commit := func(tag string, r int) {
		g.Replace("api", tree)
		date := gittest.Epoch.AddDate(0, 1*r, 0)
		g.Commit(tag, date)
		g.Tag(tag, true, date)
	}
	commit("v1.0.0", 0)
	for _, name := range added {
		tree[name] = newFiles[name]
	}
	for r := 1; r <= 4; r++ {
		for _, name := range changed[(r-1)*len(changed)/4 : r*len(changed)/4] {
			tree[name] = newFiles[name]
		}
		commit(fmt.Sprintf("v1.%d.0", r), r)
	}
	tree = newFiles
	commit("v1.5.0", 5)
	head := map[string]string{}
	for name, data := range newFiles {
		head[name] = data
	}
	// The head adds one field to the first message of the first changed file.
	name := changed[0]
	text := head[name]
	if i := strings.Index(text, "\nmessage "); i >= 0 {
		if j := strings.Index(text[i:], "{\n"); j >= 0 {
			at := i + j + 2
			head[name] = text[:at] + "  string benchmark_note = 9999;\n" + text[at:]
		}
	}
	g.Replace("api", head)
	return g, len(changed)
}

func readTree(b *testing.B, dir string) map[string]string {
	b.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkHistoryEnvoy checks the six-release envoy history built from the corpus.
func BenchmarkHistoryEnvoy(b *testing.B) {
	g, _ := envoyRepo(b)
	b.ResetTimer()
	var res *Result
	for i := 0; i < b.N; i++ {
		res = runHistory(b, g.Dir, "api", Options{})
	}
	b.ReportMetric(float64(res.comparisons), "comparisons")
	b.ReportMetric(float64(len(res.Notes)), "notes")
	if testing.Verbose() {
		for _, n := range res.Notes {
			b.Log(n)
		}
		for _, r := range res.Releases {
			b.Logf("%s: %d breaking, %d read-tolerant, %d additive %s", r.Name, r.Breaking, r.ReadTolerant, r.Additive, r.Skipped)
		}
	}
}

// BenchmarkEnvoyOneComparison is the plain comparison of the corpus's two snapshots.
func BenchmarkEnvoyOneComparison(b *testing.B) {
	if _, err := os.Stat(envoy); err != nil {
		b.Skip("corpus absent: ", envoy)
	}
	old, err := compat.OpenPath(filepath.Join(envoy, "old"))
	if err != nil {
		b.Fatal(err)
	}
	new, err := compat.OpenPath(filepath.Join(envoy, "new"))
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, _, err := compatcheck.Compare(context.Background(), old, new, compatcheck.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
