package proto

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/ast"
	"github.com/bufbuild/protocompile/linker"
	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// maxFiles bounds how many .proto files one side may hold, so that a mistaken root (a home
// directory) fails fast instead of exhausting memory.
const maxFiles = 200_000

// tree is one side of the comparison after loading: the content and hash of every .proto
// file of the contract, keyed by its name (its path relative to the root that holds it,
// which is what import statements and the compiler use).
type tree struct {
	src compat.Source
	lay *layout
	// files caches the content of every file read, the contract's and the imports'.
	files map[string][]byte
	// hashes holds the SHA-256 of every input file.
	hashes map[string][sha256.Size]byte
	// disk maps a file's name to its path relative to the source's root, for the input
	// files and for every import resolved so far; names not in it are their own path.
	disk map[string]string
	// inputs are the files that form the contract, in lexical order of their names: every
	// file under the roots of a directory source (excluded directories and include paths
	// left out), or the one file of a single-file source (other files of its directory
	// only satisfy imports).
	inputs []string
}

// loadTree reads and hashes every .proto file of src's contract, laid out by its buf
// configuration and importPaths (module.go). It refuses files that are not UTF-8, which
// protobuf requires of its source text. A directory without .proto files is an empty
// tree: the baseline of the change that adds a project's first protos, or what is left
// after one that deletes them all.
func loadTree(src compat.Source, importPaths []string) (*tree, error) {
	if src.FS == nil {
		return nil, src.Errorf("", 0, 0, "no input")
	}
	lay, err := readLayout(src, importPaths)
	if err != nil {
		var ce *compat.Error
		if errors.As(err, &ce) && ce.Pos.File == "" {
			ce.Pos.File = src.Describe()
		}
		return nil, err
	}
	t := &tree{src: src, lay: lay, files: map[string][]byte{}, hashes: map[string][sha256.Size]byte{}, disk: map[string]string{}}
	var names []string
	if src.IsDir() {
		all, err := src.Files(".proto")
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			name, own, _ := lay.classify(p)
			if !own {
				// Excluded, outside every root, or under an include path: such files are
				// read only if an import needs them.
				continue
			}
			if prev, dup := t.disk[name]; dup {
				return nil, src.Errorf(p, 0, 0, "has the same import name %s as %s; a name must be unique across the module's directories", name, prev)
			}
			t.disk[name] = p
			names = append(names, name)
		}
		sort.Strings(names)
	} else {
		if !strings.HasSuffix(src.File, ".proto") {
			return nil, src.Errorf(src.File, 0, 0, "not a .proto file")
		}
		names = []string{src.File}
	}
	if len(names) > maxFiles {
		return nil, src.Errorf("", 0, 0, "more than %d .proto files", maxFiles)
	}
	// Reading and hashing thousands of files is most of an incremental comparison's
	// cost, so it is spread over the cores; the first error in file order is reported.
	type loaded struct {
		data []byte
		hash [sha256.Size]byte
		err  error
	}
	out := make([]loaded, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			data, err := t.load(name)
			out[i] = loaded{data: data, err: err}
			if err == nil {
				out[i].hash = sha256.Sum256(data)
			}
			return nil
		})
	}
	_ = g.Wait()
	for i, name := range names {
		if out[i].err != nil {
			return nil, out[i].err
		}
		t.files[name] = out[i].data
		t.hashes[name] = out[i].hash
	}
	t.inputs = names
	return t, nil
}

// diskPath returns where the file of a name is, relative to the source's root.
func (t *tree) diskPath(name string) string {
	if p, ok := t.disk[name]; ok {
		return p
	}
	return name
}

// errorf returns an error positioned in the file of a name.
func (t *tree) errorf(name string, line, col int, format string, args ...any) error {
	return t.src.Errorf(t.diskPath(name), line, col, format, args...)
}

// resolve finds the file an import names: an input file, or the first of the roots and
// include paths that holds it. It remembers where the file was found.
func (t *tree) resolve(name string) (string, bool) {
	if p, ok := t.disk[name]; ok {
		return p, true
	}
	for _, dir := range t.lay.dirs() {
		p := path.Join(dir, name)
		if _, _, reachable := t.lay.classify(p); !reachable {
			continue
		}
		if info, err := fs.Stat(t.src.FS, p); err == nil && !info.IsDir() {
			t.disk[name] = p
			return p, true
		}
	}
	return "", false
}

// read returns a file's content, loading and checking it on first use. Imports are loaded
// this way, on demand; the caller has resolved the name.
func (t *tree) read(name string) ([]byte, error) {
	if data, ok := t.files[name]; ok {
		return data, nil
	}
	data, err := t.load(name)
	if err != nil {
		return nil, err
	}
	t.files[name] = data
	return data, nil
}

// load reads one file and checks that it is UTF-8. It only reads shared state, so files
// can be loaded concurrently.
func (t *tree) load(name string) ([]byte, error) {
	data, err := t.src.ReadFile(t.diskPath(name))
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8(data)
		return nil, t.errorf(name, line, col, "file is not valid UTF-8")
	}
	return data, nil
}

