package jsonschema

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
)

// A $ref to a schema outside the input (SchemaStore's https://json.schemastore.org/...
// references to files that are not in the folder, any schema compared on its own that
// points at a sibling file) is never fetched. Under RefsStrict it is refused; under
// RefsOpaque (the default) it is read as an opaque schema known only by its URL: the
// library is served a stand-in document that holds, at every pointer a reference of the
// version names in it, a schema that accepts everything, and the node built for such a
// stand-in is marked remote. Comparing two remote nodes compares their URLs; a remote
// node against anything else is an undecided finding; and no witness is reported from a
// schema that reaches one, since the stand-in accepts values the real target may not.
//
// References whose URL names a document of the input by its root $id resolve to that
// document, as before: SchemaStore's schemas refer to one another that way throughout.

var ruleRefNotRead = compat.Register(compat.Rule{
	ID: "UNREAD_REF_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "A reference to a schema outside the input changed, and its target was not read",
	Backward: false, Forward: false,
	Why: "The target of a $ref outside the input is never fetched, so the engine knows it only by its URL. The same URL on both sides is no change; " +
		"a different URL, or a reference that replaced (or was replaced by) a schema, may or may not accept the same values: both answers are no and undecided.",
	Old:  `{"$ref": "https://example.com/money-v1.json"}`,
	New:  `{"$ref": "https://example.com/money-v2.json"}`,
	Safe: "Add the referenced schemas to the input (or compare with --refs strict to require them) so the change can be decided, or review it by hand.",
})

// standIns builds the stand-in documents of a version: for every URL outside the
// documents that a $ref names, a document holding an empty schema at every pointer the
// references name in it.
func standIns(sc *Schemas) map[string]any {
	targets := map[string]map[string]bool{} // URL without fragment -> fragments
	for _, d := range sc.sorted {
		base, err := url.Parse(docURL(d.Path))
		if err != nil {
			continue
		}
		v := sc.libraryValue(d)
		m, _ := v.(map[string]any)
		draft, _ := m["$schema"].(string)
		collectRefs(v, base, refIgnoresSiblings(draft), 0, func(abs *url.URL) {
			frag := abs.Fragment
			u := *abs
			u.Fragment, u.RawFragment = "", ""
			key := u.String()
			if sc.known(key) || strings.HasPrefix(key, "file:") && !strings.HasPrefix(key, rootURL) {
				return // a document of the version, or a path climbing out of the tree
			}
			if targets[key] == nil {
				targets[key] = map[string]bool{}
			}
			targets[key][frag] = true
		})
	}
	if len(targets) == 0 {
		return nil
	}
	out := make(map[string]any, len(targets))
	for u, frags := range targets {
		out[u] = standInDoc(frags)
	}
	return out
}

// known reports whether a URL without fragment names a document of the version.
func (sc *Schemas) known(u string) bool {
	if _, ok := sc.ids[u]; ok {
		return true
	}
	if p, ok := docPath(u); ok {
		_, ok := sc.docs[p]
		return ok
	}
	return false
}

// collectRefs calls found with every $ref of the schema document v resolved against its
// base, which an $id (or draft-04 id) changes for the subtree it is written in.
func collectRefs(v any, base *url.URL, siblingsIgnored bool, depth int, found func(*url.URL)) {
	if depth > maxDecodeDepth {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		_, hasRef := x["$ref"]
		for _, k := range []string{"$id", "id"} {
			if hasRef && siblingsIgnored {
				break // drafts 4 to 7 ignore everything beside a $ref, $id included
			}
			if id, ok := x[k].(string); ok && id != "" && !strings.HasPrefix(id, "#") {
				if u, err := url.Parse(id); err == nil {
					base = base.ResolveReference(u)
				}
				break
			}
		}
		if ref, ok := x["$ref"].(string); ok {
			if u, err := url.Parse(ref); err == nil {
				found(base.ResolveReference(u))
			}
		}
		for _, e := range x {
			// Instance data is walked too: a $ref found there only adds a pointer to a
			// stand-in, and telling data from a property named "enum" needs the schema.
			collectRefs(e, base, siblingsIgnored, depth+1, found)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, base, siblingsIgnored, depth+1, found)
		}
	}
}

// standInDoc builds a document in which every fragment resolves to {}: JSON pointers
// become nested objects (arrays under the keywords that hold lists), and plain-name
// fragments become anchors.
func standInDoc(frags map[string]bool) any {
	root := map[string]any{}
	names := make([]string, 0, len(frags))
	for f := range frags {
		names = append(names, f)
	}
	sort.Strings(names)
	var anchors []any
	for _, f := range names {
		if f == "" {
			continue
		}
		if !strings.HasPrefix(f, "/") {
			anchors = append(anchors, map[string]any{"$anchor": f})
			continue
		}
		cur := root
		for _, tok := range splitPointer(f) {
			next, ok := cur[tok].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[tok] = next
			}
			cur = next
		}
	}
	if len(anchors) > 0 {
		root["$defs"] = merged(root["$defs"], anchors)
	}
	return listsAsArrays(root, "")
}

