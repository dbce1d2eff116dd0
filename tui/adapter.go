package tui

// This file holds the one adapter the UI needs from the other packages
// that they do not provide: which diff a revision has (the wiki's table,
// or a diff of the wikitext against the page's previous revision).

import (
	"fmt"
	"strings"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// lineRange is a half-open range of content lines.
type lineRange struct{ start, end int }

// revDiff is what the UI knows of a revision's diff.
type revDiff struct {
	// res is the diff; nil when there is none to show, and note says why.
	res  *diff.Result
	note string
	// opts carries the table's notes, hunk titles and whether its line
	// numbers are real, and the texts a wikitext diff came from.
	opts render.DiffOptions
}

// revisionDiff finds what rev changed: the wiki's own diff table when the
// entry carries one, else a diff of the wikitext against prev (the page's
// previous revision in the feed; nil if none).
func revisionDiff(rev, prev *feed.Revision) (revDiff, error) {
	switch rev.Kind {
	case feed.BodyDiffTable:
		t, err := mwtable.ParseTable(rev.Body)
		if err != nil {
			return revDiff{}, fmt.Errorf("read the wiki's diff table: %w", err)
		}
		d := revDiff{res: t.Result, opts: render.DiffOptions{Notes: t.Notes, HunkTitles: t.HunkTitles, NoLineNumbers: !t.Numbered}}
		if d.res == nil || len(d.res.Hunks) == 0 {
			d.res, d.note = nil, "The wiki's diff shows no change."
			if len(t.Notes) > 0 {
				d.note += "\n" + render.Sanitize(strings.Join(t.Notes, "\n"))
			}
		}
		return d, nil
	case feed.BodyWikitext:
		old := ""
		switch {
		case prev != nil && prev.Kind == feed.BodyWikitext:
			old = prev.Text
		case rev.NewPage:
		default:
			return revDiff{note: "This feed has no earlier text of the page to compare with.\nPress r for the rendered revision or s for its source."}, nil
		}
		res := diff.Compute(old, rev.Text, diff.Options{Context: diff.DefaultContext})
		if res == nil {
			return revDiff{note: "No difference from the previous revision."}, nil
		}
		return revDiff{res: res, opts: render.DiffOptions{OldText: old, NewText: rev.Text}}, nil
	case feed.BodyChangesLink:
		return revDiff{note: "The wiki sent only a link to this change (the diff was too large):\n" + render.Sanitize(rev.ChangesURL)}, nil
	}
	switch {
	case rev.NoDifference:
		return revDiff{note: "The wiki says this revision changed nothing."}, nil
	case rev.Log:
		return revDiff{note: "This is a log entry, not an edit: it has no diff."}, nil
	}
	return revDiff{note: "This entry carries no diff."}, nil
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
