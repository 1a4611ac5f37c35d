// Package compatbaseline defines an Analyzer that reports Go packages whose contracts
// have no readable compatcheck baseline.
//
// # Analyzer compatbaseline
//
// compatbaseline: report packages that hold contracts but no readable baseline
//
// The compatcheck analyzers (compatwrite, compatjson) compare a package's contracts with
// a snapshot of them taken at the last release: the baseline, a generated Go file
// zz_compatcheck_baseline.go that `compatcheck baseline` writes. A package holds
// contracts when it embeds protobuf descriptors (generated .pb.go files), declares types
// marked //compatcheck:contract, or has PostgreSQL migrations (.sql files it embeds, or
// goose migrations written in Go).
//
// Without a baseline the other analyzers cannot tell what changed in this release and
// report nothing for the package, so compatbaseline reports, at the package clause:
//
//   - BASELINE_MISSING: the package holds contracts but has no baseline;
//   - BASELINE_MALFORMED: the //compatcheck:baseline constant cannot be read (edited by
//     hand, truncated by a merge, or written by a newer compatcheck);
//   - CONTRACT_UNREADABLE: a contract itself cannot be read, such as an embedded
//     descriptor that does not decode or a migration with a syntax error.
//
// Each message says the command that fixes it, `compatcheck baseline <package>`, to be
// run at release time (or in CI against the release tag).
package compatbaseline
