package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/clipperhouse/displaywidth"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// item is one row of the entry list: a page heading (grouped mode) or a
// revision.
type item struct {
	page *feed.Page     // set on page rows
	rev  *feed.Revision // set on revision rows
	// shown is how many of a page row's revisions the filter lets
	// through, newest the newest of them.
	shown  int
	newest *feed.Revision
}

// revision returns the revision a row stands for: its own, or the newest
// of a page's revisions that the filter shows.
func (it item) revision() *feed.Revision {
	if it.rev != nil {
		return it.rev
	}
	if it.newest != nil {
		return it.newest
	}
	return it.page.Latest()
}

// revInfo is what the list keeps of each revision so that a filter
// keystroke does not lower-case or measure the whole feed again.
type revInfo struct {
	// hay is the page, user and comment, lower case, one line each.
	hay string
	// page, user, size and comment are the cell widths of those columns.
	page, user, size, comment int
}

// columns are the cell widths of the list's columns over the rows shown,
// so that every row lines up.
type columns struct{ time, page, user, size, comment int }

// listModel is the entry list: revisions grouped by page or flat by time,
// filtered, with a cursor and the marks of new entries.
type listModel struct {
	sh      *shared
	feed    *feed.Feed
	grouped bool
	// skipHeaders keeps the cursor off page rows: moves go from revision
	// to revision.
	skipHeaders bool
	filter      string
	items       []item
	cursor      int
	offset      int
	height      int
	info        map[*feed.Revision]*revInfo
	cols        columns
	// isNew holds the keys of revisions that were not in the previous load
	// (with the store: the unread ones).
	isNew map[string]bool
	// gone holds the keys of stored revisions that have left their feed's
	// window.
	gone map[string]bool
	// unreadOnly shows only the revisions in isNew.
	unreadOnly bool
	// stored says the dots are the store's unread marks.
	stored bool
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
	sel := l.selection()
	l.feed = f
	prev := l.info
	l.info = make(map[*feed.Revision]*revInfo, len(f.Revisions))
	for _, r := range f.Revisions {
		if ri := prev[r]; ri != nil {
			// The same revision (a live list keeps them): known already.
			l.info[r] = ri
			continue
		}
		page, user := oneLine(r.Page), oneLine(r.User)
		size := 0
		if r.HasSizeChange {
			size = len(sizeText(r))
		}
		l.info[r] = &revInfo{
			hay:  strings.ToLower(page + "\n" + user + "\n" + oneLine(r.Comment)),
			page: displaywidth.String(page), user: displaywidth.String(user), size: size,
			comment: displaywidth.String(commentText(r)),
		}
	}
	l.rebuild(sel)
}

// selection is what a rebuild looks for to keep the cursor in place.
type selection struct {
	key string         // the row's key (keyAt)
	rev *feed.Revision // the revision the row stands for
}

// selection names the selected row so a rebuild can find it again.
func (l *listModel) selection() selection {
	it, ok := l.selected()
	if !ok {
		return selection{}
	}
	return selection{key: l.keyAt(l.cursor), rev: it.revision()}
}

