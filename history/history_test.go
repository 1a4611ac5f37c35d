package history

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVersionOf(t *testing.T) {
	for tag, want := range map[string]string{
		"v1.2.3": "v1.2.3", "1.2.3": "v1.2.3", "api/v1.2.3": "v1.2.3", "v1.2": "v1.2.0",
		"v2.0.0-rc.1": "v2.0.0-rc.1", "v1.0.0+build.5": "v1.0.0", "vnext": "", "release-1": "", "": "",
	} {
		got, ok := versionOf(tag)
		assert.Equal(t, want != "", ok, tag)
		assert.Equal(t, want, got, tag)
	}
}

func TestRelated(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"a.json#/properties/x", "a.json#/properties/x", true},
		{"a.json#/properties/x", "a.json#/properties/x/enum", true},
		{"a.json#/properties/x", "a.json#/properties/xy", false},
		{"shop.v1.Order", "shop.v1.Order.note", true},
		{"shop.v1.Order.note", "shop.v1.Order.notes", false},
		{"GET /a", "GET /a #/responses/200", true},
		{"users.name", "users.full_name", false},
	} {
		assert.Equal(t, tc.want, related(tc.a, tc.b), "%s ~ %s", tc.a, tc.b)
		assert.Equal(t, tc.want, related(tc.b, tc.a), "%s ~ %s", tc.b, tc.a)
	}
	assert.Equal(t, "shop.v1.Status", parent("shop.v1.Status.NEW"))
	assert.Equal(t, "", parent("orders"))
}

func TestDays(t *testing.T) {
	d := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	assert.Equal(t, 0, days(d, d.Add(23*time.Hour)))
	assert.Equal(t, 1, days(d, d.Add(24*time.Hour)))
	assert.Equal(t, 0, days(d, d.Add(-48*time.Hour)), "a removal dated before its deprecation counts no days")
	assert.Equal(t, "1 release", plural(1, "release"))
	assert.Equal(t, "3 releases and 30 days", joinAnd([]string{"3 releases", "30 days"}))
}

// FuzzVersionOf reads arbitrary tag names as versions: never a panic, and a tag read as a
// version always reads back as the same canonical version.
func FuzzVersionOf(f *testing.F) {
	for _, s := range []string{"v1.2.3", "1.2", "api/v2.0.0-rc.1", "vnext", "v1.0.0+meta", "/", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		canon, ok := versionOf(tag)
		if !ok {
			return
		}
		again, ok2 := versionOf(canon)
		if !ok2 || again != canon {
			t.Fatalf("versionOf(%q) = %q, which reads back as %q, %v", tag, canon, again, ok2)
		}
	})
}

func TestFromDirectoryErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := FromDirectory(filepath.Join(dir, "missing"), "")
	assert.ErrorContains(t, err, "missing: cannot read the directory of versions: no such file or directory")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "docs"), 0o755))
	_, err = FromDirectory(dir, "")
	assert.ErrorContains(t, err, "holds no version directories (v1/, v1.2.0/, …)")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "v1"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v1", "a.json"), []byte(`{}`), 0o644))
	_, err = FromDirectory(dir, "")
	assert.ErrorContains(t, err, "holds one version; a history needs a release and a head")
	seq, err := FromDirectory(dir, filepath.Join(dir, "v1"))
	require.NoError(t, err, "one version and an explicit head is a history")
	assert.Len(t, seq.Releases, 1)
	assert.Equal(t, []string{"subdirectories of " + dir + " that are not versions were left out: docs"}, seq.Notes)
	_, err = FromDirectory(dir, filepath.Join(dir, "nope"))
	assert.ErrorContains(t, err, "no such file or directory")
}

func TestCheckErrors(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"v1", "v2"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, v), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, v, "a.json"), []byte(`{"type": "object"}`), 0o644))
	}
	seq, err := FromDirectory(dir, "")
	require.NoError(t, err)
	ctx := context.Background()
	_, err = Check(ctx, seq, Options{MinDeprecationReleases: -1})
	assert.EqualError(t, err, "the deprecation window cannot be negative")
	_, err = Check(ctx, seq, Options{MinDeprecationDays: 7})
	assert.EqualError(t, err, "--min-deprecation-days needs release dates, and v1 has none (a directory of versions carries no dates; use git tags)")

	// The newest release must be readable: the head is judged against it.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "v1", "a.json"), []byte(`{"type": `), 0o644))
	seq, err = FromDirectory(dir, "")
	require.NoError(t, err)
	_, err = Check(ctx, seq, Options{})
	assert.ErrorContains(t, err, "v1/a.json:1:")

	// No releases at all: nothing to judge, said in a note.
	res, err := Check(ctx, Sequence{Head: seq.Head}, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"no releases to compare the head with"}, res.Notes)
	assert.Equal(t, compat.None, res.Report.Verdict())
}

func TestFromGitErrors(t *testing.T) {
	g := gittest.New(t)
	g.Write(map[string]string{"a.proto": "syntax = \"proto3\";\n"})
	g.Commit("first", gittest.Epoch)
	g.Tag("v1.0.0", false, gittest.Epoch)
	ctx := context.Background()
	repo, err := gitsrc.Open(ctx, g.Dir)
	require.NoError(t, err)
	defer repo.Close()
	_, err = FromGit(ctx, repo, GitOptions{Path: g.Dir, Releases: "v[1"})
	assert.EqualError(t, err, `--releases "v[1" is not a valid glob: syntax error in pattern`)
	_, err = FromGit(ctx, repo, GitOptions{Path: g.Dir, HeadRef: "v2.0.0"})
	assert.EqualError(t, err, "--head v2.0.0: unknown revision v2.0.0: fetch it with `git fetch origin tag v2.0.0`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout")
	_, err = FromGit(ctx, repo, GitOptions{Path: filepath.Join(g.Dir, "nope")})
	assert.ErrorContains(t, err, "nope: no such file or directory")
	_, err = FromGit(ctx, repo, GitOptions{Path: filepath.Join(g.Dir, "nope"), HeadRef: "v1.0.0"})
	assert.ErrorContains(t, err, "no such file or directory at v1.0.0")
}
