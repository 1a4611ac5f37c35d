// Package proto decides whether a new version of a protobuf contract (.proto files, proto2,
// proto3 or editions 2023) can be deployed beside the old one: for every change it reports
// whether new readers still handle old data (B) and old readers new data (F), in the binary
// wire encoding and in the canonical JSON mapping, and the safe sequence of releases when
// they do not. It is for teams that roll out services and consumers of a protobuf or gRPC
// API one at a time.
//
// Both versions are compiled with protocompile, but only the files that differ between them
// and the files those import: an unchanged file declares unchanged elements, and message
// and enum types are compared by structure where they are declared, so a change is reported
// once. docs/proto.md lists the rules, the type-change matrix and what is ignored.
package proto
