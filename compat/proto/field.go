package proto

import (
	"fmt"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var ruleFieldAdded = register(compat.Rule{
	ID:       "FIELD_ADDED",
	Title:    "Field added",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "Old writers never produce the new field, so new readers see it absent (B holds); old readers " +
		"skip the unknown field number, and JSON readers ignore the unknown name, when new writers emit " +
		"it (F holds). With strict JSON readers (Options.StrictJSONReaders) old JSON readers reject the " +
		"unknown name, so F fails under JSON and the change is read-tolerant.",
	Old:  "message Order {\n  string id = 1;\n}",
	New:  "message Order {\n  string id = 1;\n  string note = 2;\n}",
	Safe: "Safe in any order. With strict JSON readers, release the readers before any writer fills the field.",
})

var ruleFieldRequiredAdded = register(compat.Rule{
	ID:       "FIELD_REQUIRED_ADDED",
	Title:    "Required field added",
	Backward: false, Forward: true,
	Scope: "wire, json",
	Why: "Old writers never set the new required field, so new readers reject their messages as " +
		"missing a required field (B fails). Old readers skip it as unknown (F holds), which does not help.",
	Old:  "message Order {\n  required string id = 1;\n}",
	New:  "message Order {\n  required string id = 1;\n  required string note = 2;\n}",
	Safe: "Add the field as optional, make every writer set it, and make it required only when no old writer remains — or better, never use required.",
},
	"Add the field as optional and release that",
	"Make every writer set it, and wait until no data without it remains",
	"Only then mark it required, in a later release (or keep it optional)",
)

var ruleFieldAddedToOneof = register(compat.Rule{
	ID:       "FIELD_ADDED_TO_ONEOF",
	Title:    "Field added to an existing oneof",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "Old writers set only the cases they know, which new readers read (B holds). A new writer that " +
		"sets the new case leaves old readers with an unknown field where they expect one of the oneof's " +
		"cases: they see the oneof as unset (F fails).",
	Old:  "message Pay {\n  oneof method { string card = 1; }\n}",
	New:  "message Pay {\n  oneof method { string card = 1; string iban = 2; }\n}",
	Safe: "Release every reader that handles the new case before any writer sets it.",
},
	"Release every reader with the new oneof case first",
	"Let writers set the new case only in a later release",
)

var ruleFieldDeleted = register(compat.Rule{
	ID:       "FIELD_DELETED",
	Title:    "Field deleted without deprecation or reservation",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers still set the field and new readers drop it as unknown (B fails); old readers no " +
		"longer receive it from new writers (F fails). Its number and name stay free for reuse, so a later " +
		"field could give old data a new meaning. The field was neither deprecated first nor reserved.",
	Old:  "message Order {\n  string id = 1;\n  string note = 2;\n}",
	New:  "message Order {\n  string id = 1;\n}",
	Safe: "Mark the field deprecated in one release, stop every writer and reader using it, then delete it and reserve its number and name.",
},
	"Mark the field deprecated and release that",
	"Stop every writer from setting it and every reader from relying on it",
	"Delete the field in a later release and reserve its number and name",
)

var ruleFieldDeletedWithoutDeprecation = register(compat.Rule{
	ID:       "FIELD_DELETED_WITHOUT_DEPRECATION",
	Title:    "Field deleted and reserved without deprecation first",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Reserving the number keeps it from being reused, but the field was never deprecated in a " +
		"released version: this skips the expand phase. Old writers still set it and new readers drop it " +
		"(B fails); old readers stop receiving it (F fails).",
	Old:  "message Order {\n  string id = 1;\n  string note = 2;\n}",
	New:  "message Order {\n  reserved 2;\n  reserved \"note\";\n  string id = 1;\n}",
	Safe: "Restore the field marked deprecated, release that, and delete it again (keeping the reservation) in a later release.",
},
	"Restore the field, marked deprecated, and release that",
	"Stop every writer from setting it and every reader from relying on it",
	"Delete it again in a later release, keeping the reservation",
)

var ruleFieldDeletedWithoutReservation = register(compat.Rule{
	ID:       "FIELD_DELETED_WITHOUT_RESERVATION",
	Title:    "Deprecated field deleted without reserving it",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The field was deprecated first, but deleting it without reserving its number (wire) and name " +
		"(JSON) allows a later field to reuse them, and then old data is read with a new meaning: B and F " +
		"both fail for the data written by either side.",
	Old:  "message Order {\n  string id = 1;\n  string note = 2 [deprecated = true];\n}",
	New:  "message Order {\n  string id = 1;\n}",
	Safe: "Reserve the deleted field's number and name in the same release that deletes it.",
},
	"Reserve the deleted field's number and name in the message (reserved statements)",
	"Release the deletion only together with the reservation",
)

var ruleFieldDeletedAfterDeprecation = register(compat.Rule{
	ID:       "FIELD_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated field deleted and reserved",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the field deprecated and NEW reserves its number and name: this is the " +
		"contract step of expand–contract. The released deprecation stopped writers from relying on the " +
		"field, and the reservation prevents reuse, so both directions hold.",
	Old:  "message Order {\n  string id = 1;\n  string note = 2 [deprecated = true];\n}",
	New:  "message Order {\n  reserved 2;\n  reserved \"note\";\n  string id = 1;\n}",
	Safe: "Nothing more to do, provided the release that deprecated the field is live everywhere.",
})

var ruleFieldRequiredDeleted = register(compat.Rule{
	ID:       "FIELD_REQUIRED_DELETED",
	Title:    "Deprecated required field deleted and reserved",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "OLD deprecated the field and NEW reserves its number and name, so new readers are safe from " +
		"what old writers still send (B holds). But the field was required: old readers reject every " +
		"message a new writer produces without it (F fails). A required field cannot be retired in one step.",
	Old:  "message Order {\n  required string id = 1;\n  required string note = 2 [deprecated = true];\n}",
	New:  "message Order {\n  reserved 2;\n  reserved \"note\";\n  required string id = 1;\n}",
	Safe: "Make the field optional and release every reader with that first; delete and reserve it in a later release.",
},
	"Make the field optional (keep it deprecated) and release every reader with that first",
	"Delete it and reserve its number and name in a later release, once no reader requires it",
)

var ruleFieldNumberChanged = register(compat.Rule{
	ID:       "FIELD_NUMBER_CHANGED",
	Title:    "Field number changed",
	Backward: false, Forward: false,
	Scope: "wire",
	Why: "The binary encoding identifies fields by number only: new readers find old writers' values " +
		"under a number they do not know (B fails) and old readers the same for new writers (F fails). " +
		"JSON identifies fields by name and is not affected.",
	Old:  "message Order {\n  string note = 2;\n}",
	New:  "message Order {\n  string note = 3;\n}",
	Safe: "Add a new field with the new number beside the old one, fill both, move readers, then deprecate and delete the old one.",
},
	"Add a field with the new number beside the old one, and let writers fill both",
	"Move every reader to the new field",
	"Deprecate the old field, and delete and reserve it in a later release",
)

var ruleFieldRenamed = register(compat.Rule{
	ID:       "FIELD_RENAMED",
	Title:    "Field renamed (JSON name changed)",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The binary encoding is unaffected (it uses numbers), but JSON names fields: new JSON readers " +
		"ignore the old name written by old writers (B fails), and old readers ignore the new name (F fails).",
	Old:  "message Order {\n  string note = 2;\n}",
	New:  "message Order {\n  string memo = 2;\n}",
	Safe: "Keep the JSON name with json_name = \"note\", or add the new field beside the old one and retire the old one with expand–contract.",
},
	"Keep the old JSON name with the json_name option, or add a new field beside the old one",
	"Move JSON writers and readers to the new name",
	"Deprecate the old field and delete and reserve it in a later release",
)

var ruleFieldJSONNameChanged = register(compat.Rule{
	ID:       "FIELD_JSON_NAME_CHANGED",
	Title:    "Field JSON name changed",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The field's name in JSON (json_name, or the camel-cased name) changed while its proto name " +
		"stayed: JSON readers no longer find the values old writers wrote (B fails), and old readers " +
		"ignore the new name (F fails). The binary encoding is unaffected.",
	Old:  "message Order {\n  string note = 2;\n}",
	New:  "message Order {\n  string note = 2 [json_name = \"remark\"];\n}",
	Safe: "Keep the old JSON name, or add a field with the new name and retire the old one with expand–contract.",
},
	"Keep the old JSON name, or add a new field under the new JSON name beside the old one",
	"Move JSON writers and readers to the new name",
	"Deprecate and delete the old field in a later release",
)

var ruleFieldTypeChanged = register(compat.Rule{
	ID:       "FIELD_TYPE_CHANGED",
	Title:    "Field type changed incompatibly",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "New readers misread values old writers produced: another wire type (string → int32), a " +
		"narrower range (int64 → int32 truncates), another sign (int32 ↔ uint32), another encoding " +
		"(sint32 ↔ int32, float ↔ fixed32), another JSON form (bytes are base64, enums are names), or a " +
		"message of another shape (B fails). docs/proto.md tables every pair.",
	Old:  "message Order {\n  int64 total = 3;\n}",
	New:  "message Order {\n  int32 total = 3;\n}",
	Safe: "Add a field of the new type with a new number, fill both, move readers, then deprecate and delete the old one.",
},
	"Add a new field of the new type with a new number, and let writers fill both",
	"Move every reader to the new field",
	"Deprecate the old field, and delete and reserve it in a later release",
)

var ruleFieldTypeWidened = register(compat.Rule{
	ID:       "FIELD_TYPE_WIDENED",
	Title:    "Field type widened",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "New readers decode every value old writers produced (int32 → int64, uint32 → uint64, " +
		"string → bytes, bool → int32, enum → int32): B holds. Old readers truncate or reject values only " +
		"the new type can hold (F fails).",
	Old:  "message Order {\n  int32 count = 3;\n}",
	New:  "message Order {\n  int64 count = 3;\n}",
	Safe: "Release every reader with the wider type before any writer produces a value outside the old range.",
},
	"Release every reader with the wider type first",
	"Let writers produce values outside the old type's range only in a later release",
)

var ruleFieldTypeChangedCompatibly = register(compat.Rule{
	ID:       "FIELD_TYPE_CHANGED_COMPATIBLY",
	Title:    "Field type changed with the same encoding",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "The old and new types encode every value the same way in the selected encodings (for example " +
		"int32 and sint32 in JSON, where both are plain numbers, or a message replaced by another with " +
		"the same fields): both directions hold.",
	Old:  "message Order {\n  int32 count = 3;\n}",
	New:  "message Order {\n  sint32 count = 3;\n}",
	Safe: "Safe in the selected encodings; check the other encodings before relying on it.",
})

var ruleFieldMadeRepeated = register(compat.Rule{
	ID:       "FIELD_MADE_REPEATED",
	Title:    "Singular field made repeated",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "On the wire a repeated reader accepts a single value (B holds), but old singular readers keep " +
		"only the last of several values, or merge several messages (F fails). In JSON a single value and " +
		"an array are different shapes, so both directions fail there.",
	Old:  "message Order {\n  string tag = 4;\n}",
	New:  "message Order {\n  repeated string tag = 4;\n}",
	Safe: "Add a new repeated field beside the singular one, fill both, move readers, then retire the old one.",
},
	"Add a new repeated field with a new number beside the singular one, and fill both",
	"Move every reader to the repeated field",
	"Deprecate the singular field, and delete and reserve it in a later release",
)

var ruleFieldMadeSingular = register(compat.Rule{
	ID:       "FIELD_MADE_SINGULAR",
	Title:    "Repeated field made singular",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers produce lists; new singular readers keep only the last element, or fail on a packed " +
		"list (B fails). In JSON an array is not a single value, so both directions fail there.",
	Old:  "message Order {\n  repeated string tag = 4;\n}",
	New:  "message Order {\n  string tag = 4;\n}",
	Safe: "Add a new singular field beside the repeated one, fill both, move readers, then retire the old one.",
},
	"Add a new singular field with a new number beside the repeated one, and fill both",
	"Move every reader to the new field",
	"Deprecate the repeated field, and delete and reserve it in a later release",
)

var ruleFieldMadeRequired = register(compat.Rule{
	ID:       "FIELD_MADE_REQUIRED",
	Title:    "Field made required",
	Backward: false, Forward: true,
	Scope: "wire, json",
	Why: "Old writers may leave the field unset, and new readers reject such messages (B fails). New " +
		"writers always set it, which old readers accept (F holds).",
	Old:  "message Order {\n  optional string id = 1;\n}",
	New:  "message Order {\n  required string id = 1;\n}",
	Safe: "Keep the field optional and validate it in application code; required cannot be added safely.",
},
	"Keep the field optional in the schema",
	"Make every writer set it, and validate its presence in application code instead",
)

var ruleFieldRequiredRemoved = register(compat.Rule{
	ID:       "FIELD_REQUIRED_REMOVED",
	Title:    "Required field made optional",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "New readers accept everything old writers wrote, which always set the field (B holds). New " +
		"writers may leave it unset, and old readers reject such messages as missing a required field " +
		"(F fails).",
	Old:  "message Order {\n  required string id = 1;\n}",
	New:  "message Order {\n  optional string id = 1;\n}",
	Safe: "Release every reader with the field optional before any writer leaves it unset.",
},
	"Release every reader with the field optional first",
	"Let writers leave the field unset only in a later release",
)

var ruleFieldPresenceChanged = register(compat.Rule{
	ID:       "FIELD_PRESENCE_CHANGED",
	Title:    "Field presence tracking changed",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "Adding or removing proto3 `optional` (or the editions field_presence feature) changes only " +
		"whether generated code tracks presence; the encoding of a set value is the same, so both " +
		"directions hold. Note that a side without presence does not write a zero value, which a side " +
		"with presence then reads as unset.",
	Old:  "message Order {\n  int32 count = 3;\n}",
	New:  "message Order {\n  optional int32 count = 3;\n}",
	Safe: "Safe; check code that tests for presence.",
})

var ruleFieldPackingChanged = register(compat.Rule{
	ID:       "FIELD_PACKING_CHANGED",
	Title:    "Repeated scalar field packing changed",
	Backward: true, Forward: true,
	Scope: "wire",
	Why: "Parsers accept both the packed and the unpacked encoding of a repeated scalar field whatever " +
		"the schema says, so both directions hold.",
	Old:  "message Order {\n  repeated int32 ids = 5;\n}",
	New:  "message Order {\n  repeated int32 ids = 5 [packed = false];\n}",
	Safe: "Safe.",
})

var ruleFieldDefaultChanged = register(compat.Rule{
	ID:       "FIELD_DEFAULT_CHANGED",
	Title:    "Field default value changed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "An unset field reads as its default: readers of the two versions disagree on the value of " +
		"every message that leaves the field unset, in both directions.",
	Old:  "message Order {\n  optional int32 qty = 3 [default = 1];\n}",
	New:  "message Order {\n  optional int32 qty = 3 [default = 2];\n}",
	Safe: "Keep the default; make writers set the value explicitly instead.",
},
	"Keep the old default",
	"Make every writer set the field explicitly, so that no reader depends on the default",
)

var ruleFieldMovedIntoOneof = register(compat.Rule{
	ID:       "FIELD_MOVED_INTO_ONEOF",
	Title:    "Field moved into a oneof",
	Backward: false, Forward: true,
	Scope: "wire, json",
	Why: "Old writers may set this field together with fields that now share its oneof; new readers " +
		"keep only the last one set (B fails). Moving a field alone into a new oneof only adds presence " +
		"and is reported additive.",
	Old:  "message Pay {\n  string card = 1;\n  string iban = 2;\n}",
	New:  "message Pay {\n  oneof method { string card = 1; string iban = 2; }\n}",
	Safe: "Stop every writer from setting more than one of the fields in one release, then introduce the oneof in a later release.",
},
	"Make every writer set at most one of the fields, and release that",
	"Introduce the oneof in a later release, once no old data sets several",
)

var ruleFieldMovedOutOfOneof = register(compat.Rule{
	ID:       "FIELD_MOVED_OUT_OF_ONEOF",
	Title:    "Field moved out of a oneof",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "Old writers set at most one case, which new readers read (B holds). New writers may set this " +
		"field together with its former oneof siblings, and old readers keep only the last (F fails).",
	Old:  "message Pay {\n  oneof method { string card = 1; string iban = 2; }\n}",
	New:  "message Pay {\n  string card = 1;\n  oneof method { string iban = 2; }\n}",
	Safe: "Release every reader with the field outside the oneof before any writer sets it together with its former siblings.",
},
	"Release every reader with the field outside the oneof first",
	"Let writers set it together with its former siblings only in a later release",
)

var ruleFieldMovedBetweenOneofs = register(compat.Rule{
	ID:       "FIELD_MOVED_BETWEEN_ONEOFS",
	Title:    "Field moved to another oneof",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers may set the field with its new oneof siblings, which new readers collapse to one " +
		"(B fails); new writers may set it with its former siblings, which old readers collapse (F fails).",
	Old:  "message Pay {\n  oneof a { string card = 1; string iban = 2; }\n  oneof b { string memo = 3; }\n}",
	New:  "message Pay {\n  oneof a { string iban = 2; }\n  oneof b { string card = 1; string memo = 3; }\n}",
	Safe: "Add a new field in the target oneof, move writers and readers, then retire the old one.",
},
	"Add a new field with a new number in the target oneof",
	"Move writers and readers to it",
	"Deprecate the old field, and delete and reserve it in a later release",
)

var ruleFieldJSONNameConflict = register(compat.Rule{
	ID:       "FIELD_JSON_NAME_CONFLICT",
	Title:    "Field JSON name shared with another field",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "Two fields of the message now have the same JSON name, which proto2 and the editions " +
		"json_format = LEGACY_BEST_EFFORT feature allow: a JSON reader maps the name to one of them, so " +
		"values old writers wrote under it may land in the other field (B fails), and a new writer that " +
		"sets both emits the key twice, which old readers reject or misread (F fails). The binary encoding " +
		"is unaffected.",
	Old:  "syntax = \"proto2\";\nmessage Order {\n  optional string note_id = 1;\n}",
	New:  "syntax = \"proto2\";\nmessage Order {\n  optional string note_id = 1;\n  optional string noteId = 2;\n}",
	Safe: "Give the new field a JSON name no other field of the message has (rename it or set json_name).",
},
	"Give the field a JSON name no other field of the message uses (rename it or set json_name)",
	"Release that before any JSON writer sets the field",
)

// compareFields pairs fields by number (the wire identity), falls back to pairing by name
// to recognize a number change, and reports additions and deletions.
func (c *comparer) compareFields(om, nm protoreflect.MessageDescriptor) {
	ofs, nfs := om.Fields(), nm.Fields()
	matched := map[protoreflect.FieldNumber]bool{}
	for i := 0; i < ofs.Len(); i++ {
		of := ofs.Get(i)
		if nf := nfs.ByNumber(of.Number()); nf != nil {
			matched[nf.Number()] = true
			c.compareField(of, nf, true)
			continue
		}
		if nf := nfs.ByName(of.Name()); nf != nil && ofs.ByNumber(nf.Number()) == nil {
			matched[nf.Number()] = true
			c.emit(ruleFieldNumberChanged, ruleAnswers(ruleFieldNumberChanged), string(nf.FullName()),
				fmt.Sprintf("field %s changed number from %d to %d", of.Name(), of.Number(), nf.Number()), c.pos(of), c.pos(nf))
			c.compareField(of, nf, false)
			continue
		}
		c.fieldDeleted(of, nm)
	}
	for i := 0; i < nfs.Len(); i++ {
		if nf := nfs.Get(i); !matched[nf.Number()] {
			c.fieldAdded(om, nf)
		}
	}
	c.compareJSONConflicts(om, nm)
}

// compareJSONConflicts reports fields of NEW whose JSON name another field of the message
// also has, where OLD did not pair the same two field numbers that way. The finding is at
// the field declared later, which is the one that took a name already in use.
func (c *comparer) compareJSONConflicts(om, nm protoreflect.MessageDescriptor) {
	newPairs := jsonConflicts(nm)
	if len(newPairs) == 0 {
		return
	}
	oldPairs := jsonConflicts(om)
	for _, p := range newPairs {
		if oldPairs.has(p) {
			continue
		}
		first, later := nm.Fields().ByNumber(p[0]), nm.Fields().ByNumber(p[1])
		if later.Index() < first.Index() {
			first, later = later, first
		}
		c.emit(ruleFieldJSONNameConflict, ruleAnswers(ruleFieldJSONNameConflict), string(later.FullName()),
			fmt.Sprintf("field %s has the JSON name %s, which field %s also has", later.Name(), later.JSONName(), first.Name()),
			c.pos(om.Fields().ByNumber(later.Number())), c.pos(later))
	}
}

// fieldPairs are pairs of field numbers, lower first, in a deterministic order.
type fieldPairs [][2]protoreflect.FieldNumber

func (ps fieldPairs) has(p [2]protoreflect.FieldNumber) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// jsonConflicts returns the pairs of fields of m that share a JSON name. Most messages have
// none, so nothing is allocated unless two names collide.
func jsonConflicts(m protoreflect.MessageDescriptor) fieldPairs {
	fs := m.Fields()
	var out fieldPairs
	add := func(a, b protoreflect.FieldDescriptor) {
		lo, hi := a.Number(), b.Number()
		if hi < lo {
			lo, hi = hi, lo
		}
		out = append(out, [2]protoreflect.FieldNumber{lo, hi})
	}
	if fs.Len() <= 16 {
		for i := 0; i < fs.Len(); i++ {
			for j := i + 1; j < fs.Len(); j++ {
				if a, b := fs.Get(i), fs.Get(j); a.JSONName() == b.JSONName() {
					add(a, b)
				}
			}
		}
		return out
	}
	seen := make(map[string][]protoreflect.FieldDescriptor, fs.Len())
	for i := 0; i < fs.Len(); i++ {
		b := fs.Get(i)
		for _, a := range seen[b.JSONName()] {
			add(a, b)
		}
		seen[b.JSONName()] = append(seen[b.JSONName()], b)
	}
	return out
}

// fieldDeleted applies the deprecate-then-reserve rule to a deleted field.
func (c *comparer) fieldDeleted(of protoreflect.FieldDescriptor, nm protoreflect.MessageDescriptor) {
	numberReserved := nm.ReservedRanges().Has(of.Number())
	nameReserved := nm.ReservedNames().Has(of.Name())
	r := c.retire(deprecated(of), numberReserved, nameReserved, retirementRules{
		done: ruleFieldDeletedAfterDeprecation, notDeprecated: ruleFieldDeletedWithoutDeprecation,
		notReserved: ruleFieldDeletedWithoutReservation, neither: ruleFieldDeleted,
	})
	note := c.retireNote(r == ruleFieldDeletedAfterDeprecation, deprecated(of), numberReserved, nameReserved)
	if of.Cardinality() == protoreflect.Required {
		// Old readers reject messages without a required field, so its deletion is never
		// forward-safe, however well it was retired.
		if r == ruleFieldDeletedAfterDeprecation {
			r = ruleFieldRequiredDeleted
		}
		note += "; it was required, and old readers reject messages without it"
	}
	c.emit(r, ruleAnswers(r), string(of.FullName()),
		fmt.Sprintf("field %s (number %d) was deleted%s", of.Name(), of.Number(), note),
		c.pos(of), nil)
}

// fieldAdded reports a new field: required, joining an existing oneof, or plain.
func (c *comparer) fieldAdded(om protoreflect.MessageDescriptor, nf protoreflect.FieldDescriptor) {
	subject := string(nf.FullName())
	switch {
	case nf.Cardinality() == protoreflect.Required:
		c.emit(ruleFieldRequiredAdded, ruleAnswers(ruleFieldRequiredAdded), subject,
			fmt.Sprintf("required field %s = %d was added", nf.Name(), nf.Number()), nil, c.pos(nf))
	case realOneof(nf) != nil && om.Oneofs().ByName(realOneof(nf).Name()) != nil:
		c.emit(ruleFieldAddedToOneof, c.additionAnswers(ruleFieldAddedToOneof), subject,
			fmt.Sprintf("field %s = %d was added to oneof %s", nf.Name(), nf.Number(), realOneof(nf).Name()), nil, c.pos(nf))
	default:
		c.emit(ruleFieldAdded, c.additionAnswers(ruleFieldAdded), subject,
			fmt.Sprintf("field %s = %d was added", nf.Name(), nf.Number()), nil, c.pos(nf))
	}
}

// realOneof returns the oneof a field belongs to, ignoring the synthetic oneofs of proto3
// optional fields.
func realOneof(fd protoreflect.FieldDescriptor) protoreflect.OneofDescriptor {
	if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
		return od
	}
	return nil
}