func merged(defs any, anchors []any) any {
	m, _ := defs.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	for i, a := range anchors {
		m["compatcheck-anchor-"+strconv.Itoa(i)] = a
	}
	return m
}

// listsAsArrays turns the objects built under list keywords (allOf/0) into arrays.
func listsAsArrays(v any, key string) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for k, e := range m {
		m[k] = listsAsArrays(e, k)
	}
	if !schemaListKeywords[key] || len(m) == 0 {
		return m
	}
	max := -1
	for k := range m {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i > 1000 {
			return m
		}
		if i > max {
			max = i
		}
	}
	arr := make([]any, max+1)
	for i := range arr {
		arr[i] = map[string]any{}
		if e, ok := m[strconv.Itoa(i)]; ok {
			arr[i] = e
		}
	}
	return arr
}

// remoteOf returns the URL a compiled schema's location names when it lies in a
// stand-in document, or "".
func (sc *Schemas) remoteOf(loc string) string {
	if len(sc.standIns) == 0 {
		return ""
	}
	base, _, _ := strings.Cut(loc, "#")
	if _, ok := sc.standIns[base]; ok {
		return displayURL(loc)
	}
	return ""
}

// displayURL spells a reference's URL for messages: a path of the input tree relative
// to its root, a remote URL as it is.
func displayURL(loc string) string {
	if rest, ok := strings.CutPrefix(loc, metaPrefix); ok {
		loc = "http://" + rest
	}
	if p, ok := docPath(strings.SplitN(loc, "#", 2)[0]); ok {
		if _, frag, has := strings.Cut(loc, "#"); has && frag != "" {
			f, _ := url.PathUnescape(frag)
			return p + "#" + f
		}
		return p
	}
	return strings.TrimSuffix(loc, "#")
}

// compareRemote compares a pair of which at least one side is a reference outside the
// input.
func (c *Comparison) compareRemote(o, n *node) []compat.Finding {
	if o.remote == n.remote {
		return nil
	}
	var msg string
	switch {
	case o.remote != "" && n.remote != "":
		msg = fmt.Sprintf("$ref target changed from %s to %s; neither was read, so the change is undecided", o.remote, n.remote)
	case o.remote != "":
		msg = fmt.Sprintf("$ref to %s, which was not read, replaced by a schema; the change is undecided", o.remote)
	default:
		msg = fmt.Sprintf("schema replaced by a $ref to %s, which was not read; the change is undecided", n.remote)
	}
	x := c.finding(ruleRefNotRead, o, n, "", false, false, msg)
	x.Undecided = true
	return []compat.Finding{x}
}

// standInRef reports whether a $ref written in document file names a stand-in.
func (sc *Schemas) standInRef(file, ref string) bool {
	if len(sc.standIns) == 0 {
		return false
	}
	base, err := url.Parse(docURL(file))
	if err != nil {
		return false
	}
	u, err := url.Parse(ref)
	if err != nil {
		return false
	}
	abs := base.ResolveReference(u)
	abs.Fragment, abs.RawFragment = "", ""
	_, ok := sc.standIns[abs.String()]
	return ok
}

// refIgnoresSiblings reports whether a $schema names a draft (4, 6 or 7) in which the
// keywords beside a $ref, its $id included, are ignored.
func refIgnoresSiblings(draft string) bool {
	for _, d := range []string{"draft-03", "draft-04", "draft-06", "draft-07"} {
		if strings.Contains(draft, d) {
			return true
		}
	}
	return false
}

// metaPrefix is put before a $ref to one of JSON Schema's own metaschemas in the
// library's documents: the library would resolve it against its own trimmed copies (and
// fail on pointers they lack), while the engine reads it, like every schema outside the
// input, as opaque.
const metaPrefix = "https://compatcheck.invalid/metaschema/"

// metaschemaStandIn spells a metaschema reference under metaPrefix.
func metaschemaStandIn(r string) string {
	_, rest, _ := strings.Cut(r, "://")
	return metaPrefix + rest
}

func isMetaschemaRef(r string) bool {
	return strings.HasPrefix(r, "http://json-schema.org/") || strings.HasPrefix(r, "https://json-schema.org/")
}

// A schema that applies itself to the same instance only through allOf and $ref
// (cloudify's definitions write {"allOf": [{"$ref": "#/definitions/<itself>"}, ...]}) has a
// cycle the library refuses as an infinite loop, though its meaning is plain: the
// greatest fixed point of S = A ∧ S is A, so the self-reference asserts nothing. Such a
// $ref is left out of the library's copy. A cycle through anyOf, oneOf, not or if is
// not a conjunction and stays an error.

