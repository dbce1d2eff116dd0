package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// item is one row of the entry list: a page heading (grouped mode) or a
// revision.
type item struct {
	page *feed.Page     // set on page rows
	rev  *feed.Revision // set on revision rows
}

// revision returns the revision a row stands for: its own, or a page's
// newest.
func (it item) revision() *feed.Revision {
	if it.rev != nil {
		return it.rev
	}
	return it.page.Latest()
}

// listModel is the entry list: revisions grouped by page or flat by time,
// filtered, with a cursor and the marks of new entries.
type listModel struct {
	sh      *shared
	feed    *feed.Feed
	grouped bool
	filter  string
	items   []item
	cursor  int
	offset  int
	height  int
	// isNew holds the keys of revisions that were not in the previous load.
	isNew map[string]bool
}

// revKey identifies a revision across reloads (which make new values).
func revKey(r *feed.Revision) string {
	if r == nil {
		return ""
	}
	if r.ID != 0 {
		return r.Source + "#" + strconv.FormatInt(r.ID, 10)
	}
	return r.Source + "#" + r.EntryID + "#" + r.Page + "#" + r.Time.UTC().Format(time.RFC3339Nano)
}

// setFeed replaces the feed, keeping the selection when it still exists.
func (l *listModel) setFeed(f *feed.Feed) {
	sel := l.selectedKey()
	l.feed = f
	l.rebuild(sel)
}

// selectedKey names the selected row so a rebuild can find it again.
func (l *listModel) selectedKey() string {
	if l.cursor < 0 || l.cursor >= len(l.items) {
		return ""
	}
	it := l.items[l.cursor]
	if it.rev != nil {
		return "r:" + revKey(it.rev)
	}
	return "p:" + it.page.Title
}

// rebuild recomputes the rows from the feed, the grouping and the filter,
// and puts the cursor back on the row named sel if it is still there.
func (l *listModel) rebuild(sel string) {
	l.items = l.items[:0]
	if l.feed != nil {
		q := strings.ToLower(strings.TrimSpace(l.filter))
		if l.grouped {
			for _, p := range l.feed.Pages {
				pageHit := q == "" || strings.Contains(strings.ToLower(p.Title), q)
				start := len(l.items)
				l.items = append(l.items, item{page: p})
				for i := len(p.Revisions) - 1; i >= 0; i-- {
					r := p.Revisions[i]
					if pageHit || matches(r, q) {
						l.items = append(l.items, item{rev: r})
					}
				}
				if len(l.items) == start+1 && !pageHit {
					l.items = l.items[:start]
				}
			}
		} else {
			for _, r := range l.feed.Revisions {
				if matches(r, q) {
					l.items = append(l.items, item{rev: r})
				}
			}
		}
	}
	l.cursor = 0
	if sel != "" {
		for i := range l.items {
			if l.keyAt(i) == sel {
				l.cursor = i
				break
			}
		}
		// A revision hidden inside a page group: select its page.
		if l.cursor == 0 && strings.HasPrefix(sel, "r:") && len(l.items) > 0 && l.keyAt(0) != sel {
			for i, it := range l.items {
				if it.page != nil {
					for _, r := range it.page.Revisions {
						if "r:"+revKey(r) == sel {
							l.cursor = i
						}
					}
				}
			}
		}
	}
	l.clamp()
}

func (l *listModel) keyAt(i int) string {
	it := l.items[i]
	if it.rev != nil {
		return "r:" + revKey(it.rev)
	}
	return "p:" + it.page.Title
}

