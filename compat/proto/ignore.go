package proto

import (
	"bytes"
	"runtime"
	"strings"

	"github.com/bufbuild/protocompile/ast"
	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/sync/errgroup"
)

// An inline ignore is a comment line "// compatcheck:ignore RULE reason" (or the same line
// inside a /* */ comment) in a NEW .proto file. It is attached to a declaration by where the
// comment is (docs/proto.md, "Inline ignores"):
//
//   - the leading comment of a declaration (the comment lines directly above it) or its
//     trailing comment (after its last token on the same line, or after the opening brace
//     of a block), for messages, fields, oneofs, enums, enum values, services, methods and
//     extend blocks: it covers findings on that declaration and everything declared inside;
//   - the leading or trailing comment of the syntax, edition or package statement: it
//     covers the whole file;
//   - a comment on another statement (option, reserved, extensions, import) belongs to the
//     declaration that holds the statement, or to the file at the top level.
//
// A finding is covered when its NEW position lies inside the declaration, or, for a
// deletion (no NEW position), when its subject is the declaration or something declared in
// it: a deleted field is ignored on its surviving message, a deleted top-level type on its
// surviving file.

// directiveWord is the marker looked for in file bytes before anything is parsed.
var directiveWord = []byte(compat.DirectiveWord)

// directive is one inline ignore and what it covers.
type directive struct {
	compat.Directive
	// file is the path of the NEW file that holds it, relative to the root of NEW.
	file string
	// fileScope is set for a directive on the syntax, edition or package statement.
	fileScope bool
	// name is the full name of the declaration (enum values named inside their enum, as
	// subjects are), for covering deletions; empty for declarations without one.
	name string
	// start and end delimit the declaration in file, end exclusive.
	start, end compat.Position
	// depth is how deeply the declaration is nested (the file is 0), so that the innermost
	// directive is the one that suppresses a finding.
	depth int
	used  bool
}

// covers reports whether the directive suppresses a finding of its rule.
func (d *directive) covers(f compat.Finding) bool {
	if f.Rule != d.Rule {
		return false
	}
	if f.New != nil {
		if f.New.File != d.file {
			return false
		}
		return d.fileScope || !before(*f.New, d.start) && before(*f.New, d.end)
	}
	if d.fileScope {
		return f.Old != nil && f.Old.File == d.file
	}
	return d.name != "" && (f.Subject == d.name || strings.HasPrefix(f.Subject, d.name+"."))
}

// before orders positions by line, then column.
func before(a, b compat.Position) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}

// readDirectives finds the inline ignores of a tree's input files. Only files whose bytes
// held the directive word when the tree was loaded are read again and parsed; a file that does not parse is left to the compiler,
// which reports its errors when the file matters. A directive that names no known protobuf
// rule, has no reason, or is not attached to a declaration is an error at its position.
func readDirectives(t *tree) ([]*directive, error) {
	names := t.directives
	if len(names) == 0 {
		return nil, nil
	}
	found := make([][]*directive, len(names))
	errs := make([]error, len(names))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, name := range names {
		g.Go(func() (err error) {
			defer recoverInto(&errs[i])
			found[i], errs[i] = fileDirectives(t, name)
			return nil
		})
	}
	_ = g.Wait()
	var out []*directive
	for i := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, found[i]...)
	}
	return out, nil
}

// fileDirectives parses one file and returns its directives.
func fileDirectives(t *tree, name string) ([]*directive, error) {
	rep := reporter.NewReporter(func(reporter.ErrorWithPos) error { return nil }, nil)
	handler := reporter.NewHandler(rep)
	data, err := t.load(name)
	if err != nil {
		return nil, err
	}
	file, _ := parser.Parse(name, bytes.NewReader(data), handler)
	if file == nil || handler.Error() != nil {
		return nil, nil
	}
	w := &directiveWalker{t: t, name: name, disk: t.diskPath(name), file: file, seen: map[ast.Item]bool{}}
	w.decls(file)
	if w.err != nil {
		return nil, w.err
	}
	// Every directive comment must have been reached from a declaration.
	for item, ok := file.Items().First(); ok; item, ok = file.Items().Next(item) {
		_, c := file.GetItem(item)
		if !c.IsValid() || w.seen[item] {
			continue
		}
		if ls := directiveLines(c); len(ls) > 0 {
			return nil, t.errorf(name, ls[0].line, ls[0].col, "%s is not attached to a declaration; write it on the line above the element it ignores or at the end of that element's line", compat.DirectiveWord)
		}
	}
	return w.out, nil
}

