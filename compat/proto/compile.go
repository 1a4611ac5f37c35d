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
	// hashes holds the SHA-256 of every input file.
	hashes map[string][sha256.Size]byte
	// sums holds the SHA-256 of every file read, imports included. Contents are not kept:
	// most files of a large tree are only hashed, and the few that are compiled are read
	// again when parsed (see docs/performance.md).
	sums map[string][sha256.Size]byte
	// directives lists the input files whose bytes hold the inline-ignore word.
	directives []string
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
	t := &tree{src: src, lay: lay, hashes: map[string][sha256.Size]byte{}, sums: map[string][sha256.Size]byte{}, disk: map[string]string{}}
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
		hash      [sha256.Size]byte
		directive bool
		err       error
	}
	out := make([]loaded, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() error {
			data, err := t.load(name)
			out[i] = loaded{err: err}
			if err == nil {
				out[i].hash = sha256.Sum256(data)
				out[i].directive = bytes.Contains(data, directiveWord)
			}
			return nil
		})
	}
	_ = g.Wait()
	for i, name := range names {
		if out[i].err != nil {
			return nil, out[i].err
		}
		t.hashes[name] = out[i].hash
		t.sums[name] = out[i].hash
		if out[i].directive {
			t.directives = append(t.directives, name)
		}
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

// read returns a file's content and SHA-256, reading and checking it from the source.
// Imports are read this way, on demand; the caller has resolved the name.
func (t *tree) read(name string) ([]byte, [sha256.Size]byte, error) {
	data, err := t.load(name)
	if err != nil {
		return nil, [sha256.Size]byte{}, err
	}
	sum, ok := t.sums[name]
	if !ok {
		sum = sha256.Sum256(data)
		t.sums[name] = sum
	}
	return data, sum, nil
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

// parsedFile is one parsed file of a closure. Two closures hold the same parsedFile when
// the file's bytes are the same on both sides, so that it is parsed once.
type parsedFile struct {
	name string
	sum  [sha256.Size]byte
	// res is nil when the file has syntax errors; its imports are still followed.
	res     parser.Result
	imports []importRef
	// errs are the problems found while parsing and reading its imports.
	errs []reporter.ErrorWithPos
}

// closure is one side's files to compile: the roots (its changed files, or every input
// with FullCheck) and every file they import, parsed, in breadth-first order.
type closure struct {
	tree  *tree
	roots []string
	order []string
	files map[string]*parsedFile
}

// parseClosure reads and parses the roots of a side and, following their imports, the
// files they import. The files of one import level are read in order, parsed in parallel,
// and their imports queued in order, so the result does not depend on scheduling. A file
// whose bytes are the same as a file of the same name in reuse (the other side's closure)
// is not parsed again: it is the same parsedFile.
func parseClosure(ctx context.Context, t *tree, roots []string, reuse *closure) (*closure, error) {
	cl := &closure{tree: t, roots: roots, files: map[string]*parsedFile{}}
	seen := map[string]bool{}
	level := append([]string(nil), roots...)
	for _, name := range level {
		seen[name] = true
	}
	for len(level) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cl.order = append(cl.order, level...)
		todo := make([]*parsedFile, len(level))
		data := make([][]byte, len(level))
		for i, name := range level {
			d, sum, err := t.read(name)
			if err != nil {
				return nil, err
			}
			if reuse != nil {
				if pf := reuse.files[name]; pf != nil && pf.sum == sum {
					cl.files[name] = pf
					continue
				}
			}
			todo[i], data[i] = &parsedFile{name: name, sum: sum}, d
			cl.files[name] = todo[i]
		}
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for i, pf := range todo {
			if pf == nil {
				continue
			}
			g.Go(func() (err error) {
				defer recoverInto(&err)
				pf.parse(data[i])
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		var next []string
		for _, name := range level {
			for _, imp := range cl.files[name].imports {
				if seen[imp.path] || checkImportPath(imp.path) != nil {
					continue
				}
				if _, ok := t.resolve(imp.path); !ok {
					// A well-known import the compiler supplies, or a missing one (see
					// closure.errors).
					continue
				}
				seen[imp.path] = true
				next = append(next, imp.path)
			}
		}
		level = next
	}
	return cl, nil
}

// parse parses a file's bytes and lists its imports.
func (pf *parsedFile) parse(data []byte) {
	rep := reporter.NewReporter(func(err reporter.ErrorWithPos) error {
		pf.errs = append(pf.errs, err)
		return nil
	}, nil)
	handler := reporter.NewHandler(rep)
	file, _ := parser.Parse(pf.name, bytes.NewReader(data), handler)
	if file == nil {
		return
	}
	for _, decl := range file.Decls {
		imp, ok := decl.(*ast.ImportNode)
		if !ok || imp.Name == nil {
			continue
		}
		at := file.NodeInfo(imp.Name).Start()
		dep := imp.Name.AsString()
		if err := checkImportPath(dep); err != nil {
			pf.errs = append(pf.errs, reporter.Errorf(posSpan{at}, "%s", err))
			continue
		}
		pf.imports = append(pf.imports, importRef{dep, at})
	}
	// The AST of a file with syntax errors is incomplete, and turning it into a
	// descriptor can crash; its imports are still followed.
	if handler.Error() != nil {
		return
	}
	pf.res, _ = parser.ResultFromAST(file, true, handler)
}

// errors returns the first problem of the closure's parse, by file, line and column: a
// syntax error, an import that does not resolve, an import cycle.
func (cl *closure) errors() error {
	var errs errorList
	graph := map[string][]importRef{}
	for _, name := range cl.order {
		pf := cl.files[name]
		for _, e := range pf.errs {
			errs.add(e)
		}
		for _, imp := range pf.imports {
			graph[name] = append(graph[name], imp)
			if _, ok := cl.tree.resolve(imp.path); !ok && !strings.HasPrefix(imp.path, "google/protobuf/") {
				errs.add(reporter.Errorf(posSpan{imp.pos}, "import %q not found in %s; %s", imp.path, cl.tree.searched(), importHint))
			}
		}
	}
	if err := errs.first(cl.tree); err != nil {
		return err
	}
	if err := findCycle(cl.order, graph); err != nil {
		errs.add(err)
		return errs.first(cl.tree)
	}
	return nil
}

// sharedFiles returns the files both closures hold with the same bytes and whose imports
// are all shared too (recursively, standard imports included): their descriptors are the
// same on both sides, so they are compiled once. The names are in the order of old.
func sharedFiles(old, new *closure) []string {
	memo := map[string]bool{}
	var shared func(name string) bool
	shared = func(name string) bool {
		if v, ok := memo[name]; ok {
			return v
		}
		memo[name] = false // an import cycle is refused before this is used
		pf := old.files[name]
		if pf == nil || new.files[name] != pf || pf.res == nil {
			return false
		}
		for _, imp := range pf.imports {
			_, inOld := old.files[imp.path]
			_, inNew := new.files[imp.path]
			if (inOld || inNew) && !shared(imp.path) {
				return false
			}
		}
		memo[name] = true
		return true
	}
	var out []string
	for _, name := range old.order {
		if shared(name) {
			out = append(out, name)
		}
	}
	return out
}

// compileShared compiles the shared files once. An error in them is an error of OLD.
func compileShared(ctx context.Context, old *closure, names []string) (map[string]linker.File, error) {
	out := map[string]linker.File{}
	if len(names) == 0 {
		return out, nil
	}
	pending := map[string]parser.Result{}
	for _, name := range names {
		// The parse result moves to the compiler, which drops it once the file is linked.
		pf := old.files[name]
		pending[name], pf.res = pf.res, nil
	}
	files, err := compileFiles(ctx, old.tree, names, handOver(pending))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		out[f.Path()] = f
	}
	return out, nil
}

// handOver returns the lookup that gives the compiler each pending parse result once.
// Each file is asked for once; handing its result over (and forgetting it here) lets the
// compiler drop the AST as soon as the file is linked. The compiler asks concurrently.
func handOver(pending map[string]parser.Result) func(string) (protocompile.SearchResult, bool) {
	var mu sync.Mutex
	return func(name string) (protocompile.SearchResult, bool) {
		mu.Lock()
		defer mu.Unlock()
		res, ok := pending[name]
		delete(pending, name)
		return protocompile.SearchResult{ParseResult: res}, ok
	}
}

// compileSide compiles and links a side's closure, the shared files taken as they are.
// Files the other side also parsed but that are not shared (reparse: their bytes are the
// same, but an import differs) are parsed again here, since linking changes a parse result
// and each compilation needs its own.
//
// The parse results are taken by pendingResults before either side starts, so that each
// moves to its compiler and is dropped once the file is linked.
func compileSide(ctx context.Context, cl *closure, pending map[string]parser.Result, reparse []string, shared map[string]linker.File) (*side, error) {
	s := &side{tree: cl.tree, byPath: map[string]linker.File{}}
	if len(cl.roots) == 0 {
		return s, nil
	}
	for _, name := range reparse {
		data, _, err := cl.tree.read(name)
		if err != nil {
			return nil, err
		}
		again := &parsedFile{name: name}
		again.parse(data)
		pending[name] = again.res
	}
	parsed := handOver(pending)
	files, err := compileFiles(ctx, cl.tree, cl.roots, func(name string) (protocompile.SearchResult, bool) {
		if f := shared[name]; f != nil {
			return protocompile.SearchResult{Desc: f}, true
		}
		return parsed(name)
	})
	if err != nil {
		return nil, err
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

// pendingResults takes the parse results of a closure's files that are not shared out of
// the closure, for its compiler. Files whose parsedFile the other closure holds too (the
// same bytes) and that are not shared are returned to be parsed again by the side that
// did not parse them, given as other.
func pendingResults(cl, other *closure, shared map[string]linker.File) (map[string]parser.Result, []string) {
	pending := map[string]parser.Result{}
	var reparse []string
	for _, name := range cl.order {
		if shared[name] != nil {
			continue
		}
		pf := cl.files[name]
		if other != nil && other.files[name] == pf {
			reparse = append(reparse, name)
			continue
		}
		pending[name], pf.res = pf.res, nil
	}
	return pending, reparse
}

// compileFiles runs the compiler over roots, resolving files with find (and the standard
// imports), and returns the first error by position. Nothing gets source info.
func compileFiles(ctx context.Context, t *tree, roots []string, find func(string) (protocompile.SearchResult, bool)) (linker.Files, error) {
	var errs errorList
	rep := reporter.NewReporter(func(err reporter.ErrorWithPos) error {
		errs.add(err)
		return nil
	}, nil)
	compiler := protocompile.Compiler{
		Resolver: protocompile.WithStandardImports(protocompile.ResolverFunc(func(name string) (protocompile.SearchResult, error) {
			if res, ok := find(name); ok {
				return res, nil
			}
			return protocompile.SearchResult{}, fs.ErrNotExist
		})),
		Reporter: rep,
		// No source info: positions are resolved from the few files that hold a
		// finding once the comparison is done (position.go).
		SourceInfoMode: protocompile.SourceInfoNone,
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
	return files, nil
}

// compileBoth compiles the two sides: both closures are parsed (a file with the same bytes
// on both sides once), the files shared by both are compiled once, and then each side. An
// error of OLD is reported before one of NEW, so the result does not depend on which
// finished first.
func compileBoth(ctx context.Context, oldTree, newTree *tree, oldRoots, newRoots []string) (oldSide, newSide *side, err error) {
	oc, err := parseClosure(ctx, oldTree, oldRoots, nil)
	if err != nil {
		return nil, nil, err
	}
	if err := oc.errors(); err != nil {
		return nil, nil, err
	}
	nc, err := parseClosure(ctx, newTree, newRoots, oc)
	if err != nil {
		return nil, nil, err
	}
	newParseErr := nc.errors()
	shared := map[string]linker.File{}
	if newParseErr == nil {
		if shared, err = compileShared(ctx, oc, sharedFiles(oc, nc)); err != nil {
			return nil, nil, err
		}
	}
	// NEW's results are taken first: a file both closures hold is parsed again for NEW, so
	// OLD's result must still be there when NEW looks.
	newPending, newReparse := pendingResults(nc, oc, shared)
	oldPending, _ := pendingResults(oc, nil, shared)
	var oldErr, newErr error
	func() {
		defer recoverInto(&oldErr)
		oldSide, oldErr = compileSide(ctx, oc, oldPending, nil, shared)
	}()
	if newParseErr == nil && oldErr == nil {
		func() {
			defer recoverInto(&newErr)
			newSide, newErr = compileSide(ctx, nc, newPending, newReparse, shared)
		}()
	}
	switch {
	case oldErr != nil:
		return nil, nil, oldErr
	case newParseErr != nil:
		return nil, nil, newParseErr
	case newErr != nil:
		return nil, nil, newErr
	}
	return oldSide, newSide, nil
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
