package jsonschema

import (
	"bytes"
	"context"
	"net/url"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/sync/errgroup"
)

// Comparing two directories used to hold every document of both versions, every schema
// the validator library compiled and every memoized schema pair until the last file was
// compared: on SchemaStore (739 → 951 files) that was a live heap of 1.9 GB and 4–5 GB of
// peak RSS, for files of which most refer to no other. A file's comparison reaches only
// the schemas of the files its references lead to, so the directories are split into
// groups of files that references may connect (in either version), and each group is
// read, compiled, compared and released on its own.
//
// The split must never separate two files a comparison could connect, or a report would
// change. Rather than resolve references as the library does (bases, nested $id,
// percent escapes), groups over-approximate: a reference connects its file with every
// file whose path, or whose root $id, has the same last path segment as the reference,
// and with every other file referring to a URL of that last segment (they share the
// stand-in of a schema outside the tree, see refs.go, and the documents whose root $id
// is the same decide together which one keeps it). A reference whose last segment cannot
// be told (a path ending in "/", ".", "..", or a query alone) or a document declaring
// vocabularies makes the whole directory one group. Within a group files are compared in
// the order the whole directories compare them, with one memo, so that the work budget
// of each comparison is spent as before; findings are put together in that order too.
//
// Whether a version is read natively (native.go) depends on all of its documents; every
// group of a version is read the way the whole version would be.

// groupFile is what the first reading of a file keeps: little enough for every file of
// both versions to be held at once.
type groupFile struct {
	path string
	// keys are the union-find keys the file joins: its own, its last path segment, its
	// root $id's and those of its references.
	keys []string
	// libraryOnly is set when the document cannot be read natively whatever the other
	// documents are (see nativeIndexOf).
	libraryOnly bool
	// size is the length of the file in bytes.
	size int
}

// dirGroups is the split of two directories into groups.
type dirGroups struct {
	oldFiles, newFiles []string
	// groups lists each group's paths; every path of either version is in exactly one.
	groups [][]string
	// sizes holds each group's bytes, both versions together.
	sizes []int
	// oldLibrary and newLibrary are set when a version is certainly not read natively.
	oldLibrary, newLibrary bool
	// ignoreDocs are NEW's documents that mention the ignore keyword, the only ones
	// readIgnores reads.
	ignoreDocs []Document
}

// unionFind joins string keys into sets.
type unionFind map[string]string

func (u unionFind) find(x string) string {
	root := x
	for {
		p, ok := u[root]
		if !ok {
			u[root] = root
			return root
		}
		if p == root {
			break
		}
		root = p
	}
	for x != root {
		next := u[x]
		u[x] = root
		x = next
	}
	return root
}

func (u unionFind) union(a, b string) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		if ra < rb {
			u[rb] = ra
		} else {
			u[ra] = rb
		}
	}
}

// scanSide reads every schema file of a directory once, keeping only what grouping needs.
// ok is false when the directory must be compared as a whole (an unreadable or undecodable
// file, whose error the whole comparison reports, or a reference grouping cannot place).
func scanSide(src compat.Source, keepIgnores bool, into *dirGroups) (files []string, scanned []groupFile, library, ok bool) {
	files, err := src.Files(schemaExts...)
	if err != nil {
		return nil, nil, false, false
	}
	for _, f := range files {
		d, data, err := readDocument(src, f)
		if err != nil {
			return nil, nil, false, false
		}
		g, ok := scanDocument(f, d.Value)
		if !ok {
			return nil, nil, false, false
		}
		g.size = len(data)
		library = library || g.libraryOnly
		scanned = append(scanned, g)
		if keepIgnores && mentionsIgnore(d.Value) {
			into.ignoreDocs = append(into.ignoreDocs, d)
		}
	}
	return files, scanned, library || libraryOnly(), true
}

