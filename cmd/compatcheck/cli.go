package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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
	if len(args) > 0 && args[0] == "baseline" {
		return runBaseline(ctx, args[1:], stdout, stderr)
	}
	status, err := runCompare(ctx, args, stdout)
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
	protoEncoding, protoJSONReaders  string
	audience, schemaModel            string
	pgVersion                        int
	failOnHazard, protoFull, version bool
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
	fs.BoolVar(&f.protoFull, "proto-full-check", false, "protobuf: compile unchanged files too, so errors anywhere are reported (slower)")
	fs.StringVar(&f.protoJSONReaders, "proto-json-readers", "lenient", "protobuf JSON readers: lenient (ignore unknown fields) or strict")
	fs.StringVar(&f.audience, "audience", "public", "OpenAPI: public (clients cannot be upgraded first) or internal")
	fs.StringVar(&f.schemaModel, "schema-model", "produce-accept", "JSON Schema and OpenAPI schemas: produce-accept or strict")
	fs.IntVar(&f.pgVersion, "pg-version", 16, "SQL: PostgreSQL major version (11 to 17) that decides lock and rewrite hazards")
	fs.BoolVar(&f.failOnHazard, "fail-on-hazard", false, "SQL: also exit 1 when a finding carries a lock or rewrite hazard")
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
	if f.pgVersion < 11 || f.pgVersion > 17 {
		return opts, policy, usageError{fmt.Sprintf("--pg-version: %d is not supported (want 11 to 17)", f.pgVersion)}
	}
	opts.SQL.PGVersion = f.pgVersion
	return opts, policy, nil
}

func runCompare(ctx context.Context, args []string, stdout io.Writer) (int, error) {
	fs, f := newCompareFlagSet()
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stdout, "Usage:\n  compatcheck [flags] OLD NEW\n  compatcheck [flags] --require MODE_TRANSITIVE V1 V2 ... VN\n  compatcheck rules [--format text|json|markdown] [--kind KIND]\n\nFlags:\n%s", fs.FlagUsages())
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
	if !hasFormat(f.format) {
		return exitBadArgs, usageError{fmt.Sprintf("--format: unknown format %q (want one of %s)", f.format, strings.Join(compat.Formats(), ", "))}
	}
	paths := fs.Args()
	switch {
	case len(paths) == 2:
	case len(paths) > 2 && policy.Require.Transitive:
	case len(paths) > 2:
		return exitBadArgs, usageError{"more than two versions need a transitive --require mode, such as backward_transitive"}
	default:
		return exitBadArgs, usageError{"need two versions to compare: compatcheck [flags] OLD NEW"}
	}
	sources := make([]compat.Source, len(paths))
	for i, p := range paths {
		if sources[i], err = compat.OpenPath(p); err != nil {
			return exitBadArgs, err
		}
	}
	report, err := compareVersions(ctx, sources, opts)
	if err != nil {
		return exitBadArgs, err
	}
	enc := compat.EncodeOptions{OldName: sources[0].Name, NewName: sources[len(sources)-1].Name, Policy: policy}
	if len(sources) > 2 {
		// Findings come from several OLD versions; their message names which one, and
		// old-side paths stay relative.
		enc.OldName = ""
	}
	if err := compat.Encode(stdout, report, f.format, enc); err != nil {
		return exitBadArgs, err
	}
	if len(report.Failures(policy)) > 0 {
		return exitFailed, nil
	}
	return exitOK, nil
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

// runRules prints the rule registry: as a table, as JSON, or as the Markdown reference.
func runRules(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("compatcheck rules", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	format := fs.String("format", "text", "text, json or markdown")
	kind := fs.String("kind", "", "only the rules of this kind")
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