// rebuild recomputes the rows from the feed, the grouping and the filter,
// and puts the cursor back on the row sel names; failing that, on the row
// of the revision it stood for, or the page row holding that revision;
// failing that, on the first row.
func (l *listModel) rebuild(sel selection) {
	l.items = l.items[:0]
	var oldest, newest time.Time
	cols := columns{}
	use := func(r *feed.Revision) {
		in := l.info[r]
		if in == nil {
			in = &revInfo{}
		}
		cols.page, cols.user, cols.size = max(cols.page, in.page), max(cols.user, in.user), max(cols.size, in.size)
		cols.comment = max(cols.comment, in.comment)
		if oldest.IsZero() || r.Time.Before(oldest) {
			oldest = r.Time
		}
		if r.Time.After(newest) {
			newest = r.Time
		}
	}
	if l.feed != nil {
		q := strings.ToLower(strings.TrimSpace(l.filter))
		if l.grouped {
			for _, p := range l.feed.Pages {
				pageHit := q == "" || strings.Contains(strings.ToLower(p.Title), q)
				start := len(l.items)
				l.items = append(l.items, item{page: p})
				for i := len(p.Revisions) - 1; i >= 0; i-- {
					r := p.Revisions[i]
					if (pageHit || l.matches(r, q)) && l.wanted(r) {
						l.items = append(l.items, item{rev: r})
						use(r)
					}
				}
				n := len(l.items) - start - 1
				if n == 0 {
					l.items = l.items[:start]
					continue
				}
				l.items[start].shown, l.items[start].newest = n, l.items[start+1].rev
			}
		} else {
			for _, r := range l.feed.Revisions {
				if l.matches(r, q) && l.wanted(r) {
					l.items = append(l.items, item{rev: r})
					use(r)
				}
			}
		}
	}
	now := l.sh.now()
	cols.time = max(3, displaywidth.String(relTime(oldest, now)), displaywidth.String(relTime(newest, now)))
	l.cols = cols
	l.cursor = l.find(sel)
	l.settle(1)
	l.clamp()
}

// find returns the row sel names, as rebuild describes; 0 if none.
func (l *listModel) find(sel selection) int {
	if sel.key == "" && sel.rev == nil {
		return 0
	}
	for i := range l.items {
		if l.keyAt(i) == sel.key {
			return i
		}
	}
	if sel.rev == nil {
		return 0
	}
	for i, it := range l.items {
		if it.rev == sel.rev {
			return i
		}
	}
	for i, it := range l.items {
		if it.page != nil && it.page.Title == sel.rev.Page {
			return i
		}
	}
	return 0
}

func (l *listModel) keyAt(i int) string {
	it := l.items[i]
	if it.rev != nil {
		return "r:" + revKey(it.rev)
	}
	return "p:" + it.page.Title
}

// wanted reports whether r passes the unread-only view.
func (l *listModel) wanted(r *feed.Revision) bool {
	return !l.unreadOnly || l.isNew[revKey(r)]
}

// matches reports whether a revision's page, user or comment holds q
// (already lower case); "" matches all.
func (l *listModel) matches(r *feed.Revision, q string) bool {
	if q == "" {
		return true
	}
	if in := l.info[r]; in != nil {
		return strings.Contains(in.hay, q)
	}
	return matches(r, q)
}