// compareField compares one field present on both sides. sameNumber is false when the
// pair was matched by name after a number change.
func (c *comparer) compareField(of, nf protoreflect.FieldDescriptor, sameNumber bool) {
	subject := string(nf.FullName())
	if sameNumber && of.Name() != nf.Name() {
		if of.JSONName() != nf.JSONName() {
			c.emit(ruleFieldRenamed, ruleAnswers(ruleFieldRenamed), string(of.FullName()),
				fmt.Sprintf("field %d was renamed from %s to %s, changing its JSON name from %s to %s", of.Number(), of.Name(), nf.Name(), of.JSONName(), nf.JSONName()),
				c.pos(of), c.pos(nf))
		}
	} else if of.JSONName() != nf.JSONName() {
		c.emit(ruleFieldJSONNameChanged, ruleAnswers(ruleFieldJSONNameChanged), subject,
			fmt.Sprintf("field %s changed its JSON name from %s to %s", nf.Name(), of.JSONName(), nf.JSONName()), c.pos(of), c.pos(nf))
	}
	c.compareFieldShape(of, nf)
	c.compareOneof(of, nf)
}

// compareFieldShape compares what decides a field's encoding: its type, cardinality,
// presence, packing and default. Extensions share it.
func (c *comparer) compareFieldShape(of, nf protoreflect.FieldDescriptor) {
	subject := string(nf.FullName())
	op, np := c.pos(of), c.pos(nf)
	c.compareFieldType(of, nf, subject, op, np)

	oRep, nRep := of.Cardinality() == protoreflect.Repeated, nf.Cardinality() == protoreflect.Repeated
	oReq, nReq := of.Cardinality() == protoreflect.Required, nf.Cardinality() == protoreflect.Required
	switch {
	case !oRep && nRep:
		a := answers{wireB: true, wireF: false, jsonB: false, jsonF: false}
		c.emit(ruleFieldMadeRepeated, a, subject, fmt.Sprintf("field %s changed from singular to repeated", nf.Name()), op, np)
	case oRep && !nRep:
		a := answers{wireB: false, wireF: true, jsonB: false, jsonF: false}
		c.emit(ruleFieldMadeSingular, a, subject, fmt.Sprintf("field %s changed from repeated to singular", nf.Name()), op, np)
	case !oReq && nReq:
		c.emit(ruleFieldMadeRequired, ruleAnswers(ruleFieldMadeRequired), subject, fmt.Sprintf("field %s was made required", nf.Name()), op, np)
	case oReq && !nReq:
		c.emit(ruleFieldRequiredRemoved, ruleAnswers(ruleFieldRequiredRemoved), subject, fmt.Sprintf("field %s is no longer required", nf.Name()), op, np)
	case oRep && nRep:
		if of.IsPacked() != nf.IsPacked() && !of.IsMap() && !nf.IsMap() {
			c.emit(ruleFieldPackingChanged, ruleAnswers(ruleFieldPackingChanged), subject,
				fmt.Sprintf("field %s changed from %s to %s encoding", nf.Name(), packing(of), packing(nf)), op, np)
		}
	case !oReq && !nReq:
		if of.HasPresence() != nf.HasPresence() && of.Message() == nil && nf.Message() == nil &&
			realOneof(of) == nil && realOneof(nf) == nil {
			c.emit(ruleFieldPresenceChanged, ruleAnswers(ruleFieldPresenceChanged), subject,
				fmt.Sprintf("field %s %s presence tracking", nf.Name(), map[bool]string{true: "gained", false: "lost"}[nf.HasPresence()]), op, np)
		}
	}
	if !oRep && !nRep && of.Kind() == nf.Kind() && (of.HasDefault() || nf.HasDefault()) {
		if ov, nv := defaultText(of), defaultText(nf); ov != nv {
			c.emit(ruleFieldDefaultChanged, ruleAnswers(ruleFieldDefaultChanged), subject,
				fmt.Sprintf("field %s changed its default from %s to %s", nf.Name(), ov, nv), op, np)
		}
	}
}

