package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	flag "github.com/spf13/pflag"
)

// Shell completion is generated from the same flag sets that parse the command line, so a
// flag added there is completed without anyone touching this file; only the values a
// flag accepts are listed here. pflag has no generator, and cobra would replace the
// whole command-line layer (its parsing, help and errors) for this one feature, so the
// three scripts are written from the flag sets directly.

// complCommand is one command line form: the plain comparison ("") or a subcommand.
type complCommand struct {
	name  string
	help  string
	flags []complFlag
	// args says what the positional arguments are: "files" (versions to compare),
	// "shells" or "none".
	args string
}

// complFlag is a flag as the scripts need it.
type complFlag struct {
	long, short, usage string
	// takesValue is false for boolean flags.
	takesValue bool
	// repeat marks a flag that may be given several times.
	repeat bool
	// values lists the accepted values; empty for a flag whose value is a file.
	values []string
	// output marks --output, whose value is FORMAT=FILE.
	output bool
}

// completionShells are the shells `compatcheck completion` writes scripts for.
var completionShells = []string{"bash", "zsh", "fish"}

// flagValues lists the values of the flags that take one from a fixed set, by command
// and flag name. A value flag missing here completes file names.
func flagValues(command, name string) []string {
	kinds := []string{string(compat.KindProto), string(compat.KindJSONSchema), string(compat.KindOpenAPI), string(compat.KindSQL)}
	if command == "rules" {
		switch name {
		case "format":
			return []string{"text", "json", "markdown"}
		case "kind":
			return kinds
		}
		return nil
	}
	switch name {
	case "format":
		return compat.Formats()
	case "fail-on":
		return []string{"breaking", "read-tolerant", "additive", "none"}
	case "kind":
		return kinds
	case "require":
		return []string{"none", "backward", "forward", "full", "backward_transitive", "forward_transitive", "full_transitive"}
	case "proto-encoding":
		return []string{"wire,json", "wire", "json"}
	case "proto-json-readers":
		return []string{"lenient", "strict"}
	case "audience":
		return []string{"public", "internal"}
	case "schema-model":
		return []string{"produce-accept", "strict"}
	case "pg-version":
		return []string{"11", "12", "13", "14", "15", "16", "17"}
	case "color":
		return []string{"auto", "always", "never"}
	}
	return nil
}

// completionCommands describes the command lines from their flag sets.
func completionCommands() []complCommand {
	compare, _ := newCompareFlagSet()
	rules, _, _ := newRulesFlagSet()
	hist, _, _ := newHistoryFlagSet()
	return []complCommand{
		{name: "", help: "compare OLD with NEW", flags: complFlags("", compare), args: "files"},
		{name: "history", help: "check a contract across its releases", flags: complFlags("history", hist), args: "files"},
		{name: "rules", help: "list every rule", flags: complFlags("rules", rules), args: "none"},
		{name: "completion", help: "print a shell completion script", args: "shells"},
	}
}

func complFlags(command string, fs *flag.FlagSet) []complFlag {
	var out []complFlag
	fs.VisitAll(func(f *flag.Flag) {
		out = append(out, complFlag{
			long: f.Name, short: f.Shorthand, usage: f.Usage,
			takesValue: f.Value.Type() != "bool",
			repeat:     strings.HasSuffix(f.Value.Type(), "Array") || strings.HasSuffix(f.Value.Type(), "Slice"),
			values:     flagValues(command, f.Name),
			output:     command == "" && f.Name == "output",
		})
	})
	// pflag answers -h and --help itself, without defining them.
	out = append(out, complFlag{long: "help", short: "h", usage: "show the flags"})
	return out
}

// runCompletion prints the completion script for one shell.
func runCompletion(args []string, stdout io.Writer) error {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		_, err := fmt.Fprintf(stdout, "Usage:\n  compatcheck completion bash|zsh|fish\n\nPrints a completion script for the shell. Install it with\n  bash: source <(compatcheck completion bash)\n  zsh:  compatcheck completion zsh > \"${fpath[1]}/_compatcheck\"\n  fish: compatcheck completion fish > ~/.config/fish/completions/compatcheck.fish\n")
		return err
	}
	if len(args) != 1 {
		return usageError{"completion needs one shell: compatcheck completion bash|zsh|fish"}
	}
	cmds := completionCommands()
	switch args[0] {
	case "bash":
		return writeBashCompletion(stdout, cmds)
	case "zsh":
		return writeZshCompletion(stdout, cmds)
	case "fish":
		return writeFishCompletion(stdout, cmds)
	}
	return usageError{fmt.Sprintf("completion: unknown shell %q (want bash, zsh or fish)", args[0])}
}

func subcommandNames(cmds []complCommand) []string {
	var names []string
	for _, c := range cmds {
		if c.name != "" {
			names = append(names, c.name)
		}
	}
	sort.Strings(names)
	return names
}