// scanDocument collects the union-find keys of one document.
func scanDocument(file string, v any) (groupFile, bool) {
	g := groupFile{path: file, keys: []string{"f:" + file, "b:" + path.Base(file)}}
	m, isObj := v.(map[string]any)
	if !isObj {
		g.libraryOnly = true
	} else if s, has := m["$schema"]; has {
		str, _ := s.(string)
		g.libraryOnly = strings.TrimSuffix(str, "#") != draft2020URL
	}
	if isObj {
		for _, k := range []string{"$id", "id"} {
			if id, ok := m[k].(string); ok && id != "" {
				key, ok := refKey(id)
				if !ok {
					// An $id without a last segment ("https://example.com/") is reached
					// only by references that cannot be placed either, which make the
					// directory one group; documents claiming it alike still meet.
					base, _, _ := strings.Cut(id, "#")
					key = "u:" + base
				}
				if key != "" {
					g.keys = append(g.keys, key)
				}
			}
		}
	}
	ok := true
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if !ok || depth > maxDecodeDepth {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			if _, has := x["$vocabulary"]; has {
				ok = false
				return
			}
			for _, k := range []string{"$ref", "$schema", "$recursiveRef", "$dynamicRef"} {
				s, isStr := x[k].(string)
				if !isStr || isDraftURL(s) {
					continue
				}
				key, good := refKey(s)
				if !good {
					ok = false
					return
				}
				if key != "" {
					g.keys = append(g.keys, key)
				}
			}
			for _, e := range x {
				walk(e, depth+1)
			}
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		}
	}
	walk(v, 0)
	return g, ok
}

// refKey returns the union-find key of a reference or $id: its last path segment, its
// whole text for a URL without a path (a URN), or "" for a reference within its own
// document. ok is false when the segment a resolution ends in cannot be told.
func refKey(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil {
		return "", false
	}
	if u.Opaque != "" {
		u.Fragment, u.RawFragment = "", ""
		return "o:" + u.String(), true
	}
	p := u.Path
	if p == "" {
		if u.Host != "" || u.RawQuery != "" || u.Scheme != "" {
			return "", false
		}
		return "", true
	}
	base := path.Base(p)
	if strings.HasSuffix(p, "/") || base == "." || base == ".." || base == "/" {
		return "", false
	}
	return "b:" + base, true
}

// isDraftURL reports whether the library serves u as a draft's metaschema without loading
// anything (as its findDraft does).
func isDraftURL(u string) bool {
	if strings.HasPrefix(u, "http://") {
		u = "https://" + strings.TrimPrefix(u, "http://")
	}
	if strings.HasSuffix(u, "#") || strings.HasSuffix(u, "#/") {
		u = u[:strings.IndexByte(u, '#')]
	}
	switch u {
	case "https://json-schema.org/schema", draft2020URL, draft2019URL,
		"https://json-schema.org/draft-07/schema", "https://json-schema.org/draft-06/schema", "https://json-schema.org/draft-04/schema":
		return true
	}
	return false
}

// groupDirs reads both directories once and splits their files into groups; ok is false
// when they must be compared as a whole.
func groupDirs(old, new compat.Source) (*dirGroups, bool) {
	g := &dirGroups{}
	// The two versions are read at the same time: reading is a tenth of the work.
	var (
		oldFiles []string
		oldScan  []groupFile
		oldLib   bool
		oldOK    bool
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		defer func() {
			if recover() != nil {
				oldOK = false // the whole comparison meets it again
			}
		}()
		oldFiles, oldScan, oldLib, oldOK = scanSide(old, false, nil)
	}()
	newFiles, newScan, newLib, ok := scanSide(new, true, g)
	<-done
	if !ok || !oldOK {
		return nil, false
	}
	g.oldFiles, g.newFiles, g.oldLibrary, g.newLibrary = oldFiles, newFiles, oldLib, newLib
	uf := unionFind{}
	for _, side := range [][]groupFile{oldScan, newScan} {
		for _, f := range side {
			for _, k := range f.keys[1:] {
				uf.union(f.keys[0], k)
			}
		}
	}
	members := map[string][]string{}
	size := map[string]int{}
	seen := map[string]bool{}
	for _, side := range [][]groupFile{oldScan, newScan} {
		for _, f := range side {
			r := uf.find("f:" + f.path)
			size[r] += f.size
			if !seen[f.path] {
				seen[f.path] = true
				members[r] = append(members[r], f.path)
			}
		}
	}
	type weighed struct {
		paths []string
		size  int
	}
	var groups []weighed
	for r, ps := range members {
		sort.Strings(ps)
		groups = append(groups, weighed{ps, size[r]})
	}
	// The largest groups go first (see compareGroups). The report does not depend on
	// the order.
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].size != groups[j].size {
			return groups[i].size > groups[j].size
		}
		return groups[i].paths[0] < groups[j].paths[0]
	})
	for _, w := range groups {
		g.groups = append(g.groups, w.paths)
		g.sizes = append(g.sizes, w.size)
	}
	return g, true
}

