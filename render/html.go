package render

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// HTMLToMarkdown converts an HTML fragment from a feed to Markdown:
// paragraphs, headings, nested lists, emphasis, code and pre, links
// (resolved against base; only http, https and mailto become links),
// tables, images as their alt text, line breaks. Scripts, styles and
// comments are dropped.
func HTMLToMarkdown(fragment, base string) string {
	return forMarkdown(htmlToMarkdown(fragment, base))
}

// htmlToMarkdown is HTMLToMarkdown with the links to the wiki's own pages
// (same host as base) marked as wiki links, whose URLs are not printed.
func htmlToMarkdown(fragment, base string) string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return escapeMD(fragment)
	}
	h := &htmlConverter{}
	if u, err := url.Parse(base); err == nil && u.IsAbs() {
		h.base = u
	}
	for _, n := range nodes {
		h.block(n, 0)
	}
	h.endBlock()
	return strings.TrimSpace(h.out.String()) + "\n"
}

// htmlConverter walks an HTML tree and writes Markdown.
type htmlConverter struct {
	out  strings.Builder
	base *url.URL
	// line collects the inline Markdown of the current paragraph.
	line strings.Builder
	// prefix is written before each line of the block (list indentation,
	// blockquote markers).
	prefix string
	depth  int
}

// endBlock writes the pending paragraph, if any, as a block.
func (h *htmlConverter) endBlock() {
	// A <br> that ends a block would show as a backslash.
	text := strings.TrimSpace(h.line.String())
	for strings.HasSuffix(text, "\\") && !strings.HasSuffix(text, "\\\\") {
		text = strings.TrimSpace(strings.TrimSuffix(text, "\\"))
	}
	h.line.Reset()
	if text == "" {
		return
	}
	for i, l := range strings.Split(text, "\n") {
		if i == 0 {
			l = escapeLineStart(l)
		}
		h.out.WriteString(h.prefix + strings.TrimLeft(l, " ") + "\n")
	}
	h.out.WriteString(strings.TrimRight(h.prefix, " ") + "\n")
}

// block handles a node that may hold blocks.
func (h *htmlConverter) block(n *html.Node, listDepth int) {
	if h.depth > maxNesting {
		return
	}
	h.depth++
	defer func() { h.depth-- }()
	if n.Type != html.ElementNode {
		h.inline(n)
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript:
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Center, atom.Dl:
		h.endBlock()
		h.children(n, listDepth)
		h.endBlock()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		h.endBlock()
		level := int(n.Data[1] - '0')
		h.out.WriteString(h.prefix + strings.Repeat("#", level) + " " + strings.TrimSpace(h.inlineText(n)) + "\n\n")
	case atom.Ul, atom.Ol:
		h.endBlock()
		h.list(n, listDepth)
		if listDepth == 0 {
			h.out.WriteString("\n")
		}
	case atom.Pre:
		h.endBlock()
		h.out.WriteString(indentLines(codeBlock(textContent(n)), h.prefix) + "\n")
	case atom.Blockquote:
		h.indented(n, listDepth, "> ")
	case atom.Hr:
		h.endBlock()
		h.out.WriteString(h.prefix + "---\n\n")
	case atom.Table:
		h.endBlock()
		h.out.WriteString(h.table(n) + "\n")
	case atom.Dt:
		h.endBlock()
		h.line.WriteString("**" + strings.TrimSpace(h.inlineText(n)) + "**")
		h.endBlock()
	case atom.Dd:
		// No-break spaces: Markdown would read four spaces as code.
		h.indented(n, listDepth, "\u00a0\u00a0\u00a0\u00a0")
	default:
		h.inline(n)
	}
}

// indented writes n's children as blocks with indent before each line.
func (h *htmlConverter) indented(n *html.Node, listDepth int, indent string) {
	h.endBlock()
	saved := h.prefix
	h.prefix += indent
	h.children(n, listDepth)
	h.endBlock()
	h.prefix = saved
}

func (h *htmlConverter) children(n *html.Node, listDepth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h.block(c, listDepth)
	}
}

