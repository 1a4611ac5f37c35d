package compat

import (
	"fmt"
	"strings"
)

// Class is how a change behaves while two versions of a contract are live at once.
// Classes are ordered: a larger Class is riskier, so the highest class of a report is
// its verdict.
type Class int

const (
	// None is the verdict of a report without findings. No finding has this class.
	None Class = iota
	// Additive changes are backward- and forward-safe: safe in any rollout order and on
	// rollback.
	Additive
	// ReadTolerant changes are backward-safe only: safe when every reader accepts the new
	// shape in a release before any writer emits it (read-before-write).
	ReadTolerant
	// Breaking changes are not backward-safe (or not forward-safe for readers that cannot
	// be upgraded first): they need expand–contract across several releases.
	Breaking
)

var classNames = [...]string{None: "none", Additive: "additive", ReadTolerant: "read-tolerant", Breaking: "breaking"}

// ClassOf derives the class from the two answers of the compatibility model. A change
// that is forward-safe but not backward-safe (a new required field) is still breaking,
// because old writers keep producing data that new readers reject.
func ClassOf(backward, forward bool) Class {
	switch {
	case !backward:
		return Breaking
	case !forward:
		return ReadTolerant
	default:
		return Additive
	}
}

// String returns the class's name as used in reports and flags: "none", "additive",
// "read-tolerant" or "breaking".
func (c Class) String() string {
	if c < None || int(c) >= len(classNames) {
		return fmt.Sprintf("Class(%d)", int(c))
	}
	return classNames[c]
}

// ParseClass is the inverse of [Class.String]. It accepts the names case-insensitively and
// "read_tolerant" as a spelling of "read-tolerant".
func ParseClass(s string) (Class, error) {
	norm := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "_", "-")
	for c, name := range classNames {
		if name == norm {
			return Class(c), nil
		}
	}
	return None, fmt.Errorf("unknown class %q (want one of %s)", s, strings.Join(classNames[:], ", "))
}

// MarshalText encodes the class by name, so JSON reports say "breaking", not 3.
func (c Class) MarshalText() ([]byte, error) {
	if c < None || int(c) >= len(classNames) {
		return nil, fmt.Errorf("compat: invalid class %d (internal error)", int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText decodes a class name written by MarshalText.
func (c *Class) UnmarshalText(b []byte) error {
	v, err := ParseClass(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}
