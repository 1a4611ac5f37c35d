package openapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleOperationRemovedAfterDeprecation = register(compat.Rule{
	ID:       "OPERATION_REMOVED_AFTER_DEPRECATION",
	Kind:     compat.KindOpenAPI,
	Title:    "A deprecated operation was removed",
	Backward: true,
	Forward:  true,
	Why: "The old version already marked the operation deprecated (and its sunset, if announced, has passed), so " +
		"this removal is the contract step of expand–contract: clients were told to move off it in an earlier " +
		"release.",
	Old:  "paths:\n  /v1/users:\n    get:\n      deprecated: true",
	New:  "paths: {}",
	Safe: "Nothing more to do: this is the safe last step.",
})

var ruleOperationRemovedBeforeSunset = register(compat.Rule{
	ID:       "OPERATION_REMOVED_BEFORE_SUNSET",
	Kind:     compat.KindOpenAPI,
	Title:    "An operation was removed before its announced sunset",
	Backward: false,
	Forward:  true,
	Why: "B fails: the old version promised clients the operation until its sunset date (x-sunset, or the example " +
		"of a documented Sunset response header), and that date has not come, so old clients still rely on it.",
	Old:  "paths:\n  /v1/users:\n    get:\n      deprecated: true\n      x-sunset: \"2099-01-01\"",
	New:  "paths: {}",
	Safe: "Keep the operation until its sunset date has passed, then remove it.",
}, "Restore the operation.", "Remove it in a release after its announced sunset date.")

var ruleParameterRemovedAfterDeprecation = register(compat.Rule{
	ID:       "PARAMETER_REMOVED_AFTER_DEPRECATION",
	Kind:     compat.KindOpenAPI,
	Title:    "A deprecated parameter was removed",
	Backward: true,
	Forward:  true,
	Why: "The old version already marked the parameter deprecated (and any announced sunset has passed), so the " +
		"removal is the contract step of expand–contract.",
	Old:  "parameters:\n  - {name: page, in: query, deprecated: true}",
	New:  "parameters: []",
	Safe: "Nothing more to do: this is the safe last step.",
})

var ruleParameterRemovedBeforeSunset = register(compat.Rule{
	ID:       "PARAMETER_REMOVED_BEFORE_SUNSET",
	Kind:     compat.KindOpenAPI,
	Title:    "A parameter was removed before its announced sunset",
	Backward: false,
	Forward:  true,
	Why: "B fails: the old version promised the parameter until a sunset date that has not come, so old clients " +
		"still send it and rely on its effect.",
	Old:  "parameters:\n  - {name: page, in: query, deprecated: true, x-sunset: \"2099-01-01\"}",
	New:  "parameters: []",
	Safe: "Keep the parameter until its sunset date has passed, then remove it.",
}, "Restore the parameter.", "Remove it in a release after its announced sunset date.")

// deprecationState says what the old version announced about an element being removed.
type deprecationState struct {
	deprecated   bool      // marked deprecated, or given a sunset that has passed
	beforeSunset bool      // a sunset date is announced and has not come yet
	sunset       time.Time // the announced sunset, when there is one
}

// deprecation reads the deprecated flag and the sunset of an element of the old version.
// The sunset is the element's x-sunset, else (for parameters) the operation's, else the
// example of a Sunset header documented on one of the operation's responses. "Before its
// sunset" compares with Options.Now, so tests do not depend on the wall clock.
func (c *comparer) deprecation(obj map[string]any, op *operation) deprecationState {
	var d deprecationState
	d.deprecated, _ = obj["deprecated"].(bool)
	sunset, ok := parseSunset(obj["x-sunset"])
	if !ok && op != nil {
		sunset, ok = parseSunset(op.obj["x-sunset"])
		if !ok {
			sunset, ok = c.sunsetHeader(op)
		}
	}
	if ok {
		d.sunset = sunset
		if c.now.Before(sunset) {
			d.beforeSunset = true
		} else {
			d.deprecated = true
		}
	}
	return d
}

// sunsetHeader finds the example date of a Sunset header (RFC 8594) documented on any
// response of an old operation.
func (c *comparer) sunsetHeader(op *operation) (time.Time, bool) {
	// Errors are not reported here: the comparison of the same objects reports them.
	rl, responses, err := c.old.deref(op.at.child("responses"))
	if err != nil {
		return time.Time{}, false
	}
	for _, code := range sortedKeys(responses) {
		rat, resp, err := c.old.deref(rl.child(code))
		if err != nil || resp == nil {
			continue
		}
		hl, headers, err := c.old.deref(rat.child("headers"))
		if err != nil {
			continue
		}
		for _, name := range sortedKeys(headers) {
			if !strings.EqualFold(name, "Sunset") {
				continue
			}
			_, h, err := c.old.deref(hl.child(name))
			if err != nil || h == nil {
				continue
			}
			if t, ok := parseSunset(h["example"]); ok {
				return t, true
			}
			if sch, _ := h["schema"].(map[string]any); sch != nil {
				if t, ok := parseSunset(sch["example"]); ok {
					return t, true
				}
				if ex, _ := sch["examples"].([]any); len(ex) > 0 {
					if t, ok := parseSunset(ex[0]); ok {
						return t, true
					}
				}
			}
		}
	}
	return time.Time{}, false
}

// parseSunset reads a date as an HTTP date (the Sunset header's format), an RFC 3339
// timestamp or a plain YYYY-MM-DD date.
func parseSunset(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{http.TimeFormat, time.RFC1123, time.RFC1123Z, time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
