package render

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Wikitext tunables.
const (
	// templateFoldChars is the length past which a template is folded to
	// its name: "{{Infobox country …}}".
	templateFoldChars = 60
	// maxNesting bounds how deep templates, links, lists and tables are
	// followed, so hostile input cannot blow the stack.
	maxNesting = 40
)

// Placeholders stand for pieces already parsed (code, refs, templates)
// while the rest of the text is parsed. They use two code points of the
// Unicode private use area, which are removed from the input first.
const (
	phOpen  = '\uE000'
	phClose = '\uE001'
)

// wikiParser parses one page's wikitext into the document tree.
type wikiParser struct {
	// page is the title of the page the text belongs to, for subpage
	// links such as [[/Proposal]].
	page string
	// pageURL builds the URL of a wiki page from its title; nil when the
	// wiki's URL scheme is unknown, and links then show as text.
	pageURL func(title string) string
	// pieces are the nodes the placeholders stand for, by index.
	pieces []*node
	// notes are the <ref> footnotes, in order.
	notes [][]*node
	// named maps a named ref to its footnote number.
	named map[string]int
	// categories and langs are the page's [[Category:…]] and
	// interlanguage links, shown at the end.
	categories, langs []*node
	// external counts the numbered external links ([http://x] is [1]).
	external int
	depth    int
	// partial is set when parsing a prefix of a page: the footnotes and
	// categories, which belong at the page's end, are left out.
	partial bool
}

// WikiContext says where wikitext comes from, so links can be built.
type WikiContext struct {
	// Page is the title of the page the text belongs to.
	Page string
	// PageURL, if not nil, gives the URL of a page from its title; see
	// PageURLFunc.
	PageURL func(title string) string
}

// WikitextToMarkdown converts MediaWiki wikitext to Markdown, written from
// the same document tree the terminal rendering lays out.
//
// It renders what a reader of the page sees: headings, lists, emphasis,
// links (the label shows), tables, <pre>, <nowiki> and <code> literally,
// footnotes for <ref>, and the categories at the end. Templates are not
// expanded (that needs the wiki); they show as code, folded when long.
// HTML comments are hidden.
func WikitextToMarkdown(src string, ctx WikiContext) string {
	p := &wikiParser{page: ctx.Page, pageURL: ctx.PageURL}
	return markdownOf(p.parse(src))
}

// parse parses a page (or a prefix of one) into blocks.
func (c *wikiParser) parse(src string) []*node {
	src = strings.NewReplacer("\r\n", "\n", "\r", "\n", string(phOpen), "", string(phClose), "").Replace(src)
	src = stripComments(src)
	src = c.protect(src)
	src = c.replaceTemplates(src)
	src = htmlBlocks(src)
	out := c.blocks(src)
	if c.partial {
		return out
	}
	if len(c.notes) > 0 {
		out = append(out, &node{kind: blockRule})
		l := &node{kind: blockList, ordered: true}
		for _, n := range c.notes {
			l.kids = append(l.kids, &node{kind: blockItem, kids: []*node{{kind: blockPara, kids: n}}})
		}
		out = append(out, l)
	}
	for _, g := range []struct {
		label string
		links []*node
	}{{"Categories:", c.categories}, {"Languages:", c.langs}} {
		if len(g.links) == 0 {
			continue
		}
		inl := []*node{newText(g.label, stItalic), newText(" ", 0)}
		for i, l := range g.links {
			if i > 0 {
				inl = append(inl, newText(" · ", 0))
			}
			inl = append(inl, l)
		}
		out = append(out, &node{kind: blockPara, kids: inl})
	}
	return out
}

// placeholder stores a node and returns the marker that stands for it.
func (c *wikiParser) placeholder(n *node) string {
	c.pieces = append(c.pieces, n)
	return string(phOpen) + strconv.Itoa(len(c.pieces)-1) + string(phClose)
}

// piece returns the node of the placeholder at the start of s and the
// placeholder's length, or nil.
func (c *wikiParser) piece(s string) (*node, int) {
	if !strings.HasPrefix(s, string(phOpen)) {
		return nil, 0
	}
	rest := s[len(string(phOpen)):]
	j := strings.IndexRune(rest, phClose)
	if j < 0 {
		return nil, 0
	}
	k, err := strconv.Atoi(rest[:j])
	if err != nil || k >= len(c.pieces) {
		return nil, 0
	}
	return c.pieces[k], len(string(phOpen)) + j + len(string(phClose))
}

// literalTags are the elements whose content is not wikitext, and the
// ones parsed here before the rest (refs, poems, galleries).
var literalTags = map[string]bool{
	"nowiki": true, "pre": true, "math": true, "source": true, "syntaxhighlight": true,
	"ref": true, "references": true, "poem": true, "gallery": true, "score": true, "chem": true,
	"timeline": true, "graph": true, "templatedata": true, "mapframe": true, "maplink": true,
}

