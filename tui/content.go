package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
	"github.com/charmbracelet/x/ansi"
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
	}
	return "rendered"
}

// contentKey is what a content result was made for; a result whose key is
// not the one wanted any more is stale.
type contentKey struct {
	rev   string // revKey of the revision
	mode  mode
	width int
	style string
}

// contentResult is a rendered revision, diff or source.
type contentResult struct {
	text string
	// changes are the lines of each change, in diff mode.
	changes []lineRange
	err     error
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
	query   string
	matches []int // lines holding query
	match   int   // index into matches; -1 none
	// mark is the range of lines the gutter highlights.
	mark lineRange
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
	c.plain = nil
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
			l := c.matches[was]
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

// nextChange moves to the next (delta 1) or previous (-1) change and
// scrolls it into view.
func (c *contentModel) nextChange(delta int) {
	if len(c.changes) == 0 {
		return
	}
	if c.change < 0 {
		// The first n goes to the first change on or below the top of the
		// screen, the first N to the last one above it.
		top := c.vp.YOffset()
		c.change = 0
		if delta < 0 {
			c.change = 0
			for i, ch := range c.changes {
				if ch.start < top {
					c.change = i
				}
			}
		} else {
			c.change = len(c.changes) - 1
			for i, ch := range c.changes {
				if ch.start >= top {
					c.change = i
					break
				}
			}
		}
	} else {
		c.change = min(max(c.change+delta, 0), len(c.changes)-1)
	}
	ch := c.changes[c.change]
	c.mark = ch
	c.vp.SetYOffset(ch.start - changeMargin)
}

// search finds the lines holding q (case-insensitively) and, when jump is
// set, moves to the first at or below the top of the screen.
func (c *contentModel) search(q string, jump bool) {
	c.query = q
	c.matches, c.match = c.matches[:0], -1
	c.mark = lineRange{}
	if q == "" {
		return
	}
	if c.plain == nil {
		content := c.vp.GetContent()
		c.plain = strings.Split(strings.ToLower(ansi.Strip(content)), "\n")
	}
	lq := strings.ToLower(q)
	for i, l := range c.plain {
		if strings.Contains(l, lq) {
			c.matches = append(c.matches, i)
		}
	}
	if jump && len(c.matches) > 0 {
		c.match = 0
		for i, l := range c.matches {
			if l >= c.vp.YOffset() {
				c.match = i
				break
			}
		}
		c.showMatch()
	}
}

// nextMatch moves between matches, wrapping around.
func (c *contentModel) nextMatch(delta int) {
	if len(c.matches) == 0 {
		return
	}
	c.match = ((c.match+delta)%len(c.matches) + len(c.matches)) % len(c.matches)
	c.showMatch()
}

func (c *contentModel) showMatch() {
	l := c.matches[c.match]
	c.mark = lineRange{l, l + 1}
	if l < c.vp.YOffset() || l >= c.vp.YOffset()+c.vp.Height() {
		c.vp.SetYOffset(l - changeMargin)
	}
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
func (c *contentModel) view(width, height int, spinner string) string {
	if c.rev == nil {
		return c.sh.st.faint.Render(" Select a revision and press enter.")
	}
	body := c.vp.View()
	if c.shown.rev == "" && c.loading {
		body = " " + spinner + c.sh.st.faint.Render(" rendering…")
	}
	return c.tabs(width, spinner) + "\n" + body
}
