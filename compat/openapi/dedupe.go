package openapi

import (
	"cmp"
	"slices"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// advices holds the safe sequence of releases for each rule of this package, declared
// beside the rule.
var advices = map[string][]string{}

// register declares a rule and the steps of its safe sequence of releases.
func register(r compat.Rule, steps ...string) *compat.Rule {
	advices[r.ID] = steps
	return compat.Register(r)
}

// advice returns the safe sequence of releases for a finding: its rule's own steps, or
// for schema rules of the JSON Schema engine, steps that follow from the role.
func advice(f compat.Finding, r role) []string {
	if f.ReadersLag && f.Backward {
		return []string{
			"Public clients cannot be upgraded before servers: add the new shape as a new, opt-in element (a new field, operation, version or media type) instead of changing what existing clients read.",
			"Keep serving the old shape to clients that did not opt in until they are gone.",
		}
	}
	if steps, ok := advices[f.Rule]; ok && len(steps) > 0 {
		return steps
	}
	reader, writer := "servers", "clients"
	if r.serverWrites {
		reader, writer = "clients", "servers"
	}
	if !f.Backward {
		return []string{
			"Add the new shape beside the old one (a new field, media type or operation) so that " + reader + " accept both.",
			"Move every " + strings.TrimSuffix(writer, "s") + " to the new shape.",
			"Remove the old shape in a later release.",
		}
	}
	return []string{
		"Release and roll out " + reader + " that accept the new shape first.",
		"Release " + writer + " that produce it afterwards.",
	}
}

// dedupe merges findings that describe one change reached through several operations: a
// change to a shared component is reported once, with every operation and role it reaches.
// Findings merge when their rule, subject, answers, ReadersLag and message agree, so the
// same component in a request role and in a response role stays two findings when the
// roles give different answers.
func dedupe(in []compat.Finding) []compat.Finding {
	type key struct {
		rule, subject, message string
		b, f, lag              bool
	}
	index := map[key]int{}
	var out []compat.Finding
	for _, f := range in {
		k := key{f.Rule, f.Subject, f.Message, f.Backward, f.Forward, f.ReadersLag}
		if i, ok := index[k]; ok {
			out[i].Operations = append(out[i].Operations, f.Operations...)
			continue
		}
		index[k] = len(out)
		f.Operations = slices.Clone(f.Operations)
		out = append(out, f)
	}
	for i := range out {
		ops := out[i].Operations
		slices.SortFunc(ops, func(a, b compat.OperationRef) int {
			if c := cmp.Compare(a.Operation, b.Operation); c != 0 {
				return c
			}
			return cmp.Compare(a.Role, b.Role)
		})
		ops = slices.Compact(ops)
		// An operation-local subject names its operation already.
		if len(ops) == 1 && (out[i].Subject == ops[0].Operation || strings.HasPrefix(out[i].Subject, ops[0].Operation+" #")) {
			ops = nil
		}
		out[i].Operations = ops
	}
	return out
}
