package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/compatcheck/compatcheck"
	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/jsonschema"
	"github.com/compatcheck/compatcheck/compat/openapi"
	"github.com/compatcheck/compatcheck/compat/proto"
	"go.yaml.in/yaml/v3"
)

// decoder walks the YAML nodes of one file. Every value is checked against the key
// tables below, which are the one description of the format in Go; the JSON Schema
// beside this package describes the same keys, and schema_test.go keeps them equal.
type decoder struct {
	file string
}

// field is one key of a mapping and how its value is decoded into T. values lists the
// strings an enumerated key accepts; kinds, for a contract's option keys, lists the
// kinds the option applies to.
type field[T any] struct {
	key    string
	values []string
	kinds  []compat.Kind
	decode func(d *decoder, key, value *yaml.Node, into *T) error
}

var topFields = []field[Config]{
	{key: "version", decode: func(d *decoder, k, v *yaml.Node, c *Config) error {
		if v.ShortTag() != "!!int" {
			return d.errorf(v, "version: want the integer %d, got %s", Version, describe(v))
		}
		if n, err := strconv.Atoi(v.Value); err != nil || n != Version {
			return d.errorf(v, "version %s is not supported: this compatcheck reads version %d (a newer compatcheck may read it)", v.Value, Version)
		}
		return nil
	}},
	{key: "contracts", decode: func(d *decoder, k, v *yaml.Node, c *Config) error {
		items, err := d.list(v, "contracts")
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return d.errorf(v, "contracts: the list is empty; name at least one contract")
		}
		seen := map[string]*yaml.Node{}
		for i, item := range items {
			ct := &Contract{Pos: d.pos(item), optionPos: map[string]compat.Position{}}
			where := fmt.Sprintf("contracts[%d]", i)
			keys, err := decodeMapping(d, item, where, contractFields, ct)
			if err != nil {
				return err
			}
			for _, req := range []string{"name", "path"} {
				if keys[req] == nil {
					return d.errorf(item, "%s: needs a %s", where, req)
				}
			}
			if prev := seen[ct.Name]; prev != nil {
				return d.errorf(keys["name"], "%s.name: %q is also the name of the contract at line %d; names must be unique", where, ct.Name, prev.Line)
			}
			seen[ct.Name] = keys["name"]
			if ct.Kind != "" {
				if err := ct.checkOptions(ct.Kind, "is"); err != nil {
					return err
				}
			}
			c.Contracts = append(c.Contracts, ct)
		}
		return nil
	}},
	{key: "excludes", decode: func(d *decoder, k, v *yaml.Node, c *Config) error {
		var err error
		c.Excludes, err = d.excludes(v, "excludes")
		return err
	}},
	{key: "rules", decode: func(d *decoder, k, v *yaml.Node, c *Config) error {
		_, err := decodeMapping(d, v, "rules", rulesFields, &c.Rules)
		return err
	}},
	{key: "ignore", decode: func(d *decoder, k, v *yaml.Node, c *Config) error {
		items, err := d.list(v, "ignore")
		if err != nil {
			return err
		}
		for i, item := range items {
			ig := &Ignore{Pos: d.pos(item)}
			where := fmt.Sprintf("ignore[%d]", i)
			keys, err := decodeMapping(d, item, where, ignoreFields, ig)
			if err != nil {
				return err
			}
			switch {
			case keys["rule"] == nil:
				return d.errorf(item, "%s: needs the rule it ignores", where)
			case keys["reason"] == nil:
				return d.errorf(item, "%s: needs a reason: an ignore nobody can review later is a silent hole in the check", where)
			case keys["subject"] == nil && keys["path"] == nil:
				return d.errorf(item, "%s: needs a subject or a path glob saying which findings it ignores (to drop every finding of a rule, use rules.except)", where)
			}
			c.Ignores = append(c.Ignores, ig)
		}
		return nil
	}},
}