// matches reports whether a revision's page, user or comment holds q
// (already lower case); "" matches all.
func matches(r *feed.Revision, q string) bool {
	if q == "" {
		return true
	}
	for _, s := range []string{r.Page, r.User, r.Comment} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// selected returns the selected row, or false when the list is empty.
func (l *listModel) selected() (item, bool) {
	if l.cursor < 0 || l.cursor >= len(l.items) {
		return item{}, false
	}
	return l.items[l.cursor], true
}

// selectRevision moves the cursor to rev's row, if it is shown.
func (l *listModel) selectRevision(rev *feed.Revision) {
	for i, it := range l.items {
		if it.rev == rev {
			l.cursor = i
			l.clamp()
			return
		}
	}
}

// move moves the cursor by n rows.
func (l *listModel) move(n int) {
	l.cursor += n
	l.clamp()
}

// moveTo puts the cursor on row i.
func (l *listModel) moveTo(i int) {
	l.cursor = i
	l.clamp()
}

// clamp keeps the cursor on a row and the row on screen.
func (l *listModel) clamp() {
	l.cursor = min(max(l.cursor, 0), max(len(l.items)-1, 0))
	h := max(l.height, 1)
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+h {
		l.offset = l.cursor - h + 1
	}
	l.offset = min(max(l.offset, 0), max(len(l.items)-h, 0))
}

// setHeight sets how many rows are shown.
func (l *listModel) setHeight(h int) {
	l.height = h
	l.clamp()
}

// newCount counts the revisions marked new.
func (l *listModel) newCount() int { return len(l.isNew) }

// view draws the visible rows, width cells wide; focused says whether the
// list has the focus (the selection is drawn brighter).
func (l *listModel) view(width int, focused bool) string {
	st := l.sh.st
	if len(l.items) == 0 {
		msg := "No entries."
		if l.filter != "" {
			msg = "Nothing matches the filter “" + oneLine(l.filter) + "”. Press esc to clear it."
		}
		return st.faint.Render(ansi.Wrap(msg, max(width, 1), ""))
	}
	var b strings.Builder
	end := min(l.offset+max(l.height, 1), len(l.items))
	for i := l.offset; i < end; i++ {
		row := l.row(l.items[i], width)
		if i == l.cursor {
			plain := ansi.Strip(row)
			plain += strings.Repeat(" ", max(width-ansi.StringWidth(plain), 0))
			if focused {
				row = st.selected.Render(plain)
			} else {
				row = st.selectedBlur.Render(plain)
			}
		}
		b.WriteString(row)
		if i+1 < end {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// row draws one row, cut to width cells.
func (l *listModel) row(it item, width int) string {
	st := l.sh.st
	if it.page != nil {
		n := len(it.page.Revisions)
		noun := "revisions"
		if n == 1 {
			noun = "revision"
		}
		mark := " "
		for _, r := range it.page.Revisions {
			if l.isNew[revKey(r)] {
				mark = st.newMark.Render("●")
				break
			}
		}
		s := mark + st.page.Render(oneLine(it.page.Title)) + st.faint.Render(fmt.Sprintf(" (%d %s)", n, noun))
		return ansi.Truncate(s, width, "…")
	}
	r := it.rev
	mark := " "
	if l.isNew[revKey(r)] {
		mark = st.newMark.Render("●")
	}
	indent := ""
	if l.grouped {
		indent = "  "
	}
	parts := []string{st.faint.Render(fmt.Sprintf("%4s", relTime(r.Time, l.sh.now())))}
	if !l.grouped {
		parts = append(parts, st.page.Render(oneLine(r.Page)))
	}
	if u := oneLine(r.User); u != "" {
		parts = append(parts, st.accent.Render(u))
	}
	if c := sizeChange(r, st); c != "" {
		parts = append(parts, c)
	}
	comment := oneLine(r.Comment)
	switch {
	case r.Log:
		comment = "(log) " + comment
	case r.NewPage:
		comment = "(new) " + comment
	}
	if comment != "" {
		parts = append(parts, st.text.Render(comment))
	}
	return ansi.Truncate(mark+indent+strings.Join(parts, " "), width, "…")
}

// sizeChange draws a revision's size change, coloured by sign.
func sizeChange(r *feed.Revision, st styles) string {
	if !r.HasSizeChange {
		return ""
	}
	switch {
	case r.SizeChange > 0:
		return st.added.Render(fmt.Sprintf("+%d", r.SizeChange))
	case r.SizeChange < 0:
		return st.removed.Render(fmt.Sprintf("%d", r.SizeChange))
	}
	return st.faint.Render("0")
}

// relTime says how long ago t was, in a few cells: "now", "5m", "3h", "2d",
// or the date for anything older than a month.
func relTime(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		// A clock ahead of ours: say when, not how long ago.
		if t.Year() == now.Year() {
			return t.UTC().Format("Jan 2")
		}
		return t.UTC().Format("2006-01-02")
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 31*24*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	case t.Year() == now.Year():
		return t.UTC().Format("Jan 2")
	}
	return t.UTC().Format("2006-01-02")
}

// oneLine makes untrusted feed text safe for one line of the terminal:
// sanitised, with every run of white space (line breaks included) one
// space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(render.Sanitize(s)), " ")
}
