package sqlmigrate

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// Layout names a convention for storing migrations on disk. Each layout decides how files
// are ordered, which part of a file is the forward ("up") migration and whether the runner
// wraps it in a transaction.
type Layout string

// The layouts Compare detects.
const (
	// LayoutGolangMigrate is github.com/golang-migrate/migrate: N_name.up.sql beside
	// N_name.down.sql. The runner sends a file as one multi-statement query, which
	// PostgreSQL runs as one implicit transaction when it holds more than one statement.
	LayoutGolangMigrate Layout = "golang-migrate"
	// LayoutGoose is github.com/pressly/goose: N_name.sql split by "-- +goose Up" and
	// "-- +goose Down"; wrapped in a transaction unless "-- +goose NO TRANSACTION".
	LayoutGoose Layout = "goose"
	// LayoutFlyway is Flyway: V<version>__name.sql (version segments separated by "." or
	// "_", ordered numerically) and repeatable R__name.sql run after them; each migration
	// runs in a transaction unless all its statements cannot.
	LayoutFlyway Layout = "flyway"
	// LayoutDbmate is github.com/amacneil/dbmate: N_name.sql split by "-- migrate:up" and
	// "-- migrate:down"; wrapped in a transaction unless "transaction:false".
	LayoutDbmate Layout = "dbmate"
	// LayoutDirectory is one directory per migration, <N>_name/up.sql (Hasura; a down.sql
	// beside it is ignored), ordered by the number N, each run in a transaction.
	LayoutDirectory Layout = "directory"
	// LayoutDiesel is diesel's <version>_name/up.sql beside down.sql: the version is the
	// name up to the first underscore with dashes removed (2019-02-26-002946 reads
	// 20190226002946), compared as a string; each migration runs in a transaction unless
	// its metadata.toml says run_in_transaction = false.
	LayoutDiesel Layout = "diesel"
	// LayoutPrisma is Prisma Migrate's <timestamp>_name/migration.sql, with
	// migration_lock.toml at the root, ordered by directory name. Prisma sends a file as
	// one multi-statement query, like golang-migrate.
	LayoutPrisma Layout = "prisma"
	// LayoutSupabase is the Supabase CLI's supabase/migrations/<timestamp>_name.sql, each
	// file run in a transaction, except the statements the CLI runs on their own because
	// PostgreSQL refuses them in one (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY,
	// VACUUM, ALTER SYSTEM, CLUSTER).
	LayoutSupabase Layout = "supabase"
	// LayoutAtlas is Atlas's versioned directory: <version>_name.sql beside atlas.sum,
	// ordered by file name, each file in a transaction unless "-- atlas:txmode none".
	// atlas.sum is verified as atlas migrate apply verifies it.
	LayoutAtlas Layout = "atlas"
	// LayoutSqitch is a sqitch project: sqitch.plan lists the changes in deploy order and
	// deploy/<change>.sql holds each one (revert/ and verify/ are not read); scripts run
	// through psql statement by statement, so only their own BEGIN opens a transaction.
	LayoutSqitch Layout = "sqitch"
	// LayoutNumbered is plain numbered files, 001_name.sql, applied in numeric order one
	// statement at a time (as psql -f does), so only explicit BEGIN opens a transaction.
	LayoutNumbered Layout = "numbered"
	// LayoutSingleFile is a one-file Source: the file is a migration log whose NEW version
	// must begin with every statement of its OLD version; the statements after them are
	// the change set. Goose and dbmate sections inside it are honoured.
	LayoutSingleFile Layout = "single-file"
)

var (
	reGolangMigrate = regexp.MustCompile(`^([0-9]+)_(.*)\.(up|down)\.sql$`)
	reFlyway        = regexp.MustCompile(`^([VUR])([0-9]+(?:[._][0-9]+)*)?__(.*)\.sql$`)
	reNumbered      = regexp.MustCompile(`^([0-9]+)(?:[_.-](.*))?\.sql$`)
	reDirectory     = regexp.MustCompile(`^[0-9][0-9-]*(?:_.*)?$`)
	reSupabase      = regexp.MustCompile(`^([0-9]+)_(.*)\.sql$`)
	reGooseMark     = regexp.MustCompile(`(?im)^[ \t]*--[ \t]*\+goose[ \t]+up\b`)
	reDbmateMark    = regexp.MustCompile(`(?im)^[ \t]*--[ \t]*migrate:up\b`)
	reGooseLine     = regexp.MustCompile(`(?i)^[ \t]*--[ \t]*\+goose[ \t]+(.*?)[ \t]*$`)
	reDbmateLine    = regexp.MustCompile(`(?i)^[ \t]*--[ \t]*migrate:(up|down)\b(.*)$`)
)