// protect replaces the elements whose content is not wikitext (nowiki,
// pre, math, source) and the <ref> footnotes by placeholders, and turns
// <poem> and <gallery> into the wikitext they show as.
func (c *wikiParser) protect(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		name, attrs, selfClosing, end := parseTag(s[i:])
		if !literalTags[name] || strings.HasPrefix(s[i:], "</") {
			if literalTags[name] {
				// A stray closing tag shows nothing.
				i += end
				continue
			}
			b.WriteByte('<')
			i++
			continue
		}
		inner := ""
		after := i + end
		if !selfClosing {
			closeTag := "</" + name
			k := indexFold(s[after:], closeTag)
			if k < 0 {
				inner = s[after:]
				after = len(s)
			} else {
				inner = s[after : after+k]
				after += k
				if m := strings.IndexByte(s[after:], '>'); m >= 0 {
					after += m + 1
				} else {
					after = len(s)
				}
			}
		}
		switch name {
		case "nowiki":
			b.WriteString(c.placeholder(wikiText(inner, 0)))
		case "math", "chem", "score":
			b.WriteString(c.placeholder(newCode(strings.Join(strings.Fields(inner), " "), 0)))
		case "pre":
			// <pre> holds text as <nowiki> does: entities decoded.
			inner = nowikiTags(inner)
			b.WriteString("\n" + c.placeholder(&node{kind: blockPre, kids: []*node{wikiText(strings.Trim(inner, "\n"), 0)}}) + "\n")
		case "source", "syntaxhighlight":
			if attrHas(attrs, "inline") {
				b.WriteString(c.placeholder(newCode(inner, 0)))
			} else {
				b.WriteString("\n" + c.placeholder(&node{kind: blockPre, kids: []*node{newText(strings.Trim(inner, "\n"), 0)}}) + "\n")
			}
		case "ref":
			b.WriteString(c.ref(attrs, inner, selfClosing))
		case "poem":
			b.WriteString(poemText(c.protect(inner)))
		case "gallery":
			b.WriteString(galleryText(inner))
		}
		i = after
	}
	return b.String()
}

// nowikiTags resolves <nowiki> inside <pre>: a pair shows its content, a
// <nowiki/> nothing, and a lone tag shows as written, as in MediaWiki.
func nowikiTags(s string) string {
	for {
		k := indexFold(s, "<nowiki/>")
		if k < 0 {
			break
		}
		s = s[:k] + s[k+len("<nowiki/>"):]
	}
	var b strings.Builder
	for {
		k := indexFold(s, "<nowiki>")
		if k < 0 {
			break
		}
		e := indexFold(s[k:], "</nowiki>")
		if e < 0 {
			break
		}
		b.WriteString(s[:k] + s[k+len("<nowiki>"):k+e])
		s = s[k+e+len("</nowiki>"):]
	}
	b.WriteString(s)
	return b.String()
}

// htmlTags are the tags MediaWiki allows in wikitext; any other "<name>"
// shows as text.
var htmlTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`b bdi bdo del i ins u font big small sub sup h1 h2 h3 h4 h5 h6 cite code em s strike
		strong tt var div center blockquote ol ul dl table caption pre ruby rb rp rt rtc p span abbr dfn kbd samp data
		time mark br wbr hr li dt dd td th tr thead tbody tfoot q link meta img`) {
		htmlTags[t] = true
	}
}

// attrHas reports whether attributes hold a bare attribute name.
func attrHas(attrs, name string) bool {
	for _, f := range strings.Fields(attrs) {
		k, _, _ := strings.Cut(f, "=")
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// poemText turns a poem into wikitext with its line breaks kept: each
// line ends in <br>, and leading spaces are kept as no-break spaces.
func poemText(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		lines[i] = strings.Repeat("\u00a0", len(l)-len(t)) + t
		if i < len(lines)-1 {
			lines[i] += "<br>"
		}
	}
	return "\n\n" + strings.Join(lines, "\n") + "\n\n"
}

// galleryText turns a <gallery>'s lines ("File:A.jpg|Caption") into a
// list of images.
func galleryText(s string) string {
	var b strings.Builder
	b.WriteString("\n")
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		file, _, _ := strings.Cut(l, "|")
		if !strings.Contains(file, ":") {
			l = "File:" + l
		}
		b.WriteString("* [[" + l + "]]\n")
	}
	return b.String() + "\n"
}

// ref records a footnote and returns its marker. A named ref used again
// (<ref name="x" />) points at the first note of that name.
func (c *wikiParser) ref(attrs, inner string, selfClosing bool) string {
	name := attrValue(attrs, "name")
	if n, ok := c.named[name]; ok && name != "" {
		return c.placeholder(newText("["+strconv.Itoa(n)+"]", 0))
	}
	if selfClosing || strings.TrimSpace(inner) == "" || c.depth > maxNesting {
		return ""
	}
	c.depth++
	inl := c.inline(strings.TrimSpace(strings.ReplaceAll(c.replaceTemplates(c.protect(inner)), "\n", " ")), 0)
	c.depth--
	c.notes = append(c.notes, inl)
	if name != "" {
		if c.named == nil {
			c.named = map[string]int{}
		}
		c.named[name] = len(c.notes)
	}
	return c.placeholder(newText("["+strconv.Itoa(len(c.notes))+"]", 0))
}

// replaceTemplates replaces every {{…}} (and {{{…}}} parameter) by a
// placeholder, folded to its name when long. Nesting is followed so the
// whole outer template becomes one placeholder.
func (c *wikiParser) replaceTemplates(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		end := matchBraces(s[i:])
		if end < 0 {
			// Unbalanced: MediaWiki shows the braces as text.
			b.WriteString("{{")
			i += 2
			continue
		}
		b.WriteString(c.placeholder(c.template(s[i : i+end])))
		i += end
	}
	return b.String()
}

// template shows a template unexpanded, folded when long. Its text is
// the source as written (placeholders in it shown as what they hold).
func (c *wikiParser) template(t string) *node {
	t = c.unplaceholder(t)
	flat := strings.Join(strings.Fields(t), " ")
	if len(flat) <= templateFoldChars && !strings.Contains(t, "\n") {
		return &node{kind: inTemplate, text: Sanitize(flat)}
	}
	name := strings.TrimLeft(t, "{")
	if k := strings.IndexAny(name, "|}\n"); k >= 0 {
		name = name[:k]
	}
	name = strings.TrimSpace(name)
	if len(name) > templateFoldChars {
		name = strings.ToValidUTF8(name[:templateFoldChars], "")
	}
	return &node{kind: inTemplate, text: Sanitize("{{" + name + " …}}")}
}

