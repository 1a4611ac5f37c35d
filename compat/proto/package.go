package proto

import (
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var rulePackageChanged = register(compat.Rule{
	ID:       "PACKAGE_CHANGED",
	Title:    "File package changed",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "The package is part of every full name: gRPC method paths (/shop.v1.OrderService/Get) and " +
		"Any type URLs (type.googleapis.com/shop.v1.Order) change with it. Old clients call paths new " +
		"servers no longer serve (B fails) and new clients call paths old servers never served (F fails); " +
		"Any values packed by one side name types the other cannot resolve.",
	Old:  "package shop.v1;\nmessage Order { string id = 1; }",
	New:  "package shop.v2;\nmessage Order { string id = 1; }",
	Safe: "Copy the definitions into a new file with the new package, serve both services side by side, move clients to the new package, and delete the old file only after no client uses it.",
},
	"Add a new file with the new package beside the old one, and serve both services",
	"Move every client and every Any writer to the new package",
	"Delete the old file in a later release, once nothing uses the old names",
)

var ruleFileDeleted = register(compat.Rule{
	ID:       "FILE_DELETED",
	Title:    "File deleted with its types",
	Backward: false, Forward: false,
	Scope: "wire, json",
	Why: "Types that existed only in the deleted file are gone: old writers still produce them (in Any " +
		"values and in fields of other messages) and new readers cannot resolve them (B fails); old " +
		"readers still expect them from new writers (F fails). Types moved to another file under the same " +
		"full name are not a change and are not reported.",
	Old:  "// a.proto\nmessage Order { string id = 1; }",
	New:  "// a.proto removed",
	Safe: "Deprecate the types of the file first, stop every use of them, and delete the file in a later release; or move the types to another file keeping their full names.",
},
	"Mark the file's types deprecated and release that",
	"Remove every use of them, in fields, methods and Any values",
	"Delete the file in a later release",
)

// compareFiles reports package changes of files that exist on both sides and deleted
// files whose types exist nowhere in NEW.
func (c *comparer) compareFiles() {
	oldFiles := c.old.changed
	singleFile := !c.old.tree.src.IsDir() || !c.new.tree.src.IsDir()
	for _, path := range oldFiles {
		of := c.oldIndex.files[path]
		if of == nil {
			continue
		}
		nf := c.newIndex.files[path]
		if singleFile && len(c.new.changed) == 1 {
			nf = c.newIndex.files[c.new.changed[0]]
		}
		if nf == nil {
			if _, exists := c.new.tree.hashes[path]; !exists {
				c.fileDeleted(of)
			}
			continue
		}
		if of.Package() != nf.Package() {
			if _, seen := c.pkgRename[of.Package()]; !seen {
				c.pkgRename[of.Package()] = nf.Package()
			}
			subject := nf.Package()
			if subject == "" {
				subject = of.Package()
			}
			c.emit(rulePackageChanged, ruleAnswers(rulePackageChanged), string(subject),
				"package of "+c.new.tree.diskPath(nf.Path())+" changed from "+pkgName(of.Package())+" to "+pkgName(nf.Package()),
				c.posPath(of, protoreflect.SourcePath{2}), c.posPath(nf, protoreflect.SourcePath{2}))
		}
	}
}

func pkgName(p protoreflect.FullName) string {
	if p == "" {
		return "(none)"
	}
	return string(p)
}

// fileDeleted reports a deleted file once, naming the top-level messages and services
// that exist nowhere in NEW; its other types are not reported again one by one.
func (c *comparer) fileDeleted(of protoreflect.FileDescriptor) {
	var gone []string
	var mark []protoreflect.FullName
	for i := 0; i < of.Messages().Len(); i++ {
		m := of.Messages().Get(i)
		if _, ok := c.findNewMessage(m); !ok && !c.hasTwin(m) {
			gone = append(gone, string(m.FullName()))
			mark = append(mark, m.FullName())
		}
	}
	for i := 0; i < of.Services().Len(); i++ {
		s := of.Services().Get(i)
		if _, ok := c.findNewService(s); !ok {
			gone = append(gone, string(s.FullName()))
			mark = append(mark, s.FullName())
		}
	}
	if len(gone) == 0 {
		return
	}
	for _, n := range mark {
		c.reported[n] = true
	}
	sort.Strings(gone)
	subject := c.old.tree.diskPath(of.Path())
	verb := " exist"
	if len(gone) == 1 {
		verb = " exists"
	}
	c.emit(ruleFileDeleted, ruleAnswers(ruleFileDeleted), subject,
		"file "+subject+" was deleted and "+strings.Join(gone, ", ")+verb+" nowhere else",
		compat.Pos(of.Path(), 1, 1), nil)
}

// hasTwin reports whether a message that vanished by name has an added message of the
// same shape somewhere in NEW, which compareMessages reports as a rename or move rather
// than as part of a deleted file. The added messages are indexed by shape once.
func (c *comparer) hasTwin(om protoreflect.MessageDescriptor) bool {
	if c.addedShapes == nil {
		var added []protoreflect.MessageDescriptor
		for _, name := range sortedNames(c.newIndex.messages) {
			if _, existed := c.oldIndex.messages[name]; !existed {
				added = append(added, c.newIndex.messages[name])
			}
		}
		c.addedShapes = newShapeIndex(added)
	}
	for _, nm := range c.addedShapes.candidates(om) {
		if c.shapes.messages(dimWire, om, nm) && c.shapes.messages(dimJSON, om, nm) {
			return true
		}
	}
	return false
}
