package render

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/diff"
)

// DiffMode is a layout for a diff.
type DiffMode int

// The diff layouts.
const (
	// DiffInline shows one column: each line once, its deleted words struck
	// out and its added words highlighted.
	DiffInline DiffMode = iota
	// DiffUnified shows a changed line twice, as a "-" old and a "+" new
	// line, each with its words highlighted.
	DiffUnified
	// DiffSideBySide shows the old text on the left and the new on the
	// right; it needs SideBySideMinWidth columns and falls back to
	// DiffInline when narrower.
	DiffSideBySide
)

// Diff layout tunables.
const (
	// SideBySideMinWidth is the narrowest width (cells) for DiffSideBySide.
	SideBySideMinWidth = 120
	// minDiffTextWidth is the narrowest text column (cells) a wrapped
	// line gets, however wide its gutter.
	minDiffTextWidth = 10
	// tabWidth is how many spaces (cells) a tab in the text becomes.
	tabWidth = 4
)

// DiffOptions say how to render a diff.
type DiffOptions struct {
	// Options give the width (0: no wrapping), the style and the format:
	// ANSI for styled text, Plain for git's "--word-diff=plain" markers
	// ([-old-]{+new+}) and no escape codes.
	Options
	// Mode is the layout.
	Mode DiffMode
	// Unified writes a standard unified diff (---, +++ and @@ headers, no
	// word marks, no wrapping, no escape codes) that patch(1) applies; it
	// overrides Mode and Format.
	Unified bool
	// OldName and NewName name the two texts in the unified diff's ---
	// and +++ lines.
	OldName, NewName string
	// OldText and NewText are the texts the diff was computed from. The
	// unified diff needs them to mark a last line that has no line break
	// ("\ No newline at end of file") when the hunks do not show it; a
	// diff without them (a MediaWiki table) gets no such marks.
	OldText, NewText string
	// Notes are shown above the diff, such as MediaWiki's "(3 intermediate
	// revisions not shown)".
	Notes []string
	// HunkTitles, when not empty, hold a title per hunk (Wikidata's
	// "description / es"); "" for none.
	HunkTitles []string
	// NoLineNumbers hides line numbers, for diffs whose numbers are only
	// counted (mwtable.Table.Numbered false).
	NoLineNumbers bool
	// Header, when not nil, says what the edit was, above the diff.
	Header *DiffHeader
}

// DiffHeader says what an edit was: the revisions compared, when and by
// whom they were made, the edit summary and the change in size. Zero
// fields are left out.
type DiffHeader struct {
	// OldID and NewID are the revisions compared (from → to).
	OldID, NewID int64
	// OldTime, NewTime, OldUser and NewUser are when and by whom each
	// was made.
	OldTime, NewTime time.Time
	OldUser, NewUser string
	// Comment is the new revision's edit summary, an autocomment written
	// "/* Section */" as the wiki stores it; Section is the section it
	// names, if any.
	Comment, Section string
	// SizeChange is the new revision's size minus the old one's, in
	// bytes; valid when HasSizeChange.
	SizeChange    int
	HasSizeChange bool
}

// items returns the header's lines, each a list of parts that a narrow
// terminal may put on separate rows but never breaks inside.
func (h *DiffHeader) items() [][]string {
	var out [][]string
	// "Revision 20 → 30", as MediaWiki's "Revision as of …" pair.
	first := []string{"Revision"}
	switch {
	case h.OldID > 0 && h.NewID > 0:
		first[0] = fmt.Sprintf("Revision %d → %d", h.OldID, h.NewID)
	case h.NewID > 0:
		first[0] = fmt.Sprintf("Revision %d", h.NewID)
	}
	if h.HasSizeChange {
		first = append(first, fmt.Sprintf("%+d bytes", h.SizeChange))
	}
	out = append(out, first)
	side := func(label string, t time.Time, user string) string {
		s := label
		if !t.IsZero() {
			s += " " + t.UTC().Format("2006-01-02 15:04")
		}
		if user != "" {
			s += " by " + clean(OneLine(user))
		}
		if s == label {
			return ""
		}
		return s
	}
	var when []string
	if s := side("from", h.OldTime, h.OldUser); s != "" {
		when = append(when, s)
	}
	if s := side("to", h.NewTime, h.NewUser); s != "" {
		when = append(when, s)
	}
	if len(when) > 0 {
		out = append(out, when)
	}
	summary := strings.TrimSpace(clean(OneLine(h.Comment)))
	if h.Section != "" {
		// MediaWiki shows the autocomment as "→ Section" before the rest.
		sec := strings.TrimSpace(clean(OneLine(h.Section)))
		rest := summary
		if i := strings.Index(rest, "/*"); i >= 0 {
			if j := strings.Index(rest[i:], "*/"); j >= 0 {
				rest = strings.TrimSpace(rest[:i] + rest[i+j+2:])
			}
		}
		summary = "→ " + sec
		if rest != "" {
			summary += ": " + rest
		}
	}
	if summary != "" {
		out = append(out, []string{"Summary: " + summary})
	}
	return out
}

