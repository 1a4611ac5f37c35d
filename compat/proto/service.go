package proto

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

var ruleMethodAdded = register(compat.Rule{
	ID:       "METHOD_ADDED",
	Title:    "RPC method added",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "Old clients never call the new method, so new servers are unaffected (B holds). New clients " +
		"calling old servers mid-rollout get UNIMPLEMENTED (F fails): here the server is the reader.",
	Old:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n}",
	New:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n  rpc List(ListRequest) returns (ListResponse);\n}",
	Safe: "Deploy every server with the new method before any client calls it.",
},
	"Deploy every server that implements the new method first",
	"Release clients that call it only in a later release",
)

var ruleMethodDeleted = register(compat.Rule{
	ID:       "METHOD_DELETED",
	Title:    "RPC method deleted",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old clients still call the method and new servers answer UNIMPLEMENTED (B fails). The method " +
		"was not deprecated first.",
	Old:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n  rpc Cancel(CancelRequest) returns (Order);\n}",
	New:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n}",
	Safe: "Mark the method deprecated, move every client off it, and delete it in a later release.",
},
	"Mark the method deprecated (option deprecated = true) and release that",
	"Move every client off the method and confirm no calls remain",
	"Delete the method in a later release",
)

var ruleMethodDeletedAfterDeprecation = register(compat.Rule{
	ID:       "METHOD_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated RPC method deleted",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the method deprecated, so deleting it is the contract step of " +
		"expand–contract: the released deprecation told clients to stop calling it. Methods have no " +
		"reservations, so the deprecation alone qualifies; confirm that no client still calls it.",
	Old:  "service OrderService {\n  rpc Cancel(CancelRequest) returns (Order) {\n    option deprecated = true;\n  }\n}",
	New:  "service OrderService {}",
	Safe: "Nothing more to do, provided no client still calls the method.",
})

var ruleMethodStreamingChanged = register(compat.Rule{
	ID:       "METHOD_STREAMING_CHANGED",
	Title:    "RPC streaming changed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Unary and streaming calls frame messages differently: old clients' calls fail on new servers " +
		"(B fails) and new clients' calls on old servers (F fails).",
	Old:  "rpc Watch(WatchRequest) returns (Event);",
	New:  "rpc Watch(WatchRequest) returns (stream Event);",
	Safe: "Add a new method with the new streaming shape, move clients to it, then deprecate and delete the old one.",
},
	"Add a new method with the new streaming shape beside the old one",
	"Move every client to the new method",
	"Deprecate the old method and delete it in a later release",
)

var ruleMethodRequestTypeChanged = register(compat.Rule{
	ID:       "METHOD_REQUEST_TYPE_CHANGED",
	Title:    "RPC request type changed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The request type was replaced by one of another shape, judged field by field like a change " +
		"of the message itself: new servers misread old clients' requests (B fails) or old servers new " +
		"clients' (F fails). A type renamed with the same fields, or with fields only added, is not " +
		"reported as breaking; the method path does not contain the type.",
	Old:  "rpc Get(GetRequest) returns (Order);",
	New:  "rpc Get(LookupRequest) returns (Order);",
	Safe: "Change the existing request message additively instead, or add a new method.",
},
	"Keep the request type and evolve it additively, or add a new method with the new type",
	"Move clients to the new method, then deprecate and delete the old one in a later release",
)

var ruleMethodResponseTypeChanged = register(compat.Rule{
	ID:       "METHOD_RESPONSE_TYPE_CHANGED",
	Title:    "RPC response type changed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The response type was replaced by one of another shape, judged field by field like a change " +
		"of the message itself: clients of one version misread responses of the other. A type renamed " +
		"with the same fields, or with fields only added, is not reported as breaking.",
	Old:  "rpc Get(GetRequest) returns (Order);",
	New:  "rpc Get(GetRequest) returns (OrderView);",
	Safe: "Change the existing response message additively instead, or add a new method.",
},
	"Keep the response type and evolve it additively, or add a new method with the new type",
	"Move clients to the new method, then deprecate and delete the old one in a later release",
)

