package render

import (
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlMaxDepth bounds how deep the HTML tree is followed; deeper content
// is kept as text.
const htmlMaxDepth = 100

// HTMLToMarkdown converts an HTML fragment from a feed to Markdown, written
// from the document tree: paragraphs, headings, nested lists, emphasis,
// code and pre, links (resolved against base; only http, https and mailto
// become links), tables, images as their alt text, line breaks. Scripts,
// styles and comments are dropped.
func HTMLToMarkdown(fragment, base string) string {
	return markdownOf(parseHTML(fragment, base))
}

// parseHTML parses an HTML fragment into blocks. Links to the wiki's own
// pages (same host as base) are wiki links, whose URLs are not shown.
func parseHTML(fragment, base string) []*node {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return appendBlock(nil, para([]*node{newText(fragment, 0)}))
	}
	h := &htmlParser{}
	if u, err := url.Parse(base); err == nil && u.IsAbs() {
		h.base = u
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return h.blocks(root)
}

// htmlParser walks an HTML tree and builds the document tree.
type htmlParser struct {
	base  *url.URL
	depth int
}

// isBlock reports whether an element is a block in the document tree.
func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Center, atom.Main, atom.Header, atom.Footer,
		atom.Figure, atom.Figcaption, atom.Aside, atom.Nav, atom.Dl, atom.Ul, atom.Ol, atom.Pre,
		atom.Blockquote, atom.Hr, atom.Table, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript, atom.Li, atom.Dt, atom.Dd:
		return true
	default:
		return false
	}
}

// blocks returns the blocks of a node's children: runs of inline content
// become paragraphs.
func (h *htmlParser) blocks(n *html.Node) []*node {
	if h.depth > htmlMaxDepth {
		return appendBlock(nil, para([]*node{newText(collapseSpace(textContent(n)), 0)}))
	}
	h.depth++
	defer func() { h.depth-- }()
	var out, inl []*node
	flush := func() {
		out = appendBlock(out, para(inl))
		inl = nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && chrome(c) {
			continue
		}
		if isBlock(c) {
			flush()
			out = append(out, h.block(c)...)
			continue
		}
		inl = h.inline(c, 0, inl)
	}
	flush()
	return out
}

// block returns the blocks of one block element.
func (h *htmlParser) block(n *html.Node) []*node {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Head, atom.Title, atom.Noscript:
		return nil
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		inl := trimInlines(h.inlines(n, 0))
		if len(inl) == 0 {
			return nil
		}
		return []*node{{kind: blockHeading, level: int(n.Data[1] - '0'), kids: inl}}
	case atom.Ul, atom.Ol:
		l := &node{kind: blockList, ordered: n.DataAtom == atom.Ol}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Li {
				l.kids = append(l.kids, &node{kind: blockItem, kids: h.blocks(c)})
			}
		}
		if len(l.kids) == 0 {
			return nil
		}
		return []*node{l}
	case atom.Li, atom.Dd:
		return []*node{{kind: blockDefs, kids: []*node{{kind: blockItem, kids: h.blocks(n)}}}}
	case atom.Dt:
		return []*node{{kind: blockTerm, kids: trimInlines(h.inlines(n, 0))}}
	case atom.Dl:
		d := &node{kind: blockDefs}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Dt:
				d.kids = append(d.kids, &node{kind: blockTerm, kids: trimInlines(h.inlines(c, 0))})
			case atom.Dd:
				d.kids = append(d.kids, &node{kind: blockItem, kids: h.blocks(c)})
			default:
				// Only terms and descriptions belong in a list of them.
			}
		}
		return []*node{d}
	case atom.Pre:
		return []*node{{kind: blockPre, kids: []*node{newText(strings.Trim(textContent(n), "\n"), 0)}}}
	case atom.Blockquote:
		return []*node{{kind: blockQuote, kids: h.blocks(n)}}
	case atom.Hr:
		return []*node{{kind: blockRule}}
	case atom.Table:
		return h.table(n)
	default:
		// A div, a section and the like: the blocks of its children.
		return h.blocks(n)
	}
}

