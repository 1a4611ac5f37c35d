package sqlmigrate

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/compatcheck/compatcheck/compat"
	"golang.org/x/tools/txtar"
)

// fuzzLayouts is how many tree shapes FuzzCompare puts the two texts in.
const fuzzLayouts = 7

// fuzzTrees puts a released migration (oldText) and a new one (newText) in the tree shape
// of one layout: flat files named name, diesel, Prisma, Supabase, Atlas (with a correct
// atlas.sum) and sqitch directories, and a one-file log.
func fuzzTrees(layout uint8, name, oldText, newText string) (old, new compat.Source) {
	oldFS, newFS := fstest.MapFS{}, fstest.MapFS{}
	both := func(p, text string) {
		oldFS[p] = &fstest.MapFile{Data: []byte(text)}
		newFS[p] = &fstest.MapFile{Data: []byte(text)}
	}
	added := func(p, text string) { newFS[p] = &fstest.MapFile{Data: []byte(text)} }
	switch layout % fuzzLayouts {
	case 0:
		both(name, oldText)
		added("9"+name, newText)
	case 1:
		both("2019-02-26-002946_a/up.sql", oldText)
		added("2026-06-02-122008-0000_b/up.sql", newText)
		added("2026-06-02-122008-0000_b/metadata.toml", "run_in_transaction = false\n")
	case 2:
		both("migration_lock.toml", "provider = \"postgresql\"\n")
		both("20240101000000_a/migration.sql", oldText)
		added("20240201000000_b/migration.sql", newText)
	case 3:
		both("supabase/migrations/20240101000000_a.sql", oldText)
		added("supabase/migrations/20240201000000_b.sql", newText)
		added("supabase/seed.sql", newText)
	case 4:
		both("20240101000000_a.sql", oldText)
		added("20240201000000_b.sql", newText)
		oldFS[atlasSum] = &fstest.MapFile{Data: []byte(atlasSumOf(map[string]string{"20240101000000_a.sql": oldText}))}
		newFS[atlasSum] = &fstest.MapFile{Data: []byte(atlasSumOf(map[string]string{"20240101000000_a.sql": oldText, "20240201000000_b.sql": newText}))}
	case 5:
		oldFS[sqitchPlan] = &fstest.MapFile{Data: []byte("%project=p\na 2024-01-01T00:00:00Z M <m@x>\n")}
		newFS[sqitchPlan] = &fstest.MapFile{Data: []byte("%project=p\na 2024-01-01T00:00:00Z M <m@x>\n@v1 2024-01-02T00:00:00Z M <m@x>\na [a@v1] 2024-01-03T00:00:00Z M <m@x>\n")}
		oldFS["deploy/a.sql"] = &fstest.MapFile{Data: []byte(oldText)}
		newFS["deploy/a@v1.sql"] = &fstest.MapFile{Data: []byte(oldText)}
		newFS["deploy/a.sql"] = &fstest.MapFile{Data: []byte(newText)}
	default:
		return compat.Source{FS: fstest.MapFS{"schema.sql": {Data: []byte(oldText)}}, File: "schema.sql", Name: "old"},
			compat.Source{FS: fstest.MapFS{"schema.sql": {Data: []byte(oldText + "\n" + newText)}}, File: "schema.sql", Name: "new"}
	}
	return compat.Source{FS: oldFS, Name: "old"}, compat.Source{FS: newFS, Name: "new"}
}

// atlasSumOf writes the atlas.sum of files, as atlas migrate hash does.
func atlasSumOf(files map[string]string) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	running := sha256.New()
	var lines []string
	total := sha256.New()
	for _, n := range names {
		running.Write([]byte(n))
		if first, _, _ := strings.Cut(files[n], "\n"); strings.Contains(first, "atlas:sum ignore") {
			continue
		}
		running.Write([]byte(files[n]))
		h := base64.StdEncoding.EncodeToString(running.Sum(nil))
		lines = append(lines, n+" h1:"+h+"\n")
		total.Write([]byte(n))
		total.Write([]byte(h))
	}
	return "h1:" + base64.StdEncoding.EncodeToString(total.Sum(nil)) + "\n" + strings.Join(lines, "")
}

// FuzzCompare feeds arbitrary migration text through layout detection, splitting,
// parsing (SQL and the PL/pgSQL of DO blocks), history comparison and catalog replay, in
// every layout's tree shape. The parsers are C (libpg_query); the target exercises our
// code around them: annotations, plans, checksums, offsets, positions, DO block
// evaluation, replay of any statement sequence. Any input must give a report or a
// *compat.Error, never a panic.
func FuzzCompare(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for i, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var old, new strings.Builder
		name := ""
		for _, af := range ar.Files {
			if !strings.HasSuffix(af.Name, ".sql") {
				continue
			}
			if rest, ok := strings.CutPrefix(af.Name, "old/"); ok && name == "" {
				name = filepath.Base(rest)
				old.Write(af.Data)
			} else if strings.HasPrefix(af.Name, "new/") && !strings.HasSuffix(af.Name, ".down.sql") {
				new.Write(af.Data)
			}
		}
		f.Add(name, old.String(), new.String(), uint8(16), uint8(i%fuzzLayouts))
	}
	f.Fuzz(func(t *testing.T, name, oldText, newText string, pg, layout uint8) {
		if name == "" || strings.ContainsAny(name, "/\\") || !strings.HasSuffix(name, ".sql") {
			name = "0001_a.up.sql"
		}
		opts := Options{PGVersion: MinPGVersion + int(pg)%(MaxPGVersion-MinPGVersion+1)}
		old, new := fuzzTrees(layout, name, oldText, newText)
		r, err := Compare(context.Background(), old, new, opts)
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
	})
}

// TestFuzzTreesLoad checks that every tree shape of the fuzz target is read as the
// layout it stands for, so the fuzzer does reach each layout's code.
func TestFuzzTreesLoad(t *testing.T) {
	want := []Layout{LayoutGolangMigrate, LayoutDiesel, LayoutPrisma, LayoutSupabase, LayoutAtlas, LayoutSqitch, LayoutSingleFile}
	for i, layout := range want {
		_, new := fuzzTrees(uint8(i), "0001_a.up.sql", "CREATE TABLE t (id int);\n", "ALTER TABLE t ADD COLUMN x int;\n")
		got, _, err := loadMigrations(new)
		if err != nil {
			t.Fatalf("shape %d: %v", i, err)
		}
		if got != layout {
			t.Errorf("shape %d is read as %s, want %s", i, got, layout)
		}
	}
}
