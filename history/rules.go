package history

import "github.com/compatcheck/compatcheck/compat"

// The sequence rules. They are kind-independent: each judges the findings the engines
// report for pairs of releases, so one declaration serves protobuf, JSON Schema, OpenAPI
// and SQL alike, and their findings carry the contract's own kind. Examples are written
// as the releases of a history, one line per version.

var ruleExpandNotReleased = compat.Register(compat.Rule{
	ID:       "EXPAND_NOT_RELEASED",
	Kind:     compat.KindHistory,
	Title:    "An element was removed before any release shipped its deprecation",
	Backward: false,
	Forward:  true,
	Why: "B fails: the deprecation that would make this removal the contract step of expand–contract exists only " +
		"in unreleased commits (or a pre-release) since the last release, so every released writer and reader " +
		"still uses the element, and nobody running a release was ever told to stop. A two-snapshot comparison " +
		"of consecutive commits would call the removal safe.",
	Old: "v1.4.0:           string note = 2;\nunreleased commit: string note = 2 [deprecated = true];",
	New: "head:             reserved 2; reserved \"note\";",
	Safe: "Ship the deprecation in a release first, and remove the element in a later release, once no " +
		"supported release uses it.",
})

var ruleDeprecationWindowTooShort = compat.Register(compat.Rule{
	ID:       "DEPRECATION_WINDOW_TOO_SHORT",
	Kind:     compat.KindHistory,
	Title:    "A deprecated element was removed sooner than the deprecation window allows",
	Backward: false,
	Forward:  true,
	Why: "B fails for the users the deprecation policy (--min-deprecation-releases, --min-deprecation-days) promised " +
		"time to: the release that shipped the deprecation is fewer releases or fewer days before the removal than " +
		"the policy says, counted from tag dates, so writers and readers built against those releases may still use " +
		"the element.",
	Old:  "v1.3.0 (2024-03-01): string note = 2 [deprecated = true];",
	New:  "v1.4.0 (2024-03-10): reserved 2; reserved \"note\";   # --min-deprecation-days 30",
	Safe: "Keep the deprecated element until the deprecation has shipped in enough releases and for enough days, then remove it.",
})

var ruleRetiredElementReused = compat.Register(compat.Rule{
	ID:       "RETIRED_ELEMENT_REUSED",
	Kind:     compat.KindHistory,
	Title:    "An element an earlier release removed comes back with another meaning",
	Backward: false,
	Forward:  false,
	Why: "Neither B nor F: a field or enum number, a name, a JSON property or a SQL column that an earlier release " +
		"had and a later release removed returns with another type or meaning. Data the earlier release wrote " +
		"(in tables, queues, backups) is read with the new meaning, and that release's code, after a rollback or " +
		"in a lagging client, reads the new data with the old one. The newest release no longer mentions the " +
		"element, so comparing with it alone cannot see this; the reservation that protected it may have been " +
		"dropped in between.",
	Old:  "v1.1.0: string note = 5;\nv1.2.0: reserved 5;\nv1.3.0: (reservation dropped)",
	New:  "head:   int32 count = 5;",
	Safe: "Give the new element a new number or name, and keep the retired one reserved forever.",
})

var ruleIncompatibleWithEarlierRelease = compat.Register(compat.Rule{
	ID:       "INCOMPATIBLE_WITH_EARLIER_RELEASE",
	Kind:     compat.KindHistory,
	Title:    "The head is incompatible with a release inside the rollback window",
	Backward: false,
	Forward:  false,
	Why: "The answers are those of the comparison with the earlier release (shown here for a breaking one). " +
		"--window N asks that the head keep B, and F where the class needs it, against each of the last N " +
		"releases, because a rollback of N releases, or data written by them, meets the head. No single step " +
		"between them fails, but the steps together do: something an earlier release had comes back changed.",
	Old:  "v1.2.0: string id = 1;\nv1.3.0: (id removed, 1 not reserved)",
	New:  "head:   bytes id = 1;   # --window 2",
	Safe: "Keep the head compatible with every release in the window (restore the earlier shape, or use a new element), or shorten the window on purpose.",
})

var ruleWrittenBeforeReadable = compat.Register(compat.Rule{
	ID:       "WRITTEN_BEFORE_READABLE",
	Kind:     compat.KindHistory,
	Title:    "A change needs writers to emit a shape in the release that first lets readers accept it",
	Backward: false,
	Forward:  false,
	Why: "Read-before-write is broken: a read-tolerant change lets readers accept a new shape, and another change " +
		"of the same release (or of the same unreleased window) makes writers emit it at once, by requiring it " +
		"or by removing the old shape. Readers of the previous release are still running during the rollout and " +
		"reject it (no F), and the requirement rejects what the previous release's writers produce (no B).",
	Old:  "v1.4.0: {type: object, additionalProperties: false, properties: {id: …}}",
	New:  "commit 1: add optional property currency\ncommit 2: make currency required",
	Safe: "Ship the widening in one release, let writers emit the new shape from the release after it (its writable_from), and only then require it or remove the old shape.",
})
