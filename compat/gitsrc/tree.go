package gitsrc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Git file modes, as tree entries store them.
const (
	modeTree    = 0o040000
	modeBlob    = 0o100644
	modeExec    = 0o100755
	modeSymlink = 0o120000
	modeGitlink = 0o160000 // a submodule's commit: nothing of it is in this repository
)

// maxLinkHops bounds how many symbolic links one lookup follows, as the kernel's ELOOP does.
const maxLinkHops = 40

// entry is one name in a tree object.
type entry struct {
	name string
	mode uint32
	id   string
}

// tree is a parsed tree object: its entries sorted by name (fs.ReadDir's order, which is
// not git's order: git sorts a directory as if its name ended in a slash).
type tree struct {
	entries []entry
}

func (t *tree) lookup(name string) (entry, bool) {
	i := sort.Search(len(t.entries), func(i int) bool { return t.entries[i].name >= name })
	if i < len(t.entries) && t.entries[i].name == name {
		return t.entries[i], true
	}
	return entry{}, false
}

// parseTree reads the binary tree format: entries of "<octal mode> <name>\0<raw ID>".
// The raw ID's length follows from the hex ID of the tree itself (SHA-1 or SHA-256).
func parseTree(data []byte, idLen int) (*tree, error) {
	t := &tree{}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			return nil, errors.New("malformed tree object: no space after mode")
		}
		mode, err := strconv.ParseUint(string(data[:sp]), 8, 32)
		if err != nil {
			return nil, fmt.Errorf("malformed tree object: mode %q", data[:sp])
		}
		data = data[sp+1:]
		nul := bytes.IndexByte(data, 0)
		if nul < 0 || len(data) < nul+1+idLen {
			return nil, errors.New("malformed tree object: truncated entry")
		}
		name := string(data[:nul])
		id := fmt.Sprintf("%x", data[nul+1:nul+1+idLen])
		data = data[nul+1+idLen:]
		t.entries = append(t.entries, entry{name: name, mode: uint32(mode), id: id})
	}
	sort.Slice(t.entries, func(i, j int) bool { return t.entries[i].name < t.entries[j].name })
	return t, nil
}

// readTree returns the parsed tree with the given ID, from the cache when any version read
// before shares it.
func (r *Repo) readTree(id string) (*tree, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.trees[id]; ok {
		return t, nil
	}
	obj, err := r.getLocked(id)
	if err != nil {
		return nil, err
	}
	if obj.typ != "tree" {
		return nil, fmt.Errorf("object %s is a %s, not a tree", id, obj.typ)
	}
	t, err := parseTree(obj.data, len(id)/2)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %v", id, err)
	}
	r.trees[id] = t
	return t, nil
}

// treeFS is the fs.FS of one tree. It holds only the tree's ID, so creating it is free and
// every read goes through the Repo's one batch process.
type treeFS struct {
	repo *Repo
	root string
}

var (
	_ fs.ReadDirFS  = treeFS{}
	_ fs.StatFS     = treeFS{}
	_ fs.ReadFileFS = treeFS{}
	_ fs.SubFS      = treeFS{}
)

var errLinkEscapes = errors.New("symbolic link leads outside the input tree")

