package proto

import "github.com/compatcheck/compatcheck/compat"

// adviceByRule holds each rule's safe sequence of releases, one step per string, declared
// beside the rule by register.
var adviceByRule = map[string][]string{}

// register declares a protobuf rule once, with the steps of its safe sequence of releases.
func register(r compat.Rule, advice ...string) *compat.Rule {
	r.Kind = compat.KindProto
	p := compat.Register(r)
	adviceByRule[p.ID] = advice
	return p
}

// adviceFor returns a finding's advice: its rule's own steps when the finding has the
// rule's class, or the generic sequence for its class when options or the case at hand
// changed it (a widening that is breaking only in JSON, judged for the wire alone).
func adviceFor(r *compat.Rule, class compat.Class) []string {
	if a := adviceByRule[r.ID]; len(a) > 0 && r.Class() == class {
		return a
	}
	if class == compat.ReadTolerant {
		return []string{
			"Release every reader with the new schema first",
			"Let writers produce the new shape only in a later release, once no old reader is left",
		}
	}
	return []string{
		"Add the new form beside the old one and release readers and writers that handle both",
		"Move every writer to the new form and wait until no data in the old form remains",
		"Remove the old form in a later release",
	}
}
