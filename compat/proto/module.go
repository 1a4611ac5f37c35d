package proto

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"go.yaml.in/yaml/v3"
)

// layout says how one side's .proto files are organized, as protoc's -I flags or buf's
// configuration files describe it: the roots whose files are the contract (named, in import
// statements and in the compiler, relative to their root), the include paths whose files
// only satisfy imports, and the directories excluded from the module. Every path is
// slash-separated and relative to the side's root; "." is the root itself.
type layout struct {
	roots    []string
	includes []string
	excludes []string
}

// Names of buf's configuration files, read at the root of a side.
const (
	bufYAML     = "buf.yaml"
	bufWorkYAML = "buf.work.yaml"
)

// readLayout decides a side's layout from its buf configuration (buf.work.yaml, else
// buf.yaml, at the root of a directory source) and the import paths of Options. Without
// either, the whole tree is one root, as before.
func readLayout(src compat.Source, importPaths []string) (*layout, error) {
	lay := &layout{roots: []string{"."}}
	if src.IsDir() {
		var err error
		if lay, err = readBufConfig(src); err != nil {
			return nil, err
		}
	}
	for _, p := range importPaths {
		dir, err := cleanDir(p)
		if err != nil {
			return nil, &compat.Error{Msg: fmt.Sprintf("import path %q: %v", p, err)}
		}
		if info, err := fs.Stat(src.FS, dir); err != nil || !info.IsDir() {
			// An import path missing on one side is not an error: the change under review
			// may be the one that adds (or removes) the vendored tree. An import that
			// needed it fails with the paths that were searched.
			continue
		}
		lay.includes = append(lay.includes, dir)
	}
	return lay, nil
}

// cleanDir checks that a directory named in a flag or a configuration file stays inside the
// side's root and returns it in the form fs.FS wants.
func cleanDir(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty path")
	}
	if strings.HasPrefix(p, "/") || path.IsAbs(p) {
		return "", errors.New("is absolute; it must be relative to the root of each side")
	}
	c := path.Clean(strings.ReplaceAll(p, "\\", "/"))
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", errors.New("climbs out of the root of the side")
	}
	return c, nil
}

// readBufConfig reads buf.work.yaml or buf.yaml at the root of src. A missing file means the
// default layout; a file that is not what buf reads is a positioned error.
func readBufConfig(src compat.Source) (*layout, error) {
	if work, ok, err := readYAML(src, bufWorkYAML); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return workspaceLayout(src, work)
	}
	doc, ok, err := readYAML(src, bufYAML)
	if err != nil || !ok {
		return &layout{roots: []string{"."}}, err
	}
	cfg := configFile{src: src, name: bufYAML}
	version, err := cfg.version(doc)
	if err != nil {
		return nil, err
	}
	switch version.Value {
	case "v2":
		return cfg.v2Layout(doc)
	case "v1":
		excludes, err := cfg.v1Excludes(doc, ".")
		if err != nil {
			return nil, err
		}
		return &layout{roots: []string{"."}, excludes: excludes}, nil
	}
	return nil, cfg.errorf(version, "version %q is not read by compatcheck (want v1 or v2; buf config migrate upgrades older files)", version.Value)
}

// workspaceLayout turns a v1 workspace (buf.work.yaml) into roots, one per directory, each
// with the build.excludes of its own buf.yaml.
func workspaceLayout(src compat.Source, doc *yaml.Node) (*layout, error) {
	cfg := configFile{src: src, name: bufWorkYAML}
	version, err := cfg.version(doc)
	if err != nil {
		return nil, err
	}
	if version.Value != "v1" {
		return nil, cfg.errorf(version, "version %q is not a buf.work.yaml version (want v1; a v2 buf.yaml lists its modules itself)", version.Value)
	}
	dirs, ok := cfg.lookup(doc, "directories")
	if !ok {
		return nil, cfg.errorf(doc, "directories is missing: a workspace names the directories of its modules")
	}
	lay := &layout{}
	roots, err := cfg.dirList(dirs)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, cfg.errorf(dirs, "directories is empty: a workspace names the directories of its modules")
	}
	for _, root := range roots {
		mod, ok, err := readYAML(src, path.Join(root, bufYAML))
		if err != nil {
			return nil, err
		}
		if ok {
			sub := configFile{src: src, name: path.Join(root, bufYAML)}
			excludes, err := sub.v1Excludes(mod, root)
			if err != nil {
				return nil, err
			}
			lay.excludes = append(lay.excludes, excludes...)
		}
		lay.roots = append(lay.roots, root)
	}
	return lay, checkRoots(cfg, dirs.Content, lay.roots)
}

// v2Layout reads the modules of a v2 buf.yaml. Their excludes are relative to the file's
// directory, as buf resolves them. Without modules the root is the only module.
func (cfg configFile) v2Layout(doc *yaml.Node) (*layout, error) {
	mods, ok := cfg.lookup(doc, "modules")
	if !ok {
		return &layout{roots: []string{"."}}, nil
	}
	if mods.Kind != yaml.SequenceNode {
		return nil, cfg.errorf(mods, "modules must be a list")
	}
	lay := &layout{}
	var at []*yaml.Node
	for _, m := range mods.Content {
		if m.Kind != yaml.MappingNode {
			return nil, cfg.errorf(m, "a module must be a mapping with a path")
		}
		root, where := ".", m
		if p, ok := cfg.lookup(m, "path"); ok {
			s, err := cfg.dir(p)
			if err != nil {
				return nil, err
			}
			root, where = s, p
		}
		at = append(at, where)
		if ex, ok := cfg.lookup(m, "excludes"); ok {
			dirs, err := cfg.dirList(ex)
			if err != nil {
				return nil, err
			}
			lay.excludes = append(lay.excludes, dirs...)
		}
		lay.roots = append(lay.roots, root)
	}
	if len(lay.roots) == 0 {
		lay.roots = []string{"."}
	}
	return lay, checkRoots(cfg, at, lay.roots)
}

