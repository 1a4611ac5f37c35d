package openapi

import (
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleResponseSuccessStatusAdded = register(compat.Rule{
	ID:         "RESPONSE_SUCCESS_STATUS_ADDED",
	Kind:       compat.KindOpenAPI,
	Title:      "A success (or informational or redirect) response status was added",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "response",
	Why: "F fails for clients: the new server may answer with a status old clients do not expect, and they treat " +
		"it as the x00 status of its class with a body they cannot read. The readers are clients, so with a public " +
		"audience the change is breaking; with an internal audience it is read-tolerant.",
	Old:  "responses:\n  \"200\": {...}",
	New:  "responses:\n  \"200\": {...}\n  \"202\": {...}",
	Safe: "Release clients that handle the new status before servers send it; for a public API, return it only to clients that opt in.",
}, "Release and roll out clients that handle the new status.", "Only then let servers send it.")

var ruleResponseSuccessStatusRemoved = register(compat.Rule{
	ID:       "RESPONSE_SUCCESS_STATUS_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A success (or informational or redirect) response status was removed",
	Backward: false,
	Forward:  true,
	Scope:    "response",
	Why: "B fails: new clients built from the new document no longer handle a success status that old servers " +
		"still send during the rollout. Old clients reading new servers are unaffected.",
	Old:  "responses:\n  \"200\": {...}\n  \"201\": {...}",
	New:  "responses:\n  \"200\": {...}",
	Safe: "Keep documenting the status until no server sends it, and remove it in a later release.",
}, "Keep the status documented while any server may still send it.",
	"Stop sending it from every server.",
	"Remove it from the document in a later release.")

var ruleResponseErrorStatusAdded = register(compat.Rule{
	ID:       "RESPONSE_ERROR_STATUS_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "An error response status was added",
	Backward: true,
	Forward:  true,
	Scope:    "response",
	Why: "Both hold: HTTP clients must treat an error status they do not know as the x00 status of its class " +
		"(RFC 9110, section 15), so old clients handle the new 4xx or 5xx status as a generic error.",
	Old:  "responses:\n  \"200\": {...}",
	New:  "responses:\n  \"200\": {...}\n  \"429\": {...}",
	Safe: "Nothing to do.",
})

var ruleResponseErrorStatusRemoved = register(compat.Rule{
	ID:       "RESPONSE_ERROR_STATUS_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "An error response status was removed",
	Backward: true,
	Forward:  true,
	Scope:    "response",
	Why: "Both hold: a client meeting an error status it does not document treats it as the x00 status of its " +
		"class (RFC 9110, section 15), and a server that stops sending an error breaks no reader.",
	Old:  "responses:\n  \"200\": {...}\n  \"404\": {...}",
	New:  "responses:\n  \"200\": {...}",
	Safe: "Nothing to do.",
})

var ruleResponseHeaderRemoved = register(compat.Rule{
	ID:         "RESPONSE_HEADER_REMOVED",
	Kind:       compat.KindOpenAPI,
	Title:      "A response header was removed",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "response",
	Why: "F fails for clients: old clients may read the header and the new server no longer sends it. The " +
		"readers are clients, so with a public audience the change is breaking.",
	Old:  "headers:\n  X-Rate-Limit: {schema: {type: integer}}",
	New:  "headers: {}",
	Safe: "Deprecate the header, keep sending it until no client reads it, then remove it.",
}, "Keep sending the header and mark it deprecated.", "Move every client off reading it.", "Remove it in a later release.")

var ruleResponseHeaderAdded = register(compat.Rule{
	ID:       "RESPONSE_HEADER_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "A response header was added",
	Backward: true,
	Forward:  true,
	Scope:    "response",
	Why:      "Both hold: old clients ignore response headers they do not know, and new clients reading old servers must treat a missing optional header as absent.",
	Old:      "headers: {}",
	New:      "headers:\n  X-Request-Id: {schema: {type: string}}",
	Safe:     "Nothing to do.",
})

var ruleResponseHeaderAddedRequired = register(compat.Rule{
	ID:       "RESPONSE_HEADER_ADDED_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "A required response header was added",
	Backward: false,
	Forward:  true,
	Scope:    "response",
	Why:      "B fails: new clients rely on a header that old servers, still running during the rollout, do not send.",
	Old:      "headers: {}",
	New:      "headers:\n  X-Request-Id: {required: true, schema: {type: string}}",
	Safe:     "Add the header as optional, roll out every server that sends it, then mark it required.",
}, "Add the header as optional.", "Roll out every server that sends it.", "Mark it required in a later release.")

var ruleResponseHeaderBecameOptional = register(compat.Rule{
	ID:         "RESPONSE_HEADER_BECAME_OPTIONAL",
	Kind:       compat.KindOpenAPI,
	Title:      "A required response header became optional",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "response",
	Why:        "F fails for clients: old clients count on the header and the new server may omit it. The readers are clients, so with a public audience the change is breaking.",
	Old:        "X-Rate-Limit: {required: true}",
	New:        "X-Rate-Limit: {required: false}",
	Safe:       "Keep sending the header until no client depends on it.",
}, "Keep sending the header.", "Move every client to tolerate its absence.", "Make it optional in a later release.")

var ruleResponseHeaderBecameRequired = register(compat.Rule{
	ID:       "RESPONSE_HEADER_BECAME_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "An optional response header became required",
	Backward: false,
	Forward:  true,
	Scope:    "response",
	Why:      "B fails: new clients count on the header, but old servers, still running during the rollout, may omit it.",
	Old:      "X-Rate-Limit: {required: false}",
	New:      "X-Rate-Limit: {required: true}",
	Safe:     "Roll out every server that always sends the header before clients depend on it.",
}, "Roll out every server that always sends the header.", "Mark it required in a later release.")

// compareResponses pairs the responses of two versions of an operation by status code. A
// status present on one side only may be covered on the other by a range (4XX) or by
// default; it is then compared with that response instead of being reported as added or
// removed, so moving 404 into default with a compatible schema gives no finding.
func (c *comparer) compareResponses(o, n *operation) {
	ref := n.ref
	ol, om, err := c.old.deref(o.at.child("responses"))
	if err != nil {
		c.fail(err)
		return
	}
	nl, nm, err := c.new.deref(n.at.child("responses"))
	if err != nil {
		c.fail(err)
		return
	}
	codes := map[string]bool{}
	for k := range om {
		codes[k] = true
	}
	for k := range nm {
		codes[k] = true
	}
	keys := make([]string, 0, len(codes))
	for k := range codes {
		if !strings.HasPrefix(k, "x-") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, code := range keys {
		_, inOld := om[code]
		_, inNew := nm[code]
		r := ref.response(code)
		switch {
		case inOld && inNew:
			c.compareResponse(ol.child(code), nl.child(code), ref, r)
		case inOld:
			if cover := covering(nm, code); cover != "" {
				c.compareResponse(ol.child(code), nl.child(cover), ref, r)
				continue
			}
			at := ol.child(code)
			subject := ref.name + " #/responses/" + code
			if isErrorStatus(code) {
				c.add(ruleResponseErrorStatusRemoved.Findingf(subject, "response status %s was removed", code), ref, r, &at, nil)
			} else {
				c.add(ruleResponseSuccessStatusRemoved.Findingf(subject, "response status %s was removed", code), ref, r, &at, nil)
			}
		default:
			if cover := covering(om, code); cover != "" {
				c.compareResponse(ol.child(cover), nl.child(code), ref, r)
				continue
			}
			at := nl.child(code)
			subject := ref.name + " #/responses/" + code
			if isErrorStatus(code) {
				c.add(ruleResponseErrorStatusAdded.Findingf(subject, "response status %s was added", code), ref, r, nil, &at)
			} else {
				c.add(ruleResponseSuccessStatusAdded.Findingf(subject, "response status %s was added", code), ref, r, nil, &at)
			}
		}
	}
}

// covering returns the response key of m that serves code when m has no entry for it:
// its range (4XX), or default for an error status.
func covering(m map[string]any, code string) string {
	if len(code) == 3 && code[1] != 'X' && code[1] != 'x' {
		for _, rng := range []string{code[:1] + "XX", code[:1] + "xx"} {
			if _, ok := m[rng]; ok {
				return rng
			}
		}
	}
	// default documents the errors not listed; a success status it would formally cover
	// is still a status the other version does not promise.
	if code != "default" && isErrorStatus(code) {
		if _, ok := m["default"]; ok {
			return "default"
		}
	}
	return ""
}

// isErrorStatus reports whether a response key is an error: 4xx, 5xx or default (which
// documents the errors not listed).
func isErrorStatus(code string) bool {
	return code == "default" || strings.HasPrefix(code, "4") || strings.HasPrefix(code, "5")
}

// compareResponse compares two response objects: headers and content.
func (c *comparer) compareResponse(ol, nl loc, ref opRef, r role) {
	oat, oresp, err := c.old.deref(ol)
	if err != nil {
		c.fail(err)
		return
	}
	nat, nresp, err := c.new.deref(nl)
	if err != nil {
		c.fail(err)
		return
	}
	if oresp == nil || nresp == nil {
		return
	}
	c.compareHeaders(oat.child("headers"), nat.child("headers"), ref, r)
	c.compareContent(oat.child("content"), nat.child("content"), ref, r, false)
}

// compareHeaders compares two response header maps; header names are case-insensitive.
func (c *comparer) compareHeaders(ol, nl loc, ref opRef, r role) {
	ol, om, err := c.old.deref(ol)
	if err != nil {
		c.fail(err)
		return
	}
	nl, nm, err := c.new.deref(nl)
	if err != nil {
		c.fail(err)
		return
	}
	newBy := map[string]string{}
	for _, k := range sortedKeys(nm) {
		newBy[strings.ToLower(k)] = k
	}
	oldBy := map[string]string{}
	for _, k := range sortedKeys(om) {
		oldBy[strings.ToLower(k)] = k
		nk, ok := newBy[strings.ToLower(k)]
		if !ok {
			at := ol.child(k)
			c.add(ruleResponseHeaderRemoved.Findingf(c.old.subject(at), "response header %s was removed", k), ref, r, &at, nil)
			continue
		}
		oat, oh, err := c.old.deref(ol.child(k))
		if err != nil {
			c.fail(err)
			return
		}
		nat, nh, err := c.new.deref(nl.child(nk))
		if err != nil {
			c.fail(err)
			return
		}
		oreq, _ := oh["required"].(bool)
		nreq, _ := nh["required"].(bool)
		switch {
		case oreq && !nreq:
			c.add(ruleResponseHeaderBecameOptional.Findingf(c.new.subject(nat), "response header %s became optional", nk), ref, r, &oat, &nat)
		case !oreq && nreq:
			c.add(ruleResponseHeaderBecameRequired.Findingf(c.new.subject(nat), "response header %s became required", nk), ref, r, &oat, &nat)
		}
		_, os := oh["schema"]
		_, ns := nh["schema"]
		if os && ns {
			c.compareSchema(oat.child("schema"), nat.child("schema"), ref, r)
		}
	}
	for _, k := range sortedKeys(nm) {
		if _, ok := oldBy[strings.ToLower(k)]; ok {
			continue
		}
		at := nl.child(k)
		_, h, err := c.new.deref(at)
		if err != nil {
			c.fail(err)
			return
		}
		if req, _ := h["required"].(bool); req {
			c.add(ruleResponseHeaderAddedRequired.Findingf(c.new.subject(at), "required response header %s was added", k), ref, r, nil, &at)
		} else {
			c.add(ruleResponseHeaderAdded.Findingf(c.new.subject(at), "response header %s was added", k), ref, r, nil, &at)
		}
	}
}
