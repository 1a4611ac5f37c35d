package jsonschema

import "strings"

// A keyword of another draft than the document's is an unknown keyword there: it asserts
// nothing and is no error. The library's metaschemas constrain unknown keywords in one
// place only: draft 2020-12's official metaschema still describes 2019-09's
// $recursiveAnchor and $recursiveRef (as deprecated, with 2020-12's anchor and URI
// syntax), so a 2020-12 document that carries "$recursiveAnchor": true (OpenAPI 3.1
// specs written for 2019-09, such as OpenAI's) was refused with "expected string, but got
// boolean", and a $recursiveRef would be followed although 2020-12 does not know it.
// Both are left out of the library's copy of such a document. Keywords of later drafts in
// older documents (dependentRequired in draft-07, $defs in draft-04) are unknown to those
// drafts' metaschemas already and are read as the library reads them.

// otherDraftKeyword reports whether keyword k is a keyword of another draft than draft
// (the document's $schema, "" for the 2020-12 default) that the library's metaschema for
// draft would constrain as if it were its own.
func otherDraftKeyword(k string, x any, draft string) bool {
	switch k {
	case "$recursiveAnchor", "$recursiveRef":
		return draft == "" || strings.Contains(draft, "/draft/2020-12/")
	}
	return false
}