// maxVersionDigits bounds a version segment so it fits in a uint64.
const maxVersionDigits = 19

// Files that mark a layout.
const (
	prismaLock     = "migration_lock.toml"
	dieselSetup    = "00000000000000_diesel_initial_setup"
	dieselMetadata = "metadata.toml"
	atlasSum       = "atlas.sum"
	sqitchPlan     = "sqitch.plan"
)

// loadMigrations reads, splits and checks every migration of src. Parsing is left to
// the caller, which parses only the migrations the comparison needs (see relevance.go).
func loadMigrations(src compat.Source) (Layout, []*migration, error) {
	all, err := src.Files(".sql", ".toml", ".sum", ".plan")
	if err != nil {
		return "", nil, err
	}
	var files []string
	present := map[string]bool{}
	for _, f := range all {
		present[f] = true
		if strings.HasSuffix(f, ".sql") {
			files = append(files, f)
		}
	}
	if !src.IsDir() {
		if len(files) == 0 {
			return "", nil, src.Errorf(src.File, 0, 0, "not a .sql file")
		}
		m, err := readMigration(src, LayoutSingleFile, files[0])
		if err != nil {
			return "", nil, err
		}
		return LayoutSingleFile, []*migration{m}, nil
	}
	switch {
	case present[sqitchPlan]:
		return loadSqitch(src, present)
	case present[atlasSum]:
		return loadAtlas(src, files)
	}
	if len(files) == 0 {
		// An empty directory is the baseline of a project's first migration.
		return "", nil, nil
	}
	layout := LayoutNumbered
	if sub, ok := supabaseFiles(src, files); ok {
		layout, files = LayoutSupabase, sub
	} else {
		layout = detectLayout(files, present, func(f string) string {
			raw, _ := src.ReadFile(f)
			return string(raw)
		})
	}
	var out []*migration
	for _, f := range files {
		m, err := readMigration(src, layout, f)
		if err != nil {
			return "", nil, err
		}
		if m == nil {
			continue
		}
		if layout == LayoutDiesel {
			if err := readDieselMetadata(src, m, present); err != nil {
				return "", nil, err
			}
		}
		out = append(out, m)
	}
	if err := checkVersions(src, out); err != nil {
		return "", nil, err
	}
	sortMigrations(out)
	return layout, out, nil
}

// readMigration reads one file and splits it into the migration its runner applies; it
// returns nil for files the layout ignores (down files, undo migrations).
func readMigration(src compat.Source, layout Layout, f string) (*migration, error) {
	raw, err := readText(src, f)
	if err != nil {
		return nil, err
	}
	m, skip, err := splitMigration(src, layout, f, raw)
	if err != nil || skip {
		return nil, err
	}
	return m, nil
}

// readText reads a file that must be UTF-8 text.
func readText(src compat.Source, f string) (string, error) {
	data, err := src.ReadFile(f)
	if err != nil {
		return "", err
	}
	if off := invalidUTF8(data); off >= 0 {
		line, col := newLineIndex(string(data)).position(off)
		return "", src.Errorf(f, line, col, "not a UTF-8 text file (binary or wrongly encoded)")
	}
	return string(data), nil
}

// checkVersions refuses two versioned migrations with one version.
func checkVersions(src compat.Source, ms []*migration) error {
	seen := map[string]string{}
	for _, m := range ms {
		if m.repeatable {
			continue
		}
		key := m.versionLabel()
		if other, dup := seen[key]; dup {
			return src.Errorf(m.file, 1, 1, "duplicate migration version %s (also %s)", key, other)
		}
		seen[key] = m.file
	}
	return nil
}

// supabaseDir is where the Supabase CLI keeps migrations in a project.
const supabaseDir = "supabase/migrations"

