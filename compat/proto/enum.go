package proto

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var ruleEnumValueAdded = register(compat.Rule{
	ID:       "ENUM_VALUE_ADDED",
	Title:    "Enum value added",
	Backward: true, Forward: false,
	Scope: "wire, json",
	Why: "Old writers never produce the new value, so new readers are unaffected (B holds). Old readers " +
		"cannot interpret it when new writers send it (F fails): open enums keep an unrecognized number, " +
		"closed (proto2) enums move the field into unknown fields, and JSON readers meet a name they do not " +
		"know.",
	Old:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}",
	New:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n  STATUS_CLOSED = 2;\n}",
	Safe: "Release every reader that knows the new value before any writer sends it.",
},
	"Release every reader that knows the new value first",
	"Let writers send the new value only in a later release",
)

var ruleEnumValueDeleted = register(compat.Rule{
	ID:       "ENUM_VALUE_DELETED",
	Title:    "Enum value deleted without deprecation or reservation",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers still send the value and new readers no longer know it (B fails); its number and " +
		"name stay free for reuse with another meaning (F fails for data written after a reuse).",
	Old:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}",
	New:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n}",
	Safe: "Mark the value deprecated in one release, stop every writer from sending it, then delete it and reserve its number and name.",
},
	"Mark the value deprecated and release that",
	"Stop every writer from sending it",
	"Delete it in a later release and reserve its number and name",
)

var ruleEnumValueDeletedWithoutDeprecation = register(compat.Rule{
	ID:       "ENUM_VALUE_DELETED_WITHOUT_DEPRECATION",
	Title:    "Enum value deleted and reserved without deprecation first",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The reservation prevents reuse, but the value was never deprecated in a released version, so " +
		"old writers may still send it and new readers no longer know it (B fails). This skips the expand " +
		"phase.",
	Old:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1;\n}",
	New:  "enum Status {\n  reserved 1;\n  reserved \"STATUS_OPEN\";\n  STATUS_UNSPECIFIED = 0;\n}",
	Safe: "Restore the value marked deprecated, release that, and delete it again in a later release.",
},
	"Restore the value, marked deprecated, and release that",
	"Stop every writer from sending it",
	"Delete it again in a later release, keeping the reservation",
)

var ruleEnumValueDeletedWithoutReservation = register(compat.Rule{
	ID:       "ENUM_VALUE_DELETED_WITHOUT_RESERVATION",
	Title:    "Deprecated enum value deleted without reserving it",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The value was deprecated first, but without reserving its number and name a later value may " +
		"reuse them, and old data is then read with a new meaning, in both directions.",
	Old:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1 [deprecated = true];\n}",
	New:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n}",
	Safe: "Reserve the deleted value's number and name in the same release that deletes it.",
},
	"Reserve the deleted value's number and name in the enum (reserved statements)",
	"Release the deletion only together with the reservation",
)

var ruleEnumValueDeletedAfterDeprecation = register(compat.Rule{
	ID:       "ENUM_VALUE_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated enum value deleted and reserved",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the value deprecated and NEW reserves its number and name: the contract " +
		"step of expand–contract, which passes.",
	Old:  "enum Status {\n  STATUS_UNSPECIFIED = 0;\n  STATUS_OPEN = 1 [deprecated = true];\n}",
	New:  "enum Status {\n  reserved 1;\n  reserved \"STATUS_OPEN\";\n  STATUS_UNSPECIFIED = 0;\n}",
	Safe: "Nothing more to do, provided the release that deprecated the value is live everywhere.",
})

var ruleEnumValueRenamed = register(compat.Rule{
	ID:       "ENUM_VALUE_RENAMED",
	Title:    "Enum value renamed",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The binary encoding sends the number and is unaffected. JSON sends the name: new readers reject " +
		"the old name old writers send (B fails), old readers the new one (F fails).",
	Old:  "enum Status {\n  STATUS_OPEN = 1;\n}",
	New:  "enum Status {\n  STATUS_ACTIVE = 1;\n}",
	Safe: "Add the new name as an alias (option allow_alias = true), move JSON writers to it, then deprecate and remove the old name.",
},
	"Add the new name as an alias of the same number (option allow_alias = true) and release that",
	"Move JSON writers to the new name",
	"Remove the old name in a later release and reserve it",
)

