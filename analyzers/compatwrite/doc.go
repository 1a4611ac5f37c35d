// Package compatwrite defines an Analyzer that reports Go code writing contract elements
// that its readers only learn in the same release.
//
// # Analyzer compatwrite
//
// compatwrite: report writes of contract elements added in this release (read-before-write)
//
// A read-tolerant change (an enum value, a gRPC method, a PostgreSQL enum label) is safe
// only read-before-write: every reader must accept the new element in one release before
// any writer emits it in a later one. The contract tools see the change; only the Go code
// shows who writes it. compatwrite compares each package's contracts with its baseline
// (see compatbaseline), asks the compat engines which additions are read-tolerant, and
// reports Go code that writes one of them in the same release:
//
//   - ENUM_VALUE_WRITTEN_BEFORE_READERS: a protobuf enum value added since the baseline,
//     used as a value that is set, assigned, returned, sent or passed. Comparisons,
//     switch cases, map lookups and method calls such as String only read it.
//   - METHOD_CALLED_BEFORE_SERVERS: a gRPC or Connect method added since the baseline,
//     called through the generated client (or named by its generated FullMethodName or
//     Procedure constant outside a comparison). Implementing it is the server side.
//   - ENUM_LABEL_WRITTEN_BEFORE_READERS: a PostgreSQL enum label added by a migration of
//     this release, written by constant SQL: INSERT values, UPDATE ... SET and ON
//     CONFLICT DO UPDATE assignments to a column of the enum type, or a cast to it.
//   - JSON_ENUM_VALUE_WRITTEN_BEFORE_READERS: a constant of a //compatcheck:contract
//     type added since the baseline, written as above.
//
// Generated protobuf code is mapped back to the descriptor protoc-gen-go embeds, never by
// re-deriving Go names. What a package adds is exported as facts, so packages that import
// it are checked, including generated Connect packages, whose clients call methods of
// another package's descriptors. SQL labels reach the package holding the migrations and
// the packages that import it.
//
// Writes inside a branch guarded by a rollout gate are not reported: list the gate
// functions with -gates (comma-separated full names as go/types prints them, such as
// example.com/flags.Enabled or (*example.com/flags.Client).On). A write is guarded in
// the then-branch of an if whose condition calls a gate (alone or in an && chain), in
// the else-branch of an if on a negated gate, and after `if !gate(...) { return }`.
//
// Generated files are not checked.
package compatwrite
