package compatcheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/internal/yamljson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// schemaStore is where the corpus keeps SchemaStore's schemas; the distribution files
// are validated against the published schemas their consumers use.
var schemaStore = filepath.Join("..", "shared", "corpora", "schemastore-1year", "new")

// validateAgainst validates a YAML file against a SchemaStore schema, skipping when the
// corpus is absent.
func validateAgainst(t *testing.T, file, schemaName string) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	err = yamljson.Validate(filepath.Join(schemaStore, schemaName), data)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("SchemaStore corpus not found (%v)", err)
	}
	assert.NoError(t, err, "%s against %s", file, schemaName)
}

func TestDistributionFilesMatchTheirSchemas(t *testing.T) {
	t.Run("action.yml", func(t *testing.T) { validateAgainst(t, "action.yml", "github-action.json") })
	t.Run("workflow", func(t *testing.T) {
		validateAgainst(t, filepath.Join(".github", "workflows", "compatcheck.yml"), "github-workflow.json")
	})
	t.Run("pre-commit hooks", func(t *testing.T) { validateAgainst(t, ".pre-commit-hooks.yaml", "pre-commit-hooks.json") })
}

// action is the part of action.yml the tests read.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID   string            `yaml:"id"`
			Run  string            `yaml:"run"`
			Uses string            `yaml:"uses"`
			If   string            `yaml:"if"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func readAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	require.NoError(t, err)
	var a action
	require.NoError(t, yaml.Unmarshal(data, &a))
	return a
}

var stepCall = regexp.MustCompile(`^"\$GITHUB_ACTION_PATH/action/compatcheck-action\.sh" (\w+)$`)

// TestActionSteps checks that action.yml and its script agree: every step calls a
// subcommand the script has, with every variable the subcommand reads.
func TestActionSteps(t *testing.T) {
	a := readAction(t)
	assert.Equal(t, "composite", a.Runs.Using)
	script, err := os.ReadFile(filepath.Join("action", "compatcheck-action.sh"))
	require.NoError(t, err)
	calls := 0
	for _, step := range a.Runs.Steps {
		if step.Run == "" {
			continue
		}
		m := stepCall.FindStringSubmatch(step.Run)
		require.NotNil(t, m, "step %q does not call the script", step.Run)
		calls++
		body := scriptFunction(t, string(script), "step_"+m[1])
		for _, v := range regexp.MustCompile(`\$\{?([A-Z][A-Z_]+)`).FindAllStringSubmatch(body, -1) {
			name := v[1]
			if strings.HasPrefix(name, "GITHUB_") || name == "RUNNER_TEMP" || name == "MARKER" {
				continue // set by the runner, or the script's own
			}
			_, passed := step.Env[name]
			assert.True(t, passed, "step %s reads $%s, which action.yml does not pass", m[1], name)
		}
	}
	assert.Equal(t, 6, calls, "skip, install, base, run, comment, finish")
	// The sticky comment is found by this marker; other tools must not reuse it.
	assert.Contains(t, string(script), `MARKER='<!-- compatcheck -->'`)
	assert.Equal(t, "compatcheck-skip", a.Inputs["skip-label"].Default)
}

func scriptFunction(t *testing.T, script, name string) string {
	t.Helper()
	start := strings.Index(script, "\n"+name+"() {")
	require.GreaterOrEqual(t, start, 0, "the script has no %s", name)
	end := strings.Index(script[start:], "\n}\n")
	require.Greater(t, end, 0)
	return script[start : start+end]
}

// actionRun runs one step of the action's script with stand-ins for compatcheck, gh,
// git and go that record their arguments, as the runner would: GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_PATH and RUNNER_TEMP are files and a directory of its own.
type actionRun struct {
	t           *testing.T
	dir         string
	env         map[string]string
	out, stderr string
	code        int
}

const stubs = `#!/usr/bin/env bash
# Records each call, one line: the command, then its arguments.
echo "$(basename "$0") $*" >>"$STUB_LOG"
case "$(basename "$0")" in
compatcheck)
  [ -n "${GITHUB_STEP_SUMMARY:-}" ] && echo "compatcheck saw GITHUB_STEP_SUMMARY" >>"$STUB_LOG"
  for a in "$@"; do
    case "$a" in
    markdown=*) printf '## compatcheck\n\nverdict: breaking\n' >"${a#markdown=}" ;;
    sarif=*) echo '{"version":"2.1.0"}' >"${a#sarif=}" ;;
    esac
  done
  echo "::error file=a.proto::finding"
  exit "${STUB_EXIT:-0}" ;;
gh)
  case "$*" in
  *--paginate*)
    [ -n "${STUB_GH_FAIL:-}" ] && { echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; }
    if [ -n "${STUB_COMMENT_ID:-}" ]; then echo "$STUB_COMMENT_ID"; fi ;;
  *-F*) for a in "$@"; do case "$a" in body=@*) cp "${a#body=@}" "$STUB_LOG.body" ;; esac; done ;;
  esac ;;
