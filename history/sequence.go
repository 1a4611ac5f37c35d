package history

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/compatcheck/compatcheck/compat"
	"github.com/compatcheck/compatcheck/compat/gitsrc"
	"golang.org/x/mod/semver"
)

// Version is one version of a contract in a sequence.
type Version struct {
	// Name is how reports name the version: the tag, a short commit ID, the --head ref,
	// or "unreleased" for the working tree.
	Name string
	// Date is the release's date (the tag's date; for the head, its commit's date). It is
	// the zero time when the versions carry no dates (a directory of versions).
	Date time.Time
	// Source holds the contract.
	Source compat.Source
	// ID identifies the contract's bytes (a git tree or blob ID, or a content hash): two
	// versions with the same non-empty ID are not compared. Empty when unknown.
	ID string
	// Commit is the full commit ID when the version comes from git.
	Commit string
	// Pre marks a pre-release tag (v1.5.0-rc.1).
	Pre bool
	// Untagged marks a commit that no tag names.
	Untagged bool
}

// describe names the version in a sentence.
func (v Version) describe() string {
	switch {
	case v.Pre:
		return "pre-release " + v.Name
	case v.Untagged:
		return "unreleased commit " + v.Name
	}
	return v.Name
}

// Sequence is what [Check] judges: the releases of one contract, oldest first, and the head.
type Sequence struct {
	// Releases are the released versions, oldest first.
	Releases []Version
	// Head is the version being judged: the working tree, a ref, or the newest version
	// directory.
	Head Version
	// Between returns the unreleased versions after from up to to (commits that changed
	// the contract, and pre-releases), oldest first. Nil when there are none to know of,
	// as for a directory of versions.
	Between func(ctx context.Context, from, to Version) ([]Version, error)
	// Path is the contract's path as the user gave it; reports join file names to it.
	Path string
	// Notes say what building the sequence left out (tags that are not versions, releases
	// without the contract), so that the result can show it.
	Notes []string
}

// GitOptions says which versions of a repository make up a sequence.
type GitOptions struct {
	// Path is the contract's path, relative to the directory the repository was opened in.
	Path string
	// Releases is the glob (path.Match syntax) release tags match; "v*" when empty.
	Releases string
	// PreReleases counts pre-release tags (v1.5.0-rc.1) as releases.
	PreReleases bool
	// Explicit, when set, lists the releases as refs, oldest first, instead of tags.
	Explicit []string
	// HeadRef is the ref to judge; the working tree when empty.
	HeadRef string
}

// UnreleasedName is the name of a working-tree head in reports.
const UnreleasedName = "unreleased"

