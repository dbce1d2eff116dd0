package render

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Wikitext tunables.
const (
	// templateFoldChars is the length past which a template is folded to
	// its name: "{{Infobox country …}}".
	templateFoldChars = 60
	// maxNesting bounds how deep templates, links and tables are followed,
	// so hostile input cannot blow the stack.
	maxNesting = 40
)

// Placeholders stand for pieces already turned into Markdown (code, refs,
// templates) while the rest of the text is parsed. They use two code points
// of the Unicode private use area, which are removed from the input first.
const (
	phOpen  = '\uE000'
	phClose = '\uE001'
)

// wikiConverter turns one page's wikitext into Markdown.
type wikiConverter struct {
	// page is the title of the page the text belongs to, for subpage
	// links such as [[/Proposal]].
	page string
	// pageURL builds the URL of a wiki page from its title; nil when the
	// wiki's URL scheme is unknown, and links then show as text.
	pageURL func(title string) string
	// pieces are the Markdown of the placeholders, by index.
	pieces []string
	// notes are the <ref> footnotes, in order.
	notes []string
	// named maps a named ref to its footnote number.
	named map[string]int
	// categories are the page's [[Category:…]] links.
	categories []string
	depth      int
	// partial is set when converting a prefix of a page: the footnotes
	// and categories, which belong at the page's end, are left out.
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

// WikitextToMarkdown converts MediaWiki wikitext to Markdown.
//
// It renders what a reader of the page sees: headings, lists, emphasis,
// links (the label shows), tables, <pre>, <nowiki> and <code> literally,
// footnotes for <ref>, and the categories at the end. Templates are not
// expanded (that needs the wiki); they show as code, folded when long.
// HTML comments are hidden.
func WikitextToMarkdown(src string, ctx WikiContext) string {
	c := &wikiConverter{page: ctx.Page, pageURL: ctx.PageURL}
	return forMarkdown(c.convert(src))
}

func (c *wikiConverter) convert(src string) string {
	src = strings.NewReplacer("\r\n", "\n", "\r", "\n", string(phOpen), "", string(phClose), "", string(wikiLinkMark), "").Replace(Sanitize(src))
	src = stripComments(src)
	src = c.protect(src)
	src = c.replaceTemplates(src)
	var out strings.Builder
	c.blocks(src, &out)
	if c.partial {
		return out.String()
	}
	if len(c.notes) > 0 {
		out.WriteString("\n---\n\n")
		for i, n := range c.notes {
			out.WriteString(strconv.Itoa(i+1) + "\\. " + n + "\\\n")
		}
	}
	if len(c.categories) > 0 {
		out.WriteString("\n*Categories:* " + strings.Join(c.categories, " · ") + "\n")
	}
	return out.String()
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

// placeholder stores md and returns the marker that stands for it.
func (c *wikiConverter) placeholder(md string) string {
	c.pieces = append(c.pieces, md)
	return string(phOpen) + strconv.Itoa(len(c.pieces)-1) + string(phClose)
}

// protect replaces the elements whose content is not wikitext (nowiki,
// pre, code, math, source) and the <ref> footnotes by placeholders.
func (c *wikiConverter) protect(s string) string {
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
		switch name {
		case "nowiki", "pre", "code", "tt", "math", "source", "syntaxhighlight", "ref":
		default:
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
			b.WriteString(c.placeholder(escapeMD(html.UnescapeString(inner))))
		case "code", "tt":
			// <code> holds wikitext; a <nowiki> inside only protects
			// what is already shown literally here.
			inner = nowikiTag.ReplaceAllString(inner, "")
			b.WriteString(c.placeholder(codeSpan(html.UnescapeString(inner))))
		case "math":
			b.WriteString(c.placeholder(codeSpan(inner)))
		case "pre", "source", "syntaxhighlight":
			b.WriteString("\n" + c.placeholder(codeBlock(html.UnescapeString(strings.Trim(inner, "\n")))) + "\n")
		case "ref":
			b.WriteString(c.ref(attrs, inner, selfClosing))
		}
		i = after
	}
	return b.String()
}

// nowikiTag matches <nowiki>, </nowiki> and <nowiki/>.
var nowikiTag = regexp.MustCompile(`(?i)</?nowiki\s*/?>`)

// ref records a footnote and returns its marker. A named ref used again
// (<ref name="x" />) points at the first note of that name.
func (c *wikiConverter) ref(attrs, inner string, selfClosing bool) string {
	name := attrValue(attrs, "name")
	if n, ok := c.named[name]; ok && name != "" {
		return c.placeholder("\\[" + strconv.Itoa(n) + "\\]")
	}
	if selfClosing || strings.TrimSpace(inner) == "" {
		return ""
	}
	sub := &wikiConverter{page: c.page, pageURL: c.pageURL, depth: c.depth + 1}
	text := strings.TrimSpace(sub.inline(sub.replaceTemplates(sub.protect(inner))))
	c.notes = append(c.notes, sub.expand(text))
	if name != "" {
		if c.named == nil {
			c.named = map[string]int{}
		}
		c.named[name] = len(c.notes)
	}
	return c.placeholder("\\[" + strconv.Itoa(len(c.notes)) + "\\]")
}

// replaceTemplates replaces every {{…}} (and {{{…}}} parameter) by a code
// placeholder, folded to its name when long. Nesting is followed so the
// whole outer template becomes one placeholder.
func (c *wikiConverter) replaceTemplates(s string) string {
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
		b.WriteString(c.placeholder(templateMD(s[i : i+end])))
		i += end
	}
	return b.String()
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

// templateMD shows a template unexpanded, as code, folded when long.
func templateMD(t string) string {
	flat := strings.Join(strings.Fields(t), " ")
	if len(flat) <= templateFoldChars && !strings.Contains(t, "\n") {
		return codeSpan(flat)
	}
	name := strings.TrimLeft(t, "{")
	if k := strings.IndexAny(name, "|}\n"); k >= 0 {
		name = name[:k]
	}
	name = strings.TrimSpace(name)
	if len(name) > templateFoldChars {
		name = name[:templateFoldChars]
	}
	return codeSpan("{{" + name + " …}}")
}

// expand replaces placeholders by their Markdown.
func (c *wikiConverter) expand(s string) string {
	if !strings.ContainsRune(s, phOpen) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexRune(s, phOpen)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(string(phOpen)):]
		j := strings.IndexRune(rest, phClose)
		if j < 0 {
			b.WriteString(rest)
			return b.String()
		}
		if n, err := strconv.Atoi(rest[:j]); err == nil && n < len(c.pieces) {
			b.WriteString(c.expand(c.pieces[n]))
		}
		s = rest[j+len(string(phClose)):]
	}
}

