package history

import "github.com/compatcheck/compatcheck/compat"

// What the engines' rules mean for a sequence. The history rules are format-free: they read
// the findings of ordinary comparisons, and need to know only which engine rules remove an
// element the old version had deprecated (the contract step of expand–contract), which
// remove one it had not, and which add one. The table is data over the registry;
// TestRolesNameRegisteredRules keeps it in step with the engines.

// deprecatedRemovals are removals of an element the old version had marked deprecated (or,
// for SQL, replaced by a backfilled column or table). A removal before an announced sunset
// counts: the deprecation is there, only its date has not come.
var deprecatedRemovals = set(
	"FIELD_DELETED_AFTER_DEPRECATION", "FIELD_DELETED_WITHOUT_RESERVATION",
	"ENUM_VALUE_DELETED_AFTER_DEPRECATION", "ENUM_VALUE_DELETED_WITHOUT_RESERVATION",
	"MESSAGE_DELETED_AFTER_DEPRECATION", "METHOD_DELETED_AFTER_DEPRECATION",
	"SERVICE_DELETED_AFTER_DEPRECATION", "EXTENSION_DELETED_AFTER_DEPRECATION",
	"PROPERTY_REMOVED_AFTER_DEPRECATION",
	"OPERATION_REMOVED_AFTER_DEPRECATION", "OPERATION_REMOVED_BEFORE_SUNSET",
	"PARAMETER_REMOVED_AFTER_DEPRECATION", "PARAMETER_REMOVED_BEFORE_SUNSET",
	"REPLACED_COLUMN_DROPPED", "REPLACED_TABLE_DROPPED",
)

// plainRemovals are removals of an element the old version had not deprecated: the ones
// expand–contract says must wait for a released deprecation.
var plainRemovals = set(
	"FIELD_DELETED", "FIELD_DELETED_WITHOUT_DEPRECATION",
	"ENUM_VALUE_DELETED", "ENUM_VALUE_DELETED_WITHOUT_DEPRECATION",
	"MESSAGE_DELETED", "METHOD_DELETED", "SERVICE_DELETED", "EXTENSION_DELETED",
	"PROPERTY_REMOVED_FROM_CLOSED_OBJECT",
	"OPERATION_REMOVED", "PARAMETER_REMOVED",
	"COLUMN_DROPPED", "TABLE_DROPPED",
)

// otherRemovals remove an element without a deprecation question (an optional property of
// an open object), and additions add one. Both tell that an element was absent from some
// version, which is what makes a later difference a reuse rather than an edit.
var otherRemovals = set("PROPERTY_REMOVED", "ENUM_DELETED", "FILE_DELETED", "SCHEMA_FILE_REMOVED", "ENUM_MEMBER_REMOVED", "VIEW_DROPPED", "TYPE_DROPPED")

var additions = set(
	"FIELD_ADDED", "ENUM_VALUE_ADDED", "METHOD_ADDED", "SERVICE_ADDED", "EXTENSION_ADDED",
	"PROPERTY_ADDED_OPTIONAL", "PROPERTY_ADDED_REQUIRED", "PROPERTY_ADDED_TO_CLOSED_OBJECT", "ENUM_MEMBER_ADDED",
	"OPERATION_ADDED", "PARAMETER_ADDED_OPTIONAL", "PARAMETER_ADDED_REQUIRED",
	"COLUMN_ADDED", "REQUIRED_COLUMN_ADDED", "TABLE_ADDED", "TYPE_ADDED", "ENUM_LABEL_ADDED", "VIEW_ADDED",
)

// roleRules lists every rule ID the tables name, for the test that checks they exist.
func roleRules() []string {
	var out []string
	for _, m := range []map[string]bool{deprecatedRemovals, plainRemovals, otherRemovals, additions} {
		for id := range m {
			out = append(out, id)
		}
	}
	return out
}

func set(ids ...string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// isRemoval reports whether f removes an element: by its rule, or because it has only an
// old side.
func isRemoval(f compat.Finding) bool {
	return deprecatedRemovals[f.Rule] || plainRemovals[f.Rule] || otherRemovals[f.Rule] || (f.New == nil && f.Old != nil)
}

// isAddition reports whether f adds an element: by its rule, or because it has only a new
// side.
func isAddition(f compat.Finding) bool {
	return additions[f.Rule] || (f.Old == nil && f.New != nil)
}

// related reports whether two subjects name the same element or one contains the other
// ("a.json#/properties/x" and "a.json#/properties/x/enum", "shop.v1.Order" and
// "shop.v1.Order.note").
func related(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b) <= len(a) || b[:len(a)] != a {
		return false
	}
	switch b[len(a)] {
	case '.', '/', '#', ' ':
		return true
	}
	return false
}