var ruleMethodIdempotencyStrengthened = register(compat.Rule{
	ID:       "METHOD_IDEMPOTENCY_STRENGTHENED",
	Title:    "RPC idempotency level strengthened",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "The idempotency_level option is a promise of the server (IDEMPOTENCY_UNKNOWN < IDEMPOTENT < " +
		"NO_SIDE_EFFECTS). Old clients never relied on the stronger promise, so new servers serve them as " +
		"before (B holds). New clients may act on it — retry the call automatically, or send a " +
		"NO_SIDE_EFFECTS call as an HTTP GET (Connect, gRPC-Web) — and an old server still running " +
		"mid-rollout does not keep the promise or refuses the GET (F fails): here the server is the reader.",
	Old:  "rpc Get(GetRequest) returns (Order);",
	New:  "rpc Get(GetRequest) returns (Order) {\n  option idempotency_level = NO_SIDE_EFFECTS;\n}",
	Safe: "Deploy every server with the new level before any client retries the method or calls it with GET.",
},
	"Deploy every server that keeps the stronger promise first",
	"Let clients retry the method or call it with GET only in a later release",
)

var ruleMethodIdempotencyWeakened = register(compat.Rule{
	ID:       "METHOD_IDEMPOTENCY_WEAKENED",
	Title:    "RPC idempotency level weakened",
	Backward: false, Forward: true,
	Scope: "wire, json",
	Why: "Old clients rely on the promise the old level made: they retry an IDEMPOTENT call " +
		"automatically, or send a NO_SIDE_EFFECTS call as an HTTP GET. New servers no longer keep it: a " +
		"retry may repeat a side effect, and a GET is refused (B fails). New clients stop relying on it, " +
		"which old servers handle (F holds).",
	Old:  "rpc Get(GetRequest) returns (Order) {\n  option idempotency_level = NO_SIDE_EFFECTS;\n}",
	New:  "rpc Get(GetRequest) returns (Order);",
	Safe: "Release every client that no longer retries the method or calls it with GET, then weaken the level in a later release.",
},
	"Release every client that no longer relies on the old level (no automatic retries, no GET calls)",
	"Weaken the level in a later release, once no such client remains",
)

var ruleServiceAdded = register(compat.Rule{
	ID:       "SERVICE_ADDED",
	Title:    "Service added",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "Old clients never call the new service (B holds); new clients calling old servers mid-rollout " +
		"get UNIMPLEMENTED (F fails).",
	Old:  "// no service",
	New:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n}",
	Safe: "Deploy every server with the new service before any client calls it.",
},
	"Deploy every server that implements the new service first",
	"Release clients that call it only in a later release",
)

var ruleServiceDeleted = register(compat.Rule{
	ID:       "SERVICE_DELETED",
	Title:    "Service deleted",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old clients still call the service's methods and new servers answer UNIMPLEMENTED (B fails). " +
		"The service was not deprecated first.",
	Old:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n}",
	New:  "// OrderService removed",
	Safe: "Mark the service deprecated, move every client off it, and delete it in a later release.",
},
	"Mark the service deprecated and release that",
	"Move every client off the service and confirm no calls remain",
	"Delete the service in a later release",
)

var ruleServiceDeletedAfterDeprecation = register(compat.Rule{
	ID:       "SERVICE_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated service deleted",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the service deprecated: deleting it is the contract step of " +
		"expand–contract, provided no client still calls it.",
	Old:  "service OrderService {\n  option deprecated = true;\n  rpc Get(GetRequest) returns (Order);\n}",
	New:  "// OrderService removed",
	Safe: "Nothing more to do, provided no client still calls the service.",
})

var ruleServiceRenamed = register(compat.Rule{
	ID:       "SERVICE_RENAMED",
	Title:    "Service renamed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The service name is part of every method path (/shop.v1.OrderService/Get): old clients call " +
		"paths new servers no longer serve (B fails), and new clients paths old servers never served " +
		"(F fails), even though the methods are the same.",
	Old:  "service OrderService {\n  rpc Get(GetRequest) returns (Order);\n}",
	New:  "service Orders {\n  rpc Get(GetRequest) returns (Order);\n}",
	Safe: "Serve both names side by side, move clients to the new one, then deprecate and delete the old.",
},
	"Add the service under its new name beside the old one, and serve both",
	"Move every client to the new name",
	"Deprecate the old service and delete it in a later release",
)

