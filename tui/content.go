package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
)

// mode is what the content pane shows of a revision.
type mode int

// The content modes, in tab order.
const (
	modeRendered mode = iota
	modeDiff
	modeSource
)

func (m mode) String() string {
	switch m {
	case modeDiff:
		return "diff"
	case modeSource:
		return "source"
	default: // modeRendered
		return "rendered"
	}
}

// contentKey is what a content result was made for; a result whose key is
// not the one wanted any more is stale.
type contentKey struct {
	rev   string // revKey of the revision
	mode  mode
	width int
	style string
	// wiki is set for the wiki's own rendering (W), in rendered mode.
	wiki bool
}

// contentResult is a rendered revision, diff or source.
type contentResult struct {
	text string
	// changes are the lines of each change, in diff mode.
	changes []lineRange
	err     error
	// wikiHTML is the wiki's rendering shown (W), for the model to keep;
	// note says where the rendering came from, and fellBack that the
	// wiki's could not be had (then the result is not cached: W asks
	// again).
	wikiHTML *app.WikiHTML
	note     string
	fellBack bool
}

// size is the result's weight in the cache, in bytes.
func (r contentResult) size() int { return len(r.text) + 16*len(r.changes) + 64 }

// contentModel is the content pane: a tab line and a viewport.
type contentModel struct {
	sh *shared
	vp viewport.Model
	// rev is the revision shown (or being prepared), mode how.
	rev  *feed.Revision
	mode mode
	// wiki is W: the rendered view shows the wiki's own rendering.
	wiki bool
	// shown is the key of the text in the viewport; want the key asked
	// for. They differ while a render runs (the old text stays meanwhile).
	shown, want contentKey
	loading     bool
	err         error
	changes     []lineRange
	change      int // index into changes; -1 before the first n
	// plain holds the viewport's lines without styling, made on the first
	// search.
	plain   []string
	lower   []string // plain in lower case, to find the lines with a match
	query   string
	matches []match // every occurrence of query, in text order
	match   int     // index into matches; -1 none
	// mark is the range of lines the gutter highlights.
	mark lineRange
	// none is what the pane says when it has no revision to show ("" for
	// the default hint).
	none string
	// pendingJump is an n (1) or N (-1) pressed while the diff asked for
	// was still being made; it is carried out when the diff arrives.
	pendingJump int
}

func newContentModel(sh *shared) contentModel {
	c := contentModel{sh: sh, vp: viewport.New(), change: -1, match: -1}
	c.vp.MouseWheelDelta = wheelLines
	return c
}

// gutter draws the one-cell column that highlights the current change or
// match.
func (c *contentModel) gutter(g viewport.GutterContext) string {
	if !g.Soft && g.Index >= c.mark.start && g.Index < c.mark.end {
		return c.sh.st.gutter.Render("▌")
	}
	return " "
}

// setSize sizes the pane (tab line included).
func (c *contentModel) setSize(w, h int) {
	c.vp.SetWidth(max(w, 1))
	c.vp.SetHeight(max(h-1, 1))
}

// textWidth is the width content is rendered at (the gutter takes one cell).
func (c *contentModel) textWidth() int { return max(c.vp.Width()-1, 1) }

// apply shows a result. The scroll position is kept when only the width
// or style changed, else it goes back to the top.
func (c *contentModel) apply(k contentKey, r contentResult) {
	sameDoc := k.rev == c.shown.rev && k.mode == c.shown.mode
	// The whole text replacing its first screen keeps the line; a new
	// width keeps the same fraction of the text.
	y, ratio := c.vp.YOffset(), 0.0
	if sameDoc && k != c.shown && c.vp.TotalLineCount() > 0 {
		ratio = float64(y) / float64(c.vp.TotalLineCount())
	}
	sameKey := k == c.shown
	c.shown = k
	c.loading = false
	c.err = r.err
	text := r.text
	if r.err != nil {
		text = c.sh.st.errorText.Render("Could not show this revision:") + "\n" + ansi.Wrap(oneLine(r.err.Error()), c.textWidth(), "")
	}
	c.vp.SetContent(text)
	wasChange := c.change
	c.changes = r.changes
	c.plain, c.lower = nil, nil
	c.change, c.mark = -1, lineRange{}
	if sameDoc && wasChange >= 0 && wasChange < len(c.changes) {
		c.change, c.mark = wasChange, c.changes[wasChange]
	}
	switch {
	case sameKey:
		c.vp.SetYOffset(y)
	case sameDoc:
		c.vp.SetYOffset(int(ratio * float64(c.vp.TotalLineCount())))
	default:
		c.vp.SetYOffset(0)
	}
	if jump := c.pendingJump; jump != 0 && k == c.want {
		c.pendingJump = 0
		if k.mode == modeDiff && c.query == "" {
			c.nextChange(jump)
		}
	}
	if c.query != "" {
		// The same search over the new text; the current match stays the
		// current one when the text is the same document re-wrapped.
		was := c.match
		c.search(c.query, false)
		if sameDoc && was >= 0 && was < len(c.matches) {
			c.match = was
			l := c.matches[was].line
			c.mark = lineRange{l, l + 1}
		}
	}
}

