package compat

import (
	"fmt"
	"strings"
)

// Requirement is a schema registry compatibility mode mapped onto the two answers:
// BACKWARD needs B, FORWARD needs F, FULL needs both. The _TRANSITIVE forms apply the
// same test between the newest version and every earlier one rather than only the
// previous one; checking a sequence of versions is up to the caller (the CLI does it when
// given more than two versions).
type Requirement struct {
	Backward, Forward bool
	Transitive        bool
}

// ParseRequirement reads a registry mode name: none, backward, forward, full, and their
// _transitive forms, in any case, with '-' or '_'.
func ParseRequirement(s string) (Requirement, error) {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	var r Requirement
	base, transitive := strings.CutSuffix(norm, "_transitive")
	r.Transitive = transitive
	switch base {
	case "none", "":
		if transitive {
			return Requirement{}, fmt.Errorf("unknown compatibility mode %q", s)
		}
	case "backward":
		r.Backward = true
	case "forward":
		r.Forward = true
	case "full":
		r.Backward, r.Forward = true, true
	default:
		return Requirement{}, fmt.Errorf("unknown compatibility mode %q (want none, backward, forward, full, or one of those with _transitive)", s)
	}
	return r, nil
}

// String returns the registry name of the mode, such as "FULL_TRANSITIVE".
func (r Requirement) String() string {
	var s string
	switch {
	case r.Backward && r.Forward:
		s = "FULL"
	case r.Backward:
		s = "BACKWARD"
	case r.Forward:
		s = "FORWARD"
	default:
		return "NONE"
	}
	if r.Transitive {
		s += "_TRANSITIVE"
	}
	return s
}

// Satisfied reports whether the finding has the answers the mode demands.
func (r Requirement) Satisfied(f Finding) bool {
	return (!r.Backward || f.Backward) && (!r.Forward || f.Forward)
}
