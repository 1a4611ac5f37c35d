package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/compattest/consumers"
	"github.com/rogpeppe/go-internal/testscript"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "regenerate docs/rules.md")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"compatcheck": func() { os.Exit(Main()) },
	})
}

// TestScripts runs the CLI scripts in testdata/script: exit statuses, formats and error
// messages as docs/cli.md promises them.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"valid": validCmd},
		Setup: func(env *testscript.Env) error {
			// The demo contracts of the README's quick start, so scripts can run it.
			env.Setenv("DEMO", mustAbs(t, filepath.Join("..", "..", "testdata", "demo")))
			env.Setenv("EXAMPLES", mustAbs(t, filepath.Join("..", "..", "testdata", "examples")))
			return nil
		},
		Condition: scriptCondition,
	})
}

// validCmd is the script command "valid FORMAT FILE": FILE must be what the format's
// consumer accepts (the consumers package's checks: the SARIF and GitLab schemas, a JUnit reader,
// a CommonMark renderer within GitHub's comment limit).
func validCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: valid sarif|junit|gitlab|markdown FILE")
	}
	data := []byte(ts.ReadFile(args[1]))
	var err error
	switch args[0] {
	case "sarif":
		err = consumers.ValidateSARIF(data)
	case "gitlab":
		err = consumers.ValidateGitLab(data)
	case "junit":
		_, err = consumers.ValidateJUnit(data)
	case "markdown":
		_, err = consumers.ValidateMarkdown(data)
	default:
		ts.Fatalf("valid: unknown format %q", args[0])
	}
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s is not valid %s: %v", args[1], args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s is valid %s", args[1], args[0])
	}
}

// scriptCondition answers the scripts' conditions about this build of the command:
// [flag:NAME] holds when it has the flag --NAME, [format:NAME] when it has the output
// format NAME. A script that needs a flag another change brings skips until it is there.
func scriptCondition(cond string) (bool, error) {
	if name, ok := strings.CutPrefix(cond, "flag:"); ok {
		fs, _ := newCompareFlagSet()
		return fs.Lookup(name) != nil, nil
	}
	if name, ok := strings.CutPrefix(cond, "format:"); ok {
		return hasFormat(name), nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	require.NoError(t, err)
	return abs
}

// TestRuleReference fails when docs/rules.md is not what the registry generates, so the
// reference can never drift from the rules. Regenerate with -update.
func TestRuleReference(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, compat.WriteRuleReference(&buf, compat.Rules()))
	file := filepath.Join("..", "..", "docs", "rules.md")
	if *update {
		require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	}
	got, err := os.ReadFile(file)
	require.NoError(t, err)
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatalf("docs/rules.md is stale; run: go test ./cmd/compatcheck -run TestRuleReference -update")
	}
}

// TestEveryRuleDocumented checks what the registry cannot: that every engine declared
// rules, and every rule has an example on both sides unless it is about something that
// exists on one side only.
func TestEveryRuleDocumented(t *testing.T) {
	kinds := map[compat.Kind]int{}
	for _, r := range compat.Rules() {
		kinds[r.Kind]++
		require.NotEmpty(t, r.Title, r.ID)
		require.NotEmpty(t, r.Why, r.ID)
		require.NotEmpty(t, r.Safe, r.ID)
		require.True(t, r.Old != "" || r.New != "", "%s has no example", r.ID)
	}
	for _, k := range []compat.Kind{compat.KindProto, compat.KindJSONSchema, compat.KindOpenAPI, compat.KindSQL} {
		require.NotZero(t, kinds[k], "no rules registered for %s", k)
	}
}

// TestEveryRuleHasGolden checks that every registered rule is exercised by at least one
// golden report of its engine (or, for the history rules, of a history archive), so no
// rule ships that no test has ever seen fire.
func TestEveryRuleHasGolden(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join("..", "..", "compat", "*", "testdata", "*.txtar"))
	require.NoError(t, err)
	// The sequence rules' goldens are histories, one package up from the engines.
	histories, err := filepath.Glob(filepath.Join("..", "..", "history", "testdata", "*.txtar"))
	require.NoError(t, err)
	archives = append(archives, histories...)
	require.NotEmpty(t, archives)
	seen := map[string]bool{}
	for _, a := range archives {
		data, err := os.ReadFile(a)
		require.NoError(t, err)
		for _, m := range goldenRule.FindAllSubmatch(data, -1) {
			seen[string(m[1])] = true
		}
	}
	// The analyzers' rules (kind go) are reported by analysistest tests: a `// want`
	// comment in their testdata that names the rule is a diagnostic the test requires.
	err = filepath.WalkDir(filepath.Join("..", "..", "analyzers"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || !strings.Contains(filepath.ToSlash(p), "/testdata/") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range wantRule.FindAllSubmatch(data, -1) {
			for _, id := range ruleID.FindAll(m[1], -1) {
				seen[string(id)] = true
			}
		}
		return nil
	})
	require.NoError(t, err)
	for _, r := range compat.Rules() {
		assert.True(t, seen[r.ID], "rule %s (%s) appears in no golden report", r.ID, r.Kind)
	}
}

// TestRuleURLAnchors checks that the helpUri of SARIF rules and the links of the markdown
// summary land on the rule's heading in docs/rules.md: the anchor GitHub gives a heading
// is its text lower-cased, with spaces as hyphens and other punctuation but - and _ dropped.
func TestRuleURLAnchors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules.md"))
	require.NoError(t, err)
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if heading, ok := strings.CutPrefix(line, "### "); ok {
			anchors[githubAnchor(heading)] = true
		}
	}
	for _, r := range compat.Rules() {
		url := compat.RuleURL(r.ID)
		_, fragment, ok := strings.Cut(url, "#")
		require.True(t, ok, url)
		assert.True(t, strings.HasPrefix(url, "https://github.com/compatcheck/compatcheck/blob/main/docs/rules.md#"), url)
		assert.True(t, anchors[fragment], "%s: no heading of docs/rules.md has the anchor #%s", r.ID, fragment)
	}
}

func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var (
	goldenRule = regexp.MustCompile(`"rule": "([A-Z0-9_]+)"`)
	wantRule   = regexp.MustCompile(`// want (.*)`)
	ruleID     = regexp.MustCompile(`\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b`)
)
