// Package gittest builds small git repositories for tests: commits with fixed dates,
// lightweight and annotated tags, branches and shallow clones, all in t.TempDir(), so that
// tests of git inputs and release histories need no fixture repository and give the same
// object IDs on every run.
package gittest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Repo is a repository under construction in a temporary directory.
type Repo struct {
	t   testing.TB
	Dir string
}

// Epoch is the date of the first commit a test makes when it gives none: fixed, so that
// commit IDs and every date-dependent verdict are the same on any day.
var Epoch = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// New initializes an empty repository with branch main. It skips the test when git is not
// installed.
func New(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	return r
}

// Env is the environment every git command of a test runs in: no user or system
// configuration (a signing or hook setting would change the repository), and a fixed
// identity.
func Env(date time.Time) []string {
	d := date.UTC().Format(time.RFC3339)
	return append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull,
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_AUTHOR_DATE="+d, "GIT_COMMITTER_DATE="+d,
		"LC_ALL=C",
	)
}

// Git runs git in the repository and returns its trimmed output; a failure fails the test.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	return r.GitAt(Epoch, args...)
}

// GitAt runs git with the author, committer and tagger dates set to date.
func (r *Repo) GitAt(date time.Time, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.Dir}, args...)...)
	cmd.Env = Env(date)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// Write writes files (slash-separated paths relative to the repository) into the working
// tree, creating directories as needed.
func (r *Repo) Write(files map[string]string) {
	r.t.Helper()
	for name, data := range files {
		p := filepath.Join(r.Dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Remove deletes paths from the working tree.
func (r *Repo) Remove(names ...string) {
	r.t.Helper()
	for _, name := range names {
		if err := os.RemoveAll(filepath.Join(r.Dir, filepath.FromSlash(name))); err != nil {
			r.t.Fatal(err)
		}
	}
}

// Replace makes dir (relative to the repository, "" for all of it except .git) hold exactly
// files: everything else under it is removed first.
func (r *Repo) Replace(dir string, files map[string]string) {
	r.t.Helper()
	root := filepath.Join(r.Dir, filepath.FromSlash(dir))
	entries, err := os.ReadDir(root)
	if err != nil && !os.IsNotExist(err) {
		r.t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == ".git" {
			continue
		}
		if err := os.RemoveAll(filepath.Join(root, e.Name())); err != nil {
			r.t.Fatal(err)
		}
	}
	prefixed := make(map[string]string, len(files))
	for name, data := range files {
		if dir != "" {
			name = dir + "/" + name
		}
		prefixed[name] = data
	}
	r.Write(prefixed)
}

// Commit stages everything and commits it at date, returning the commit ID. It commits
// even when nothing changed, so a release may share its tree with the one before.
func (r *Repo) Commit(msg string, date time.Time) string {
	r.t.Helper()
	r.GitAt(date, "add", "-A")
	r.GitAt(date, "commit", "-q", "--allow-empty", "--no-verify", "-m", msg)
	return r.GitAt(date, "rev-parse", "HEAD")
}

// Tag tags HEAD: annotated (with a tagger date of date) or lightweight.
func (r *Repo) Tag(name string, annotated bool, date time.Time) {
	r.t.Helper()
	if annotated {
		r.GitAt(date, "tag", "-a", "-m", "release "+name, name)
		return
	}
	r.GitAt(date, "tag", name)
}

// ShallowClone clones the repository with --depth 1 over file://, as a CI checkout does,
// and returns the clone's directory.
func (r *Repo) ShallowClone() string {
	r.t.Helper()
	dir := filepath.Join(r.t.TempDir(), "shallow")
	cmd := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+filepath.ToSlash(r.Dir), dir)
	cmd.Env = Env(Epoch)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git clone --depth 1: %v\n%s", err, out)
	}
	return dir
}
