package gitsrc

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Tag is a tag of the repository, peeled to its commit.
type Tag struct {
	// Name is the tag's name without refs/tags/.
	Name string
	// Commit is the commit the tag names, through any chain of annotated tags.
	Commit string
	// Date is the tagger date of an annotated tag, or the committer date of the commit a
	// lightweight tag names: the date the release was made, as the repository records it.
	Date time.Time
	// Annotated is set for a tag object (git tag -a), unset for a lightweight tag.
	Annotated bool
}

// Tags lists the tags whose commits are reachable from the commit reachableFrom (git
// for-each-ref --merged), or every tag when it is empty, in name order. Tags of trees or
// blobs are left out: they name no version of a contract.
func (r *Repo) Tags(ctx context.Context, reachableFrom string) ([]Tag, error) {
	args := []string{"for-each-ref", "--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(creatordate:unix)"}
	if reachableFrom != "" {
		args = append(args, "--merged="+reachableFrom)
	}
	args = append(args, "refs/tags/")
	out, err := runGit(ctx, r.top, args...)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\x00")
		if len(f) != 6 {
			continue
		}
		t := Tag{Name: strings.TrimPrefix(f[0], "refs/tags/")}
		switch {
		case f[1] == "commit":
			t.Commit = f[2]
		case f[1] == "tag" && f[3] == "commit":
			t.Commit, t.Annotated = f[4], true
		case f[1] == "tag":
			// A tag of a tag: peel the whole chain through the batch process.
			obj, err := r.get(f[0] + "^{commit}")
			if err != nil {
				continue
			}
			t.Commit, t.Annotated = obj.id, true
		default:
			continue
		}
		if sec, err := strconv.ParseInt(f[5], 10, 64); err == nil {
			t.Date = time.Unix(sec, 0).UTC()
		}
		tags = append(tags, t)
	}
	return tags, nil
}

// Log returns the commits reachable from to and not from from that change the repository
// path p (every commit when p is ""), oldest first: the unreleased commits between two
// versions of a contract. from may be empty for the whole history of to.
func (r *Repo) Log(ctx context.Context, from, to, p string) ([]Commit, error) {
	args := []string{"rev-list", "--reverse", "--topo-order", to}
	if from != "" {
		args = append(args, "^"+from)
	}
	args = append(args, "--")
	if p != "" {
		args = append(args, ":(top,literal)"+p)
	}
	out, err := runGit(ctx, r.top, args...)
	if err != nil {
		return nil, err
	}
	var commits []Commit
	for _, id := range strings.Fields(string(out)) {
		c, err := r.commit(id)
		if err != nil {
			return nil, err
		}
		commits = append(commits, c)
	}
	return commits, nil
}

// Head resolves HEAD, the commit the working tree was checked out from.
func (r *Repo) Head(ctx context.Context) (Commit, error) { return r.Resolve(ctx, "HEAD") }