// unplaceholder replaces placeholders in s by the text they hold.
func (c *wikiParser) unplaceholder(s string) string {
	if !strings.ContainsRune(s, phOpen) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if n, k := c.piece(s[i:]); n != nil {
			b.WriteString(plainOf([]*node{n}))
			i += k
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// htmlBlocks turns the HTML block tags in wikitext into the wikitext they
// stand for, so that they are parsed with the rest: a table's tags become
// {| |- | |}, a list's become * and #, <div> and <p> break paragraphs, and
// a tag that spans lines is joined onto one.
func htmlBlocks(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	var lists []byte // 'u', 'o', 'd'
	tables := 0
	listPrefix := func(last byte) string {
		var p []byte
		for k, l := range lists {
			if k == len(lists)-1 {
				break
			}
			p = append(p, map[byte]byte{'u': '*', 'o': '#', 'd': ':'}[l])
		}
		return string(append(p, last))
	}
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		name, attrs, _, end := parseTag(s[i:])
		if name == "" {
			b.WriteByte('<')
			i++
			continue
		}
		closing := strings.HasPrefix(s[i:], "</")
		tag := s[i : i+end]
		i += end
		attrs = strings.Join(strings.Fields(attrs), " ")
		switch name {
		case "table":
			if closing {
				if tables > 0 {
					tables--
					b.WriteString("\n|}\n")
				}
			} else {
				tables++
				b.WriteString("\n{| " + attrs + "\n")
			}
		case "tr":
			if !closing && tables > 0 {
				b.WriteString("\n|- " + attrs + "\n")
			}
		case "td", "th":
			if !closing && tables > 0 {
				mark := "|"
				if name == "th" {
					mark = "!"
				}
				if attrs != "" {
					b.WriteString("\n" + mark + " " + attrs + " | ")
				} else {
					b.WriteString("\n" + mark + " ")
				}
			}
		case "caption":
			if !closing && tables > 0 {
				b.WriteString("\n|+ ")
			}
		case "thead", "tbody", "tfoot":
		case "ul", "ol", "dl":
			if closing {
				if len(lists) > 0 {
					lists = lists[:len(lists)-1]
				}
				if len(lists) == 0 {
					b.WriteString("\n\n")
				}
			} else if len(lists) < maxNesting {
				lists = append(lists, name[0])
				b.WriteString("\n")
			}
		case "li", "dt", "dd":
			if closing || len(lists) == 0 && name != "li" {
				continue
			}
			last := byte('*')
			switch {
			case name == "dt":
				last = ';'
			case name == "dd":
				last = ':'
			case len(lists) > 0 && lists[len(lists)-1] == 'o':
				last = '#'
			}
			if len(lists) == 0 {
				b.WriteString("\n* ")
				continue
			}
			b.WriteString("\n" + listPrefix(last) + " ")
		case "p", "div", "center", "blockquote", "section", "article", "aside", "figure", "figcaption", "header", "footer", "nav":
			if len(lists) > 0 {
				b.WriteString(" ")
			} else {
				b.WriteString("\n\n")
			}
		case "hr":
			b.WriteString("\n----\n")
		case "h1", "h2", "h3", "h4", "h5", "h6":
			marks := strings.Repeat("=", int(name[1]-'0'))
			if closing {
				b.WriteString(" " + marks + "\n")
			} else {
				b.WriteString("\n" + marks + " ")
			}
		default:
			b.WriteString(strings.ReplaceAll(tag, "\n", " "))
		}
	}
	return b.String()
}

// blocks parses the block structure line by line.
func (c *wikiParser) blocks(src string) []*node {
	if c.depth > maxNesting {
		return appendBlock(nil, para([]*node{wikiText(c.unplaceholder(src), 0)}))
	}
	c.depth++
	defer func() { c.depth-- }()
	lines := strings.Split(src, "\n")
	var out []*node
	var paraLines []string
	var list *listBuilder
	flush := func() {
		if len(paraLines) > 0 {
			out = appendBlock(out, c.paragraph(paraLines))
			paraLines = paraLines[:0]
		}
	}
	endList := func() {
		if list != nil {
			out = append(out, list.roots...)
			list = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		if trimmed != "" && isTableStart(trimmed) {
			flush()
			endList()
			end := tableEnd(lines, i)
			out = append(out, c.table(lines[i:end])...)
			i = end - 1
			continue
		}
		if line != "" && strings.IndexByte("*#:;", line[0]) >= 0 {
			flush()
			if list == nil {
				list = &listBuilder{}
			}
			c.listLine(list, line)
			continue
		}
		endList()
		switch {
		case trimmed == "":
			flush()
		case line[0] == '=' && isHeading(line):
			flush()
			level, text := heading(line)
			out = append(out, &node{kind: blockHeading, level: level, kids: trimInlines(c.inline(text, 0))})
		case strings.HasPrefix(line, "----"):
			flush()
			out = append(out, &node{kind: blockRule})
			if rest := strings.TrimLeft(line, "-"); strings.TrimSpace(rest) != "" {
				paraLines = append(paraLines, rest)
			}
		case line[0] == ' ':
			flush()
			pre := &node{kind: blockPre}
			for ; i < len(lines) && len(lines[i]) > 0 && lines[i][0] == ' ' && strings.TrimSpace(lines[i]) != "" && !isTableStart(strings.TrimSpace(lines[i])); i++ {
				if len(pre.kids) > 0 {
					pre.kids = append(pre.kids, &node{kind: inBreak})
				}
				pre.kids = append(pre.kids, c.inline(lines[i][1:], 0)...)
			}
			i--
			out = append(out, pre)
		default:
			if n, k := c.piece(trimmed); n != nil && k == len(trimmed) && !n.isInline() {
				flush()
				out = append(out, n)
				continue
			}
			if c.onlyTemplates(trimmed) {
				// A template alone on its line is a block (an infobox,
				// a navigation box): it does not join the paragraph.
				flush()
				paraLines = append(paraLines, line)
				flush()
				continue
			}
			paraLines = append(paraLines, line)
		}
	}
	flush()
	endList()
	return out
}

// onlyTemplates reports whether a line holds only template placeholders.
func (c *wikiParser) onlyTemplates(s string) bool {
	found := false
	for s != "" {
		n, k := c.piece(s)
		if n == nil || n.kind != inTemplate {
			return false
		}
		found = true
		s = strings.TrimSpace(s[k:])
	}
	return found
}

// paragraph parses a paragraph's lines: a single line break is a space.
func (c *wikiParser) paragraph(lines []string) *node {
	var inl []*node
	for i, l := range lines {
		if i > 0 {
			inl = append(inl, newText(" ", 0))
		}
		inl = append(inl, c.inline(l, 0)...)
	}
	return para(inl)
}

// listBuilder builds nested lists from the prefixes of list lines.
type listBuilder struct {
	roots []*node
	stack []listFrame
}

// listFrame is one open level: its prefix character, its container and
// its last item.
type listFrame struct {
	ch        byte
	container *node
	item      *node
}

// sameList reports whether two prefix characters continue one list:
// ';' and ':' are one definition list.
func sameList(a, b byte) bool {
	return a == b || (a == ';' || a == ':') && (b == ';' || b == ':')
}

// listLine adds one line of a *, #, : or ; list. A ';' line's text may
// hold its definition after a ':' that is not inside a link or URL.
func (c *wikiParser) listLine(l *listBuilder, line string) {
	n := 0
	for n < len(line) && strings.IndexByte("*#:;", line[n]) >= 0 {
		n++
	}
	prefix, text := line[:n], strings.TrimSpace(line[n:])
	if len(prefix) > maxNesting {
		prefix = prefix[:maxNesting-1] + prefix[len(prefix)-1:]
	}
	if prefix[len(prefix)-1] == ';' {
		if k := definitionColon(text); k >= 0 {
			c.listItem(l, prefix, strings.TrimSpace(text[:k]))
			c.listItem(l, prefix[:len(prefix)-1]+":", strings.TrimSpace(text[k+1:]))
			return
		}
	}
	c.listItem(l, prefix, text)
}

// definitionColon returns the index of the ':' that ends a ';' term, or
// -1: not one inside [[…]], […], a placeholder or a URL's "://".
func definitionColon(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case ':':
			if depth == 0 && !strings.HasPrefix(s[i:], "://") {
				return i
			}
		}
	}
	return -1
}

