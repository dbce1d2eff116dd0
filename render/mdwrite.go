package render

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The Markdown writer: the document tree as CommonMark (with GitHub's
// tables and strikethrough). Text is escaped here, once; it was never
// Markdown before.

// markdownOf writes blocks as Markdown.
func markdownOf(bs []*node) string {
	var b strings.Builder
	mdBlocks(&b, bs, "", false)
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// mdBlocks writes blocks, each line after prefix; tight blocks have no
// blank line between them.
func mdBlocks(b *strings.Builder, bs []*node, prefix string, tight bool) {
	first := true
	for _, n := range bs {
		var one strings.Builder
		mdBlock(&one, n, prefix)
		if one.Len() == 0 {
			continue
		}
		if !first && !tight {
			b.WriteString(strings.TrimRight(prefix, " ") + "\n")
		}
		first = false
		b.WriteString(one.String())
	}
}

// mdLines writes text lines after prefix.
func mdLines(b *strings.Builder, s, first, rest string) {
	for i, l := range strings.Split(s, "\n") {
		p := rest
		if i == 0 {
			p = first
		}
		b.WriteString(p + l + "\n")
	}
}

// mdBlock writes one block.
func mdBlock(b *strings.Builder, n *node, prefix string) {
	switch n.kind {
	case blockPara:
		mdLines(b, mdParagraph(n.kids), prefix, prefix)
	case blockTerm:
		if s := mdInlines(n.kids, stBold, false); strings.TrimSpace(s) != "" {
			mdLines(b, mdStartLines(strings.ReplaceAll(s, "\\\n", " ")), prefix, prefix)
		}
	case blockHeading:
		s := strings.ReplaceAll(mdInlines(n.kids, 0, false), "\\\n", " ")
		b.WriteString(prefix + strings.Repeat("#", min(max(n.level, 1), 6)) + " " + s + "\n")
	case blockList:
		for i, it := range n.kids {
			marker := "- "
			if n.ordered {
				marker = strconv.Itoa(i+1) + ". "
			}
			var inner strings.Builder
			mdBlocks(&inner, it.kids, "", true)
			s := strings.TrimRight(inner.String(), "\n")
			if s == "" {
				s = ""
			}
			mdLines(b, s, prefix+marker, prefix+strings.Repeat(" ", len(marker)))
		}
	case blockDefs:
		for _, c := range n.kids {
			if c.kind == blockTerm {
				mdBlock(b, c, prefix)
				continue
			}
			mdBlocks(b, c.kids, prefix+"> ", false)
		}
	case blockItem, blockCell:
		mdBlocks(b, n.kids, prefix, true)
	case blockPre:
		s := strings.TrimRight(plainOf(n.kids), "\n")
		fence := "```"
		for strings.Contains(s, fence) {
			fence += "`"
		}
		mdLines(b, fence+"text\n"+s+"\n"+fence, prefix, prefix)
	case blockRule:
		b.WriteString(prefix + "---\n")
	case blockQuote:
		mdBlocks(b, n.kids, prefix+"> ", false)
	case blockTable:
		mdTable(b, n, prefix)
	default:
		// Rows are written by their table; inline kinds are not blocks.
	}
}

// mdParagraph writes a paragraph's inlines, a line start escaped where
// Markdown would read a block marker.
func mdParagraph(inl []*node) string {
	return mdStartLines(strings.TrimSuffix(mdInlines(inl, 0, false), "\\\n"))
}

func mdStartLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escapeLineStart(l)
	}
	return strings.Join(lines, "\n")
}

// mdTable writes a GitHub table; spanning cells take their first column
// and leave the others empty.
func mdTable(b *strings.Builder, n *node, prefix string) {
	if len(n.inl) > 0 {
		b.WriteString(prefix + mdInlines(n.inl, stItalic, true) + "\n" + strings.TrimRight(prefix, " ") + "\n")
	}
	var rows [][]string
	cols := 0
	head := len(n.kids) > 0
	for ri, r := range n.kids {
		var row []string
		for _, c := range r.kids {
			if ri == 0 && !c.head {
				head = false
			}
			var parts []string
			for _, blk := range c.kids {
				var one strings.Builder
				if blk.kind == blockPara || blk.kind == blockTerm || blk.kind == blockHeading {
					one.WriteString(mdInlines(blk.kids, 0, true))
				} else {
					one.WriteString(mdInlines([]*node{newText(plainOf(blockInlines(blk)), 0)}, 0, true))
				}
				parts = append(parts, strings.TrimSpace(one.String()))
			}
			row = append(row, strings.Join(parts, "<br>"))
			for k := 1; k < c.colspan; k++ {
				row = append(row, "")
			}
		}
		cols = max(cols, len(row))
		rows = append(rows, row)
	}
	if cols == 0 {
		return
	}
	write := func(r []string) {
		b.WriteString(prefix + "|")
		for i := 0; i < cols; i++ {
			s := ""
			if i < len(r) {
				s = r[i]
			}
			b.WriteString(" " + s + " |")
		}
		b.WriteString("\n")
	}
	if head {
		write(rows[0])
		rows = rows[1:]
	} else {
		write(nil)
	}
	b.WriteString(prefix + "|" + strings.Repeat(" --- |", cols) + "\n")
	for _, r := range rows {
		write(r)
	}
}

