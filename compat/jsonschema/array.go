package jsonschema

import (
	"fmt"

	"github.com/compatcheck/compatcheck/compat"
)

var ruleMinItemsIncreased = compat.Register(compat.Rule{
	ID: "MIN_ITEMS_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "An array's minItems was raised or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce shorter arrays, which new readers reject. F holds.",
	Old:  `{"type": "array", "minItems": 0}`,
	New:  `{"type": "array", "minItems": 1}`,
	Safe: "Move writers to longer arrays first, migrate stored data, then raise minItems.",
})

var ruleMinItemsDecreased = compat.Register(compat.Rule{
	ID: "MIN_ITEMS_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "An array's minItems was lowered or removed",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce shorter arrays (for example empty ones) that old readers reject.",
	Old:  `{"type": "array", "minItems": 1}`,
	New:  `{"type": "array"}`,
	Safe: "Read before write: release readers accepting shorter arrays first, then writers.",
})

var ruleMaxItemsIncreased = compat.Register(compat.Rule{
	ID: "MAX_ITEMS_INCREASED", Kind: compat.KindJSONSchema,
	Title:    "An array's maxItems was raised or removed",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce longer arrays that old readers reject.",
	Old:  `{"type": "array", "maxItems": 10}`,
	New:  `{"type": "array", "maxItems": 20}`,
	Safe: "Read before write: release readers accepting longer arrays first, then writers.",
})

var ruleMaxItemsDecreased = compat.Register(compat.Rule{
	ID: "MAX_ITEMS_DECREASED", Kind: compat.KindJSONSchema,
	Title:    "An array's maxItems was lowered or added",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce longer arrays, which new readers reject. F holds.",
	Old:  `{"type": "array", "maxItems": 20}`,
	New:  `{"type": "array", "maxItems": 10}`,
	Safe: "Move writers to shorter arrays first, migrate stored data, then lower maxItems.",
})

var ruleUniqueItemsAdded = compat.Register(compat.Rule{
	ID: "UNIQUE_ITEMS_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An array's items must now be unique",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce arrays with duplicates, which new readers reject. F holds.",
	Old:  `{"type": "array"}`,
	New:  `{"type": "array", "uniqueItems": true}`,
	Safe: "Make writers deduplicate first, migrate stored data, then require uniqueItems.",
})

var ruleUniqueItemsRemoved = compat.Register(compat.Rule{
	ID: "UNIQUE_ITEMS_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "An array's items no longer have to be unique",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce duplicates that old readers reject.",
	Old:  `{"type": "array", "uniqueItems": true}`,
	New:  `{"type": "array"}`,
	Safe: "Read before write: release readers accepting duplicates first, then writers.",
})

var ruleContainsAdded = compat.Register(compat.Rule{
	ID: "CONTAINS_ADDED", Kind: compat.KindJSONSchema,
	Title:    "An array must now contain an item matching a schema",
	Backward: false, Forward: true,
	Why:  "B fails: old writers may produce arrays without such an item. F holds.",
	Old:  `{"type": "array"}`,
	New:  `{"type": "array", "contains": {"const": "admin"}}`,
	Safe: "Move writers first, migrate stored data, then add contains.",
})

var ruleContainsRemoved = compat.Register(compat.Rule{
	ID: "CONTAINS_REMOVED", Kind: compat.KindJSONSchema,
	Title:    "An array no longer has to contain an item matching a schema",
	Backward: true, Forward: false,
	Why:  "B holds. F fails: new writers may produce arrays without such an item, which old readers reject.",
	Old:  `{"type": "array", "contains": {"const": "admin"}}`,
	New:  `{"type": "array"}`,
	Safe: "Read before write: release readers without the contains constraint first, then writers.",
})

var ruleContainsChanged = compat.Register(compat.Rule{
	ID: "CONTAINS_CHANGED", Kind: compat.KindJSONSchema,
	Title:    "An array's contains schema or its minContains/maxContains changed",
	Backward: false, Forward: false,
	Why: "The answers are computed: B holds when every item matching the old contains schema matches the new one and the counts did not tighten; " +
		"F is the same question the other way round. The defaults shown are for a change that tightens and loosens at once.",
	Old:  `{"type": "array", "contains": {"type": "string"}}`,
	New:  `{"type": "array", "contains": {"type": "integer"}}`,
	Safe: "Expand–contract: accept both forms first, move writers, then drop the old form.",
})

