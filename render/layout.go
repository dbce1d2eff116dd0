package render

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// The layout: the document tree as lines of terminal text. ANSI and plain
// output are the same layout, with and without the theme's SGR and OSC 8
// links, so they wrap alike. Every escape sequence in the output is written
// here, from the palette; text comes from the tree, sanitised.

// Layout tunables.
const (
	// docMargin is the left margin of a document, in cells (right too).
	docMargin = 2
	// minInner is the narrowest room nested blocks are indented into;
	// past it, deeper blocks are not indented further.
	minInner = 16
	// preIndent is the indent of preformatted text.
	preIndent = 2
	// cellSep separates table columns.
	cellSep = " │ "
	// minColumn is the narrowest a table column is made before the table
	// is shown one block per row instead.
	minColumn = 6
	// maxColumnMin caps the width a long word claims for its column.
	maxColumnMin = 24
)

// layout lays blocks out at a width.
type layout struct {
	pal palette
	// on: write SGR and OSC 8.
	on bool
	// widths remembers cellWidths by node.
	widths map[*node][2]int
}

// tok is a piece of inline text with one look: a word, a space, a wide
// character (which may break without a space) or a line break.
type tok struct {
	text  string
	width int
	role  role
	st    style
	// url is the OSC 8 target of a link's text.
	url   string
	space bool
	// wide: a break may come before and after (CJK).
	wide bool
	hard bool
	// defer is a link URL to show once the word this token ends ends.
	deferURL string
}

// flatten turns inlines into tokens. pre keeps spaces and line breaks.
func (l *layout) flatten(inl []*node, r role, st style, url string, pre bool, out []tok) []tok {
	for _, n := range inl {
		switch n.kind {
		case inText:
			tr := r
			if (st|n.st)&stCode != 0 && r != rolePre && url == "" {
				tr = roleCode
			}
			out = splitText(out, n.text, tr, (st|n.st)&^stCode, url, pre)
		case inCode, inTemplate:
			cr := roleCode
			if r == rolePre {
				cr = rolePre
			}
			out = splitText(out, n.text, cr, st|n.st, url, pre)
		case inBreak:
			out = append(out, tok{hard: true})
		case inLink:
			lr, lu := r, url
			if n.url != "" && l.on {
				lu = n.url
				lr = roleLinkText
				if n.bare {
					lr = roleLink
				}
			}
			start := len(out)
			out = l.flatten(n.kids, lr, st|n.st, lu, pre, out)
			if len(out) == start && n.url != "" {
				out = splitText(out, n.url, roleLink, st, lu, pre)
			}
			if n.url != "" && !n.wiki && !n.bare && len(out) > start {
				out[len(out)-1].deferURL = n.url
			}
		default:
			out = l.flatten(n.kids, r, st|n.st, url, pre, out)
		}
	}
	return out
}

// isWide reports whether r is a wide character, after which a line may
// break without a space.
func isWide(r rune) bool {
	return r >= 0x1100 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef)
}

// splitText appends the tokens of s.
func splitText(out []tok, s string, r role, st style, url string, pre bool) []tok {
	add := func(t string, space, wide bool) {
		out = append(out, tok{text: t, width: ansi.StringWidth(t), role: r, st: st, url: url, space: space, wide: wide})
	}
	word := 0
	for i := 0; i < len(s); {
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == '\n' && pre:
			if word < i {
				add(s[word:i], false, false)
			}
			out = append(out, tok{hard: true})
			word = i + size
		case c == ' ' || c == '\t' || c == '\n':
			if word < i {
				add(s[word:i], false, false)
			}
			if pre {
				if c == '\t' {
					add("    ", true, false)
				} else {
					add(" ", true, false)
				}
			} else if len(out) == 0 || !out[len(out)-1].space {
				add(" ", true, false)
			}
			word = i + size
		case isWide(c):
			if word < i {
				add(s[word:i], false, false)
			}
			add(s[i:i+size], false, true)
			word = i + size
		}
		i += size
	}
	if word < len(s) {
		add(s[word:], false, false)
	}
	return out
}

