package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/compat/openapi"
	"github.com/compatcheck/compatcheck/compat/proto"
	flag "github.com/spf13/pflag"
)

// Exit statuses, as docs/cli.md promises them.
const (
	exitOK      = 0
	exitFailed  = 1
	exitBadArgs = 2
)

// usageError is a mistake on the command line; it is printed with the usage hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// Main runs the command with os.Args and the process's standard streams and returns the
// exit status. It exists so that tests can run the CLI in-process.
func Main() int {
	return run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "compatcheck: internal error (please report it with the inputs): %v\n", p)
			status = exitBadArgs
		}
	}()
	if len(args) > 0 && args[0] == "rules" {
		return fail(stderr, runRules(args[1:], stdout))
	}
	if len(args) > 0 && args[0] == "completion" {
		return fail(stderr, runCompletion(args[1:], stdout))
	}
	if len(args) > 0 && args[0] == "history" {
		status, err := runHistory(ctx, args[1:], stdout, stderr)
		if err != nil {
			return fail(stderr, err)
		}
		return status
	}
	if len(args) > 0 && args[0] == "baseline" {
		return runBaseline(ctx, args[1:], stdout, stderr)
	}
	status, err := runCompare(ctx, args, stdout, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	return status
}

// fail prints err as the single line docs/cli.md promises and returns status 2, or 0 when
// err is nil.
func fail(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	msg := strings.Join(strings.Fields(err.Error()), " ")
	var ue usageError
	if errors.As(err, &ue) {
		msg += " (see compatcheck --help)"
	}
	fmt.Fprintln(stderr, "compatcheck: "+msg)
	return exitBadArgs
}

// compareFlags holds the values of the comparison flags.
type compareFlags struct {
	format, failOn, kind, require    string
	against                          string
	protoEncoding, protoJSONReaders  string
	audience, schemaModel, sqlLayout string
	refs                             string
	pgVersion                        int
	protoPaths                       []string
	failOnHazard, protoFull, version bool
	outputs                          []string
	color                            string
	quiet                            bool
	// The configuration run (contracts.go).
	config, base string
	excludes     []string
	verbose      bool
}