// joinRows lays parts out in rows of at most width cells, sep between
// parts on a row; a part is only broken (by wrapPieces) when it is wider
// than a row on its own. width 0 puts everything on one row.
func joinRows(parts []string, sep string, width int) []string {
	var rows []string
	cur := ""
	for _, p := range parts {
		switch {
		case cur == "":
			cur = p
		case width <= 0 || cellWidth(cur+sep+p) <= width:
			cur += sep + p
		default:
			rows = append(rows, cur)
			cur = strings.TrimPrefix(p, "· ") // a row starts without a separator
		}
	}
	if cur != "" {
		rows = append(rows, cur)
	}
	if width <= 0 {
		return rows
	}
	var out []string
	for _, r := range rows {
		if cellWidth(r) <= width {
			out = append(out, r)
			continue
		}
		for _, row := range wrapPieces([]piece{{r, stText}}, width) {
			var sb strings.Builder
			for _, p := range row {
				sb.WriteString(p.text)
			}
			out = append(out, sb.String())
		}
	}
	return out
}

// NoDifference is what a diff with no change shows, as MediaWiki words it.
const NoDifference = "(No difference)"

// RenderedDiff is a rendered diff.
type RenderedDiff struct {
	// Text is the rendered diff; every line ends with "\n".
	Text string
	// ChangeLines are the 0-based indexes of the lines of Text where each
	// run of changed lines starts, in order, for "next change" keys.
	ChangeLines []int
}

// Diff renders a diff result in the inline layout; see DiffWith.
func Diff(res *diff.Result, opts Options) (string, error) {
	out, err := DiffWith(res, DiffOptions{Options: opts})
	return out.Text, err
}

// DiffWith renders a diff result. A nil result renders as "(No
// difference)". Text from the diff passes through Sanitize, so no control
// character of the input reaches the output.
func DiffWith(res *diff.Result, opts DiffOptions) (RenderedDiff, error) {
	if opts.Width < 0 {
		return RenderedDiff{}, fmt.Errorf("render diff: negative width %d", opts.Width)
	}
	if opts.Unified {
		return unifiedPatch(res, opts), nil
	}
	if opts.Mode == DiffSideBySide && opts.Width < SideBySideMinWidth {
		opts.Mode = DiffInline
	}
	d := newDiffWriter(opts)
	d.render(res)
	return RenderedDiff{Text: d.sb.String(), ChangeLines: d.changes}, nil
}

// Style roles of the pieces of a rendered diff.
const (
	stText = iota
	stFaint
	stAdded       // an added line
	stRemoved     // a deleted line, struck out (inline)
	stRemovedSide // the old side of a line in the unified layout
	stAddedWord   // an added word in a changed line
	stRemovedWord // a deleted word in a changed line
	stMoved       // move marks and notes
	stTitle       // hunk headers
	nStyles
)

// piece is a run of text in one style.
type piece struct {
	text  string
	style int
}

// diffWriter renders one diff.
type diffWriter struct {
	opts  DiffOptions
	plain bool
	// pre and post are each style's escape codes around a piece.
	pre, post [nStyles]string
	sb        strings.Builder
	lines     int // lines written so far
	changes   []int
	// numWidth is the width of the line number column; 0 for none.
	numWidth int
	// moveTo and moveFrom give a move's new and old line numbers.
	moveTo, moveFrom map[int]int
}

func newDiffWriter(opts DiffOptions) *diffWriter {
	d := &diffWriter{opts: opts, plain: opts.Format != ANSI}
	if !d.plain {
		c := codesFor(opts.Style)
		d.pre, d.post = c.pre, c.post
	}
	return d
}

// styleCodes are the escape codes around a piece of each diff style.
type styleCodes struct{ pre, post [nStyles]string }

// diffCodes caches styleCodes by style name: building the lipgloss styles
// costs more than rendering a small diff.
var diffCodes sync.Map // style name -> *styleCodes

// codesFor returns the escape codes of the diff styles of a style name.
func codesFor(style string) *styleCodes {
	if c, ok := diffCodes.Load(style); ok {
		return c.(*styleCodes)
	}
	st := NewStyles(ThemeFor(style))
	styles := [nStyles]func(...string) string{
		stText:        st.Text.Render,
		stFaint:       st.Faint.Render,
		stAdded:       st.Added.Render,
		stRemoved:     st.Removed.Strikethrough(true).Render,
		stRemovedSide: st.Removed.Render,
		stAddedWord:   st.AddedWord.Render,
		stRemovedWord: st.RemovedWord.Render,
		stMoved:       st.Moved.Render,
		stTitle:       st.Faint.Bold(true).Render,
	}
	// Render a placeholder once per style and keep the codes around it:
	// far cheaper than styling every piece.
	c := &styleCodes{}
	for i, f := range styles {
		const mark = "X"
		s := f(mark)
		if k := strings.Index(s, mark); k >= 0 {
			c.pre[i], c.post[i] = s[:k], s[k+len(mark):]
		}
	}
	got, _ := diffCodes.LoadOrStore(style, c)
	return got.(*styleCodes)
}