// placeDeferred moves each link's URL to the end of the word its label
// ends: "<a href=u>link</a>s" shows "links u", not "link us".
func placeDeferred(ts []tok) []tok {
	if !hasDeferred(ts) {
		return ts
	}
	var out []tok
	pending := ""
	flush := func() {
		if pending != "" {
			out = append(out, tok{text: " ", width: 1, space: true},
				tok{text: pending, width: ansi.StringWidth(pending), role: roleLink, url: pending})
			pending = ""
		}
	}
	for _, t := range ts {
		if t.space || t.hard {
			flush()
		}
		u := t.deferURL
		t.deferURL = ""
		out = append(out, t)
		if u != "" {
			flush()
			pending = u
		}
	}
	flush()
	return out
}

func hasDeferred(ts []tok) bool {
	for _, t := range ts {
		if t.deferURL != "" {
			return true
		}
	}
	return false
}

// wrap breaks tokens into lines at most width cells wide. pre keeps the
// spaces and breaks a long line with a hanging indent.
func (l *layout) wrap(ts []tok, width int, pre bool) []string {
	ts = placeDeferred(ts)
	width = max(width, 1)
	var lines []string
	var cur []tok
	curW := 0
	// srcLead is the indent of the current source line of pre text;
	// fresh says no word of that line came yet.
	srcLead, fresh := 0, true
	emit := func() {
		// A line does not end in spaces.
		for len(cur) > 0 && cur[len(cur)-1].space && !pre {
			cur = cur[:len(cur)-1]
		}
		lines = append(lines, l.line(cur))
		cur = cur[:0]
		curW = 0
	}
	for i := 0; i < len(ts); {
		t := ts[i]
		if t.hard {
			emit()
			fresh = true
			i++
			continue
		}
		if t.space {
			if curW == 0 && !pre {
				i++
				continue
			}
			cur = append(cur, t)
			curW += t.width
			i++
			continue
		}
		// A unit: tokens up to the next space, break or wide character.
		j := i + 1
		if !t.wide {
			for j < len(ts) && !ts[j].space && !ts[j].hard && !ts[j].wide {
				j++
			}
		}
		w := 0
		for _, u := range ts[i:j] {
			w += u.width
		}
		if fresh {
			srcLead, fresh = curW, false
		}
		if curW+w > width && curW > 0 {
			// Drop the spaces the break replaces.
			for len(cur) > 0 && cur[len(cur)-1].space {
				curW -= cur[len(cur)-1].width
				cur = cur[:len(cur)-1]
			}
			if len(cur) > 0 {
				emit()
			}
			if pre {
				hang := min(srcLead+2, codeHangMax, width/2)
				cur = append(cur, tok{text: strings.Repeat(" ", hang), width: hang, space: true})
				curW = hang
			}
		}
		if w > width-curW {
			// A word wider than the line: cut it by cells.
			for _, u := range ts[i:j] {
				if u.url != "" && curW+u.width > width && curW > 0 {
					// A link starts a line rather than lose its host.
					emit()
				}
				for k, piece := range cutCells(u.text, width, width-curW) {
					pw := ansi.StringWidth(piece)
					if curW+pw > width && curW > 0 {
						emit()
					}
					v := u
					v.text, v.width = piece, pw
					if k > 0 && v.role == roleLink {
						// A URL cut over lines links from its first
						// piece, which shows its host, only.
						v.url = ""
					}
					cur = append(cur, v)
					curW += pw
				}
			}
			i = j
			continue
		}
		cur = append(cur, ts[i:j]...)
		curW += w
		i = j
	}
	if len(cur) > 0 || len(lines) == 0 {
		emit()
	}
	return lines
}

// cutCells cuts s into pieces: the first at most first cells, the others
// at most width.
func cutCells(s string, width, first int) []string {
	var out []string
	room := max(first, 1)
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := ansi.StringWidth(string(r))
		if w+rw > room && w > 0 {
			out = append(out, b.String())
			b.Reset()
			w = 0
			room = width
		}
		b.WriteRune(r)
		w += rw
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	return out
}