// findNewService finds the NEW service an OLD one is, by name (following package renames).
func (c *comparer) findNewService(s protoreflect.ServiceDescriptor) (protoreflect.ServiceDescriptor, bool) {
	if n, ok := c.newIndex.services[s.FullName()]; ok {
		return n, true
	}
	if name, ok := c.counterpart(s.FullName(), s.ParentFile().Package()); ok {
		if n, ok := c.newIndex.services[name]; ok {
			return n, true
		}
	}
	return nil, false
}

// compareServices pairs services by full name, recognizes renamed services by their
// methods, and compares methods.
func (c *comparer) compareServices() {
	matched := map[protoreflect.FullName]bool{}
	var vanished []protoreflect.ServiceDescriptor
	for _, name := range sortedNames(c.oldIndex.services) {
		os := c.oldIndex.services[name]
		if ns, ok := c.findNewService(os); ok {
			matched[ns.FullName()] = true
			c.compareService(os, ns)
			continue
		}
		if !c.reported[name] {
			vanished = append(vanished, os)
		}
	}
	var added []protoreflect.ServiceDescriptor
	for _, name := range sortedNames(c.newIndex.services) {
		if !matched[name] {
			added = append(added, c.newIndex.services[name])
		}
	}
	used := map[protoreflect.FullName]bool{}
	for _, os := range vanished {
		var twin protoreflect.ServiceDescriptor
		for _, ns := range added {
			if !used[ns.FullName()] && c.sameMethods(os, ns) {
				twin = ns
				used[ns.FullName()] = true
				break
			}
		}
		switch {
		case twin != nil:
			c.emit(ruleServiceRenamed, ruleAnswers(ruleServiceRenamed), string(os.FullName()),
				"service "+string(os.FullName())+" was renamed to "+string(twin.FullName()), c.pos(os), c.pos(twin))
		case deprecated(os):
			c.emit(ruleServiceDeletedAfterDeprecation, ruleAnswers(ruleServiceDeletedAfterDeprecation), string(os.FullName()),
				"deprecated service "+string(os.FullName())+" was deleted", c.pos(os), nil)
		default:
			c.emit(ruleServiceDeleted, ruleAnswers(ruleServiceDeleted), string(os.FullName()),
				"service "+string(os.FullName())+" was deleted", c.pos(os), nil)
		}
	}
	for _, ns := range added {
		if !used[ns.FullName()] {
			c.emit(ruleServiceAdded, ruleAnswers(ruleServiceAdded), string(ns.FullName()),
				"service "+string(ns.FullName())+" was added", nil, c.pos(ns))
		}
	}
}

// sameMethods reports whether two services have the same methods with the same shapes.
func (c *comparer) sameMethods(os, ns protoreflect.ServiceDescriptor) bool {
	om, nm := os.Methods(), ns.Methods()
	if om.Len() != nm.Len() || om.Len() == 0 {
		return false
	}
	for i := 0; i < om.Len(); i++ {
		a := om.Get(i)
		b := nm.ByName(a.Name())
		if b == nil || a.IsStreamingClient() != b.IsStreamingClient() || a.IsStreamingServer() != b.IsStreamingServer() ||
			!c.shapes.messages(dimWire, a.Input(), b.Input()) || !c.shapes.messages(dimWire, a.Output(), b.Output()) {
			return false
		}
	}
	return true
}