// jump is n (delta 1) or N (-1): the next or previous search match when
// searching, else the next or previous change of the diff shown. Pressed
// while a diff is still being made, it waits for the diff.
func (c *contentModel) jump(delta int) {
	switch {
	case c.query != "":
		c.nextMatch(delta)
	case c.shown == c.want && c.shown.mode == modeDiff:
		c.nextChange(delta)
	case c.want.mode == modeDiff:
		c.pendingJump = delta
	}
}

// onScreen reports whether content line l is in the viewport.
func (c *contentModel) onScreen(l int) bool {
	top := c.vp.YOffset()
	return l >= top && l < top+c.vp.Height()
}

// nextChange moves to the next (delta 1) or previous (-1) change and
// scrolls it into view. The eye decides where "next" starts: from the
// current change while it is on screen, else from the top of the screen
// (n: the first change at or below it; N: the last one above it), so
// that scrolling away and pressing n never jumps back.
func (c *contentModel) nextChange(delta int) {
	if len(c.changes) == 0 {
		return
	}
	starts := make([]int, len(c.changes))
	for i, ch := range c.changes {
		starts[i] = ch.start
	}
	cur := -1
	if c.change >= 0 && c.change < len(c.changes) && c.onScreen(c.changes[c.change].start) {
		cur = c.change
	}
	i := step(starts, cur, c.vp.YOffset(), delta)
	if i < 0 {
		// Nothing further that way: stay, but bring the last or first
		// change into view.
		i = 0
		if delta > 0 {
			i = len(c.changes) - 1
		}
	}
	c.change = i
	ch := c.changes[i]
	c.mark = ch
	c.vp.SetYOffset(ch.start - changeMargin)
}

// step picks the next (delta 1) or previous (-1) of the sorted lines:
// from index cur when it is >= 0, else from the top line of the screen
// (next: the first at or below top; previous: the last above it). It
// returns -1 when there is none.
func step(lines []int, cur, top, delta int) int {
	if cur >= 0 {
		if i := cur + delta; i >= 0 && i < len(lines) {
			return i
		}
		return -1
	}
	if delta > 0 {
		for i, l := range lines {
			if l >= top {
				return i
			}
		}
		return -1
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] < top {
			return i
		}
	}
	return -1
}

// match is one occurrence of the search query: a content line and the
// cells [start, end) it covers there.
type match struct{ line, start, end int }

// search finds every occurrence of q (case-insensitively) and, when jump
// is set, moves to the first at or below the top of the screen.
func (c *contentModel) search(q string, jump bool) {
	c.query = q
	c.matches, c.match = c.matches[:0], -1
	c.mark = lineRange{}
	if q == "" {
		return
	}
	if c.plain == nil {
		text := ansi.Strip(c.vp.GetContent())
		c.plain = strings.Split(text, "\n")
		c.lower = strings.Split(strings.ToLower(text), "\n")
	}
	lq := strings.ToLower(q)
	for i, l := range c.lower {
		if strings.Contains(l, lq) {
			c.matches = findFold(c.matches, i, c.plain[i], lq)
		}
	}
	if jump && len(c.matches) > 0 {
		c.match = c.firstMatchFrom(c.vp.YOffset(), 1)
		if c.match < 0 {
			c.match = 0
		}
		c.showMatch()
	}
}

// findFold appends the occurrences of lq (lower case) in line number n,
// compared case-insensitively, as cell ranges.
func findFold(out []match, n int, line, lq string) []match {
	lower := strings.ToLower(line)
	if !strings.Contains(lower, lq) {
		return out
	}
	// Lower-casing can change a rune's length (İ), so the offsets are
	// mapped back rune by rune.
	var b strings.Builder
	orig := make([]int, 0, len(line)+1) // byte in lower -> byte in line
	for i, r := range line {
		l := strings.ToLower(string(r))
		for range len(l) {
			orig = append(orig, i)
		}
		b.WriteString(l)
	}
	orig = append(orig, len(line))
	lower = b.String()
	for from := 0; from <= len(lower)-len(lq); {
		j := strings.Index(lower[from:], lq)
		if j < 0 {
			break
		}
		s, e := orig[from+j], orig[from+j+len(lq)]
		start := ansi.StringWidth(line[:s])
		end := start + ansi.StringWidth(line[s:e])
		if end > start {
			out = append(out, match{line: n, start: start, end: end})
		}
		from += j + max(len(lq), 1)
	}
	return out
}

// firstMatchFrom is the index of the first match on or below line top
// (delta 1) or the last one above it (-1); -1 if none.
func (c *contentModel) firstMatchFrom(top, delta int) int {
	lines := make([]int, len(c.matches))
	for i, m := range c.matches {
		lines[i] = m.line
	}
	return step(lines, -1, top, delta)
}