// blockInlines returns the inlines of a block and what it holds, with
// breaks between blocks.
func blockInlines(n *node) []*node {
	if n.kind == blockPara || n.kind == blockTerm || n.kind == blockHeading || n.kind == blockPre {
		return n.kids
	}
	var out []*node
	for _, k := range n.kids {
		if len(out) > 0 {
			out = append(out, &node{kind: inText, text: " "})
		}
		out = append(out, blockInlines(k)...)
	}
	return out
}

// mdInlines writes inlines whose style, beyond outer, is their own. In
// a table (cell) a line break is "<br>".
func mdInlines(inl []*node, outer style, cell bool) string {
	var b strings.Builder
	for i := 0; i < len(inl); {
		n := inl[i]
		st := n.st | outer
		if n.kind == inBreak {
			if cell {
				b.WriteString("<br>")
			} else {
				b.WriteString("\\\n")
			}
			i++
			continue
		}
		// A run of nodes of one style, code pieces merged.
		j := i + 1
		for j < len(inl) && inl[j].kind != inBreak && inl[j].st|outer == st {
			j++
		}
		var run strings.Builder
		for k := i; k < j; k++ {
			m := inl[k]
			switch m.kind {
			case inText:
				if st&stCode != 0 {
					// Merge the run's code text into one span.
					var code strings.Builder
					for ; k < j && (inl[k].kind == inText || inl[k].kind == inCode || inl[k].kind == inTemplate); k++ {
						code.WriteString(inl[k].text)
					}
					k--
					run.WriteString(mdCode(code.String()))
					continue
				}
				run.WriteString(mdEscaper.Replace(m.text))
			case inCode, inTemplate:
				var code strings.Builder
				for ; k < j && (inl[k].kind == inCode || inl[k].kind == inTemplate || inl[k].kind == inText && st&stCode != 0); k++ {
					code.WriteString(inl[k].text)
				}
				k--
				run.WriteString(mdCode(code.String()))
			case inLink:
				run.WriteString(mdLinkNode(m, st, cell))
			default:
				// Breaks end a run (above); block kinds are not inline.
			}
		}
		before, after := rune(0), rune(0)
		if s := b.String(); s != "" {
			before, _ = utf8.DecodeLastRuneInString(s)
		}
		if j < len(inl) {
			after, _ = utf8.DecodeRuneInString(plainOf(inl[j : j+1]))
		}
		b.WriteString(mdEmphasis(run.String(), st&^stCode&^outer, before, after))
		i = j
	}
	return b.String()
}

// mdEmphasis wraps text in the delimiters of a style, spaces kept outside.
// Where Markdown would not read the delimiters as such ("**Note:**text":
// a closing run after punctuation before a letter), HTML tags are used.
func mdEmphasis(s string, st style, before, after rune) string {
	t := strings.TrimSpace(s)
	if st == 0 || t == "" {
		return s
	}
	lead := s[:strings.Index(s, t)]
	trail := s[len(lead)+len(t):]
	first, _ := utf8.DecodeRuneInString(t)
	last, _ := utf8.DecodeLastRuneInString(t)
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	punct := func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
	html := punct(last) && word(after) && trail == "" || punct(first) && word(before) && lead == ""
	open, closing := "", ""
	for _, d := range []struct {
		bit              style
		md, htmlO, htmlC string
	}{
		{stBold, "**", "<strong>", "</strong>"},
		{stItalic, "*", "<em>", "</em>"},
		{stStrike, "~~", "<del>", "</del>"},
		{stUnderline, "", "<u>", "</u>"},
	} {
		if st&d.bit == 0 {
			continue
		}
		if html || d.md == "" {
			open += d.htmlO
			closing = d.htmlC + closing
		} else {
			open += d.md
			closing = d.md + closing
		}
	}
	return lead + open + t + closing + trail
}

// mdCode writes a code span: code spans take no escapes, so the fence is
// longer than any run of backticks inside.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.TrimSpace(s) == "" {
		return mdEscaper.Replace(s)
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdLinkNode writes a link: its label alone when the target is not a
// safe URL, an autolink when the label is the URL.
func mdLinkNode(n *node, st style, cell bool) string {
	label := mdInlines(n.kids, st, cell)
	if n.url == "" {
		return label
	}
	dest := mdDestination(n.url)
	if n.bare || strings.TrimSpace(label) == "" || plainOf(n.kids) == n.url {
		return "<" + dest + ">"
	}
	return "[" + label + "](<" + dest + ">)"
}