// clean makes untrusted text safe and of known width: sanitised, tabs
// expanded, no line breaks.
func clean(s string) string {
	s = Sanitize(s)
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", strings.Repeat(" ", tabWidth), "\r", "", "\n", " ").Replace(s)
	}
	return s
}

// render writes the whole diff.
func (d *diffWriter) render(res *diff.Result) {
	if h := d.opts.Header; h != nil {
		for _, parts := range h.items() {
			for _, row := range joinRows(parts, " · ", d.opts.Width) {
				d.line(d.styled(stText, row))
			}
		}
	}
	for _, n := range d.opts.Notes {
		d.wrapped("", "", []piece{{clean(n), stFaint}}, d.opts.Width)
	}
	if res == nil || len(res.Hunks) == 0 {
		d.line(d.styled(stFaint, NoDifference))
		return
	}
	if !d.plain {
		for _, row := range joinRows(statsParts(res.Stats), " ", d.opts.Width) {
			d.line(d.styled(stFaint, row))
		}
	}
	d.prepare(res)
	starts := map[diff.Change]bool{}
	for _, c := range res.Changes() {
		starts[c] = true
	}
	for hi, h := range res.Hunks {
		d.hunkHeader(hi, h)
		switch d.opts.Mode {
		case DiffUnified:
			d.unifiedHunk(hi, h, starts)
		case DiffSideBySide:
			for li, l := range h.Lines {
				if starts[diff.Change{Hunk: hi, Line: li}] {
					d.changes = append(d.changes, d.lines)
				}
				d.sideBySideLine(l)
			}
		default:
			for li, l := range h.Lines {
				if starts[diff.Change{Hunk: hi, Line: li}] {
					d.changes = append(d.changes, d.lines)
				}
				d.inlineLine(l)
			}
		}
	}
}

// statsParts returns the stats line in the parts a narrow terminal may put
// on separate rows: each count with its word, so that no value is split.
func statsParts(st diff.Stats) []string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s,", n, what))
		}
	}
	add(st.LinesChanged, "changed")
	add(st.LinesAdded, "added")
	add(st.LinesDeleted, "deleted")
	add(st.LinesMoved, "moved")
	if len(parts) == 0 {
		parts = []string{"no lines"}
	}
	parts[0] = "lines: " + parts[0]
	last := len(parts) - 1
	parts[last] = strings.TrimSuffix(parts[last], ",")
	return append(parts,
		fmt.Sprintf("· words: +%d −%d", st.WordsAdded, st.WordsDeleted),
		fmt.Sprintf("· bytes: +%d −%d", st.BytesAdded, st.BytesDeleted))
}

// prepare works out the line number column and where moves go.
func (d *diffWriter) prepare(res *diff.Result) {
	d.moveTo, d.moveFrom = map[int]int{}, map[int]int{}
	maxNo := 0
	for _, h := range res.Hunks {
		for _, l := range h.Lines {
			maxNo = max(maxNo, l.OldNo, l.NewNo)
			switch l.Kind {
			case diff.MovedFrom:
				d.moveFrom[l.Move] = l.OldNo
			case diff.MovedTo:
				d.moveTo[l.Move] = l.NewNo
			case diff.Context, diff.Added, diff.Deleted, diff.Changed:
				// Only moves are looked up by number.
			}
		}
	}
	if !d.opts.NoLineNumbers {
		d.numWidth = len(strconv.Itoa(maxNo))
	}
}

// hunkTitle returns the title of hunk hi, sanitised.
func (d *diffWriter) hunkTitle(hi int) string {
	if hi < len(d.opts.HunkTitles) {
		return clean(d.opts.HunkTitles[hi])
	}
	return ""
}

// hunkHeader writes the line above a hunk: "@@ -1,3 +1,4 @@ title" in
// plain text, a rule naming the line (or the title) in ANSI.
func (d *diffWriter) hunkHeader(hi int, h diff.Hunk) {
	title := d.hunkTitle(hi)
	if d.plain {
		s := fmt.Sprintf("@@ -%s +%s @@", hunkRange(h.OldStart, h.OldLines), hunkRange(h.NewStart, h.NewLines))
		if title != "" {
			s += " " + title
		}
		d.line(s)
		return
	}
	label := title
	if label == "" && !d.opts.NoLineNumbers {
		// MediaWiki's "Line N:" for each side, old then new.
		label = fmt.Sprintf("Line %d: ─ Line %d:", max(h.OldStart, 1), max(h.NewStart, 1))
	}
	s := "── " + label + " "
	if label == "" {
		s = "──"
	}
	width := d.opts.Width
	if width <= 0 {
		width = 40
	}
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat("─", width-w)
	} else {
		s = ansi.Truncate(s, width, "…")
	}
	d.line(d.styled(stTitle, s))
}

