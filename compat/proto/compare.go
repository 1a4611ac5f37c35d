package proto

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Compare compiles both versions of a protobuf contract and reports every change with its
// class under the selected encodings. Only files whose content differs between the
// versions (and the files they import) are compiled: an unchanged file declares unchanged
// elements, and a change to a type it references is reported where that type is declared.
func Compare(ctx context.Context, old, new compat.Source, opts Options) (rep *compat.Report, err error) {
	defer func() {
		if r := recover(); r != nil {
			rep, err = nil, fmt.Errorf("proto: internal error (please report): %v", r)
		}
	}()
	c, err := newComparer(opts)
	if err != nil {
		return nil, err
	}
	var oldTree, newTree *tree
	if oldTree, err = loadTree(old, opts.ImportPaths); err != nil {
		return nil, err
	}
	if newTree, err = loadTree(new, opts.ImportPaths); err != nil {
		return nil, err
	}
	// Inline ignores are read from NEW before compiling; their errors come after any
	// compile error of OLD, so that the first error reported does not depend on them.
	dirs, dirErr := readDirectives(newTree)
	oldChanged, newChanged := changedFiles(oldTree, newTree)
	if len(oldChanged) == 0 && len(newChanged) == 0 && !opts.FullCheck {
		if dirErr != nil {
			return nil, dirErr
		}
		return report(nil, dirs), nil
	}
	oldRoots, newRoots := oldChanged, newChanged
	if opts.FullCheck {
		oldRoots, newRoots = oldTree.inputs, newTree.inputs
	}
	if c.old, c.new, err = compileBoth(ctx, oldTree, newTree, oldRoots, newRoots); err != nil {
		return nil, err
	}
	c.old.changed, c.new.changed = oldChanged, newChanged
	if dirErr != nil {
		return nil, dirErr
	}
	c.run()
	if err := c.resolvePositions(); err != nil {
		return nil, err
	}
	return report(c.findings, dirs), nil
}

// report applies the inline ignores to the findings and returns them in canonical order,
// with the ignores that matched nothing.
func report(findings []compat.Finding, dirs []*directive) *compat.Report {
	unused := applyDirectives(findings, dirs)
	r := compat.NewReport(findings)
	r.Unused = unused
	r.Sort()
	return r
}

// recoverInto turns a panic of a compiling goroutine (the compiler has crashed on some
// malformed inputs) into an internal error, as Compare does for its own goroutine.
func recoverInto(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("proto: internal error (please report): %v", r)
	}
}

// answers holds B and F per encoding.
type answers struct {
	wireB, wireF, jsonB, jsonF bool
}

// both returns answers that are the same in both encodings.
func both(b, f bool) answers { return answers{b, f, b, f} }

// comparer holds one comparison's state.
type comparer struct {
	opts       Options
	wire, json bool
	old, new   *side
	shapes     *shapes
	findings   []compat.Finding
	// oldIndex and newIndex hold the elements declared in each side's changed files.
	oldIndex, newIndex *index
	// pkgRename maps an OLD package to the NEW one, for files that changed package.
	pkgRename map[protoreflect.FullName]protoreflect.FullName
	// reported marks OLD types whose disappearance is already reported (a deleted file
	// summarizes its types), so they are not reported again.
	reported map[protoreflect.FullName]bool
	// types memoizes the answers of replacing a type by another (structure.go).
	types *typeAnswers
	// addedShapes indexes NEW's added messages by shape, for hasTwin; built on first use.
	addedShapes shapeIndex
	// lazy holds the positions handed out during the comparison, resolved at its end
	// (position.go); dry is set while a type replacement is judged, whose findings are
	// folded into answers and never shown.
	lazy map[*compat.Position]posRef
	dry  bool
}

func newComparer(opts Options) (*comparer, error) {
	c := &comparer{opts: opts, shapes: newShapes(), reported: map[protoreflect.FullName]bool{}, lazy: map[*compat.Position]posRef{},
		pkgRename: map[protoreflect.FullName]protoreflect.FullName{}}
	if len(opts.Encodings) == 0 {
		c.wire, c.json = true, true
	}
	for _, e := range opts.Encodings {
		switch e {
		case Wire:
			c.wire = true
		case JSON:
			c.json = true
		default:
			return nil, fmt.Errorf("unknown protobuf encoding %q (want wire, json or wire,json)", e)
		}
	}
	return c, nil
}

func (c *comparer) run() {
	c.oldIndex = buildIndex(c.old)
	c.newIndex = buildIndex(c.new)
	c.compareFiles()
	c.compareMessages()
	c.compareEnums()
	c.compareServices()
	c.compareExtensions()
}

// emit reports a finding of rule r. The answers are combined over the encodings that are
// both selected and in the rule's scope; a rule outside every selected encoding is not
// reported. Advice is attached to every finding that is not additive.
func (c *comparer) emit(r *compat.Rule, a answers, subject, message string, oldPos, newPos *compat.Position) {
	inWire := c.wire && strings.Contains(r.Scope, "wire")
	inJSON := c.json && strings.Contains(r.Scope, "json")
	if !inWire && !inJSON {
		return
	}
	f := r.Finding(subject, message)
	f.Backward, f.Forward = true, true
	if inWire {
		f.Backward, f.Forward = f.Backward && a.wireB, f.Forward && a.wireF
	}
	if inJSON {
		f.Backward, f.Forward = f.Backward && a.jsonB, f.Forward && a.jsonF
	}
	// Positions are resolved when the comparison is done (position.go).
	f.Old, f.New = oldPos, newPos
	if f.Class() != compat.Additive {
		f.Advice = adviceFor(r, f.Class())
	}
	c.findings = append(c.findings, f)
}

