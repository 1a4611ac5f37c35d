package contract

import (
	"context"
	"go/ast"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/sqlmigrate"
)

// MigrationTree is one tree of PostgreSQL migrations of a package: a directory of .sql
// files the package embeds with //go:embed, or the package's own directory when it holds
// goose migrations written in Go, whose SQL joins the tree as synthesized .sql files.
//
// The .sql files are read from disk. go vet hashes embedded files with the package, so its
// cache sees them change; golangci-lint hashes only Go files, and docs/analyzers.md says
// what that means.
type MigrationTree struct {
	// Dir is the tree's directory relative to the package's, slash-separated.
	Dir string
	// Pos is the //go:embed directive or the first goose registration.
	Pos token.Pos
	// Files holds the .sql files by name relative to Dir.
	Files map[string][]byte
	// Goose holds the Go migrations by their synthesized .sql name.
	Goose map[string]*GooseMigration
	// Schema is what replaying every migration of the tree builds.
	Schema *sqlmigrate.Schema
}

// migrationName matches the file names of every migration layout compat/sqlmigrate
// reads: a version number first (goose, golang-migrate, dbmate, numbered), or Flyway's
// V and R prefixes. A directory of embedded .sql files without one (queries for sqlc,
// fixtures) is not a tree of migrations.
var migrationName = regexp.MustCompile(`^([0-9]|V[0-9]|R__)`)

// Source returns the tree as the SQL engine reads it, with only the files keep accepts
// (by their baseline name; nil keeps all).
func (t *MigrationTree) Source(keep func(name string) bool) compat.Source {
	fsys := fstest.MapFS{}
	for name, data := range t.Files {
		if keep == nil || keep(name) {
			fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		}
	}
	for name, m := range t.Goose {
		if keep == nil || keep(BaselineName(name)) {
			data, _ := m.Synthesize()
			fsys[name] = &fstest.MapFile{Data: data, Mode: 0o644}
		}
	}
	return compat.Source{FS: fsys, Name: t.Dir}
}

// BaselineName is how a baseline lists a migration: .sql files by name, Go migrations by
// their Go file, without the .sql their synthesized name adds.
func BaselineName(file string) string {
	if base := strings.TrimSuffix(file, ".sql"); strings.HasSuffix(base, ".go") {
		return base
	}
	return file
}

// DisplayName is how messages name a migration of the tree: path relative to the
// package, Go migrations by their Go file.
func (t *MigrationTree) DisplayName(file string) string {
	return path.Join(t.Dir, BaselineName(file))
}

// Names returns the baseline names of every migration of the tree, sorted.
func (t *MigrationTree) Names() []string {
	var out []string
	for name := range t.Files {
		out = append(out, name)
	}
	for name := range t.Goose {
		out = append(out, BaselineName(name))
	}
	sort.Strings(out)
	return out
}

func (t *MigrationTree) snapshot() SQLTree {
	st := SQLTree{Dir: t.Dir, Migrations: t.Names()}
	for _, e := range t.Schema.Enums {
		st.Enums = append(st.Enums, SQLEnum{Name: e.Name, Labels: e.Labels})
	}
	return st
}