git)
  case "$1" in rev-parse) exit "${STUB_REV_PARSE:-0}" ;; esac ;;
go)
  case "$1" in env) echo /gopath ;; esac ;;
esac
`

func newActionRun(t *testing.T) *actionRun {
	t.Helper()
	for _, tool := range []string{"bash", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	for _, name := range []string{"compatcheck", "gh", "git", "go"} {
		require.NoError(t, os.WriteFile(filepath.Join(bin, name), []byte(stubs), 0o755))
	}
	jq, _ := exec.LookPath("jq")
	require.NoError(t, os.Symlink(jq, filepath.Join(bin, "jq")))
	tmp := filepath.Join(dir, "runner-temp")
	require.NoError(t, os.Mkdir(tmp, 0o755))
	return &actionRun{t: t, dir: dir, env: map[string]string{
		"PATH":                bin + string(os.PathListSeparator) + "/usr/bin" + string(os.PathListSeparator) + "/bin",
		"STUB_LOG":            filepath.Join(dir, "calls"),
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
		"GITHUB_PATH":         filepath.Join(dir, "path"),
		"RUNNER_TEMP":         tmp,
	}}
}

func (r *actionRun) step(name string, env map[string]string) *actionRun {
	r.t.Helper()
	script, err := filepath.Abs(filepath.Join("action", "compatcheck-action.sh"))
	require.NoError(r.t, err)
	cmd := exec.Command("bash", script, name)
	cmd.Dir = r.dir
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	r.out, r.stderr, r.code = stdout.String(), stderr.String(), 0
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else {
		require.NoError(r.t, err)
	}
	return r
}

func (r *actionRun) file(name string) string {
	data, err := os.ReadFile(filepath.Join(r.dir, name))
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(r.t, err)
	return string(data)
}

func TestActionSkipLabel(t *testing.T) {
	r := newActionRun(t)
	labels, _ := json.Marshal([]string{"bug", "compatcheck-skip"})
	r.step("skip", map[string]string{"LABELS": string(labels), "SKIP_LABEL": "compatcheck-skip"})
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "skip=true\n", r.file("output"))
	assert.Contains(t, r.file("summary"), "Skipped: the pull request has the label `compatcheck-skip`.")

	for _, labels := range []string{`["bug"]`, "null", `["compatcheck-skip-not"]`} {
		r := newActionRun(t)
		r.step("skip", map[string]string{"LABELS": labels, "SKIP_LABEL": "compatcheck-skip"})
		assert.Equal(t, "skip=false\n", r.file("output"), labels)
	}
}

func TestActionInstall(t *testing.T) {
	r := newActionRun(t).step("install", map[string]string{"VERSION": "v1.2.0", "ACTION_PATH": "/action"})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "go install github.com/compatcheck/compatcheck/cmd/compatcheck@v1.2.0\ngo env GOPATH\n", r.file("calls"))
	assert.Equal(t, "/gopath/bin\n", r.file("path"))

	// A local action (uses: ./) has no ref: it builds its own checkout.
	src := t.TempDir()
	r = newActionRun(t).step("install", map[string]string{"VERSION": "", "ACTION_PATH": src})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "go install ./cmd/compatcheck\ngo env GOPATH\n", r.file("calls"))
}

func TestActionBase(t *testing.T) {
	r := newActionRun(t).step("base", map[string]string{"BASE_REF": "origin/main"})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "git rev-parse --verify --quiet origin/main^{tree}\n", r.file("calls"), "a base the checkout has is not fetched")

	r = newActionRun(t).step("base", map[string]string{"BASE_REF": "origin/release/1.x", "STUB_REV_PARSE": "1"})
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.file("calls"), "git fetch --no-tags --depth=1 origin +refs/heads/release/1.x:refs/remotes/origin/release/1.x\n")

	r = newActionRun(t).step("base", map[string]string{"BASE_REF": ""})
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.out, "::error title=compatcheck::no base to compare with")
}

func TestActionRun(t *testing.T) {
	r := newActionRun(t)
	tmp := r.env["RUNNER_TEMP"]
	r.step("run", map[string]string{
		"BASE_REF": "origin/main", "CONFIG": "ci/compatcheck.yaml", "FAIL_ON": "read-tolerant",
		"SARIF": "true", "EXTRA_ARGS": "--exclude examples/** -v", "STUB_EXIT": "1",
	})
	require.Equal(t, 0, r.code, "findings that fail are reported by the last step: %s", r.stderr)
	md, sarif := filepath.Join(tmp, "compatcheck-summary.md"), filepath.Join(tmp, "compatcheck.sarif")
	assert.Equal(t, "compatcheck --against origin/main --format github --output markdown="+md+
		" --output sarif="+sarif+" --config ci/compatcheck.yaml --fail-on read-tolerant --exclude examples/** -v\n", r.file("calls"),
		"compatcheck runs without GITHUB_STEP_SUMMARY, which the action writes itself")
	assert.Contains(t, r.out, "::error file=a.proto::finding", "annotations reach the log")
	assert.Equal(t, "exit-code=1\nsummary="+md+"\nsarif="+sarif+"\n", r.file("output"))
	assert.Equal(t, "## compatcheck\n\nverdict: breaking\n", r.file("summary"))

	// Unusable input fails the step at once.
	r = newActionRun(t).step("run", map[string]string{"BASE_REF": "origin/main", "STUB_EXIT": "2"})
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.out, "compatcheck could not use its inputs (exit status 2)")
	assert.Equal(t, "exit-code=2\nsummary="+filepath.Join(r.env["RUNNER_TEMP"], "compatcheck-summary.md")+"\n", r.file("output"))
}

func TestActionComment(t *testing.T) {
	summary := func(r *actionRun) string {
		p := filepath.Join(r.env["RUNNER_TEMP"], "s.md")
		require.NoError(t, os.WriteFile(p, []byte("## compatcheck\nverdict: breaking\n"), 0o644))
		return p
	}
	pr := func(r *actionRun, extra map[string]string) map[string]string {
		env := map[string]string{"PR_NUMBER": "7", "REPO": "acme/shop", "HEAD_REPO": "acme/shop", "SUMMARY": summary(r), "GH_TOKEN": "t"}
		for k, v := range extra {
			env[k] = v
		}
		return env
	}
	const list = "gh api --paginate repos/acme/shop/issues/7/comments --jq .[] | select(.body | startswith(\"<!-- compatcheck -->\")) | .id\n"

	// A failing check creates the comment, marked so that later runs find it.
	r := newActionRun(t)
	r.step("comment", pr(r, map[string]string{"EXIT_CODE": "1"}))
	require.Equal(t, 0, r.code, r.stderr)
	tmp := r.env["RUNNER_TEMP"]
	assert.Equal(t, list+"gh api --method POST repos/acme/shop/issues/7/comments -F body=@"+filepath.Join(tmp, "compatcheck-comment.md")+"\n", r.file("calls"))
	assert.Equal(t, "<!-- compatcheck -->\n## compatcheck\nverdict: breaking\n", r.file("calls.body"))

	// An earlier comment is updated in place, whatever the outcome.
	r = newActionRun(t)
	r.step("comment", pr(r, map[string]string{"EXIT_CODE": "0", "STUB_COMMENT_ID": "4242"}))
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, list+"gh api --method PATCH repos/acme/shop/issues/comments/4242 -F body=@"+filepath.Join(r.env["RUNNER_TEMP"], "compatcheck-comment.md")+"\n", r.file("calls"))

	// Nothing fails and there is no comment yet: none is created, unless always.
	r = newActionRun(t)
	r.step("comment", pr(r, map[string]string{"EXIT_CODE": "0"}))
	assert.Equal(t, list, r.file("calls"))
	r = newActionRun(t)
	r.step("comment", pr(r, map[string]string{"EXIT_CODE": "0", "COMMENT": "always"}))
	assert.Contains(t, r.file("calls"), "gh api --method POST ")

	// A token without pull-requests: write cannot comment: a warning, not a failure; the
	// verdict is the last step's to give.
	r = newActionRun(t)
	r.step("comment", pr(r, map[string]string{"EXIT_CODE": "1", "STUB_GH_FAIL": "1"}))
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.out, "::warning title=compatcheck::could not read the pull request's comments")

	// Never; a fork, whose token cannot write; and no pull request: gh is not called.
	for name, extra := range map[string]map[string]string{
		"never":           {"EXIT_CODE": "1", "COMMENT": "never"},
		"fork":            {"EXIT_CODE": "1", "HEAD_REPO": "mallory/shop"},
		"no pull request": {"EXIT_CODE": "1", "PR_NUMBER": ""},
	} {
		r := newActionRun(t)
		r.step("comment", pr(r, extra))
		assert.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
		assert.Empty(t, r.file("calls"), name)
	}
}

func TestActionFinish(t *testing.T) {
	for _, tt := range []struct {
		exit, fail string
		want       int
	}{{"1", "true", 1}, {"1", "false", 0}, {"0", "true", 0}, {"", "true", 0}} {
		r := newActionRun(t).step("finish", map[string]string{"EXIT_CODE": tt.exit, "FAIL": tt.fail})
		assert.Equal(t, tt.want, r.code, "exit %q fail %q", tt.exit, tt.fail)
		if tt.want == 1 {
			assert.Contains(t, r.out, "::error title=compatcheck::contract changes fail the check")
		}
	}
}
