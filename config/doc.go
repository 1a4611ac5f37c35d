// Package config reads compatcheck.yaml, the configuration that lets one compatcheck run
// check every contract of a repository (its protobuf tree, OpenAPI documents, JSON
// Schemas and migrations) against a base version, with the rules, thresholds and
// reviewed ignores the team agreed on. It is for the command and for Go programs that
// run the same check, such as a CI bot.
//
// A configuration is versioned and strict: [Parse] refuses an unknown key, a value of
// the wrong type, an unknown rule ID or class and a malformed glob, each as a
// *compat.Error positioned at file:line:col in the file, because a misspelt key that
// is silently ignored turns a check off without anyone noticing. The file is decoded
// into YAML nodes and walked, which keeps positions and the case of keys.
//
// [Config.Run] compares each contract of a base [Tree] with the same path in a head
// Tree (the working tree, a directory, or any fs.FS such as a git ref's tree), merges
// the reports with each finding named by its contract and its paths made relative to
// the repository root, and applies the configuration's ignores, whose expiry is judged
// against a clock the caller can set. [Config.Compare] is the comparison of one
// contract, for callers that open the two versions themselves.
//
// The file format is documented in docs/cli.md ("Configuration") and described by the
// JSON Schema compatcheck.schema.json beside this package, which editors use to
// complete and validate it; a test keeps the schema and this decoder in agreement.
package config