var ruleEnumValueNumberChanged = register(compat.Rule{
	ID:       "ENUM_VALUE_NUMBER_CHANGED",
	Title:    "Enum value number changed",
	Backward: false, Forward: false,
	Scope: "wire",
	Why: "The binary encoding sends the number: new readers read old writers' number as another value or " +
		"none (B fails), and the reverse (F fails). JSON sends the name and is unaffected.",
	Old:  "enum Status {\n  STATUS_OPEN = 1;\n}",
	New:  "enum Status {\n  STATUS_OPEN = 2;\n}",
	Safe: "Never renumber a value; add a new value, move writers, then deprecate and delete the old one.",
},
	"Keep the old number; add a new value instead if a new number is needed",
	"Move writers to the new value, then deprecate the old one",
	"Delete and reserve the old value in a later release",
)

var ruleEnumClosed = register(compat.Rule{
	ID:       "ENUM_CLOSED",
	Title:    "Open enum made closed",
	Backward: false, Forward: true,
	Scope: "wire",
	Why: "Open enum readers keep and re-emit numbers they do not know. New closed readers move such " +
		"numbers, written by old writers, into unknown fields, so the field reads as unset (B fails). New " +
		"writers emit only listed values, which old readers accept (F holds).",
	Old:  "syntax = \"proto3\";\nenum Status { STATUS_UNSPECIFIED = 0; }",
	New:  "edition = \"2023\";\nenum Status {\n  option features.enum_type = CLOSED;\n  STATUS_UNSPECIFIED = 0;\n}",
	Safe: "Keep the enum open.",
},
	"Keep the enum open (enum_type = OPEN, or proto3 syntax)",
)

var ruleEnumOpened = register(compat.Rule{
	ID:       "ENUM_OPENED",
	Title:    "Closed enum made open",
	Backward: true, Forward: false,
	Scope: "wire",
	Why: "New open readers accept every number old closed writers sent (B holds). New writers may pass " +
		"on numbers they do not know, which old closed readers move into unknown fields (F fails).",
	Old:  "syntax = \"proto2\";\nenum Status { STATUS_UNSPECIFIED = 0; }",
	New:  "syntax = \"proto3\";\nenum Status { STATUS_UNSPECIFIED = 0; }",
	Safe: "Release every reader with the open enum before writers forward unknown numbers.",
},
	"Release every reader with the open enum first",
	"Let writers forward unknown numbers only in a later release",
)

var ruleEnumDeleted = register(compat.Rule{
	ID:       "ENUM_DELETED",
	Title:    "Enum type deleted",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "Neither encoding names an enum type: its values travel as numbers or value names inside " +
		"fields. Every field that used the enum changed type and is reported on its own, so deleting the " +
		"type itself affects only generated code.",
	Old:  "enum Status { STATUS_UNSPECIFIED = 0; }",
	New:  "// Status removed",
	Safe: "Safe for the encodings; remove the fields that use the enum with expand–contract first.",
})

// compareEnums pairs the enums of both sides by full name and compares each pair.
func (c *comparer) compareEnums() {
	for _, name := range sortedNames(c.oldIndex.enums) {
		oe := c.oldIndex.enums[name]
		ne, ok := c.newIndex.enums[name]
		if !ok {
			if n, renamed := c.counterpart(name, oe.ParentFile().Package()); renamed {
				ne, ok = c.newIndex.enums[n]
			}
		}
		if !ok {
			if !c.parentVanished(oe) && !c.reported[name] {
				c.emit(ruleEnumDeleted, ruleAnswers(ruleEnumDeleted), string(name),
					"enum "+string(name)+" was deleted", c.pos(oe), nil)
			}
			continue
		}
		c.compareEnum(oe, ne)
	}
}