// listItem adds an item of the given prefix.
func (c *wikiParser) listItem(l *listBuilder, prefix, text string) {
	n := len(prefix)
	k := 0
	for k < len(l.stack) && k < n-1 && sameList(l.stack[k].ch, prefix[k]) {
		k++
	}
	reuse := k == n-1 && k < len(l.stack) && sameList(l.stack[k].ch, prefix[k])
	if reuse {
		l.stack = l.stack[:k+1]
	} else {
		l.stack = l.stack[:k]
	}
	for len(l.stack) < n {
		i := len(l.stack)
		ch := prefix[i]
		cont := &node{kind: blockDefs}
		if ch == '*' || ch == '#' {
			cont = &node{kind: blockList, ordered: ch == '#'}
		}
		if i == 0 {
			l.roots = append(l.roots, cont)
		} else {
			parent := l.stack[i-1].item
			parent.kids = append(parent.kids, cont)
		}
		f := listFrame{ch: ch, container: cont}
		if i < n-1 {
			// A deeper line with no item above it: an empty item holds
			// the nested list.
			f.item = &node{kind: blockItem}
			cont.kids = append(cont.kids, f.item)
		}
		l.stack = append(l.stack, f)
	}
	top := &l.stack[n-1]
	inl := trimInlines(c.inline(text, 0))
	if prefix[n-1] == ';' {
		top.item = &node{kind: blockItem}
		top.container.kids = append(top.container.kids, &node{kind: blockTerm, kids: inl})
		// A nested list under a term goes in a description.
		top.container.kids = append(top.container.kids, top.item)
		return
	}
	top.item = &node{kind: blockItem}
	top.item.kids = appendBlock(top.item.kids, para(inl))
	top.container.kids = append(top.container.kids, top.item)
}