var contractFields = []field[Contract]{
	{key: "name", decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.str(v, "name")
		if err != nil {
			return err
		}
		if !contractName.MatchString(s) {
			return d.errorf(v, "name: %q is not a contract name (letters, digits, '.', '_' and '-', starting with a letter or digit)", s)
		}
		c.Name = s
		return nil
	}},
	{key: "path", decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.str(v, "path")
		if err != nil {
			return err
		}
		p, msg := cleanPath(s)
		if msg != "" {
			return d.errorf(v, "path: %q %s", s, msg)
		}
		c.Path, c.pathPos = p, d.pos(v)
		return nil
	}},
	{key: "kind", values: kindValues, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.enum(v, "kind", kindValues...)
		c.Kind = compat.Kind(s)
		return err
	}},
	{key: "excludes", decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		var err error
		c.Excludes, err = d.excludes(v, "excludes")
		return err
	}},
	{key: "rules", decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		_, err := decodeMapping(d, v, "rules", rulesFields, &c.Rules)
		return err
	}},
	{key: "proto-encoding", kinds: []compat.Kind{compat.KindProto}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		var names []string
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
			names = strings.Split(v.Value, ",")
		} else {
			var err error
			if names, err = d.strings(v, "proto-encoding"); err != nil {
				return err
			}
		}
		if len(names) == 0 {
			return d.errorf(v, "proto-encoding: name at least one encoding (wire, json)")
		}
		for _, n := range names {
			if n = strings.TrimSpace(n); n != string(proto.Wire) && n != string(proto.JSON) {
				return d.errorf(v, "proto-encoding: unknown protobuf encoding %q (want wire, json or both)", n)
			}
			c.Options.Proto.Encodings = append(c.Options.Proto.Encodings, proto.Encoding(n))
		}
		return nil
	}},
	{key: "proto-json-readers", values: jsonReadersValues, kinds: []compat.Kind{compat.KindProto}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.enum(v, "proto-json-readers", jsonReadersValues...)
		c.Options.Proto.StrictJSONReaders = s == "strict"
		return err
	}},
	{key: "proto-full-check", kinds: []compat.Kind{compat.KindProto}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		b, err := d.boolean(v, "proto-full-check")
		c.Options.Proto.FullCheck = b
		return err
	}},
	{key: "proto-paths", kinds: []compat.Kind{compat.KindProto}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		paths, err := d.strings(v, "proto-paths")
		c.Options.Proto.ImportPaths = paths
		return err
	}},
	{key: "audience", values: audienceValues, kinds: []compat.Kind{compat.KindOpenAPI}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.enum(v, "audience", audienceValues...)
		if err == nil {
			c.Options.OpenAPI.Audience, err = openapi.ParseAudience(s)
		}
		return err
	}},
	{key: "schema-model", values: modelValues, kinds: []compat.Kind{compat.KindJSONSchema, compat.KindOpenAPI}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.enum(v, "schema-model", modelValues...)
		if err == nil {
			var m jsonschema.Model
			m, err = jsonschema.ParseModel(s)
			c.Options.JSONSchema.Model, c.Options.OpenAPI.Model = m, m
		}
		return err
	}},
	{key: "refs", values: refsValues, kinds: []compat.Kind{compat.KindJSONSchema}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.enum(v, "refs", refsValues...)
		if err == nil {
			c.Options.JSONSchema.Refs, err = jsonschema.ParseRefs(s)
		}
		return err
	}},
	{key: "pg-version", kinds: []compat.Kind{compat.KindSQL}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		if v.ShortTag() != "!!int" {
			return d.errorf(v, "pg-version: want an integer (a PostgreSQL major version, %d to %d), got %s", minPG, maxPG, describe(v))
		}
		n, err := strconv.Atoi(v.Value)
		if err != nil || n < minPG || n > maxPG {
			return d.errorf(v, "pg-version: %s is not supported (want %d to %d)", v.Value, minPG, maxPG)
		}
		c.Options.SQL.PGVersion = n
		return nil
	}},
	{key: "sql-layout", kinds: []compat.Kind{compat.KindSQL}, decode: func(d *decoder, k, v *yaml.Node, c *Contract) error {
		s, err := d.str(v, "sql-layout")
		if err != nil {
			return err
		}
		l, err := compatcheck.ParseSQLLayout(s)
		if err != nil {
			return d.errorf(v, "sql-layout: %v", err)
		}
		c.Options.SQL.Layout = l
		return nil
	}},
}

// The PostgreSQL versions pg-version accepts: the root package's bounds, which are the
// SQL engine's in builds with cgo and a checked copy of them without.
const (
	minPG = compatcheck.MinPGVersion
	maxPG = compatcheck.MaxPGVersion
)

