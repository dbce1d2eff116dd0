// Package mwtable reads the HTML diff tables that MediaWiki puts in its
// feeds into the same model that diff.Compute returns, so that a wiki's own
// diff renders exactly like one we computed.
//
// Usage:
//
//	t, err := mwtable.ParseTable(rev.Body)
//	if err != nil { ... }
//	if t.Result == nil {
//		// "(No difference)"
//	}
//	for _, h := range t.Result.Hunks { ... }
//
// # Shapes
//
// MediaWiki has written its diff table in several ways over the years, and
// feeds replace most class names by inline styles, so rows are recognised
// by their shape and by what little markup survives:
//
//   - Four cells (marker, text, marker, text): an unchanged line when both
//     markers are blank, a changed line when the left is "-" or "−" (U+2212)
//     and the right "+". The marker is the cell's text (MediaWiki up to
//     1.3x) or its data-marker attribute (later versions, empty cell).
//   - Three cells, one of them spanning two columns: a deleted line (text
//     on the left) or an added line (text on the right). A marker cell that
//     links to "#movedpara_…", or a text cell holding a "movedpara_…"
//     anchor, makes it one end of a moved paragraph; the two ends are paired
//     by their anchors.
//   - Two cells spanning two columns each: a hunk header. Its text is
//     "Line 12:" in the wiki's language, a "<!--LINE 12-->" comment (raw
//     wikidiff2 output), or on Wikidata a property path ("description /
//     es") with no number. Before the first hunk, the same shape is the
//     title row ("← Older revision", "Revision as of …").
//   - One cell spanning the table: a note such as "(3 intermediate
//     revisions not shown)" or "(No difference)".
//
// Inside a text cell, <del> and <ins> mark the words that changed; every
// other tag only wraps text. Whole added or deleted lines are sometimes
// wrapped in <ins> or <del> too (MediaWiki 1.12); that is ignored.
package mwtable

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/wikifeed/wikifeed/diff"
)

// Limits on what Parse accepts.
const (
	// MaxBytes is the largest table Parse reads, in bytes; MediaWiki stops
	// sending tables in feeds well before this (at 32 KB of text).
	MaxBytes = 16 << 20
)

// Table is a parsed MediaWiki diff table.
type Table struct {
	// Result is the diff, in the model diff.Compute returns; nil when the
	// table shows no difference.
	Result *diff.Result
	// OldTitle and NewTitle are the title row's two cells ("← Older
	// revision", "Revision as of 17:05, 9 December 2017"), as text.
	OldTitle, NewTitle string
	// Notes are the rows that span the whole table, such as "(3
	// intermediate revisions not shown)" or "(No difference)".
	Notes []string
	// HunkTitles holds, for each hunk of Result, the header text when it is
	// not a line number (Wikidata's "description / es"), else "".
	HunkTitles []string
	// Numbered is false when some hunk header had no line number; the line
	// numbers of Result are then only counted through the table and are
	// not the page's.
	Numbered bool
}

// Parse parses a MediaWiki diff table into a diff.Result. It returns nil
// and no error when the table shows no difference; see ParseTable for the
// rest of what a table says.
func Parse(s string) (*diff.Result, error) {
	t, err := ParseTable(s)
	if err != nil {
		return nil, err
	}
	return t.Result, nil
}

// ParseTable parses a MediaWiki diff table: the HTML from "<table" to
// "</table>", possibly with text around it, or wikidiff2's bare rows. It
// fails when s holds no diff rows, notes or title at all.
func ParseTable(s string) (*Table, error) {
	if len(s) > MaxBytes {
		return nil, fmt.Errorf("parse diff table: %d bytes, over the %d byte limit", len(s), MaxBytes)
	}
	if !containsFold(s, "<table") {
		// wikidiff2 returns rows only; the HTML parser drops rows found
		// outside a table.
		s = "<table>" + s + "</table>"
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, fmt.Errorf("parse diff table: %w", err)
	}
	tbl := findTable(doc)
	if tbl == nil {
		return nil, errors.New("parse diff table: no table")
	}
	p := &parser{t: &Table{Numbered: true}}
	seen := false
	for _, tr := range rowsOf(tbl) {
		if p.row(tr) {
			seen = true
		}
	}
	if !seen {
		return nil, errors.New("parse diff table: no diff rows")
	}
	p.finish()
	return p.t, nil
}

