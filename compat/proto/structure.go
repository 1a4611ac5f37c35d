package proto

import (
	"slices"
	"strconv"

	"google.golang.org/protobuf/reflect/protoreflect"
)

// dimension is an encoding along which two types can be structurally equal.
type dimension int

const (
	dimWire dimension = iota
	dimJSON
)

// maxShapeDepth bounds the recursion of structural comparison. Deeper chains of distinct
// message types are judged unequal, which errs toward reporting a change.
const maxShapeDepth = 512

// pairKey names a pair of types, the first from OLD and the second from NEW.
type pairKey struct{ old, new protoreflect.FullName }

// shapes decides whether a type of OLD and a type of NEW are interchangeable in an
// encoding, judging by structure rather than by name: a message renamed with the same
// fields encodes the same bytes. Results are memoized per pair. Recursive types are
// compared coinductively: a pair already under comparison is assumed equal, and when the
// whole comparison succeeds every pair assumed on the way is equal too (they form a
// bisimulation), so all of them are remembered; a failure remembers only the pair asked.
type shapes struct {
	memo [2]map[pairKey]bool
}

func newShapes() *shapes {
	return &shapes{memo: [2]map[pairKey]bool{{}, {}}}
}

// messages reports whether two message types are interchangeable in the dimension.
func (s *shapes) messages(dim dimension, a, b protoreflect.MessageDescriptor) bool {
	key := pairKey{a.FullName(), b.FullName()}
	if v, ok := s.memo[dim][key]; ok {
		return v
	}
	assumed := map[pairKey]bool{}
	ok := s.messageEq(dim, a, b, assumed, 0)
	if ok {
		for k := range assumed {
			s.memo[dim][k] = true
		}
	} else {
		s.memo[dim][key] = false
	}
	return ok
}

// enums reports whether two enum types are interchangeable in the dimension.
func (s *shapes) enums(dim dimension, a, b protoreflect.EnumDescriptor) bool {
	return enumEq(dim, a, b)
}

func (s *shapes) messageEq(dim dimension, a, b protoreflect.MessageDescriptor, assumed map[pairKey]bool, depth int) bool {
	key := pairKey{a.FullName(), b.FullName()}
	if v, ok := s.memo[dim][key]; ok {
		return v
	}
	if assumed[key] {
		return true
	}
	if depth > maxShapeDepth {
		return false
	}
	assumed[key] = true
	if dim == dimJSON && (specialJSON(a.FullName()) || specialJSON(b.FullName())) {
		// Well-known types have their own JSON forms (a Timestamp is a string), which
		// depend on the type's name, not on its fields.
		if a.FullName() != b.FullName() {
			return false
		}
	}
	if a.IsMapEntry() != b.IsMapEntry() && dim == dimJSON {
		return false
	}
	af, bf := a.Fields(), b.Fields()
	if af.Len() != bf.Len() {
		return false
	}
	for i := 0; i < af.Len(); i++ {
		fa := af.Get(i)
		var fb protoreflect.FieldDescriptor
		if dim == dimWire {
			fb = bf.ByNumber(fa.Number())
		} else {
			fb = bf.ByJSONName(fa.JSONName())
		}
		if fb == nil || !s.fieldEq(dim, fa, fb, assumed, depth) {
			return false
		}
	}
	return true
}

// fieldEq compares two fields' encodings: kind, cardinality and, for message and enum
// fields, the referenced types by structure.
func (s *shapes) fieldEq(dim dimension, a, b protoreflect.FieldDescriptor, assumed map[pairKey]bool, depth int) bool {
	if a.Cardinality() != b.Cardinality() && !(a.Cardinality() != protoreflect.Repeated && b.Cardinality() != protoreflect.Repeated) {
		return false
	}
	if (a.Cardinality() == protoreflect.Required) != (b.Cardinality() == protoreflect.Required) {
		return false
	}
	if dim == dimWire {
		if a.Kind() != b.Kind() {
			return false
		}
	} else if jsonDomainOf(a.Kind()) != jsonDomainOf(b.Kind()) || a.IsMap() != b.IsMap() {
		return false
	}
	switch a.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return s.messageEq(dim, a.Message(), b.Message(), assumed, depth+1)
	case protoreflect.EnumKind:
		return enumEq(dim, a.Enum(), b.Enum())
	}
	return true
}

// enumEq compares enum types: on the wire by their numbers and open or closed semantics,
// in JSON by the names that stand for each number.
func enumEq(dim dimension, a, b protoreflect.EnumDescriptor) bool {
	if a.IsClosed() != b.IsClosed() {
		return false
	}
	av, bv := a.Values(), b.Values()
	if av.Len() != bv.Len() {
		return false
	}
	for i := 0; i < av.Len(); i++ {
		va := av.Get(i)
		vb := bv.ByNumber(va.Number())
		if vb == nil {
			return false
		}
		if dim == dimJSON && bv.ByName(va.Name()) == nil {
			return false
		}
	}
	return true
}

