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
		collectRefs(d.Value, base, 0, func(abs *url.URL) {
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
func collectRefs(v any, base *url.URL, depth int, found func(*url.URL)) {
	if depth > maxDecodeDepth {
		return
	}
	switch x := v.(type) {
	case map[string]any:
		for _, k := range []string{"$id", "id"} {
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
		for k, e := range x {
			if dataKeywords[k] {
				continue
			}
			collectRefs(e, base, depth+1, found)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, base, depth+1, found)
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