func newCompareFlagSet() (*flag.FlagSet, *compareFlags) {
	fs := flag.NewFlagSet("compatcheck", flag.ContinueOnError)
	// Parse errors are returned and printed as one line on stderr; usage is printed only
	// when asked for with --help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	f := &compareFlags{}
	fs.StringVar(&f.format, "format", "text", "output format: "+strings.Join(compat.Formats(), ", "))
	fs.StringVar(&f.failOn, "fail-on", "breaking", "lowest class that makes the exit status 1: breaking, read-tolerant, additive or none")
	fs.StringVar(&f.kind, "kind", "", "contract kind, skipping detection: proto, jsonschema, openapi or sql")
	fs.StringVar(&f.require, "require", "none", "also fail findings a schema registry mode rejects: backward, forward, full, or with _transitive")
	fs.StringVar(&f.protoEncoding, "proto-encoding", "wire,json", "protobuf encodings that must stay compatible")
	fs.StringArrayVarP(&f.protoPaths, "proto-path", "I", nil, "protobuf: a directory, relative to each side's root, that imports are also searched in (repeatable)")
	fs.BoolVar(&f.protoFull, "proto-full-check", false, "protobuf: compile unchanged files too, so errors anywhere are reported (slower)")
	fs.StringVar(&f.protoJSONReaders, "proto-json-readers", "lenient", "protobuf JSON readers: lenient (ignore unknown fields) or strict")
	fs.StringVar(&f.audience, "audience", "public", "OpenAPI: public (clients cannot be upgraded first) or internal")
	fs.StringVar(&f.schemaModel, "schema-model", "produce-accept", "JSON Schema and OpenAPI schemas: produce-accept or strict")
	fs.StringVar(&f.refs, "refs", "opaque", "JSON Schema: a $ref outside the input is opaque (known by its URL, changes undecided) or strict (refused)")
	fs.IntVar(&f.pgVersion, "pg-version", 16, fmt.Sprintf("SQL: PostgreSQL major version (%d to %d) that decides lock and rewrite hazards", compatcheck.MinPGVersion, compatcheck.MaxPGVersion))
	fs.StringVar(&f.sqlLayout, "sql-layout", "", "SQL: the layout of the migrations instead of the detected one: golang-migrate, goose, flyway, dbmate, directory or numbered")
	fs.BoolVar(&f.failOnHazard, "fail-on-hazard", false, "SQL: also exit 1 when a finding carries a lock or rewrite hazard")
	fs.StringArrayVar(&f.outputs, "output", nil, "also write the report as FORMAT=FILE (repeatable; FILE - is standard output)")
	fs.StringVar(&f.color, "color", "auto", "colour the text report: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "text on standard output: print nothing when nothing fails, else only the failing findings and the verdict")
	fs.StringArrayVar(&f.excludes, "exclude", nil, "leave out paths matching this glob (repeatable), such as examples/** or package.json")
	fs.StringVar(&f.config, "config", "", "the configuration file, instead of the compatcheck.yaml found from here up to the repository root")
	fs.StringVar(&f.base, "base", "", "with a configuration: the directory holding the base version of the repository, to compare every contract with")
	fs.BoolVarP(&f.verbose, "verbose", "v", false, "say on stderr which configuration and which versions of each contract are compared")
	fs.StringVar(&f.against, "against", "", "compare each PATH at this git ref (or last-release, the newest v* tag) with the working tree: --against REF PATH...")
	fs.BoolVar(&f.version, "version", false, "print the version and exit")
	fs.SortFlags = false
	return fs, f
}

// options turns the flag values into library options and a policy.
func (f *compareFlags) options() (compatcheck.Options, compat.Policy, error) {
	var opts compatcheck.Options
	var policy compat.Policy
	var err error
	if f.kind != "" {
		if opts.Kind, err = compatcheck.ParseKind(f.kind); err != nil {
			return opts, policy, usageError{err.Error()}
		}
	}
	failOn, err := compat.ParseClass(f.failOn)
	if err != nil {
		return opts, policy, usageError{"--fail-on: " + err.Error()}
	}
	policy = compat.FailOn(failOn)
	if policy.Require, err = compat.ParseRequirement(f.require); err != nil {
		return opts, policy, usageError{"--require: " + err.Error()}
	}
	policy.Hazards = f.failOnHazard
	if opts.Proto.Encodings, err = proto.ParseEncodings(f.protoEncoding); err != nil {
		return opts, policy, usageError{"--proto-encoding: " + err.Error()}
	}
	opts.Proto.FullCheck = f.protoFull
	opts.Proto.ImportPaths = f.protoPaths
	switch f.protoJSONReaders {
	case "lenient":
	case "strict":
		opts.Proto.StrictJSONReaders = true
	default:
		return opts, policy, usageError{fmt.Sprintf("--proto-json-readers: unknown value %q (want lenient or strict)", f.protoJSONReaders)}
	}
	if opts.OpenAPI.Audience, err = openapi.ParseAudience(f.audience); err != nil {
		return opts, policy, usageError{"--audience: " + err.Error()}
	}
	model, err := jsonschema.ParseModel(f.schemaModel)
	if err != nil {
		return opts, policy, usageError{"--schema-model: " + err.Error()}
	}
	opts.JSONSchema.Model, opts.OpenAPI.Model = model, model
	if opts.JSONSchema.Refs, err = jsonschema.ParseRefs(f.refs); err != nil {
		return opts, policy, usageError{"--refs: " + err.Error()}
	}
	if f.pgVersion < compatcheck.MinPGVersion || f.pgVersion > compatcheck.MaxPGVersion {
		return opts, policy, usageError{fmt.Sprintf("--pg-version: %d is not supported (want %d to %d)", f.pgVersion, compatcheck.MinPGVersion, compatcheck.MaxPGVersion)}
	}
	opts.SQL.PGVersion = f.pgVersion
	if f.sqlLayout != "" {
		if opts.SQL.Layout, err = compatcheck.ParseSQLLayout(f.sqlLayout); err != nil {
			return opts, policy, usageError{"--sql-layout: " + err.Error()}
		}
	}
	for _, g := range f.excludes {
		if err := compat.ValidateExclude(g); err != nil {
			return opts, policy, usageError{"--exclude: " + err.Error()}
		}
	}
	if opts.OpenAPI.Now, err = today(); err != nil {
		return opts, policy, err
	}
	return opts, policy, nil
}

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) (status int, err error) {
	fs, f := newCompareFlagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage:\n  compatcheck [flags] OLD NEW\n  compatcheck [flags] --against REF [PATH...]\n  compatcheck [flags] --require MODE_TRANSITIVE V1 V2 ... VN\n  compatcheck [flags] --base DIR        (every contract of compatcheck.yaml)\n  compatcheck history [flags] [PATH]\n  compatcheck rules [--format text|json|markdown] [--kind KIND]\n  compatcheck completion bash|zsh|fish\n\nFlags:\n%s", fs.FlagUsages())
			return exitOK, nil
		}
		return exitBadArgs, usageError{err.Error()}
	}
	if f.version {
		fmt.Fprintln(stdout, "compatcheck", version())
		return exitOK, nil
	}
	opts, policy, err := f.options()
	if err != nil {
		return exitBadArgs, err
	}
	targets, err := parseOutputs(f.format, fs.Changed("format"), f.outputs)
	if err != nil {
		return exitBadArgs, err
	}
	color, err := colorMode(f.color, isTerminal(stdout), os.Getenv)
	if err != nil {
		return exitBadArgs, err
	}
	paths := fs.Args()
	var git gitInputs
	defer git.close()
	if err := openOutputs(targets); err != nil {
		discardOutputs(targets)
		return exitBadArgs, err
	}
	defer func() {
		if status == exitBadArgs {
			discardOutputs(targets)
		}
	}()
	var progressTo io.Writer
	if progressWanted(isTerminal(stderr), f.quiet, os.Getenv) {
		progressTo = stderr
	}
	prog := startProgress(progressTo, progressDelay, progressEvery)
	var (
		report *compat.Report
		enc    compat.EncodeOptions
	)
	switch {
	case f.against != "" && len(paths) > 0:
		prog.set(fmt.Sprintf("comparing %d paths with %s", len(paths), f.against))
		report, err = compareAgainst(ctx, &git, f.against, paths, opts, stderr)
		enc.Policy = policy
	case len(paths) == 0:
		prog.set("comparing the configured contracts")
		report, enc, err = compareContracts(ctx, fs, f, &git, opts, policy, stderr)
	default:
		report, enc, err = comparePaths(ctx, fs, f, &git, paths, opts, policy, prog, stderr)
	}
	prog.stop()
	if err != nil {
		return exitBadArgs, err
	}
	enc.ToolVersion = version()
	// Everything the comparison built (documents, memoized pairs) is garbage now, and the
	// collector, paced by GOGC=200, would let encoding grow the heap to three times what
	// it last found live, during the comparison: one collection here keeps the report's
	// encoding within what the comparison used (Stripe's peak RSS went from 382 to 275 MB).
	runtime.GC()
	if err := writeOutputs(stdout, targets, report, enc, color, f.quiet, os.Getenv); err != nil {
		return exitBadArgs, err
	}
	if report.Failed(enc.Policy) {
		return exitFailed, nil
	}
	return exitOK, nil
}