// readDocument reads and decodes one file, returning its bytes too. Its errors are not
// positioned: the whole comparison, which any error hands the answer to, positions them.
func readDocument(src compat.Source, f string) (Document, []byte, error) {
	data, err := src.ReadFile(f)
	if err != nil {
		return Document{}, nil, err
	}
	v, pos, err := decodeFile(f, data)
	if err != nil {
		return Document{}, nil, err
	}
	return Document{Path: f, Value: v, Pos: pos}, data, nil
}

// readGroup decodes the files of one group that a version has, in the version's order.
func readGroup(src compat.Source, files []string, in map[string]bool) ([]Document, []string, [][]byte, error) {
	var docs []Document
	var paths []string
	var contents [][]byte
	for _, f := range files {
		if !in[f] {
			continue
		}
		d, data, err := readDocument(src, f)
		if err != nil {
			return nil, nil, nil, err
		}
		docs = append(docs, d)
		paths = append(paths, f)
		contents = append(contents, data)
	}
	return docs, paths, contents, nil
}

// unchanged reports whether a group has the same files with the same contents in both
// versions.
func unchanged(oldFiles, newFiles []string, oldData, newData [][]byte) bool {
	return slices.Equal(oldFiles, newFiles) && slices.EqualFunc(oldData, newData, bytes.Equal)
}

// errWholeDirectory says that a group met an error, which the comparison of the whole
// directories reports as it always did.
type errWholeDirectory struct{}

func (errWholeDirectory) Error() string { return "compare the directories as a whole" }

// compareGrouped compares two directories group by group (see above). It returns
// errWholeDirectory when the whole comparison must decide the answer: on any error, so
// that an error reads exactly as it always did.
func compareGrouped(ctx context.Context, old, new compat.Source, opts Options) (*compat.Report, error) {
	g, ok := groupDirs(old, new)
	if !ok {
		return nil, errWholeDirectory{}
	}
	if !g.oldLibrary || !g.newLibrary {
		// A version may be read natively only if all of its documents can be, which
		// the first reading could not rule out: the whole comparison decides.
		return nil, errWholeDirectory{}
	}
	ignores, err := readIgnores(new, g.ignoreDocs, "")
	if err != nil {
		return nil, errWholeDirectory{}
	}
	g.ignoreDocs = nil
	inNew := make(map[string]bool, len(g.newFiles))
	for _, f := range g.newFiles {
		inNew[f] = true
	}
	inOld := make(map[string]bool, len(g.oldFiles))
	for _, f := range g.oldFiles {
		inOld[f] = true
	}
	perFile, err := compareGroups(ctx, old, new, opts, g, inOld, inNew)
	if err != nil {
		return nil, err
	}
	var findings []compat.Finding
	for _, f := range g.oldFiles {
		findings = append(findings, perFile[f]...)
	}
	for _, f := range g.newFiles {
		if !inOld[f] {
			findings = append(findings, perFile[f]...)
		}
	}
	return ignoredReport(findings, ignores), nil
}

// maxGroupWorkers bounds how many groups are compared at the same time: each holds its
// documents, compiled schemas and memo, so memory grows with the number of workers.
const maxGroupWorkers = 4

// heavyGroupBytes is the size (both versions) from which a group counts as heavy: its
// comparison may hold hundreds of megabytes (SchemaStore's vector.json, 2.4 MB, peaks at
// 440 MB on its own). A variable so that tests can make every group heavy.
var heavyGroupBytes = 1 << 20