// table parses a {| … |} table. Attributes are read for spans only;
// nested tables are parsed inside their cell; the caption is kept whole;
// text after the closing |} follows the table.
func (c *wikiParser) table(lines []string) []*node {
	t := &node{kind: blockTable}
	var before []string
	var row, cell *node
	var cellSrc, capSrc []string
	inCaption := false
	flushCell := func() {
		if cell != nil {
			cell.kids = c.blocks(strings.Join(cellSrc, "\n"))
			cell = nil
		}
		if inCaption {
			t.inl = trimInlines(c.inline(strings.Join(capSrc, " "), 0))
			inCaption = false
		}
		cellSrc = nil
	}
	newRow := func() {
		flushCell()
		row = &node{kind: blockRow}
		t.kids = append(t.kids, row)
	}
	addCells := func(s string, head bool) {
		seps := []string{"||"}
		if head {
			seps = append(seps, "!!")
		}
		for _, part := range splitCells(s, seps) {
			flushCell()
			if row == nil {
				newRow()
			}
			attrs, content := cellAttrs(part)
			cell = &node{kind: blockCell, head: head}
			if v, err := strconv.Atoi(strings.TrimSpace(attrValue(attrs, "colspan"))); err == nil && v > 1 {
				cell.colspan = min(v, 100)
			}
			if v, err := strconv.Atoi(strings.TrimSpace(attrValue(attrs, "rowspan"))); err == nil && v > 1 {
				cell.rowspan = min(v, 100)
			}
			row.kids = append(row.kids, cell)
			cellSrc = []string{content}
		}
	}
	after := ""
	nested := 0
	for _, line := range lines[1:] {
		tr := strings.TrimSpace(line)
		if nested > 0 || (cell != nil && isTableStart(tr)) {
			switch {
			case isTableStart(tr):
				nested++
			case strings.HasPrefix(tr, "|}"):
				nested--
			}
			cellSrc = append(cellSrc, line)
			continue
		}
		switch {
		case strings.HasPrefix(tr, "|}"):
			after = strings.TrimSpace(tr[2:])
		case strings.HasPrefix(tr, "|+"):
			flushCell()
			_, content := cellAttrs(tr[2:])
			inCaption, capSrc = true, []string{content}
		case strings.HasPrefix(tr, "|-"):
			newRow()
		case strings.HasPrefix(tr, "!"):
			addCells(tr[1:], true)
		case strings.HasPrefix(tr, "|"):
			addCells(tr[1:], false)
		case inCaption:
			capSrc = append(capSrc, line)
		case cell != nil:
			cellSrc = append(cellSrc, line)
		default:
			before = append(before, line)
		}
	}
	flushCell()
	var rows []*node
	for _, r := range t.kids {
		if len(r.kids) > 0 {
			rows = append(rows, r)
		}
	}
	t.kids = rows
	var out []*node
	if len(before) > 0 {
		out = append(out, c.blocks(strings.Join(before, "\n"))...)
	}
	if len(t.kids) > 0 || len(t.inl) > 0 {
		out = append(out, t)
	}
	if strings.TrimSpace(after) != "" {
		out = append(out, c.blocks(after)...)
	}
	return out
}

// splitCells splits a table line at the cell separators that are not
// inside a [[…]] link.
func splitCells(s string, seps []string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "[["):
			depth++
			i++
			continue
		case strings.HasPrefix(s[i:], "]]") && depth > 0:
			depth--
			i++
			continue
		}
		if depth > 0 {
			continue
		}
		for _, sep := range seps {
			if strings.HasPrefix(s[i:], sep) {
				parts = append(parts, s[start:i])
				start = i + len(sep)
				i += len(sep) - 1
				break
			}
		}
	}
	return append(parts, s[start:])
}

// cellAttrs splits a cell into its attributes and its content at the
// first single '|' that is not inside a link, as MediaWiki does.
func cellAttrs(cell string) (attrs, content string) {
	depth := 0
	for i := 0; i < len(cell); i++ {
		switch {
		case strings.HasPrefix(cell[i:], "[["):
			depth++
			i++
		case strings.HasPrefix(cell[i:], "]]"):
			depth--
			i++
		case cell[i] == '[':
			// An external link's label may hold a '|'.
			if k := strings.IndexByte(cell[i:], ']'); k > 0 {
				i += k
			}
		case cell[i] == '|' && depth <= 0:
			return cell[:i], strings.TrimSpace(cell[i+1:])
		}
	}
	return "", strings.TrimSpace(cell)
}

// inlineState is the emphasis while a line is parsed: wikitext's quotes
// toggle, HTML tags nest.
type inlineState struct {
	qBold, qItalic                bool
	bold, italic, strike, u, code int
}

func (e *inlineState) style() style {
	var st style
	if e.qBold || e.bold > 0 {
		st |= stBold
	}
	if e.qItalic || e.italic > 0 {
		st |= stItalic
	}
	if e.strike > 0 {
		st |= stStrike
	}
	if e.u > 0 {
		st |= stUnderline
	}
	if e.code > 0 {
		st |= stCode
	}
	return st
}