// comparePaths is the plain comparison, compatcheck OLD NEW (or, with a transitive
// --require mode, several versions), where each path is a file, a directory or REF:PATH.
func comparePaths(ctx context.Context, fs *flag.FlagSet, f *compareFlags, git *gitInputs, paths []string, opts compatcheck.Options, policy compat.Policy, prog *progress, stderr io.Writer) (*compat.Report, compat.EncodeOptions, error) {
	var enc compat.EncodeOptions
	if err := plainOnly(fs); err != nil {
		return nil, enc, err
	}
	if f.verbose {
		fmt.Fprintln(stderr, "compatcheck: OLD and NEW given: comparing them with the flags alone, no configuration is read")
	}
	switch {
	case len(paths) == 2:
	case len(paths) > 2 && policy.Require.Transitive:
	case len(paths) > 2:
		return nil, enc, usageError{"more than two versions need a transitive --require mode, such as backward_transitive"}
	default:
		return nil, enc, usageError{"need two versions to compare: compatcheck [flags] OLD NEW"}
	}
	sources := make([]compat.Source, len(paths))
	for i, p := range paths {
		var err error
		if sources[i], err = git.openInput(ctx, p); err != nil {
			return nil, enc, err
		}
		sources[i].Exclude = f.excludes
	}
	prog.set(fmt.Sprintf("comparing %d versions with %s", len(sources)-1, sources[len(sources)-1].Describe()))
	if len(sources) == 2 {
		prog.set(fmt.Sprintf("comparing %s with %s", sources[0].Describe(), sources[1].Describe()))
	}
	report, err := compareVersions(ctx, sources, opts)
	if err != nil {
		return nil, enc, err
	}
	enc = compat.EncodeOptions{OldName: sources[0].Name, NewName: sources[len(sources)-1].Name, Policy: policy}
	if len(sources) > 2 {
		// Findings come from several OLD versions; their message names which one, and
		// old-side paths stay relative.
		enc.OldName = ""
	}
	return report, enc, nil
}