// blocks parses the block structure line by line.
func (c *wikiConverter) blocks(src string, out *strings.Builder) {
	lines := strings.Split(src, "\n")
	var para []string
	flush := func() {
		if len(para) > 0 {
			// A hard break at the very end of a paragraph would show as
			// a backslash.
			out.WriteString(strings.TrimSuffix(joinParagraph(para), "\\") + "\n\n")
			para = para[:0]
		}
	}
	prevList := false
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		isList := trimmed != "" && strings.ContainsRune("*#:;", rune(line[0]))
		if prevList && !isList {
			out.WriteString("\n")
		}
		prevList = false
		switch {
		case trimmed == "":
			flush()
		case isTableStart(trimmed):
			flush()
			end := tableEnd(lines, i)
			out.WriteString(c.table(lines[i:end]) + "\n")
			i = end - 1
		case isHeading(trimmed):
			flush()
			level, text := heading(trimmed)
			out.WriteString(strings.Repeat("#", level) + " " + c.expand(c.inline(text)) + "\n\n")
		case strings.HasPrefix(trimmed, "----") && strings.Trim(trimmed, "-") == "":
			flush()
			out.WriteString("---\n\n")
		case isList:
			flush()
			out.WriteString(c.listItem(line))
			prevList = true
		case line[0] == ' ':
			flush()
			var pre []string
			for ; i < len(lines) && len(lines[i]) > 0 && lines[i][0] == ' ' && strings.TrimSpace(lines[i]) != ""; i++ {
				pre = append(pre, c.plainText(lines[i][1:]))
			}
			i--
			out.WriteString(codeBlock(strings.Join(pre, "\n")) + "\n")
		default:
			text := c.expand(c.inline(line))
			if isBlockPlaceholder(trimmed, c) {
				flush()
				out.WriteString(text + "\n")
				continue
			}
			// A <br> ending the line is a hard break before the next one.
			para = append(para, escapeLineStart(strings.TrimSuffix(text, "\n")))
		}
	}
	flush()
}

// isBlockPlaceholder reports whether a line is only a code block
// placeholder, which must not join a paragraph.
func isBlockPlaceholder(line string, c *wikiConverter) bool {
	if !strings.HasPrefix(line, string(phOpen)) || !strings.HasSuffix(line, string(phClose)) {
		return false
	}
	n, err := strconv.Atoi(line[len(string(phOpen)) : len(line)-len(string(phClose))])
	return err == nil && n < len(c.pieces) && strings.HasPrefix(c.pieces[n], "```")
}