// FromGit builds the sequence of a contract from a repository: the release tags reachable
// from the head (so that on a release branch the releases are that branch's), ordered by
// semantic version, or the refs of GitOptions.Explicit in their given order. Releases in
// which the path does not exist are left out: the contract's history starts where it
// appears. A shallow clone is an error, since its tags and commits are incomplete.
func FromGit(ctx context.Context, repo *gitsrc.Repo, o GitOptions) (Sequence, error) {
	if shallow, err := repo.IsShallow(ctx); err != nil {
		return Sequence{}, err
	} else if shallow {
		return Sequence{}, &compat.Error{Msg: "the clone is shallow, so its release tags and the commits between them are missing: fetch them with `git fetch --unshallow --tags`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout"}
	}
	if o.Releases == "" {
		o.Releases = "v*"
	}
	if _, err := path.Match(o.Releases, ""); err != nil {
		return Sequence{}, &compat.Error{Msg: fmt.Sprintf("--releases %q is not a valid glob: %v", o.Releases, err)}
	}
	rp, err := repo.RepoPath(o.Path)
	if err != nil {
		return Sequence{}, err
	}
	userPath := path.Clean(filepath.ToSlash(o.Path))
	seq := Sequence{Path: userPath}
	var notes []string

	headRef := o.HeadRef
	if headRef == "" {
		headRef = "HEAD"
	}
	headCommit, err := repo.Resolve(ctx, headRef)
	if err != nil {
		return Sequence{}, withFile(err, "--head "+headRef)
	}
	if o.HeadRef != "" {
		src, e, err := repo.Source(headCommit, rp, o.HeadRef, o.Path)
		if err != nil {
			return Sequence{}, err
		}
		seq.Head = Version{Name: o.HeadRef, Date: headCommit.Time, Source: src, ID: e.ID, Commit: headCommit.ID}
	} else {
		src, err := repo.WorkTree(rp, o.Path)
		if err != nil {
			return Sequence{}, err
		}
		seq.Head = Version{Name: UnreleasedName, Date: headCommit.Time, Source: src, Commit: headCommit.ID}
	}

	tags, err := repo.Tags(ctx, headCommit.ID)
	if err != nil {
		return Sequence{}, err
	}
	tagsByCommit := map[string][]gitsrc.Tag{}
	tagByName := map[string]gitsrc.Tag{}
	for _, t := range tags {
		tagsByCommit[t.Commit] = append(tagsByCommit[t.Commit], t)
		tagByName[t.Name] = t
	}

	type candidate struct {
		name, canon string
		commit      gitsrc.Commit
		date        time.Time
		pre         bool
	}
	var cands []candidate
	if len(o.Explicit) > 0 {
		for _, ref := range o.Explicit {
			c, err := repo.Resolve(ctx, ref)
			if err != nil {
				return Sequence{}, withFile(err, "--release "+ref)
			}
			date := c.Time
			if t, ok := tagByName[strings.TrimPrefix(ref, "refs/tags/")]; ok && t.Commit == c.ID {
				date = t.Date
			}
			cands = append(cands, candidate{name: ref, commit: c, date: date})
		}
	} else {
		var unparsed []string
		for _, t := range tags {
			if ok, _ := path.Match(o.Releases, t.Name); !ok {
				continue
			}
			if o.HeadRef != "" && t.Commit == headCommit.ID {
				continue // the head itself is being judged, not one of its releases
			}
			canon, ok := versionOf(t.Name)
			if !ok {
				unparsed = append(unparsed, t.Name)
				continue
			}
			pre := semver.Prerelease(canon) != ""
			if pre && !o.PreReleases {
				continue
			}
			c, err := repo.Resolve(ctx, t.Commit)
			if err != nil {
				return Sequence{}, err
			}
			cands = append(cands, candidate{name: t.Name, canon: canon, commit: c, date: t.Date, pre: pre})
		}
		sort.SliceStable(cands, func(i, j int) bool {
			if c := semver.Compare(cands[i].canon, cands[j].canon); c != 0 {
				return c < 0
			}
			return cands[i].name < cands[j].name
		})
		if len(unparsed) > 0 {
			notes = append(notes, fmt.Sprintf("tags matching %s that are not semantic versions were left out: %s", o.Releases, strings.Join(unparsed, ", ")))
		}
	}
	started := false
	for _, c := range cands {
		src, e, err := repo.Source(c.commit, rp, c.name, o.Path)
		if err != nil {
			if started {
				notes = append(notes, fmt.Sprintf("%s has no %s; it is left out of the sequence", c.name, userPath))
			}
			continue
		}
		started = true
		seq.Releases = append(seq.Releases, Version{Name: c.name, Date: c.date, Source: src, ID: e.ID, Commit: c.commit.ID, Pre: c.pre})
	}

	seq.Between = func(ctx context.Context, from, to Version) ([]Version, error) {
		if from.Commit == "" || to.Commit == "" {
			return nil, nil
		}
		commits, err := repo.Log(ctx, from.Commit, to.Commit, rp)
		if err != nil {
			return nil, err
		}
		var out []Version
		for _, c := range commits {
			v := Version{Name: c.Short(), Date: c.Time, Commit: c.ID, Untagged: true}
			for _, t := range tagsByCommit[c.ID] {
				v.Name, v.Untagged = t.Name, false
				if canon, ok := versionOf(t.Name); ok && semver.Prerelease(canon) != "" {
					v.Pre = true
				}
				break
			}
			src, e, err := repo.Source(c, rp, v.Name, o.Path)
			if err != nil {
				continue // the contract does not exist at this commit
			}
			if e.ID == to.ID || e.ID == from.ID {
				continue
			}
			v.Source, v.ID = src, e.ID
			out = append(out, v)
		}
		return out, nil
	}
	seq.Notes = notes
	return seq, nil
}

// versionOf reads a tag as a semantic version: "v1.2.3", "1.2.3" and a prefixed
// "api/v1.2.3" all read as v1.2.3. It returns the canonical form for ordering.
func versionOf(tag string) (string, bool) {
	v := tag
	if i := strings.LastIndexByte(v, '/'); i >= 0 {
		v = v[i+1:]
	}
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		v = "v" + v
	}
	if !semver.IsValid(v) {
		return "", false
	}
	return semver.Canonical(v), true
}

