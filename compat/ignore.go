package compat

import (
	"fmt"
	"strings"
)

// DirectiveWord is the word that starts an inline ignore directive. Engines find it in
// their format's comments ("// compatcheck:ignore RULE reason" in protobuf,
// "-- compatcheck:ignore RULE reason" in SQL) or extension keys
// (x-compatcheck-ignore in JSON Schema and OpenAPI).
const DirectiveWord = "compatcheck:ignore"

// Directive is an inline ignore written in the NEW version of a contract: it suppresses
// findings of one rule on the element it is attached to, for a reason a reviewer can read.
// Each engine decides what a directive is attached to (the statement after it in SQL, the
// element whose comment holds it in protobuf, the schema object holding the extension in
// JSON Schema and OpenAPI) and says so in its docs.
type Directive struct {
	// Rule is the ID of the rule the directive suppresses.
	Rule string `json:"rule"`
	// Reason is why the finding is acceptable. It is required: an ignore nobody can
	// review later is a silent hole in the check.
	Reason string `json:"reason"`
	// Pos is where the directive is written: for an inline directive, in a file of NEW,
	// relative to its root; for an entry of a configuration file, in that file, relative
	// to the directory holding it (the root the configuration's paths are relative to).
	Pos Position `json:"position"`
	// Expires is the last day (YYYY-MM-DD) on which the directive applies, when it has one.
	// Only ignores in a configuration can expire.
	Expires string `json:"expires,omitempty"`
}

// ExpiredMessage says that the directive expired and what to do, for the formats that
// print expired ignores.
func (d Directive) ExpiredMessage() string {
	return fmt.Sprintf("ignore of %s (%s) expired on %s: it no longer suppresses anything; fix what it hid, or renew it with a new date and reason",
		d.Rule, strings.Join(strings.Fields(d.Reason), " "), d.Expires)
}

// ParseDirective reads the text after DirectiveWord ("RULE reason…") as written in a file
// of the given kind. It fails when the rule is missing, unknown or of another kind, or
// when the reason is missing; the error says how to fix the directive and the caller
// positions it.
func ParseDirective(kind Kind, text string) (rule, reason string, err error) {
	fields := strings.Fields(text)
	switch len(fields) {
	case 0:
		return "", "", fmt.Errorf("%s needs a rule ID and a reason", DirectiveWord)
	case 1:
		return "", "", fmt.Errorf("%s %s needs a reason after the rule ID", DirectiveWord, fields[0])
	}
	r, ok := LookupRule(fields[0])
	if !ok || (kind != "" && r.Kind != kind) {
		if kind == "" {
			return "", "", fmt.Errorf("%s names unknown rule %s (compatcheck rules lists them)", DirectiveWord, fields[0])
		}
		return "", "", fmt.Errorf("%s names unknown %s rule %s (compatcheck rules --kind %s lists them)", DirectiveWord, kind, fields[0], kind)
	}
	return r.ID, strings.Join(fields[1:], " "), nil
}

// Suppress applies inline ignores that cover findings by where they are written: every
// finding that some directive of its rule covers is suppressed with the reason of the
// first such directive in ds, so the caller decides which reason wins by ordering ds. A
// directive is used when it covers at least one finding; the unused ones are returned,
// in the order of ds, for Report.Unused. covers(i, f) reports whether ds[i] covers f and
// is called only when ds[i] names f's rule. A finding already suppressed keeps its reason.
func Suppress(findings []Finding, ds []Directive, covers func(i int, f Finding) bool) []Directive {
	if len(ds) == 0 {
		return nil
	}
	used := make([]bool, len(ds))
	for fi := range findings {
		f := &findings[fi]
		for i, d := range ds {
			if d.Rule != f.Rule || !covers(i, *f) {
				continue
			}
			used[i] = true
			if f.Suppressed == "" {
				f.Suppressed = d.Reason
			}
		}
	}
	var unused []Directive
	for i, d := range ds {
		if !used[i] {
			unused = append(unused, d)
		}
	}
	return unused
}
