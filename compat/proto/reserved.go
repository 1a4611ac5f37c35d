package proto

import (
	"fmt"
	"sort"
	"strings"

	"github.com/compatcheck/compatcheck/compat"
	"google.golang.org/protobuf/reflect/protoreflect"
)

var ruleReservedNumberRemoved = register(compat.Rule{
	ID:       "RESERVED_NUMBER_REMOVED",
	Title:    "Reserved numbers no longer reserved",
	Backward: false, Forward: false,
	Scope: "wire",
	Why: "A reservation keeps the number of a deleted field or enum value from being reused. Without " +
		"it a later element may take the number, and data written with the old meaning is then read " +
		"with the new one, in both directions.",
	Old:  "message Order {\n  reserved 2;\n  string id = 1;\n}",
	New:  "message Order {\n  string id = 1;\n}",
	Safe: "Keep reservations forever; use a new number for new elements.",
},
	"Restore the reservation",
	"Give new elements numbers that were never used",
)

var ruleReservedNameRemoved = register(compat.Rule{
	ID:       "RESERVED_NAME_REMOVED",
	Title:    "Reserved name no longer reserved",
	Backward: false, Forward: false,
	Scope: "json",
	Why: "A reserved name keeps the JSON name of a deleted field or enum value from being reused. Without " +
		"it a later element may take the name, and JSON written with the old meaning is read with the new " +
		"one, in both directions.",
	Old:  "message Order {\n  reserved \"note\";\n  string id = 1;\n}",
	New:  "message Order {\n  string id = 1;\n}",
	Safe: "Keep reserved names forever; give new elements new names.",
},
	"Restore the reserved name",
	"Give new elements names that were never used",
)

// retirementRules are the four outcomes of deleting an element that can be deprecated
// and reserved.
type retirementRules struct {
	done, notDeprecated, notReserved, neither *compat.Rule
}

// retire picks the rule for a deleted element under expand–contract: deleting what OLD
// deprecated, with its number and name reserved in NEW, is the contract step. Only the
// reservations the selected encodings need are required: the number for the wire, the name
// for JSON.
func (c *comparer) retire(wasDeprecated, numberReserved, nameReserved bool, r retirementRules) *compat.Rule {
	reserved := (!c.wire || numberReserved) && (!c.json || nameReserved)
	switch {
	case wasDeprecated && reserved:
		return r.done
	case wasDeprecated:
		return r.notReserved
	case numberReserved || nameReserved:
		return r.notDeprecated
	default:
		return r.neither
	}
}

// retireNote says, in a message, what a deletion lacked.
func (c *comparer) retireNote(done, wasDeprecated, numberReserved, nameReserved bool) string {
	if done {
		return " after deprecation, and is reserved"
	}
	var missing []string
	if !wasDeprecated {
		missing = append(missing, "it was not deprecated first")
	}
	if c.wire && !numberReserved {
		missing = append(missing, "its number is not reserved")
	}
	if c.json && !nameReserved {
		missing = append(missing, "its name is not reserved")
	}
	if len(missing) == 0 {
		return ""
	}
	if len(missing) > 1 {
		return ", but " + strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
	}
	return ", but " + missing[0]
}

// interval is an inclusive range of numbers.
type interval struct{ lo, hi int64 }

// uncovered returns the parts of old that no interval of cover contains.
func uncovered(old interval, cover []interval) []interval {
	sort.Slice(cover, func(i, j int) bool { return cover[i].lo < cover[j].lo })
	var out []interval
	next := old.lo
	for _, c := range cover {
		if c.hi < next || c.lo > old.hi {
			continue
		}
		if c.lo > next {
			out = append(out, interval{next, c.lo - 1})
		}
		if c.hi+1 > next {
			next = c.hi + 1
		}
		if next > old.hi {
			return out
		}
	}
	if next <= old.hi {
		out = append(out, interval{next, old.hi})
	}
	return out
}

func (iv interval) String() string {
	if iv.lo == iv.hi {
		return fmt.Sprint(iv.lo)
	}
	return fmt.Sprintf("%d to %d", iv.lo, iv.hi)
}

func fieldIntervals(rs protoreflect.FieldRanges) []interval {
	out := make([]interval, rs.Len())
	for i := range out {
		r := rs.Get(i)
		out[i] = interval{int64(r[0]), int64(r[1]) - 1}
	}
	return out
}

func enumIntervals(rs protoreflect.EnumRanges) []interval {
	out := make([]interval, rs.Len())
	for i := range out {
		r := rs.Get(i)
		out[i] = interval{int64(r[0]), int64(r[1])}
	}
	return out
}

// Field numbers of the descriptor protos, for locating reservations in source info.
const (
	messageReservedRangeTag = 9
	messageReservedNameTag  = 10
	enumReservedRangeTag    = 4
	enumReservedNameTag     = 5
	messageExtRangeTag      = 5
)

// compareMessageReserved reports reserved numbers and names of a message that NEW no
// longer reserves.
func (c *comparer) compareMessageReserved(om, nm protoreflect.MessageDescriptor) {
	c.compareReserved(om, nm, fieldIntervals(om.ReservedRanges()), fieldIntervals(nm.ReservedRanges()),
		om.ReservedNames(), nm.ReservedNames(), messageReservedRangeTag, messageReservedNameTag)
}

// compareEnumReserved does the same for an enum.
func (c *comparer) compareEnumReserved(oe, ne protoreflect.EnumDescriptor) {
	c.compareReserved(oe, ne, enumIntervals(oe.ReservedRanges()), enumIntervals(ne.ReservedRanges()),
		oe.ReservedNames(), ne.ReservedNames(), enumReservedRangeTag, enumReservedNameTag)
}

func (c *comparer) compareReserved(od, nd protoreflect.Descriptor, oldR, newR []interval, oldN, newN protoreflect.Names, rangeTag, nameTag int32) {
	subject := string(nd.FullName())
	base := sourcePath(od)
	for i, r := range oldR {
		for _, gap := range uncovered(r, append([]interval(nil), newR...)) {
			p := c.posPath(od.ParentFile(), append(append(protoreflect.SourcePath{}, base...), rangeTag, int32(i)))
			c.emit(ruleReservedNumberRemoved, ruleAnswers(ruleReservedNumberRemoved), subject,
				fmt.Sprintf("reserved number %s of %s is no longer reserved", gap, nd.Name()), p, nil)
		}
	}
	for i := 0; i < oldN.Len(); i++ {
		name := oldN.Get(i)
		if newN.Has(name) {
			continue
		}
		p := c.posPath(od.ParentFile(), append(append(protoreflect.SourcePath{}, base...), nameTag, int32(i)))
		c.emit(ruleReservedNameRemoved, ruleAnswers(ruleReservedNameRemoved), subject,
			fmt.Sprintf("reserved name %s of %s is no longer reserved", name, nd.Name()), p, nil)
	}
}