// directiveLine is one "compatcheck:ignore …" line of a comment.
type directiveLine struct {
	text      string // what follows the directive word
	line, col int    // where the directive word is, 1-based
}

// directiveLines returns the directive lines of a comment: lines whose text, after the
// comment markers and spaces, starts with the directive word.
func directiveLines(c ast.Comment) []directiveLine {
	raw := c.RawText()
	if !strings.Contains(raw, compat.DirectiveWord) {
		return nil
	}
	start := c.Start()
	var out []directiveLine
	for i, line := range strings.Split(raw, "\n") {
		rest := strings.TrimLeft(line, " \t")
		for _, marker := range []string{"//", "/*", "*"} {
			if r, ok := strings.CutPrefix(rest, marker); ok {
				rest = strings.TrimLeft(r, " \t")
				break
			}
		}
		text, ok := strings.CutPrefix(rest, compat.DirectiveWord)
		if !ok || text != "" && text[0] != ' ' && text[0] != '\t' && !strings.HasPrefix(text, "*/") {
			continue
		}
		col := len(line) - len(rest) + 1
		if i == 0 {
			col += start.Col - 1
		}
		out = append(out, directiveLine{
			text: strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), "*/")),
			line: start.Line + i,
			col:  col,
		})
	}
	return out
}

// directiveWalker walks a file's declarations and collects the directives in their
// comments.
type directiveWalker struct {
	t          *tree
	name, disk string
	file       *ast.FileNode
	seen       map[ast.Item]bool
	out        []*directive
	err        error
}

// owner is what the comments being read are attached to.
type owner struct {
	fileScope  bool
	name       string
	start, end compat.Position
	depth      int
}

// collect reads the directives of comments and attaches them to o.
func (w *directiveWalker) collect(o owner, cs ast.Comments) {
	for i := 0; i < cs.Len() && w.err == nil; i++ {
		c := cs.Index(i)
		w.seen[c.AsItem()] = true
		for _, l := range directiveLines(c) {
			rule, reason, err := compat.ParseDirective(compat.KindProto, l.text)
			if err != nil {
				w.err = w.t.errorf(w.name, l.line, l.col, "%v", err)
				return
			}
			w.out = append(w.out, &directive{
				Directive: compat.Directive{Rule: rule, Reason: reason, Pos: compat.Position{File: w.disk, Line: l.line, Column: l.col}},
				file:      w.disk, fileScope: o.fileScope, name: o.name, start: o.start, end: o.end, depth: o.depth,
			})
		}
	}
}

// node collects the leading and trailing comments of a node (and of its opening brace,
// for blocks; nil for a declaration without one) for o.
func (w *directiveWalker) node(o owner, n ast.Node, brace *ast.RuneNode) {
	info := w.file.NodeInfo(n)
	w.collect(o, info.LeadingComments())
	w.collect(o, info.TrailingComments())
	if brace != nil {
		w.collect(o, w.file.NodeInfo(brace).TrailingComments())
	}
}

// ownerOf returns the owner for a declaration node.
func (w *directiveWalker) ownerOf(n ast.Node, name string, depth int) owner {
	info := w.file.NodeInfo(n)
	s, e := info.Start(), info.End()
	return owner{name: name, depth: depth,
		start: compat.Position{File: w.disk, Line: s.Line, Column: s.Col},
		end:   compat.Position{File: w.disk, Line: e.Line, Column: e.Col}}
}

// statement collects the comments of a statement that declares nothing (option, reserved,
// extensions, import, an empty statement) for the declaration that holds it.
func (w *directiveWalker) statement(o owner, n ast.Node) {
	w.node(o, n, nil)
}

func (w *directiveWalker) decls(f *ast.FileNode) {
	file := owner{fileScope: true}
	pkg := ""
	for _, d := range f.Decls {
		if p, ok := d.(*ast.PackageNode); ok {
			pkg = string(p.Name.AsIdentifier())
		}
	}
	if f.Syntax != nil {
		w.statement(file, f.Syntax)
	}
	if f.Edition != nil {
		w.statement(file, f.Edition)
	}
	for _, d := range f.Decls {
		switch n := d.(type) {
		case *ast.PackageNode, *ast.ImportNode, *ast.OptionNode, *ast.EmptyDeclNode:
			w.statement(file, n)
		case *ast.MessageNode:
			w.message(n, join(pkg, string(n.Name.AsIdentifier())), 1)
		case *ast.EnumNode:
			w.enum(n, join(pkg, string(n.Name.AsIdentifier())), 1)
		case *ast.ExtendNode:
			w.extend(n, pkg, 1)
		case *ast.ServiceNode:
			name := join(pkg, string(n.Name.AsIdentifier()))
			o := w.ownerOf(n, name, 1)
			w.node(o, n, n.OpenBrace)
			for _, e := range n.Decls {
				switch m := e.(type) {
				case *ast.RPCNode:
					mo := w.ownerOf(m, name+"."+string(m.Name.AsIdentifier()), 2)
					w.node(mo, m, m.OpenBrace)
					for _, opt := range m.Decls {
						w.statement(mo, opt)
					}
				default:
					w.statement(o, e)
				}
			}
		}
	}
}