// containsFold reports whether s contains the ASCII sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), sub)
}

// findTable returns the first table element, depth first.
func findTable(n *html.Node) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == atom.Table {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if t := findTable(c); t != nil {
			return t
		}
	}
	return nil
}

// rowsOf returns the rows of tbl, not those of tables nested in its cells.
func rowsOf(tbl *html.Node) []*html.Node {
	var rows []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Tr:
				rows = append(rows, c)
			case atom.Tbody, atom.Thead, atom.Tfoot:
				walk(c)
			default:
				// Anything else (a table in a cell, say) holds no rows of this table.
			}
		}
	}
	walk(tbl)
	return rows
}

// cell is one td of a row.
type cell struct {
	n       *html.Node
	colspan int
}

// cellsOf returns the td and th children of tr.
func cellsOf(tr *html.Node) []cell {
	var cs []cell
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
			continue
		}
		span := 1
		if v, ok := attr(c, "colspan"); ok {
			if k, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && k > 0 {
				span = k
			}
		}
		cs = append(cs, cell{c, span})
	}
	return cs
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// hasClass reports whether n's class attribute lists c.
func hasClass(n *html.Node, c string) bool {
	v, _ := attr(n, "class")
	for _, f := range strings.Fields(v) {
		if f == c {
			return true
		}
	}
	return false
}

// marker is what a marker cell says.
type marker int

const (
	markNone    marker = iota // not a marker cell
	markContext               // blank: an unchanged line
	markDel                   // "-" or "−"
	markAdd                   // "+"
	markMoved                 // a link to the other end of a moved paragraph
)

// markerOf reads a cell as a diff marker.
func markerOf(c cell) marker {
	if c.colspan != 1 {
		return markNone
	}
	if href := movedHref(c.n); href != "" {
		return markMoved
	}
	s, ok := attr(c.n, "data-marker")
	if !ok {
		s = textOf(c.n)
	}
	switch strings.TrimFunc(s, isBlank) {
	case "":
		return markContext
	case "-", "−":
		return markDel
	case "+":
		return markAdd
	}
	return markNone
}

// isBlank reports whether r is a space, including the no-break space
// MediaWiki puts in empty marker cells.
func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }

// movedHref returns the "#movedpara_…" link inside n, or "".
func movedHref(n *html.Node) string {
	var found string
	walk(n, func(m *html.Node) bool {
		if m.Type == html.ElementNode && m.DataAtom == atom.A {
			if h, ok := attr(m, "href"); ok && strings.HasPrefix(h, "#movedpara_") {
				found = h[1:]
				return false
			}
		}
		return true
	})
	return found
}

// walk calls f on n and its descendants in document order until f
// returns false.
func walk(n *html.Node, f func(*html.Node) bool) bool {
	if !f(n) {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if !walk(c, f) {
			return false
		}
	}
	return true
}

// textOf returns the text inside n, comments left out.
func textOf(n *html.Node) string {
	var sb strings.Builder
	walk(n, func(m *html.Node) bool {
		if m.Type == html.TextNode {
			sb.WriteString(m.Data)
		}
		return true
	})
	return sb.String()
}

// side is one side's text of a row: its segments and moved-paragraph
// anchors.
type side struct {
	spans []diff.Span
	// name is the "movedpara_…" anchor in the text, href the one the
	// marker links to.
	name, href string
}

// text joins the side's text.
func (s *side) text() string {
	var sb strings.Builder
	for _, sp := range s.spans {
		sb.WriteString(sp.Text)
	}
	return sb.String()
}

// sideOf reads a text cell: text inside <del> or <ins> gets op, the rest
// Equal.
func sideOf(c cell, op diff.Op) side {
	var s side
	var rec func(n *html.Node, cur diff.Op)
	rec = func(n *html.Node, cur diff.Op) {
		for m := n.FirstChild; m != nil; m = m.NextSibling {
			switch m.Type {
			case html.TextNode:
				s.add(cur, m.Data)
			case html.ElementNode:
				next := cur
				switch m.DataAtom {
				case atom.Del, atom.Ins:
					next = op
				case atom.A:
					if v, ok := attr(m, "name"); ok && strings.HasPrefix(v, "movedpara_") {
						s.name = v
					}
				default:
					// Other elements keep the op of the text around them.
				}
				rec(m, next)
			default:
				// Comments and the like hold no text of the cell.
			}
		}
	}
	rec(c.n, diff.Equal)
	return s
}

