package jsonschema

import (
	"context"
	"errors"
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleFileAdded = compat.Register(compat.Rule{
	ID: "SCHEMA_FILE_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A schema file was added",
	Backward: true, Forward: false,
	Why: "B holds: no old writer produced documents of a schema that did not exist. F fails: new writers may produce such documents " +
		"and old readers accept none of them, just as old servers cannot serve a newly added operation.",
	New:  "new/invoice.json: {\"type\": \"object\"}",
	Safe: "Read before write: release every reader that handles the new documents first, then writers that produce them.",
})

var ruleFileRemoved = compat.Register(compat.Rule{
	ID: "SCHEMA_FILE_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A schema file was removed",
	Backward: false, Forward: true,
	Why:  "B fails: old writers still produce documents of the removed schema and no new reader accepts them. F holds: new writers produce nothing for it.",
	Old:  "old/invoice.json: {\"type\": \"object\"}",
	Safe: "Expand–contract: stop every writer from producing the documents first, wait until none remain, then remove the schema.",
})

// schemaExts are the file name endings read as schemas in a directory.
var schemaExts = []string{".json", ".yaml", ".yml"}

// readSide decodes every schema file of a source into documents.
func readSide(src compat.Source) ([]Document, []string, error) {
	files, err := src.Files(schemaExts...)
	if err != nil {
		return nil, nil, err
	}
	if !src.IsDir() && len(files) == 0 {
		files = []string{src.File}
	}
	docs := make([]Document, 0, len(files))
	for _, f := range files {
		data, err := src.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		v, pos, err := decodeFile(f, data)
		if err != nil {
			if pe, ok := err.(*posError); ok {
				return nil, nil, src.Errorf(f, pe.line, pe.col, "%s", pe.msg)
			}
			return nil, nil, src.Errorf(f, 0, 0, "%v", err)
		}
		docs = append(docs, Document{Path: f, Value: v, Pos: pos})
	}
	return docs, files, nil
}

// Compare compares two versions of a JSON Schema contract: two schema files, or two
// directories whose schemas are paired by relative path. Every finding answers B and F
// for one change under opts.Model; a schema that cannot be read or compiled is a
// positioned *compat.Error.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (rep *compat.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("jsonschema: internal error (please report): %v", r)
		}
	}()
	if old.IsDir() && new.IsDir() {
		var whole errWholeDirectory
		if rep, err := compareGrouped(ctx, old, new, opts); !errors.As(err, &whole) {
			return rep, err
		}
	}
	return compareWhole(ctx, old, new, opts)
}

// compareWhole compares two versions with every document of each read at once.
func compareWhole(ctx context.Context, old, new compat.Source, opts Options) (*compat.Report, error) {
	oldDocs, oldFiles, err := readSide(old)
	if err != nil {
		return nil, err
	}
	newDocs, newFiles, err := readSide(new)
	if err != nil {
		return nil, err
	}
	os, err := newSchemas(oldDocs, SchemasOptions{Refs: opts.Refs}, old.Errorf)
	if err != nil {
		return nil, err
	}
	ns, err := newSchemas(newDocs, SchemasOptions{Refs: opts.Refs}, new.Errorf)
	if err != nil {
		return nil, err
	}
	os.tree, ns.tree = old.Name, new.Name
	// Every schema must compile, paired or not, so that bad input is reported.
	for _, f := range oldFiles {
		if _, err := os.schemaAt(f + "#"); err != nil {
			return nil, err
		}
	}
	for _, f := range newFiles {
		if _, err := ns.schemaAt(f + "#"); err != nil {
			return nil, err
		}
	}
	// Inline ignores are read from NEW once its schemas are known to be valid, so that a
	// broken schema is reported as before; a directive in OLD belongs to an earlier change.
	single := !old.IsDir() && !new.IsDir()
	oldFile := ""
	if single {
		oldFile = oldFiles[0]
	}
	ignores, err := readIgnores(new, newDocs, oldFile)
	if err != nil {
		return nil, err
	}
	cmp := NewComparison(os, ns, CompareOptions{Model: opts.Model, Budget: opts.Budget, OnWitness: opts.OnWitness})
	var findings []compat.Finding
	if single {
		fs, err := cmp.Compare(ctx, oldFiles[0]+"#", newFiles[0]+"#")
		if err != nil {
			return nil, err
		}
		return ignoredReport(fs, ignores), nil
	}
	inNew := map[string]bool{}
	for _, f := range newFiles {
		inNew[f] = true
	}
	inOld := map[string]bool{}
	for _, f := range oldFiles {
		inOld[f] = true
		if !inNew[f] {
			x := fileRemoved(os, f)
			findings = append(findings, x)
			continue
		}
		fs, err := cmp.Compare(ctx, f+"#", f+"#")
		if err != nil {
			return nil, err
		}
		findings = append(findings, fs...)
	}
	for _, f := range newFiles {
		if !inOld[f] {
			x := fileAdded(ns, f)
			findings = append(findings, x)
		}
	}
	return ignoredReport(findings, ignores), nil
}

// fileRemoved is the finding of schema file f, which OLD (os) has and NEW lacks.
func fileRemoved(os *Schemas, f string) compat.Finding {
	x := ruleFileRemoved.Findingf(f+"#", "schema file %s removed", f)
	x.Old = os.pos(f, "")
	x.Advice = advice(x)
	return x
}

// fileAdded is the finding of schema file f, which NEW (ns) has and OLD lacks.
func fileAdded(ns *Schemas, f string) compat.Finding {
	x := ruleFileAdded.Findingf(f+"#", "schema file %s added", f)
	x.New = ns.pos(f, "")
	x.Advice = advice(x)
	return x
}

// ignoredReport returns the report of the findings with the inline ignores applied and
// the ignores that covered nothing listed, in position order.
func ignoredReport(findings []compat.Finding, ignores []*ignore) *compat.Report {
	r := compat.NewReport(findings)
	if r.Unused = suppressIgnored(r.Findings, ignores); len(r.Unused) > 1 {
		r.Sort()
	}
	return r
}
