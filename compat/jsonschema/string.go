package jsonschema

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleMinLengthIncreased = compat.Register(compat.Rule{
	ID: "MIN_LENGTH_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "A string's minLength was raised or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce strings shorter than the new minimum, which new readers reject. F holds.",
	Old:  `{"type": "string", "minLength": 1}`,
	New:  `{"type": "string", "minLength": 3}`,
	Safe: "Move writers to the longer strings first, migrate stored data, then raise minLength.",
})

var ruleMinLengthDecreased = compat.Register(compat.Rule{
	ID: "MIN_LENGTH_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "A string's minLength was lowered or removed",
	Backward: true, Forward: false,
	Why:  "B holds: old strings are still long enough. F fails: new writers may produce shorter strings that old readers reject.",
	Old:  `{"type": "string", "minLength": 3}`,
	New:  `{"type": "string", "minLength": 1}`,
	Safe: "Read before write: release readers with the lower minLength first, then writers.",
})

var ruleMaxLengthIncreased = compat.Register(compat.Rule{
	ID: "MAX_LENGTH_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "A string's maxLength was raised or removed",
	Backward: true, Forward: false,
	Why:  "B holds: old strings still fit. F fails: new writers may produce longer strings that old readers reject.",
	Old:  `{"type": "string", "maxLength": 50}`,
	New:  `{"type": "string", "maxLength": 100}`,
	Safe: "Read before write: release readers with the raised maxLength first, then writers that emit longer strings.",
})

var ruleMaxLengthDecreased = compat.Register(compat.Rule{
	ID: "MAX_LENGTH_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "A string's maxLength was lowered or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce strings longer than the new maximum, which new readers reject. F holds.",
	Old:  `{"type": "string", "maxLength": 100}`,
	New:  `{"type": "string", "maxLength": 50}`,
	Safe: "Move writers to the shorter strings first, migrate or truncate stored data, then lower maxLength.",
})

var rulePatternAdded = compat.Register(compat.Rule{
	ID: "PATTERN_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A string must now match a pattern",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce strings that do not match the new pattern. F holds: matching strings were accepted before.",
	Old:  `{"type": "string"}`,
	New:  `{"type": "string", "pattern": "^[a-z]+$"}`,
	Safe: "Move writers to matching strings first, migrate stored data, then add the pattern.",
})

var rulePatternRemoved = compat.Register(compat.Rule{
	ID: "PATTERN_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A string no longer has to match a pattern",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce strings the old pattern rejects.",
	Old:  `{"type": "string", "pattern": "^[a-z]+$"}`,
	New:  `{"type": "string"}`,
	Safe: "Read before write: release readers without the pattern first, then writers.",
})

var rulePatternNarrowed = compat.Register(compat.Rule{
	ID: "PATTERN_NARROWED", Kind: compat.KindJSONSchema,
	Title:    "A string's pattern changed to one that matches a strict subset",
	Backward: false, Forward: true,
	Why:  "The automata show every string the new pattern matches was matched before (F holds) but not the reverse: old writers may produce strings new readers reject (B fails).",
	Old:  `{"type": "string", "pattern": "^[a-z]+$"}`,
	New:  `{"type": "string", "pattern": "^[a-c]+$"}`,
	Safe: "Move writers to the narrower strings first, migrate stored data, then narrow the pattern.",
})

var rulePatternWidened = compat.Register(compat.Rule{
	ID: "PATTERN_WIDENED", Kind: compat.KindJSONSchema,
	Title:    "A string's pattern changed to one that matches a strict superset",
	Backward: true, Forward: false,
	Why:  "The automata show every string the old pattern matched still matches (B holds), but new writers may produce strings the old pattern rejects (F fails).",
	Old:  `{"type": "string", "pattern": "^[a-c]+$"}`,
	New:  `{"type": "string", "pattern": "^[a-z]+$"}`,
	Safe: "Read before write: release readers with the wider pattern first, then writers.",
})

var rulePatternChanged = compat.Register(compat.Rule{
	ID: "PATTERN_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A string's pattern changed and neither pattern's language is proven to contain the other",
	Backward: false, Forward: false,
	Why: "B and F fail: either the automata found strings matched by one pattern and not the other in both directions, " +
		"or the patterns are beyond what the engine models (word boundaries, multi-line anchors, the state budget) and inclusion could not be proven, which is answered no.",
	Old:  `{"type": "string", "pattern": "^[a-z]+$"}`,
	New:  `{"type": "string", "pattern": "^[0-9]+$"}`,
	Safe: "Expand–contract: accept both patterns (anyOf) in one release, move writers, then drop the old pattern.",
})

