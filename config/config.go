package config

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
)

// Version is the version of the file format this package reads (the file's
// "version: 1"). A later format gets a new number, so that an old compatcheck refuses
// a file it would misread instead of ignoring what it does not know.
const Version = 1

// FileNames are the names a configuration may have, in the order Find prefers them.
var FileNames = []string{"compatcheck.yaml", ".compatcheck.yaml"}

// Config is a decoded configuration file.
type Config struct {
	// File is the path the configuration was read from, as given to Load; positions of
	// errors in the file use it.
	File string
	// Dir is the directory holding File. Contract paths are relative to it, so it is
	// the repository root as far as the configuration is concerned.
	Dir string
	// Contracts are the inputs one run checks, in the order of the file.
	Contracts []*Contract
	// Excludes are globs of paths left out of every contract (see compat.Source.Exclude),
	// relative to each contract's path.
	Excludes []string
	// Rules are the selections and thresholds that apply to every contract that does not
	// set its own.
	Rules Rules
	// Ignores are the reviewed exceptions: findings they match are reported as
	// suppressed, with the ignore's reason.
	Ignores []*Ignore

	// name is File relative to Dir, the file name that directive positions carry.
	name string
}

// Contract is one named input of a configuration: a file or directory of one kind,
// compared as a whole, with the options of its kind.
type Contract struct {
	// Name identifies the contract in reports (each finding's Contract) and in ignores.
	Name string
	// Path is the contract's file or directory, slash-separated and relative to the
	// configuration's directory.
	Path string
	// Kind is the contract's kind; empty means it is detected from the files.
	Kind compat.Kind
	// Options are the engine options the file sets for the contract, over the engines'
	// defaults. Options.Kind is left empty; Kind says it.
	Options compatcheck.Options
	// Excludes are globs of paths inside the contract that are not part of it, such as
	// "examples/**" (see compat.Source.Exclude).
	Excludes []string
	// Rules override the configuration's Rules for this contract, key by key: a key the
	// contract sets replaces the top-level one, the others are inherited.
	Rules Rules
	// Pos is where the contract's entry starts in the file.
	Pos compat.Position

	pathPos compat.Position
	// optionPos holds the position of every kind-specific option key the entry sets, so
	// that an option of another kind can be refused once the kind is detected.
	optionPos map[string]compat.Position
}

// Rules selects which findings are reported and which of them fail the check. A nil
// field is one the file does not set.
type Rules struct {
	// Use, when set, reports only the findings whose rule or class it names; an empty
	// list reports everything.
	Use []Selector
	// Except drops the findings whose rule or class it names, and the hazards whose
	// hazard rule it names.
	Except []Selector
	// FailOn is the lowest class that fails, as --fail-on.
	FailOn *compat.Class
	// FailOnHazard also fails findings with a hazard, as --fail-on-hazard.
	FailOnHazard *bool
	// Require also fails findings without the answers a schema registry mode demands,
	// as --require (non-transitive modes only: one run compares two versions).
	Require *compat.Requirement
}

// Selector names a rule by ID, or a class of findings, in Rules.Use and Rules.Except.
type Selector struct {
	// Rule is a rule ID; empty when the selector is a class.
	Rule string
	// Class is additive, read-tolerant or breaking; None when the selector is a rule.
	Class compat.Class
	// Pos is where the selector is written.
	Pos compat.Position
}

// Ignore is a reviewed exception: it suppresses the findings of one rule whose subject
// or path matches, for a stated reason, until an optional date.
type Ignore struct {
	// Rule is the ID of the rule (or hazard rule) whose findings are suppressed.
	Rule string
	// Contract, when set, limits the ignore to the contract of that name.
	Contract string
	// Subject is a glob over the finding's subject, in doublestar syntax ("*" within
	// one "/"-separated segment, "**" across segments): "shop.v1.Order.*",
	// "#/components/schemas/Order/**".
	Subject string
	// Path is a glob over the finding's file (either side), relative to the
	// configuration's directory: "proto/legacy/**".
	Path string
	// Reason is why the findings are acceptable. It is required, so that every hole in
	// the check can be reviewed later.
	Reason string
	// Expires is the last day (YYYY-MM-DD) on which the ignore applies; empty for never.
	// After it the ignore suppresses nothing and fails the run.
	Expires string
	// Pos is where the entry is written.
	Pos compat.Position

	contractPos compat.Position
}

// Load reads and checks the configuration file at path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &compat.Error{Pos: compat.Position{File: path}, Msg: "no such configuration file"}
		}
		return nil, &compat.Error{Pos: compat.Position{File: path}, Msg: err.Error()}
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(f, maxFileSize+1)); err != nil {
		return nil, &compat.Error{Pos: compat.Position{File: path}, Msg: err.Error()}
	}
	if buf.Len() > maxFileSize {
		return nil, &compat.Error{Pos: compat.Position{File: path}, Msg: "configuration file is larger than 1 MiB"}
	}
	return Parse(path, buf.Bytes())
}

// maxFileSize bounds a configuration file; a larger one is not a configuration.
const maxFileSize = 1 << 20

// Parse checks data as the configuration file at path, which names the file in errors
// and decides Dir. Every problem is a *compat.Error at the file, line and column.
func Parse(path string, data []byte) (*Config, error) {
	cfg := &Config{File: path, Dir: filepath.Dir(path), name: filepath.ToSlash(filepath.Base(path))}
	d := &decoder{file: path}
	if err := d.decodeFile(data, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Contract returns the contract of the given name, or nil.
func (c *Config) Contract(name string) *Contract {
	for _, ct := range c.Contracts {
		if ct.Name == name {
			return ct
		}
	}
	return nil
}

// Policy returns the policy the configuration sets: the top-level rules' thresholds,
// with an entry in Contracts for every contract that sets its own.
func (c *Config) Policy() compat.Policy {
	p := c.Rules.policy(Rules{})
	for _, ct := range c.Contracts {
		if ct.Rules.FailOn == nil && ct.Rules.FailOnHazard == nil && ct.Rules.Require == nil {
			continue
		}
		if p.Contracts == nil {
			p.Contracts = map[string]compat.Policy{}
		}
		p.Contracts[ct.Name] = ct.Rules.policy(c.Rules)
	}
	return p
}

// policy is the policy of r, with the keys r does not set taken from parent.
func (r Rules) policy(parent Rules) compat.Policy {
	failOn := compat.Breaking
	if v := pick(r.FailOn, parent.FailOn); v != nil {
		failOn = *v
	}
	p := compat.FailOn(failOn)
	if v := pick(r.FailOnHazard, parent.FailOnHazard); v != nil {
		p.Hazards = *v
	}
	if v := pick(r.Require, parent.Require); v != nil {
		p.Require = *v
	}
	return p
}

func pick[T any](own, parent *T) *T {
	if own != nil {
		return own
	}
	return parent
}

// String formats a selector as written.
func (s Selector) String() string {
	if s.Rule != "" {
		return s.Rule
	}
	return s.Class.String()
}

// errorf returns a *compat.Error at pos.
func errorf(pos compat.Position, msg string) error {
	return &compat.Error{Pos: pos, Msg: strings.TrimSpace(msg)}
}

func posOf(file string) compat.Position { return compat.Position{File: file} }
