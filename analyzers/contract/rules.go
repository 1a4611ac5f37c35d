package contract

import "github.com/compatcheck/compatcheck/compat"

// The rules of the analyzers, declared once here (rather than in each analyzer's package)
// so that every program that lists rules, `compatcheck rules` included, registers them by
// importing this package.
//
// Each write rule is the same situation seen from the code: a read-tolerant change (B
// holds, F fails) made in this release, and a writer in the same release that already
// emits the new shape. The writer cannot wait for readers it ships with, so for the
// rollout of this release the readers lag (ReadersLag), which makes the write breaking.
var (
	RuleEnumValueWritten = register(compat.Rule{
		ID:       "ENUM_VALUE_WRITTEN_BEFORE_READERS",
		Title:    "A protobuf enum value added in this release is written",
		Backward: true, Forward: false, ReadersLag: true,
		Why: "Adding the value is read-tolerant (ENUM_VALUE_ADDED): new readers know it (B holds), old readers " +
			"cannot interpret it (F fails). This code sets, assigns, returns, sends or passes the value in the release " +
			"that adds it, so while the release rolls out (and after a rollback) old readers receive it: they cannot " +
			"have been upgraded first. Comparisons and switch cases only read the value and are not reported.",
		Old:  "// baseline: enum Status { STATUS_UNSPECIFIED = 0; STATUS_PAID = 2; }\norder.Status = shopv1.Status_STATUS_PAID",
		New:  "// this release adds STATUS_REFUNDED = 3\norder.Status = shopv1.Status_STATUS_REFUNDED",
		Safe: "Release the value first and write it from the next release, or keep the write behind a rollout gate until every reader runs this release.",
	},
		"Release the new value with readers that handle it, and no writer of it",
		"Regenerate the baseline at that release (compatcheck baseline)",
		"Write the value from the next release, or behind a rollout gate switched on once no old reader is left",
	)

	RuleMethodCalled = register(compat.Rule{
		ID:       "METHOD_CALLED_BEFORE_SERVERS",
		Title:    "A gRPC or Connect method added in this release is called",
		Backward: true, Forward: false, ReadersLag: true,
		Why: "Adding a method is read-tolerant (METHOD_ADDED, SERVICE_ADDED): old clients never call it (B holds), but old " +
			"servers answer Unimplemented (F fails). A client in the release that adds the method calls servers that may " +
			"still run the old release during the rollout.",
		Old:  "// baseline: service OrderService { rpc GetOrder(...) returns (Order); }\nclient.GetOrder(ctx, req)",
		New:  "// this release adds rpc RefundOrder\nclient.RefundOrder(ctx, req)",
		Safe: "Release the servers that implement the method first and call it from the next release, or behind a rollout gate.",
	},
		"Release the servers that implement the method, and no client of it",
		"Regenerate the baseline at that release (compatcheck baseline)",
		"Call the method from the next release, or behind a rollout gate switched on once every server serves it",
	)

	RuleEnumLabelWritten = register(compat.Rule{
		ID:       "ENUM_LABEL_WRITTEN_BEFORE_READERS",
		Title:    "A PostgreSQL enum label added by a migration of this release is written",
		Backward: true, Forward: false, ReadersLag: true,
		Why: "Adding a label is read-tolerant (ENUM_LABEL_ADDED): the released application's writes stay valid (B holds) " +
			"but it cannot interpret rows holding the new label (F fails). Constant SQL in this release that inserts or " +
			"updates a column to the label stores rows the previous release, still running during the rollout, reads.",
		Old:  "-- baseline: CREATE TYPE order_status AS ENUM ('new', 'paid');\ndb.Exec(\"UPDATE orders SET status = 'paid' WHERE id = $1\", id)",
		New:  "-- this release: ALTER TYPE order_status ADD VALUE 'refunded';\ndb.Exec(\"UPDATE orders SET status = 'refunded' WHERE id = $1\", id)",
		Safe: "Add the label in one release with readers that handle it, and write it from the next release or behind a rollout gate.",
	},
		"Release the migration that adds the label with readers that handle it, and no writer of it",
		"Regenerate the baseline at that release (compatcheck baseline)",
		"Write the label from the next release, or behind a rollout gate switched on once no old reader is left",
	)

	RuleJSONEnumValueWritten = register(compat.Rule{
		ID:       "JSON_ENUM_VALUE_WRITTEN_BEFORE_READERS",
		Title:    "A JSON contract enum value added in this release is written",
		Backward: true, Forward: false, ReadersLag: true,
		Why: "Adding a constant to a //compatcheck:contract type widens its JSON enum (ENUM_MEMBER_ADDED): new readers " +
			"accept it (B holds), old readers reject it (F fails). Code of the same release that writes the constant " +
			"sends it to readers that may still run the old release.",
		Old:  "//compatcheck:contract\ntype Status string\n\nconst StatusPaid Status = \"paid\"\n\nresp.Status = StatusPaid",
		New:  "const StatusRefunded Status = \"refunded\" // added in this release\n\nresp.Status = StatusRefunded",
		Safe: "Release the constant first and write it from the next release, or behind a rollout gate.",
	},
		"Release the new value with readers that accept it, and no writer of it",
		"Regenerate the baseline at that release (compatcheck baseline)",
		"Write the value from the next release, or behind a rollout gate switched on once no old reader is left",
	)

	RuleJSONNameChanged = register(compat.Rule{
		ID:       "JSON_NAME_CHANGED",
		Title:    "The JSON name of a contract type's Go field changed",
		Backward: false, Forward: false,
		Why: "The Go field is the same, but it now reads and writes another JSON property: old writers keep sending the " +
			"old name, which new readers no longer read, and new writers send a name old readers ignore. The answers " +
			"are those compat/jsonschema gives for removing the old property and adding the new one: both fail for a " +
			"field without omitempty (B and F), and both hold when the old and new properties are optional, although " +
			"readers then silently lose the value. encoding/json v1 matches names case-insensitively, so a change of " +
			"case alone still reads in v1 but not with encoding/json/v2.",
		Old:  "type Order struct {\n\tNote string `json:\"note\"`\n}",
		New:  "type Order struct {\n\tNote string `json:\"memo\"`\n}",
		Safe: "Keep the old name in the tag (the suggested fix), or add a field with the new name beside the old one, write both, move readers, then remove the old one.",
	},
		"Keep the old JSON name in the tag, or add the new name as a second field and write both",
		"Move every reader to the new name and release that",
		"Remove the old field in a later release, after marking it Deprecated",
	)
)

// advice holds each rule's safe sequence of releases.
var advice = map[string][]string{}

// register declares a rule of the analyzers with its advice.
func register(r compat.Rule, steps ...string) *compat.Rule {
	r.Kind = compat.KindGo
	p := compat.Register(r)
	advice[p.ID] = steps
	return p
}

// Advice returns the safe sequence of releases of one of the analyzers' rules.
func Advice(rule *compat.Rule) []string { return advice[rule.ID] }