// invalidUTF8 returns the 1-based line and column of the first byte that is not UTF-8.
func invalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// changedFiles pairs the input files of both sides by path and returns, for each side, the
// files that differ: changed content, added or deleted. A single-file source is paired with
// the other side's single file whatever their names. Files whose content is identical on
// both sides are left out: every element they declare is unchanged, and a change to a type
// they reference is reported once, where that type is declared.
func changedFiles(old, new *tree) (oldChanged, newChanged []string) {
	if len(old.inputs) == 0 || len(new.inputs) == 0 {
		// Against an empty side everything was added or deleted.
		return old.inputs, new.inputs
	}
	if !old.src.IsDir() || !new.src.IsDir() {
		o, n := old.inputs[0], new.inputs[0]
		if !old.src.IsDir() && !new.src.IsDir() && old.hashes[o] == new.hashes[n] && o == n {
			return nil, nil
		}
		return old.inputs, new.inputs
	}
	for _, name := range old.inputs {
		if h, ok := new.hashes[name]; !ok || h != old.hashes[name] {
			oldChanged = append(oldChanged, name)
		}
	}
	for _, name := range new.inputs {
		if h, ok := old.hashes[name]; !ok || h != new.hashes[name] {
			newChanged = append(newChanged, name)
		}
	}
	return oldChanged, newChanged
}

// side is one compiled side: the linked files of the changed files and their imports.
type side struct {
	tree  *tree
	files linker.Files
	// byPath holds every compiled file, imports included.
	byPath map[string]linker.File
	// changed are the changed input files of this side, in lexical order.
	changed []string
}

// compileSide parses the changed files and, following their imports, the files they
// import, then compiles and links them. Only this closure is parsed: errors in files that
// neither changed nor are imported by a changed file are not seen (docs/proto.md).
//
// With all set, every input file is compiled, so that errors anywhere in the tree are
// reported; only the changed files are compared all the same.
func compileSide(ctx context.Context, t *tree, changed []string, all bool) (*side, error) {
	s := &side{tree: t, byPath: map[string]linker.File{}, changed: changed}
	roots := changed
	if all {
		roots = t.inputs
	}
	if len(roots) == 0 {
		return s, nil
	}
	parsed := map[string]parser.Result{}
	var errs errorList
	rep := reporter.NewReporter(func(err reporter.ErrorWithPos) error {
		errs.add(err)
		return nil
	}, nil)

	// Breadth-first over imports, one level at a time: the files of a level are read in
	// order, parsed in parallel, and their imports queued in order, so the result does not
	// depend on scheduling.
	var order []string
	seen := map[string]bool{}
	graph := map[string][]importRef{}
	level := append([]string(nil), roots...)
	for _, name := range level {
		seen[name] = true
	}
	var mu sync.Mutex
	for len(level) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		order = append(order, level...)
		data := make([][]byte, len(level))
		for i, name := range level {
			d, err := t.read(name)
			if err != nil {
				return nil, err
			}
			data[i] = d
		}
		files := make([]*ast.FileNode, len(level))
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, name := range level {
			g.Go(func() (err error) {
				defer recoverInto(&err)
				handler := reporter.NewHandler(rep)
				file, _ := parser.Parse(name, bytes.NewReader(data[i]), handler)
				if file == nil {
					return nil
				}
				files[i] = file
				// The AST of a file with syntax errors is incomplete, and turning it
				// into a descriptor can crash; its imports are still followed.
				if handler.Error() != nil {
					return nil
				}
				if res, _ := parser.ResultFromAST(file, true, handler); res != nil {
					mu.Lock()
					parsed[name] = res
					mu.Unlock()
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		var next []string
		for i, name := range level {
			file := files[i]
			if file == nil {
				continue
			}
			for _, decl := range file.Decls {
				imp, ok := decl.(*ast.ImportNode)
				if !ok || imp.Name == nil {
					continue
				}
				dep := imp.Name.AsString()
				at := file.NodeInfo(imp.Name).Start()
				if err := checkImportPath(dep); err != nil {
					errs.add(reporter.Errorf(posSpan{at}, "%s", err))
					continue
				}
				graph[name] = append(graph[name], importRef{dep, at})
				if seen[dep] {
					continue
				}
				if _, ok := t.resolve(dep); !ok {
					if !strings.HasPrefix(dep, "google/protobuf/") {
						errs.add(reporter.Errorf(posSpan{at}, "import %q not found in %s; %s", dep, t.searched(), importHint))
					}
					// A well-known import the compiler supplies, or a missing one that
					// it reports at the import statement.
					continue
				}
				seen[dep] = true
				next = append(next, dep)
			}
		}
		level = next
	}
	if err := errs.first(t); err != nil {
		return nil, err
	}
	if err := findCycle(order, graph); err != nil {
		errs.add(err)
		return nil, errs.first(t)
	}

	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(protocompile.ResolverFunc(func(name string) (protocompile.SearchResult, error) {
			// Each file is asked for once; handing its parse result over lets the
			// compiler drop the AST as soon as the file is linked.
			mu.Lock()
			res, ok := parsed[name]
			delete(parsed, name)
			mu.Unlock()
			if ok {
				return protocompile.SearchResult{ParseResult: res}, nil
			}
			return protocompile.SearchResult{}, fs.ErrNotExist
		})),
		Reporter:       rep,
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	files, err := compiler.Compile(ctx, roots...)
	if e := errs.first(t); e != nil {
		return nil, e
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		var ewp reporter.ErrorWithPos
		if errors.As(err, &ewp) {
			errs.add(ewp)
			return nil, errs.first(t)
		}
		return nil, t.errorf("", 0, 0, "%v", err)
	}
	s.files = files
	var visit func(f protoreflect.FileDescriptor)
	visit = func(f protoreflect.FileDescriptor) {
		lf, ok := f.(linker.File)
		if !ok || s.byPath[lf.Path()] != nil {
			return
		}
		s.byPath[lf.Path()] = lf
		imps := lf.Imports()
		for i := 0; i < imps.Len(); i++ {
			visit(imps.Get(i).FileDescriptor)
		}
	}
	for _, f := range files {
		visit(f)
	}
	return s, nil
}

// importHint tells a user whose import is not found how to make it resolve.
const importHint = "pass -I DIR (--proto-path) for the directory that holds it, or list it in buf.yaml"

// searched names the directories an import was looked for in, for messages.
func (t *tree) searched() string {
	where := t.src.Name
	if where == "" {
		where = "."
	}
	dirs := t.lay.dirs()
	if len(dirs) == 1 && dirs[0] == "." {
		return where
	}
	return where + " (searched " + strings.Join(dirs, ", ") + ")"
}

// checkImportPath refuses import paths that would leave the input root.
func checkImportPath(p string) error {
	if p == "" {
		return fmt.Errorf("empty import path")
	}
	if strings.HasPrefix(p, "/") || path.IsAbs(p) {
		return fmt.Errorf("import %q is absolute; imports must be relative to the input root", p)
	}
	for _, part := range strings.Split(p, "/") {
		if part == ".." {
			return fmt.Errorf("import %q climbs out of the input root", p)
		}
	}
	if !fs.ValidPath(p) {
		return fmt.Errorf("import %q is not a clean relative path", p)
	}
	return nil
}

// posSpan turns a single position into the span the reporter wants.
type posSpan struct{ pos ast.SourcePos }

func (p posSpan) Start() ast.SourcePos { return p.pos }
func (p posSpan) End() ast.SourcePos   { return p.pos }

// errorList collects the compiler's errors so that the one reported is chosen
// deterministically (the first by file, line and column), whatever order the compiler's
// parallel workers found them in.
type errorList struct {
	mu   sync.Mutex
	errs []reporter.ErrorWithPos
}

func (l *errorList) add(err reporter.ErrorWithPos) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *errorList) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.errs)
}