// matches reports whether a revision's page, user or comment holds q
// (already lower case); "" matches all.
func matches(r *feed.Revision, q string) bool {
	if q == "" {
		return true
	}
	for _, s := range []string{r.Page, r.User, r.Comment} {
		if strings.Contains(strings.ToLower(oneLine(s)), q) {
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

// move moves the cursor by n rows (revision rows only when page rows are
// skipped: j then goes from revision to revision).
func (l *listModel) move(n int) {
	if !l.skipping() || n == 0 {
		l.cursor += n
		l.settle(sign(n))
		l.clamp()
		return
	}
	dir := sign(n)
	i := l.cursor
	for left := abs(n); left > 0; {
		j := i + dir
		for j >= 0 && j < len(l.items) && l.items[j].rev == nil {
			j += dir
		}
		if j < 0 || j >= len(l.items) {
			break
		}
		i = j
		left--
	}
	l.cursor = i
	l.clamp()
}

// moveTo puts the cursor on row i (or the nearest revision row after it
// when page rows are skipped).
func (l *listModel) moveTo(i int) {
	l.cursor = i
	dir := 1
	if i >= len(l.items)-1 {
		dir = -1
	}
	l.settle(dir)
	l.clamp()
}

// skipping reports whether page rows are skipped.
func (l *listModel) skipping() bool { return l.skipHeaders && l.grouped }

// settle moves the cursor off a page row when those are skipped: to the
// next revision row in direction dir, else the other way.
func (l *listModel) settle(dir int) {
	if !l.skipping() || len(l.items) == 0 {
		return
	}
	l.cursor = min(max(l.cursor, 0), len(l.items)-1)
	if dir == 0 {
		dir = 1
	}
	for _, d := range []int{dir, -dir} {
		for i := l.cursor; i >= 0 && i < len(l.items); i += d {
			if l.items[i].rev != nil {
				l.cursor = i
				return
			}
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func abs(n int) int { return max(n, -n) }

// clamp keeps the cursor on a row and the row on screen. With page rows
// skipped, a page's row stays on screen above its first revision.
func (l *listModel) clamp() {
	l.cursor = min(max(l.cursor, 0), max(len(l.items)-1, 0))
	h := max(l.height, 1)
	top := l.cursor
	if l.skipping() && top > 0 && l.items[top-1].rev == nil && h > 1 {
		top--
	}
	if top < l.offset {
		l.offset = top
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

// newWord is what a new dot means: "unread" with the store, else "new".
func (l *listModel) newWord() string {
	if l.stored {
		return "unread"
	}
	return "new"
}

// view draws the visible rows, width cells wide; focused says whether the
// list has the focus (the selection is drawn brighter).
func (l *listModel) view(width int, focused bool) string {
	st := l.sh.st
	if len(l.items) == 0 {
		msg := "No entries."
		switch {
		case l.filter != "":
			msg = "Nothing matches the filter “" + oneLine(l.filter) + "”. Press esc to clear it."
		case l.unreadOnly:
			msg = "No unread entries. Press " + l.sh.keys.UnreadOnly.Help().Key + " to show them all."
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

// pad cuts plain text s to w cells (with an ellipsis) and pads it to w;
// right aligns it.
func pad(s string, w int, right bool) string {
	if displaywidth.String(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	gap := strings.Repeat(" ", max(w-displaywidth.String(s), 0))
	if right {
		return gap + s
	}
	return s + gap
}

// row draws one row, cut to width cells. The time, page, user and size
// columns line up over the rows shown, measured in cells (wide CJK
// characters and emoji are two).
func (l *listModel) row(it item, width int) string {
	st := l.sh.st
	if it.page != nil {
		return l.pageRow(it, width)
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
	c := l.cols
	pageW, userW := l.widths(width - 1 - len(indent))
	parts := []string{st.faint.Render(pad(relTime(r.Time, l.sh.now()), c.time, true))}
	if !l.grouped {
		parts = append(parts, st.page.Render(pad(oneLine(r.Page), pageW, false)))
	}
	if userW > 0 {
		parts = append(parts, st.accent.Render(pad(oneLine(r.User), userW, false)))
	}
	if c.size > 0 {
		parts = append(parts, sizeChange(r, st, c.size))
	}
	if l.gone[revKey(r)] {
		parts = append(parts, st.faint.Render("(gone)"))
	}
	if comment := commentText(r); comment != "" {
		parts = append(parts, st.text.Render(comment))
	}
	return ansi.Truncate(mark+indent+strings.Join(parts, " "), width, "…")
}

// pageRow draws a page's row: its title, then how many revisions it has,
// how many of them the filter shows and how many are unread, in a shorter
// form when the whole one does not fit beside the title.
func (l *listModel) pageRow(it item, width int) string {
	st := l.sh.st
	n, unread := len(it.page.Revisions), 0
	for _, r := range it.page.Revisions {
		if l.isNew[revKey(r)] {
			unread++
		}
	}
	revs := plural(n, "revision", "revisions")
	var count, short string
	switch {
	case it.shown < n && unread > 0:
		count = fmt.Sprintf(" (%d of %d %s, %d %s)", it.shown, n, revs, unread, l.newWord())
		short = fmt.Sprintf(" (%d/%d, %d %s)", it.shown, n, unread, l.newWord())
	case it.shown < n:
		count = fmt.Sprintf(" (%d of %d %s)", it.shown, n, revs)
		short = fmt.Sprintf(" (%d/%d)", it.shown, n)
	case unread == n:
		count = fmt.Sprintf(" (%d %s)", n, l.newWord())
		short = count
	case unread > 0:
		count = fmt.Sprintf(" (%d of %d %s)", unread, n, l.newWord())
		short = fmt.Sprintf(" (%d/%d %s)", unread, n, l.newWord())
	default:
		count = fmt.Sprintf(" (%d %s)", n, revs)
		short = fmt.Sprintf(" (%d)", n)
	}
	title := oneLine(it.page.Title)
	if room := width - 1 - displaywidth.String(title); displaywidth.String(count) > room && displaywidth.String(short) <= room {
		count = short
	}
	mark := " "
	if unread > 0 {
		mark = st.newMark.Render("●")
	}
	return ansi.Truncate(mark+st.page.Render(title)+st.faint.Render(count), width, "…")
}

// widths shares out the page and user columns of a revision row whose
// columns take w cells after the mark and indent: every column whole when
// they fit; else the user column at most a fifth of what the time and size
// leave, the comment at least two fifths (the patroller reads it most),
// and the page column the rest.
func (l *listModel) widths(w int) (page, user int) {
	c := l.cols
	rem := w - c.time - 1
	if c.size > 0 {
		rem -= c.size + 1
	}
	page = c.page + 1
	if l.grouped {
		page = 0
	}
	if page+c.user+1+c.comment <= rem {
		return max(page-1, 0), c.user
	}
	user = min(c.user, max(6, rem/5))
	comment := min(c.comment, max(8, rem*2/5))
	if l.grouped {
		return 0, user
	}
	return min(c.page, max(8, rem-user-2-comment)), user
}

// commentText is a revision's comment on one line, after what kind of
// entry it is.
func commentText(r *feed.Revision) string {
	comment := oneLine(r.Comment)
	switch {
	case r.Log:
		comment = "(log) " + comment
	case r.NewPage:
		comment = "(new) " + comment
	}
	return comment
}

// sizeText is a revision's size change as text: "+12", "-3", "0".
func sizeText(r *feed.Revision) string {
	if r.SizeChange > 0 {
		return fmt.Sprintf("+%d", r.SizeChange)
	}
	return strconv.Itoa(r.SizeChange)
}

// sizeChange draws a revision's size change right-aligned in w cells,
// coloured by sign; blank when the feed does not give it.
func sizeChange(r *feed.Revision, st styles, w int) string {
	if !r.HasSizeChange {
		return strings.Repeat(" ", w)
	}
	s := pad(sizeText(r), w, true)
	switch {
	case r.SizeChange > 0:
		return st.added.Render(s)
	case r.SizeChange < 0:
		return st.removed.Render(s)
	}
	return st.faint.Render(s)
}

// relTime says when t was, in a few cells: "now", "5m", "3h" within a
// day, else the date and time ("Oct 22 14:05", with the year when it is
// not this one's: "2007-10-22 14:05"), in UTC.
func relTime(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		// A clock ahead of ours: say when, not how long ago.
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	}
	if t.UTC().Year() == now.UTC().Year() {
		return t.UTC().Format("Jan _2 15:04")
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// age says how long ago t was in at most 10 cells, for the header: "now",
// "5m", "3h", "2d", then the date ("Oct 22", "2007-10-22").
func age(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
	case d < 24*time.Hour:
		return relTime(t, now)
	case d < 31*24*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	if t.UTC().Year() == now.UTC().Year() {
		return t.UTC().Format("Jan 2")
	}
	return t.UTC().Format("2006-01-02")
}

// oneLine makes untrusted feed text safe for one line of the terminal.
var oneLine = render.OneLine
