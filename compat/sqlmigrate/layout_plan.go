package sqlmigrate

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"path"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/compatcheck/compatcheck/compat"
)

// The layouts in this file are decided by a file beside the migrations rather than by
// the migrations' names: sqitch.plan lists a sqitch project's changes, atlas.sum
// checksums an Atlas directory, and diesel's metadata.toml says how one migration runs.

// readDieselMetadata applies a diesel migration's metadata.toml, whose
// run_in_transaction = false makes diesel run the migration outside a transaction.
func readDieselMetadata(src compat.Source, m *migration, present map[string]bool) error {
	file := path.Join(path.Dir(m.file), dieselMetadata)
	if !present[file] {
		return nil
	}
	raw, err := readText(src, file)
	if err != nil {
		return err
	}
	var meta struct {
		RunInTransaction *bool `toml:"run_in_transaction"`
	}
	if _, err := toml.Decode(raw, &meta); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return src.Errorf(file, perr.Position.Line, perr.Position.Col, "%s", perr.Message)
		}
		return src.Errorf(file, 1, 1, "%v", err)
	}
	if meta.RunInTransaction != nil && !*meta.RunInTransaction {
		m.inTx = false
		m.txNote = "its metadata.toml sets run_in_transaction = false"
	}
	return nil
}

// loadSqitch reads a sqitch project: the changes sqitch.plan lists, in its order, each
// from deploy/<change>.sql. A change reworked after a tag appears in the plan again; its
// earlier version is deploy/<change>@<tag>.sql, the script as it was at that tag. A
// change is identified by its name and occurrence, so reworking it is a new change, not
// an edit of the released one.
func loadSqitch(src compat.Source, present map[string]bool) (Layout, []*migration, error) {
	plan, err := readText(src, sqitchPlan)
	if err != nil {
		return "", nil, err
	}
	type entry struct {
		name       string
		line, col  int
		occurrence int
		tag        string // the first tag after this occurrence
	}
	var entries []*entry
	seen := map[string]int{}
	lines := strings.Split(plan, "\n")
	for i, line := range lines {
		text := strings.TrimSpace(line)
		if text == "" || text[0] == '#' || text[0] == '%' {
			continue
		}
		if text[0] == '@' {
			tag := strings.Fields(text)[0][1:]
			for j := len(entries) - 1; j >= 0 && entries[j].tag == ""; j-- {
				entries[j].tag = tag
			}
			continue
		}
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		name := strings.TrimPrefix(strings.Fields(text)[0], "+")
		if name == "" || strings.HasPrefix(name, "-") || strings.ContainsAny(name, "@:#[]") {
			return "", nil, src.Errorf(sqitchPlan, i+1, col, "cannot read this plan line as a change (want name [dependencies] timestamp planner <email>)")
		}
		seen[name]++
		entries = append(entries, &entry{name: name, line: i + 1, col: col, occurrence: seen[name]})
	}
	var out []*migration
	for i, e := range entries {
		file := "deploy/" + e.name + ".sql"
		if e.occurrence < seen[e.name] {
			if e.tag == "" {
				return "", nil, src.Errorf(sqitchPlan, e.line, e.col, "change %s is reworked without a tag between its versions", e.name)
			}
			file = "deploy/" + e.name + "@" + e.tag + ".sql"
		}
		if !present[file] {
			return "", nil, src.Errorf(sqitchPlan, e.line, e.col, "change %s has no deploy script %s", e.name, file)
		}
		raw, err := readText(src, file)
		if err != nil {
			return "", nil, err
		}
		m := &migration{src: src, file: file, raw: raw, text: raw, lines: newLineIndex(raw),
			id: e.name + "#" + uitoa(uint64(e.occurrence)), version: []uint64{uint64(i + 1)}, label: e.name, name: e.name,
			txNote: "sqitch runs deploy scripts through psql, statement by statement"}
		out = append(out, m)
	}
	return LayoutSqitch, out, nil
}

// reAtlasDirective reads a file directive of an Atlas migration ("-- atlas:txmode none").
var reAtlasDirective = regexp.MustCompile(`atlas:(\w+)(?:[ \t]+(\S+))?`)

// atlasDirectives returns the directives at the top of an Atlas migration file: the
// comment lines it starts with, when a blank line separates them from the statements.
func atlasDirectives(raw string) map[string]string {
	out := map[string]string{}
	var comments []string
	rest := raw
	for strings.HasPrefix(rest, "--") || strings.HasPrefix(rest, "#") {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			comments = append(comments, rest)
			rest = ""
			break
		}
		comments = append(comments, rest[:i])
		rest = rest[i+1:]
	}
	if rest != "" && !strings.HasPrefix(strings.TrimLeft(rest, " \t\r"), "\n") {
		return out
	}
	for _, c := range comments {
		if g := reAtlasDirective.FindStringSubmatch(c); g != nil {
			out[g[1]] = g[2]
		}
	}
	return out
}

