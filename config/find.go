package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Find returns the path of the configuration that applies in dir: the first
// compatcheck.yaml or .compatcheck.yaml found in dir or a parent of it, up to and
// including the repository root (the nearest directory holding .git, a directory or,
// in a worktree or submodule, a file). Outside a repository only dir itself is
// searched, so that a stray file in /tmp or a home directory never configures a run.
// It returns "" when there is none, and an error when one directory holds both names.
// The path is dir joined with the relative way up, so it stays as readable as dir.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	root := repositoryRoot(abs)
	rel := dir
	for {
		found := ""
		for _, name := range FileNames {
			p := filepath.Join(rel, name)
			info, err := os.Stat(p)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				return "", err
			}
			if info.IsDir() {
				continue
			}
			if found != "" {
				return "", errorf(posOf(p), "both "+FileNames[0]+" and "+FileNames[1]+" are here; keep one")
			}
			found = p
		}
		if found != "" {
			return found, nil
		}
		if root == "" || abs == root {
			return "", nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", nil
		}
		abs, rel = parent, filepath.Join(rel, "..")
	}
}

// repositoryRoot returns the nearest directory at or above dir that holds .git, or ""
// when there is none.
func repositoryRoot(dir string) string {
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