// add appends text with op, merging with the previous span of that op.
func (s *side) add(op diff.Op, text string) {
	if text == "" {
		return
	}
	if k := len(s.spans); k > 0 && s.spans[k-1].Op == op {
		s.spans[k-1].Text += text
		return
	}
	s.spans = append(s.spans, diff.Span{Op: op, Text: text})
}

// merge combines the old side's spans (Equal and Delete) with the new
// side's (Equal and Insert) into one edit script, so that joining its
// Equal and Delete spans gives the old text and its Equal and Insert spans
// the new one. The two sides' Equal text should agree; where it does not,
// the rest of each side becomes one Delete and one Insert.
func merge(old, new []diff.Span) []diff.Span {
	var out []diff.Span
	add := func(op diff.Op, t string) {
		if t == "" {
			return
		}
		if k := len(out); k > 0 && out[k-1].Op == op {
			out[k-1].Text += t
			return
		}
		out = append(out, diff.Span{Op: op, Text: t})
	}
	i, j := 0, 0
	var oeq, neq string // unconsumed Equal text of the current spans
	for {
		for oeq == "" && i < len(old) && old[i].Op != diff.Equal {
			add(diff.Delete, old[i].Text)
			i++
		}
		for neq == "" && j < len(new) && new[j].Op != diff.Equal {
			add(diff.Insert, new[j].Text)
			j++
		}
		if oeq == "" && i < len(old) {
			oeq = old[i].Text
			i++
		}
		if neq == "" && j < len(new) {
			neq = new[j].Text
			j++
		}
		if oeq == "" && neq == "" {
			return out
		}
		k := commonPrefix(oeq, neq)
		if k == 0 {
			// The sides disagree on their unchanged text.
			add(diff.Delete, oeq)
			for ; i < len(old); i++ {
				add(diff.Delete, old[i].Text)
			}
			add(diff.Insert, neq)
			for ; j < len(new); j++ {
				add(diff.Insert, new[j].Text)
			}
			return out
		}
		add(diff.Equal, oeq[:k])
		oeq, neq = oeq[k:], neq[k:]
	}
}

// commonPrefix returns the length in bytes of the longest common prefix of
// a and b that ends on a rune boundary.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	for n > 0 && n < len(a) && !isRuneStart(a[n]) {
		n--
	}
	return n
}

// isRuneStart reports whether b begins a UTF-8 sequence.
func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// parser holds the state of one ParseTable call.
type parser struct {
	t     *Table
	hunks []diff.Hunk
	cur   *diff.Hunk
	// oldNo and newNo are the numbers the next old and new line get.
	oldNo, newNo int
	// moves are the unpaired ends of moved paragraphs, by anchor name.
	moves []moveEnd
	// titled is set once the title row is read.
	titled bool
}

// moveEnd locates one end of a moved paragraph.
type moveEnd struct {
	hunk, line int
	side       side
}

// row reads one table row; it returns false for a row of no known shape.
func (p *parser) row(tr *html.Node) bool {
	cs := cellsOf(tr)
	switch len(cs) {
	case 1:
		// A note across the table, such as "(No difference)".
		if t := cleanText(textOf(cs[0].n)); t != "" {
			p.t.Notes = append(p.t.Notes, t)
			return true
		}
		return false
	case 2:
		return p.header(cs[0], cs[1])
	case 3:
		switch {
		case cs[0].colspan >= 2 && cs[1].colspan == 1 && cs[2].colspan == 1:
			return p.oneSide(cs[1], cs[2], false)
		case cs[2].colspan >= 2 && cs[0].colspan == 1 && cs[1].colspan == 1:
			return p.oneSide(cs[0], cs[1], true)
		}
		return false
	case 4:
		return p.twoSides(cs)
	}
	return false
}

