// Package contract finds the contracts a Go package holds and snapshots them, for the
// go/analysis passes in analyzers/ and for `compatcheck baseline`, which must agree on both.
//
// A package holds contracts when it has
//
//   - generated protobuf code: the descriptor protoc-gen-go embeds (file_*_proto_rawDesc,
//     as a byte slice, a string or a string constant) gives its enums and services, and the
//     generated Descriptor and EnumDescriptor methods map Go types back to them;
//   - Go types marked with a //compatcheck:contract directive, whose JSON shape is
//     derived by encoding/json's rules into a JSON Schema;
//   - PostgreSQL migrations: .sql files the package embeds with //go:embed, and goose
//     migrations written in Go (with the .sql migrations beside them).
//
// The snapshot of what a package held at the last release is its baseline: a versioned,
// deterministic JSON document kept as a string constant in a generated Go file,
// zz_compatcheck_baseline.go, so that every driver's cache (go vet, golangci-lint) hashes
// it with the package's other Go files. The analyzers compare the package with its
// baseline through the compat engines (compat/proto, compat/jsonschema,
// compat/sqlmigrate), which also decide every class: this package only finds and
// projects, it never classifies.
package contract
