package gitsrc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/compatcheck/compatcheck/compat"
)

// Repo is a git repository read without a checkout. Its methods are safe for concurrent
// use. Close it when done: it owns a running git process.
type Repo struct {
	top    string // the working tree's top directory
	prefix string // the directory Open was given, relative to top ("" at the top)

	mu     sync.Mutex
	cat    *catFile // started on first use
	check  *catFile // --batch-check, started only when a size is asked for
	trees  map[string]*tree
	blobs  map[string]object // file contents by ID, up to blobCacheSize bytes
	cached int64
	closed bool
	// requests counts what was asked of the batch process, for tests of the caches.
	requests int
	shallow  *bool
}

// Commit is a resolved commit: its ID, its tree and its committer date.
type Commit struct {
	// ID is the full object ID.
	ID string
	// Tree is the ID of the commit's root tree.
	Tree string
	// Time is the committer date, which is what compatcheck uses as the date of an
	// unreleased head: it is fixed by the repository, never read from the clock.
	Time time.Time
}

// Short returns the abbreviated commit ID used in messages.
func (c Commit) Short() string {
	if len(c.ID) > 12 {
		return c.ID[:12]
	}
	return c.ID
}

// Open finds the git repository whose working tree holds dir. Paths given to the Repo
// later (see [Repo.RepoPath]) are relative to dir, as a user would type them there.
func Open(ctx context.Context, dir string) (*Repo, error) {
	out, err := runGit(ctx, dir, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && (strings.Contains(ge.stderr, "not a git repository") || strings.Contains(ge.stderr, "must be run in a work tree")) {
			return nil, &compat.Error{Pos: compat.Position{File: displayDir(dir)},
				Msg: "not inside a git repository: REF:PATH and --against read versions from git, so run compatcheck inside a clone (in GitHub Actions, after actions/checkout)"}
		}
		return nil, &compat.Error{Pos: compat.Position{File: displayDir(dir)}, Msg: err.Error()}
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		return nil, &compat.Error{Pos: compat.Position{File: displayDir(dir)}, Msg: "git rev-parse --show-toplevel printed nothing (internal error, please report)"}
	}
	prefix := ""
	if len(lines) > 1 {
		prefix = strings.TrimSuffix(lines[1], "/")
	}
	return &Repo{top: lines[0], prefix: prefix, trees: map[string]*tree{}, blobs: map[string]object{}}, nil
}

func displayDir(dir string) string {
	if dir == "" {
		return "."
	}
	return dir
}

// Top returns the top directory of the working tree.
func (r *Repo) Top() string { return r.top }

// Close stops the git processes the Repo started. Sources read from it fail afterwards.
func (r *Repo) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	var errs []error
	for _, c := range []*catFile{r.cat, r.check} {
		if c != nil {
			errs = append(errs, c.close())
		}
	}
	r.cat, r.check = nil, nil
	return errors.Join(errs...)
}

// RepoPath maps a path as the user typed it (relative to the directory given to Open, or
// absolute) to a slash-separated path relative to the repository's top, "" for the top
// itself. A path outside the working tree is an error.
func (r *Repo) RepoPath(p string) (string, error) {
	var rel string
	if filepath.IsAbs(p) {
		top, err := filepath.EvalSymlinks(r.top)
		if err != nil {
			top = r.top
		}
		abs := p
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			abs = resolved
		} else if resolvedDir, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
			abs = filepath.Join(resolvedDir, filepath.Base(p))
		}
		rel, err = filepath.Rel(top, abs)
		if err != nil {
			return "", &compat.Error{Pos: compat.Position{File: p}, Msg: "is outside the git repository at " + r.top}
		}
		rel = filepath.ToSlash(rel)
	} else {
		rel = path.Join(r.prefix, filepath.ToSlash(p))
	}
	rel = path.Clean(rel)
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", &compat.Error{Pos: compat.Position{File: p}, Msg: "is outside the git repository at " + r.top}
	}
	if rel == "." {
		rel = ""
	}
	return rel, nil
}

// IsShallow reports whether the clone is shallow (made with --depth, as CI checkouts are
// by default), where older commits and tags are missing.
func (r *Repo) IsShallow(ctx context.Context) (bool, error) {
	r.mu.Lock()
	if r.shallow != nil {
		defer r.mu.Unlock()
		return *r.shallow, nil
	}
	r.mu.Unlock()
	out, err := runGit(ctx, r.top, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return false, err
	}
	v := strings.TrimSpace(string(out)) == "true"
	r.mu.Lock()
	r.shallow = &v
	r.mu.Unlock()
	return v, nil
}

// Resolve turns a ref (a branch, a tag, annotated or not, a commit ID or any revision
// expression git reads) into the commit it names. A ref the clone does not have is an
// error that says how to fetch it.
func (r *Repo) Resolve(ctx context.Context, ref string) (Commit, error) {
	if ref == "" || strings.HasPrefix(ref, "-") || strings.ContainsAny(ref, "\n\x00") {
		return Commit{}, &compat.Error{Msg: fmt.Sprintf("%q is not a git revision", ref)}
	}
	out, err := runGit(ctx, r.top, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		var ge *gitError
		if errors.As(err, &ge) && ge.code == 1 {
			return Commit{}, r.unknownRevision(ctx, ref)
		}
		return Commit{}, &compat.Error{Msg: fmt.Sprintf("%s: %v", ref, err)}
	}
	id := strings.TrimSpace(string(out))
	c, err := r.commit(id)
	if err != nil {
		return Commit{}, &compat.Error{Msg: fmt.Sprintf("%s: %v", ref, err)}
	}
	return c, nil
}