func packing(fd protoreflect.FieldDescriptor) string {
	if fd.IsPacked() {
		return "packed"
	}
	return "unpacked"
}

// defaultText renders a field's default for comparison and messages.
func defaultText(fd protoreflect.FieldDescriptor) string {
	if !fd.HasDefault() {
		return "(none)"
	}
	if fd.Kind() == protoreflect.EnumKind {
		if ev := fd.DefaultEnumValue(); ev != nil {
			return fmt.Sprintf("%s (%d)", ev.Name(), ev.Number())
		}
	}
	v := fd.Default().Interface()
	if b, ok := v.([]byte); ok {
		return fmt.Sprintf("%q", b)
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// compareFieldType judges a type change by the matrix in fieldtype.go, and message and
// enum types by structure: a type renamed with the same shape is not a change of the field.
// A type with the same full name on both sides is compared where it is declared.
func (c *comparer) compareFieldType(of, nf protoreflect.FieldDescriptor, subject string, op, np *compat.Position) {
	var a answers
	ok, nk := of.Kind(), nf.Kind()
	isMsg := func(k protoreflect.Kind) bool { return k == protoreflect.MessageKind || k == protoreflect.GroupKind }
	switch {
	case ok == nk && isMsg(ok) && of.IsMap() != nf.IsMap():
		// A map and a repeated field of an entry message of the same shape (even of the
		// same name: the map's synthesized entry and a declared one) are the same bytes on
		// the wire, but an object and an array in JSON.
		if c.shapes.messages(dimWire, of.Message(), nf.Message()) {
			a = answers{wireB: true, wireF: true}
		} else {
			a = c.messageAnswers(of.Message(), nf.Message())
		}
	case ok == nk && isMsg(ok):
		if c.sameType(of.Message(), nf.Message()) {
			return
		}
		if c.shapes.messages(dimWire, of.Message(), nf.Message()) && c.shapes.messages(dimJSON, of.Message(), nf.Message()) {
			return
		}
		a = c.messageAnswers(of.Message(), nf.Message())
	case ok == nk && ok == protoreflect.EnumKind:
		if c.sameType(of.Enum(), nf.Enum()) {
			return
		}
		if c.shapes.enums(dimWire, of.Enum(), nf.Enum()) && c.shapes.enums(dimJSON, of.Enum(), nf.Enum()) {
			return
		}
		a = c.enumAnswers(of.Enum(), nf.Enum())
	case ok == nk:
		return
	case isMsg(ok) && isMsg(nk):
		// message ↔ group: another wire type, the same JSON object.
		j := c.shapes.messages(dimJSON, of.Message(), nf.Message())
		a = answers{false, false, j, j}
	default:
		a = kindAnswers(ok, nk)
	}
	if of.IsMap() != nf.IsMap() {
		a.jsonB, a.jsonF = false, false
	}
	b, f, any := c.combine(ruleFieldTypeChanged.Scope, a)
	if !any {
		return
	}
	r := ruleFieldTypeChangedCompatibly
	switch {
	case !b:
		r = ruleFieldTypeChanged
	case !f:
		r = ruleFieldTypeWidened
	}
	what := "field " + string(nf.Name())
	if mf := mapFieldOf(nf); mf != nil {
		what = "map field " + string(mf.Name()) + " " + string(nf.Name())
		subject = string(mf.FullName())
	}
	c.emit(r, a, subject, fmt.Sprintf("%s changed type from %s to %s%s", what, kindName(of), kindName(nf), c.perEncoding(a)), op, np)
}

// combine returns the answers over the selected encodings in scope, and whether any
// selected encoding is in scope.
func (c *comparer) combine(scope string, a answers) (b, f, any bool) {
	b, f = true, true
	if c.wire && strings.Contains(scope, "wire") {
		b, f, any = b && a.wireB, f && a.wireF, true
	}
	if c.json && strings.Contains(scope, "json") {
		b, f, any = b && a.jsonB, f && a.jsonF, true
	}
	return b, f, any
}

// compareOneof reports a field moving into, out of or between oneofs. Old writers may set
// several fields that now share a oneof (B fails); new writers may set several fields that
// shared one before (F fails).
func (c *comparer) compareOneof(of, nf protoreflect.FieldDescriptor) {
	oo, no := realOneof(of), realOneof(nf)
	if oo == nil && no == nil || oo != nil && no != nil && oo.Name() == no.Name() {
		return
	}
	om, nm := of.ContainingMessage(), nf.ContainingMessage()
	oldName := func(fd protoreflect.FieldDescriptor) protoreflect.Name {
		if o := realOneof(fd); o != nil {
			return o.Name()
		}
		return ""
	}
	// B fails when a sibling in the new oneof was, in OLD, a field that could be set
	// together with this one.
	bOK := true
	if no != nil {
		for i := 0; i < no.Fields().Len(); i++ {
			sib := no.Fields().Get(i)
			if sib.Number() == nf.Number() {
				continue
			}
			if os := om.Fields().ByNumber(sib.Number()); os != nil && (oo == nil || oldName(os) != oo.Name()) {
				bOK = false
			}
		}
	}
	fOK := true
	if oo != nil {
		for i := 0; i < oo.Fields().Len(); i++ {
			sib := oo.Fields().Get(i)
			if sib.Number() == of.Number() {
				continue
			}
			if ns := nm.Fields().ByNumber(sib.Number()); ns != nil && (no == nil || oldName(ns) != no.Name()) {
				fOK = false
			}
		}
	}
	subject := string(nf.FullName())
	a := both(bOK, fOK)
	switch {
	case oo == nil:
		note := ""
		if bOK {
			note = "; no field it could be set together with before shares the oneof, so only its presence tracking changed"
		}
		c.emit(ruleFieldMovedIntoOneof, a, subject, fmt.Sprintf("field %s moved into oneof %s%s", nf.Name(), no.Name(), note), c.pos(of), c.pos(nf))
	case no == nil:
		note := ""
		if fOK {
			note = "; none of its former siblings remains, so only its presence tracking changed"
		}
		c.emit(ruleFieldMovedOutOfOneof, a, subject, fmt.Sprintf("field %s moved out of oneof %s%s", nf.Name(), oo.Name(), note), c.pos(of), c.pos(nf))
	case bOK && fOK:
		// The oneof was renamed with the same members: neither encoding names oneofs.
	default:
		c.emit(ruleFieldMovedBetweenOneofs, a, subject, fmt.Sprintf("field %s moved from oneof %s to oneof %s", nf.Name(), oo.Name(), no.Name()), c.pos(of), c.pos(nf))
	}
}

// perEncoding explains, when both encodings are judged and they disagree, the class of a
// change in each, so that a user who needs only one knows where they stand.
func (c *comparer) perEncoding(a answers) string {
	if !c.wire || !c.json {
		return ""
	}
	w, j := compat.ClassOf(a.wireB, a.wireF), compat.ClassOf(a.jsonB, a.jsonF)
	if w == j {
		return ""
	}
	return fmt.Sprintf(" (%s on the wire, %s in JSON)", w, j)
}