// inline parses one line of inline wikitext.
func (c *wikiParser) inline(s string, base style) []*node {
	if c.depth > maxNesting {
		return []*node{wikiText(c.unplaceholder(s), base)}
	}
	c.depth++
	defer func() { c.depth-- }()
	var out []*node
	var e inlineState
	st := func() style { return e.style() | base }
	text := func(t string) {
		if t == "" {
			return
		}
		n := wikiText(t, st())
		if k := len(out) - 1; k >= 0 && out[k].kind == inText && out[k].st == n.st {
			out[k] = &node{kind: inText, text: out[k].text + n.text, st: n.st}
			return
		}
		out = append(out, n)
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\'' && strings.HasPrefix(s[i:], "''"):
			n := 0
			for i+n < len(s) && s[i+n] == '\'' {
				n++
			}
			switch {
			case n == 4:
				text("'")
				n = 3
			case n > 5:
				text(strings.Repeat("'", n-5))
				n = 5
			}
			i += len(s[i:]) - len(strings.TrimLeft(s[i:], "'"))
			switch n {
			case 2:
				e.qItalic = !e.qItalic
			case 3:
				e.qBold = !e.qBold
			case 5:
				e.qBold, e.qItalic = !e.qBold, !e.qItalic
			}
		case strings.HasPrefix(s[i:], "[["):
			end := matchLink(s[i:])
			if end < 0 {
				text("[[")
				i += 2
				continue
			}
			nodes := c.internalLink(s[i+2:i+end-2], st())
			i += end
			// The link trail: letters right after the link join its label.
			trail := 0
			for trail < len(s)-i {
				r, size := utf8.DecodeRuneInString(s[i+trail:])
				if !unicode.IsLetter(r) || isWide(r) {
					break
				}
				trail += size
			}
			if trail > 0 && len(nodes) == 1 && nodes[0].kind == inLink {
				nodes[0].kids = append(nodes[0].kids, wikiText(s[i:i+trail], st()))
				i += trail
			}
			out = append(out, nodes...)
		case s[i] == '[':
			if n, k := c.externalLink(s[i:], st()); k > 0 {
				out = append(out, n)
				i += k
				continue
			}
			text("[")
			i++
		case s[i] == '<':
			n := c.inlineTag(s[i:], &e)
			if n == 0 {
				text("<")
				i++
				continue
			}
			if strings.HasPrefix(s[i:], "<br") || strings.HasPrefix(s[i:], "<BR") || strings.HasPrefix(s[i:], "</br") {
				out = append(out, &node{kind: inBreak})
			}
			i += n
		case strings.HasPrefix(s[i:], string(phOpen)):
			n, k := c.piece(s[i:])
			if n == nil {
				i += len(string(phOpen))
				continue
			}
			if n.isInline() {
				cp := *n
				cp.st |= st()
				out = append(out, &cp)
			} else {
				out = append(out, wikiText(plainOf(n.kids), st()))
			}
			i += k
		case (s[i] == 'h' || s[i] == 'H') && (hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://")):
			n := urlLength(s[i:])
			// MediaWiki decodes entities in a URL, as in any text.
			u := html.UnescapeString(s[i : i+n])
			if safe := SafeURL(u); safe != "" {
				out = append(out, &node{kind: inLink, url: safe, bare: true, kids: []*node{newText(u, st())}})
			} else {
				text(s[i : i+n])
			}
			i += n
		case strings.HasPrefix(s[i:], "__") && magicWord(s[i:]) > 0:
			i += magicWord(s[i:])
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			j := i + size
			for ; j < len(s); j++ {
				ch := s[j]
				if ch == '\'' || ch == '[' || ch == '<' || ch == '_' || ch == 0xEE || ch == 'h' || ch == 'H' {
					break
				}
			}
			text(s[i:j])
			i = j
		}
	}
	return out
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

// inlineTag reads an HTML tag inside wikitext and applies it to the
// emphasis; it returns the tag's length, or 0 when s does not start with
// one. Other tags (span, small, sup, font, …) show only their content.
func (c *wikiParser) inlineTag(s string, e *inlineState) int {
	name, _, selfClosing, end := parseTag(s)
	if name == "" || !htmlTags[name] {
		return 0
	}
	closing := strings.HasPrefix(s, "</")
	d := 1
	if closing {
		d = -1
	}
	if selfClosing {
		d = 0
	}
	bump := func(p *int) { *p = max(*p+d, 0) }
	switch name {
	case "b", "strong":
		bump(&e.bold)
	case "i", "em", "cite", "var", "dfn":
		bump(&e.italic)
	case "s", "strike", "del":
		bump(&e.strike)
	case "u", "ins":
		bump(&e.u)
	case "code", "tt", "kbd", "samp":
		bump(&e.code)
	}
	return end
}

// imageOption reports whether an image parameter is an option rather
// than the caption.
func imageOption(p string) bool {
	p = strings.TrimSpace(strings.ToLower(p))
	switch p {
	case "thumb", "thumbnail", "frame", "framed", "frameless", "border", "left", "right", "center", "centre",
		"none", "baseline", "sub", "super", "sup", "top", "text-top", "middle", "bottom", "text-bottom", "upright":
		return true
	}
	if k, _, ok := strings.Cut(p, "="); ok {
		switch strings.TrimSpace(k) {
		case "upright", "link", "alt", "page", "class", "lang", "thumbtime", "start", "end", "thumb", "thumbnail", "loop", "muted":
			return true
		}
	}
	if strings.HasSuffix(p, "px") {
		return strings.Trim(p[:len(p)-2], "0123456789x ") == ""
	}
	return false
}

// interlanguage reports whether a link prefix is a language code: such
// links go to the sidebar, not the text.
func interlanguage(ns string) bool {
	if len(ns) < 2 || len(ns) > 12 || ns != strings.ToLower(ns) {
		return false
	}
	switch ns {
	case "wikt", "wp", "mw", "meta", "commons", "wikipedia", "wiktionary", "wikiquote", "wikisource", "wikinews", "wikibooks", "wikiversity", "wikivoyage", "species", "wikidata", "wmf", "phab", "gerrit", "mediawikiwiki", "user", "talk", "help", "project", "special", "media", "template", "module", "portal", "draft", "category", "file", "image":
		return false
	}
	head, tail, _ := strings.Cut(ns, "-")
	if len(head) < 2 || len(head) > 3 && head != "simple" {
		return false
	}
	for _, r := range head + tail {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// internalLink parses the inside of [[…]]: a page link shows its label
// and links to the page; a category or interlanguage link is collected;
// a file shows as its caption.
func (c *wikiParser) internalLink(inner string, st style) []*node {
	parts := splitPipes(inner)
	target, hasLabel := parts[0], len(parts) > 1
	target = strings.TrimSpace(html.UnescapeString(c.unplaceholder(target)))
	ns, rest, hasNS := strings.Cut(target, ":")
	nsLower := strings.ToLower(strings.TrimSpace(ns))
	leadingColon := strings.HasPrefix(target, ":")
	switch {
	case hasNS && !leadingColon && (nsLower == "category" || nsLower == "kategorie" || nsLower == "catégorie" || nsLower == "categoría" || nsLower == "категория"):
		rest = strings.TrimSpace(rest)
		c.categories = append(c.categories, c.pageLink(newText(rest, 0), strings.TrimSpace(ns)+":"+rest))
		return nil
	case hasNS && !leadingColon && interlanguage(strings.TrimSpace(ns)):
		c.langs = append(c.langs, c.pageLink(newText(target, 0), target))
		return nil
	case hasNS && !leadingColon && (nsLower == "file" || nsLower == "image" || nsLower == "datei" || nsLower == "bild" || nsLower == "fichier" || nsLower == "archivo" || nsLower == "файл" || nsLower == "media"):
		caption := ""
		for _, p := range parts[1:] {
			if !imageOption(p) {
				caption = p
			}
		}
		var capNodes []*node
		if strings.TrimSpace(caption) != "" {
			capNodes = trimInlines(c.inline(caption, st))
		} else {
			capNodes = []*node{newText(strings.TrimSpace(rest), st)}
		}
		out := []*node{newText("["+strings.TrimSpace(ns)+": ", st)}
		out = append(out, capNodes...)
		return append(out, newText("]", st))
	}
	var label []*node
	if hasLabel {
		label = trimInlines(c.inline(inner[len(parts[0])+1:], st))
	}
	if len(label) == 0 {
		shown := strings.TrimPrefix(target, ":")
		if hasLabel {
			// The pipe trick: [[Help:Contents|]] shows "Contents".
			if _, after, ok := strings.Cut(shown, ":"); ok {
				shown = after
			}
			if k := strings.Index(shown, " ("); k > 0 {
				shown = shown[:k]
			}
		}
		label = []*node{newText(shown, st)}
	}
	return []*node{c.pageLink(nil, strings.TrimPrefix(target, ":"), label...)}
}

// pageLink returns a link to a page of the wiki; label defaults to one.
func (c *wikiParser) pageLink(one *node, title string, label ...*node) *node {
	if one != nil {
		label = []*node{one}
	}
	return &node{kind: inLink, url: SafeURL(c.url(title)), wiki: true, kids: label}
}

// url returns a page's URL, or "" when links cannot be built.
func (c *wikiParser) url(title string) string {
	if c.pageURL == nil || title == "" || strings.HasPrefix(title, "#") {
		return ""
	}
	if strings.HasPrefix(title, "/") && c.page != "" {
		title = c.page + strings.TrimSuffix(title, "/")
	}
	return c.pageURL(title)
}

// externalLink parses [url label] at the start of s; n is 0 when s does
// not start with one. A link with no label is numbered, as MediaWiki
// shows it: [1].
func (c *wikiParser) externalLink(s string, st style) (n *node, length int) {
	end := strings.IndexByte(s, ']')
	if end < 0 || strings.Contains(s[:end], "\n") {
		return nil, 0
	}
	inner := s[1:end]
	target, label, _ := strings.Cut(inner, " ")
	lower := strings.ToLower(target)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") &&
		!strings.HasPrefix(lower, "mailto:") && !strings.HasPrefix(lower, "//") {
		return nil, 0
	}
	if strings.HasPrefix(target, "//") {
		target = "https:" + target
	}
	u := SafeURL(html.UnescapeString(c.unplaceholder(target)))
	var kids []*node
	if strings.TrimSpace(label) != "" {
		kids = trimInlines(c.inline(strings.TrimSpace(label), st))
	} else {
		c.external++
		kids = []*node{newText("["+strconv.Itoa(c.external)+"]", st)}
	}
	return &node{kind: inLink, url: u, kids: kids}, end + 1
}

// stripComments removes <!-- … -->; an unterminated comment runs to the end,
// as MediaWiki treats it.
func stripComments(s string) string {
	if !strings.Contains(s, "<!--") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+4:], "-->")
		if j < 0 {
			return b.String()
		}
		s = s[i+4+j+3:]
	}
}