// unknownRevision explains a ref git cannot find, with the command that fetches it.
func (r *Repo) unknownRevision(ctx context.Context, ref string) error {
	fetch := fetchHint(ref)
	if shallow, err := r.IsShallow(ctx); err == nil && shallow {
		return &compat.Error{Msg: fmt.Sprintf("unknown revision %s in a shallow clone: fetch the history with `git fetch --unshallow` (or `%s`), or in GitHub Actions set `fetch-depth: 0` on actions/checkout", ref, fetch)}
	}
	return &compat.Error{Msg: fmt.Sprintf("unknown revision %s: fetch it with `%s`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout", ref, fetch)}
}

// fetchHint is the fetch command that brings ref into the clone.
func fetchHint(ref string) string {
	base := ref
	if i := strings.IndexAny(base, "~^@"); i > 0 {
		base = base[:i]
	}
	switch {
	case strings.HasPrefix(base, "origin/"):
		return "git fetch origin " + strings.TrimPrefix(base, "origin/")
	case strings.HasPrefix(base, "refs/tags/"):
		return "git fetch origin tag " + strings.TrimPrefix(base, "refs/tags/")
	case len(base) > 1 && base[0] == 'v' && base[1] >= '0' && base[1] <= '9':
		return "git fetch origin tag " + base
	}
	return "git fetch origin " + base
}

// commit reads a commit object through the batch process.
func (r *Repo) commit(id string) (Commit, error) {
	obj, err := r.get(id)
	if err != nil {
		return Commit{}, err
	}
	if obj.typ != "commit" {
		return Commit{}, fmt.Errorf("%s is a %s, not a commit", id, obj.typ)
	}
	c := Commit{ID: obj.id}
	for _, line := range strings.Split(string(obj.data), "\n") {
		if line == "" {
			break // the headers end at the first empty line
		}
		switch {
		case strings.HasPrefix(line, "tree "):
			c.Tree = strings.TrimPrefix(line, "tree ")
		case strings.HasPrefix(line, "committer "):
			c.Time = signatureTime(line)
		}
	}
	if c.Tree == "" {
		return Commit{}, fmt.Errorf("commit %s has no tree (internal error, please report)", id)
	}
	return c, nil
}

// signatureTime reads the "<unix seconds> <zone>" that ends a git signature line.
func signatureTime(line string) time.Time {
	f := strings.Fields(line)
	if len(f) < 2 {
		return time.Time{}
	}
	sec, err := strconv.ParseInt(f[len(f)-2], 10, 64)
	if err != nil {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// get reads one object through the long-lived batch process, starting it on first use.
func (r *Repo) get(name string) (object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.getLocked(name)
}

func (r *Repo) getLocked(name string) (object, error) {
	if r.closed {
		return object{}, errors.New("the git repository was closed")
	}
	if r.cat == nil {
		c, err := startCatFile(r.top, false)
		if err != nil {
			return object{}, err
		}
		r.cat = c
	}
	r.requests++
	return r.cat.get(name)
}

// blobCacheSize bounds the bytes of file contents a Repo keeps. Versions of one contract
// share most of their files, so a history that reads every release reads each file once;
// past the bound, files are read from git again.
const blobCacheSize = 256 << 20

// blob reads a file's contents by ID, from the cache when an earlier version had the same
// file. Contents are never modified by readers (they get a copy through bytes.Reader or a
// fresh slice), so one cached slice serves them all.
func (r *Repo) blob(id string) (object, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if obj, ok := r.blobs[id]; ok {
		return obj, nil
	}
	obj, err := r.getLocked(id)
	if err != nil {
		return object{}, err
	}
	if obj.typ == "blob" && r.cached+int64(len(obj.data)) <= blobCacheSize {
		r.blobs[id] = obj
		r.cached += int64(len(obj.data))
	}
	return obj, nil
}

// size returns an object's size without reading its contents.
func (r *Repo) size(id string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, errors.New("the git repository was closed")
	}
	if r.check == nil {
		c, err := startCatFile(r.top, true)
		if err != nil {
			return 0, err
		}
		r.check = c
	}
	obj, err := r.check.get(id)
	return obj.size, err
}

// gitError is a git command that exited with a failure status.
type gitError struct {
	args   []string
	code   int
	stderr string
}

func (e *gitError) Error() string {
	msg := strings.TrimSpace(e.stderr)
	msg = strings.TrimPrefix(msg, "fatal: ")
	if msg == "" {
		msg = fmt.Sprintf("exit status %d", e.code)
	}
	return fmt.Sprintf("git %s: %s", strings.Join(e.args, " "), msg)
}

// runGit runs one short git command in dir and returns its standard output.
func runGit(ctx context.Context, dir string, args ...string) ([]byte, error) {
	full := append([]string{"-C", dir}, args...)
	if dir == "" {
		full = args
	}
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = gitEnv()
	var stdout bytes.Buffer
	stderr := &limitedBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, &gitError{args: args, code: ee.ExitCode(), stderr: stderr.String()}
		}
		return nil, gitStartError(err)
	}
	return stdout.Bytes(), nil
}

func gitStartError(err error) error {
	if errors.Is(err, exec.ErrNotFound) {
		return errors.New("git is not installed or not on PATH; it is needed to read REF:PATH and --against inputs")
	}
	return err
}

// gitEnv is the environment git runs in: the user's, with prompts off (a CI job must fail,
// not hang on a credential prompt) and messages in English so that they can be recognized.
func gitEnv() []string {
	return append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
}