// v1Excludes reads build.excludes of a v1 buf.yaml whose module root is root; the excludes
// are relative to the module root.
func (cfg configFile) v1Excludes(doc *yaml.Node, root string) ([]string, error) {
	build, ok := cfg.lookup(doc, "build")
	if !ok {
		return nil, nil
	}
	if build.Kind != yaml.MappingNode {
		return nil, cfg.errorf(build, "build must be a mapping")
	}
	if _, ok := cfg.lookup(build, "roots"); ok {
		return nil, cfg.errorf(build, "build.roots is a v1beta1 key; list the roots in buf.work.yaml or a v2 buf.yaml")
	}
	ex, ok := cfg.lookup(build, "excludes")
	if !ok {
		return nil, nil
	}
	dirs, err := cfg.dirList(ex)
	if err != nil {
		return nil, err
	}
	for i, d := range dirs {
		dirs[i] = path.Join(root, d)
	}
	return dirs, nil
}

// checkRoots refuses roots that overlap, which buf refuses too: a file would have two
// names. at holds the node that names each root, for the error's position.
func checkRoots(cfg configFile, at []*yaml.Node, roots []string) error {
	for j, b := range roots {
		for i, a := range roots[:j] {
			switch {
			case a == b:
				return cfg.errorf(at[j], "directory %s is listed twice", b)
			case within(b, a):
				return cfg.errorf(at[j], "directory %s is inside %s; module directories must not overlap", b, a)
			case within(a, b):
				return cfg.errorf(at[i], "directory %s is inside %s; module directories must not overlap", a, b)
			}
		}
	}
	return nil
}

// within reports whether the slash path p is dir or lies below it.
func within(p, dir string) bool {
	return dir == "." || p == dir || strings.HasPrefix(p, dir+"/")
}

// readYAML decodes a YAML file of src into its document node; ok is false when the file
// does not exist.
func readYAML(src compat.Source, name string) (*yaml.Node, bool, error) {
	if _, err := fs.Stat(src.FS, name); err != nil {
		return nil, false, nil
	}
	data, err := src.ReadFile(name)
	if err != nil {
		return nil, false, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// The decoder says "yaml: line N: what"; the line goes into the position.
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		}
		return nil, false, src.Errorf(name, line, 0, "not valid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, false, src.Errorf(name, 1, 1, "empty file; buf needs at least a version")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, false, src.Errorf(name, root.Line, root.Column, "must be a mapping of keys")
	}
	return root, true, nil
}

// configFile locates errors in one buf configuration file.
type configFile struct {
	src  compat.Source
	name string
}

func (cfg configFile) errorf(at *yaml.Node, format string, args ...any) error {
	return cfg.src.Errorf(cfg.name, at.Line, at.Column, format, args...)
}

// lookup returns the value of key in a mapping node.
func (cfg configFile) lookup(m *yaml.Node, key string) (*yaml.Node, bool) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], true
		}
	}
	return nil, false
}

// version returns the version key, which every buf configuration file must have.
func (cfg configFile) version(doc *yaml.Node) (*yaml.Node, error) {
	v, ok := cfg.lookup(doc, "version")
	if !ok {
		return nil, cfg.errorf(doc, "version is missing")
	}
	if v.Kind != yaml.ScalarNode {
		return nil, cfg.errorf(v, "version must be a string such as v2")
	}
	return v, nil
}

// dir reads one directory path.
func (cfg configFile) dir(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", cfg.errorf(n, "expected a directory path")
	}
	d, err := cleanDir(n.Value)
	if err != nil {
		return "", cfg.errorf(n, "directory %q %v", n.Value, err)
	}
	return d, nil
}

// dirList reads a list of directory paths.
func (cfg configFile) dirList(n *yaml.Node) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, cfg.errorf(n, "expected a list of directories")
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		d, err := cfg.dir(item)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// classify says what a .proto file at disk path p (relative to the side's root) is: a
// file of the module (own), named relative to its root; a file only imports may reach; or
// neither (excluded, or outside every root and include path). The most specific directory
// that contains the file decides, a root winning a tie with an include path.
func (l *layout) classify(p string) (name string, own, reachable bool) {
	for _, ex := range l.excludes {
		if within(p, ex) {
			return "", false, false
		}
	}
	depth := func(d string) int {
		if d == "." {
			return 0
		}
		return strings.Count(d, "/") + 1
	}
	best, bestOwn, bestDepth := "", false, -1
	for _, r := range l.roots {
		if within(p, r) && depth(r) > bestDepth {
			best, bestOwn, bestDepth = r, true, depth(r)
		}
	}
	for _, inc := range l.includes {
		// Strictly deeper: a root wins a tie.
		if within(p, inc) && depth(inc) > bestDepth {
			best, bestOwn, bestDepth = inc, false, depth(inc)
		}
	}
	if best == "" {
		return "", false, false
	}
	return relTo(p, best), bestOwn, true
}

// relTo returns p relative to dir.
func relTo(p, dir string) string {
	if dir == "." {
		return p
	}
	return strings.TrimPrefix(p, dir+"/")
}

// dirs returns the directories an import is searched in, in order: the roots, then the
// include paths.
func (l *layout) dirs() []string {
	return append(append([]string(nil), l.roots...), l.includes...)
}

// isDefault reports whether the layout is the whole tree as one root, where a file's name
// is its path.
func (l *layout) isDefault() bool {
	return len(l.roots) == 1 && l.roots[0] == "." && len(l.includes) == 0 && len(l.excludes) == 0
}