// line writes tokens as one line of output.
func (l *layout) line(ts []tok) string {
	var b strings.Builder
	for i := 0; i < len(ts); {
		t := ts[i]
		j := i + 1
		for j < len(ts) && ts[j].role == t.role && ts[j].st == t.st && ts[j].url == t.url {
			j++
		}
		// A space between two links, or after styled text, is plain.
		sgr := l.pal.sgr(t.role, t.st, l.on)
		link := l.on && t.url != "" && SafeURL(t.url) == t.url
		if link {
			b.WriteString("\x1b]8;;" + t.url + "\a")
		}
		b.WriteString(sgr)
		for _, u := range ts[i:j] {
			b.WriteString(u.text)
		}
		if sgr != "" {
			b.WriteString("\x1b[m")
		}
		if link {
			b.WriteString("\x1b]8;;\a")
		}
		i = j
	}
	return b.String()
}

// blocks lays out blocks; tight leaves no blank line between them.
func (l *layout) blocks(bs []*node, width int, tight bool) []string {
	var out []string
	for _, b := range bs {
		ls := l.block(b, width)
		if len(ls) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, ls...)
	}
	return out
}

// indent prefixes lines: first before the first, rest before the others.
func indent(lines []string, first, rest string) []string {
	for i, s := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if s == "" {
			lines[i] = strings.TrimRight(p, " ")
			continue
		}
		lines[i] = p + s
	}
	return lines
}

// room returns the width left after an indent of n, and the indent to
// use: nested blocks stop indenting once the room is small.
func room(width, n int) (int, int) {
	if width-n < minInner {
		return width, 0
	}
	return width - n, n
}

// block lays out one block.
func (l *layout) block(n *node, width int) []string {
	switch n.kind {
	case blockPara:
		return l.wrap(l.flatten(n.kids, roleText, 0, "", false, nil), width, false)
	case blockHeading:
		return l.heading(n, width)
	case blockTerm:
		return l.wrap(l.flatten(n.kids, roleText, stBold, "", false, nil), width, false)
	case blockList:
		return l.list(n, width)
	case blockDefs:
		var out []string
		for _, c := range n.kids {
			if c.kind == blockTerm {
				out = append(out, l.block(c, width)...)
				continue
			}
			w, ind := room(width, 2)
			sp := strings.Repeat(" ", ind)
			out = append(out, indent(l.blocks(c.kids, w, true), sp, sp)...)
		}
		return out
	case blockItem, blockCell:
		return l.blocks(n.kids, width, true)
	case blockPre:
		w, ind := room(width, preIndent)
		sp := strings.Repeat(" ", ind)
		return indent(l.wrap(l.flatten(n.kids, rolePre, 0, "", true, nil), w, true), sp, sp)
	case blockRule:
		return []string{l.styled(roleFaint, "--------")}
	case blockQuote:
		w, ind := room(width, 2)
		bar := l.styled(roleFaint, "│") + " "
		if ind == 0 {
			bar = ""
		}
		return indent(l.blocks(n.kids, w, false), bar, bar)
	case blockTable:
		return l.table(n, width)
	default:
		// Rows are laid out by their table; inline kinds are not blocks.
		return nil
	}
}

// styled writes text in a role.
func (l *layout) styled(r role, s string) string {
	sgr := l.pal.sgr(r, 0, l.on)
	if sgr == "" {
		return s
	}
	return sgr + s + "\x1b[m"
}

// heading lays out a heading: in colour after the theme, in plain text
// as its words alone.
func (l *layout) heading(n *node, width int) []string {
	ts := l.flatten(n.kids, roleHeading, 0, "", false, nil)
	prefix := ""
	switch {
	case l.pal.marks:
		prefix = strings.Repeat("#", max(n.level, 1)) + " "
	case l.on && n.level == 1:
		for i := range ts {
			if ts[i].role == roleHeading {
				ts[i].role = roleH1
			}
		}
		ts = append([]tok{{text: " ", width: 1, role: roleH1}}, ts...)
		ts = append(ts, tok{text: " ", width: 1, role: roleH1})
	case l.on:
		prefix = strings.Repeat("#", n.level) + " "
	}
	if prefix != "" {
		ts = append([]tok{{text: prefix, width: len(prefix), role: roleHeading}}, ts...)
	}
	for i := range ts {
		if ts[i].role == roleH1 {
			ts[i].space = false // keep the padding
		}
	}
	return l.wrap(ts, width, false)
}

