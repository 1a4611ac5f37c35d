package compat

import (
	"fmt"
	"regexp"
	"sort"
	"sync"
)

// Rule declares one kind of change an engine reports. Each rule is declared once, as data;
// the engine refers to the declaration when it reports a finding, and the rule reference
// (docs/rules.md, `compatcheck rules`) is generated from the registry.
type Rule struct {
	// ID is stable and reads as a sentence: FIELD_NUMBER_CHANGED. IDs are unique across kinds.
	ID string
	// Kind is the format the rule belongs to.
	Kind Kind
	// Title says in a few words what changed.
	Title string
	// Backward and Forward are the answers for the change the rule describes, under the
	// default options. The class in the reference is derived from them. A finding may
	// carry different answers when options change them (Why says when).
	Backward, Forward bool
	// ReadersLag marks rules whose readers cannot be upgraded first (see
	// [Finding.ReadersLag]).
	ReadersLag bool
	// Hazard marks a rule that names an operational hazard reported beside a class
	// (in [Finding.Hazards]) rather than a change with answers of its own.
	Hazard bool
	// Scope says which encodings, roles or versions the rule concerns, when that matters
	// (for protobuf: "wire", "json" or "wire, json").
	Scope string
	// Why explains the answers: which of B and F fails, and for whom.
	Why string
	// Old and New are a minimal example pair in the format's own syntax.
	Old, New string
	// Safe is the safe alternative: the sequence of releases that reaches the same end state.
	Safe string
}

// Class is the class the rule's default answers give.
func (r *Rule) Class() Class {
	if r.Hazard {
		return None
	}
	return Finding{Backward: r.Backward, Forward: r.Forward, ReadersLag: r.ReadersLag}.Class()
}

// Finding returns a finding of this rule with its default answers and kind. Engines set
// positions and adjust the answers where their options change them.
func (r *Rule) Finding(subject, message string) Finding {
	return Finding{
		Rule:       r.ID,
		Backward:   r.Backward,
		Forward:    r.Forward,
		ReadersLag: r.ReadersLag,
		Kind:       r.Kind,
		Subject:    subject,
		Message:    message,
	}
}

// Findingf is Finding with a formatted message.
func (r *Rule) Findingf(subject, format string, args ...any) Finding {
	return r.Finding(subject, fmt.Sprintf(format, args...))
}

// HazardOf returns a hazard of this rule.
func (r *Rule) HazardOf(message, lock string, rewrites, scans bool) Hazard {
	return Hazard{Rule: r.ID, Message: message, Lock: lock, Rewrites: rewrites, Scans: scans}
}

var (
	registryMu sync.RWMutex
	registry   = map[string]*Rule{}
	ruleID     = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
)

// Register adds a rule to the registry and returns it. It panics on a malformed or
// duplicate declaration: rules are declared in package variables, so such a mistake is a
// programming error caught by any test of the declaring package.
func Register(r Rule) *Rule {
	if err := r.validate(); err != nil {
		panic("compat.Register: " + err.Error())
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[r.ID]; dup {
		panic("compat.Register: duplicate rule " + r.ID)
	}
	p := &r
	registry[r.ID] = p
	return p
}

func (r *Rule) validate() error {
	switch {
	case !ruleID.MatchString(r.ID):
		return fmt.Errorf("rule ID %q is not UPPER_SNAKE_CASE", r.ID)
	case r.Kind == "":
		return fmt.Errorf("rule %s has no kind", r.ID)
	case r.Title == "":
		return fmt.Errorf("rule %s has no title", r.ID)
	case r.Why == "":
		return fmt.Errorf("rule %s does not say why it has its class", r.ID)
	case r.Old == "" && r.New == "":
		return fmt.Errorf("rule %s has no example", r.ID)
	case r.Safe == "":
		return fmt.Errorf("rule %s has no safe alternative", r.ID)
	}
	return nil
}

// LookupRule returns the registered rule with the given ID.
func LookupRule(id string) (*Rule, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	r, ok := registry[id]
	return r, ok
}

// Rules returns every registered rule, ordered by kind and ID.
func Rules() []*Rule {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return kindOrder(out[i].Kind) < kindOrder(out[j].Kind)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func kindOrder(k Kind) string {
	switch k {
	case KindProto:
		return "0"
	case KindJSONSchema:
		return "1"
	case KindOpenAPI:
		return "2"
	case KindSQL:
		return "3"
	case KindHistory:
		return "4"
	case KindGo:
		return "5"
	}
	return "9" + string(k)
}
