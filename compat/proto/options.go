package proto

import (
	"fmt"
	"strings"
)

// Encoding is a protobuf encoding whose compatibility is judged.
type Encoding string

// The encodings compatcheck judges. Binary wire format and the canonical JSON mapping
// break under different changes: renaming a field breaks JSON only.
const (
	Wire Encoding = "wire"
	JSON Encoding = "json"
)

// Options tunes the protobuf comparison. The zero value judges both encodings with
// readers that ignore unknown JSON field names.
type Options struct {
	// Encodings lists the encodings that must stay compatible; empty means both.
	Encodings []Encoding
	// StrictJSONReaders declares JSON readers that reject unknown field names and enum
	// values, which makes every added field or enum value read-tolerant under JSON.
	StrictJSONReaders bool
	// FullCheck compiles every file of both sides, not only the files that differ and
	// their imports, so that errors in unchanged files are reported too. It costs a full
	// compile of both trees (seconds and about a gigabyte for thousands of files); the
	// findings are the same, since unchanged files have nothing to report.
	FullCheck bool
	// ImportPaths are directories, relative to the root of each side, that imports are
	// also searched in, after the module's own roots (protoc's and buf's -I): a vendored
	// third_party/ tree that holds google/api/annotations.proto, say. Files reached only
	// through an import path lend their types and are not compared themselves. A
	// directory missing on one side is skipped there. buf.yaml and buf.work.yaml at the
	// root of a directory side are read as well and decide its roots and excludes
	// (docs/proto.md).
	ImportPaths []string
}

// ParseEncodings reads a comma-separated list such as "wire,json".
func ParseEncodings(s string) ([]Encoding, error) {
	var out []Encoding
	for _, part := range strings.Split(s, ",") {
		switch e := Encoding(strings.ToLower(strings.TrimSpace(part))); e {
		case Wire, JSON:
			out = append(out, e)
		default:
			return nil, fmt.Errorf("unknown protobuf encoding %q (want wire, json or wire,json)", part)
		}
	}
	return out, nil
}
