// Package history checks a contract across its real sequence of releases, for the team
// that ships it: was a removed element deprecated in a version that actually shipped, and
// long enough ago; does the head bring back, with another meaning, a field number, a
// property or a column an earlier release retired; which older releases can still run
// against the head or be rolled back to; and from which release may writers emit what a
// read-tolerant change lets readers accept.
//
// A [Sequence] is the releases of one contract, oldest first, and the head being judged
// (usually the working tree). [FromGit] builds it from release tags (ordered by semantic
// version, pre-releases left out unless asked for) or from an explicit list of refs, and
// [FromDirectory] from a directory of versions. [Check] compares every pair it needs with
// the engines of the root package ([compatcheck.Compare]), through one git process and a
// cache keyed by the two versions' tree IDs, so a release whose contract did not change
// costs nothing and no pair is compared twice. It then applies the sequence rules, each
// declared in the rule registry with kind [compat.KindHistory]:
//
//   - EXPAND_NOT_RELEASED: a removal whose deprecation is only in unreleased commits (or a
//     pre-release) since the last release;
//   - DEPRECATION_WINDOW_TOO_SHORT: a removal sooner than Options.MinDeprecationReleases
//     releases or Options.MinDeprecationDays days after the release that shipped its
//     deprecation, counted from tag dates;
//   - RETIRED_ELEMENT_REUSED: an element an earlier release removed comes back with another
//     meaning, at any distance;
//   - INCOMPATIBLE_WITH_EARLIER_RELEASE: the head fails against one of the last
//     Options.Window releases where no single step failed;
//   - WRITTEN_BEFORE_READABLE: a change needs writers to emit a shape in the same release
//     that first lets readers accept it.
//
// The verdict judges what the head adds over the newest release; the changes between
// earlier releases are reported as context, each finding with its [compat.Finding.Release].
// Read-tolerant findings carry [compat.Finding.WritableFrom], and the [Result] holds a
// per-release summary and the rollback floor as data, for every output format to render.
// docs/history.md describes the model.
package history
