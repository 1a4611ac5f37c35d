package compat

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// MaxFileSize bounds how many bytes an engine reads from one input file. Contracts larger
// than this are almost certainly not contracts, and reading them would only exhaust memory.
const MaxFileSize = 64 << 20

// Source is one version of a contract: a tree of files, or one file in it. Engines read
// inputs only through a Source, so a version may come from disk, from memory in tests,
// or (later) from a git ref, without the engines knowing.
type Source struct {
	// FS holds the tree. Paths inside it are slash-separated and relative to its root;
	// fs.FS rejects paths that climb out of the root, which is how references that try
	// to escape the input tree are refused. FS must be safe for concurrent use (os.DirFS,
	// fstest.MapFS and embed.FS are): engines read files in parallel.
	FS fs.FS
	// File, when set, names the single file of FS that is the input. When empty, the whole
	// tree is the input.
	File string
	// Name is how the user refers to the root of FS (the directory they passed). It only
	// prefixes paths in error messages; positions inside findings stay relative to the root.
	Name string
	// Exclude lists globs of paths that are not part of the contract, such as
	// "examples/**", "package.json" or "**/seed.sql". [Source.Files] leaves out every file
	// they match and every directory they match, with all it holds; [Source.ReadFile]
	// still reads such files, so an excluded file can be imported or referenced, it is
	// just not taken as a contract of its own. A pattern holding a "/" is matched against
	// the whole slash-separated path relative to the root, with doublestar syntax ("*"
	// within one path segment, "**" across any number of them); a pattern without a "/" is
	// matched against each file's and directory's base name at any depth, as .gitignore
	// does. Excludes never apply to File: a one-file source is the file the user named.
	// Patterns are checked by [ValidateExclude]; Files reports a malformed one.
	Exclude []string

	// excludeBase is the path of this source's root inside the root the Exclude
	// patterns were written for, set by Sub so that patterns keep their meaning.
	excludeBase string
	// osRoot is the directory on disk behind FS, when there is one, so that symbolic links
	// pointing out of the tree can be refused.
	osRoot string
}

// OpenPath returns the Source for a file or directory on disk, as given on a command line.
// A file becomes a one-file Source rooted at its directory.
func OpenPath(p string) (Source, error) {
	info, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Source{}, &Error{Pos: Position{File: p}, Msg: "no such file or directory"}
		}
		return Source{}, &Error{Pos: Position{File: p}, Msg: err.Error()}
	}
	if info.IsDir() {
		return Source{FS: os.DirFS(p), Name: filepath.ToSlash(filepath.Clean(p)), osRoot: p}, nil
	}
	if !info.Mode().IsRegular() {
		return Source{}, &Error{Pos: Position{File: p}, Msg: "not a regular file or directory"}
	}
	dir := filepath.Dir(p)
	name := filepath.ToSlash(dir)
	if name == "." {
		name = ""
	}
	return Source{FS: os.DirFS(dir), File: filepath.Base(p), Name: name, osRoot: dir}, nil
}

// IsDir reports whether the source is a whole tree rather than one file.
func (s Source) IsDir() bool { return s.File == "" }

// Files lists the input's files whose names end in one of exts (all files when exts is
// empty), in lexical order. Directories whose names start with "." (such as .git) are
// skipped, and so are the files and directories the Exclude patterns match. For a
// one-file source it returns that file if it matches.
func (s Source) Files(exts ...string) ([]string, error) {
	match := func(name string) bool {
		if len(exts) == 0 {
			return true
		}
		for _, e := range exts {
			if strings.HasSuffix(name, e) {
				return true
			}
		}
		return false
	}
	if s.File != "" {
		if match(s.File) {
			return []string{s.File}, nil
		}
		return nil, nil
	}
	for _, pattern := range s.Exclude {
		if err := ValidateExclude(pattern); err != nil {
			return nil, &Error{Pos: Position{File: s.Describe()}, Msg: err.Error()}
		}
	}
	var out []string
	err := fs.WalkDir(s.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return s.Errorf(p, 0, 0, "%v", unwrapPathError(err))
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || s.excluded(p)) {
				return fs.SkipDir
			}
			return nil
		}
		if match(p) && !s.excluded(p) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