// itemAt returns the schema of array position i, or of every position after the tuple
// when i < 0. An absent items after a tuple is open: under the produce-accept model,
// writers emit no position the tuple does not declare.
func (sc *Schemas) itemAt(n *node, i int) *node {
	if i >= 0 && i < len(n.prefix) {
		return n.prefix[i]
	}
	if n.items != nil {
		return n.items
	}
	if n.synthetic {
		return n // the items of an implied schema are that schema again
	}
	if n.openTail == nil {
		kw := "items"
		if n.tupleItems && len(n.prefix) > 0 {
			kw = "additionalItems"
		}
		n.openTail = sc.synthetic(n.file, n.ptr+"/"+kw, true)
		n.openTail.open = len(n.prefix) > 0
	}
	return n.openTail
}

func (c *Comparison) compareArrays(o, n *node) []compat.Finding {
	var fs []compat.Finding
	add := func(r *compat.Rule, kw string, b, f bool, msg string) {
		x := c.finding(r, o, n, kw, b, f, msg)
		fs = append(fs, c.withWitness(x, o, n, c.typeCandidates(tArray)))
	}
	omin, nmin := max(o.minItems, 0), max(n.minItems, 0)
	switch {
	case nmin > omin:
		add(ruleMinItemsIncreased, "minItems", false, true, fmt.Sprintf("minItems raised from %d to %d", omin, nmin))
	case nmin < omin:
		add(ruleMinItemsDecreased, "minItems", true, false, fmt.Sprintf("minItems lowered from %d to %d", omin, nmin))
	}
	switch {
	case o.maxItems == n.maxItems:
	case n.maxItems >= 0 && (o.maxItems < 0 || n.maxItems < o.maxItems):
		add(ruleMaxItemsDecreased, "maxItems", false, true, fmt.Sprintf("maxItems lowered from %s to %d", lengthText(o.maxItems), n.maxItems))
	default:
		add(ruleMaxItemsIncreased, "maxItems", true, false, fmt.Sprintf("maxItems raised from %d to %s", o.maxItems, lengthText(n.maxItems)))
	}
	switch {
	case o.unique == n.unique:
	case n.unique:
		add(ruleUniqueItemsAdded, "uniqueItems", false, true, "items must now be unique")
	default:
		add(ruleUniqueItemsRemoved, "uniqueItems", true, false, "items no longer have to be unique")
	}
	switch {
	case o.contains == nil && n.contains == nil:
	case o.contains == nil:
		add(ruleContainsAdded, "contains", false, true, "array must now contain a matching item")
	case n.contains == nil:
		add(ruleContainsRemoved, "contains", true, false, "array no longer has to contain a matching item")
	default:
		r := c.pair(o.contains, n.contains)
		b := r.b && max(o.minContains, 0) >= max(n.minContains, 0) && (n.maxContains < 0 || (o.maxContains >= 0 && o.maxContains <= n.maxContains))
		f := r.f && max(n.minContains, 0) >= max(o.minContains, 0) && (o.maxContains < 0 || (n.maxContains >= 0 && n.maxContains <= o.maxContains))
		// maxContains counts matching items: widening the contains schema can push an
		// array over a maximum, so a maximum makes the schema comparison inconclusive.
		if o.maxContains >= 0 || n.maxContains >= 0 {
			b = b && r.clean
			f = f && r.clean
		}
		if !b || !f {
			add(ruleContainsChanged, "contains", b, f, "contains changed")
		}
	}
	// Items, position by position, then the rest.
	l := max(len(o.prefix), len(n.prefix))
	for i := 0; i < l; i++ {
		c.sub(c.pair(o.side.itemAt(o, i), n.side.itemAt(n, i)))
	}
	c.sub(c.pair(o.side.itemAt(o, -1), n.side.itemAt(n, -1)))
	return fs
}
