package proto

import (
	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var ruleMessageDeleted = register(compat.Rule{
	ID:       "MESSAGE_DELETED",
	Title:    "Message deleted",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Old writers keep producing the message (packed in Any values, or as a method's request or " +
		"response) and new readers cannot resolve its type (B fails); new writers no longer produce what " +
		"old readers expect (F fails). Fields that used the message are reported on their own.",
	Old:  "message Order { string id = 1; }\nmessage Note { string text = 1; }",
	New:  "message Order { string id = 1; }",
	Safe: "Mark the message deprecated in one release, remove every use of it, and delete it in a later release.",
},
	"Mark the message deprecated and release that",
	"Remove every field, method and Any value that uses it",
	"Delete the message in a later release",
)

var ruleMessageDeletedAfterDeprecation = register(compat.Rule{
	ID:       "MESSAGE_DELETED_AFTER_DEPRECATION",
	Title:    "Deprecated message deleted",
	Backward: true, Forward: true,
	Scope: "wire, json",
	Why: "OLD already marked the message deprecated, so this is the contract step of expand–contract: " +
		"the released deprecation told every writer to stop producing it. Fields that still used it are " +
		"reported on their own.",
	Old:  "message Note {\n  option deprecated = true;\n  string text = 1;\n}",
	New:  "// Note removed",
	Safe: "Nothing more to do, provided the release that deprecated the message is live everywhere.",
})

var ruleMessageRenamed = register(compat.Rule{
	ID:       "MESSAGE_RENAMED",
	Title:    "Message renamed",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The message keeps its fields, so fields that embed it encode the same bytes and JSON, and " +
		"binary parsers keep an Any's payload opaque: the wire encoding is unaffected. But its full " +
		"name is gone, and the JSON form of an Any names the type (\"@type\") and cannot be parsed " +
		"without it: new JSON readers reject Any values old writers packed (B fails), and old readers " +
		"those of new writers (F fails). Code that unpacks binary Any values by name fails the same way.",
	Old:  "message Note { string text = 1; }",
	New:  "message Remark { string text = 1; }",
	Safe: "Add the new message beside the old one, move writers of Any values to it, and delete the old message after deprecating it.",
},
	"Add the message under its new name beside the old one",
	"Move every writer, Any values included, to the new name, and mark the old message deprecated",
	"Delete the old message in a later release",
)

var ruleMessageMoved = register(compat.Rule{
	ID:       "MESSAGE_MOVED",
	Title:    "Message moved to another scope",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "The message keeps its fields but now lives in another package or parent message, so its full " +
		"name changed. Fields that embed it encode the same as before, and binary parsers keep Any " +
		"payloads opaque, so the wire encoding is unaffected; but JSON Any values name the type " +
		"(\"@type\"): new JSON readers cannot parse those old writers produced (B fails), and the " +
		"reverse (F fails).",
	Old:  "message Order { message Line { string sku = 1; } }",
	New:  "message Line { string sku = 1; }",
	Safe: "Add the message in its new place, move every writer to it, deprecate the old one and delete it in a later release.",
},
	"Add the message in its new place beside the old one",
	"Move every writer, Any values included, to the new one, and mark the old one deprecated",
	"Delete the old message in a later release",
)

// compareMessages pairs the messages of both sides by full name (following package
// renames), compares each pair, and reports messages that disappeared: renamed or moved
// when an identically shaped new message took their place, deleted otherwise.
func (c *comparer) compareMessages() {
	matched := map[protoreflect.FullName]bool{}
	var vanished []protoreflect.MessageDescriptor
	for _, name := range sortedNames(c.oldIndex.messages) {
		om := c.oldIndex.messages[name]
		if nm, ok := c.findNewMessage(om); ok {
			matched[nm.FullName()] = true
			c.compareMessage(om, nm)
			continue
		}
		if c.reported[name] || c.parentVanished(om) || om.IsMapEntry() {
			// A map entry vanishes with its map field, which is reported as changed.
			continue
		}
		vanished = append(vanished, om)
	}
	var added []protoreflect.MessageDescriptor
	for _, name := range sortedNames(c.newIndex.messages) {
		if !matched[name] {
			added = append(added, c.newIndex.messages[name])
		}
	}
	used := map[protoreflect.FullName]bool{}
	var ix shapeIndex
	if len(vanished) > 0 {
		ix = newShapeIndex(added)
	}
	for _, om := range vanished {
		twin := c.messageTwin(om, ix.candidates(om), used)
		switch {
		case twin != nil && twin.Parent().FullName() == om.Parent().FullName():
			c.emit(ruleMessageRenamed, ruleAnswers(ruleMessageRenamed), string(om.FullName()),
				"message "+string(om.FullName())+" was renamed to "+string(twin.FullName()), c.pos(om), c.pos(twin))
		case twin != nil:
			c.emit(ruleMessageMoved, ruleAnswers(ruleMessageMoved), string(om.FullName()),
				"message "+string(om.FullName())+" was moved to "+string(twin.FullName()), c.pos(om), c.pos(twin))
		case deprecated(om):
			c.emit(ruleMessageDeletedAfterDeprecation, ruleAnswers(ruleMessageDeletedAfterDeprecation), string(om.FullName()),
				"deprecated message "+string(om.FullName())+" was deleted", c.pos(om), nil)
		default:
			c.emit(ruleMessageDeleted, ruleAnswers(ruleMessageDeleted), string(om.FullName()),
				"message "+string(om.FullName())+" was deleted", c.pos(om), nil)
		}
	}
}

// messageTwin finds an added message with the same shape in both encodings, preferring one
// in the same scope, so that a rename is reported as such rather than as a deletion. added
// holds the added messages that may have om's shape, in name order.
func (c *comparer) messageTwin(om protoreflect.MessageDescriptor, added []protoreflect.MessageDescriptor, used map[protoreflect.FullName]bool) protoreflect.MessageDescriptor {
	var other protoreflect.MessageDescriptor
	for _, nm := range added {
		if used[nm.FullName()] || om.IsMapEntry() || nm.IsMapEntry() || om.Fields().Len() == 0 {
			continue
		}
		if !c.shapes.messages(dimWire, om, nm) || !c.shapes.messages(dimJSON, om, nm) {
			continue
		}
		if nm.Parent().FullName() == om.Parent().FullName() {
			used[nm.FullName()] = true
			return nm
		}
		if other == nil {
			other = nm
		}
	}
	if other != nil {
		used[other.FullName()] = true
	}
	return other
}

// compareMessage compares one message present on both sides. Nested types are compared
// on their own, as every message of the changed files is in the index.
func (c *comparer) compareMessage(om, nm protoreflect.MessageDescriptor) {
	c.compareFields(om, nm)
	c.compareMessageReserved(om, nm)
	c.compareExtensionRanges(om, nm)
}
