package history

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"github.com/compatcheck/compatcheck/compat/gitsrc/gittest"
	"github.com/compatcheck/compatcheck/compat/openapi"
	"golang.org/x/tools/txtar"
)

// updating reports whether -update was given; the flag is compattest's, shared by every
// golden test of the module.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// A history archive describes a repository as its sequence of versions. Each section
// "NAME/FILE" belongs to version NAME, in the order the names first appear; a version's
// files are the whole contract at that version (the contract directory is emptied first).
// NAME is a tag to create, "commit-…" for an untagged commit, or "head" for the working
// tree, which must come last (without it the working tree is the last commit). The
// archive's comment holds options, one "key: value" a line:
//
//	path: proto                     the contract's directory in the repository (default ".")
//	contract: api/openapi.yaml      the contract, when it is one file of that directory
//	annotated: v1.1.0 v1.2.0        these tags are annotated (tagged an hour after their commit)
//	date: v1.0.0=2024-01-01 …       commit dates (default: 2024-01-01 plus 30 days a commit)
//	branch: release-1.0 from v1.0.0: v1.0.1 …   these versions are committed on a branch
//	checkout: release-1.0           the branch the working tree ends on (default main)
//	mode: directory                 versions are subdirectories of a directory instead
//	window, min-deprecation-releases, min-deprecation-days, pre-releases, releases,
//	release (a list), head-ref, fail-on-history, fail-on, audience: as the CLI flags
//
// The sections "want.json" and "want.text" hold the report in each format.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden archives in testdata")
	}
	for _, file := range files {
		file, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) { runGolden(t, file) })
	}
}

