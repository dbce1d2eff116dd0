package feed

import (
	"html"
	"strings"
)

// unescapeHTML is html.UnescapeString, faster on the text MediaWiki
// escapes: the references htmlspecialchars writes are decoded here, and
// each stretch from any other '&' to the next goes through
// html.UnescapeString itself. A reference never reaches past the next '&',
// so the result is the same; TestUnescapeHTML compares the two.
func unescapeHTML(s string) string {
	i := strings.IndexByte(s, '&')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		switch {
		case strings.HasPrefix(s, "&lt;"):
			b.WriteByte('<')
			s = s[4:]
		case strings.HasPrefix(s, "&gt;"):
			b.WriteByte('>')
			s = s[4:]
		case strings.HasPrefix(s, "&amp;"):
			b.WriteByte('&')
			s = s[5:]
		case strings.HasPrefix(s, "&quot;"):
			b.WriteByte('"')
			s = s[6:]
		case strings.HasPrefix(s, "&#039;"), strings.HasPrefix(s, "&#39;"), strings.HasPrefix(s, "&apos;"):
			b.WriteByte('\'')
			s = s[strings.IndexByte(s, ';')+1:]
		default:
			n := strings.IndexByte(s[1:], '&') + 1
			if n == 0 {
				n = len(s)
			}
			b.WriteString(html.UnescapeString(s[:n]))
			s = s[n:]
		}
		i = strings.IndexByte(s, '&')
	}
	b.WriteString(s)
	return b.String()
}
