package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, runCompletion([]string{shell}, &buf))
	return buf.String()
}

// Every flag of every flag set appears in every script, so a flag added to the CLI is
// completed without touching the generator.
func TestCompletionCoversEveryFlag(t *testing.T) {
	for _, shell := range completionShells {
		script := completionScript(t, shell)
		for _, c := range completionCommands() {
			for _, f := range c.flags {
				word := "--" + f.long
				if shell == "fish" {
					word = "-l " + f.long
				}
				assert.Contains(t, script, word, "%s script lacks %s of %q", shell, f.long, c.name)
			}
		}
	}
}

// bashComplete runs the bash script's completion function on a command line, split the
// way bash splits it (at "=" too), and returns the candidates.
func bashComplete(t *testing.T, script string, words ...string) []string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.bash"), []byte(script), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "results.sarif"), nil, 0o644))
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = bashQuote(w)
	}
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c",
		"source c.bash; COMP_WORDS=("+strings.Join(quoted, " ")+"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _compatcheck; printf '%s\\n' \"${COMPREPLY[@]}\"")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	return strings.Fields(string(out))
}

func TestBashCompletion(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	script := completionScript(t, "bash")
	cmd := exec.Command("bash", "-n")
	cmd.Stdin = strings.NewReader(script)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "bash -n: %s", out)

	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"compatcheck", "--fo"}, []string{"--format"}},
		{[]string{"compatcheck", "--format", ""}, []string{"github", "gitlab", "json", "junit", "markdown", "sarif", "text"}},
		{[]string{"compatcheck", "--format", "=", "j"}, []string{"json", "junit"}},
		{[]string{"compatcheck", "--color", ""}, []string{"auto", "always", "never"}},
		{[]string{"compatcheck", "-q", "--pg-version", "1"}, []string{"11", "12", "13", "14", "15", "16", "17"}},
		{[]string{"compatcheck", "--output", "sa"}, []string{"sarif="}},
		{[]string{"compatcheck", "--output", "sarif", "=", "res"}, []string{"results.sarif"}},
		{[]string{"compatcheck", "--output", "sarif", "="}, []string{"c.bash", "results.sarif"}},
		{[]string{"compatcheck", "r"}, []string{"results.sarif", "rules"}},
		{[]string{"compatcheck", "rules", "--format", ""}, []string{"text", "json", "markdown"}},
		{[]string{"compatcheck", "rules", "--"}, []string{"--format", "--kind", "--help"}},
		{[]string{"compatcheck", "completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"compatcheck", "old", "res"}, []string{"results.sarif"}},
	} {
		assert.Equal(t, tc.want, bashComplete(t, script, tc.words...), "%q", tc.words)
	}
}

func TestZshCompletionSyntax(t *testing.T) {
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Skip("zsh is not installed")
	}
	cmd := exec.Command("zsh", "-n")
	cmd.Stdin = strings.NewReader(completionScript(t, "zsh"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "zsh -n: %s", out)
}

func TestFishCompletion(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Skip("fish is not installed")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "compatcheck.fish")
	require.NoError(t, os.WriteFile(script, []byte(completionScript(t, "fish")), 0o644))
	out, err := exec.Command("fish", "--no-execute", script).CombinedOutput()
	require.NoError(t, err, "fish --no-execute: %s", out)
	complete := func(line string) []string {
		cmd := exec.Command("fish", "--no-config", "-c", "source "+script+"; complete -C '"+line+"'")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		var first []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			first = append(first, strings.SplitN(l, "\t", 2)[0])
		}
		return first
	}
	assert.ElementsMatch(t, []string{"auto", "always", "never"}, complete("compatcheck --color "))
	assert.Equal(t, []string{"json", "markdown", "text"}, complete("compatcheck rules --format "))
	assert.Equal(t, []string{"bash", "fish", "zsh"}, complete("compatcheck completion "))
	assert.Contains(t, complete("compatcheck "), "rules")
	assert.Contains(t, complete("compatcheck "), "compatcheck.fish", "files are versions to compare")
	assert.Equal(t, []string{"--format"}, complete("compatcheck --form"))
}