// compareService compares the methods of a service present on both sides.
func (c *comparer) compareService(os, ns protoreflect.ServiceDescriptor) {
	om, nm := os.Methods(), ns.Methods()
	for i := 0; i < om.Len(); i++ {
		a := om.Get(i)
		subject := string(ns.FullName()) + "." + string(a.Name())
		b := nm.ByName(a.Name())
		if b == nil {
			if deprecated(a) {
				c.emit(ruleMethodDeletedAfterDeprecation, ruleAnswers(ruleMethodDeletedAfterDeprecation), subject,
					fmt.Sprintf("deprecated method %s was deleted", a.Name()), c.pos(a), nil)
			} else {
				c.emit(ruleMethodDeleted, ruleAnswers(ruleMethodDeleted), subject,
					fmt.Sprintf("method %s was deleted", a.Name()), c.pos(a), nil)
			}
			continue
		}
		if a.IsStreamingClient() != b.IsStreamingClient() || a.IsStreamingServer() != b.IsStreamingServer() {
			c.emit(ruleMethodStreamingChanged, ruleAnswers(ruleMethodStreamingChanged), subject,
				fmt.Sprintf("method %s changed from %s to %s", a.Name(), streaming(a), streaming(b)), c.pos(a), c.pos(b))
		}
		c.compareIdempotency(a, b, subject)
		c.compareMethodType(ruleMethodRequestTypeChanged, "request", a.Input(), b.Input(), subject, a, b)
		c.compareMethodType(ruleMethodResponseTypeChanged, "response", a.Output(), b.Output(), subject, a, b)
	}
	for i := 0; i < nm.Len(); i++ {
		b := nm.Get(i)
		if om.ByName(b.Name()) == nil {
			c.emit(ruleMethodAdded, ruleAnswers(ruleMethodAdded), string(ns.FullName())+"."+string(b.Name()),
				fmt.Sprintf("method %s was added", b.Name()), nil, c.pos(b))
		}
	}
}

// compareMethodType judges a request or response type change by structure. A type with
// the same full name is compared where it is declared.
func (c *comparer) compareMethodType(r *compat.Rule, role string, ot, nt protoreflect.MessageDescriptor, subject string, a, b protoreflect.MethodDescriptor) {
	if c.sameType(ot, nt) {
		return
	}
	if c.shapes.messages(dimWire, ot, nt) && c.shapes.messages(dimJSON, ot, nt) {
		return
	}
	ans := c.messageAnswers(ot, nt)
	if bOK, fOK, any := c.combine(r.Scope, ans); !any || bOK && fOK {
		return
	}
	c.emit(r, ans, subject, fmt.Sprintf("method %s changed its %s type from %s to %s", a.Name(), role, ot.FullName(), nt.FullName()), c.pos(a), c.pos(b))
}

// idempotencyRank orders the idempotency levels by the strength of their promise.
var idempotencyRank = map[descriptorpb.MethodOptions_IdempotencyLevel]int{
	descriptorpb.MethodOptions_IDEMPOTENCY_UNKNOWN: 0,
	descriptorpb.MethodOptions_IDEMPOTENT:          1,
	descriptorpb.MethodOptions_NO_SIDE_EFFECTS:     2,
}

// idempotency returns a method's idempotency_level option.
func idempotency(m protoreflect.MethodDescriptor) descriptorpb.MethodOptions_IdempotencyLevel {
	type leveled interface {
		GetIdempotencyLevel() descriptorpb.MethodOptions_IdempotencyLevel
	}
	if o, ok := m.Options().(leveled); ok {
		return o.GetIdempotencyLevel()
	}
	return descriptorpb.MethodOptions_IDEMPOTENCY_UNKNOWN
}

// compareIdempotency reports a method whose idempotency level changed: a stronger promise
// is read-tolerant (servers first), a weaker one breaking.
func (c *comparer) compareIdempotency(a, b protoreflect.MethodDescriptor, subject string) {
	ol, nl := idempotency(a), idempotency(b)
	if ol == nl {
		return
	}
	r := ruleMethodIdempotencyStrengthened
	if idempotencyRank[nl] < idempotencyRank[ol] {
		r = ruleMethodIdempotencyWeakened
	}
	c.emit(r, ruleAnswers(r), subject, fmt.Sprintf("method %s changed its idempotency level from %s to %s", a.Name(), ol, nl), c.pos(a), c.pos(b))
}

func streaming(m protoreflect.MethodDescriptor) string {
	switch {
	case m.IsStreamingClient() && m.IsStreamingServer():
		return "bidirectional streaming"
	case m.IsStreamingClient():
		return "client streaming"
	case m.IsStreamingServer():
		return "server streaming"
	}
	return "unary"
}