// matchBraces returns the length of the balanced {{…}} at the start of s,
// or -1.
func matchBraces(s string) int {
	depth := 0
	for i := 0; i < len(s)-1; i++ {
		switch {
		case s[i] == '{' && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && s[i+1] == '}':
			depth--
			i++
			if depth == 0 {
				// Absorb a third brace of a {{{parameter}}}.
				if i+1 < len(s) && s[i+1] == '}' && strings.HasPrefix(s, "{{{") {
					return i + 2
				}
				return i + 1
			}
			if depth > maxNesting {
				return -1
			}
		}
	}
	return -1
}

func isHeading(s string) bool {
	return len(s) >= 3 && s[0] == '=' && s[len(s)-1] == '=' && strings.Trim(s, "=") != ""
}

// heading returns a heading's level (1 to 6) and text.
func heading(s string) (int, string) {
	l := len(s) - len(strings.TrimLeft(s, "="))
	r := len(s) - len(strings.TrimRight(s, "="))
	level := min(l, r, 6)
	return level, strings.TrimSpace(s[level : len(s)-level])
}

// isTableStart reports whether a trimmed line opens a table. Wikipedia
// often indents a table as a definition ":{|"; the indent is dropped.
func isTableStart(t string) bool {
	return strings.HasPrefix(strings.TrimLeft(t, ":"), "{|")
}