// supabaseFiles returns the migrations of a Supabase project: the .sql files directly in
// supabase/migrations/ when the tree is a project root, or every file when the tree is
// that directory itself (its name ends in supabase/migrations). Other .sql files of a
// project (supabase/seed.sql, tests) are not migrations and are not read.
func supabaseFiles(src compat.Source, files []string) ([]string, bool) {
	var sub []string
	for _, f := range files {
		if path.Dir(f) == supabaseDir {
			sub = append(sub, f)
		}
	}
	if len(sub) > 0 {
		return sub, true
	}
	name := strings.TrimSuffix(path.Clean("/"+src.Name), "/")
	if strings.HasSuffix(name, "/"+supabaseDir) {
		return files, true
	}
	return nil, false
}

// detectLayout decides a directory's layout from its file names, and between goose,
// dbmate and plain numbered files from their annotations (read reads a file). The first
// distinctive file decides; files that do not follow the decided layout are reported by
// splitMigration.
func detectLayout(files []string, present map[string]bool, read func(string) string) Layout {
	for _, f := range files {
		if reGolangMigrate.MatchString(path.Base(f)) {
			return LayoutGolangMigrate
		}
	}
	for _, f := range files {
		if reFlyway.MatchString(path.Base(f)) {
			return LayoutFlyway
		}
	}
	if present[prismaLock] {
		return LayoutPrisma
	}
	directory := false
	for _, f := range files {
		if path.Dir(f) == "." || !isDirectoryMigration(f) {
			continue
		}
		if path.Base(f) == "migration.sql" {
			return LayoutPrisma
		}
		directory = true
		dir := path.Dir(f)
		if v, _, _ := strings.Cut(dir, "_"); strings.Contains(v, "-") || dir == dieselSetup || present[path.Join(dir, dieselMetadata)] {
			return LayoutDiesel
		}
	}
	if directory {
		return LayoutDirectory
	}
	for _, f := range files {
		raw := read(f)
		if reGooseMark.MatchString(raw) {
			return LayoutGoose
		}
		if reDbmateMark.MatchString(raw) {
			return LayoutDbmate
		}
	}
	return LayoutNumbered
}

func isDirectoryMigration(f string) bool {
	base := path.Base(f)
	return (base == "up.sql" || base == "down.sql" || base == "migration.sql") &&
		reDirectory.MatchString(path.Base(path.Dir(f)))
}

// parseVersion reads a version such as "20240101120000" or "1.10_2" into segments.
func parseVersion(src compat.Source, file, s string) ([]uint64, error) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '_' })
	v := make([]uint64, 0, len(parts))
	for _, p := range parts {
		if len(p) > maxVersionDigits {
			return nil, src.Errorf(file, 1, 1, "migration version %s is too long", s)
		}
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return nil, src.Errorf(file, 1, 1, "migration version %s is not a number", s)
		}
		v = append(v, n)
	}
	return v, nil
}

// textVersion orders a version the way runners that compare version strings do (diesel,
// Prisma, Supabase, Atlas): byte by byte, a prefix first. Each byte is one segment.
func textVersion(s string) []uint64 {
	v := make([]uint64, len(s))
	for i := 0; i < len(s); i++ {
		v[i] = uint64(s[i])
	}
	return v
}