// renamedValue returns the NEW value an OLD value was renamed to: a value of the same number
// whose name OLD did not have and that no other value was renamed to, in declaration order.
// Aliases count, so renaming one of several names of a number is found too.
func renamedValue(ov, nv protoreflect.EnumValueDescriptors, v protoreflect.EnumValueDescriptor, taken map[protoreflect.Name]bool) protoreflect.EnumValueDescriptor {
	for i := 0; i < nv.Len(); i++ {
		n := nv.Get(i)
		if n.Number() == v.Number() && ov.ByName(n.Name()) == nil && !taken[n.Name()] {
			return n
		}
	}
	return nil
}

// compareEnum compares the values, reservations and open or closed semantics of an enum.
func (c *comparer) compareEnum(oe, ne protoreflect.EnumDescriptor) {
	if oe.IsClosed() != ne.IsClosed() {
		r := ruleEnumOpened
		msg := "enum %s changed from closed to open"
		if ne.IsClosed() {
			r, msg = ruleEnumClosed, "enum %s changed from open to closed"
		}
		c.emit(r, ruleAnswers(r), string(ne.FullName()), fmt.Sprintf(msg, ne.Name()), c.pos(oe), c.pos(ne))
	}
	ov, nv := oe.Values(), ne.Values()
	renamedTo := map[protoreflect.Name]bool{}
	for i := 0; i < ov.Len(); i++ {
		v := ov.Get(i)
		subject := string(oe.FullName()) + "." + string(v.Name())
		same := nv.ByName(v.Name())
		if same != nil && same.Number() == v.Number() {
			continue
		}
		if same != nil {
			c.emit(ruleEnumValueNumberChanged, ruleAnswers(ruleEnumValueNumberChanged), subject,
				fmt.Sprintf("enum value %s changed number from %d to %d", v.Name(), v.Number(), same.Number()), c.pos(v), c.pos(same))
			continue
		}
		if n := renamedValue(ov, nv, v, renamedTo); n != nil {
			renamedTo[n.Name()] = true
			c.emit(ruleEnumValueRenamed, ruleAnswers(ruleEnumValueRenamed), subject,
				fmt.Sprintf("enum value %d was renamed from %s to %s", v.Number(), v.Name(), n.Name()), c.pos(v), c.pos(n))
			continue
		}
		// An alias that remains for the number keeps the number from being reused and
		// the wire unaffected: only the name is gone, which matters to JSON alone.
		alias := nv.ByNumber(v.Number())
		if alias != nil && !c.json {
			continue
		}
		numberReserved := alias != nil || ne.ReservedRanges().Has(v.Number())
		nameReserved := ne.ReservedNames().Has(v.Name())
		r := c.retire(deprecated(v), numberReserved, nameReserved, retirementRules{
			done: ruleEnumValueDeletedAfterDeprecation, notDeprecated: ruleEnumValueDeletedWithoutDeprecation,
			notReserved: ruleEnumValueDeletedWithoutReservation, neither: ruleEnumValueDeleted,
		})
		a := ruleAnswers(r)
		note := c.retireNote(r == ruleEnumValueDeletedAfterDeprecation, deprecated(v), numberReserved, nameReserved)
		if alias != nil {
			a.wireB, a.wireF = true, true
			note += fmt.Sprintf(" (its number remains as %s, so only JSON is affected)", alias.Name())
		}
		c.emit(r, a, subject, fmt.Sprintf("enum value %s = %d was deleted%s", v.Name(), v.Number(), note), c.pos(v), nil)
	}
	for i := 0; i < nv.Len(); i++ {
		v := nv.Get(i)
		if ov.ByName(v.Name()) != nil || ov.ByNumber(v.Number()) != nil {
			continue
		}
		note := ""
		if ne.IsClosed() {
			note = "; old readers of this closed enum keep it as an unknown field"
		}
		c.emit(ruleEnumValueAdded, c.additionAnswers(ruleEnumValueAdded), string(ne.FullName())+"."+string(v.Name()),
			fmt.Sprintf("enum value %s = %d was added%s", v.Name(), v.Number(), note), nil, c.pos(v))
	}
	c.compareEnumReserved(oe, ne)
}
