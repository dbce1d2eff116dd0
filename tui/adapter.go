package tui

// This file holds the one adapter the UI needs from the other packages
// that they do not provide: which diff a revision has (the wiki's table,
// or a diff of the wikitext against the page's previous revision).

import (
	"context"
	"fmt"
	"strings"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
	"github.com/wikifeed/wikifeed/wikiapi"
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
func revisionDiff(ctx context.Context, rev, prev *feed.Revision, api *wikiapi.Client, known fetchedTexts) (revDiff, error) {
	// fetch diffs the texts the wiki's API gives, when fetching is on.
	fetch := func(why string) (revDiff, error) {
		oldText, newText, endpoint, err := fetchPair(ctx, api, rev, known)
		if err != nil {
			return revDiff{}, fmt.Errorf("%s, and fetching the texts failed: %w", why, err)
		}
		note := "Texts fetched from " + endpoint + "."
		res := diff.Compute(oldText, newText, diff.Options{Context: diff.DefaultContext})
		if res == nil {
			return revDiff{note: "No difference from the previous revision.\n" + note}, nil
		}
		return revDiff{res: res, opts: render.DiffOptions{OldText: oldText, NewText: newText, Notes: []string{note}}}, nil
	}
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
		case api != nil && rev.ParentID != 0:
			return fetch("the feed has no earlier text of the page")
		default:
			return revDiff{note: "This feed has no earlier text of the page to compare with.\nPress r for the rendered revision or s for its source."}, nil
		}
		res := diff.Compute(old, rev.Text, diff.Options{Context: diff.DefaultContext})
		if res == nil {
			return revDiff{note: "No difference from the previous revision."}, nil
		}
		return revDiff{res: res, opts: render.DiffOptions{OldText: old, NewText: rev.Text}}, nil
	case feed.BodyChangesLink:
		if api != nil {
			return fetch("the wiki sent only a link to this change")
		}
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