// splitMigration builds the migration of one file: its version from the name and its up
// text from the layout's sections. skip is set for files the layout ignores (down files).
func splitMigration(src compat.Source, layout Layout, file, raw string) (m *migration, skip bool, err error) {
	base := path.Base(file)
	m = &migration{src: src, file: file, id: file, raw: raw, text: raw, lines: newLineIndex(raw)}
	layoutErr := func(want string) error {
		return src.Errorf(file, 1, 1, "file does not follow the %s layout of this directory (want %s)", layout, want)
	}
	switch layout {
	case LayoutGolangMigrate:
		g := reGolangMigrate.FindStringSubmatch(base)
		if g == nil || path.Dir(file) != "." {
			return nil, false, layoutErr("N_name.up.sql and N_name.down.sql at the top level")
		}
		if g[3] == "down" {
			return nil, true, nil
		}
		if m.version, err = parseVersion(src, file, g[1]); err != nil {
			return nil, false, err
		}
		m.name = g[2]
		// inTx is decided after parsing: one statement runs alone, several run as one
		// implicit transaction of the simple query protocol.
		m.inTx, m.tx = true, txImplicitMulti
		m.txNote = "golang-migrate sends the file as one multi-statement query, an implicit transaction"
	case LayoutFlyway:
		g := reFlyway.FindStringSubmatch(base)
		if g == nil {
			return nil, false, layoutErr("V<version>__name.sql or R__name.sql")
		}
		switch {
		case g[1] == "U":
			return nil, true, nil // undo migrations never run forward
		case g[1] == "R" && g[2] == "":
			m.repeatable = true
		case g[1] == "V" && g[2] != "":
			if m.version, err = parseVersion(src, file, g[2]); err != nil {
				return nil, false, err
			}
		default:
			return nil, false, layoutErr("V<version>__name.sql or R__name.sql")
		}
		m.name = g[3]
		m.inTx, m.tx = true, txFlyway
		m.txNote = "Flyway runs each migration in a transaction"
	case LayoutDirectory, LayoutDiesel, LayoutPrisma:
		want := map[Layout]string{
			LayoutDirectory: "<N>_name/up.sql",
			LayoutDiesel:    "<version>_name/up.sql, where version is a timestamp such as 2019-02-26-002946",
			LayoutPrisma:    "<timestamp>_name/migration.sql",
		}[layout]
		upFile := map[Layout]string{LayoutDirectory: "up.sql", LayoutDiesel: "up.sql", LayoutPrisma: "migration.sql"}[layout]
		dir := path.Dir(file)
		if dir == "." || strings.Contains(dir, "/") || (base != upFile && !(base == "down.sql" && layout != LayoutPrisma)) {
			return nil, false, layoutErr(want)
		}
		if base == "down.sql" {
			return nil, true, nil
		}
		version, name, _ := strings.Cut(dir, "_")
		m.name = name
		switch layout {
		case LayoutDirectory:
			if m.version, err = parseVersion(src, file, version); err != nil {
				return nil, false, err
			}
			m.inTx = true
			m.txNote = "directory migrations run in a transaction"
		case LayoutDiesel:
			// diesel's version is the name up to the first underscore with its dashes
			// removed, compared as a string.
			version = strings.ReplaceAll(version, "-", "")
			if version == "" || strings.Trim(version, "0123456789") != "" {
				return nil, false, layoutErr(want)
			}
			m.version, m.label = textVersion(version), version
			m.inTx = true
			m.txNote = "diesel runs each migration in a transaction"
		case LayoutPrisma:
			if version == "" || strings.Trim(version, "0123456789") != "" {
				return nil, false, layoutErr(want)
			}
			m.version, m.label = textVersion(version), version
			m.inTx, m.tx = true, txImplicitMulti
			m.txNote = "Prisma sends migration.sql as one multi-statement query, an implicit transaction"
		}
	case LayoutSupabase:
		g := reSupabase.FindStringSubmatch(base)
		if g == nil {
			return nil, false, layoutErr("<timestamp>_name.sql in " + supabaseDir)
		}
		m.version, m.label, m.name = textVersion(g[1]), g[1], g[2]
		m.inTx, m.tx = true, txSupabase
		m.txNote = "the Supabase CLI runs each migration file in a transaction"
	case LayoutGoose, LayoutDbmate, LayoutNumbered:
		g := reNumbered.FindStringSubmatch(base)
		if g == nil || path.Dir(file) != "." {
			return nil, false, layoutErr("N_name.sql at the top level")
		}
		if m.version, err = parseVersion(src, file, g[1]); err != nil {
			return nil, false, err
		}
		m.name = g[2]
		switch layout {
		case LayoutGoose:
			err = splitGoose(src, m)
		case LayoutDbmate:
			err = splitDbmate(src, m)
		default:
			m.txNote = "plain numbered files run statement by statement"
		}
		if err != nil {
			return nil, false, err
		}
	case LayoutSingleFile:
		m.version = []uint64{0}
		m.name = base
		m.txNote = "a single file runs statement by statement"
		switch {
		case reGooseMark.MatchString(raw):
			err = splitGoose(src, m)
		case reDbmateMark.MatchString(raw):
			err = splitDbmate(src, m)
		}
		if err != nil {
			return nil, false, err
		}
	}
	return m, false, nil
}