var ruleFormatAdded = compat.Register(compat.Rule{
	ID: "FORMAT_ADDED", Kind: compat.KindJSONSchema,
	Title:    "A string must now have a format (treated as an assertion)",
	Backward: false, Forward: true,
	Why:  "compatcheck treats format as an assertion, as validators configured to assert formats do. B fails: old writers may produce strings that are not in the format.",
	Old:  `{"type": "string"}`,
	New:  `{"type": "string", "format": "email"}`,
	Safe: "Move writers to formatted strings first, migrate stored data, then add the format.",
})

var ruleFormatRemoved = compat.Register(compat.Rule{
	ID: "FORMAT_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "A string no longer has to have a format",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce strings that old readers, asserting the format, reject.",
	Old:  `{"type": "string", "format": "email"}`,
	New:  `{"type": "string"}`,
	Safe: "Read before write: release readers without the format first, then writers.",
})

var ruleFormatChanged = compat.Register(compat.Rule{
	ID: "FORMAT_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A string's format changed",
	Backward: false, Forward: false,
	Why:  "Inclusion between two formats is not decided, so both directions are answered no: strings of the old format may fail the new one and the reverse.",
	Old:  `{"type": "string", "format": "hostname"}`,
	New:  `{"type": "string", "format": "ipv4"}`,
	Safe: "Expand–contract: accept both formats (anyOf) in one release, move writers, then drop the old one.",
})

func lengthText(l int) string {
	if l < 0 {
		return "none"
	}
	return fmt.Sprint(l)
}

func (c *Comparison) compareStrings(o, n *node) []compat.Finding {
	var fs []compat.Finding
	add := func(r *compat.Rule, kw string, b, f bool, msg string) {
		x := c.finding(r, o, n, kw, b, f, msg)
		fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tString)))
	}
	omin, nmin := max(o.minLen, 0), max(n.minLen, 0)
	switch {
	case nmin > omin:
		add(ruleMinLengthIncreased, "minLength", false, true, fmt.Sprintf("minLength raised from %d to %d", omin, nmin))
	case nmin < omin:
		add(ruleMinLengthDecreased, "minLength", true, false, fmt.Sprintf("minLength lowered from %d to %d", omin, nmin))
	}
	switch {
	case o.maxLen == n.maxLen:
	case n.maxLen >= 0 && (o.maxLen < 0 || n.maxLen < o.maxLen):
		add(ruleMaxLengthDecreased, "maxLength", false, true, fmt.Sprintf("maxLength lowered from %s to %d", lengthText(o.maxLen), n.maxLen))
	default:
		add(ruleMaxLengthIncreased, "maxLength", true, false, fmt.Sprintf("maxLength raised from %d to %s", o.maxLen, lengthText(n.maxLen)))
	}
	switch {
	case o.pattern == n.pattern:
	case o.pattern == "":
		add(rulePatternAdded, "pattern", false, true, fmt.Sprintf("pattern %s added", quote(n.pattern)))
	case n.pattern == "":
		add(rulePatternRemoved, "pattern", true, false, fmt.Sprintf("pattern %s removed", quote(o.pattern)))
	case opaqueText(o) || opaqueText(n):
		add(rulePatternChanged, "pattern", false, false, fmt.Sprintf("pattern changed from %s to %s (RE2 cannot read it, so it was compared as text and answered no)", quote(o.pattern), quote(n.pattern)))
	default:
		b, bd, _ := includes(o.pattern, n.pattern)
		f, fd, _ := includes(n.pattern, o.pattern)
		msg := fmt.Sprintf("pattern changed from %s to %s", quote(o.pattern), quote(n.pattern))
		switch {
		case b && f:
			// Same language, different spelling.
		case f && !b:
			if !bd {
				msg += unproven
			}
			add(rulePatternNarrowed, "pattern", false, true, msg)
		case b && !f:
			if !fd {
				msg += unproven
			}
			add(rulePatternWidened, "pattern", true, false, msg)
		default:
			if !bd || !fd {
				msg += unproven
			}
			add(rulePatternChanged, "pattern", false, false, msg)
		}
	}
	switch {
	case o.format == n.format:
	case o.format == "":
		add(ruleFormatAdded, "format", false, true, fmt.Sprintf("format %s added", quote(n.format)))
	case n.format == "":
		add(ruleFormatRemoved, "format", true, false, fmt.Sprintf("format %s removed", quote(o.format)))
	default:
		add(ruleFormatChanged, "format", false, false, fmt.Sprintf("format changed from %s to %s", quote(o.format), quote(n.format)))
	}
	return fs
}