// loadAtlas reads an Atlas migration directory: <version>_name.sql at the top level,
// ordered by file name, checked against atlas.sum as atlas migrate apply checks it.
// Checkpoint files ("-- atlas:checkpoint") restate the schema for new databases only, so
// they are replayed as part of the baseline but never evaluated as a change.
func loadAtlas(src compat.Source, files []string) (Layout, []*migration, error) {
	var out []*migration
	for _, f := range files {
		if path.Dir(f) != "." {
			return "", nil, src.Errorf(f, 1, 1, "file does not follow the atlas layout of this directory (want <version>_name.sql beside atlas.sum)")
		}
		raw, err := readText(src, f)
		if err != nil {
			return "", nil, err
		}
		version, name, _ := strings.Cut(strings.TrimSuffix(f, ".sql"), "_")
		m := &migration{src: src, file: f, id: f, raw: raw, text: raw, lines: newLineIndex(raw),
			version: textVersion(f), label: version, name: name, inTx: true,
			txNote: "Atlas runs each migration file in a transaction"}
		d := atlasDirectives(raw)
		if mode, ok := d["txmode"]; ok && mode == "none" {
			m.inTx = false
			m.txNote = "the file sets -- atlas:txmode none"
		}
		_, m.checkpoint = d["checkpoint"]
		out = append(out, m)
	}
	if err := verifyAtlasSum(src, out); err != nil {
		return "", nil, err
	}
	return LayoutAtlas, out, nil
}

// verifyAtlasSum checks atlas.sum the way Atlas does before it applies a directory: each
// line after the first names a file and "h1:" with the base64 SHA-256 of every file name
// and content up to and including that file (in file-name order; a file whose first
// line holds "atlas:sum ignore" adds only its name and has no line), and the first line
// is "h1:" with the base64 SHA-256 of every later line's name and hash. A directory
// whose atlas.sum does not match is one Atlas refuses to apply.
func verifyAtlasSum(src compat.Source, ms []*migration) error {
	raw, err := readText(src, atlasSum)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(raw, "\n"), "\n")
	type entry struct{ name, hash string }
	var written []entry
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "h1:") {
		return src.Errorf(atlasSum, 1, 1, "atlas.sum is not in Atlas's format (the first line must be h1:<sum>)")
	}
	for i, l := range lines[1:] {
		name, hash, ok := strings.Cut(l, "h1:")
		if !ok {
			return src.Errorf(atlasSum, i+2, 1, "atlas.sum is not in Atlas's format (want <file> h1:<hash>)")
		}
		written = append(written, entry{strings.TrimSpace(name), hash})
	}
	total := sha256.New()
	for _, e := range written {
		total.Write([]byte(e.name))
		total.Write([]byte(e.hash))
	}
	if strings.TrimPrefix(lines[0], "h1:") != base64.StdEncoding.EncodeToString(total.Sum(nil)) {
		return src.Errorf(atlasSum, 1, 1, "atlas.sum's first line does not sum its other lines: the file was edited by hand; run atlas migrate hash")
	}
	running := sha256.New()
	var computed []entry
	for _, m := range ms {
		running.Write([]byte(m.file))
		first, _, _ := strings.Cut(m.raw, "\n")
		if g := reAtlasDirective.FindStringSubmatch(first); g != nil && g[1] == "sum" && g[2] == "ignore" {
			continue
		}
		running.Write([]byte(m.raw))
		computed = append(computed, entry{m.file, base64.StdEncoding.EncodeToString(running.Sum(nil))})
	}
	for i := 0; i < len(written) || i < len(computed); i++ {
		switch {
		case i >= len(computed):
			return src.Errorf(atlasSum, i+2, 1, "atlas.sum lists %s, which is not a migration file of the directory; atlas migrate apply refuses the directory until atlas migrate hash is run", written[i].name)
		case i >= len(written):
			return src.Errorf(computed[i].name, 1, 1, "migration file is not in atlas.sum; atlas migrate apply refuses the directory until atlas migrate hash is run")
		case written[i] != computed[i]:
			return src.Errorf(atlasSum, i+2, 1, "atlas.sum does not match %s (it or a file before it changed); atlas migrate apply refuses the directory until atlas migrate hash is run", computed[i].name)
		}
	}
	return nil
}