// inlines returns the inline content of a node's children.
func (h *htmlParser) inlines(n *html.Node, st style) []*node {
	var out []*node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = h.inline(c, st, out)
	}
	return out
}

// inline appends a node's inline content to out.
func (h *htmlParser) inline(n *html.Node, st style, out []*node) []*node {
	switch n.Type {
	case html.TextNode:
		// The HTML parser decoded the entities: this is the last decode.
		return append(out, newText(collapseSpace(n.Data), st))
	case html.ElementNode:
		if chrome(n) {
			return out
		}
	default:
		return out
	}
	if h.depth > htmlMaxDepth {
		return append(out, newText(collapseSpace(textContent(n)), st))
	}
	h.depth++
	defer func() { h.depth-- }()
	switch n.DataAtom {
	case atom.Br:
		return append(out, &node{kind: inBreak})
	case atom.B, atom.Strong:
		st |= stBold
	case atom.I, atom.Em, atom.Cite, atom.Var, atom.Dfn:
		st |= stItalic
	case atom.S, atom.Strike, atom.Del:
		st |= stStrike
	case atom.U, atom.Ins:
		st |= stUnderline
	case atom.Code, atom.Tt, atom.Kbd, atom.Samp:
		st |= stCode
	case atom.A:
		label := trimInlines(h.inlines(n, st))
		target := SafeURL(h.resolve(attr(n, "href")))
		if target == "" {
			return append(out, label...)
		}
		l := &node{kind: inLink, url: target, kids: label}
		if u, err := url.Parse(target); err == nil && h.base != nil && len(label) > 0 && strings.EqualFold(u.Host, h.base.Host) {
			// A link to a page of the same wiki reads as its label, as
			// wikitext links do.
			l.wiki = true
		}
		if len(label) == 0 || plainOf(label) == target {
			l.bare = true
			l.kids = []*node{newText(target, st)}
		}
		return append(out, l)
	case atom.Img:
		if alt := strings.TrimSpace(attr(n, "alt")); alt != "" {
			return append(out, newText("[image: "+alt+"]", st))
		}
		return out
	case atom.Script, atom.Style:
		return out
	default:
		// A span and the like: its content, in the style around it.
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = h.inline(c, st, out)
	}
	return out
}

// table builds a table: rows of cells with their spans, the caption kept.
func (h *htmlParser) table(n *html.Node) []*node {
	t := &node{kind: blockTable}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			switch c.DataAtom {
			case atom.Caption:
				t.inl = trimInlines(h.inlines(c, 0))
			case atom.Tr:
				row := &node{kind: blockRow}
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type != html.ElementNode || td.DataAtom != atom.Td && td.DataAtom != atom.Th {
						continue
					}
					cell := &node{kind: blockCell, head: td.DataAtom == atom.Th, kids: h.blocks(td)}
					if v, err := strconv.Atoi(attr(td, "colspan")); err == nil && v > 1 {
						cell.colspan = min(v, 100)
					}
					if v, err := strconv.Atoi(attr(td, "rowspan")); err == nil && v > 1 {
						cell.rowspan = min(v, 100)
					}
					row.kids = append(row.kids, cell)
				}
				if len(row.kids) > 0 {
					t.kids = append(t.kids, row)
				}
			case atom.Table:
			default:
				walk(c)
			}
		}
	}
	walk(n)
	if len(t.kids) == 0 && len(t.inl) == 0 {
		return nil
	}
	return []*node{t}
}

// chrome reports whether an element is the wiki's chrome: an edit section
// link or a table of contents.
func chrome(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "id" && a.Val == "toc" {
			return true
		}
		if a.Key == "class" {
			for _, c := range strings.Fields(a.Val) {
				if c == "mw-editsection" || c == "toc" || c == "mw-toc-heading" {
					return true
				}
			}
		}
	}
	return false
}

// resolve makes an href absolute against the base URL.
func (h *htmlParser) resolve(href string) string {
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
		if depth > htmlMaxDepth {
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