// ReadFile reads a file of the source, refusing files larger than [MaxFileSize] and
// symbolic links that lead out of the tree. Errors are *Error values naming the file.
func (s Source) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, s.Errorf(name, 0, 0, "path is outside the input tree")
	}
	if err := s.checkLink(name); err != nil {
		return nil, err
	}
	f, err := s.FS.Open(name)
	if err != nil {
		return nil, s.Errorf(name, 0, 0, "%v", unwrapPathError(err))
	}
	defer f.Close()
	size := int64(0)
	if info, err := f.Stat(); err == nil {
		if info.IsDir() {
			return nil, s.Errorf(name, 0, 0, "is a directory, not a file")
		}
		size = info.Size()
	}
	var buf bytes.Buffer
	if size > 0 && size <= MaxFileSize {
		// One allocation of the right size instead of a doubling series: large contracts
		// are read whole, and the series cost as much memory as the file four times.
		buf.Grow(int(size) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(io.LimitReader(f, MaxFileSize+1))
	data := buf.Bytes()
	if err != nil {
		return nil, s.Errorf(name, 0, 0, "%v", unwrapPathError(err))
	}
	if len(data) > MaxFileSize {
		return nil, s.Errorf(name, 0, 0, "file is larger than the %d MiB limit", MaxFileSize>>20)
	}
	return data, nil
}

// checkLink refuses a path of an on-disk source that resolves, through symbolic links, to
// somewhere outside the source's root.
func (s Source) checkLink(name string) error {
	if s.osRoot == "" {
		return nil
	}
	root, err := filepath.EvalSymlinks(s.osRoot)
	if err != nil {
		return nil // the open below reports the real problem
	}
	target, err := filepath.EvalSymlinks(filepath.Join(s.osRoot, filepath.FromSlash(name)))
	if err != nil {
		return nil
	}
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return s.Errorf(name, 0, 0, "symbolic link leads outside the input tree")
	}
	return nil
}

// Sub returns the source for the directory dir inside s, keeping error paths readable.
func (s Source) Sub(dir string) (Source, error) {
	sub, err := fs.Sub(s.FS, dir)
	if err != nil {
		return Source{}, s.Errorf(dir, 0, 0, "%v", err)
	}
	out := Source{FS: sub, Name: s.DisplayPath(dir), Exclude: s.Exclude, excludeBase: path.Join(s.excludeBase, dir)}
	if s.osRoot != "" {
		out.osRoot = filepath.Join(s.osRoot, filepath.FromSlash(dir))
	}
	return out, nil
}

// excluded reports whether the path p (relative to the root of s) matches one of the
// Exclude patterns.
func (s Source) excluded(p string) bool {
	if len(s.Exclude) == 0 {
		return false
	}
	full := p
	if s.excludeBase != "" && s.excludeBase != "." {
		full = path.Join(s.excludeBase, p)
	}
	base := path.Base(full)
	for _, pattern := range s.Exclude {
		name := full
		if !strings.Contains(pattern, "/") {
			name = base
		}
		if doublestar.MatchUnvalidated(pattern, name) {
			return true
		}
	}
	return false
}

// ValidateExclude checks an exclude pattern (see [Source.Exclude]): it must be a
// well-formed glob of a slash-separated relative path.
func ValidateExclude(pattern string) error {
	switch {
	case strings.TrimSpace(pattern) == "":
		return fmt.Errorf("exclude pattern is empty")
	case strings.HasPrefix(pattern, "/"):
		return fmt.Errorf("exclude pattern %q is absolute; patterns are relative to the contract's root", pattern)
	case !doublestar.ValidatePattern(pattern):
		return fmt.Errorf("exclude pattern %q is not a valid glob: a [ or { is not closed", pattern)
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, fs.ErrNotExist) {
			return errors.New("no such file or directory")
		}
		return pe.Err
	}
	return err
}

// Describe names the source for messages: its Name joined with its File.
func (s Source) Describe() string {
	if s.File != "" {
		return s.DisplayPath(s.File)
	}
	if s.Name == "" {
		return "."
	}
	return s.Name
}
