// Package gitsrc reads a version of a contract from a git repository without checking it
// out, so that compatcheck can compare a working tree with origin/main, or with every
// release tag, in a CI job that has only a clone.
//
// A [Repo] runs one long-lived `git cat-file --batch` process and reads every commit, tree
// and blob through it: trees are parsed as they are met and cached by object ID, so the
// subtrees several releases share are read once. [Repo.Source] turns REF:PATH into a
// [compat.Source] whose FS implements fs.ReadDirFS, fs.StatFS and fs.ReadFileFS and is
// safe for concurrent use (requests to the process are serialized). Nothing here knows a
// contract format; engines read the trees as they read directories.
//
// Problems are *compat.Error values whose message says how to fix them: a ref the clone
// does not have (fetch it, or set fetch-depth: 0 in GitHub Actions), a shallow clone
// where history is needed, a path that does not exist at the ref, or a directory that is
// not inside a git repository.
package gitsrc