// blanker builds the up text of an annotated file by keeping the lines of up sections
// and blanking the others byte for byte, so offsets still point into the file.
type blanker struct {
	b []byte
}

func (bl *blanker) blank(from, to int) {
	for i := from; i < to; i++ {
		if bl.b[i] != '\n' {
			bl.b[i] = ' '
		}
	}
}

// eachLine calls fn with the start and end offsets of every line of s.
func eachLine(s string, fn func(start, end int)) {
	start := 0
	for start <= len(s) {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			fn(start, len(s))
			return
		}
		fn(start, start+end)
		start += end + 1
	}
}

// section is what an annotation line says about the lines after it.
type section int

const (
	sameSection section = iota // the annotation does not change the section
	upSection                  // the lines after it are the up migration
	downSection                // the lines after it are the down migration
)

// keepUpSection keeps only the up section of a migration whose sections are marked by
// annotation lines (goose, dbmate): annotation lines and everything outside the up section
// are blanked, so byte offsets, and with them positions, stay those of the file. annotate
// reads one annotation (the submatches of re) at byte offset start; the first error it
// returns is reported. missing is the error when the file has no up section at all.
func keepUpSection(src compat.Source, m *migration, re *regexp.Regexp, missing string,
	annotate func(g []string, start int) (section, error)) error {
	bl := &blanker{b: []byte(m.raw)}
	up, sawUp := false, false
	var err error
	eachLine(m.raw, func(start, end int) {
		if g := re.FindStringSubmatch(m.raw[start:end]); g != nil {
			sec, aerr := annotate(g, start)
			if aerr != nil && err == nil {
				err = aerr
			}
			switch sec {
			case upSection:
				up, sawUp = true, true
			case downSection:
				up = false
			}
			bl.blank(start, end)
			return
		}
		if !up {
			bl.blank(start, end)
		}
	})
	if err != nil {
		return err
	}
	if !sawUp {
		return src.Errorf(m.file, 1, 1, "%s", missing)
	}
	m.text = string(bl.b)
	return nil
}

// splitGoose keeps the "-- +goose Up" section of a goose migration and reads its
// transaction annotation.
func splitGoose(src compat.Source, m *migration) error {
	m.inTx = true
	m.txNote = "goose runs each migration in a transaction"
	return keepUpSection(src, m, reGooseLine, `goose migration has no "-- +goose Up" annotation`,
		func(g []string, start int) (section, error) {
			switch words := strings.ToLower(strings.Join(strings.Fields(g[1]), " ")); {
			case words == "up":
				return upSection, nil
			case words == "down":
				return downSection, nil
			case words == "no transaction":
				m.inTx = false
				m.txNote = "the migration is marked -- +goose NO TRANSACTION"
			case words == "statementbegin" || words == "statementend" || strings.HasPrefix(words, "envsub"):
			default:
				line, col := m.position(start)
				return sameSection, src.Errorf(m.file, line, col, "unknown goose annotation %q", g[1])
			}
			return sameSection, nil
		})
}

// splitDbmate keeps the "-- migrate:up" section of a dbmate migration and reads its
// transaction option.
func splitDbmate(src compat.Source, m *migration) error {
	m.inTx = true
	m.txNote = "dbmate runs each migration in a transaction"
	return keepUpSection(src, m, reDbmateLine, `dbmate migration has no "-- migrate:up" section`,
		func(g []string, start int) (section, error) {
			if !strings.EqualFold(g[1], "up") {
				return downSection, nil
			}
			for _, opt := range strings.Fields(g[2]) {
				k, v, _ := strings.Cut(opt, ":")
				switch {
				case strings.EqualFold(k, "transaction") && strings.EqualFold(v, "false"):
					m.inTx = false
					m.txNote = "the migration is marked transaction:false"
				case strings.EqualFold(k, "transaction") && strings.EqualFold(v, "true"):
				default:
					line, col := m.position(start)
					return upSection, src.Errorf(m.file, line, col, "unknown dbmate option %q", opt)
				}
			}
			return upSection, nil
		})
}