// LastRelease returns the newest release tag reachable from HEAD (by semantic version,
// pre-releases left out unless pre is set), for `compatcheck --against last-release`.
func LastRelease(ctx context.Context, repo *gitsrc.Repo, glob string, pre bool) (string, error) {
	if glob == "" {
		glob = "v*"
	}
	head, err := repo.Head(ctx)
	if err != nil {
		return "", err
	}
	tags, err := repo.Tags(ctx, head.ID)
	if err != nil {
		return "", err
	}
	best, bestCanon := "", ""
	for _, t := range tags {
		if ok, _ := path.Match(glob, t.Name); !ok {
			continue
		}
		canon, ok := versionOf(t.Name)
		if !ok || (!pre && semver.Prerelease(canon) != "") {
			continue
		}
		if best == "" || semver.Compare(canon, bestCanon) > 0 || (semver.Compare(canon, bestCanon) == 0 && t.Name > best) {
			best, bestCanon = t.Name, canon
		}
	}
	if best == "" {
		msg := fmt.Sprintf("last-release: no tag matching %s is reachable from HEAD", glob)
		if shallow, err := repo.IsShallow(ctx); err == nil && shallow {
			msg += " in this shallow clone: fetch the tags with `git fetch --unshallow --tags`, or in GitHub Actions set `fetch-depth: 0` on actions/checkout"
		} else {
			msg += ": tag a release, or name the base ref instead"
		}
		return "", &compat.Error{Msg: msg}
	}
	return best, nil
}

// FromDirectory builds a sequence from a directory whose subdirectories are versions
// (v1/, v2/, v1.2.0/, …), ordered by semantic version. The head is headPath when given,
// else the newest subdirectory. Such versions carry no dates, so the day-counting rules
// cannot be applied to them.
func FromDirectory(dir, headPath string) (Sequence, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return Sequence{}, &compat.Error{Pos: compat.Position{File: dir}, Msg: "cannot read the directory of versions: " + unwrap(err)}
	}
	type sub struct{ name, canon string }
	var subs []sub
	var notes, skipped []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		canon, ok := versionOf(e.Name())
		if !ok {
			skipped = append(skipped, e.Name())
			continue
		}
		subs = append(subs, sub{e.Name(), canon})
	}
	if len(skipped) > 0 {
		notes = append(notes, fmt.Sprintf("subdirectories of %s that are not versions were left out: %s", dir, strings.Join(skipped, ", ")))
	}
	sort.SliceStable(subs, func(i, j int) bool {
		if c := semver.Compare(subs[i].canon, subs[j].canon); c != 0 {
			return c < 0
		}
		return subs[i].name < subs[j].name
	})
	if len(subs) == 0 {
		return Sequence{}, &compat.Error{Pos: compat.Position{File: dir}, Msg: "holds no version directories (v1/, v1.2.0/, …)"}
	}
	var versions []Version
	for _, s := range subs {
		p := filepath.Join(dir, s.name)
		src, err := compat.OpenPath(p)
		if err != nil {
			return Sequence{}, err
		}
		id, err := contentID(src)
		if err != nil {
			return Sequence{}, err
		}
		versions = append(versions, Version{Name: s.name, Source: src, ID: id})
	}
	seq := Sequence{Path: filepath.ToSlash(filepath.Clean(dir))}
	if headPath != "" {
		src, err := compat.OpenPath(headPath)
		if err != nil {
			return Sequence{}, err
		}
		seq.Head = Version{Name: UnreleasedName, Source: src}
		seq.Path = filepath.ToSlash(filepath.Clean(headPath))
		seq.Releases = versions
	} else {
		if len(versions) < 2 {
			return Sequence{}, &compat.Error{Pos: compat.Position{File: dir}, Msg: "holds one version; a history needs a release and a head"}
		}
		seq.Releases, seq.Head = versions[:len(versions)-1], versions[len(versions)-1]
		seq.Path = filepath.ToSlash(filepath.Join(dir, subs[len(subs)-1].name))
	}
	seq.Notes = notes
	return seq, nil
}

// contentID hashes a source's files (names and bytes), so that equal directory versions
// are compared once, as equal git trees are.
func contentID(src compat.Source) (string, error) {
	files, err := src.Files()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		data, err := src.ReadFile(f)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func unwrap(err error) string {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// withFile puts a label in front of an error that has no position yet.
func withFile(err error, file string) error {
	if ce, ok := err.(*compat.Error); ok && ce.Pos.File == "" {
		return &compat.Error{Pos: compat.Position{File: file}, Msg: ce.Msg}
	}
	return err
}