func flagWords(c complCommand) []string {
	var words []string
	for _, f := range c.flags {
		words = append(words, "--"+f.long)
		if f.short != "" {
			words = append(words, "-"+f.short)
		}
	}
	return words
}

func writeBashCompletion(w io.Writer, cmds []complCommand) error {
	var b strings.Builder
	b.WriteString(`# bash completion for compatcheck.
# Generated by "compatcheck completion bash" from its flags; install it with
#   source <(compatcheck completion bash)
# or save it as ~/.local/share/bash-completion/completions/compatcheck.

_compatcheck() {
    local cur="${COMP_WORDS[COMP_CWORD]}" cmd="" flag=""
    if [[ ${COMP_CWORD} -gt 1 ]]; then
        case "${COMP_WORDS[1]}" in
`)
	fmt.Fprintf(&b, "            %s) cmd=\"${COMP_WORDS[1]}\" ;;\n", strings.Join(subcommandNames(cmds), "|"))
	b.WriteString(`        esac
    fi
    # Bash splits --flag=value at "=", so the flag is found before an "=" word too.
    local prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "$cur" == "=" ]]; then
        flag="$prev"; cur=""
    elif [[ "$prev" == "=" && ${COMP_CWORD} -ge 2 ]]; then
        flag="${COMP_WORDS[COMP_CWORD-2]}"
    elif [[ "$prev" == -* ]]; then
        flag="$prev"
    fi
    # --output FORMAT=FILE: a format first, then a file after its "=".
    if [[ -z "$cmd" ]]; then
        if [[ "$cur" == "=" && ${COMP_CWORD} -ge 2 && "${COMP_WORDS[COMP_CWORD-2]}" == "--output" ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=( $(compgen -f -- "") )
            return
        fi
        if [[ "$prev" == "=" && ${COMP_CWORD} -ge 3 && "${COMP_WORDS[COMP_CWORD-3]}" == "--output" ]]; then
            compopt -o filenames 2>/dev/null
            COMPREPLY=( $(compgen -f -- "$cur") )
            return
        fi
`)
	for _, f := range cmds[0].flags {
		if f.output {
			var formats []string
			for _, v := range compat.Formats() {
				formats = append(formats, v+"=")
			}
			fmt.Fprintf(&b, "        if [[ \"$flag\" == \"--output\" ]]; then\n            compopt -o nospace 2>/dev/null\n            COMPREPLY=( $(compgen -W %s -- \"$cur\") )\n            return\n        fi\n", bashQuote(strings.Join(formats, " ")))
		}
	}
	b.WriteString("    fi\n    case \"$cmd:$flag\" in\n")
	for _, c := range cmds {
		for _, f := range c.flags {
			if !f.takesValue || f.output {
				continue
			}
			pattern := c.name + ":--" + f.long
			if f.short != "" {
				pattern += "|" + c.name + ":-" + f.short
			}
			if len(f.values) > 0 {
				fmt.Fprintf(&b, "        %s) COMPREPLY=( $(compgen -W %s -- \"$cur\") ); return ;;\n", pattern, bashQuote(strings.Join(f.values, " ")))
			} else {
				fmt.Fprintf(&b, "        %s) compopt -o filenames 2>/dev/null; COMPREPLY=( $(compgen -f -- \"$cur\") ); return ;;\n", pattern)
			}
		}
	}
	b.WriteString("    esac\n    case \"$cmd\" in\n")
	for _, c := range cmds {
		name := c.name
		if name == "" {
			name = `""`
		}
		fmt.Fprintf(&b, "        %s)\n", name)
		if words := flagWords(c); len(words) > 0 {
			fmt.Fprintf(&b, "            if [[ \"$cur\" == -* ]]; then COMPREPLY=( $(compgen -W %s -- \"$cur\") ); return; fi\n", bashQuote(strings.Join(words, " ")))
		}
		switch c.args {
		case "files":
			fmt.Fprintf(&b, "            compopt -o filenames 2>/dev/null\n            COMPREPLY=( $(compgen -f -- \"$cur\") )\n")
			fmt.Fprintf(&b, "            if [[ ${COMP_CWORD} -eq 1 ]]; then COMPREPLY+=( $(compgen -W %s -- \"$cur\") ); fi\n", bashQuote(strings.Join(subcommandNames(cmds), " ")))
		case "shells":
			fmt.Fprintf(&b, "            if [[ ${COMP_CWORD} -eq 2 ]]; then COMPREPLY=( $(compgen -W %s -- \"$cur\") ); fi\n", bashQuote(strings.Join(completionShells, " ")))
		}
		b.WriteString("            ;;\n")
	}
	b.WriteString("    esac\n}\n\ncomplete -F _compatcheck compatcheck\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// bashQuote single-quotes s for bash.
func bashQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func writeZshCompletion(w io.Writer, cmds []complCommand) error {
	var b strings.Builder
	b.WriteString(`#compdef compatcheck
# zsh completion for compatcheck.
# Generated by "compatcheck completion zsh" from its flags; install it with
#   compatcheck completion zsh > "${fpath[1]}/_compatcheck"
# or load it into the running shell with: source <(compatcheck completion zsh)

_compatcheck_output() {
  if compset -P '*='; then
    _files
  else
`)
	fmt.Fprintf(&b, "    compadd -S '=' -q -- %s\n  fi\n}\n\n", strings.Join(compat.Formats(), " "))
	fmt.Fprintf(&b, "_compatcheck_first() {\n  _alternative 'commands:command:(%s)' 'files:version:_files'\n}\n\n", strings.Join(subcommandNames(cmds), " "))
	b.WriteString("_compatcheck() {\n  case $words[2] in\n")
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "    %s)\n      _arguments -s \\\n        '1:command:(%s)'", c.name, c.name)
		for _, f := range c.flags {
			b.WriteString(" \\\n        ")
			b.WriteString(zshSpec(f))
		}
		if c.args == "shells" {
			fmt.Fprintf(&b, " \\\n        '2:shell:(%s)'", strings.Join(completionShells, " "))
		}
		b.WriteString("\n      return\n      ;;\n")
	}
	b.WriteString("  esac\n  _arguments -s")
	for _, f := range cmds[0].flags {
		b.WriteString(" \\\n    ")
		b.WriteString(zshSpec(f))
	}
	b.WriteString(" \\\n    '1: :_compatcheck_first' \\\n    '*:version:_files'\n}\n\n")
	b.WriteString(`if [[ "${funcstack[1]}" == "_compatcheck" ]]; then
  _compatcheck "$@"
else
  compdef _compatcheck compatcheck
fi
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// zshSpec writes one _arguments option spec, quoted for the shell.
func zshSpec(f complFlag) string {
	desc := strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "'", `'\''`).Replace(f.usage)
	arg := ""
	if f.takesValue {
		switch {
		case f.output:
			arg = ":FORMAT=FILE:_compatcheck_output"
		case len(f.values) > 0:
			arg = ":value:(" + strings.Join(f.values, " ") + ")"
		default:
			arg = ":file:_files"
		}
	}
	eq := ""
	if f.takesValue {
		eq = "="
	}
	repeat := ""
	if f.repeat {
		repeat = "*"
	}
	if f.short == "" {
		return fmt.Sprintf("'%s--%s%s[%s]%s'", repeat, f.long, eq, desc, arg)
	}
	exclusive := fmt.Sprintf("(-%s --%s)", f.short, f.long)
	if f.repeat {
		exclusive = ""
	}
	return fmt.Sprintf("'%s'%s{-%s,--%s%s}'[%s]%s'", exclusive, repeat, f.short, f.long, eq, desc, arg)
}

func writeFishCompletion(w io.Writer, cmds []complCommand) error {
	var b strings.Builder
	subs := subcommandNames(cmds)
	fmt.Fprintf(&b, `# fish completion for compatcheck.
# Generated by "compatcheck completion fish" from its flags; install it with
#   compatcheck completion fish > ~/.config/fish/completions/compatcheck.fish

function __compatcheck_command
    set -l words (commandline -opc)
    if test (count $words) -ge 2; and contains -- $words[2] %s
        echo $words[2]
    end
end

function __compatcheck_is
    set -l command (__compatcheck_command)
    test "$command" = "$argv[1]"
end

function __compatcheck_first
    test (count (commandline -opc)) -eq 1
end

`, strings.Join(subs, " "))
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, "complete -c compatcheck -n __compatcheck_first -a %s -d %s\n", fishQuote(c.name), fishQuote(c.help))
	}
	for _, c := range cmds {
		// With no argument, __compatcheck_is holds for the plain comparison.
		cond := fishQuote(strings.TrimSpace("__compatcheck_is " + c.name))
		if c.args != "files" {
			fmt.Fprintf(&b, "complete -c compatcheck -n %s -f\n", cond)
		}
		if c.args == "shells" {
			fmt.Fprintf(&b, "complete -c compatcheck -n %s -a %s\n", cond, fishQuote(strings.Join(completionShells, " ")))
		}
		for _, f := range c.flags {
			line := "complete -c compatcheck -n " + cond + " -l " + f.long
			if f.short != "" {
				line += " -s " + f.short
			}
			switch {
			case !f.takesValue:
			case f.output:
				var formats []string
				for _, v := range compat.Formats() {
					formats = append(formats, v+"=")
				}
				line += " -r -a " + fishQuote(strings.Join(formats, " "))
			case len(f.values) > 0:
				line += " -x -a " + fishQuote(strings.Join(f.values, " "))
			default:
				line += " -r -F"
			}
			line += " -d " + fishQuote(f.usage)
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