// nextMatch moves between matches, wrapping around at either end: from
// the current match while it is on screen, else from the top of the
// screen.
func (c *contentModel) nextMatch(delta int) {
	n := len(c.matches)
	if n == 0 {
		return
	}
	if c.match >= 0 && c.match < n && c.onScreen(c.matches[c.match].line) {
		c.match = ((c.match+delta)%n + n) % n
	} else if i := c.firstMatchFrom(c.vp.YOffset(), delta); i >= 0 {
		c.match = i
	} else if delta > 0 {
		c.match = 0
	} else {
		c.match = n - 1
	}
	c.showMatch()
}

func (c *contentModel) showMatch() {
	l := c.matches[c.match].line
	c.mark = lineRange{l, l + 1}
	if !c.onScreen(l) {
		c.vp.SetYOffset(l - changeMargin)
	}
}

// highlight paints the matches on the viewport's visible lines (which
// start with the one-cell gutter), the current one distinct.
func (c *contentModel) highlight(body string) string {
	if c.query == "" || len(c.matches) == 0 {
		return body
	}
	top := c.vp.YOffset()
	first := sort.Search(len(c.matches), func(i int) bool { return c.matches[i].line >= top })
	if first == len(c.matches) || c.matches[first].line >= top+c.vp.Height() {
		return body
	}
	lines := strings.Split(body, "\n")
	st := c.sh.st
	for i := first; i < len(c.matches) && c.matches[i].line < top+len(lines); {
		ln := c.matches[i].line
		var ranges []lipgloss.Range
		for ; i < len(c.matches) && c.matches[i].line == ln; i++ {
			m := c.matches[i]
			style := st.match
			if i == c.match {
				style = st.matchCurrent
			}
			ranges = append(ranges, lipgloss.NewRange(m.start+1, m.end+1, style))
		}
		lines[ln-top] = lipgloss.StyleRanges(lines[ln-top], ranges...)
	}
	return strings.Join(lines, "\n")
}

// clearSearch ends a search.
func (c *contentModel) clearSearch() {
	c.query, c.matches, c.match, c.mark = "", nil, -1, lineRange{}
}

// position describes where the pane is, for the status bar.
func (c *contentModel) position() string {
	var parts []string
	switch {
	case c.query != "" && len(c.matches) == 0:
		parts = append(parts, fmt.Sprintf("no match for “%s”", oneLine(c.query)))
	case c.query != "" && c.match < 0:
		parts = append(parts, fmt.Sprintf("%d matches", len(c.matches)))
	case c.query != "":
		parts = append(parts, fmt.Sprintf("match %d of %d", c.match+1, len(c.matches)))
	case c.shown.mode == modeDiff && len(c.changes) > 0 && c.change >= 0:
		parts = append(parts, fmt.Sprintf("change %d of %d", c.change+1, len(c.changes)))
	case c.shown.mode == modeDiff && len(c.changes) > 0:
		n := len(c.changes)
		parts = append(parts, fmt.Sprintf("%d %s", n, plural(n, "change", "changes")))
	}
	total := c.vp.TotalLineCount()
	if total > 0 {
		bottom := min(c.vp.YOffset()+c.vp.Height(), total)
		parts = append(parts, fmt.Sprintf("line %d/%d", bottom, total))
	}
	return strings.Join(parts, " · ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tabs draws the tab line: the three modes, the current one marked, then
// what the revision is.
func (c *contentModel) tabs(width int, spinner string) string {
	st := c.sh.st
	var b strings.Builder
	for i, md := range []mode{modeRendered, modeDiff, modeSource} {
		if i > 0 {
			b.WriteString(st.faint.Render(" │ "))
		}
		label := md.String()
		if md == modeRendered && c.wiki {
			label = "rendered by the wiki"
		}
		if md == c.mode {
			b.WriteString(st.tabActive.Render(label))
		} else {
			b.WriteString(st.tab.Render(label))
		}
	}
	if c.rev != nil {
		b.WriteString(st.faint.Render("  "))
		b.WriteString(st.page.Render(oneLine(c.rev.Page)))
		if c.rev.ID != 0 {
			b.WriteString(st.faint.Render(fmt.Sprintf(" #%d", c.rev.ID)))
		}
		if u := oneLine(c.rev.User); u != "" {
			b.WriteString(st.faint.Render(" by ") + st.accent.Render(u))
		}
	}
	if c.loading {
		b.WriteString(" " + spinner)
	}
	return ansi.Truncate(" "+b.String(), width, "…")
}

// view draws the pane, width×height cells, tab line included.
func (c *contentModel) view(width, _ int, spinner string) string {
	if c.rev == nil {
		if c.none != "" {
			return c.sh.st.faint.Render(" " + c.none)
		}
		return c.sh.st.faint.Render(" Select a revision and press enter.")
	}
	body := c.highlight(c.vp.View())
	if c.shown.rev == "" && c.loading {
		body = " " + spinner + c.sh.st.faint.Render(" rendering…")
	}
	return c.tabs(width, spinner) + "\n" + body
}
