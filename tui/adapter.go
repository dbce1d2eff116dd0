package tui

// This file turns the core's diff of a revision into what the diff pane
// shows. Where the diff comes from (the wiki's table, known texts, the
// wiki's API, a new page, nothing) is decided by app, once for the TUI and
// the CLI; the pane only lays it out.

import (
	"context"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// lineRange is a half-open range of content lines.
type lineRange struct{ start, end int }

// diffContent makes rev's diff with the core and lays it out for the pane:
// the revisions compared, the core's notes, then the diff, or the reason
// there is none. sc is the style file's colours, or nil; known are texts
// fetched before, and it gains what is fetched.
func diffContent(ctx context.Context, core *app.App, f *feed.Feed, rev *feed.Revision, k contentKey, st styles, sc *render.StyleConfig, known fetchedTexts) contentResult {
	p := core.Plan(ctx, f, rev)
	d, err := core.Diff(ctx, p, app.DiffOptions{Context: diff.DefaultContext, Known: known})
	if err != nil {
		return contentResult{err: err}
	}
	if reason := d.Empty(); reason != "" {
		return contentResult{text: st.faint.Render(render.Sanitize(reason))}
	}
	opts := d.RenderOptions()
	opts.Options = render.Options{Width: k.width, Style: k.style, StyleConfig: sc, Format: render.ANSI}
	rd, err := render.DiffWith(d.Result, opts)
	return contentResult{text: rd.Text, changes: changeRanges(rd.ChangeLines), err: err}
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
