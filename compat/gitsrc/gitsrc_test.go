package gitsrc_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// history builds: v1.0.0 (lightweight) with proto/a.proto and proto/sub/b.proto, v1.1.0
// (annotated, one day later) where b.proto is gone and api/openapi.yaml appears, and an
// untagged commit on top that changes a.proto.
func history(t *testing.T) (*gittest.Repo, map[string]string) {
	t.Helper()
	g := gittest.New(t)
	ids := map[string]string{}
	g.Write(map[string]string{
		"proto/a.proto":     "syntax = \"proto3\";\nmessage A {}\n",
		"proto/sub/b.proto": "syntax = \"proto3\";\nmessage B {}\n",
		"README.md":         "readme\n",
	})
	ids["v1.0.0"] = g.Commit("first", gittest.Epoch)
	g.Tag("v1.0.0", false, gittest.Epoch)
	g.Remove("proto/sub")
	g.Write(map[string]string{"api/openapi.yaml": "openapi: 3.0.3\n"})
	day := gittest.Epoch.AddDate(0, 0, 1)
	ids["v1.1.0"] = g.Commit("second", day)
	g.Tag("v1.1.0", true, day.Add(1))
	g.Write(map[string]string{"proto/a.proto": "syntax = \"proto3\";\nmessage A { string x = 1; }\n"})
	ids["HEAD"] = g.Commit("third", gittest.Epoch.AddDate(0, 0, 2))
	return g, ids
}

func open(t *testing.T, dir string) *gitsrc.Repo {
	t.Helper()
	r, err := gitsrc.Open(context.Background(), dir)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, r.Close()) })
	return r
}

func TestResolvePeelsTagsAndReadsDates(t *testing.T) {
	g, ids := history(t)
	r := open(t, g.Dir)
	ctx := context.Background()
	for _, ref := range []string{"v1.0.0", "v1.1.0", "refs/tags/v1.1.0", "HEAD", "main", "HEAD~2"} {
		c, err := r.Resolve(ctx, ref)
		require.NoError(t, err, ref)
		want := ids[ref]
		switch ref {
		case "refs/tags/v1.1.0":
			want = ids["v1.1.0"]
		case "main":
			want = ids["HEAD"]
		case "HEAD~2":
			want = ids["v1.0.0"]
		}
		assert.Equal(t, want, c.ID, ref)
		assert.NotEmpty(t, c.Tree, ref)
	}
	c, err := r.Resolve(ctx, "v1.1.0")
	require.NoError(t, err)
	// The commit's date, not the annotated tag's (which is one second later).
	assert.Equal(t, gittest.Epoch.AddDate(0, 0, 1), c.Time)
}

func TestSourceAtRef(t *testing.T) {
	g, _ := history(t)
	r := open(t, g.Dir)
	ctx := context.Background()
	c, err := r.Resolve(ctx, "v1.0.0")
	require.NoError(t, err)

	src, e, err := r.Source(c, "proto", "v1.0.0", "proto")
	require.NoError(t, err)
	assert.True(t, e.Dir)
	assert.Equal(t, "v1.0.0:proto", src.Name)
	files, err := src.Files(".proto")
	require.NoError(t, err)
	assert.Equal(t, []string{"a.proto", "sub/b.proto"}, files)
	data, err := src.ReadFile("sub/b.proto")
	require.NoError(t, err)
	assert.Equal(t, "syntax = \"proto3\";\nmessage B {}\n", string(data))
	_, err = src.ReadFile("missing.proto")
	assert.EqualError(t, err, "v1.0.0:proto/missing.proto: no such file or directory")
	_, err = src.ReadFile("sub")
	assert.EqualError(t, err, "v1.0.0:proto/sub: is a directory, not a file")

	// The tree behaves as every fs.FS must (fstest checks ReadDir, Stat, Open, Sub and
	// ReadFile agree).
	require.NoError(t, fstest.TestFS(src.FS, "a.proto", "sub/b.proto"))

	// One file: rooted at its directory, named as the user wrote it.
	head, err := r.Resolve(ctx, "HEAD")
	require.NoError(t, err)
	one, e, err := r.Source(head, "api/openapi.yaml", "HEAD", "api/openapi.yaml")
	require.NoError(t, err)
	assert.False(t, e.Dir)
	assert.Equal(t, "openapi.yaml", one.File)
	assert.Equal(t, "HEAD:api/openapi.yaml", one.Describe())
	data, err = one.ReadFile(one.File)
	require.NoError(t, err)
	assert.Equal(t, "openapi: 3.0.3\n", string(data))

	// The same path at two versions has the same ID only when its bytes are the same.
	v11, err := r.Resolve(ctx, "v1.1.0")
	require.NoError(t, err)
	a10, _, err := r.Lookup(c, "proto/a.proto")
	require.NoError(t, err)
	a11, _, err := r.Lookup(v11, "proto/a.proto")
	require.NoError(t, err)
	aHead, _, err := r.Lookup(head, "proto/a.proto")
	require.NoError(t, err)
	assert.Equal(t, a10.ID, a11.ID)
	assert.NotEqual(t, a10.ID, aHead.ID)
}