// joinParagraph joins a paragraph's source lines: a single line break in
// wikitext is a space, and only a <br> (a hard break, "\\" at the end of
// the line) keeps the lines apart. glamour runs with preserved new lines,
// so the line breaks written here are the ones shown.
func joinParagraph(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if strings.HasSuffix(lines[i-1], "\\") {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
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

// listItem renders one line of a *, #, : or ; list. Bullets and numbers
// become Markdown list items, indented four spaces a level; ':' indents
// without a bullet, as MediaWiki does; ';' is a bold term.
func (c *wikiConverter) listItem(line string) string {
	n := 0
	for n < len(line) && strings.IndexByte("*#:;", line[n]) >= 0 {
		n++
	}
	prefix, text := line[:n], strings.TrimSpace(line[n:])
	depth := strings.Count(prefix, "*") + strings.Count(prefix, "#")
	last := prefix[len(prefix)-1]
	var def string
	if last == ';' {
		if k := strings.Index(text, " : "); k >= 0 {
			text, def = text[:k], strings.TrimSpace(text[k+3:])
		} else if k := strings.Index(text, ":"); k > 0 && !strings.Contains(text[:k], "//") {
			text, def = text[:k], strings.TrimSpace(text[k+1:])
		}
	}
	body := c.expand(c.inline(text))
	switch last {
	case '*', '#':
		marker := "- "
		if last == '#' {
			marker = "1. "
		}
		return strings.Repeat("    ", depth-1) + marker + body + "\n"
	case ';':
		s := strings.Repeat("\u00a0\u00a0", n-1) + "**" + strings.TrimSpace(body) + "**\\\n"
		if def != "" {
			s += strings.Repeat("\u00a0\u00a0", n) + c.expand(c.inline(def)) + "\\\n"
		}
		return s
	default: // ':'
		if body == "" {
			return ""
		}
		return strings.Repeat("\u00a0\u00a0", n) + body + "\\\n"
	}
}

// plainText is text shown literally (inside <pre> or a space-indented
// block) with placeholders turned back into plain words.
func (c *wikiConverter) plainText(s string) string {
	return html.UnescapeString(c.unprotect(s))
}

// unprotect turns placeholders back into something readable in a code
// block: Markdown code spans lose their fences.
func (c *wikiConverter) unprotect(s string) string {
	e := c.expand(s)
	return strings.ReplaceAll(e, "`", "")
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

// table converts a {| … |} table to a Markdown table. Attributes are
// dropped; nested tables are flattened into their cell; the caption goes
// above.
func (c *wikiConverter) table(lines []string) string {
	var rows [][]string
	var cur []string
	var caption string
	header := false
	nested := 0
	addCells := func(s, sep string, isHeader bool) {
		if len(rows) == 0 && len(cur) == 0 && isHeader {
			header = true
		}
		for _, cell := range strings.Split(s, sep) {
			cur = append(cur, cellText(cell))
		}
	}
	for idx, line := range lines {
		t := strings.TrimSpace(line)
		if idx == 0 {
			continue
		}
		switch {
		case isTableStart(t):
			nested++
			continue
		case strings.HasPrefix(t, "|}"):
			if nested > 0 {
				nested--
			}
			continue
		}
		if nested > 0 {
			if len(cur) > 0 {
				cur[len(cur)-1] += " " + cellText(strings.TrimLeft(t, "|!-+"))
			}
			continue
		}
		switch {
		case strings.HasPrefix(t, "|+"):
			caption = cellText(t[2:])
		case strings.HasPrefix(t, "|-"):
			if len(cur) > 0 {
				rows = append(rows, cur)
				cur = nil
			}
		case strings.HasPrefix(t, "!"):
			addCells(strings.ReplaceAll(t[1:], "||", "!!"), "!!", true)
		case strings.HasPrefix(t, "|"):
			addCells(t[1:], "||", false)
		default:
			if len(cur) > 0 {
				cur[len(cur)-1] += " " + t
			}
		}
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	if len(rows) == 0 {
		return ""
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	var b strings.Builder
	if caption != "" {
		b.WriteString("*" + c.expand(c.inline(caption)) + "*\n\n")
	}
	writeRow := func(r []string) {
		b.WriteString("|")
		for i := 0; i < cols; i++ {
			cell := ""
			if i < len(r) {
				cell = strings.ReplaceAll(c.expand(c.inline(r[i])), "\n", " ")
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	if header {
		writeRow(rows[0])
		rows = rows[1:]
	} else {
		writeRow(nil)
	}
	b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
	for _, r := range rows {
		writeRow(r)
	}
	return b.String()
}

// cellText drops a cell's attributes ("style=… | text").
func cellText(cell string) string {
	// An attribute part ends at a single '|' that is not inside a link or
	// a placeholder.
	depth := 0
	for i := 0; i < len(cell); i++ {
		switch {
		case strings.HasPrefix(cell[i:], "[["):
			depth++
			i++
		case strings.HasPrefix(cell[i:], "]]"):
			depth--
			i++
		case cell[i] == '|' && depth == 0:
			if strings.Contains(cell[:i], "=") {
				return strings.TrimSpace(cell[i+1:])
			}
			return strings.TrimSpace(cell)
		}
	}
	return strings.TrimSpace(cell)
}

// emphasis is the state of bold and italic while a line is converted.
type emphasis struct{ bold, italic bool }

// marker returns the Markdown delimiter for a style.
func (e emphasis) marker() string {
	switch {
	case e.bold && e.italic:
		return "***"
	case e.bold:
		return "**"
	case e.italic:
		return "*"
	}
	return ""
}

// run is a stretch of converted inline Markdown with one emphasis.
type run struct {
	text string
	em   emphasis
}

// inline converts one line of inline wikitext to Markdown. Emphasis is
// collected as runs first, so each run's delimiters hug its text: Markdown
// ignores "** bold**", which wikitext allows.
func (c *wikiConverter) inline(s string) string {
	if c.depth > maxNesting {
		return escapeMD(s)
	}
	var runs []run
	var buf strings.Builder
	em := emphasis{}
	flushRun := func() {
		if buf.Len() > 0 {
			runs = append(runs, run{buf.String(), em})
			buf.Reset()
		}
	}
	text := func(t string) {
		md := escapeMD(html.UnescapeString(t))
		if strings.HasSuffix(buf.String(), "\n") {
			// After a <br>: "- x" must not start a Markdown list.
			md = escapeLineStart(md)
		}
		buf.WriteString(md)
	}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "'''''"):
			flushRun()
			em.bold, em.italic = !em.bold, !em.italic
			i += 5
		case strings.HasPrefix(s[i:], "'''"):
			flushRun()
			em.bold = !em.bold
			i += 3
		case strings.HasPrefix(s[i:], "''"):
			flushRun()
			em.italic = !em.italic
			i += 2
		case strings.HasPrefix(s[i:], "[["):
			end := matchLink(s[i:])
			if end < 0 {
				text("[[")
				i += 2
				continue
			}
			buf.WriteString(c.internalLink(s[i+2 : i+end-2]))
			i += end
		case s[i] == '[':
			if md, n := c.externalLink(s[i:]); n > 0 {
				buf.WriteString(md)
				i += n
				continue
			}
			text("[")
			i++
		case s[i] == '<':
			md, n, flag, closing := c.inlineTag(s[i:])
			if flag != nil {
				flushRun()
				*flag(&em) = !closing
			}
			if n == 0 {
				text("<")
				i++
				continue
			}
			buf.WriteString(md)
			i += n
		case s[i] == 'h' && (strings.HasPrefix(s[i:], "http://") || strings.HasPrefix(s[i:], "https://")):
			n := urlLength(s[i:])
			// MediaWiki decodes entities in a URL, as in any text.
			buf.WriteString(mdLink("", html.UnescapeString(s[i:i+n])))
			i += n
		case strings.HasPrefix(s[i:], "__") && magicWord(s[i:]) > 0:
			i += magicWord(s[i:])
		default:
			j := i + 1
			for ; j < len(s); j++ {
				c := s[j]
				if c == '\'' || c == '[' || c == '<' || c == '_' || c == 'h' && strings.HasPrefix(s[j:], "http") {
					break
				}
			}
			text(s[i:j])
			i = j
		}
	}
	flushRun()
	return joinRuns(runs)
}

// joinRuns writes runs with their emphasis delimiters, keeping spaces
// outside the delimiters.
func joinRuns(runs []run) string {
	var b strings.Builder
	for _, r := range runs {
		m := r.em.marker()
		t := strings.TrimSpace(r.text)
		if m == "" || t == "" {
			b.WriteString(r.text)
			continue
		}
		lead := r.text[:strings.Index(r.text, t)]
		trail := r.text[len(lead)+len(t):]
		b.WriteString(lead + m + t + m + trail)
	}
	return b.String()
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

// internalLink converts the inside of [[…]]: a page link shows its label
// and links to the page; a category is collected; a file or image shows
// as its caption.
func (c *wikiConverter) internalLink(inner string) string {
	parts := splitPipes(inner)
	target, label, hasLabel := parts[0], "", len(parts) > 1
	if hasLabel {
		// A page link's label may itself hold pipes: [[a|b|c]] shows "b|c".
		label = inner[len(parts[0])+1:]
	}
	target = strings.TrimSpace(html.UnescapeString(target))
	ns, rest, hasNS := strings.Cut(target, ":")
	nsLower := strings.ToLower(strings.TrimSpace(ns))
	switch {
	case hasNS && (nsLower == "category" || nsLower == "kategorie"):
		if strings.HasPrefix(target, ":") {
			break
		}
		rest = strings.TrimSpace(rest)
		c.categories = append(c.categories, wikiLink(escapeMD(rest), c.url(strings.TrimSpace(ns)+":"+rest)))
		return ""
	case hasNS && (nsLower == "file" || nsLower == "image" || nsLower == "datei" || nsLower == "bild"):
		// The caption is the last parameter; pipes inside the caption's
		// own links ([[File:x.png|thumb|The [[a|b]] c]]) do not count.
		caption := rest
		if len(parts) > 1 {
			caption = parts[len(parts)-1]
		}
		sub := &wikiConverter{page: c.page, pageURL: c.pageURL, depth: c.depth + 1, pieces: c.pieces}
		md := sub.inline(caption)
		c.pieces = sub.pieces
		return "\\[" + escapeMD(ns) + ": " + md + "\\]"
	}
	var md string
	if hasLabel {
		sub := &wikiConverter{page: c.page, pageURL: c.pageURL, depth: c.depth + 1, pieces: c.pieces}
		md = sub.inline(label)
		c.pieces = sub.pieces
	}
	if strings.TrimSpace(md) == "" {
		md = escapeMD(strings.TrimPrefix(target, ":"))
		if hasLabel && label == "" {
			// The pipe trick: [[Help:Contents|]] shows "Contents".
			if _, after, ok := strings.Cut(target, ":"); ok {
				md = escapeMD(after)
			}
		}
	}
	return wikiLink(md, c.url(strings.TrimPrefix(target, ":")))
}

// url returns a page's URL, or "" when links cannot be built.
func (c *wikiConverter) url(title string) string {
	if c.pageURL == nil || title == "" || strings.HasPrefix(title, "#") {
		return ""
	}
	if strings.HasPrefix(title, "/") && c.page != "" {
		title = c.page + strings.TrimSuffix(title, "/")
	}
	return c.pageURL(title)
}

// externalLink converts [url label] at the start of s; n is 0 when s does
// not start with one.
func (c *wikiConverter) externalLink(s string) (md string, n int) {
	end := strings.IndexByte(s, ']')
	if end < 0 || strings.Contains(s[:end], "\n") {
		return "", 0
	}
	inner := s[1:end]
	target, label, _ := strings.Cut(inner, " ")
	if !strings.HasPrefix(target, "http://") && !strings.HasPrefix(target, "https://") &&
		!strings.HasPrefix(target, "mailto:") && !strings.HasPrefix(target, "//") {
		return "", 0
	}
	if strings.HasPrefix(target, "//") {
		target = "https:" + target
	}
	sub := &wikiConverter{page: c.page, pageURL: c.pageURL, depth: c.depth + 1, pieces: c.pieces}
	labelMD := sub.inline(strings.TrimSpace(label))
	c.pieces = sub.pieces
	return mdLink(labelMD, html.UnescapeString(target)), end + 1
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

// inlineTag converts an HTML tag inside wikitext. n is 0 when s does not
// start with a tag. Emphasis tags return the flag they set, or clear when
// closing.
func (c *wikiConverter) inlineTag(s string) (md string, n int, flag func(*emphasis) *bool, closing bool) {
	name, _, _, end := parseTag(s)
	if name == "" {
		return "", 0, nil, false
	}
	closing = strings.HasPrefix(s, "</")
	switch name {
	case "br":
		return "\\\n", end, nil, false
	case "b", "strong":
		return "", end, func(e *emphasis) *bool { return &e.bold }, closing
	case "i", "em", "cite", "var", "dfn":
		return "", end, func(e *emphasis) *bool { return &e.italic }, closing
	case "s", "strike", "del":
		return "~~", end, nil, false
	}
	// Other tags (span, div, small, sup, font, center, hr, …) show only
	// their content.
	return "", end, nil, false
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