// ruleAnswers returns a rule's default answers in both encodings.
func ruleAnswers(r *compat.Rule) answers { return both(r.Backward, r.Forward) }

// additionAnswers are the answers of adding something old readers skip: JSON readers that
// reject unknown names (Options.StrictJSONReaders) make it read-tolerant under JSON.
func (c *comparer) additionAnswers(r *compat.Rule) answers {
	a := ruleAnswers(r)
	if c.opts.StrictJSONReaders {
		a.jsonF = false
	}
	return a
}

// index holds the elements declared in one side's changed files, by full name.
type index struct {
	files      map[string]protoreflect.FileDescriptor
	messages   map[protoreflect.FullName]protoreflect.MessageDescriptor
	enums      map[protoreflect.FullName]protoreflect.EnumDescriptor
	services   map[protoreflect.FullName]protoreflect.ServiceDescriptor
	extensions map[protoreflect.FullName]protoreflect.ExtensionDescriptor
}

func buildIndex(s *side) *index {
	ix := &index{
		files:      map[string]protoreflect.FileDescriptor{},
		messages:   map[protoreflect.FullName]protoreflect.MessageDescriptor{},
		enums:      map[protoreflect.FullName]protoreflect.EnumDescriptor{},
		services:   map[protoreflect.FullName]protoreflect.ServiceDescriptor{},
		extensions: map[protoreflect.FullName]protoreflect.ExtensionDescriptor{},
	}
	for _, name := range s.changed {
		f := s.byPath[name]
		if f == nil {
			continue
		}
		ix.files[name] = f
		ix.addEnums(f.Enums())
		ix.addMessages(f.Messages())
		ix.addExtensions(f.Extensions())
		for i := 0; i < f.Services().Len(); i++ {
			sd := f.Services().Get(i)
			ix.services[sd.FullName()] = sd
		}
	}
	return ix
}

func (ix *index) addMessages(ms protoreflect.MessageDescriptors) {
	for i := 0; i < ms.Len(); i++ {
		m := ms.Get(i)
		ix.messages[m.FullName()] = m
		ix.addMessages(m.Messages())
		ix.addEnums(m.Enums())
		ix.addExtensions(m.Extensions())
	}
}

func (ix *index) addEnums(es protoreflect.EnumDescriptors) {
	for i := 0; i < es.Len(); i++ {
		ix.enums[es.Get(i).FullName()] = es.Get(i)
	}
}

func (ix *index) addExtensions(xs protoreflect.ExtensionDescriptors) {
	for i := 0; i < xs.Len(); i++ {
		ix.extensions[xs.Get(i).FullName()] = xs.Get(i)
	}
}

// sortedNames returns a map's keys in order, so that iteration is deterministic.
func sortedNames[V any](m map[protoreflect.FullName]V) []protoreflect.FullName {
	out := make([]protoreflect.FullName, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// counterpart returns the NEW name an OLD element has when its file changed package.
func (c *comparer) counterpart(name protoreflect.FullName, pkg protoreflect.FullName) (protoreflect.FullName, bool) {
	np, ok := c.pkgRename[pkg]
	if !ok {
		return "", false
	}
	rel := strings.TrimPrefix(string(name), string(pkg)+".")
	if np == "" {
		return protoreflect.FullName(rel), true
	}
	return np.Append(protoreflect.Name(rel)), true
}

// parentExists reports whether the parent message of an OLD type still exists in NEW (or
// the type is top-level), so that only the outermost disappeared type is reported.
func (c *comparer) parentVanished(d protoreflect.Descriptor) bool {
	parent, ok := d.Parent().(protoreflect.MessageDescriptor)
	if !ok {
		return false
	}
	_, found := c.findNewMessage(parent)
	return !found
}

// findNewMessage finds the NEW message that an OLD message is, by name (following a
// package rename of its file).
func (c *comparer) findNewMessage(m protoreflect.MessageDescriptor) (protoreflect.MessageDescriptor, bool) {
	if n, ok := c.newIndex.messages[m.FullName()]; ok {
		return n, true
	}
	if name, ok := c.counterpart(m.FullName(), m.ParentFile().Package()); ok {
		if n, ok := c.newIndex.messages[name]; ok {
			return n, true
		}
	}
	return nil, false
}

// deprecated reports whether a descriptor carries the deprecated option.
func deprecated(d protoreflect.Descriptor) bool {
	type deprecatable interface{ GetDeprecated() bool }
	if o, ok := d.Options().(deprecatable); ok {
		return o.GetDeprecated()
	}
	return false
}

// sameType reports whether an OLD type and a NEW type are the same declaration: the same
// full name, or the same name in a file whose package was renamed. Such a pair is
// compared where it is declared, not at every use.
func (c *comparer) sameType(od, nd protoreflect.Descriptor) bool {
	if od.FullName() == nd.FullName() {
		return true
	}
	n, ok := c.counterpart(od.FullName(), od.ParentFile().Package())
	return ok && n == nd.FullName()
}

// mapFieldOf returns the map field that declares a synthesized map entry message, or the
// map field of a field of such a message; nil for anything else.
func mapFieldOf(d protoreflect.Descriptor) protoreflect.FieldDescriptor {
	entry, ok := d.(protoreflect.MessageDescriptor)
	if !ok {
		entry, ok = d.Parent().(protoreflect.MessageDescriptor)
	}
	if !ok || !entry.IsMapEntry() {
		return nil
	}
	parent, ok := entry.Parent().(protoreflect.MessageDescriptor)
	if !ok {
		return nil
	}
	fields := parent.Fields()
	for i := 0; i < fields.Len(); i++ {
		if f := fields.Get(i); f.Message() != nil && f.Message().FullName() == entry.FullName() {
			return f
		}
	}
	return nil
}
