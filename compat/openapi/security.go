package openapi

import (
	"fmt"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleSecurityRequirementAdded = register(compat.Rule{
	ID:       "SECURITY_REQUIREMENT_ADDED",
	Kind:     compat.KindOpenAPI,
	Title:    "A security requirement was tightened: a scheme or scope is now required",
	Backward: false,
	Forward:  true,
	Scope:    "request",
	Why: "B fails: old clients authenticate the way the old document allowed, and no alternative of the new " +
		"requirement is satisfied by those credentials, so the new server refuses them (401 or 403).",
	Old:  "security:\n  - api_key: []",
	New:  "security:\n  - oauth2: [orders:read]",
	Safe: "Accept the new scheme beside the old one (as another alternative), move clients to it, then drop the old alternative.",
}, "Add the new scheme or scope as another alternative beside the old one.",
	"Move every client to the new credentials.",
	"Drop the old alternative in a later release.")

var ruleSecurityRequirementRelaxed = register(compat.Rule{
	ID:       "SECURITY_REQUIREMENT_RELAXED",
	Kind:     compat.KindOpenAPI,
	Title:    "A security requirement was relaxed: a new way to authenticate is accepted",
	Backward: true,
	Forward:  false,
	Scope:    "request",
	Why: "Old clients' credentials still satisfy the new requirement, so B holds. F fails for servers: a new client " +
		"may authenticate in a way old servers refuse. Servers can be upgraded first, so the change is read-tolerant.",
	Old:  "security:\n  - oauth2: [orders:read]",
	New:  "security:\n  - oauth2: [orders:read]\n  - api_key: []",
	Safe: "Roll out servers that accept the new credentials before releasing clients that use them.",
}, "Release and fully roll out servers that accept the new credentials.", "Only then release clients that use them.")

var ruleSecuritySchemeChanged = register(compat.Rule{
	ID:       "SECURITY_SCHEME_CHANGED",
	Kind:     compat.KindOpenAPI,
	Title:    "A security scheme's type, location or name changed",
	Backward: false,
	Forward:  false,
	Scope:    "request",
	Why: "Both fail: credentials are sent differently (another header, query parameter, HTTP scheme or OAuth flow), " +
		"so old clients' credentials do not reach the new server and new clients' do not reach old servers.",
	Old:  "api_key: {type: apiKey, in: header, name: X-API-Key}",
	New:  "api_key: {type: apiKey, in: header, name: Authorization}",
	Safe: "Add a new scheme under a new name, accept both as alternatives, move clients, then remove the old scheme.",
}, "Declare the new scheme under a new name and accept both as alternatives.",
	"Move every client to the new scheme.",
	"Remove the old scheme in a later release.")

// requirement is one alternative of a security requirement: scheme name → scopes.
type requirement map[string]map[string]bool

// security returns the effective security alternatives of an operation and where they
// are declared (the operation's own security, or the document's).
func (s *spec) security(op *operation) ([]requirement, loc, bool) {
	l := op.at.child("security")
	v, own := op.obj["security"]
	if !own {
		l = loc{s.root, "/security"}
		v = s.doc["security"]
	}
	list, _ := v.([]any)
	var out []requirement
	for _, e := range list {
		m, _ := e.(map[string]any)
		req := requirement{}
		for name, scopes := range m {
			set := map[string]bool{}
			ss, _ := scopes.([]any)
			for _, sc := range ss {
				if str, ok := sc.(string); ok {
					set[str] = true
				}
			}
			req[name] = set
		}
		out = append(out, req)
	}
	return out, l, own
}

// covers reports whether credentials that satisfy have also satisfy need: every scheme
// need names is in have, with at least need's scopes.
func covers(have, need requirement) bool {
	for name, scopes := range need {
		hs, ok := have[name]
		if !ok {
			return false
		}
		for sc := range scopes {
			if !hs[sc] {
				return false
			}
		}
	}
	return true
}

func (r requirement) String() string {
	if len(r) == 0 {
		return "no credentials"
	}
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, n := range names {
		scopes := make([]string, 0, len(r[n]))
		for sc := range r[n] {
			scopes = append(scopes, sc)
		}
		sort.Strings(scopes)
		if len(scopes) > 0 {
			parts = append(parts, fmt.Sprintf("%s [%s]", n, strings.Join(scopes, ", ")))
		} else {
			parts = append(parts, n)
		}
	}
	return strings.Join(parts, " and ")
}

// satisfiable reports whether a client holding cred is accepted by alternatives. No
// alternatives means no security at all.
func satisfiable(alternatives []requirement, cred requirement) bool {
	if len(alternatives) == 0 {
		return true
	}
	for _, a := range alternatives {
		if covers(cred, a) {
			return true
		}
	}
	return false
}

// compareSecurity compares the effective security of two versions of an operation. An
// old client holds the credentials of one old alternative; B fails when such credentials
// satisfy no new alternative. Symmetrically, F fails when a new alternative's credentials
// satisfy no old one. Requirements inherited from the document are reported once, at
// #/security, with every operation they reach.
func (c *comparer) compareSecurity(o, n *operation) {
	ref, r := n.ref, n.ref.request()
	olds, oat, oown := c.old.security(o)
	news, nat, nown := c.new.security(n)
	subject := ref.name + " #/security"
	if !oown && !nown {
		subject = "#/security"
	}
	for _, a := range olds {
		if !satisfiable(news, a) {
			c.add(ruleSecurityRequirementAdded.Findingf(subject, "clients authenticating with %s no longer satisfy the security requirement", a), ref, r, &oat, &nat)
		}
	}
	if len(olds) == 0 && len(news) > 0 && !satisfiable(news, requirement{}) {
		c.add(ruleSecurityRequirementAdded.Finding(subject, "clients sending no credentials no longer satisfy the security requirement"), ref, r, &oat, &nat)
	}
	if len(news) == 0 && len(olds) > 0 && !satisfiable(olds, requirement{}) {
		c.add(ruleSecurityRequirementRelaxed.Finding(subject, "clients sending no credentials are accepted, which old servers refuse"), ref, r, &oat, &nat)
	}
	for _, a := range news {
		if !satisfiable(olds, a) {
			c.add(ruleSecurityRequirementRelaxed.Findingf(subject, "clients authenticating with %s are accepted, which old servers refuse", a), ref, r, &oat, &nat)
		}
	}
}

// compareSecuritySchemes compares the security schemes both versions declare by name.
func (c *comparer) compareSecuritySchemes() {
	l, om, err := c.old.deref(loc{c.old.root, "/components/securitySchemes"})
	if err != nil {
		c.fail(err)
		return
	}
	nl, nm, err := c.new.deref(loc{c.new.root, "/components/securitySchemes"})
	if err != nil {
		c.fail(err)
		return
	}
	for _, name := range sortedKeys(om) {
		if _, ok := nm[name]; !ok {
			continue
		}
		oat, os, err := c.old.deref(l.child(name))
		if err != nil {
			c.fail(err)
			return
		}
		nat, ns, err := c.new.deref(nl.child(name))
		if err != nil {
			c.fail(err)
			return
		}
		if a, b := schemeShape(os), schemeShape(ns); a != b {
			c.add(ruleSecuritySchemeChanged.Findingf("#/components/securitySchemes/"+escapeToken(name), "security scheme %s changed from %s to %s", name, a, b),
				opRef{}, role{name: "request"}, &oat, &nat)
		}
	}
}

// schemeShape is what decides how credentials travel for a security scheme.
func schemeShape(m map[string]any) string {
	str := func(k string) string { s, _ := m[k].(string); return s }
	switch t := str("type"); t {
	case "apiKey":
		name := str("name")
		if str("in") == "header" {
			name = strings.ToLower(name)
		}
		return fmt.Sprintf("apiKey in %s %s", str("in"), name)
	case "http":
		return "http " + strings.ToLower(str("scheme"))
	case "oauth2":
		flows, _ := m["flows"].(map[string]any)
		return "oauth2 flows " + strings.Join(sortedKeys(flows), ", ")
	default:
		return t
	}
}
