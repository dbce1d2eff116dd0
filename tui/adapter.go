package tui

// This file holds the minimal adapters the UI needs from the other
// packages until they provide them: which diff a revision has, and the
// diff's text with the line where each change starts (for n/N). Each is
// one function to swap when render exposes the same thing.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
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

// diffText lays out a diff for a pane width cells wide and returns the text
// and the lines each change covers.
//
// TODO(render): use render.Diff once it returns styled text with the
// position of each change; render.Diff is still a placeholder.
func diffText(res *diff.Result, width int, st styles) (string, []lineRange) {
	var (
		out     []string
		changes []lineRange
	)
	starts := map[diff.Change]bool{}
	for _, c := range res.Changes() {
		starts[c] = true
	}
	width = max(width, 8)
	// emit wraps body (which may hold styled words) and adds the prefix;
	// style colours the prefix and, when whole is set, every line.
	emit := func(prefix, body string, style lipgloss.Style, whole bool) {
		wrapped := ansi.Wrap(body, width-2, "")
		for i, l := range strings.Split(wrapped, "\n") {
			p := prefix
			if i > 0 {
				p = "  "
			}
			if whole {
				l = style.Render(l)
			}
			out = append(out, style.Render(p)+l)
		}
	}
	for hi, h := range res.Hunks {
		if hi > 0 {
			out = append(out, "")
		}
		out = append(out, st.faint.Render(fmt.Sprintf("@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)))
		for li, l := range h.Lines {
			if starts[diff.Change{Hunk: hi, Line: li}] {
				changes = append(changes, lineRange{start: len(out)})
			}
			switch l.Kind {
			case diff.Context:
				emit("  ", render.Sanitize(l.NewText()), st.faint, true)
			case diff.Added:
				emit("+ ", render.Sanitize(l.NewText()), st.added, true)
			case diff.Deleted:
				emit("- ", render.Sanitize(l.OldText()), st.removed, true)
			case diff.Changed, diff.MovedFrom, diff.MovedTo:
				oldP, newP := "- ", "+ "
				if l.Kind == diff.MovedFrom {
					oldP = "< "
				}
				if l.Kind == diff.MovedTo {
					newP = "> "
				}
				if l.Kind != diff.MovedTo {
					emit(oldP, spansText(l.Spans, diff.Insert, st.removedWord.Render), st.removed, false)
				}
				if l.Kind != diff.MovedFrom {
					emit(newP, spansText(l.Spans, diff.Delete, st.addedWord.Render), st.added, false)
				}
			}
			if n := len(changes); n > 0 && changes[n-1].end <= changes[n-1].start && (li+1 == len(h.Lines) || h.Lines[li+1].Kind == diff.Context) {
				changes[n-1].end = len(out)
			}
		}
		if n := len(changes); n > 0 && changes[n-1].end <= changes[n-1].start {
			changes[n-1].end = len(out)
		}
	}
	return strings.Join(out, "\n"), changes
}

// spansText joins the spans of one side of a line (skipping those with op
// skip), marking the changed words with mark.
func spansText(spans []diff.Span, skip diff.Op, mark func(...string) string) string {
	var sb strings.Builder
	for _, s := range spans {
		switch s.Op {
		case skip:
		case diff.Equal:
			sb.WriteString(render.Sanitize(s.Text))
		default:
			sb.WriteString(mark(render.Sanitize(s.Text)))
		}
	}
	return sb.String()
}