// list lays out a list with hanging indents.
func (l *layout) list(n *node, width int) []string {
	var out []string
	num := 0
	for _, it := range n.kids {
		num++
		marker := "• "
		if l.pal.ascii {
			marker = "* "
		}
		if n.ordered {
			marker = strconv.Itoa(num) + ". "
		}
		mw := ansi.StringWidth(marker)
		w, ind := room(width, mw)
		ls := l.blocks(it.kids, w, true)
		if len(ls) == 0 {
			ls = []string{""}
		}
		sp := strings.Repeat(" ", ind)
		first := marker
		if ind == 0 {
			first = ""
		}
		if len(it.kids) > 0 && (it.kids[0].kind == blockList || it.kids[0].kind == blockDefs) {
			// An item that only holds a nested list shows no bullet of
			// its own.
			first = sp
		}
		out = append(out, indent(ls, first, sp)...)
	}
	return out
}

// tableCell is a cell placed in the grid.
type tableCell struct {
	n         *node
	col, span int
	lines     []string
}

// table lays a table out as a grid that fits width: columns as wide as
// their text when it fits, else narrower with wrapped cells, else one
// block per row ("header: value") when even the narrowest grid is wider.
func (l *layout) table(n *node, width int) []string {
	var out []string
	if len(n.inl) > 0 {
		out = append(out, l.wrap(l.flatten(n.inl, roleText, stItalic, "", false, nil), width, false)...)
	}
	var grid [][]*tableCell
	taken := map[[2]int]bool{}
	cols := 0
	for ri, row := range n.kids {
		var cells []*tableCell
		col := 0
		for _, c := range row.kids {
			for taken[[2]int{ri, col}] {
				col++
			}
			span := max(c.colspan, 1)
			span = min(span, 100)
			tc := &tableCell{n: c, col: col, span: span}
			cells = append(cells, tc)
			for r := 1; r < min(max(c.rowspan, 1), 100); r++ {
				for k := 0; k < span; k++ {
					taken[[2]int{ri + r, col + k}] = true
				}
			}
			col += span
		}
		cols = max(cols, col)
		grid = append(grid, cells)
	}
	if cols == 0 {
		return out
	}
	nat := make([]int, cols)
	minw := make([]int, cols)
	for _, row := range grid {
		for _, c := range row {
			if c.span != 1 {
				continue
			}
			nw, mw := l.cellWidths(c.n)
			nat[c.col] = max(nat[c.col], nw)
			minw[c.col] = max(minw[c.col], min(mw, maxColumnMin))
		}
	}
	for i := range nat {
		nat[i] = max(nat[i], 1)
		minw[i] = max(min(minw[i], nat[i]), 1)
	}
	sep := ansi.StringWidth(cellSep) * (cols - 1)
	w := make([]int, cols)
	total := sep
	for i := range nat {
		total += nat[i]
	}
	switch {
	case total <= width:
		copy(w, nat)
	default:
		sum := sep
		for i := range minw {
			w[i] = max(minw[i], min(minColumn, nat[i]))
			sum += w[i]
		}
		if sum > width {
			return append(out, l.tableRows(grid, width)...)
		}
		for extra := width - sum; extra > 0; extra-- {
			best, bestNeed := -1, 0.0
			for i := range w {
				if need := float64(nat[i]-w[i]) / float64(nat[i]); w[i] < nat[i] && need > bestNeed {
					best, bestNeed = i, need
				}
			}
			if best < 0 {
				break
			}
			w[best]++
		}
	}
	bar := l.styled(roleFaint, cellSep)
	headerRows := 0
	for _, row := range grid {
		if len(row) == 0 || !allHead(row) {
			break
		}
		headerRows++
	}
	if headerRows == len(grid) {
		headerRows = 0
	}
	for ri, row := range grid {
		height := 1
		for _, c := range row {
			cw := spanWidth(w, c.col, c.span)
			c.lines = l.blocks(c.n.kids, cw, true)
			height = max(height, len(c.lines))
		}
		for k := 0; k < height; k++ {
			var b strings.Builder
			col := 0
			for ci, c := range row {
				for col < c.col {
					// A column taken by a cell spanning rows from above.
					if col > 0 {
						b.WriteString(bar)
					}
					b.WriteString(strings.Repeat(" ", w[col]))
					col++
				}
				if ci > 0 || col > 0 {
					b.WriteString(bar)
				}
				cw := spanWidth(w, c.col, c.span)
				s := ""
				if k < len(c.lines) {
					s = c.lines[k]
				}
				b.WriteString(s + strings.Repeat(" ", max(cw-ansi.StringWidth(s), 0)))
				col = c.col + c.span
			}
			out = append(out, trimPadding(b.String()))
		}
		if ri == headerRows-1 {
			var b strings.Builder
			for i := range w {
				if i > 0 {
					b.WriteString("─┼─")
				}
				b.WriteString(strings.Repeat("─", w[i]))
			}
			out = append(out, l.styled(roleFaint, b.String()))
		}
	}
	return out
}

