package compat

import "encoding/json"

// Kind names a contract format. It appears as "kind" in every finding.
type Kind string

// The kinds of contract compatcheck compares.
const (
	KindProto      Kind = "proto"
	KindJSONSchema Kind = "jsonschema"
	KindOpenAPI    Kind = "openapi"
	KindSQL        Kind = "sql"
	// KindHistory is the kind of the rules that judge a sequence of releases rather than
	// one pair of versions (compatcheck history). Their findings carry the kind of the
	// contract they are about; only the rules' declarations have this kind.
	KindHistory Kind = "history"
	// KindGo is Go code that writes, reads or serializes the other kinds of contract: the
	// rules of the go/analysis passes in analyzers/, whose examples are Go code.
	KindGo Kind = "go"
)

// Finding is one change between two versions of a contract, with the two answers of the
// compatibility model. Its class is derived from the answers by [Finding.Class] and never
// stored on its own.
type Finding struct {
	// Rule is the ID of a rule in the registry, such as "FIELD_NUMBER_CHANGED".
	Rule string
	// Backward answers B: can a new reader handle everything an old writer produced?
	Backward bool
	// Forward answers F: can an old reader handle everything a new writer produces?
	Forward bool
	// ReadersLag is set when the readers of the new shape cannot be upgraded before its
	// writers (for example the clients of a public API reading a response). Read-before-
	// write is then impossible to schedule, so a change that is not forward-safe is
	// breaking rather than read-tolerant.
	ReadersLag bool
	// Kind is the format of the contract.
	Kind Kind
	// Contract names the configured contract the finding belongs to when one run checks
	// several (the contracts of a compatcheck.yaml); empty for a plain comparison of two
	// versions. Its positions are then relative to the repository root, not to the
	// contract's own path.
	Contract string
	// Subject names what changed in the format's own terms: a fully qualified protobuf
	// element, a JSON pointer, "METHOD /path" plus a pointer, or "table.column".
	Subject string
	// Message says what changed, in one sentence without a trailing period.
	Message string
	// Old and New locate the change in each version; nil where the element does not exist.
	Old, New *Position
	// Operations lists, for a change to a shared OpenAPI component, every operation and
	// role the change reaches, so that the change is reported once.
	Operations []OperationRef
	// Hazards lists operational risks of applying the change (SQL locks and rewrites),
	// reported beside the class rather than folded into it.
	Hazards []Hazard
	// Witness is a concrete JSON instance that one side produces and the other rejects,
	// verified with a real validator before it is set.
	Witness json.RawMessage
	// Advice is the safe sequence of releases that reaches the same end state, one step
	// per element.
	Advice []string
	// Undecided is set when an answer that is "no" is conservative: the engine could not
	// prove the inclusion either way (a schema too large for its work budget, a reference
	// it did not read, a construct it does not model) and answered no rather than claim a
	// safety it has not shown. Such a finding carries no witness.
	Undecided bool
	// Release names the release in which the change happened, when a sequence of releases
	// is checked (compatcheck history); empty for a plain two-version comparison and for
	// the unreleased change a history judges. A finding with a Release is context: it
	// counts toward neither the verdict nor, unless [Policy.History] is set, the exit status.
	Release string
	// WritableFrom is, for a read-tolerant change checked across releases, the first
	// release in which writers may emit the new shape: the one after every reader accepted it.
	WritableFrom string
	// Suppressed holds the reason given by an ignore directive for this finding. A
	// suppressed finding is still reported but counts toward neither verdict nor exit status.
	Suppressed string
}

// Class derives the finding's class from its answers.
func (f Finding) Class() Class {
	if f.ReadersLag && !f.Forward {
		return Breaking
	}
	return ClassOf(f.Backward, f.Forward)
}

// Pos returns where the finding is best shown: the new side when it exists, else the old.
func (f Finding) Pos() Position {
	if f.New != nil {
		return *f.New
	}
	if f.Old != nil {
		return *f.Old
	}
	return Position{}
}

// OperationRef is one OpenAPI operation reached by a change, and the role the changed
// schema plays there.
type OperationRef struct {
	// Operation is "METHOD /path", such as "GET /users/{id}".
	Operation string `json:"operation"`
	// Role is where the schema is used: "request", "response", "callback request", and so on.
	Role string `json:"role"`
}

// Hazard is an operational risk of applying a change, such as a SQL statement that takes
// an ACCESS EXCLUSIVE lock and rewrites a table. It does not change the finding's class.
type Hazard struct {
	// Rule is the ID of a hazard rule in the registry.
	Rule string `json:"rule"`
	// Message says what the hazard is.
	Message string `json:"message"`
	// Lock is the lock the statement takes, such as "ACCESS EXCLUSIVE", when known.
	Lock string `json:"lock,omitempty"`
	// Rewrites is set when the statement rewrites the whole table.
	Rewrites bool `json:"rewrites"`
	// Scans is set when the statement reads the whole table while holding its lock.
	Scans bool `json:"scans"`
	// Pos locates the statement, when it is not the finding's own position.
	Pos *Position `json:"position,omitempty"`
	// Advice is the safe way to reach the same end state, one step per element.
	Advice []string `json:"advice,omitempty"`
	// Rejected is set when the server refuses the statement as written (CREATE INDEX
	// CONCURRENTLY inside a transaction block, for example): the change cannot be applied
	// at all, so a finding that carries such a hazard fails every policy (see
	// [Policy.Fails]) rather than only those that fail on hazards.
	Rejected bool `json:"rejected,omitempty"`
}