func runGolden(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	comment := string(ar.Comment)
	res, policy := buildAndCheck(t, ar, comment)
	got := map[string][]byte{}
	for _, format := range []string{"json", "text"} {
		var buf bytes.Buffer
		if err := res.Encode(&buf, format, policy); err != nil {
			t.Fatal(err)
		}
		got["want."+format] = buf.Bytes()
	}
	compattest.CheckPromises(t, res.Report)

	// Byte-identical on a second run over a repository built again from scratch: object
	// IDs, dates and order do not depend on the day or the machine.
	again, _ := buildAndCheck(t, ar, comment)
	var buf bytes.Buffer
	if err := again.Encode(&buf, "json", policy); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), got["want.json"]) {
		t.Errorf("output is not deterministic:\nfirst:\n%s\nsecond:\n%s", got["want.json"], buf.Bytes())
	}

	if updating() {
		for _, name := range []string{"want.json", "want.text"} {
			compattest.SetSection(ar, name, got[name])
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, name := range []string{"want.json", "want.text"} {
		want, ok := compattest.Section(ar, name)
		if !ok {
			t.Fatalf("archive has no %s section; got:\n%s", name, got[name])
		}
		if !bytes.Equal(got[name], want) {
			t.Errorf("%s mismatch (run with -update and review the diff)\n got:\n%s\nwant:\n%s", name, got[name], want)
		}
	}
}

// buildAndCheck builds the archive's repository and runs the check it describes.
func buildAndCheck(t *testing.T, ar *txtar.Archive, comment string) (*Result, compat.Policy) {
	t.Helper()
	opt := func(key string) string { return compattest.Option(comment, key) }
	atoi := func(key string) int {
		v := opt(key)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("option %s: %v", key, err)
		}
		return n
	}
	opts := Options{Window: atoi("window"), MinDeprecationReleases: atoi("min-deprecation-releases"), MinDeprecationDays: atoi("min-deprecation-days")}
	if a := opt("audience"); a != "" {
		aud, err := openapi.ParseAudience(a)
		if err != nil {
			t.Fatal(err)
		}
		opts.Compare.OpenAPI.Audience = aud
	}
	if k := opt("kind"); k != "" {
		kind, err := compatcheck.ParseKind(k)
		if err != nil {
			t.Fatal(err)
		}
		opts.Compare.Kind = kind
	}
	failOn := compat.Breaking
	if v := opt("fail-on"); v != "" {
		c, err := compat.ParseClass(v)
		if err != nil {
			t.Fatal(err)
		}
		failOn = c
	}
	policy := compat.FailOn(failOn)
	policy.History = opt("fail-on-history") == "true"

	ctx := context.Background()
	var seq Sequence
	if opt("mode") == "directory" {
		dir := t.TempDir()
		for _, f := range ar.Files {
			if strings.HasPrefix(f.Name, "want.") {
				continue
			}
			p := filepath.Join(dir, "versions", filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Chdir(dir)
		var err error
		if seq, err = FromDirectory("versions", ""); err != nil {
			t.Fatal(err)
		}
	} else {
		g := buildRepo(t, ar, comment)
		t.Chdir(g.Dir)
		repo, err := gitsrc.Open(ctx, ".")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { repo.Close() })
		gopts := GitOptions{Path: opt("path"), Releases: opt("releases"), PreReleases: opt("pre-releases") == "true", HeadRef: opt("head-ref")}
		if c := opt("contract"); c != "" {
			gopts.Path = c // a file inside the path directory
		}
		if gopts.Path == "" {
			gopts.Path = "."
		}
		if r := opt("release"); r != "" {
			gopts.Explicit = strings.Fields(r)
		}
		if seq, err = FromGit(ctx, repo, gopts); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Check(ctx, seq, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, policy
}

// buildRepo commits and tags the archive's versions in order.
func buildRepo(t *testing.T, ar *txtar.Archive, comment string) *gittest.Repo {
	t.Helper()
	opt := func(key string) string { return compattest.Option(comment, key) }
	contract := opt("path")
	if contract == "." {
		contract = ""
	}
	var order []string
	files := map[string]map[string]string{}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want.") {
			continue
		}
		name, rest, ok := strings.Cut(f.Name, "/")
		if !ok {
			t.Fatalf("section %s is not VERSION/FILE", f.Name)
		}
		if _, seen := files[name]; !seen {
			order = append(order, name)
			files[name] = map[string]string{}
		}
		files[name][rest] = string(f.Data)
	}
	annotated := map[string]bool{}
	for _, n := range strings.Fields(opt("annotated")) {
		annotated[n] = true
	}
	dates := map[string]time.Time{}
	for _, kv := range strings.Fields(opt("date")) {
		k, v, _ := strings.Cut(kv, "=")
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			t.Fatalf("date %s: %v", kv, err)
		}
		dates[k] = d.Add(12 * time.Hour)
	}
	branchOf := map[string]string{}
	branchBase := map[string]string{}
	for _, line := range strings.Split(comment, "\n") {
		rest, ok := strings.CutPrefix(line, "branch:")
		if !ok {
			continue
		}
		head, steps, _ := strings.Cut(rest, ":")
		f := strings.Fields(head) // NAME from BASE
		if len(f) != 3 || f[1] != "from" {
			t.Fatalf("branch line %q is not 'branch: NAME from BASE: STEPS'", line)
		}
		branchBase[f[0]] = f[2]
		for _, s := range strings.Fields(steps) {
			branchOf[s] = f[0]
		}
	}

	g := gittest.New(t)
	current := "main"
	made := map[string]bool{"main": true}
	for i, name := range order {
		if name == "head" {
			if i != len(order)-1 {
				t.Fatal("the head must be the last version")
			}
			continue
		}
		br := branchOf[name]
		if br == "" {
			br = "main"
		}
		if br != current {
			if made[br] {
				g.Git("checkout", "-q", br)
			} else {
				g.Git("checkout", "-q", "-b", br, branchBase[br])
				made[br] = true
			}
			current = br
		}
		g.Replace(contract, files[name])
		date, ok := dates[name]
		if !ok {
			date = gittest.Epoch.AddDate(0, 0, 30*i)
		}
		g.Commit(name, date)
		if !strings.HasPrefix(name, "commit-") {
			g.Tag(name, annotated[name], date.Add(time.Hour))
		}
	}
	end := opt("checkout")
	if end == "" {
		end = "main"
	}
	if end != current {
		g.Git("checkout", "-q", end)
	}
	if head, ok := files["head"]; ok {
		g.Replace(contract, head)
	}
	return g
}

// TestRolesNameRegisteredRules keeps the role tables in step with the engines' registry.
func TestRolesNameRegisteredRules(t *testing.T) {
	ids := roleRules()
	sort.Strings(ids)
	for _, id := range ids {
		if _, ok := compat.LookupRule(id); !ok {
			t.Errorf("roles.go names %s, which no engine registers", id)
		}
	}
}