var rulesFields = []field[Rules]{
	{key: "use", decode: func(d *decoder, k, v *yaml.Node, r *Rules) error {
		var err error
		r.Use, err = d.selectors(v, "use", false)
		return err
	}},
	{key: "except", decode: func(d *decoder, k, v *yaml.Node, r *Rules) error {
		var err error
		r.Except, err = d.selectors(v, "except", true)
		return err
	}},
	{key: "fail-on", values: failOnValues, decode: func(d *decoder, k, v *yaml.Node, r *Rules) error {
		s, err := d.enum(v, "fail-on", failOnValues...)
		if err != nil {
			return err
		}
		c, _ := compat.ParseClass(s)
		r.FailOn = &c
		return nil
	}},
	{key: "fail-on-hazard", decode: func(d *decoder, k, v *yaml.Node, r *Rules) error {
		b, err := d.boolean(v, "fail-on-hazard")
		r.FailOnHazard = &b
		return err
	}},
	{key: "require", values: requireValues, decode: func(d *decoder, k, v *yaml.Node, r *Rules) error {
		s, err := d.enum(v, "require", requireValues...)
		if err != nil {
			return err
		}
		req, _ := compat.ParseRequirement(s)
		r.Require = &req
		return nil
	}},
}

var ignoreFields = []field[Ignore]{
	{key: "rule", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		s, err := d.str(v, "rule")
		if err != nil {
			return err
		}
		if _, ok := compat.LookupRule(s); !ok {
			return d.errorf(v, "rule: unknown rule %s (%s)", s, rulesHint())
		}
		ig.Rule = s
		return nil
	}},
	{key: "contract", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		var err error
		ig.Contract, err = d.str(v, "contract")
		ig.contractPos = d.pos(v)
		return err
	}},
	{key: "subject", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		var err error
		ig.Subject, err = d.glob(v, "subject")
		return err
	}},
	{key: "path", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		s, err := d.glob(v, "path")
		if err == nil && strings.HasPrefix(s, "/") {
			err = d.errorf(v, "path: %q is absolute; paths are relative to the configuration's directory", s)
		}
		ig.Path = s
		return err
	}},
	{key: "reason", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		s, err := d.str(v, "reason")
		if err == nil && strings.TrimSpace(s) == "" {
			err = d.errorf(v, "reason: is empty; say why the findings are acceptable")
		}
		ig.Reason = strings.Join(strings.Fields(s), " ")
		return err
	}},
	{key: "expires", decode: func(d *decoder, k, v *yaml.Node, ig *Ignore) error {
		tag := v.ShortTag()
		if v.Kind != yaml.ScalarNode || (tag != "!!timestamp" && tag != "!!str") {
			return d.errorf(v, "expires: want a date (YYYY-MM-DD), got %s", describe(v))
		}
		if _, err := time.Parse(time.DateOnly, v.Value); err != nil {
			return d.errorf(v, "expires: %q is not a date of the form YYYY-MM-DD", v.Value)
		}
		ig.Expires = v.Value
		return nil
	}},
}

// The values of the enumerated keys, exactly as written in the file (the flags accept
// other spellings; the file has one, which its schema lists).
var (
	kindValues        = []string{"proto", "jsonschema", "openapi", "sql"}
	jsonReadersValues = []string{"lenient", "strict"}
	audienceValues    = []string{"public", "internal"}
	modelValues       = []string{"produce-accept", "strict"}
	refsValues        = []string{"opaque", "strict"}
	failOnValues      = []string{"breaking", "read-tolerant", "additive", "none"}
	requireValues     = []string{"none", "backward", "forward", "full"}
)