// tableRows lays a table out one block per row, each cell on its own
// lines after its column's header.
func (l *layout) tableRows(grid [][]*tableCell, width int) []string {
	var heads []string
	var out []string
	for ri, row := range grid {
		if ri == 0 && allHead(row) && len(grid) > 1 {
			for _, c := range row {
				for len(heads) < c.col {
					heads = append(heads, "")
				}
				h := strings.Join(strings.Fields(plainOf(cellInlines(c.n))), " ")
				for k := 0; k < c.span; k++ {
					heads = append(heads, h)
				}
			}
			continue
		}
		if len(out) > 0 {
			out = append(out, l.styled(roleFaint, strings.Repeat("─", min(width, 20))))
		}
		for _, c := range row {
			h := ""
			if c.col < len(heads) {
				h = heads[c.col]
			}
			w, ind := room(width, 2)
			lines := l.blocks(c.n.kids, w, true)
			if h != "" {
				lines = append(l.wrap([]tok{{text: h + ":", width: ansi.StringWidth(h) + 1, role: roleText, st: stBold}}, width, false), indent(lines, strings.Repeat(" ", ind), strings.Repeat(" ", ind))...)
			}
			out = append(out, lines...)
		}
	}
	return out
}

// cellInlines returns the inlines of a cell's blocks, for its header.
func cellInlines(c *node) []*node {
	var inl []*node
	for _, b := range c.kids {
		if b.kind == blockPara {
			inl = append(inl, b.kids...)
			inl = append(inl, &node{kind: inText, text: " "})
		}
	}
	return inl
}

func allHead(row []*tableCell) bool {
	for _, c := range row {
		if !c.n.head {
			return false
		}
	}
	return true
}

// spanWidth is the width of a cell spanning span columns from col.
func spanWidth(w []int, col, span int) int {
	s := 0
	for i := col; i < col+span && i < len(w); i++ {
		s += w[i]
	}
	return s + ansi.StringWidth(cellSep)*(min(col+span, len(w))-col-1)
}

// cellWidths returns a cell's natural width (its widest line unwrapped)
// and its least width (its widest word). It measures the tree, never lays
// it out, and remembers each node: nested tables cost once, not once per
// level of nesting.
func (l *layout) cellWidths(c *node) (nat, least int) {
	if w, ok := l.widths[c]; ok {
		return w[0], w[1]
	}
	if l.widths == nil {
		l.widths = map[*node][2]int{}
	}
	switch c.kind {
	case blockPara, blockTerm, blockHeading, blockPre:
		ts := placeDeferred(l.flatten(c.kids, roleText, 0, "", c.kind == blockPre, nil))
		line, word := 0, 0
		for _, t := range ts {
			switch {
			case t.hard:
				line, word = 0, 0
				continue
			case t.space, t.wide:
				word = 0
			}
			line += t.width
			if !t.space {
				word += t.width
			}
			nat = max(nat, line)
			least = max(least, word)
		}
		if c.kind == blockPre {
			nat += preIndent
		}
	case blockTable:
		for _, r := range c.kids {
			rowNat := 0
			for i, cell := range r.kids {
				n, m := l.cellWidths(cell)
				if i > 0 {
					rowNat += ansi.StringWidth(cellSep)
				}
				rowNat += n
				least = max(least, m)
			}
			nat = max(nat, rowNat)
		}
	default:
		// Lists, definitions, quotes, items and cells: their widest
		// child, with room for a marker or an indent.
		pad := 0
		if c.kind == blockList || c.kind == blockDefs || c.kind == blockQuote {
			pad = 3
		}
		for _, k := range c.kids {
			n, m := l.cellWidths(k)
			nat = max(nat, n+pad)
			least = max(least, m+pad)
		}
	}
	l.widths[c] = [2]int{nat, least}
	return nat, least
}