// tableEnd returns the index of the line after the table starting at i.
func tableEnd(lines []string, i int) int {
	depth := 0
	for j := i; j < len(lines); j++ {
		t := strings.TrimSpace(lines[j])
		if isTableStart(t) {
			depth++
		} else if strings.HasPrefix(t, "|}") {
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(lines)
}

// magicWord returns the length of a behaviour switch such as __TOC__ at
// the start of s, or 0.
func magicWord(s string) int {
	for _, w := range []string{"__NOTOC__", "__TOC__", "__FORCETOC__", "__NOEDITSECTION__", "__NEWSECTIONLINK__", "__NOGALLERY__", "__HIDDENCAT__", "__INDEX__", "__NOINDEX__", "__STATICREDIRECT__", "__DISAMBIG__"} {
		if strings.HasPrefix(s, w) {
			return len(w)
		}
	}
	return 0
}

// matchLink returns the length of the balanced [[…]] at the start of s,
// or -1. Images nest links in their captions.
func matchLink(s string) int {
	depth := 0
	for i := 0; i < len(s)-1; i++ {
		switch {
		case s[i] == '[' && s[i+1] == '[':
			depth++
			i++
		case s[i] == ']' && s[i+1] == ']':
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		case s[i] == '\n':
			return -1
		}
		if depth > maxNesting {
			return -1
		}
	}
	return -1
}

// splitPipes splits the inside of a link at the pipes that are not inside
// a nested [[…]] link.
func splitPipes(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "[["):
			depth++
			i++
		case strings.HasPrefix(s[i:], "]]") && depth > 0:
			depth--
			i++
		case s[i] == '|' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// urlLength returns the length of a bare URL at the start of s, leaving
// out trailing punctuation as MediaWiki does.
func urlLength(s string) int {
	n := 0
	for n < len(s) && !strings.ContainsRune(" \t\n<>[]{}|\"", rune(s[n])) && s[n] != 0xEE /* a placeholder */ {
		n++
	}
	for n > 0 && strings.ContainsRune(".,;:!?)'", rune(s[n-1])) {
		n--
	}
	return n
}

// parseTag reads an HTML-like tag at the start of s ("<name attrs>",
// "</name>", "<name/>"). It returns the lower-case name ("" if s does not
// start with a tag), the attribute text, whether it closes itself, and its
// length.
func parseTag(s string) (name, attrs string, selfClosing bool, n int) {
	if len(s) < 3 || s[0] != '<' {
		return "", "", false, 0
	}
	i := 1
	if s[i] == '/' {
		i++
	}
	start := i
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' && i > start) {
		i++
	}
	if i == start || i >= len(s) || !strings.ContainsRune(" \t\n/>", rune(s[i])) {
		return "", "", false, 0
	}
	name = strings.ToLower(s[start:i])
	end := strings.IndexByte(s[i:], '>')
	if end < 0 || strings.Contains(s[i:i+end], "<") {
		return "", "", false, 0
	}
	attrs = s[i : i+end]
	selfClosing = strings.HasSuffix(attrs, "/")
	return name, strings.TrimSuffix(attrs, "/"), selfClosing, i + end + 1
}

// attrValue reads name="value" (or 'value', or bare value) from attributes.
func attrValue(attrs, name string) string {
	for _, f := range strings.Fields(attrs) {
		k, v, ok := strings.Cut(f, "=")
		if ok && strings.EqualFold(k, name) {
			return strings.Trim(v, `"'`)
		}
	}
	return ""
}

// indexFold is strings.Index ignoring ASCII case, for a sub that starts
// with '<'. It does not copy s: a page has hundreds of <ref> tags.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); {
		j := strings.IndexByte(s[i:], sub[0])
		if j < 0 || i+j+len(sub) > len(s) {
			return -1
		}
		i += j
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
		i++
	}
	return -1
}

// PageURLFunc returns a function that builds wiki page URLs from a
// revision's URL: "…/index.php?title=X&diff=1" gives "…/index.php?title=",
// "…/wiki/X" gives "…/wiki/". It returns nil when the URL fits neither.
func PageURLFunc(revisionURL string) func(string) string {
	u, err := url.Parse(revisionURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil
	}
	if u.Query().Get("title") != "" {
		prefix := u.Scheme + "://" + u.Host + u.Path + "?title="
		return func(t string) string { return prefix + wikiTitle(t) }
	}
	if k := strings.Index(u.Path, "/wiki/"); k >= 0 {
		prefix := u.Scheme + "://" + u.Host + u.Path[:k+len("/wiki/")]
		return func(t string) string { return prefix + wikiTitle(t) }
	}
	if k := strings.Index(u.Path, "/index.php/"); k >= 0 {
		prefix := u.Scheme + "://" + u.Host + u.Path[:k+len("/index.php/")]
		return func(t string) string { return prefix + wikiTitle(t) }
	}
	return nil
}

// wikiTitle writes a title the way MediaWiki puts it in URLs.
func wikiTitle(t string) string {
	t = strings.ReplaceAll(strings.TrimSpace(t), " ", "_")
	page, frag, _ := strings.Cut(t, "#")
	s := strings.ReplaceAll(url.PathEscape(page), "%2F", "/")
	if frag != "" {
		s += "#" + url.PathEscape(frag)
	}
	return s
}

// wikitextPrefix returns a prefix of s of at least n bytes that ends at a
// line break where no template, table, comment or tag that holds wikitext
// (<ref>, <pre>, <nowiki>, …) is open, so that converting it gives the
// same start as converting all of s. all is true when no such cut exists
// before the end (or s is short): then prefix is s.
func wikitextPrefix(s string, n int) (prefix string, all bool) {
	if len(s) <= n {
		return s, true
	}
	braces, tables := 0, 0
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '\n')
		if j < 0 {
			return s, true
		}
		line := s[i : i+j]
		braces += strings.Count(line, "{{") - strings.Count(line, "}}")
		t := strings.TrimSpace(line)
		if isTableStart(t) {
			tables++
		} else if strings.HasPrefix(t, "|}") && tables > 0 {
			tables--
		}
		i += j + 1
		if i >= n && braces <= 0 && tables == 0 && j == 0 && !openElement(s[:i]) {
			// Cut only at a blank line, between paragraphs.
			return s[:i], false
		}
	}
	return s, true
}

// openElement reports whether s ends inside a comment or an element whose
// content is not plain wikitext.
func openElement(s string) bool {
	if strings.LastIndex(s, "<!--") > strings.LastIndex(s, "-->") {
		return true
	}
	for _, name := range []string{"ref", "pre", "nowiki", "code", "math", "source", "syntaxhighlight", "gallery", "poem"} {
		open := lastIndexFold(s, "<"+name)
		if open < 0 {
			continue
		}
		closeAt := lastIndexFold(s, "</"+name)
		if closeAt > open {
			continue
		}
		// A self-closing <ref name="x" /> is not open.
		if end := strings.IndexByte(s[open:], '>'); end > 0 && s[open+end-1] == '/' {
			continue
		}
		return true
	}
	return false
}

// lastIndexFold is strings.LastIndex ignoring ASCII case.
func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if s[i] == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