func TestSourceConcurrentReads(t *testing.T) {
	g := gittest.New(t)
	files := map[string]string{}
	for i := 0; i < 50; i++ {
		files[filepath.ToSlash(filepath.Join("d", string(rune('a'+i%26)), string(rune('a'+i/26))+".txt"))] = string(rune('A' + i%26))
	}
	g.Write(files)
	g.Commit("many", gittest.Epoch)
	r := open(t, g.Dir)
	c, err := r.Resolve(context.Background(), "HEAD")
	require.NoError(t, err)
	src, _, err := r.Source(c, "d", "HEAD", "d")
	require.NoError(t, err)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name, want := range files {
				got, err := src.ReadFile(name[len("d/"):])
				if assert.NoError(t, err) {
					assert.Equal(t, want, string(got))
				}
				_, err = fs.Stat(src.FS, name[len("d/"):])
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
}

func TestSymbolicLinksStayInTheTree(t *testing.T) {
	g := gittest.New(t)
	g.Write(map[string]string{"c/real/a.proto": "syntax = \"proto3\";\n", "secret.txt": "no"})
	require.NoError(t, os.Symlink("real/a.proto", filepath.Join(g.Dir, "c", "link.proto")))
	require.NoError(t, os.Symlink("real", filepath.Join(g.Dir, "c", "dirlink")))
	require.NoError(t, os.Symlink("../secret.txt", filepath.Join(g.Dir, "c", "escape.txt")))
	g.Commit("links", gittest.Epoch)
	r := open(t, g.Dir)
	c, err := r.Resolve(context.Background(), "HEAD")
	require.NoError(t, err)
	src, _, err := r.Source(c, "c", "HEAD", "c")
	require.NoError(t, err)
	data, err := src.ReadFile("link.proto")
	require.NoError(t, err)
	assert.Equal(t, "syntax = \"proto3\";\n", string(data))
	data, err = src.ReadFile("dirlink/a.proto")
	require.NoError(t, err)
	assert.Equal(t, "syntax = \"proto3\";\n", string(data))
	_, err = src.ReadFile("escape.txt")
	assert.EqualError(t, err, "HEAD:c/escape.txt: symbolic link leads outside the input tree")
}

func TestRepoPathFromSubdirectory(t *testing.T) {
	g, _ := history(t)
	r := open(t, filepath.Join(g.Dir, "proto"))
	for in, want := range map[string]string{
		".":       "proto",
		"a.proto": "proto/a.proto",
		"../api":  "api",
		"..":      "",
		filepath.Join(g.Dir, "api", "openapi.yaml"): "api/openapi.yaml",
	} {
		got, err := r.RepoPath(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := r.RepoPath("../../elsewhere")
	assert.ErrorContains(t, err, "is outside the git repository")
}

func TestErrorsSayHowToFix(t *testing.T) {
	ctx := context.Background()
	g, _ := history(t)
	r := open(t, g.Dir)

	_, err := r.Resolve(ctx, "origin/main")
	assert.EqualError(t, err, "unknown revision origin/main: fetch it with `git fetch origin main`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout")
	_, err = r.Resolve(ctx, "v9.9.9")
	assert.EqualError(t, err, "unknown revision v9.9.9: fetch it with `git fetch origin tag v9.9.9`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout")
	_, err = r.Resolve(ctx, "--output=x")
	assert.EqualError(t, err, `"--output=x" is not a git revision`)

	c, err := r.Resolve(ctx, "v1.0.0")
	require.NoError(t, err)
	_, _, err = r.Source(c, "api/openapi.yaml", "v1.0.0", "api/openapi.yaml")
	assert.EqualError(t, err, "v1.0.0:api/openapi.yaml: no such file or directory at v1.0.0 (commit "+c.Short()+")")
	var ce *compat.Error
	assert.ErrorAs(t, err, &ce)

	shallow := open(t, g.ShallowClone())
	isShallow, err := shallow.IsShallow(ctx)
	require.NoError(t, err)
	assert.True(t, isShallow)
	_, err = shallow.Resolve(ctx, "HEAD")
	assert.NoError(t, err, "the tip of a shallow clone is readable")
	_, err = shallow.Resolve(ctx, "HEAD~1")
	assert.EqualError(t, err, "unknown revision HEAD~1 in a shallow clone: fetch the history with `git fetch --unshallow` (or `git fetch origin HEAD`), or in GitHub Actions set `fetch-depth: 0` on actions/checkout")

	_, err = gitsrc.Open(ctx, t.TempDir())
	assert.ErrorContains(t, err, ": not inside a git repository: REF:PATH and --against read versions from git")
}

func TestSplitRef(t *testing.T) {
	for _, tc := range []struct {
		arg, ref, path string
		ok             bool
	}{
		{"origin/main:proto", "origin/main", "proto", true},
		{"v1.4.0:api/openapi.yaml", "v1.4.0", "api/openapi.yaml", true},
		{"HEAD~1:", "HEAD~1", ".", true},
		{"main:a:b", "main", "a:b", true},
		{`C:\work\proto`, "", "", false},
		{"C:/work/proto", "", "", false},
		{":proto", "", "", false},
		{"proto", "", "", false},
	} {
		ref, p, ok := gitsrc.SplitRef(tc.arg)
		assert.Equal(t, tc.ok, ok, tc.arg)
		assert.Equal(t, tc.ref, ref, tc.arg)
		assert.Equal(t, tc.path, p, tc.arg)
	}
}

func TestTagsAndLog(t *testing.T) {
	g, ids := history(t)
	// A release branch from v1.0.0 with a patch release that main never merged.
	g.Git("checkout", "-q", "-b", "release-1.0", "v1.0.0")
	g.Write(map[string]string{"proto/a.proto": "syntax = \"proto3\";\nmessage A { int32 patch = 9; }\n"})
	patch := g.Commit("patch", gittest.Epoch.AddDate(0, 0, 5))
	g.Tag("v1.0.1", true, gittest.Epoch.AddDate(0, 0, 6))
	g.Git("tag", "-a", "-m", "tag of a tag", "nested", "v1.0.1")
	g.Git("checkout", "-q", "main")
	r := open(t, g.Dir)
	ctx := context.Background()

	all, err := r.Tags(ctx, "")
	require.NoError(t, err)
	names := map[string]gitsrc.Tag{}
	for _, tag := range all {
		names[tag.Name] = tag
	}
	require.Len(t, names, 4)
	assert.Equal(t, gitsrc.Tag{Name: "v1.0.0", Commit: ids["v1.0.0"], Date: gittest.Epoch}, names["v1.0.0"])
	assert.Equal(t, gitsrc.Tag{Name: "v1.0.1", Commit: patch, Date: gittest.Epoch.AddDate(0, 0, 6), Annotated: true}, names["v1.0.1"])
	assert.Equal(t, patch, names["nested"].Commit)

	onMain, err := r.Tags(ctx, ids["HEAD"])
	require.NoError(t, err)
	var mainNames []string
	for _, tag := range onMain {
		mainNames = append(mainNames, tag.Name)
	}
	assert.Equal(t, []string{"v1.0.0", "v1.1.0"}, mainNames)

	log, err := r.Log(ctx, ids["v1.0.0"], ids["HEAD"], "proto/a.proto")
	require.NoError(t, err)
	require.Len(t, log, 1, "only the third commit changes a.proto after v1.0.0")
	assert.Equal(t, ids["HEAD"], log[0].ID)
	log, err = r.Log(ctx, "", ids["HEAD"], "")
	require.NoError(t, err)
	assert.Len(t, log, 3)
	assert.Equal(t, ids["v1.0.0"], log[0].ID)
}