// collectSQL finds the package's trees of migrations and replays each; a tree that cannot
// be read is left out and reported.
func collectSQL(ctx context.Context, pkg *Package) ([]*MigrationTree, []*Error) {
	var errs []*Error
	dir := pkg.dir()
	trees := map[string]*MigrationTree{}
	tree := func(rel string, pos token.Pos) *MigrationTree {
		t := trees[rel]
		if t == nil {
			t = &MigrationTree{Dir: rel, Pos: pos, Files: map[string][]byte{}, Goose: map[string]*GooseMigration{}}
			trees[rel] = t
		}
		return t
	}
	for _, f := range pkg.Files {
		for _, d := range embedDirectives(f) {
			files, err := embedded(dir, d.args)
			if err != nil {
				errs = append(errs, &Error{Pos: d.pos, Msg: "//go:embed: " + err.Error()})
				continue
			}
			byDir := map[string][]string{}
			for _, rel := range files {
				byDir[path.Dir(rel)] = append(byDir[path.Dir(rel)], rel)
			}
			for sub, rels := range byDir {
				migrations := false
				for _, rel := range rels {
					migrations = migrations || migrationName.MatchString(path.Base(rel))
				}
				if !migrations {
					continue
				}
				t := tree(sub, d.pos)
				for _, rel := range rels {
					data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
					if err != nil {
						errs = append(errs, &Error{Pos: d.pos, Msg: err.Error()})
						continue
					}
					t.Files[path.Base(rel)] = data
				}
			}
		}
	}
	if gms := findGoose(pkg); len(gms) > 0 {
		t := tree(".", gms[0].Call.Pos())
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".sql") {
				data, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					errs = append(errs, &Error{Pos: gms[0].Call.Pos(), Msg: err.Error()})
					continue
				}
				t.Files[e.Name()] = data
			}
		}
		for _, m := range gms {
			t.Goose[m.SyntheticName()] = m
		}
	}
	var out []*MigrationTree
	for _, t := range trees {
		schema, err := sqlmigrate.ReadSchema(ctx, t.Source(nil))
		if err != nil {
			errs = append(errs, &Error{Pos: t.Pos, Msg: "migrations: " + err.Error()})
			continue
		}
		t.Schema = schema
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	sort.Slice(errs, func(i, j int) bool { return errs[i].Pos < errs[j].Pos })
	return out, errs
}

// embedDirective is one //go:embed line and the variable it applies to.
type embedDirective struct {
	args string
	// pos is the variable's name: diagnostics go there, since nothing may follow the
	// directive on its own line.
	pos token.Pos
}

// embedDirectives returns a file's //go:embed directives.
func embedDirectives(f *ast.File) []embedDirective {
	var out []embedDirective
	scan := func(doc *ast.CommentGroup, pos token.Pos) {
		if doc == nil {
			return
		}
		for _, c := range doc.List {
			if args, ok := strings.CutPrefix(c.Text, "//go:embed "); ok {
				out = append(out, embedDirective{args: args, pos: pos})
			}
		}
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || len(gd.Specs) == 0 {
			continue
		}
		if !gd.Lparen.IsValid() {
			scan(gd.Doc, gd.Specs[0].(*ast.ValueSpec).Names[0].Pos())
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			scan(vs.Doc, vs.Names[0].Pos())
		}
	}
	return out
}

// embedded returns the .sql files, relative to dir and slash-separated, that a
// //go:embed directive's patterns match, as the go command resolves them: a matched
// directory contributes its files recursively, leaving out names starting with . or _
// unless the pattern has the all: prefix.
func embedded(dir, args string) ([]string, error) {
	patterns, err := embedPatterns(args)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range patterns {
		all := false
		if rest, ok := strings.CutPrefix(p, "all:"); ok {
			p, all = rest, true
		}
		matches, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			err := filepath.WalkDir(m, func(file string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if file != m && !all && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
					if d.IsDir() {
						return fs.SkipDir
					}
					return nil
				}
				if !d.IsDir() && strings.HasSuffix(file, ".sql") {
					rel, err := filepath.Rel(dir, file)
					if err != nil {
						return err
					}
					out = append(out, filepath.ToSlash(rel))
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// embedPatterns splits a //go:embed directive's arguments: space-separated patterns,
// each possibly a Go string literal.
func embedPatterns(args string) ([]string, error) {
	var out []string
	for args = strings.TrimSpace(args); args != ""; args = strings.TrimSpace(args) {
		if args[0] == '"' || args[0] == '`' {
			end := strings.IndexByte(args[1:], args[0])
			if end < 0 {
				return nil, &Error{Msg: "unterminated quoted pattern"}
			}
			p, err := strconv.Unquote(args[:end+2])
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			args = args[end+2:]
			continue
		}
		p, rest, _ := strings.Cut(args, " ")
		out = append(out, p)
		args = rest
	}
	return out, nil
}
