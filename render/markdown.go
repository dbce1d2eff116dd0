package render

import (
	"regexp"
	"strings"
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

// codeHangMax bounds the indent of a wrapped preformatted line's
// continuation.
const codeHangMax = 16
