package proto

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var ruleExtensionAdded = register(compat.Rule{
	ID:       "EXTENSION_ADDED",
	Title:    "Extension added",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "Like a new field: old writers never set it (B holds) and old readers keep it as an unknown " +
		"field (F holds). Strict JSON readers reject the unknown [name] key, which makes it read-tolerant " +
		"under JSON.",
	Old:  "message Order { extensions 100 to 199; }",
	New:  "message Order { extensions 100 to 199; }\nextend Order { string note = 100; }",
	Safe: "Safe in any order. With strict JSON readers, release the readers first.",
})

var ruleExtensionDeleted = register(compat.Rule{
	ID:       "EXTENSION_DELETED",
	Title:    "Extension deleted",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers still set the extension and new readers drop it as unknown (B fails); old readers " +
		"stop receiving it (F fails). Extensions cannot be reserved, so only a deprecation beforehand " +
		"makes the deletion a contract step.",
	Old:  "extend Order { string note = 100; }",
	New:  "// extension removed",
	Safe: "Mark the extension deprecated, stop every writer from setting it, then delete it in a later release.",
},
	"Mark the extension deprecated and release that",
	"Stop every writer from setting it",
	"Delete it in a later release and never reuse its number",
)

var ruleExtensionDeletedAfterDeprecation = register(compat.Rule{
	ID:       "EXTENSION_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated extension deleted",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the extension deprecated: deleting it is the contract step of " +
		"expand–contract. Its number must never be reused within the extended message.",
	Old:  "extend Order { string note = 100 [deprecated = true]; }",
	New:  "// extension removed",
	Safe: "Nothing more to do; never reuse the number.",
})

var ruleExtensionNumberChanged = register(compat.Rule{
	ID:       "EXTENSION_NUMBER_CHANGED",
	Title:    "Extension number changed",
	Backward: false, Forward: false,
	Scope: "wire",
	Why: "The binary encoding identifies an extension by number: values old writers wrote are unknown " +
		"to new readers (B fails) and the reverse (F fails). JSON names extensions by full name and is " +
		"unaffected.",
	Old:  "extend Order { string note = 100; }",
	New:  "extend Order { string note = 101; }",
	Safe: "Add a new extension with the new number beside the old one, move writers and readers, then deprecate and delete the old one.",
},
	"Add a new extension with the new number beside the old one, and fill both",
	"Move every reader to the new extension",
	"Deprecate the old extension and delete it in a later release",
)

var ruleExtensionRenamed = register(compat.Rule{
	ID:       "EXTENSION_RENAMED",
	Title:    "Extension renamed or moved to another scope",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The binary encoding identifies an extension by the message it extends and its number, which " +
		"stayed, so the wire is unaffected. JSON names an extension by its full name in brackets " +
		"(\"[shop.v1.note]\"), which changed: new JSON readers do not know the key old writers wrote " +
		"(B fails), and old readers do not know the new one (F fails).",
	Old:  "extend Order { string note = 100; }",
	New:  "extend Order { string remark = 100; }",
	Safe: "Keep the extension's name and scope; if it must change for JSON users, declare a new extension with a new number beside the old one and retire the old one with expand–contract.",
},
	"Keep the extension's full name, or declare a new extension with a new number beside the old one",
	"Move JSON writers and readers to the new extension",
	"Deprecate the old extension and delete it in a later release, never reusing its number",
)

var ruleExtensionRangeRemoved = register(compat.Rule{
	ID:       "EXTENSION_RANGE_REMOVED",
	Title:    "Extension range shrunk",
	Backward: false, Forward: false,
	Scope: "wire",
	Why: "Extensions declared in the removed numbers (possibly in files this comparison never sees) " +
		"become invalid: their values are read as unknown fields, or clash with fields that take the " +
		"numbers, in both directions.",
	Old:  "message Order { extensions 100 to 199; }",
	New:  "message Order { extensions 100 to 149; }",
	Safe: "Keep extension ranges; reserve numbers instead of reusing them.",
},
	"Restore the extension range",
	"Only add fields outside every extension range that was ever published",
)

