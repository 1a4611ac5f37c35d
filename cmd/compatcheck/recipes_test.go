package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/compatcheck/compatcheck/internal/corpora"
	"github.com/compatcheck/compatcheck/internal/yamljson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// readmeRecipes returns the YAML blocks of the README's "CI recipes" section, by the
// file each one says it is ("# .gitlab-ci.yml" on its first line).
func readmeRecipes(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	_, section, ok := strings.Cut(string(data), "\n## CI recipes\n")
	require.True(t, ok, "README.md has no CI recipes section")
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1)
	out := map[string]string{}
	for _, b := range blocks {
		first, _, _ := strings.Cut(b[1], "\n")
		out[strings.TrimPrefix(first, "# ")] = b[1]
	}
	return out
}

// recipeCommands returns the compatcheck commands the recipes run: the GitLab job's
// script lines and the pre-commit hooks' entries, with shell double quotes dropped as
// testscript writes them.
func recipeCommands(t *testing.T) []string {
	t.Helper()
	recipes := readmeRecipes(t)
	var gitlab map[string]struct {
		Script []string `yaml:"script"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(recipes[".gitlab-ci.yml"]), &gitlab))
	var cmds []string
	for _, line := range gitlab["compatcheck"].Script {
		if strings.HasPrefix(line, "compatcheck ") {
			cmds = append(cmds, strings.ReplaceAll(line, `"`, ""))
		}
	}
	require.NotEmpty(t, cmds, "the GitLab recipe runs no compatcheck command")
	hooksData, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	require.NoError(t, err)
	var hooks []struct {
		ID    string `yaml:"id"`
		Entry string `yaml:"entry"`
	}
	require.NoError(t, yaml.Unmarshal(hooksData, &hooks))
	for _, h := range hooks {
		cmds = append(cmds, h.Entry)
	}
	return cmds
}

// TestRecipesAreTested checks that every compatcheck command of the README's recipes and
// of .pre-commit-hooks.yaml is run, as written, by testdata/script/recipes.txtar.
func TestRecipesAreTested(t *testing.T) {
	script, err := os.ReadFile(filepath.Join("testdata", "script", "recipes.txtar"))
	require.NoError(t, err)
	var run []string
	for _, line := range strings.Split(string(script), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "! ")
		if rest, ok := strings.CutPrefix(line, "exec "); ok {
			run = append(run, rest)
		}
	}
	for _, cmd := range recipeCommands(t) {
		assert.Contains(t, run, cmd, "recipes.txtar does not run the recipe's command")
	}
}

// TestRecipesMatchTheirSchemas validates the README's GitHub workflow against
// SchemaStore's schema, and checks that it uses only inputs action.yml declares and that
// the pre-commit recipe uses only hooks .pre-commit-hooks.yaml declares.
func TestRecipesMatchTheirSchemas(t *testing.T) {
	recipes := readmeRecipes(t)
	workflow, precommit := recipes[".github/workflows/compatcheck.yml"], recipes[".pre-commit-config.yaml"]
	require.NotEmpty(t, workflow)
	require.NotEmpty(t, precommit)

	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string         `yaml:"uses"`
				With map[string]any `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(workflow), &wf))
	actionData, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	require.NoError(t, err)
	var act struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	require.NoError(t, yaml.Unmarshal(actionData, &act))
	used := false
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if strings.HasPrefix(step.Uses, "compatcheck/compatcheck@") {
				used = true
				for input := range step.With {
					assert.Contains(t, act.Inputs, input, "the recipe passes an input action.yml does not declare")
				}
			}
		}
	}
	assert.True(t, used, "the GitHub recipe does not use the action")

	var pc struct {
		Repos []struct {
			Hooks []struct {
				ID string `yaml:"id"`
			} `yaml:"hooks"`
		} `yaml:"repos"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(precommit), &pc))
	hooksData, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	require.NoError(t, err)
	for _, r := range pc.Repos {
		for _, h := range r.Hooks {
			assert.Contains(t, string(hooksData), "- id: "+h.ID+"\n", "the recipe uses a hook .pre-commit-hooks.yaml does not declare")
		}
	}

	store := filepath.Join(corpora.Dir(), "schemastore-1year", "new")
	// SchemaStore's pre-commit-config.json is left out: its repo pattern uses an
	// ECMA-262 lookahead that Go's regexp, and so the validator, cannot compile. The
	// hook IDs are checked above instead.
	err = yamljson.Validate(filepath.Join(store, "github-workflow.json"), []byte(workflow))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("SchemaStore corpus not found (%v)", err)
	}
	assert.NoError(t, err, "the README's GitHub workflow against github-workflow.json")
}

// TestRepositoryConfig runs this repository's own compatcheck.yaml, which the workflow
// in .github/workflows checks on every pull request: every contract compared with
// itself reports nothing.
func TestRepositoryConfig(t *testing.T) {
	root := filepath.Join("..", "..")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--config", filepath.Join(root, "compatcheck.yaml"), "--base", root, "-v"}, &stdout, &stderr)
	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, "verdict: none (0 breaking, 0 read-tolerant, 0 additive)\n", stdout.String())
	assert.Contains(t, stderr.String(), "(4 contracts)")
}