func (w *directiveWalker) message(n *ast.MessageNode, name string, depth int) {
	o := w.ownerOf(n, name, depth)
	w.node(o, n, n.OpenBrace)
	w.body(o, n.Decls, name, depth)
}

// body walks the declarations of a message or group body named name.
func (w *directiveWalker) body(o owner, decls []ast.MessageElement, name string, depth int) {
	for _, e := range decls {
		switch m := e.(type) {
		case *ast.FieldNode:
			w.field(m, name, depth+1)
		case *ast.MapFieldNode:
			w.node(w.ownerOf(m, name+"."+string(m.Name.AsIdentifier()), depth+1), m, nil)
		case *ast.GroupNode:
			w.group(m, name, depth+1)
		case *ast.OneofNode:
			oo := w.ownerOf(m, name+"."+string(m.Name.AsIdentifier()), depth+1)
			w.node(oo, m, m.OpenBrace)
			for _, f := range m.Decls {
				switch x := f.(type) {
				case *ast.FieldNode:
					w.field(x, name, depth+2)
				case *ast.GroupNode:
					w.group(x, name, depth+2)
				default:
					w.statement(oo, f)
				}
			}
		case *ast.MessageNode:
			w.message(m, name+"."+string(m.Name.AsIdentifier()), depth+1)
		case *ast.EnumNode:
			w.enum(m, name+"."+string(m.Name.AsIdentifier()), depth+1)
		case *ast.ExtendNode:
			w.extend(m, name, depth+1)
		default:
			w.statement(o, e)
		}
	}
}

func (w *directiveWalker) field(n *ast.FieldNode, scope string, depth int) {
	w.node(w.ownerOf(n, scope+"."+string(n.Name.AsIdentifier()), depth), n, nil)
}

// group walks a proto2 group: a field whose name is the group's in lower case, and a
// message of the group's name.
func (w *directiveWalker) group(n *ast.GroupNode, scope string, depth int) {
	o := w.ownerOf(n, scope+"."+strings.ToLower(string(n.Name.AsIdentifier())), depth)
	w.node(o, n, n.OpenBrace)
	w.body(o, n.Decls, scope+"."+string(n.Name.AsIdentifier()), depth)
}

func (w *directiveWalker) enum(n *ast.EnumNode, name string, depth int) {
	o := w.ownerOf(n, name, depth)
	w.node(o, n, n.OpenBrace)
	for _, e := range n.Decls {
		if v, ok := e.(*ast.EnumValueNode); ok {
			w.node(w.ownerOf(v, name+"."+string(v.Name.AsIdentifier()), depth+1), v, nil)
			continue
		}
		w.statement(o, e)
	}
}

// extend walks an extend block: its extensions are named in scope, and the block itself
// has no name of its own.
func (w *directiveWalker) extend(n *ast.ExtendNode, scope string, depth int) {
	o := w.ownerOf(n, "", depth)
	w.node(o, n, n.OpenBrace)
	for _, e := range n.Decls {
		switch x := e.(type) {
		case *ast.FieldNode:
			w.field(x, scope, depth+1)
		case *ast.GroupNode:
			w.group(x, scope, depth+1)
		default:
			w.statement(o, e)
		}
	}
}

// join names a declaration inside a package or message scope.
func join(scope, name string) string {
	if scope == "" {
		return name
	}
	return scope + "." + name
}

// applyDirectives suppresses every finding a directive covers, with the reason of the
// innermost such directive, and returns the directives that covered nothing.
func applyDirectives(findings []compat.Finding, dirs []*directive) []compat.Directive {
	if len(dirs) == 0 {
		return nil
	}
	for i := range findings {
		var best *directive
		for _, d := range dirs {
			if d.covers(findings[i]) && (best == nil || d.depth > best.depth) {
				best = d
			}
		}
		if best != nil {
			best.used = true
			findings[i].Suppressed = best.Reason
		}
	}
	var unused []compat.Directive
	for _, d := range dirs {
		if !d.used {
			unused = append(unused, d.Directive)
		}
	}
	return unused
}
