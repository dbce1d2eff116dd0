package render

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// mdEscaper escapes text for Markdown: every ASCII punctuation character
// that Markdown or its HTML pass could read as syntax gets a backslash, and
// '&' becomes "&amp;" so that glamour's entity decoding cannot turn a
// literal "&#x1b;" in a feed back into an escape character.
//
// Two escapes are entities instead, because glamour prints the backslash
// of "\~" and "\:" as text: '~' (strikethrough) becomes "&#126;", and the
// ':' of "://" becomes "&#58;" so that GitHub's linkify extension does not
// turn a URL in the text into a link whose text is the raw, still escaped
// source ("&amp;" and all). "www." gets a backslash for the same reason.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `!`, `\!`, `|`, `\|`, `~`, `&#126;`, `&`, `&amp;`,
	`://`, `&#58;//`, `www.`, `www\.`, `WWW.`, `WWW\.`,
)

// escapeLineStart escapes what Markdown reads as a block marker when it
// begins a line: a heading, list or rule marker, or a numbered-list number.
// The rest of the line is escaped by escapeMD already.
func escapeLineStart(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	lead := s[:len(s)-len(t)]
	switch t[0] {
	case '#', '-', '+', '=', '>':
		return lead + `\` + t
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')') {
		return lead + t[:i] + `\` + t[i:]
	}
	return s
}

// escapeMD sanitises untrusted text and escapes it for Markdown.
func escapeMD(s string) string {
	return mdEscaper.Replace(Sanitize(s))
}

// codeSpan returns s as a Markdown code span. Code spans take no escapes,
// so the fence is made longer than any backtick run inside. Each "&" is
// written as codeAmpMark, which forMarkdown and forGlamour resolve.
func codeSpan(s string) string {
	s = strings.ReplaceAll(Sanitize(s), "\n", " ")
	s = strings.ReplaceAll(s, "&", string(codeAmpMark))
	if s == "" {
		return ""
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

// codeBlock returns s as a fenced Markdown code block.
func codeBlock(s string) string {
	s = strings.TrimRight(Sanitize(s), "\n")
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	// "text": MediaWiki does not colour <pre>, and chroma's guess at a
	// language gave colours that changed from run to run.
	return fence + "text\n" + s + "\n" + fence + "\n"
}

// codeAmpMark stands for an "&" inside a code span. CommonMark takes a code
// span's text literally, but glamour decodes character references in it: a
// span holding "&#27;" would reach the terminal as a real ESC. glamour is
// therefore given "&amp;" there (forGlamour), which it decodes back to the
// "&" the text had, and Markdown output is given "&" itself (forMarkdown).
// Sanitize removes the character from feed text, so only codeSpan writes it.
const codeAmpMark = '\uE003'

// forMarkdown turns converted Markdown into the Markdown we output.
func forMarkdown(md string) string {
	return markResolver.Replace(md)
}

// forGlamour turns converted Markdown into what glamour is given.
func forGlamour(md string) string {
	return strings.ReplaceAll(md, string(codeAmpMark), "&amp;")
}

var markResolver = strings.NewReplacer(string(wikiLinkMark), "", string(codeAmpMark), "&")

// mdLink returns a Markdown link with an escaped label, or the label alone
// when the target is not a safe URL. A link whose label is its own URL
// (a bare URL, or [url url]) becomes an autolink, which glamour shows
// once rather than as "label URL".
func mdLink(label, target string) string {
	safe := SafeURL(target)
	if safe == "" {
		if label == "" {
			return escapeMD(target)
		}
		return label
	}
	if label == "" || label == escapeMD(target) || label == escapeMD(safe) {
		// Autolinks take no escapes; SafeURL refused the characters
		// ('<', '>', spaces, controls) that would end one.
		return "<" + mdDestination(safe) + ">"
	}
	// Angle brackets allow any URL characters but '<', '>' and spaces,
	// which SafeURL already refused.
	return "[" + label + "](<" + mdDestination(safe) + ">)"
}

// entityLike matches what a Markdown reader would decode as an entity.
var entityLike = regexp.MustCompile(`&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);`)

// mdDestination protects a link target from entity decoding: Markdown
// readers decode "&#x1b;" even in URLs, so the '&' of anything that looks
// like an entity is percent-encoded. glamour shows targets as they are
// written, so "&amp;" cannot be used as in text; ordinary query strings
// ("a=1&b=2") are left alone.
func mdDestination(u string) string {
	if !strings.Contains(u, "&") {
		return u
	}
	return entityLike.ReplaceAllStringFunc(u, func(m string) string { return "%26" + m[1:] })
}

// wikiLinkMark ends the target of a link to a wiki page in the Markdown
// glamour styles. glamour prints every link as "label URL"; for a page of
// Wikipedia that is a URL after most words, so the link style drops the
// URL of marked links (see linkFormat) and keeps the label, which still
// carries the OSC 8 hyperlink. The mark (a private use code point, removed
// from all input) never leaves the package: Document.Markdown and
// styleMarkdown remove it.
const wikiLinkMark = '\uE002'

// wikiLink is mdLink for a link to a page of the wiki: its URL is not
// printed after the label.
func wikiLink(label, target string) string {
	md := mdLink(label, target)
	if strings.HasPrefix(md, "[") && strings.HasSuffix(md, ">)") {
		return md[:len(md)-2] + string(wikiLinkMark) + ">)"
	}
	return md
}

// linkFormat is the glamour template of a link's URL part: marked links
// print only the mark, which dropWikiLinkURLs then removes with the space
// before it.
const linkFormat = `{{if Contains .text "` + string(wikiLinkMark) + `"}}` + string(wikiLinkMark) + `{{else}}{{.text}}{{end}}`

// dropURLParts removes what is left of each marked link's URL part in a
// line of glamour's output: the mark, the colour codes around it and the
// space before it (with that space's own colour code).
func dropURLParts(l string) string {
	var b strings.Builder
	for {
		k := strings.IndexRune(l, wikiLinkMark)
		if k < 0 {
			b.WriteString(l)
			return b.String()
		}
		start := k
		for n := sgrBefore(l[:start]); n > 0; n = sgrBefore(l[:start]) {
			start -= n
		}
		if start > 0 && l[start-1] == ' ' {
			start--
			start -= sgrBefore(l[:start])
		}
		end := k + utf8.RuneLen(wikiLinkMark)
		for n := sgrAfter(l[end:]); n > 0; n = sgrAfter(l[end:]) {
			end += n
		}
		b.WriteString(l[:start])
		l = l[end:]
	}
}

// sgrBefore returns the length of the SGR sequence (ESC [ digits ; m)
// that s ends with, or 0.
func sgrBefore(s string) int {
	if !strings.HasSuffix(s, "m") {
		return 0
	}
	i := strings.LastIndex(s, "\x1b[")
	if i < 0 || strings.Trim(s[i+2:len(s)-1], "0123456789;") != "" {
		return 0
	}
	return len(s) - i
}

// sgrAfter returns the length of the SGR sequence s starts with, or 0.
func sgrAfter(s string) int {
	if !strings.HasPrefix(s, "\x1b[") {
		return 0
	}
	j := 2
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
		j++
	}
	if j < len(s) && s[j] == 'm' {
		return j + 1
	}
	return 0
}

// leadingMark matches a mark that begins a line's text, after the margin:
// glamour wrapped the line between a link and its URL part.
var leadingMark = regexp.MustCompile("^( *)(?:\x1b\\[[0-9;]*m)*" + string(wikiLinkMark) + "(?:\x1b\\[[0-9;]*m)*")

// dropWikiLinkURLs removes the URL parts of marked links from glamour's
// output (lines padded to width cells) and the mark from the OSC 8
// targets of their labels. When glamour wrapped between a link and its
// URL part, the next line would start with what followed the link (often
// a comma); that word moves up to the link's line if it fits in width.
func dropWikiLinkURLs(s string, width int) string {
	if !strings.ContainsRune(s, wikiLinkMark) {
		return s
	}
	s = strings.ReplaceAll(s, string(wikiLinkMark)+"\a", "\a")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if !strings.ContainsRune(l, wikiLinkMark) {
			continue
		}
		if m := leadingMark.FindStringSubmatchIndex(l); m != nil {
			margin := m[3] - m[2]
			l = l[:m[3]] + l[m[1]:]
			// What followed the link may start with its own space.
			plain := ansi.Strip(l)
			text := strings.TrimLeft(plain, " ")
			lead := len(plain) - len(text)
			word, _, _ := strings.Cut(text, " ")
			if w := ansi.StringWidth(word); i > 0 && w > 0 {
				prev := trimPadding(lines[i-1])
				if lead > margin {
					prev += " "
				}
				if ansi.StringWidth(prev)+w <= width {
					lines[i-1] = prev + ansi.Cut(l, lead, lead+w) + "\x1b[m"
					l = strings.Repeat(" ", margin) + ansi.TruncateLeft(l, lead+w+1, "")
				}
			}
		}
		lines[i] = dropURLParts(l)
	}
	return strings.Join(lines, "\n")
}

// Code block tunables.
const (
	// codeBlockMargin is the room glamour's code blocks take inside the
	// document's margins (measured: at width w, glamour wraps a code
	// line longer than w-10 cells).
	codeBlockMargin = 6
	// codeTabStop is the tab width in code blocks; tabs are expanded, as
	// a terminal's 8-cell tabs would break the wrap width.
	codeTabStop = 4
	// codeHangMax bounds the indent of a wrapped code line's continuation.
	codeHangMax = 16
)

// fitCodeBlocks wraps the lines of the fenced code blocks in md to width
// cells, expanding tabs. A continuation line keeps the indentation of its
// line plus two cells; glamour would wrap it to the block's margin, which
// breaks the shape of code and of wiki preformatted text.
func fitCodeBlocks(md string, width int) string {
	if !strings.Contains(md, "```") || width < 8 {
		return md
	}
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for _, l := range lines {
		switch {
		case fence == "" && strings.HasPrefix(l, "```"):
			fence = l[:len(l)-len(strings.TrimLeft(l, "`"))]
		case fence != "" && strings.TrimRight(l, " ") == fence:
			fence = ""
		case fence != "":
			out = append(out, wrapCodeLine(expandTabs(l), width)...)
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// expandTabs replaces tabs by spaces up to the next tab stop.
func expandTabs(l string) string {
	if !strings.Contains(l, "\t") {
		return l
	}
	var b strings.Builder
	col := 0
	for _, r := range l {
		if r == '\t' {
			n := codeTabStop - col%codeTabStop
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col += ansi.StringWidth(string(r))
	}
	return b.String()
}

// wrapCodeLine cuts a code line wider than width at spaces (or anywhere,
// when a word is wider than the room), indenting the continuations.
func wrapCodeLine(l string, width int) []string {
	if ansi.StringWidth(l) <= width {
		return []string{l}
	}
	hang := min(len(l)-len(strings.TrimLeft(l, " "))+2, codeHangMax, width/2)
	var out []string
	prefix := ""
	for ansi.StringWidth(prefix+l) > width {
		room := width - len(prefix)
		head := ansi.Truncate(l, room, "")
		if i := strings.LastIndex(head, " "); i > 0 && strings.TrimSpace(head[:i]) != "" {
			head = head[:i]
		}
		out = append(out, prefix+strings.TrimRight(head, " "))
		l = strings.TrimLeft(l[len(head):], " ")
		prefix = strings.Repeat(" ", hang)
		if l == "" {
			return out
		}
	}
	return append(out, prefix+l)
}