var contractName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (d *decoder) decodeFile(data []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return errorf(compat.Position{File: d.file, Line: 1, Column: 1}, "the configuration is empty; it needs version: 1 and a list of contracts")
		}
		return d.yamlError(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return d.errorf(&extra, "a second YAML document; a configuration is one document (remove the ---)")
	case !errors.Is(err, io.EOF):
		return d.yamlError(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.ShortTag() == "!!null" {
		return errorf(compat.Position{File: d.file, Line: 1, Column: 1}, "the configuration is empty; it needs version: 1 and a list of contracts")
	}
	keys, err := decodeMapping(d, root, "the configuration", topFields, cfg)
	if err != nil {
		return err
	}
	switch {
	case keys["version"] == nil:
		return d.errorf(root, "needs version: %d (the format version this file is written for)", Version)
	case keys["contracts"] == nil:
		return d.errorf(root, "needs contracts: the list of files and directories to check")
	}
	// References between entries are checked once every entry is read.
	for i, ig := range cfg.Ignores {
		if ig.Contract == "" {
			continue
		}
		ct := cfg.Contract(ig.Contract)
		if ct == nil {
			return errorf(ig.contractPos, fmt.Sprintf("ignore[%d].contract: no contract is named %q", i, ig.Contract))
		}
		if r, _ := compat.LookupRule(ig.Rule); ct.Kind != "" && r.Kind != ct.Kind {
			return errorf(ig.contractPos, fmt.Sprintf("ignore[%d]: rule %s is a %s rule, but contract %s is %s; it could never match", i, ig.Rule, r.Kind, ct.Name, ct.Kind))
		}
	}
	return nil
}

// decodeMapping decodes the mapping n with fields, refusing unknown and repeated keys,
// and returns the key nodes it saw.
func decodeMapping[T any](d *decoder, n *yaml.Node, where string, fields []field[T], into *T) (map[string]*yaml.Node, error) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, d.errorf(n, "%s: want a mapping of keys to values, got %s", where, describe(n))
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			return nil, d.errorf(k, "%s: keys must be plain names (YAML merge keys and complex keys are not read)", where)
		}
		if prev := seen[k.Value]; prev != nil {
			return nil, d.errorf(k, "%s: key %s appears twice (also at line %d)", where, k.Value, prev.Line)
		}
		seen[k.Value] = k
		f := lookup(fields, k.Value)
		if f == nil {
			hint := ""
			for _, known := range keysOf(fields) {
				if lk, lv := looseKey(known), looseKey(k.Value); lk == lv || lk == lv+"s" || lk+"s" == lv {
					hint = "; did you mean " + known + "?"
				}
			}
			return nil, d.errorf(k, "%s: unknown key %q%s (want one of %s)", where, k.Value, hint, strings.Join(keysOf(fields), ", "))
		}
		if len(f.kinds) > 0 {
			if ct, ok := any(into).(*Contract); ok {
				ct.optionPos[f.key] = d.pos(k)
			}
		}
		if err := f.decode(d, k, v, into); err != nil {
			return nil, err
		}
	}
	return seen, nil
}

// looseKey folds the spellings people mistype keys in (pg_version, failOn, Fail-On) to
// one form, to suggest the key they meant.
func looseKey(s string) string {
	return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s))
}

func lookup[T any](fields []field[T], key string) *field[T] {
	for i := range fields {
		if fields[i].key == key {
			return &fields[i]
		}
	}
	return nil
}

func keysOf[T any](fields []field[T]) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.key
	}
	return out
}

// checkOptions refuses the option keys of the entry that do not apply to kind; how
// says whether the kind was written ("is") or detected ("was detected as").
func (c *Contract) checkOptions(kind compat.Kind, how string) error {
	for _, f := range contractFields {
		pos, set := c.optionPos[f.key]
		if !set || len(f.kinds) == 0 {
			continue
		}
		fits := false
		for _, k := range f.kinds {
			fits = fits || k == kind
		}
		if !fits {
			names := make([]string, len(f.kinds))
			for i, k := range f.kinds {
				names[i] = string(k)
			}
			return errorf(pos, fmt.Sprintf("%s applies to %s contracts, but contract %s %s %s", f.key, strings.Join(names, " and "), c.Name, how, kind))
		}
	}
	return nil
}

// resolve follows YAML aliases to the node they stand for.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (d *decoder) pos(n *yaml.Node) compat.Position {
	return compat.Position{File: d.file, Line: n.Line, Column: n.Column}
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) error {
	return errorf(d.pos(n), fmt.Sprintf(format, args...))
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError positions a syntax error of the YAML parser, which names only the line.
func (d *decoder) yamlError(err error) error {
	msg := err.Error()
	if g := yamlLine.FindStringSubmatch(msg); g != nil {
		line, _ := strconv.Atoi(g[1])
		return errorf(compat.Position{File: d.file, Line: line}, "not valid YAML: "+g[2])
	}
	return errorf(compat.Position{File: d.file}, "not valid YAML: "+strings.TrimPrefix(msg, "yaml: "))
}

// describe names the type of a value for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!str":
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing (null)"
	case "!!timestamp":
		return "the date " + n.Value
	}
	return "a value of type " + n.ShortTag()
}

func (d *decoder) str(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return "", d.errorf(v, "%s: want a string, got %s", key, describe(v))
	}
	if v.Value == "" {
		return "", d.errorf(v, "%s: is empty", key)
	}
	return v.Value, nil
}

