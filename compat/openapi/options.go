package openapi

import (
	"fmt"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck/compat/jsonschema"
)

// Audience says whether an API's clients can be upgraded before its servers.
type Audience int

const (
	// Public (the default): clients cannot be upgraded first, so a change that is safe
	// only if clients read the new shape before servers write it is breaking.
	Public Audience = iota
	// Internal: clients are deployed by the same team and can be upgraded first, so such a
	// change stays read-tolerant.
	Internal
)

// String returns the flag spelling of the audience.
func (a Audience) String() string {
	if a == Internal {
		return "internal"
	}
	return "public"
}

// ParseAudience reads "public" or "internal".
func ParseAudience(s string) (Audience, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "public", "":
		return Public, nil
	case "internal":
		return Internal, nil
	}
	return Public, fmt.Errorf("unknown audience %q (want public or internal)", s)
}

// Options tunes the OpenAPI comparison. The zero value means a public audience and the
// produce-accept schema model.
type Options struct {
	// Audience says whether clients can be upgraded before servers; see [Audience].
	Audience Audience
	// Model decides what writers built from a schema produce; see [jsonschema.Model].
	Model jsonschema.Model
	// Now returns the current time, against which announced sunset dates (x-sunset, or a
	// documented Sunset header) are compared. Nil means time.Now; tests fix it so that
	// their results do not depend on the wall clock.
	Now func() time.Time
}