// specialJSON reports whether a well-known type has a JSON form of its own.
func specialJSON(name protoreflect.FullName) bool {
	switch name {
	case "google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration",
		"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
		"google.protobuf.NullValue", "google.protobuf.FieldMask", "google.protobuf.Empty",
		"google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
		"google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
		"google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		return true
	}
	return false
}

// typeAnswers memoizes the answers of replacing one type by another of another name.
type typeAnswers struct {
	memo     map[pairKey]answers
	visiting map[pairKey]bool
}

// messageAnswers judges replacing message type om by nm (a field or method switched from
// one to the other) the way a change of one message is judged: by comparing their fields
// with every rule, once per encoding, and folding the findings' answers. A message that
// only gained fields is thus additive, one that changed a field's number breaking. Pairs
// already under comparison (recursive types) are assumed compatible; results are kept
// only when computed outside any such assumption.
func (c *comparer) messageAnswers(om, nm protoreflect.MessageDescriptor) answers {
	a := c.dryRun(pairKey{om.FullName(), nm.FullName()}, func(sub *comparer) {
		sub.compareFields(om, nm)
	})
	if specialJSON(om.FullName()) || specialJSON(nm.FullName()) {
		// A well-known type's JSON form belongs to its name (a Timestamp is an RFC 3339
		// string, a Duration "1.5s"), whatever its fields.
		a.jsonB, a.jsonF = false, false
	}
	return a
}

// enumAnswers judges replacing enum type oe by ne the same way.
func (c *comparer) enumAnswers(oe, ne protoreflect.EnumDescriptor) answers {
	return c.dryRun(pairKey{oe.FullName(), ne.FullName()}, func(sub *comparer) {
		sub.compareEnum(oe, ne)
	})
}

func (c *comparer) dryRun(key pairKey, compare func(sub *comparer)) answers {
	if c.types == nil {
		c.types = &typeAnswers{memo: map[pairKey]answers{}, visiting: map[pairKey]bool{}}
	}
	if a, ok := c.types.memo[key]; ok {
		return a
	}
	if c.types.visiting[key] || len(c.types.visiting) > maxShapeDepth {
		return both(true, true)
	}
	c.types.visiting[key] = true
	defer delete(c.types.visiting, key)
	var a answers
	for _, enc := range []Encoding{Wire, JSON} {
		sub := *c
		sub.findings = nil
		sub.dry = true
		sub.wire, sub.json = enc == Wire, enc == JSON
		compare(&sub)
		b, f := true, true
		for _, fi := range sub.findings {
			b, f = b && fi.Backward, f && fi.Forward
		}
		if enc == Wire {
			a.wireB, a.wireF = b, f
		} else {
			a.jsonB, a.jsonF = b, f
		}
	}
	if len(c.types.visiting) == 1 {
		c.types.memo[key] = a
	}
	return a
}

// wireKey is a signature of a message's wire shape: its field numbers with their kinds and
// cardinalities, in number order. Two messages that are wire-equal (shapes.messages) have
// the same key, so looking for a twin of the same shape needs to compare only the
// messages of its key, not every added message.
func wireKey(m protoreflect.MessageDescriptor) string {
	fs := m.Fields()
	nums := make([]protoreflect.FieldNumber, fs.Len())
	for i := range nums {
		nums[i] = fs.Get(i).Number()
	}
	slices.Sort(nums)
	b := make([]byte, 0, 8*len(nums))
	for _, n := range nums {
		f := fs.ByNumber(n)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, ':', byte(f.Kind()), byte(f.Cardinality()), ',')
	}
	return string(b)
}

// shapeIndex holds candidate messages by wireKey, each list in the order given.
type shapeIndex map[string][]protoreflect.MessageDescriptor

func newShapeIndex(ms []protoreflect.MessageDescriptor) shapeIndex {
	ix := shapeIndex{}
	for _, m := range ms {
		if m.IsMapEntry() || m.Fields().Len() == 0 {
			continue
		}
		k := wireKey(m)
		ix[k] = append(ix[k], m)
	}
	return ix
}

// candidates returns the messages that may have the shape of m, in their original order.
func (ix shapeIndex) candidates(m protoreflect.MessageDescriptor) []protoreflect.MessageDescriptor {
	if m.IsMapEntry() || m.Fields().Len() == 0 {
		return nil
	}
	return ix[wireKey(m)]
}
