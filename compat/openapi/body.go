package openapi

import (
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleRequestBodyAddedRequired = register(compat.Rule{
	ID:       "REQUEST_BODY_ADDED_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "A required request body was added",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why:      "B fails: old clients send no body and the new server requires one.",
	Old:      "post:\n  responses: {...}",
	New:      "post:\n  requestBody:\n    required: true\n    content: {application/json: {...}}",
	Safe:     "Add the body as optional with server-side defaults; make it required only when no old client is left.",
}, "Add the request body as optional, with server-side defaults when it is missing.",
	"Move every client to sending it.",
	"Make it required in a later release.")

var ruleRequestBodyAddedOptional = register(compat.Rule{
	ID:       "REQUEST_BODY_ADDED_OPTIONAL",
	Kind:     compat.KindOpenAPI,
	Title:    "An optional request body was added",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients send no body, which stays valid, so B holds. F fails for servers: a new client's body reaches " +
		"old servers mid-rollout, which ignore or reject it.",
	Old:  "post:\n  responses: {...}",
	New:  "post:\n  requestBody:\n    content: {application/json: {...}}",
	Safe: "Roll out servers that read the body before releasing clients that send it.",
}, "Release and fully roll out servers that read the body.", "Only then release clients that send it.")

var ruleRequestBodyRemoved = register(compat.Rule{
	ID:       "REQUEST_BODY_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "The request body was removed",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why:      "B fails: old clients keep sending a body that the new server no longer reads, so their data is dropped or rejected.",
	Old:      "post:\n  requestBody:\n    content: {application/json: {...}}",
	New:      "post:\n  responses: {...}",
	Safe:     "Move clients off the body first (make it optional and unused), then remove it in a later release.",
}, "Make the body optional and stop depending on it.", "Move every client off sending it.", "Remove it in a later release.")

var ruleRequestBodyBecameRequired = register(compat.Rule{
	ID:       "REQUEST_BODY_BECAME_REQUIRED",
	Kind:     compat.KindOpenAPI,
	Title:    "The request body became required",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why:      "B fails: old clients may omit the body and the new server rejects requests without it.",
	Old:      "requestBody:\n  required: false",
	New:      "requestBody:\n  required: true",
	Safe:     "Keep the body optional with server-side defaults until no client omits it.",
}, "Keep the body optional with server-side defaults.", "Move every client to sending it.", "Make it required in a later release.")

var ruleRequestBodyBecameOptional = register(compat.Rule{
	ID:       "REQUEST_BODY_BECAME_OPTIONAL",
	Kind:     compat.KindOpenAPI,
	Title:    "The request body became optional",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why:      "Old clients always send it, so B holds. F fails for servers: new clients may omit it and reach old servers that require it.",
	Old:      "requestBody:\n  required: true",
	New:      "requestBody:\n  required: false",
	Safe:     "Roll out servers that accept a missing body before releasing clients that omit it.",
}, "Release and fully roll out servers that accept requests without a body.", "Only then release clients that omit it.")

var ruleRequestMediaTypeAdded = register(compat.Rule{
	ID:       "REQUEST_MEDIA_TYPE_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "A request media type was added",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients keep sending the media types they know, so B holds. F fails for servers: a new client may send " +
		"the new media type to an old server, which answers 415.",
	Old:  "content:\n  application/json: {...}",
	New:  "content:\n  application/json: {...}\n  application/xml: {...}",
	Safe: "Roll out servers that accept the media type before releasing clients that send it.",
}, "Release and fully roll out servers that accept the new media type.", "Only then release clients that send it.")

var ruleRequestMediaTypeRemoved = register(compat.Rule{
	ID:       "REQUEST_MEDIA_TYPE_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A request media type was removed",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why:      "B fails: old clients keep sending the removed media type and the new server answers 415.",
	Old:      "content:\n  application/json: {...}\n  application/xml: {...}",
	New:      "content:\n  application/json: {...}",
	Safe:     "Move clients to another media type first, then remove it in a later release.",
}, "Keep accepting the media type.", "Move every client to another media type.", "Remove it in a later release.")

var ruleResponseMediaTypeAdded = register(compat.Rule{
	ID:       "RESPONSE_MEDIA_TYPE_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "A response media type was added",
	Backward: true,
	Forward:  true,
	Scope:    "response",
	Why: "Servers choose a response media type from the client's Accept header, so old clients, which never ask " +
		"for the new media type, never receive it: both B and F hold.",
	Old:  "content:\n  application/json: {...}",
	New:  "content:\n  application/json: {...}\n  text/csv: {...}",
	Safe: "Nothing to do.",
})

var ruleResponseMediaTypeRemoved = register(compat.Rule{
	ID:         "RESPONSE_MEDIA_TYPE_REMOVED",
	Kind:       compat.KindOpenAPI,
	Title:      "A response media type was removed",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "response",
	Why: "F fails for clients: an old client that asks for the removed media type gets 406 (or a body it cannot " +
		"parse) from the new server. The readers are clients, so with a public audience the change is breaking.",
	Old:  "content:\n  application/json: {...}\n  application/xml: {...}",
	New:  "content:\n  application/json: {...}",
	Safe: "Keep serving the media type until no client asks for it (watch the Accept headers), then remove it.",
}, "Keep serving the media type.", "Move every client to another media type.", "Remove it once no client asks for it.")

// compareRequestBody compares the request bodies of two versions of an operation.
func (c *comparer) compareRequestBody(o, n *operation) {
	ref, r := n.ref, n.ref.request()
	oat, obody, err := c.old.deref(o.at.child("requestBody"))
	if err != nil {
		c.fail(err)
		return
	}
	nat, nbody, err := c.new.deref(n.at.child("requestBody"))
	if err != nil {
		c.fail(err)
		return
	}
	subject := ref.name + " #/requestBody"
	oreq, _ := obody["required"].(bool)
	nreq, _ := nbody["required"].(bool)
	switch {
	case obody == nil && nbody == nil:
		return
	case nbody == nil:
		c.add(ruleRequestBodyRemoved.Finding(subject, "the request body was removed"), ref, r, &oat, nil)
		return
	case obody == nil && nreq:
		c.add(ruleRequestBodyAddedRequired.Finding(subject, "a required request body was added"), ref, r, nil, &nat)
		return
	case obody == nil:
		c.add(ruleRequestBodyAddedOptional.Finding(subject, "an optional request body was added"), ref, r, nil, &nat)
		return
	case !oreq && nreq:
		c.add(ruleRequestBodyBecameRequired.Finding(c.new.subject(nat), "the request body became required"), ref, r, &oat, &nat)
	case oreq && !nreq:
		c.add(ruleRequestBodyBecameOptional.Finding(c.new.subject(nat), "the request body became optional"), ref, r, &oat, &nat)
	}
	c.compareContent(oat.child("content"), nat.child("content"), ref, r, true)
}

// compareContent compares two content maps (media type → media type object) in role r.
func (c *comparer) compareContent(ol, nl loc, ref opRef, r role, request bool) {
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
	oldBy := map[string]string{}
	for _, k := range sortedKeys(om) {
		oldBy[normalizeMediaType(k)] = k
	}
	newBy := map[string]string{}
	for _, k := range sortedKeys(nm) {
		newBy[normalizeMediaType(k)] = k
	}
	for _, k := range sortedKeys(om) {
		nk, ok := newBy[normalizeMediaType(k)]
		if !ok {
			at := ol.child(k)
			subject := c.old.subject(ol) + "/" + escapeToken(k)
			if request {
				c.add(ruleRequestMediaTypeRemoved.Findingf(subject, "request media type %s was removed", k), ref, r, &at, nil)
			} else {
				c.add(ruleResponseMediaTypeRemoved.Findingf(subject, "response media type %s was removed", k), ref, r, &at, nil)
			}
			continue
		}
		oat, omt, err := c.old.deref(ol.child(k))
		if err != nil {
			c.fail(err)
			return
		}
		nat, nmt, err := c.new.deref(nl.child(nk))
		if err != nil {
			c.fail(err)
			return
		}
		_, os := omt["schema"]
		_, ns := nmt["schema"]
		if os && ns {
			c.compareSchema(oat.child("schema"), nat.child("schema"), ref, r)
		}
	}
	for _, k := range sortedKeys(nm) {
		if _, ok := oldBy[normalizeMediaType(k)]; ok {
			continue
		}
		at := nl.child(k)
		subject := c.new.subject(nl) + "/" + escapeToken(k)
		if request {
			c.add(ruleRequestMediaTypeAdded.Findingf(subject, "request media type %s was added", k), ref, r, nil, &at)
		} else {
			c.add(ruleResponseMediaTypeAdded.Findingf(subject, "response media type %s was added", k), ref, r, nil, &at)
		}
	}
}

// normalizeMediaType compares media types case-insensitively and without spaces around
// their parameters.
func normalizeMediaType(s string) string {
	parts := strings.Split(strings.ToLower(s), ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, ";")
}
