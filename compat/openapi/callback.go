package openapi

import (
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleCallbackAdded = register(compat.Rule{
	ID:         "CALLBACK_OPERATION_ADDED",
	Kind:       compat.KindOpenAPI,
	Title:      "A callback operation was added",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "callback request",
	Why: "In a callback the roles reverse: the API provider's server writes the request and the client's receiver " +
		"reads it. F fails for clients: the new server calls a receiver that old clients do not implement. The " +
		"readers are clients, so with a public audience the change is breaking.",
	Old:  "callbacks: {}",
	New:  "callbacks:\n  onEvent:\n    '{$request.body#/url}':\n      post: {...}",
	Safe: "Let clients opt in to the new callback (for example by subscribing to it) so that the server calls only receivers that implement it.",
}, "Release clients whose receivers implement the callback.", "Only then let servers call it, and only for clients that opted in.")

var ruleCallbackRemoved = register(compat.Rule{
	ID:       "CALLBACK_OPERATION_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A callback operation was removed",
	Backward: false,
	Forward:  true,
	Scope:    "callback request",
	Why: "B fails: old servers, still running during the rollout, keep calling the receiver that new clients no " +
		"longer implement; and old clients waiting for the callback stop receiving it.",
	Old:  "callbacks:\n  onEvent:\n    '{$request.body#/url}':\n      post: {...}",
	New:  "callbacks: {}",
	Safe: "Deprecate the callback, stop calling it from every server, then remove it in a later release.",
}, "Mark the callback deprecated and stop calling it from every server.", "Remove it from the document in a later release.")

var ruleWebhookAdded = register(compat.Rule{
	ID:         "WEBHOOK_ADDED",
	Kind:       compat.KindOpenAPI,
	Title:      "A webhook was added",
	Backward:   true,
	Forward:    false,
	ReadersLag: true,
	Scope:      "callback request",
	Why: "In a webhook the API provider's server writes the request and the client's receiver reads it. F fails " +
		"for clients: the new server sends a webhook old clients do not handle. With a public audience the change " +
		"is breaking.",
	Old:  "webhooks: {}",
	New:  "webhooks:\n  orderCreated:\n    post: {...}",
	Safe: "Send the new webhook only to clients that subscribe to it.",
}, "Release clients that handle the webhook.", "Only then send it, and only to clients that subscribed.")

var ruleWebhookRemoved = register(compat.Rule{
	ID:       "WEBHOOK_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "A webhook was removed",
	Backward: false,
	Forward:  true,
	Scope:    "callback request",
	Why:      "B fails: old servers keep sending the webhook during the rollout, and clients that relied on it stop receiving it without warning.",
	Old:      "webhooks:\n  orderCreated:\n    post: {...}",
	New:      "webhooks: {}",
	Safe:     "Deprecate the webhook, stop sending it from every server, then remove it in a later release.",
}, "Mark the webhook deprecated and stop sending it from every server.", "Remove it from the document in a later release.")

// compareCallbacks compares the callbacks of two versions of an operation, as operations
// whose requests the provider's server writes.
func (c *comparer) compareCallbacks(o, n *operation) {
	olds, err := c.callbackOperations(c.old, o)
	if err != nil {
		c.fail(err)
		return
	}
	news, err := c.callbackOperations(c.new, n)
	if err != nil {
		c.fail(err)
		return
	}
	c.compareOperations(olds, news, kindCallback)
}

func (c *comparer) callbackOperations(s *spec, op *operation) ([]*operation, error) {
	l, m, err := s.deref(op.at.child("callbacks"))
	if err != nil {
		return nil, err
	}
	var out []*operation
	for _, name := range sortedKeys(m) {
		if strings.HasPrefix(name, "x-") {
			continue
		}
		at, cb, err := s.deref(l.child(name))
		if err != nil {
			return nil, err
		}
		if cb == nil {
			return nil, s.errAt(l.child(name), "expected a callback object")
		}
		ops, err := s.operationsIn(at, kindCallback, op.ref.name+" callback "+name)
		if err != nil {
			return nil, err
		}
		out = append(out, ops...)
	}
	return out, nil
}
