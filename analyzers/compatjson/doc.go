// Package compatjson defines an Analyzer that checks Go types serialized as JSON against
// the JSON contract they had at the last release.
//
// # Analyzer compatjson
//
// compatjson: report changes to the JSON shape of contract types since the baseline
//
// A Go type marked with a //compatcheck:contract directive is a JSON contract: other
// programs read what encoding/json writes for it. compatjson derives its shape by
// encoding/json's (v1) rules into a JSON Schema: tag names, "-", omitempty and omitzero
// (a property always written is required), the string option, embedded structs'
// promoted fields with encoding/json's shadowing by depth and tags, pointers, slices and
// maps as nullable, []byte as base64, time.Time as a date-time string, sized integers
// with their bounds, json.Marshaler types as opaque and encoding.TextMarshaler types as
// strings, and the constants of a contract type with a basic underlying type as its enum.
// A field whose doc comment has a "Deprecated: " paragraph is marked deprecated. With
// -json-marshaled, the package's own types it passes to json.Marshal, json.MarshalIndent
// or (*json.Encoder).Encode are contracts too.
//
// The derived schema is compared with the baseline's by compat/jsonschema, the engine
// `compatcheck` uses, and its findings are reported at the Go field (or its tag), the
// type, or the baseline, with the class, the B and F answers and the safe sequence of
// releases:
//
//   - JSON_NAME_CHANGED: a Go field now reads and writes another JSON name, with a
//     suggested fix that pins the old name in its tag;
//   - PROPERTY_REMOVED and PROPERTY_REMOVED_FROM_CLOSED_OBJECT: a property is gone
//     (removing a field marked Deprecated: in the baseline is the contract step of
//     expand–contract and is not reported);
//   - every other breaking or read-tolerant finding: type changes (TYPE_CHANGED,
//     TYPE_WIDENED, bounds of sized integers), omitempty changes (REQUIRED_ADDED,
//     REQUIRED_REMOVED), properties added without omitempty (PROPERTY_ADDED_REQUIRED).
//
// Enum values added to a contract type are read-tolerant and left to compatwrite,
// which reports code that writes them before readers know them.
//
// The derivation follows encoding/json v1, which encoding/json keeps in Go 1.26 (also
// when GOEXPERIMENT=jsonv2 reimplements it). Code that moves to encoding/json/v2 gets
// different answers: v2 matches names case-sensitively (a rename that only changes case
// still reads with v1), omitempty omits only empty JSON values (null, "", {}, []) and not
// 0 or false (omitzero omits those), and nil slices and maps encode as [] and {}.
package compatjson