// compareExtensions pairs extensions by full name and compares them like fields. An
// extension whose name vanished is paired with an added extension of the same extended
// message and number: the wire sees the same field, JSON a renamed key.
func (c *comparer) compareExtensions() {
	// First pair by name, so that a renamed extension can only take over an extension
	// that no other one claims by name.
	pairs := map[protoreflect.FullName]protoreflect.ExtensionDescriptor{}
	matched := map[protoreflect.FullName]bool{}
	for _, name := range sortedNames(c.oldIndex.extensions) {
		ox := c.oldIndex.extensions[name]
		nx, ok := c.newIndex.extensions[name]
		if !ok {
			if n, renamed := c.counterpart(name, ox.ParentFile().Package()); renamed {
				nx, ok = c.newIndex.extensions[n]
			}
		}
		if ok {
			pairs[name] = nx
			matched[nx.FullName()] = true
		}
	}
	var added []protoreflect.ExtensionDescriptor
	for _, name := range sortedNames(c.newIndex.extensions) {
		if !matched[name] {
			added = append(added, c.newIndex.extensions[name])
		}
	}
	for _, name := range sortedNames(c.oldIndex.extensions) {
		ox := c.oldIndex.extensions[name]
		nx, ok := pairs[name]
		if !ok {
			if twin := c.extensionTwin(ox, added, matched); twin != nil {
				matched[twin.FullName()] = true
				c.emit(ruleExtensionRenamed, ruleAnswers(ruleExtensionRenamed), string(name),
					fmt.Sprintf("extension %s (number %d of %s) was renamed to %s", name, ox.Number(),
						ox.ContainingMessage().FullName(), twin.FullName()), c.pos(ox), c.pos(twin))
				c.compareFieldShape(ox, twin)
				continue
			}
			if c.parentVanished(ox) {
				continue
			}
			r := ruleExtensionDeleted
			msg := "extension %s (number %d of %s) was deleted"
			if deprecated(ox) {
				r, msg = ruleExtensionDeletedAfterDeprecation, "deprecated extension %s (number %d of %s) was deleted"
			}
			c.emit(r, ruleAnswers(r), string(name), fmt.Sprintf(msg, name, ox.Number(), ox.ContainingMessage().FullName()), c.pos(ox), nil)
			continue
		}
		if ox.Number() != nx.Number() || ox.ContainingMessage().FullName() != nx.ContainingMessage().FullName() {
			c.emit(ruleExtensionNumberChanged, ruleAnswers(ruleExtensionNumberChanged), string(nx.FullName()),
				fmt.Sprintf("extension %s moved from number %d of %s to number %d of %s", nx.Name(),
					ox.Number(), ox.ContainingMessage().FullName(), nx.Number(), nx.ContainingMessage().FullName()), c.pos(ox), c.pos(nx))
		}
		c.compareFieldShape(ox, nx)
	}
	for _, nx := range added {
		if matched[nx.FullName()] {
			continue
		}
		c.emit(ruleExtensionAdded, c.additionAnswers(ruleExtensionAdded), string(nx.FullName()),
			fmt.Sprintf("extension %s = %d of %s was added", nx.FullName(), nx.Number(), nx.ContainingMessage().FullName()), nil, c.pos(nx))
	}
}

// extensionTwin finds the added extension that takes over a vanished one: it extends the
// same message (by name, following a package rename of the extended message's file) with
// the same number, is one of the added extensions (in name order), and was not paired yet.
func (c *comparer) extensionTwin(ox protoreflect.ExtensionDescriptor, added []protoreflect.ExtensionDescriptor, matched map[protoreflect.FullName]bool) protoreflect.ExtensionDescriptor {
	extendee := ox.ContainingMessage()
	want := extendee.FullName()
	if n, ok := c.counterpart(want, extendee.ParentFile().Package()); ok {
		want = n
	}
	for _, nx := range added {
		if matched[nx.FullName()] || nx.Number() != ox.Number() {
			continue
		}
		if got := nx.ContainingMessage().FullName(); got == want || got == extendee.FullName() {
			return nx
		}
	}
	return nil
}

// compareExtensionRanges reports extension numbers of a message that NEW no longer
// accepts.
func (c *comparer) compareExtensionRanges(om, nm protoreflect.MessageDescriptor) {
	oldR, newR := fieldIntervals(om.ExtensionRanges()), fieldIntervals(nm.ExtensionRanges())
	base := sourcePath(om)
	for i, r := range oldR {
		for _, gap := range uncovered(r, append([]interval(nil), newR...)) {
			p := c.posPath(om.ParentFile(), append(append(protoreflect.SourcePath{}, base...), messageExtRangeTag, int32(i)))
			c.emit(ruleExtensionRangeRemoved, ruleAnswers(ruleExtensionRangeRemoved), string(nm.FullName()),
				fmt.Sprintf("extension numbers %s of %s are no longer an extension range", gap, nm.Name()), p, nil)
		}
	}
}