// header reads a row of two wide cells: the title row or a hunk header.
func (p *parser) header(l, r cell) bool {
	lt, rt := cleanText(textOf(l.n)), cleanText(textOf(r.n))
	ln, lok := lineNumber(l.n, lt)
	rn, rok := lineNumber(r.n, rt)
	isLineno := hasClass(l.n, "diff-lineno") || hasClass(r.n, "diff-lineno") || lok || rok
	if !isLineno && p.cur == nil && len(p.hunks) == 0 && !p.titled {
		// The first such row, before any line, is the title row.
		p.titled = true
		p.t.OldTitle, p.t.NewTitle = lt, rt
		return true
	}
	// Later ones are hunk headers, even with their class gone.
	p.closeHunk()
	p.cur = &diff.Hunk{}
	title := ""
	switch {
	case lok || rok:
		if !lok {
			ln = rn
		}
		if !rok {
			rn = ln
		}
		// A header never moves the numbering backwards.
		p.oldNo, p.newNo = max(ln, p.oldNo), max(rn, p.newNo)
	default:
		p.t.Numbered = false
		title = rt
		if title == "" {
			title = lt
		}
	}
	if p.oldNo == 0 {
		p.oldNo = 1
	}
	if p.newNo == 0 {
		p.newNo = 1
	}
	p.t.HunkTitles = append(p.t.HunkTitles, title)
	return true
}

// lineNumber reads a hunk header cell: its mw-diff-left-l12 id, wikidiff2's
// "<!--LINE 12-->", or "Line 12:" in any language written with ASCII digits.
func lineNumber(n *html.Node, text string) (int, bool) {
	// MediaWiki 1.27 and later: id="mw-diff-left-l123", whatever digits
	// the wiki's language writes the label in.
	if id, ok := attr(n, "id"); ok {
		if i := strings.LastIndex(id, "-l"); i >= 0 && strings.HasPrefix(id, "mw-diff-") {
			if k, err := strconv.Atoi(id[i+2:]); err == nil && k >= 0 {
				return k, true
			}
		}
	}
	num := -1
	walk(n, func(m *html.Node) bool {
		if m.Type == html.CommentNode {
			if v, ok := strings.CutPrefix(strings.TrimSpace(m.Data), "LINE "); ok {
				if k, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && k >= 0 {
					num = k
					return false
				}
			}
		}
		return true
	})
	if num >= 0 {
		return num, true
	}
	// "Line 1,234:": a short label, digits with separators, a colon.
	if !strings.HasSuffix(text, ":") || len(text) > 40 {
		return 0, false
	}
	digits := 0
	k := 0
	for _, r := range text {
		switch {
		case r >= '0' && r <= '9':
			if k > (1<<31)/10 {
				return 0, false
			}
			k = k*10 + int(r-'0')
			digits++
		case digits > 0 && (r == ',' || r == '.' || r == '\u00a0' || r == '\u202f' || r == '\''):
			// Thousands separators.
		case digits > 0 && r != ':':
			return 0, false
		}
	}
	return k, digits > 0
}

// cleanText squeezes runs of spaces in header and note text.
func cleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, isBlank), " ")
}

// ensureHunk starts a hunk for lines that come before any header.
func (p *parser) ensureHunk() {
	if p.cur != nil {
		return
	}
	p.cur = &diff.Hunk{}
	if p.oldNo == 0 {
		p.oldNo, p.newNo = 1, 1
	}
	p.t.HunkTitles = append(p.t.HunkTitles, "")
	if len(p.hunks) == 0 {
		// With no header, the numbers are only counted.
		p.t.Numbered = false
	}
}

// oneSide reads a row with text on one side only: deleted (left) or added
// (right), possibly one end of a moved paragraph.
func (p *parser) oneSide(m, text cell, left bool) bool {
	mk := markerOf(m)
	if mk == markNone {
		return false
	}
	p.ensureHunk()
	op := diff.Insert
	if left {
		op = diff.Delete
	}
	s := sideOf(text, op)
	if mk == markMoved {
		s.href = movedHref(m.n)
	}
	var l diff.Line
	if left {
		l = diff.Line{Kind: diff.Deleted, OldNo: p.oldNo, Spans: whole(diff.Delete, s.text())}
		p.oldNo++
	} else {
		l = diff.Line{Kind: diff.Added, NewNo: p.newNo, Spans: whole(diff.Insert, s.text())}
		p.newNo++
	}
	p.cur.Lines = append(p.cur.Lines, l)
	if s.name != "" || s.href != "" {
		p.moves = append(p.moves, moveEnd{hunk: len(p.hunks), line: len(p.cur.Lines) - 1, side: s})
	}
	return true
}

// whole returns one span of text, or none for an empty line.
func whole(op diff.Op, text string) []diff.Span {
	if text == "" {
		return nil
	}
	return []diff.Span{{Op: op, Text: text}}
}

