package render

import (
	"html"
	"strings"
	"unicode/utf8"
)

// The document tree. Wikitext and HTML are parsed into it once; the layout
// (ANSI and plain) and the Markdown writer walk it. Text in the tree is
// final: entities are decoded and the result sanitised when a text node is
// made (newText), and nothing after that decodes anything, so a literal
// "&#27;" in a feed stays those five characters.

// kind is a node's kind.
type kind uint8

// Block kinds hold blocks or (para, heading, term) inlines; inline kinds
// hold text or inlines.
const (
	// blockPara is a paragraph of inlines.
	blockPara kind = iota
	// blockHeading is a heading of level 1 to 6, of inlines.
	blockHeading
	// blockList is a bulleted or (ordered) numbered list of blockItem.
	blockList
	// blockItem is a list item or a definition's description, of blocks.
	blockItem
	// blockDefs is a definition list or an indented (":") block: its
	// children are blockTerm and blockItem (descriptions, indented).
	blockDefs
	// blockTerm is a definition term, of inlines, shown bold.
	blockTerm
	// blockPre is preformatted text: inlines whose spaces and line
	// breaks are kept.
	blockPre
	// blockRule is a horizontal rule.
	blockRule
	// blockQuote is a block quotation, of blocks.
	blockQuote
	// blockTable is a table of blockRow; its caption is in inl.
	blockTable
	// blockRow is a table row of blockCell.
	blockRow
	// blockCell is a table cell, of blocks.
	blockCell

	// inText is text.
	inText
	// inCode is code (<code>, <tt>, <kbd>, <math>…): text shown as code.
	inCode
	// inTemplate is a template shown unexpanded.
	inTemplate
	// inLink is a link: its label is in kids, its target in url.
	inLink
	// inBreak is a line break (<br>).
	inBreak
)

// style bits of inline text.
type style uint8

const (
	stBold style = 1 << iota
	stItalic
	stStrike
	stUnderline
	// stCode is text inside <code>, <tt>, <kbd>, <samp>: shown as code.
	stCode
)

// node is a node of the document tree.
type node struct {
	kind kind
	// text is the text of inText, inCode and inTemplate: decoded and
	// sanitised.
	text string
	// st is the emphasis of inline text.
	st style
	// url is a link's target, already checked by SafeURL ("" when the
	// target is not a safe URL: the label shows as text).
	url string
	// wiki marks a link to a page of the wiki, whose URL is not shown
	// after its label (the label carries it as an OSC 8 hyperlink).
	wiki bool
	// bare marks a link that shows its own URL (a bare URL, [url]).
	bare bool
	// level is a heading's level.
	level int
	// ordered marks a numbered list.
	ordered bool
	// head marks a header cell.
	head bool
	// colspan and rowspan are a cell's spans (0 means 1).
	colspan, rowspan int
	// inl are the inlines of a table's caption.
	inl []*node
	// kids are the children.
	kids []*node
}

// isInline reports whether n is an inline node.
func (n *node) isInline() bool { return n.kind >= inText }

// newText returns a text node for decoded text: the one place where
// feed text is sanitised, after its last decode.
func newText(s string, st style) *node {
	return &node{kind: inText, text: Sanitize(s), st: st}
}

// wikiText returns a text node for raw wikitext whose character
// references must still be decoded.
func wikiText(s string, st style) *node {
	return newText(decodeEntities(s), st)
}

// decodeEntities decodes wikitext's character references as MediaWiki
// does: only those that end in ';' ("&amp;", "&#38;", "&#x26;"), so
// "&ampamp;" and "&copy 2024" stay as written, which HTML5's decoding of
// legacy names without ';' would change.
func decodeEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		if j := strings.IndexByte(s, ';'); j > 1 && j <= maxEntityName && entityName(s[1:j]) {
			ref := s[:j+1]
			// A name HTML5 does not know decodes as a shorter legacy
			// name and the rest ("&ampx;" to "&x;"): not a reference.
			if d := html.UnescapeString(ref); d != ref && utf8.RuneCountInString(d) <= 2 {
				b.WriteString(d)
				s = s[j+1:]
				continue
			}
		}
		b.WriteByte('&')
		s = s[1:]
	}
}

// maxEntityName bounds the name of a character reference, in bytes
// ("CounterClockwiseContourIntegral" is the longest).
const maxEntityName = 33

// entityName reports whether s is the inside of a character reference:
// "#" and decimal digits, "#x" and hex digits, or a letter and letters or
// digits.
func entityName(s string) bool {
	switch {
	case strings.HasPrefix(s, "#x") || strings.HasPrefix(s, "#X"):
		return len(s) > 2 && strings.Trim(s[2:], "0123456789abcdefABCDEF") == ""
	case strings.HasPrefix(s, "#"):
		return len(s) > 1 && strings.Trim(s[1:], "0123456789") == ""
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}

// newCode returns a code node for decoded text.
func newCode(s string, st style) *node {
	return &node{kind: inCode, text: Sanitize(s), st: st}
}

// para returns a paragraph of inlines, or nil when it shows nothing.
func para(inl []*node) *node {
	inl = trimInlines(inl)
	if len(inl) == 0 {
		return nil
	}
	return &node{kind: blockPara, kids: inl}
}

// trimInlines drops leading and trailing white space and breaks.
func trimInlines(inl []*node) []*node {
	for len(inl) > 0 {
		n := inl[0]
		if n.kind == inBreak {
			inl = inl[1:]
			continue
		}
		if n.kind == inText {
			t := strings.TrimLeft(n.text, " \t\n")
			if t == "" {
				inl = inl[1:]
				continue
			}
			if t != n.text {
				c := *n
				c.text = t
				inl = append([]*node{&c}, inl[1:]...)
			}
		}
		break
	}
	for len(inl) > 0 {
		n := inl[len(inl)-1]
		if n.kind == inBreak {
			inl = inl[:len(inl)-1]
			continue
		}
		if n.kind == inText {
			t := strings.TrimRight(n.text, " \t\n")
			if t == "" {
				inl = inl[:len(inl)-1]
				continue
			}
			if t != n.text {
				c := *n
				c.text = t
				inl = append(inl[:len(inl)-1:len(inl)-1], &c)
			}
		}
		break
	}
	return inl
}

// plainOf returns the text a reader sees in inlines, without styling.
func plainOf(inl []*node) string {
	var b strings.Builder
	var walk func([]*node)
	walk = func(ns []*node) {
		for _, n := range ns {
			switch n.kind {
			case inText, inCode, inTemplate:
				b.WriteString(n.text)
			case inBreak:
				b.WriteByte('\n')
			case inLink:
				walk(n.kids)
			default:
				walk(n.kids)
			}
		}
	}
	walk(inl)
	return b.String()
}

// appendBlock appends a block, skipping nil.
func appendBlock(bs []*node, b *node) []*node {
	if b == nil {
		return bs
	}
	return append(bs, b)
}