// compareGroups compares every group and returns each file's findings. Groups share
// nothing, so they are compared on up to GOMAXPROCS goroutines (at most maxGroupWorkers);
// a witness hook, which need not be safe for concurrent use, makes them one.
//
// Groups are taken largest first, so that the workers finish together instead of one
// comparing the largest schema alone at the end. Heavy groups are compared one at a time,
// all by the first worker, while the others take the light ones: two heavy groups at
// once add their peaks (SchemaStore: 0.93–0.97 GB of peak RSS instead of 0.80–0.83).
func compareGroups(ctx context.Context, old, new compat.Source, opts Options, g *dirGroups, inOld, inNew map[string]bool) (map[string][]compat.Finding, error) {
	perFile := make(map[string][]compat.Finding, len(g.oldFiles)+len(g.newFiles))
	workers := min(runtime.GOMAXPROCS(0), maxGroupWorkers, len(g.groups))
	if opts.OnWitness != nil {
		workers = 1
	}
	var heavy, light []int
	for i, size := range g.sizes {
		if size >= heavyGroupBytes {
			heavy = append(heavy, i)
		} else {
			light = append(light, i)
		}
	}
	var mu sync.Mutex
	next := func(worker int) (group []string, isHeavy, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		if worker == 0 && len(heavy) > 0 {
			i := heavy[0]
			heavy = heavy[1:]
			return g.groups[i], true, true
		}
		if len(light) > 0 {
			i := light[0]
			light = light[1:]
			return g.groups[i], false, true
		}
		return nil, false, false
	}
	eg, gctx := errgroup.WithContext(ctx)
	for w := range workers {
		eg.Go(func() (err error) {
			defer func() {
				// Compare's recover does not reach this goroutine: the whole
				// comparison meets the same panic and reports it as always.
				if r := recover(); r != nil {
					err = errWholeDirectory{}
				}
			}()
			for {
				group, isHeavy, ok := next(w)
				if !ok || gctx.Err() != nil {
					return nil // a group failed or the caller gave up: Wait says which
				}
				fs, err := compareGroup(gctx, old, new, opts, g, group, inOld, inNew)
				if err != nil {
					return err
				}
				if isHeavy {
					// What the heavy group held is garbage now, but the collector's
					// goal still follows its peak: the next heavy group would grow the
					// heap to that goal before the next collection (SchemaStore: peak
					// RSS 0.77–1.13 GB over runs without this, 0.76–0.87 GB with it).
					runtime.GC()
				}
				mu.Lock()
				for f, x := range fs {
					perFile[f] = x
				}
				mu.Unlock()
			}
		})
	}
	if err := eg.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The first error is a group's (errWholeDirectory); the others may be the
		// cancellation it caused.
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return perFile, nil
}

// compareGroup compares the files of one group and returns each file's findings.
func compareGroup(ctx context.Context, old, new compat.Source, opts Options, g *dirGroups, group []string, inOld, inNew map[string]bool) (map[string][]compat.Finding, error) {
	perFile := make(map[string][]compat.Finding, len(group))
	in := make(map[string]bool, len(group))
	for _, f := range group {
		in[f] = true
	}
	oldDocs, oldFiles, oldData, err := readGroup(old, g.oldFiles, in)
	if err != nil {
		return nil, errWholeDirectory{}
	}
	newDocs, newFiles, newData, err := readGroup(new, g.newFiles, in)
	if err != nil {
		return nil, errWholeDirectory{}
	}
	os, err := newSchemasLibrary(oldDocs, SchemasOptions{Refs: opts.Refs}, old.Errorf, g.oldLibrary)
	if err != nil {
		return nil, errWholeDirectory{}
	}
	ns, err := newSchemasLibrary(newDocs, SchemasOptions{Refs: opts.Refs}, new.Errorf, g.newLibrary)
	if err != nil {
		return nil, errWholeDirectory{}
	}
	os.tree, ns.tree = old.Name, new.Name
	for _, f := range oldFiles {
		if _, err := os.schemaAt(f + "#"); err != nil {
			return nil, errWholeDirectory{}
		}
	}
	if unchanged(oldFiles, newFiles, oldData, newData) && g.oldLibrary == g.newLibrary {
		// Both versions hand the library the same documents under the same URLs, so
		// NEW takes OLD's compiler: each document is checked against its metaschema
		// and compiled once (a third of the library's work on SchemaStore, most of
		// whose files do not change in a year). Each version still builds its own
		// nodes. Every file is compiled by now, so nothing compiles while the two
		// versions are compared, when the compiler would be shared between them.
		ns.compiler, ns.exact, ns.draft7 = os.compiler, os.exact, os.draft7
	}
	oldData, newData = nil, nil
	for _, f := range newFiles {
		if _, err := ns.schemaAt(f + "#"); err != nil {
			return nil, errWholeDirectory{}
		}
	}
	cmp := NewComparison(os, ns, CompareOptions{Model: opts.Model, Budget: opts.Budget, OnWitness: opts.OnWitness})
	for _, f := range oldFiles {
		if !inNew[f] {
			perFile[f] = []compat.Finding{fileRemoved(os, f)}
			continue
		}
		fs, err := cmp.Compare(ctx, f+"#", f+"#")
		if err != nil {
			if ctx.Err() != nil {
				return nil, err
			}
			return nil, errWholeDirectory{}
		}
		perFile[f] = fs
	}
	for _, f := range newFiles {
		if !inOld[f] {
			perFile[f] = []compat.Finding{fileAdded(ns, f)}
		}
	}
	return perFile, nil
}
