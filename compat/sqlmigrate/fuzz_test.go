package sqlmigrate

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/tools/txtar"
)

// FuzzCompare feeds arbitrary migration text through layout detection, splitting,
// parsing, history comparison and catalog replay. The parser is C (libpg_query); the
// target exercises our code around it: annotations, offsets, positions, replay of any
// statement sequence. Any input must give a report or a *compat.Error, never a panic.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var old, new strings.Builder
		name := ""
		for _, af := range ar.Files {
			if rest, ok := strings.CutPrefix(af.Name, "old/"); ok && name == "" {
				name = rest
				old.Write(af.Data)
			} else if strings.HasPrefix(af.Name, "new/") && !strings.HasSuffix(af.Name, ".down.sql") {
				new.Write(af.Data)
			}
		}
		f.Add(name, old.String(), new.String(), uint8(16))
	}
	f.Fuzz(func(t *testing.T, name, oldText, newText string, pg uint8) {
		if name == "" || strings.ContainsAny(name, "/\\") || !strings.HasSuffix(name, ".sql") {
			name = "0001_a.up.sql"
		}
		opts := Options{PGVersion: 11 + int(pg%7)}
		// Directory form: the old text as the released migration, the new text as the
		// next one. One-file form: the new text as the grown log.
		nextName := "9" + name
		oldFS := fstest.MapFS{name: {Data: []byte(oldText)}}
		newFS := fstest.MapFS{name: {Data: []byte(oldText)}, nextName: {Data: []byte(newText)}}
		check := func(r *compat.Report, err error) {
			if err != nil {
				var ce *compat.Error
				if !errors.As(err, &ce) && !errors.Is(err, context.Canceled) {
					t.Fatalf("error is not a *compat.Error: %T %v", err, err)
				}
				if strings.Contains(err.Error(), "internal error") {
					t.Fatalf("internal error: %v", err)
				}
				return
			}
			if r == nil {
				t.Fatal("nil report without error")
			}
		}
		check(Compare(context.Background(), compat.Source{FS: oldFS, Name: "old"}, compat.Source{FS: newFS, Name: "new"}, opts))
		check(Compare(context.Background(),
			compat.Source{FS: fstest.MapFS{"schema.sql": {Data: []byte(oldText)}}, File: "schema.sql", Name: "old"},
			compat.Source{FS: fstest.MapFS{"schema.sql": {Data: []byte(oldText + "\n" + newText)}}, File: "schema.sql", Name: "new"}, opts))
	})
}