// hunkRange writes a unified diff range: "start,count", or "start" for
// a count of 1, as diff(1) does.
func hunkRange(start, count int) string {
	if count == 1 {
		return strconv.Itoa(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// styled wraps text in a style's codes.
func (d *diffWriter) styled(style int, text string) string {
	if text == "" {
		return ""
	}
	return d.pre[style] + text + d.post[style]
}

// line writes one output line.
func (d *diffWriter) line(s string) {
	d.sb.WriteString(s)
	d.sb.WriteByte('\n')
	d.lines++
}

// spanPieces turns a line's spans into pieces for one view of the line:
// side 0 both sides (inline), -1 the old side only, 1 the new side only.
// base is the style of unchanged text.
func (d *diffWriter) spanPieces(spans []diff.Span, side, base int) []piece {
	ps := make([]piece, 0, len(spans))
	for _, s := range spans {
		t := clean(s.Text)
		if t == "" {
			continue
		}
		switch s.Op {
		case diff.Equal:
			ps = append(ps, piece{t, base})
		case diff.Delete:
			if side > 0 {
				continue
			}
			if d.plain {
				t = "[-" + t + "-]"
			}
			ps = append(ps, piece{t, stRemovedWord})
		case diff.Insert:
			if side < 0 {
				continue
			}
			if d.plain {
				t = "{+" + t + "+}"
			}
			ps = append(ps, piece{t, stAddedWord})
		}
	}
	return ps
}

// wholeText returns the line's text (one side) as a single style.
func wholeText(l diff.Line, old bool, style int) []piece {
	t := l.NewText()
	if old {
		t = l.OldText()
	}
	t = clean(t)
	if t == "" {
		return nil
	}
	return []piece{{t, style}}
}

// number formats a line number for the gutter.
func (d *diffWriter) number(n int) string {
	if d.numWidth == 0 {
		return ""
	}
	if n == 0 {
		return strings.Repeat(" ", d.numWidth) + " "
	}
	num := strconv.Itoa(n)
	if pad := d.numWidth - len(num); pad > 0 {
		num = strings.Repeat(" ", pad) + num
	}
	return d.styled(stFaint, num) + " "
}

// inlineLine writes a line in the inline layout. Plain text follows git's
// --word-diff=plain: no gutter, whole deleted and added lines in [- -]
// and {+ +}, moved lines as a deletion and an addition.
func (d *diffWriter) inlineLine(l diff.Line) {
	var ps []piece
	var mark string
	switch l.Kind {
	case diff.Context:
		ps, mark = wholeText(l, false, stText), " "
	case diff.Changed:
		ps, mark = d.spanPieces(l.Spans, 0, stText), d.styled(stTitle, "~")
	case diff.Added:
		ps, mark = wholeText(l, false, stAdded), d.styled(stAdded, "+")
	case diff.Deleted:
		ps, mark = wholeText(l, true, stRemoved), d.styled(stRemovedSide, "-")
	case diff.MovedFrom:
		ps, mark = wholeText(l, true, stFaint), d.styled(stMoved, "<")
		if !d.plain {
			ps = append(ps, piece{fmt.Sprintf("  ⤷ moved to line %d", d.moveTo[l.Move]), stMoved})
		}
	case diff.MovedTo:
		ps, mark = d.spanPieces(l.Spans, 0, stText), d.styled(stMoved, ">")
		if !d.plain {
			ps = append(ps, piece{fmt.Sprintf("  ⤶ moved from line %d", d.moveFrom[l.Move]), stMoved})
		}
	}
	if d.plain {
		// Whole lines, empty ones too, so that every change shows. A
		// move says where the paragraph went and, where it arrived, what
		// changed in it on the way.
		switch l.Kind {
		case diff.Added:
			ps = []piece{{"{+" + clean(l.NewText()) + "+}", stText}}
		case diff.Deleted:
			ps = []piece{{"[-" + clean(l.OldText()) + "-]", stText}}
		case diff.MovedFrom:
			ps = []piece{{fmt.Sprintf("(moved to line %d:) [-%s-]", d.moveTo[l.Move], clean(l.OldText())), stText}}
		case diff.MovedTo:
			ps = append([]piece{{fmt.Sprintf("(moved from line %d:) ", d.moveFrom[l.Move]), stText}}, ps...)
		case diff.Context, diff.Changed:
			// The pieces above, as they are.
		}
		d.wrapped("", "", ps, d.opts.Width)
		return
	}
	// Old and new line numbers in two columns, as MediaWiki has a
	// "Line N:" for each side.
	gutter := d.number(l.OldNo) + d.number(l.NewNo) + mark + " "
	blank := strings.Repeat(" ", ansi.StringWidth(gutter))
	d.wrapped(gutter, blank, ps, d.opts.Width-len(blank))
}

// unifiedHunk writes a hunk in the unified layout: each run of changed
// lines as its old lines ("-") and then its new lines ("+").
func (d *diffWriter) unifiedHunk(hi int, h diff.Hunk, starts map[diff.Change]bool) {
	for li := 0; li < len(h.Lines); {
		l := h.Lines[li]
		if l.Kind == diff.Context {
			d.unifiedLine(" ", l.NewNo, wholeText(l, false, stText), -1)
			li++
			continue
		}
		if starts[diff.Change{Hunk: hi, Line: li}] {
			d.changes = append(d.changes, d.lines)
		}
		end := li
		for end < len(h.Lines) && h.Lines[end].Kind != diff.Context {
			end++
		}
		for _, l := range h.Lines[li:end] {
			switch l.Kind {
			case diff.Deleted:
				d.unifiedLine("-", l.OldNo, wholeText(l, true, stRemovedSide), stRemovedSide)
			case diff.Changed:
				d.unifiedLine("-", l.OldNo, d.spanPieces(l.Spans, -1, stRemovedSide), stRemovedSide)
			case diff.MovedFrom:
				ps := d.spanPieces(l.Spans, -1, stRemovedSide)
				if !d.plain {
					ps = append(ps, piece{fmt.Sprintf("  ⤷ moved to line %d", d.moveTo[l.Move]), stMoved})
				}
				d.unifiedLine("<", l.OldNo, ps, stMoved)
			case diff.Context, diff.Added, diff.MovedTo:
				// Not old lines: the loop below writes them.
			}
		}
		for _, l := range h.Lines[li:end] {
			switch l.Kind {
			case diff.Added:
				d.unifiedLine("+", l.NewNo, wholeText(l, false, stAdded), stAdded)
			case diff.Changed:
				d.unifiedLine("+", l.NewNo, d.spanPieces(l.Spans, 1, stAdded), stAdded)
			case diff.MovedTo:
				ps := d.spanPieces(l.Spans, 1, stAdded)
				if !d.plain {
					ps = append(ps, piece{fmt.Sprintf("  ⤶ moved from line %d", d.moveFrom[l.Move]), stMoved})
				}
				d.unifiedLine(">", l.NewNo, ps, stMoved)
			case diff.Context, diff.Deleted, diff.MovedFrom:
				// Not new lines: the loop above wrote them.
			}
		}
		li = end
	}
}

// unifiedLine writes one line of the unified layout. Plain text keeps the
// diff(1) prefix in the first column, so the output reads as a unified
// diff with word marks; moves show as "-" and "+" there.
func (d *diffWriter) unifiedLine(mark string, num int, ps []piece, markStyle int) {
	if d.plain {
		switch mark {
		case "<":
			mark = "-"
		case ">":
			mark = "+"
		}
		d.wrapped(mark, " ", ps, d.opts.Width-1)
		return
	}
	m := mark
	if markStyle >= 0 {
		m = d.styled(markStyle, mark)
	}
	gutter := d.number(num) + m + " "
	blank := strings.Repeat(" ", ansi.StringWidth(gutter))
	d.wrapped(gutter, blank, ps, d.opts.Width-len(blank))
}

// sideBySideLine writes one line in two columns: old on the left, new on
// the right, separated by a bar.
func (d *diffWriter) sideBySideLine(l diff.Line) {
	var left, right []piece
	lmark, rmark := " ", " "
	lstyle, rstyle := stText, stText
	switch l.Kind {
	case diff.Context:
		left, right = wholeText(l, true, stText), wholeText(l, false, stText)
	case diff.Changed:
		left, right = d.spanPieces(l.Spans, -1, stText), d.spanPieces(l.Spans, 1, stText)
		lmark, rmark, lstyle, rstyle = "-", "+", stRemovedSide, stAdded
	case diff.Deleted:
		left, lmark, lstyle = wholeText(l, true, stRemovedSide), "-", stRemovedSide
	case diff.Added:
		right, rmark, rstyle = wholeText(l, false, stAdded), "+", stAdded
	case diff.MovedFrom:
		left, lmark, lstyle = d.spanPieces(l.Spans, -1, stText), "<", stMoved
		if !d.plain {
			left = append(left, piece{fmt.Sprintf("  ⤷ to line %d", d.moveTo[l.Move]), stMoved})
		}
	case diff.MovedTo:
		right, rmark, rstyle = d.spanPieces(l.Spans, 1, stText), ">", stMoved
		if !d.plain {
			right = append(right, piece{fmt.Sprintf("  ⤶ from line %d", d.moveFrom[l.Move]), stMoved})
		}
	}
	if l.Kind == diff.Deleted || l.Kind == diff.MovedFrom {
		rmark = " "
	}
	if l.Kind == diff.Added || l.Kind == diff.MovedTo {
		lmark = " "
	}
	// Each column: number, mark, space, text; a " │ " between.
	col := (d.opts.Width - 3) / 2
	gut := d.numWidth + 2
	if d.numWidth > 0 {
		gut++
	}
	tw := max(col-gut, minDiffTextWidth)
	lrows, rrows := wrapPieces(left, tw), wrapPieces(right, tw)
	lno, rno := l.OldNo, l.NewNo
	if l.Kind == diff.Added || l.Kind == diff.MovedTo {
		lno = 0
	}
	if l.Kind == diff.Deleted || l.Kind == diff.MovedFrom {
		rno = 0
	}
	for i := range max(len(lrows), len(rrows), 1) {
		var sb strings.Builder
		if i == 0 {
			sb.WriteString(d.number(lno) + d.markOrBlank(lmark, lstyle) + " ")
		} else {
			sb.WriteString(strings.Repeat(" ", gut))
		}
		sb.WriteString(d.padded(rowAt(lrows, i), tw))
		sb.WriteString(d.styled(stFaint, " │ "))
		if i == 0 {
			sb.WriteString(d.number(rno) + d.markOrBlank(rmark, rstyle) + " ")
		} else {
			sb.WriteString(strings.Repeat(" ", gut))
		}
		sb.WriteString(d.join(rowAt(rrows, i)))
		d.line(strings.TrimRight(sb.String(), " "))
	}
}

// markOrBlank styles a gutter mark, leaving a blank unstyled.
func (d *diffWriter) markOrBlank(mark string, style int) string {
	if mark == " " {
		return mark
	}
	return d.styled(style, mark)
}

// rowAt returns row i of rows, or nil past the end.
func rowAt(rows [][]piece, i int) []piece {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

// padded joins a row and pads it with spaces to width cells.
func (d *diffWriter) padded(row []piece, width int) string {
	w := 0
	for _, p := range row {
		w += cellWidth(p.text)
	}
	s := d.join(row)
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// join styles and joins a row's pieces.
func (d *diffWriter) join(row []piece) string {
	var sb strings.Builder
	d.writePieces(&sb, row)
	return sb.String()
}

// writePieces writes pieces to sb, each in its style.
func (d *diffWriter) writePieces(sb *strings.Builder, ps []piece) {
	for _, p := range ps {
		if p.text != "" {
			sb.WriteString(d.pre[p.style])
			sb.WriteString(p.text)
			sb.WriteString(d.post[p.style])
		}
	}
}

// wrapped writes pieces wrapped to width cells (no wrapping when width is
// not positive), the first line after first, the others after rest.
func (d *diffWriter) wrapped(first, rest string, ps []piece, width int) {
	if d.opts.Width <= 0 {
		d.row(first, ps)
		return
	}
	rows := wrapPieces(ps, max(width, minDiffTextWidth))
	if len(rows) == 0 {
		d.line(strings.TrimRight(first, " "))
		return
	}
	// The output grows once for all the rows: a line of a megabyte is
	// thousands of them.
	n := len(first) + len(rows)*(len(rest)+1)
	for _, row := range rows {
		for _, p := range row {
			n += len(d.pre[p.style]) + len(p.text) + len(d.post[p.style])
		}
	}
	d.sb.Grow(n)
	for i, row := range rows {
		prefix := rest
		if i == 0 {
			prefix = first
		}
		d.row(prefix, row)
	}
}

// row writes one output line: prefix, then the pieces in their styles,
// straight into the output (a long line is many rows: no copies of each).
func (d *diffWriter) row(prefix string, ps []piece) {
	d.sb.WriteString(prefix)
	d.writePieces(&d.sb, ps)
	d.sb.WriteByte('\n')
	d.lines++
}

// wrapPieces breaks pieces into rows of at most width cells. It breaks at
// white space; a word (a run of characters that are not white space,
// whatever their styles) wider than a row is cut between characters, which
// also wraps CJK text, written without spaces. Spaces that end a row are
// dropped, as in any word wrap, but only there.
func wrapPieces(ps []piece, width int) [][]piece {
	// An atom is bytes start..end of piece pi's text, all space or none.
	type atom struct{ pi, start, end int }
	size := 0
	for _, p := range ps {
		size += len(p.text)
	}
	// Rows are built as byte ranges of the pieces, so no text is copied.
	rows := make([][]piece, 0, 1+size/max(width, 1))
	var row []atom
	w := 0
	add := func(a atom) {
		if k := len(row) - 1; k >= 0 && row[k].pi == a.pi && row[k].end == a.start {
			row[k].end = a.end
			return
		}
		row = append(row, a)
	}
	flush := func() {
		r := make([]piece, 0, len(row))
		for _, a := range row {
			p := piece{ps[a.pi].text[a.start:a.end], ps[a.pi].style}
			if k := len(r) - 1; k >= 0 && r[k].style == p.style {
				// Spans of one style next to each other style as one.
				r[k].text += p.text
				continue
			}
			r = append(r, p)
		}
		rows = append(rows, r)
		row, w = row[:0], 0
	}
	// breakRow ends a row inside the text, dropping the spaces it ends
	// with: the break stands for them.
	breakRow := func() {
		for k := len(row) - 1; k >= 0; k-- {
			t := ps[row[k].pi].text[row[k].start:row[k].end]
			row[k].end = row[k].start + len(strings.TrimRight(t, " "))
			if row[k].end > row[k].start {
				break
			}
			row = row[:k]
		}
		flush()
	}
	// The unit being read: a word or a run of spaces, atoms unit (which
	// may span pieces), uw cells wide. Each is placed once it is whole, so
	// nothing but the rows grows with the text.
	var unit []atom
	uw, space := 0, false
	// place puts the unit in rows; the caller then starts the next one.
	place := func() {
		switch {
		case w+uw <= width:
		case space && w > 0:
			// A space at the end of a row: the break itself.
			breakRow()
			return
		case w > 0 && uw <= width:
			breakRow()
		default:
			// A word too wide for a row: cut it between characters.
			for _, a := range unit {
				t := ps[a.pi].text
				for i, r := range t[a.start:a.end] {
					rw := runeWidth(r)
					if w+rw > width && w > 0 {
						breakRow()
					}
					b := a.start + i
					add(atom{a.pi, b, b + utf8.RuneLen(r)})
					w += rw
				}
			}
			return
		}
		for _, a := range unit {
			add(a)
		}
		w += uw
	}
	for pi, p := range ps {
		t := p.text
		for i := 0; i < len(t); {
			sp := spaceAt(t, i)
			j := i
			for j < len(t) && spaceAt(t, j) == sp {
				if t[j] < utf8.RuneSelf {
					j++
				} else {
					_, n := utf8.DecodeRuneInString(t[j:])
					j += n
				}
			}
			if len(unit) > 0 && sp != space {
				place()
				unit, uw = unit[:0], 0
			}
			space = sp
			unit = append(unit, atom{pi, i, j})
			uw += cellWidth(t[i:j])
			i = j
		}
	}
	if len(unit) > 0 {
		place()
	}
	if len(row) > 0 {
		flush()
	}
	return rows
}

// spaceAt reports whether the character at s[i] is white space that the
// wrap may break at: a space or tab, or another Unicode space not followed
// by a mark that joins it (diff.Tokenize keeps such a pair as one token).
func spaceAt(s string, i int) bool {
	if c := s[i]; c < utf8.RuneSelf {
		return c == ' ' || ('\t' <= c && c <= '\r')
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsSpace(r) {
		return false
	}
	if i+n < len(s) {
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if unicode.In(next, unicode.Mn, unicode.Me, unicode.Mc) || next == '\u200d' || next == '\u200c' ||
			(0xfe00 <= next && next <= 0xfe0f) {
			return false
		}
	}
	return true
}

// runeWidth is the cell width of one rune, with fast paths for ASCII and
// the wide letters and punctuation of CJK text.
func runeWidth(r rune) int {
	switch {
	case 0x20 <= r && r < 0x7f:
		return 1
	case isTwoCells(r):
		return 2
	}
	return ansi.StringWidth(string(r))
}

// isWideLetter reports whether r is a CJK ideograph or a Hangul syllable:
// printable letters, two cells wide, never marks.
func isWideLetter(r rune) bool {
	return (0x4e00 <= r && r <= 0x9fff) || (0x3400 <= r && r <= 0x4dbf) || (0xac00 <= r && r <= 0xd7a3)
}

// isTwoCells reports whether r is a wide letter, kana or CJK punctuation, all
// two cells wide on their own and in any sequence (TestWideRunes checks
// them against ansi.StringWidth).
func isTwoCells(r rune) bool {
	return isWideLetter(r) || (0x3001 <= r && r <= 0x3029) || (0x3030 <= r && r <= 0x303e) ||
		(0x3041 <= r && r <= 0x3096) || (0x30a1 <= r && r <= 0x30fa) || (0xff01 <= r && r <= 0xff60)
}

// cellWidth is ansi.StringWidth with a fast path for text made of
// printable ASCII and wide CJK characters, which most wikitext is.
func cellWidth(s string) int {
	w := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return ansi.StringWidth(s)
			}
			w++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isTwoCells(r) {
			return ansi.StringWidth(s)
		}
		w += 2
		i += n
	}
	return w
}

// patchLine is one line of a unified diff: ' ', '-' or '+', the line's
// text, and its 1-based numbers in the old and new text (0 for none).
type patchLine struct {
	op           byte
	text         string
	oldNo, newNo int
}

// unifiedPatch writes a standard unified diff. A line that is the last of
// a text without a line break differs from the same text with one, so
// patch(1) needs it as a change with a "\ No newline at end of file" mark
// even where the Result shows it unchanged or not at all.
func unifiedPatch(res *diff.Result, opts DiffOptions) RenderedDiff {
	if res == nil || len(res.Hunks) == 0 {
		return RenderedDiff{}
	}
	var sb strings.Builder
	var changes []int
	lines := 0
	line := func(s string) {
		sb.WriteString(s)
		sb.WriteByte('\n')
		lines++
	}
	name := func(s, def string) string {
		if s = strings.Join(strings.Fields(clean(s)), " "); s == "" {
			return def
		}
		return s
	}
	line("--- " + name(opts.OldName, "old"))
	line("+++ " + name(opts.NewName, "new"))
	// text writes a line's text, which must stay one line for patch(1).
	text := func(s string) string { return strings.NewReplacer("\r", "", "\n", " ").Replace(Sanitize(s)) }
	oldLines, newLines := textLines(opts.OldText), textLines(opts.NewText)
	oldN, newN := len(oldLines), len(newLines)
	// oldBare and newBare: the text's last line has no line break.
	oldBare := func(no int) bool { return res.OldNoNewline && no == oldN && no > 0 }
	newBare := func(no int) bool { return res.NewNoNewline && no == newN && no > 0 }
	for hi, h := range res.Hunks {
		var pl []patchLine
		// A line before the hunk that is the last of one text, bare, but
		// not of the other: the hunk must show it as changed.
		if h.OldLines == 0 && oldN > 0 && h.OldStart == oldN && res.OldNoNewline && h.NewStart >= 2 {
			pl = append(pl, patchLine{' ', oldLines[oldN-1], oldN, h.NewStart - 1})
		} else if h.NewLines == 0 && newN > 0 && h.NewStart == newN && res.NewNoNewline && h.OldStart >= 2 {
			pl = append(pl, patchLine{' ', newLines[newN-1], h.OldStart - 1, newN})
		}
		for _, l := range h.Lines {
			switch l.Kind {
			case diff.Context:
				pl = append(pl, patchLine{' ', l.OldText(), l.OldNo, l.NewNo})
			case diff.Deleted, diff.MovedFrom:
				pl = append(pl, patchLine{'-', l.OldText(), l.OldNo, 0})
			case diff.Added, diff.MovedTo:
				pl = append(pl, patchLine{'+', l.NewText(), 0, l.NewNo})
			case diff.Changed:
				pl = append(pl, patchLine{'-', l.OldText(), l.OldNo, 0}, patchLine{'+', l.NewText(), 0, l.NewNo})
			}
		}
		// Split unchanged lines whose line breaks differ.
		var out []patchLine
		for _, p := range pl {
			if p.op == ' ' && oldBare(p.oldNo) != newBare(p.newNo) {
				out = append(out, patchLine{'-', p.text, p.oldNo, 0}, patchLine{'+', p.text, 0, p.newNo})
				continue
			}
			out = append(out, p)
		}
		// Within each run of changes, old lines first, as diff(1) writes.
		out = groupRuns(out)
		oldStart, oldCount, newStart, newCount := 0, 0, 0, 0
		for _, p := range out {
			if p.oldNo > 0 {
				if oldCount == 0 {
					oldStart = p.oldNo
				}
				oldCount++
			}
			if p.newNo > 0 {
				if newCount == 0 {
					newStart = p.newNo
				}
				newCount++
			}
		}
		if oldCount == 0 {
			oldStart = h.OldStart
		}
		if newCount == 0 {
			newStart = h.NewStart
		}
		title := ""
		if hi < len(opts.HunkTitles) && opts.HunkTitles[hi] != "" {
			title = " " + name(opts.HunkTitles[hi], "")
		}
		line(fmt.Sprintf("@@ -%s +%s @@%s", hunkRange(oldStart, oldCount), hunkRange(newStart, newCount), title))
		for i, p := range out {
			if p.op != ' ' && (i == 0 || out[i-1].op == ' ') {
				changes = append(changes, lines)
			}
			line(string(p.op) + text(p.text))
			if p.op != '+' && oldBare(p.oldNo) || p.op == '+' && newBare(p.newNo) {
				line(`\ No newline at end of file`)
			}
		}
	}
	return RenderedDiff{Text: sb.String(), ChangeLines: changes}
}

// groupRuns reorders each run of '-' and '+' lines so that its '-' lines
// come first; both sides keep their order.
func groupRuns(pl []patchLine) []patchLine {
	out := make([]patchLine, 0, len(pl))
	for i := 0; i < len(pl); {
		if pl[i].op == ' ' {
			out = append(out, pl[i])
			i++
			continue
		}
		j := i
		for j < len(pl) && pl[j].op != ' ' {
			j++
		}
		for _, p := range pl[i:j] {
			if p.op == '-' {
				out = append(out, p)
			}
		}
		for _, p := range pl[i:j] {
			if p.op == '+' {
				out = append(out, p)
			}
		}
		i = j
	}
	return out
}

// textLines splits a text into lines without their line breaks.
func textLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