func (d *decoder) enum(v *yaml.Node, key string, values ...string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return "", d.errorf(v, "%s: want one of %s, got %s", key, strings.Join(values, ", "), describe(v))
	}
	for _, want := range values {
		if v.Value == want {
			return want, nil
		}
	}
	return "", d.errorf(v, "%s: unknown value %q (want one of %s)", key, v.Value, strings.Join(values, ", "))
}

func (d *decoder) boolean(v *yaml.Node, key string) (bool, error) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" {
		return false, d.errorf(v, "%s: want true or false, got %s", key, describe(v))
	}
	b, err := strconv.ParseBool(v.Value)
	if err != nil {
		return false, d.errorf(v, "%s: want true or false, got %s", key, describe(v))
	}
	return b, nil
}

func (d *decoder) list(v *yaml.Node, key string) ([]*yaml.Node, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, d.errorf(v, "%s: want a list, got %s", key, describe(v))
	}
	out := make([]*yaml.Node, len(v.Content))
	for i, item := range v.Content {
		out[i] = resolve(item)
	}
	return out, nil
}

func (d *decoder) strings(v *yaml.Node, key string) ([]string, error) {
	items, err := d.list(v, key)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		s, err := d.str(item, fmt.Sprintf("%s[%d]", key, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *decoder) excludes(v *yaml.Node, key string) ([]string, error) {
	items, err := d.list(v, key)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		where := fmt.Sprintf("%s[%d]", key, i)
		s, err := d.str(item, where)
		if err != nil {
			return nil, err
		}
		if err := compat.ValidateExclude(s); err != nil {
			return nil, d.errorf(item, "%s: %v", where, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *decoder) glob(v *yaml.Node, key string) (string, error) {
	s, err := d.str(v, key)
	if err != nil {
		return "", err
	}
	if !doublestar.ValidatePattern(s) {
		return "", d.errorf(v, "%s: %q is not a valid glob: a [ or { is not closed", key, s)
	}
	return s, nil
}

// selectors decodes a list of rule IDs and classes. Hazard rules are named only where
// hazards can be dropped (except): a hazard is reported beside a finding, so "use" of
// one would have no meaning.
func (d *decoder) selectors(v *yaml.Node, key string, hazards bool) ([]Selector, error) {
	items, err := d.list(v, key)
	if err != nil {
		return nil, err
	}
	out := make([]Selector, 0, len(items))
	for i, item := range items {
		where := fmt.Sprintf("%s[%d]", key, i)
		s, err := d.str(item, where)
		if err != nil {
			return nil, err
		}
		sel := Selector{Pos: d.pos(item)}
		switch s {
		case "breaking", "read-tolerant", "additive":
			sel.Class, _ = compat.ParseClass(s)
		default:
			r, ok := compat.LookupRule(s)
			switch {
			case !ok && strings.ToUpper(s) != s:
				return nil, d.errorf(item, "%s: %q is neither a class (breaking, read-tolerant, additive) nor a rule ID", where, s)
			case !ok:
				return nil, d.errorf(item, "%s: unknown rule %s (%s)", where, s, rulesHint())
			case r.Hazard && !hazards:
				return nil, d.errorf(item, "%s: %s is a hazard, reported beside findings rather than as one; it can be dropped with except, not selected with use", where, s)
			}
			sel.Rule = s
		}
		out = append(out, sel)
	}
	return out, nil
}

// rulesHint says where the rule IDs are listed, and, in a build without the SQL engine,
// that its rules are unknown to this build rather than to compatcheck.
func rulesHint() string {
	if !compatcheck.SQLAvailable {
		return "compatcheck rules lists them; this compatcheck was built without cgo and does not know the SQL engine's rules"
	}
	return "compatcheck rules lists them"
}

// cleanPath checks a contract path and returns it cleaned, or says what is wrong.
func cleanPath(s string) (string, string) {
	switch {
	case strings.HasPrefix(s, "/") || windowsDrive.MatchString(s):
		return "", "is absolute; contract paths are relative to the configuration's directory"
	case strings.Contains(s, `\`):
		return "", `uses \; write paths with /`
	case slices.Contains(strings.Split(s, "/"), ".."):
		return "", "climbs with ..; contract paths stay inside the configuration's directory"
	}
	return path.Clean(s), ""
}

var windowsDrive = regexp.MustCompile(`^[A-Za-z]:`)