// twoSides reads a row of four cells: an unchanged or a changed line.
func (p *parser) twoSides(cs []cell) bool {
	lm, rm := markerOf(cs[0]), markerOf(cs[2])
	if lm == markNone || rm == markNone || cs[1].colspan != 1 || cs[3].colspan != 1 {
		return false
	}
	p.ensureHunk()
	ls, rs := sideOf(cs[1], diff.Delete), sideOf(cs[3], diff.Insert)
	l := diff.Line{Kind: diff.Changed, OldNo: p.oldNo, NewNo: p.newNo}
	if lm == markContext && rm == markContext {
		l.Kind = diff.Context
		// Both sides show the same line; the old one is the line.
		l.Spans = whole(diff.Equal, ls.text())
	} else {
		l.Spans = merge(ls.spans, rs.spans)
	}
	p.oldNo++
	p.newNo++
	p.cur.Lines = append(p.cur.Lines, l)
	return true
}

// closeHunk adds the current hunk, if it has lines, with its ranges.
func (p *parser) closeHunk() {
	h := p.cur
	p.cur = nil
	if h == nil {
		return
	}
	if len(h.Lines) == 0 {
		// A header with nothing under it.
		p.t.HunkTitles = p.t.HunkTitles[:len(p.t.HunkTitles)-1]
		return
	}
	h.OldStart, h.NewStart = -1, -1
	for _, l := range h.Lines {
		if l.OldNo > 0 {
			if h.OldStart < 0 {
				h.OldStart = l.OldNo
			}
			h.OldLines++
		}
		if l.NewNo > 0 {
			if h.NewStart < 0 {
				h.NewStart = l.NewNo
			}
			h.NewLines++
		}
	}
	// As in unified diffs, an empty side names the line it follows.
	if h.OldStart < 0 {
		h.OldStart = p.oldNo - 1
	}
	if h.NewStart < 0 {
		h.NewStart = p.newNo - 1
	}
	p.hunks = append(p.hunks, *h)
}

// finish pairs moved paragraphs, counts the stats and builds the Result.
func (p *parser) finish() {
	p.closeHunk()
	p.pairMoves()
	if len(p.hunks) == 0 {
		p.t.HunkTitles = nil
		return
	}
	changed := false
	for _, h := range p.hunks {
		for _, l := range h.Lines {
			if l.Kind != diff.Context {
				changed = true
			}
		}
	}
	if !changed {
		// Only context: MediaWiki shows this for a change in line breaks
		// at the end, which leaves nothing to highlight.
		p.t.HunkTitles = nil
		return
	}
	r := &diff.Result{Hunks: p.hunks}
	r.Stats = stats(r)
	p.t.Result = r
}

// pairMoves turns the two ends of each moved paragraph, linked by their
// anchors, into MovedFrom and MovedTo lines with one shared edit script.
func (p *parser) pairMoves() {
	// The added ends, by their anchor and by the anchor they link to.
	byName := make(map[string]int, len(p.moves))
	byHref := make(map[string]int, len(p.moves))
	for i, m := range p.moves {
		if l := p.line(m); l == nil || l.Kind != diff.Added {
			continue
		}
		if m.side.name != "" {
			byName[m.side.name] = i
		}
		if m.side.href != "" {
			byHref[m.side.href] = i
		}
	}
	id := 0
	for _, from := range p.moves {
		fl := p.line(from)
		if fl == nil || fl.Kind != diff.Deleted {
			continue
		}
		j, ok := -1, false
		if from.side.href != "" {
			j, ok = byName[from.side.href]
		}
		if !ok && from.side.name != "" {
			j, ok = byHref[from.side.name]
		}
		if !ok {
			continue
		}
		to := p.moves[j]
		tl := p.line(to)
		if tl.Kind != diff.Added {
			continue // already paired
		}
		id++
		spans := merge(asOp(from.side.spans, diff.Delete), asOp(to.side.spans, diff.Insert))
		fl.Kind, fl.Spans, fl.Move = diff.MovedFrom, spans, id
		tl.Kind, tl.Spans, tl.Move = diff.MovedTo, spans, id
	}
}

// asOp returns spans with every non-Equal op set to op.
func asOp(spans []diff.Span, op diff.Op) []diff.Span {
	out := make([]diff.Span, len(spans))
	for i, s := range spans {
		if s.Op != diff.Equal {
			s.Op = op
		}
		out[i] = s
	}
	return out
}

