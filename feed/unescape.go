package feed

import (
	"html"
	"strings"
)

// mediaWikiRefs are the references MediaWiki's htmlspecialchars writes
// (and XML's own five), with the character each stands for.
var mediaWikiRefs = [...]struct {
	ref string
	c   byte
}{
	{"&lt;", '<'},
	{"&gt;", '>'},
	{"&amp;", '&'},
	{"&quot;", '"'},
	{"&#039;", '\''},
	{"&#39;", '\''},
	{"&apos;", '\''},
}

// mediaWikiRef returns the reference of mediaWikiRefs that s starts with
// and its character, or "" when s starts none of them.
func mediaWikiRef(s string) (ref string, c byte) {
	for _, r := range mediaWikiRefs {
		if strings.HasPrefix(s, r.ref) {
			return r.ref, r.c
		}
	}
	return "", 0
}

// unescapeHTML is html.UnescapeString, faster on the text MediaWiki
// escapes: the references of mediaWikiRefs are decoded here, and each
// stretch from any other '&' to the next goes through html.UnescapeString
// itself. A reference never reaches past the next '&', so the result is
// the same; TestUnescapeHTML compares the two.
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
		if ref, c := mediaWikiRef(s); ref != "" {
			b.WriteByte(c)
			s = s[len(ref):]
		} else {
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
