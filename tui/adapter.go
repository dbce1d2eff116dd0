package tui

// This file holds the one adapter the UI needs from the other packages
// that they do not provide: which diff a revision has (the wiki's table,
// or a diff of the wikitext against the page's previous revision).

import (
	"fmt"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// lineRange is a half-open range of content lines.
type lineRange struct{ start, end int }

// revisionDiff finds what rev changed: the wiki's own diff table when the
// entry carries one, else a diff of the wikitext against prev (the page's
// previous revision in the feed; nil if none). When there is no diff to
// show, res is nil and note says why.
func revisionDiff(rev, prev *feed.Revision) (res *diff.Result, note string, err error) {
	switch rev.Kind {
	case feed.BodyDiffTable:
		res, err := mwtable.Parse(rev.Body)
		if err != nil {
			return nil, "", fmt.Errorf("read the wiki's diff table: %w", err)
		}
		if res == nil || len(res.Hunks) == 0 {
			return nil, "The wiki's diff shows no change.", nil
		}
		return res, "", nil
	case feed.BodyWikitext:
		old := ""
		switch {
		case prev != nil && prev.Kind == feed.BodyWikitext:
			old = prev.Text
		case rev.NewPage:
		default:
			return nil, "This feed has no earlier text of the page to compare with.\nPress r for the rendered revision or s for its source.", nil
		}
		res := diff.Compute(old, rev.Text, diff.Options{Context: diff.DefaultContext})
		if res == nil {
			return nil, "No difference from the previous revision.", nil
		}
		return res, "", nil
	case feed.BodyChangesLink:
		return nil, "The wiki sent only a link to this change (the diff was too large):\n" + render.Sanitize(rev.ChangesURL), nil
	}
	if rev.NoDifference {
		return nil, "The wiki says this revision changed nothing.", nil
	}
	if rev.Log {
		return nil, "This is a log entry, not an edit: it has no diff.", nil
	}
	return nil, "This entry carries no diff.", nil
}

// changeRanges turns the first line of each change, as render.DiffWith
// reports them, into the ranges the gutter marks: the first line of each.
func changeRanges(starts []int) []lineRange {
	out := make([]lineRange, len(starts))
	for i, l := range starts {
		out[i] = lineRange{l, l + 1}
	}
	return out
}
