// Package compat is the format-free core of compatcheck: it decides nothing about protobuf,
// JSON Schema, OpenAPI or SQL, but defines what every engine reports and how.
//
// A contract change survives a mixed-version deployment when two questions are answered
// "yes" (see the compatibility model in docs/model.md):
//
//   - B, backward-safe: can a NEW reader handle everything an OLD writer produced?
//   - F, forward-safe: can an OLD reader handle everything a NEW writer produces?
//
// The answers decide the [Class] of a [Finding]: additive (both), read-tolerant (B only:
// safe when readers upgrade before writers) or breaking (no B). A class is never set by
// hand; it is always derived from the answers by [ClassOf].
//
// Engines (compat/proto, compat/jsonschema, compat/openapi, compat/sqlmigrate) declare
// each of their rules once in the registry ([Register]), compare two [Source] trees and
// return a [Report]. Reports are encoded by [Encode] in the formats listed by [Formats];
// the same report always encodes to the same bytes.
package compat