// conjunctiveCycleRefs returns the pointers of the $refs (fragments of the same
// document) that close a cycle of allOf and $ref edges in the schema document v.
func conjunctiveCycleRefs(v any) []string {
	refs := map[string]string{}   // pointer of a schema with a local $ref -> target pointer
	alls := map[string][]string{} // pointer -> pointers of its allOf members
	var walk func(x any, ptr string, depth int)
	walk = func(x any, ptr string, depth int) {
		m, ok := x.(map[string]any)
		if !ok || depth > maxDecodeDepth {
			return
		}
		if r, ok := m["$ref"].(string); ok && strings.HasPrefix(r, "#") {
			if t, err := url.PathUnescape(r[1:]); err == nil && (t == "" || strings.HasPrefix(t, "/")) {
				refs[ptr] = t
			}
		}
		for k, e := range m {
			if dataKeywords[k] {
				continue
			}
			switch {
			case k == "allOf":
				list, _ := e.([]any)
				for i, el := range list {
					p := ptr + "/allOf/" + strconv.Itoa(i)
					alls[ptr] = append(alls[ptr], p)
					walk(el, p, depth+1)
				}
			case schemaMapKeywords[k]:
				sub, _ := e.(map[string]any)
				for name, el := range sub {
					walk(el, ptr+"/"+k+"/"+escapePointer(name), depth+1)
				}
			case schemaListKeywords[k]:
				list, _ := e.([]any)
				for i, el := range list {
					walk(el, ptr+"/"+k+"/"+strconv.Itoa(i), depth+1)
				}
				if _, ok := e.(map[string]any); ok {
					walk(e, ptr+"/"+k, depth+1)
				}
			default:
				walk(e, ptr+"/"+escapePointer(k), depth+1)
			}
		}
	}
	walk(v, "", 0)
	if len(refs) == 0 {
		return nil
	}
	const (
		grey  = 1
		black = 2
	)
	color := map[string]uint8{}
	dropped := map[string]bool{}
	var stack []string // nodes on the current path; a $ref edge leaves stack[i] for stack[i+1]
	var visit func(p string)
	visit = func(p string) {
		color[p] = grey
		stack = append(stack, p)
		next := append([]string(nil), alls[p]...)
		if t, ok := refs[p]; ok && !dropped[p] {
			next = append(next, t)
		}
		for _, q := range next {
			if dropped[p] && q == refs[p] {
				continue
			}
			switch color[q] {
			case grey:
				// A cycle: stack from q to p, then p -> q. Drop its last $ref edge.
				start := len(stack) - 1
				for start > 0 && stack[start] != q {
					start--
				}
				cyc := append(append([]string(nil), stack[start:]...), q)
				for i := len(cyc) - 2; i >= 0; i-- {
					// Only a member of an allOf beside others is dropped: a schema that is
					// nothing but a cycle of references ({"$ref": "#"}) stays an error.
					if t, ok := refs[cyc[i]]; ok && t == cyc[i+1] && !dropped[cyc[i]] && isAllOfMember(cyc[i]) {
						dropped[cyc[i]] = true
						break
					}
				}
			case 0:
				visit(q)
			}
		}
		stack = stack[:len(stack)-1]
		color[p] = black
	}
	ptrs := make([]string, 0, len(refs))
	for p := range refs {
		ptrs = append(ptrs, p)
	}
	sort.Strings(ptrs)
	for _, p := range ptrs {
		if color[p] == 0 {
			visit(p)
		}
	}
	out := make([]string, 0, len(dropped))
	for p := range dropped {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// withoutRefAt returns v with the $ref of the schema at ptr removed, copying only the
// objects and arrays on the way.
func withoutRefAt(v any, toks []string) any {
	switch x := v.(type) {
	case map[string]any:
		cp := make(map[string]any, len(x))
		for k, e := range x {
			cp[k] = e
		}
		if len(toks) == 0 {
			delete(cp, "$ref")
			return cp
		}
		if e, ok := cp[toks[0]]; ok {
			cp[toks[0]] = withoutRefAt(e, toks[1:])
		}
		return cp
	case []any:
		if len(toks) == 0 {
			return v
		}
		i, err := strconv.Atoi(toks[0])
		if err != nil || i < 0 || i >= len(x) {
			return v
		}
		cp := append([]any(nil), x...)
		cp[i] = withoutRefAt(x[i], toks[1:])
		return cp
	}
	return v
}

func isAllOfMember(ptr string) bool {
	i := strings.LastIndex(ptr, "/")
	return i > 0 && strings.HasSuffix(ptr[:i], "/allOf")
}