// list writes a ul or ol; nested lists indent four spaces a level.
func (h *htmlConverter) list(n *html.Node, listDepth int) {
	marker := "- "
	if n.DataAtom == atom.Ol {
		marker = "1. "
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		indent := strings.Repeat("    ", listDepth)
		// The item's own text, then its nested lists.
		var nested []*html.Node
		for c := li.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) {
				nested = append(nested, c)
				continue
			}
			h.inline(c)
		}
		text := strings.Join(strings.Fields(h.line.String()), " ")
		h.line.Reset()
		h.out.WriteString(h.prefix + indent + marker + text + "\n")
		for _, c := range nested {
			h.list(c, listDepth+1)
		}
	}
}

// inline writes a node's inline Markdown into the current paragraph.
func (h *htmlConverter) inline(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		t := escapeMD(collapseSpace(n.Data))
		if strings.HasSuffix(h.line.String(), "\n") {
			// After a <br>: "- x" must not start a Markdown list.
			t = escapeLineStart(strings.TrimLeft(t, " "))
		}
		h.line.WriteString(t)
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		h.line.WriteString("\\\n")
	case atom.B, atom.Strong:
		h.wrap("**", h.inlineText(n))
	case atom.I, atom.Em, atom.Cite, atom.Var:
		h.wrap("*", h.inlineText(n))
	case atom.S, atom.Strike, atom.Del:
		h.wrap("~~", h.inlineText(n))
	case atom.Code, atom.Tt, atom.Kbd, atom.Samp:
		h.line.WriteString(codeSpan(textContent(n)))
	case atom.A:
		label := strings.TrimSpace(h.inlineText(n))
		target := h.resolve(attr(n, "href"))
		if u, err := url.Parse(target); err == nil && h.base != nil && label != "" && strings.EqualFold(u.Host, h.base.Host) {
			// A link to a page of the same wiki reads as its label, as
			// wikitext links do.
			h.line.WriteString(wikiLink(label, target))
		} else {
			h.line.WriteString(mdLink(label, target))
		}
	case atom.Img:
		alt := strings.TrimSpace(attr(n, "alt"))
		if alt != "" {
			h.line.WriteString("\\[image: " + escapeMD(alt) + "\\]")
		}
	case atom.Script, atom.Style:
	case atom.P, atom.Div, atom.Ul, atom.Ol, atom.Table, atom.Pre, atom.Blockquote,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr, atom.Dl, atom.Dt, atom.Dd:
		h.block(n, 0)
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			h.inline(c)
		}
	}
}

// wrap writes text between Markdown delimiters, spaces kept outside.
func (h *htmlConverter) wrap(delim, text string) {
	t := strings.TrimSpace(text)
	if t == "" {
		h.line.WriteString(text)
		return
	}
	lead := text[:strings.Index(text, t)]
	h.line.WriteString(lead + delim + t + delim + text[len(lead)+len(t):])
}

// inlineText returns the inline Markdown of a node's children.
func (h *htmlConverter) inlineText(n *html.Node) string {
	saved := h.line.String()
	h.line.Reset()
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		h.inline(c)
	}
	s := h.line.String()
	h.line.Reset()
	h.line.WriteString(saved)
	return s
}

// table writes a Markdown table; the first row is the header.
func (h *htmlConverter) table(n *html.Node) string {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Tr {
				var row []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
						cell := strings.Join(strings.Fields(strings.ReplaceAll(h.inlineText(td), "\\\n", " ")), " ")
						row = append(row, cell)
					}
				}
				rows = append(rows, row)
				continue
			}
			if c.DataAtom == atom.Table {
				continue // nested tables are rare in feeds; their text is lost to the cell
			}
			walk(c)
		}
	}
	walk(n)
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		return ""
	}
	var b strings.Builder
	for i, r := range rows {
		b.WriteString(h.prefix + "|")
		for j := 0; j < cols; j++ {
			cell := ""
			if j < len(r) {
				cell = r[j]
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
		if i == 0 {
			b.WriteString(h.prefix + "|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	return b.String()
}

// resolve makes an href absolute against the base URL.
func (h *htmlConverter) resolve(href string) string {
	href = strings.TrimSpace(href)
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	if h.base != nil {
		u = h.base.ResolveReference(u)
	}
	return u.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textContent returns the text inside a node, unescaped and unstyled.
func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if depth > maxNesting {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

// collapseSpace folds runs of white space into one space, as HTML does.
func collapseSpace(s string) string {
	if !strings.ContainsAny(s, "\n\t\r  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// indentLines puts prefix before every line of s.
func indentLines(s, prefix string) string {
	if prefix == "" {
		return s
	}
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}