// resolve finds the entry at name, following symbolic links inside the tree (for the last
// element only when follow is set). Links that leave the tree, absolute or through "..",
// are refused, as compat.Source refuses them on disk.
func (f treeFS) resolve(op, name string, follow bool) (entry, string, error) {
	if !fs.ValidPath(name) {
		return entry{}, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	rootEntry := entry{name: ".", mode: modeTree, id: f.root}
	if name == "." {
		return rootEntry, ".", nil
	}
	hops := 0
	rest := strings.Split(name, "/")
	var done []string
	cur := rootEntry
	for len(rest) > 0 {
		if cur.mode != modeTree {
			return entry{}, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		t, err := f.repo.readTree(cur.id)
		if err != nil {
			return entry{}, "", &fs.PathError{Op: op, Path: name, Err: err}
		}
		e, ok := t.lookup(rest[0])
		if !ok || e.mode == modeGitlink {
			return entry{}, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		if e.mode == modeSymlink && (len(rest) > 1 || follow) {
			hops++
			if hops > maxLinkHops {
				return entry{}, "", &fs.PathError{Op: op, Path: name, Err: errors.New("too many levels of symbolic links")}
			}
			obj, err := f.repo.get(e.id)
			if err != nil {
				return entry{}, "", &fs.PathError{Op: op, Path: name, Err: err}
			}
			target := string(obj.data)
			joined := path.Join(append([]string{strings.Join(done, "/"), target}, rest[1:]...)...)
			if path.IsAbs(target) || !fs.ValidPath(joined) {
				return entry{}, "", &fs.PathError{Op: op, Path: name, Err: errLinkEscapes}
			}
			// Start again from the root with the link replaced by its target.
			cur, done = rootEntry, nil
			rest = nil
			if joined != "." {
				rest = strings.Split(joined, "/")
			}
			continue
		}
		done = append(done, rest[0])
		rest = rest[1:]
		cur = e
	}
	if len(done) == 0 {
		return rootEntry, ".", nil
	}
	return cur, strings.Join(done, "/"), nil
}

func (f treeFS) Open(name string) (fs.File, error) {
	e, _, err := f.resolve("open", name, true)
	if err != nil {
		return nil, err
	}
	info := f.info(path.Base(name), e)
	if e.mode == modeTree {
		entries, err := f.readDir("open", name, e)
		if err != nil {
			return nil, err
		}
		return &openDir{info: info, entries: entries}, nil
	}
	obj, err := f.repo.blob(e.id)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	info.once.Do(func() { info.size = obj.size })
	return &openFile{info: info, r: bytes.NewReader(obj.data)}, nil
}

func (f treeFS) ReadFile(name string) ([]byte, error) {
	e, _, err := f.resolve("readfile", name, true)
	if err != nil {
		return nil, err
	}
	if e.mode == modeTree {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: errors.New("is a directory")}
	}
	obj, err := f.repo.blob(e.id)
	if err != nil {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: err}
	}
	return bytes.Clone(obj.data), nil // callers may modify what ReadFile returns
}

func (f treeFS) Stat(name string) (fs.FileInfo, error) {
	e, _, err := f.resolve("stat", name, true)
	if err != nil {
		return nil, err
	}
	return f.info(path.Base(name), e), nil
}

func (f treeFS) ReadDir(name string) ([]fs.DirEntry, error) {
	e, _, err := f.resolve("readdir", name, true)
	if err != nil {
		return nil, err
	}
	return f.readDir("readdir", name, e)
}

func (f treeFS) readDir(op, name string, e entry) ([]fs.DirEntry, error) {
	if e.mode != modeTree {
		return nil, &fs.PathError{Op: op, Path: name, Err: errors.New("not a directory")}
	}
	t, err := f.repo.readTree(e.id)
	if err != nil {
		return nil, &fs.PathError{Op: op, Path: name, Err: err}
	}
	out := make([]fs.DirEntry, 0, len(t.entries))
	for _, c := range t.entries {
		if c.mode == modeGitlink {
			continue // a submodule's files are in another repository
		}
		out = append(out, fs.FileInfoToDirEntry(f.info(c.name, c)))
	}
	return out, nil
}

// Sub returns the FS of a subdirectory: the same kind of FS rooted at its tree.
func (f treeFS) Sub(dir string) (fs.FS, error) {
	e, _, err := f.resolve("sub", dir, true)
	if err != nil {
		return nil, err
	}
	if e.mode != modeTree {
		return nil, &fs.PathError{Op: "sub", Path: dir, Err: errors.New("not a directory")}
	}
	return treeFS{repo: f.repo, root: e.id}, nil
}

func (f treeFS) info(name string, e entry) *fileInfo {
	return &fileInfo{repo: f.repo, name: name, e: e}
}

// fileInfo describes a tree entry. Trees record no times, so ModTime is the zero time and
// every read of a version is the same; a blob's size is asked of git only when wanted.
type fileInfo struct {
	repo *Repo
	name string
	e    entry
	once sync.Once
	size int64
}

func (i *fileInfo) Name() string { return i.name }
func (i *fileInfo) Size() int64 {
	i.once.Do(func() {
		if i.e.mode != modeTree {
			if n, err := i.repo.size(i.e.id); err == nil {
				i.size = n
			}
		}
	})
	return i.size
}
func (i *fileInfo) Mode() fs.FileMode {
	switch i.e.mode {
	case modeTree:
		return fs.ModeDir | 0o755
	case modeExec:
		return 0o755
	case modeSymlink:
		return fs.ModeSymlink | 0o777
	}
	return 0o644
}
func (i *fileInfo) ModTime() time.Time { return time.Time{} }
func (i *fileInfo) IsDir() bool        { return i.e.mode == modeTree }
func (i *fileInfo) Sys() any           { return nil }

// openFile is an open blob: its contents were read whole when it was opened.
type openFile struct {
	info *fileInfo
	r    *bytes.Reader
}

func (o *openFile) Stat() (fs.FileInfo, error) { return o.info, nil }
func (o *openFile) Read(p []byte) (int, error) { return o.r.Read(p) }
func (o *openFile) Close() error               { return nil }

// openDir is an open tree, for fs.ReadDirFile.
type openDir struct {
	info    *fileInfo
	entries []fs.DirEntry
	pos     int
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}
func (d *openDir) Close() error { return nil }
func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.pos:]
	if n <= 0 {
		d.pos = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.pos += n
	return rest[:n], nil
}
