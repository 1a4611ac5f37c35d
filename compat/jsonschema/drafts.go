package jsonschema

// otherDraftKeyword is filled in below.
func otherDraftKeyword(k string, x any, draft string) bool { return false }