// line returns the line a move end points at.
func (p *parser) line(m moveEnd) *diff.Line {
	if m.hunk >= len(p.hunks) || m.line >= len(p.hunks[m.hunk].Lines) {
		return nil
	}
	return &p.hunks[m.hunk].Lines[m.line]
}

// stats counts what the table shows changed. Each line counts its line
// break; the table cannot tell whether the text ends with one.
func stats(r *diff.Result) diff.Stats {
	var st diff.Stats
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case diff.Added:
				st.LinesAdded++
				t := l.NewText()
				st.WordsAdded += diff.CountWords(t)
				st.BytesAdded += len(t) + 1
			case diff.Deleted:
				st.LinesDeleted++
				t := l.OldText()
				st.WordsDeleted += diff.CountWords(t)
				st.BytesDeleted += len(t) + 1
			case diff.Changed, diff.MovedTo:
				if l.Kind == diff.Changed {
					st.LinesChanged++
				} else {
					st.LinesMoved++
				}
				for _, s := range l.Spans {
					switch s.Op {
					case diff.Insert:
						st.WordsAdded += diff.CountWords(s.Text)
						st.BytesAdded += len(s.Text)
					case diff.Delete:
						st.WordsDeleted += diff.CountWords(s.Text)
						st.BytesDeleted += len(s.Text)
					case diff.Equal:
						// Unchanged words count for nothing.
					}
				}
			case diff.Context, diff.MovedFrom:
				// Nothing changed; a move counts once, where it arrives.
			}
		}
	}
	return st
}

// TrimContext returns a copy of t with at most n unchanged lines around
// each change, splitting hunks where more lie between two changes. A
// table holds only the context MediaWiki sent (two lines), so a larger n
// changes nothing; a negative n means all lines.
func (t *Table) TrimContext(n int) *Table {
	out := *t
	if t.Result == nil || n < 0 {
		return &out
	}
	r := *t.Result
	r.Hunks = nil
	out.HunkTitles = nil
	for hi, h := range t.Result.Hunks {
		title := ""
		if hi < len(t.HunkTitles) {
			title = t.HunkTitles[hi]
		}
		// keep[i]: line i is a change or within n lines of one.
		keep := make([]bool, len(h.Lines))
		for i, l := range h.Lines {
			if l.Kind == diff.Context {
				continue
			}
			for k := max(0, i-n); k <= min(len(h.Lines)-1, i+n); k++ {
				keep[k] = true
			}
		}
		var cur *diff.Hunk
		for i, l := range h.Lines {
			if !keep[i] {
				if cur != nil {
					r.Hunks = append(r.Hunks, ranged(*cur))
					out.HunkTitles = append(out.HunkTitles, title)
					cur = nil
				}
				continue
			}
			if cur == nil {
				cur = &diff.Hunk{}
				// The lines before this one, for the ranges of an empty side.
				cur.OldStart, cur.NewStart = h.OldStart, h.NewStart
				if h.OldLines > 0 {
					cur.OldStart--
				}
				if h.NewLines > 0 {
					cur.NewStart--
				}
				for _, p := range h.Lines[:i] {
					if p.OldNo > 0 {
						cur.OldStart = p.OldNo
					}
					if p.NewNo > 0 {
						cur.NewStart = p.NewNo
					}
				}
			}
			cur.Lines = append(cur.Lines, l)
		}
		if cur != nil {
			r.Hunks = append(r.Hunks, ranged(*cur))
			out.HunkTitles = append(out.HunkTitles, title)
		}
	}
	out.Result = &r
	return &out
}

// ranged fills in a hunk's ranges from its lines; OldStart and NewStart
// hold the number of the line before the hunk on each side, used when a
// side has no lines.
func ranged(h diff.Hunk) diff.Hunk {
	before := [2]int{h.OldStart, h.NewStart}
	h.OldStart, h.NewStart, h.OldLines, h.NewLines = 0, 0, 0, 0
	for _, l := range h.Lines {
		if l.OldNo > 0 {
			if h.OldLines == 0 {
				h.OldStart = l.OldNo
			}
			h.OldLines++
		}
		if l.NewNo > 0 {
			if h.NewLines == 0 {
				h.NewStart = l.NewNo
			}
			h.NewLines++
		}
	}
	if h.OldLines == 0 {
		h.OldStart = before[0]
	}
	if h.NewLines == 0 {
		h.NewStart = before[1]
	}
	return h
}