func (l *errorList) first(t *tree) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) == 0 {
		return nil
	}
	sort.SliceStable(l.errs, func(i, j int) bool {
		a, b := l.errs[i].GetPosition(), l.errs[j].GetPosition()
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return l.errs[i].Unwrap().Error() < l.errs[j].Unwrap().Error()
	})
	e := l.errs[0]
	pos := e.GetPosition()
	return t.errorf(pos.Filename, pos.Line, pos.Col, "%s", e.Unwrap().Error())
}

// importRef is one import statement: the imported path and where it is written.
type importRef struct {
	path string
	pos  ast.SourcePos
}

// findCycle reports the first import cycle met by a depth-first walk in a fixed order, so
// that the error does not depend on which of the compiler's workers found it.
func findCycle(order []string, graph map[string][]importRef) reporter.ErrorWithPos {
	const (
		unvisited = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var walk func(name string) reporter.ErrorWithPos
	walk = func(name string) reporter.ErrorWithPos {
		state[name] = active
		stack = append(stack, name)
		for _, imp := range graph[name] {
			switch state[imp.path] {
			case active:
				i := len(stack) - 1
				for i > 0 && stack[i] != imp.path {
					i--
				}
				cycle := append(append([]string(nil), stack[i:]...), imp.path)
				quoted := make([]string, len(cycle))
				for k, c := range cycle {
					quoted[k] = fmt.Sprintf("%q", c)
				}
				return reporter.Errorf(posSpan{imp.pos}, "cycle found in imports: %s", strings.Join(quoted, " -> "))
			case unvisited:
				if err := walk(imp.path); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
		return nil
	}
	for _, name := range order {
		if state[name] == unvisited {
			if err := walk(name); err != nil {
				return err
			}
		}
	}
	return nil
}
