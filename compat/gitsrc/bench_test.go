package gitsrc_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/compatcheck/compatcheck/internal/corpora"
)

// corpus is googleapis' tree (about 8,000 .proto files), read from the shared corpora
// beside the project; benchmarks that need it skip when it is absent.
var corpus = filepath.Join(corpora.Dir(), "googleapis-1month", "new")

// corpusRepo commits the corpus into a repository in a temporary directory without
// copying it into the working tree: git adds it with the corpus as the work tree.
func corpusRepo(b *testing.B) (dir string) {
	b.Helper()
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("corpus absent: ", corpus)
	}
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	abs, err := filepath.Abs(corpus)
	if err != nil {
		b.Fatal(err)
	}
	dir = b.TempDir()
	for _, args := range [][]string{
		{"init", "-q", dir},
		{"-C", dir, "--work-tree", abs, "add", "-A"},
		{"-C", dir, "--work-tree", abs, "commit", "-q", "-m", "googleapis"},
		// A clone holds its objects in a pack, not loose; read them as a clone would.
		{"-C", dir, "repack", "-adq"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = gittest.Env(gittest.Epoch)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// openHead opens a fresh Repo (nothing cached) and resolves HEAD.
func openHead(b *testing.B, dir string) (*gitsrc.Repo, gitsrc.Commit) {
	r, err := gitsrc.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	c, err := r.Resolve(context.Background(), "HEAD")
	if err != nil {
		b.Fatal(err)
	}
	return r, c
}

// readAll lists every .proto file of src and reads each one, as an engine does.
func readAll(b *testing.B, src compat.Source) int {
	files, err := src.Files(".proto")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, f := range files {
		data, err := src.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		n += len(data)
	}
	return n
}

// BenchmarkCorpusGit lists and reads all of googleapis at a commit through one cat-file
// process (a fresh Repo each time, so no tree is cached between iterations).
func BenchmarkCorpusGit(b *testing.B) {
	dir := corpusRepo(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, c := openHead(b, dir)
		src, _, err := r.Source(c, "", "HEAD", ".")
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(readAll(b, src)))
		r.Close()
	}
}

// BenchmarkCorpusDirFS does the same from the directory on disk, for comparison.
func BenchmarkCorpusDirFS(b *testing.B) {
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("corpus absent: ", corpus)
	}
	src, err := compat.OpenPath(corpus)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		b.SetBytes(int64(readAll(b, src)))
	}
}

// BenchmarkCorpusGitList only lists the tree, which is what a history does for a release
// whose contract did not change before it decides to skip it.
func BenchmarkCorpusGitList(b *testing.B) {
	dir := corpusRepo(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, c := openHead(b, dir)
		n := 0
		if err := fs.WalkDir(r.FS(c.Tree), ".", func(string, fs.DirEntry, error) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}
