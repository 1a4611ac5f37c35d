package openapi

import (
	"regexp"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleOperationAdded = register(compat.Rule{
	ID:       "OPERATION_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "An operation was added",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients never call the new operation, so B holds. F fails for servers: during the rollout a new " +
		"client can reach an old server instance that answers 404 or 405. Servers are the readers here and can be " +
		"upgraded first, so the change is read-tolerant for every audience.",
	Old:  "paths:\n  /users:\n    get: {...}",
	New:  "paths:\n  /users:\n    get: {...}\n    post: {...}",
	Safe: "Deploy the servers that implement the operation everywhere first; release clients that call it afterwards.",
}, "Release and fully roll out the servers that implement the new operation.",
	"Only then release clients that call it.")

var ruleOperationRemoved = register(compat.Rule{
	ID:       "OPERATION_REMOVED",
	Kind:     compat.KindOpenAPI,
	Title:    "An operation was removed without being deprecated first",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why: "B fails: old clients keep calling the operation and the new server no longer serves it. The operation " +
		"was not marked deprecated in the old version, so clients had no warning (expand–contract was skipped).",
	Old:  "paths:\n  /users/{id}:\n    delete: {...}",
	New:  "paths:\n  /users/{id}: {}",
	Safe: "Mark the operation deprecated (with an x-sunset date or a Sunset header) in one release, move clients off it, and remove it in a later release after the sunset.",
}, "Restore the operation and mark it `deprecated: true`, announcing a sunset date (x-sunset or a Sunset response header).",
	"Move every client to the replacement.",
	"Remove the operation in a release after the sunset date.")

// operation kinds.
const (
	kindPath     = "path"
	kindCallback = "callback"
	kindWebhook  = "webhook"
)

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func isMethod(s string) bool {
	for _, m := range httpMethods {
		if m == s {
			return true
		}
	}
	return false
}

// operation is one operation of one version, with the path item it belongs to.
type operation struct {
	ref    opRef
	key    string // identity across versions: method plus path template without parameter names
	method string
	path   string // path template, callback expression or webhook name
	at     loc    // the operation object, at the end of the $refs it may be written as
	obj    map[string]any
	item   loc // the path item object, likewise
	itemV  map[string]any
	// written and itemWritten are where the operation and its path item are written,
	// which differs from at and item when they are $refs.
	written, itemWritten loc
	parent               string // for a callback operation, what names its callback
}

var templateParam = regexp.MustCompile(`\{[^}/]*\}`)

// pathKey forgets the names of path parameters: /users/{id} is /users/{userId}.
func pathKey(p string) string { return templateParam.ReplaceAllString(p, "{}") }

// pathOperations lists the operations under paths.
func (s *spec) pathOperations() ([]*operation, error) {
	return s.operationsIn(loc{s.root, "/paths"}, kindPath, "")
}

// webhooks lists the operations under webhooks (OpenAPI 3.1).
func (s *spec) webhooks() ([]*operation, error) {
	return s.operationsIn(loc{s.root, "/webhooks"}, kindWebhook, "")
}

// operationsIn lists the operations of a paths, webhooks or callback object at l.
func (s *spec) operationsIn(l loc, kind, parent string) ([]*operation, error) {
	l, m, err := s.deref(l)
	if err != nil {
		return nil, err
	}
	var out []*operation
	seen := map[string]bool{}
	for _, p := range sortedKeys(m) {
		if strings.HasPrefix(p, "x-") {
			continue
		}
		if written, ok := m[p].(map[string]any); ok {
			if err := s.checkItemRef(l.child(p), written); err != nil {
				return nil, err
			}
		}
		itemAt, item, err := s.deref(l.child(p))
		if err != nil {
			return nil, err
		}
		if item == nil {
			return nil, s.errAt(l.child(p), "expected a path item object")
		}
		for _, method := range httpMethods {
			if _, ok := item[method]; !ok {
				continue
			}
			// An operation may be written as a $ref to another file (DigitalOcean's spec
			// does so throughout); it is read where it is written, as bundlers read it.
			opAt, obj, err := s.deref(itemAt.child(method))
			if err != nil {
				return nil, err
			}
			if obj == nil {
				return nil, s.errAt(itemAt.child(method), "expected an operation object")
			}
			op := &operation{method: method, path: p, at: opAt, obj: obj, item: itemAt, itemV: item,
				written: itemAt.child(method), itemWritten: l.child(p), parent: parent}
			switch kind {
			case kindPath:
				op.ref = opRef{name: strings.ToUpper(method) + " " + p}
				op.key = strings.ToUpper(method) + " " + pathKey(p)
			case kindWebhook:
				op.ref = opRef{name: webhookName(p, method), callback: true}
				op.key = op.ref.name
			case kindCallback:
				op.ref = opRef{name: parent + ": " + strings.ToUpper(method) + " " + p, callback: true}
				op.key = op.ref.name
			}
			if seen[op.key] {
				// Two templates that differ only in parameter names are one operation to a
				// router; the first in sorted order is kept.
				continue
			}
			seen[op.key] = true
			out = append(out, op)
		}
	}
	return out, nil
}

// checkItemRef refuses a path item that has a $ref and also operations or parameters of
// its own: OpenAPI leaves the meaning of such fields undefined, and reading only one of
// the two places would leave the other unread.
func (s *spec) checkItemRef(at loc, item map[string]any) error {
	if _, ok := item["$ref"]; !ok {
		return nil
	}
	for _, k := range append([]string{"parameters"}, httpMethods...) {
		if _, ok := item[k]; ok {
			return s.errAt(at.child(k), "path item has both a $ref and its own %s, which OpenAPI leaves undefined: move %s into the referenced path item", k, k)
		}
	}
	return nil
}

// compareOperations pairs operations by identity and compares each pair.
func (c *comparer) compareOperations(olds, news []*operation, kind string) {
	oldBy := map[string]*operation{}
	newBy := map[string]*operation{}
	var keys []string
	for _, o := range olds {
		oldBy[o.key] = o
		keys = append(keys, o.key)
	}
	for _, n := range news {
		newBy[n.key] = n
		if _, ok := oldBy[n.key]; !ok {
			keys = append(keys, n.key)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c.err != nil {
			return
		}
		if err := c.ctx.Err(); err != nil {
			c.fail(err)
			return
		}
		o, n := oldBy[k], newBy[k]
		switch {
		case n == nil:
			c.operationRemoved(o, kind)
		case o == nil:
			c.operationAdded(n, kind)
		default:
			c.compareOperation(o, n)
		}
	}
}

func (c *comparer) operationAdded(n *operation, kind string) {
	r := ruleOperationAdded
	switch kind {
	case kindCallback:
		r = ruleCallbackAdded
	case kindWebhook:
		r = ruleWebhookAdded
	}
	c.add(r.Findingf(n.ref.name, "operation %s was added", n.ref.name), opRef{}, n.ref.request(), nil, &n.at)
}

func (c *comparer) operationRemoved(o *operation, kind string) {
	r := ruleOperationRemoved
	switch kind {
	case kindCallback:
		r = ruleCallbackRemoved
	case kindWebhook:
		r = ruleWebhookRemoved
	}
	d := c.deprecation(o.obj, o)
	msg := "operation " + o.ref.name + " was removed"
	switch {
	case d.beforeSunset:
		r = ruleOperationRemovedBeforeSunset
		msg += " before its announced sunset on " + d.sunset.Format("2006-01-02")
	case d.deprecated:
		r = ruleOperationRemovedAfterDeprecation
		msg += " after being deprecated"
	}
	c.add(r.Finding(o.ref.name, msg), opRef{}, o.ref.request(), &o.at, nil)
}

// compareOperation compares two versions of one operation.
func (c *comparer) compareOperation(o, n *operation) {
	ref := n.ref
	c.compareParameters(o, n)
	c.compareRequestBody(o, n)
	c.compareResponses(o, n)
	if !ref.callback {
		c.compareSecurity(o, n)
		c.compareCallbacks(o, n)
	}
}
