package gitsrc

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// Entry is what a path names at a commit: a tree (directory) or a blob (file), by ID. Two
// versions whose entries have the same ID hold the same bytes, which is how a history
// skips comparing what did not change.
type Entry struct {
	// ID is the object ID of the tree or blob.
	ID string
	// Dir is set for a tree.
	Dir bool
}

// Lookup finds the repository path p (slash-separated, relative to the top, "" for the top)
// at commit c. It reports false when nothing exists there. Symbolic links inside the tree
// are followed.
func (r *Repo) Lookup(c Commit, p string) (Entry, bool, error) {
	if p == "" {
		return Entry{ID: c.Tree, Dir: true}, true, nil
	}
	f := treeFS{repo: r, root: c.Tree}
	e, _, err := f.resolve("lookup", p, true)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok && pe.Err == fs.ErrNotExist {
			return Entry{}, false, nil
		}
		return Entry{}, false, err
	}
	return Entry{ID: e.id, Dir: e.mode == modeTree}, true, nil
}

// Source returns repository path p at commit c as a [compat.Source]: a tree source for a
// directory, a one-file source rooted at the file's directory for a file. label and
// userPath are how the user wrote the version and the path (for example "origin/main" and
// "proto"); the Source's Name joins them as "origin/main:proto", so that messages and the
// text report name files as git does. A path missing at c is an error saying so.
func (r *Repo) Source(c Commit, p, label, userPath string) (compat.Source, Entry, error) {
	name := label + ":" + cleanUserPath(userPath)
	e, ok, err := r.Lookup(c, p)
	if err != nil {
		return compat.Source{}, Entry{}, &compat.Error{Pos: compat.Position{File: name}, Msg: err.Error()}
	}
	if !ok {
		return compat.Source{}, Entry{}, &compat.Error{Pos: compat.Position{File: name},
			Msg: fmt.Sprintf("no such file or directory at %s (commit %s)", label, c.Short())}
	}
	if e.Dir {
		return compat.Source{FS: treeFS{repo: r, root: e.ID}, Name: name}, e, nil
	}
	parent := Entry{ID: c.Tree, Dir: true}
	if dir := path.Dir(p); dir != "." {
		if parent, ok, err = r.Lookup(c, dir); err != nil || !ok || !parent.Dir {
			return compat.Source{}, Entry{}, &compat.Error{Pos: compat.Position{File: name}, Msg: fmt.Sprintf("cannot read the directory of %s at %s", p, label)}
		}
	}
	userDir := path.Dir(cleanUserPath(userPath))
	return compat.Source{FS: treeFS{repo: r, root: parent.ID}, File: path.Base(p), Name: label + ":" + userDir}, e, nil
}

// WorkTree returns repository path p as it is in the working tree (not at a commit), as a
// [compat.Source] named by userPath the way a path on the command line is. It reads the
// disk relative to the repository's top, so it does not depend on the process's current
// directory.
func (r *Repo) WorkTree(p, userPath string) (compat.Source, error) {
	src, err := compat.OpenPath(filepath.Join(r.top, filepath.FromSlash(p)))
	if err != nil {
		return compat.Source{}, &compat.Error{Pos: compat.Position{File: cleanUserPath(userPath)}, Msg: "no such file or directory"}
	}
	name := cleanUserPath(userPath)
	if !src.IsDir() {
		name = path.Dir(name)
	}
	if name == "." {
		name = ""
	}
	src.Name = name
	return src, nil
}

// FS returns the file system of a tree by ID, for callers that found it with Lookup.
func (r *Repo) FS(treeID string) fs.FS { return treeFS{repo: r, root: treeID} }

func cleanUserPath(p string) string {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if p == "" {
		return "."
	}
	return p
}

// SplitRef splits a command-line argument of the form REF:PATH. It reports false for an
// argument without a colon, with an empty REF, or that starts like a Windows drive path
// (C:\ or C:/); callers check first that no file of that name exists, so an existing file
// whose name holds a colon is read as a file. PATH may be empty, meaning the directory the
// command runs in. Git refs cannot contain a colon, so the first colon is the separator.
func SplitRef(arg string) (ref, p string, ok bool) {
	i := strings.IndexByte(arg, ':')
	if i <= 0 {
		return "", "", false
	}
	if i == 1 && len(arg) > 2 && (arg[2] == '\\' || arg[2] == '/') && isLetter(arg[0]) {
		return "", "", false // C:\path or C:/path
	}
	ref, p = arg[:i], arg[i+1:]
	if p == "" {
		p = "."
	}
	return ref, p, true
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