// compareVersions compares the newest version with the one before it, or, given more
// versions (a transitive registry mode), with every earlier one. Findings against an
// earlier version name it in their message.
func compareVersions(ctx context.Context, sources []compat.Source, opts compatcheck.Options) (*compat.Report, error) {
	newest := sources[len(sources)-1]
	if len(sources) == 2 {
		r, _, err := compatcheck.Compare(ctx, sources[0], newest, opts)
		return r, err
	}
	if opts.Kind == "" {
		kind, err := compatcheck.DetectPair(sources[0], newest)
		if err != nil {
			return nil, err
		}
		opts.Kind = kind
	}
	all := &compat.Report{}
	for _, old := range sources[:len(sources)-1] {
		r, _, err := compatcheck.Compare(ctx, old, newest, opts)
		if err != nil {
			return nil, err
		}
		for i := range r.Findings {
			r.Findings[i].Message = fmt.Sprintf("against %s: %s", old.Describe(), r.Findings[i].Message)
		}
		all.Merge(r)
	}
	return all, nil
}

func hasFormat(name string) bool {
	for _, f := range compat.Formats() {
		if f == name {
			return true
		}
	}
	return false
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(devel)"
}

// newRulesFlagSet defines the flags of compatcheck rules.
func newRulesFlagSet() (fs *flag.FlagSet, format, kind *string) {
	fs = flag.NewFlagSet("compatcheck rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	format = fs.String("format", "text", "text, json or markdown")
	kind = fs.String("kind", "", "only the rules of this kind")
	return fs, format, kind
}

// runRules prints the rule registry: as a table, as JSON, or as the Markdown reference.
func runRules(args []string, stdout io.Writer) error {
	fs, format, kind := newRulesFlagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage:\n  compatcheck rules [flags]\n\nFlags:\n%s", fs.FlagUsages())
			return nil
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("rules takes no arguments, got %q", fs.Args())}
	}
	rules := compat.Rules()
	if *kind != "" {
		k, err := compatcheck.ParseKind(*kind)
		if *kind == string(compat.KindHistory) {
			k, err = compat.KindHistory, nil // the sequence rules of compatcheck history
		}
		if err != nil {
			return usageError{err.Error()}
		}
		var only []*compat.Rule
		for _, r := range rules {
			if r.Kind == k {
				only = append(only, r)
			}
		}
		rules = only
	}
	switch *format {
	case "text":
		return compat.WriteRuleList(stdout, rules)
	case "markdown":
		return compat.WriteRuleReference(stdout, rules)
	case "json":
		type jsonRule struct {
			ID       string      `json:"id"`
			Kind     compat.Kind `json:"kind"`
			Title    string      `json:"title"`
			Class    string      `json:"class"`
			Backward bool        `json:"backward"`
			Forward  bool        `json:"forward"`
			Scope    string      `json:"scope,omitempty"`
			Why      string      `json:"why"`
			Old      string      `json:"old,omitempty"`
			New      string      `json:"new,omitempty"`
			Safe     string      `json:"safe"`
		}
		out := make([]jsonRule, 0, len(rules))
		for _, r := range rules {
			class := r.Class().String()
			if r.Hazard {
				class = "hazard"
			}
			out = append(out, jsonRule{r.ID, r.Kind, r.Title, class, r.Backward, r.Forward, r.Scope, r.Why, r.Old, r.New, r.Safe})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return usageError{fmt.Sprintf("--format: unknown rules format %q (want text, json or markdown)", *format)}
}
