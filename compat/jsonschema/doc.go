// Package jsonschema decides, for the writers and readers of JSON documents described by
// JSON Schema, whether a change to a schema survives a mixed-version deployment: for each
// change it answers B (can a new reader accept everything an old writer produced?) and F
// (can an old reader accept everything a new writer produces?), which classify the change
// as additive, read-tolerant or breaking.
//
// B and F are set inclusions: B holds when Produce(S_old) ⊆ Accept(S_new), F when
// Produce(S_new) ⊆ Accept(S_old). Under the default [ProduceAccept] model writers emit
// only what their schema names (no undeclared property of an open object, no undeclared
// tuple position), so adding an optional property to an open object is additive; the
// [Strict] model sets Produce = Accept, as pure set-inclusion checkers do.
//
// Both versions are read as the santhosh-tekuri/jsonschema validator reads them (drafts 4,
// 6, 7, 2019-09 and 2020-12, from $schema, 2020-12 by default), with every file of the tree
// registered in memory: references between files resolve without touching the disk or
// the network, and remote or escaping references are refused with a positioned error.
// Each schema becomes a normalized model (draft spellings, $ref/$defs indirections, const
// versus enum and tuple forms folded away), compared keyword family by keyword family,
// recursively, memoizing schema pairs so that recursive schemas terminate and a shared
// definition is decided and reported once, where it is. The model is built from the
// validator's compiled schemas, or, for versions that use only keywords every draft reads
// alike and pass the metaschema's checks (most real schemas), straight from the decoded
// documents, which is several times faster on large APIs; the validator then answers
// questions about values on pruned copies of the schemas. Both ways give the same model.
//
// Soundness comes first: the engine never answers "yes" when an instance proves it wrong.
// Where it cannot decide (two different regular expressions beyond the automaton budget,
// changed conditionals, the work budget), it answers "no" and says it could not prove the
// inclusion. Every "no" it can demonstrate carries a witness: a JSON instance the
// producing side accepts (and produces) and the accepting side rejects, checked with the
// real validator before it is reported.
//
// A finding a team has reviewed is accepted where the change is written: the keyword
// x-compatcheck-ignore ([IgnoreKeyword]) on a schema object of the new version suppresses
// the findings of the rule it names on that schema and below it. [Compare] reads it; a
// malformed directive is a positioned error, and one that covers nothing is listed in
// the report's Unused.
//
// [Compare] compares two files or two directories of schemas paired by relative path.
// [NewSchemas], [NewComparison] and [Comparison.Compare] expose the same machinery for
// schemas embedded in other documents, as the OpenAPI engine uses it.
package jsonschema
