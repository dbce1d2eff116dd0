package render

import (
	"bytes"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/wikifeed/wikifeed/feed"
)

// markerSequences are escape sequences the renderer never writes: conceal,
// blink, odd true colours, a hyperlink to a foreign host, a clipboard
// write, DCS and APC strings. Each is written with ESC and BEL spelled out
// as \x1b and \a, so that an encoding can replace them.
var markerSequences = map[string]string{
	"sgr8":    "\x1b[8mHIDDEN\x1b[0m",
	"sgr5":    "\x1b[5mBLINK\x1b[0m",
	"rgb666":  "\x1b[38;2;6;6;6mDIM\x1b[0m",
	"ul123":   "\x1b[58;2;1;2;3mUL\x1b[0m",
	"osc8":    "\x1b]8;;https://evil.example/\aCLICK\x1b]8;;\a",
	"osc52":   "\x1b]52;c;UFdORUQ=\a",
	"dcs":     "\x1bP+q544e\x1b\\",
	"apc":     "\x1b_APC\x1b\\",
	"c1csi":   "\u009b8m",
	"bidiRLO": "\u202eRLO",
}

// markerEncodings spell a control character in the ways a feed can: raw,
// as decimal and hex references, encoded twice and three times. (CDATA is
// one more: see wrapCDATA.)
var markerEncodings = map[string]func(r rune) string{
	"raw":    func(r rune) string { return string(r) },
	"dec":    func(r rune) string { return fmt.Sprintf("&#%d;", r) },
	"hex":    func(r rune) string { return fmt.Sprintf("&#x%x;", r) },
	"amp":    func(r rune) string { return fmt.Sprintf("&amp;#%d;", r) },
	"triple": func(r rune) string { return fmt.Sprintf("&amp;amp;amp;#x%x;", r) },
	"cdata":  func(r rune) string { return "<![CDATA[" + string(r) + "]]>" },
}

// encodeMarker spells the controls of a marker in an encoding.
func encodeMarker(m string, enc func(rune) string) string {
	var b strings.Builder
	for _, r := range m {
		if r < 0x20 || r >= 0x7f && r <= 0x9f || r >= 0x202a && r <= 0x202e {
			b.WriteString(enc(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wikitextConstructs put a payload X into every wikitext construct.
var wikitextConstructs = []string{
	"text X end", "<code>X</code>", "<tt>X</tt>", "<kbd>X</kbd>", "<samp>X</samp>", "<var>X</var>",
	"<pre>X</pre>", " space pre X", "<nowiki>X</nowiki>", `<syntaxhighlight lang="bash">X</syntaxhighlight>`,
	"<source>X</source>", `<syntaxhighlight inline>X</syntaxhighlight>`, "<math>X</math>", "{{tmpl|X}}",
	"{{Infobox\n| a = X\n| b = " + strings.Repeat("long ", 20) + "\n}}", "[[X]]", "[[Page|X]]", "[[File:A.png|thumb|X]]",
	"[https://a.example/ X]", "[X]", "https://a.example/X", "{|\n|+ X\n! X !! h\n|-\n| X || [[P|X]]\n|}", "== X ==",
	"<!-- X -->", "<ref>X</ref>", "<gallery>\nFile:A.png|X\n</gallery>", "<poem>\nX\nX\n</poem>", "* X\n** X\n# X\n; X : X",
	"'''X''' ''X''", "<div title=\"X\">X</div>", "<table><tr><td>X</td></tr></table>", "[[Category:X]]", "[[fr:X]]",
}

// htmlConstructs put a payload X into every HTML construct.
var htmlConstructs = []string{
	"<p>X</p>", "<code>X</code>", "<tt>X</tt>", "<kbd>X</kbd>", "<samp>X</samp>", "<var>X</var>", "<pre>X</pre>",
	`<a href="https://a.example/">X</a>`, `<a href="X">link</a>`, "<table><caption>X</caption><tr><th>X</th><td>X</td></tr></table>",
	"<h2>X</h2>", "<!-- X -->", "<ul><li>X</li></ul>", "<dl><dt>X</dt><dd>X</dd></dl>", `<img alt="X">`, "<blockquote>X</blockquote>",
}

// TestMarkers puts every marker sequence, in every encoding, into every
// construct and every field of a revision, and checks every format: each
// escape sequence in the output is the renderer's own.
func TestMarkers(t *testing.T) {
	for mname, m := range markerSequences {
		for ename, enc := range markerEncodings {
			payload := encodeMarker(m, enc)
			var wt, ht strings.Builder
			for i, c := range wikitextConstructs {
				fmt.Fprintf(&wt, "\n\nconstruct %d: %s\n\n", i, strings.ReplaceAll(c, "X", payload))
			}
			for i, c := range htmlConstructs {
				fmt.Fprintf(&ht, "<p>construct %d:</p>%s", i, strings.ReplaceAll(c, "X", payload))
			}
			fields := feed.Revision{Page: "P" + payload, User: "U" + payload, Comment: "/* S" + payload + " */ C" + payload,
				Section: "S" + payload, URL: "https://w.example/wiki/P", ID: 1}
			revs := []feed.Revision{fields, fields}
			revs[0].Kind, revs[0].Text = feed.BodyWikitext, wt.String()
			revs[1].Kind, revs[1].Body = feed.BodyHTML, ht.String()
			for ri := range revs {
				rev := &revs[ri]
				for _, o := range []Options{
					{Width: 80, Format: ANSI, Style: "dark"}, {Width: 40, Format: ANSI, Style: "light"},
					{Width: 80, Format: Plain}, {Width: 80, Format: Markdown}, {Width: 80, Format: Source},
				} {
					out, err := Revision(rev, o)
					if err != nil {
						t.Fatal(err)
					}
					if bad := scanOutput(out, o.Format == ANSI); bad != "" {
						t.Errorf("%s in %s, kind %d, format %d: %s", mname, ename, rev.Kind, o.Format, bad)
					}
					if o.Format == Markdown {
						var h bytes.Buffer
						if err := goldmark.Convert([]byte(out), &h); err != nil {
							t.Fatal(err)
						}
						if bad := scanOutput(html.UnescapeString(h.String()), false); bad != "" {
							t.Errorf("%s in %s, kind %d, Markdown as read: %s", mname, ename, rev.Kind, bad)
						}
					}
				}
				first, _, err := Prepare(rev).RenderFirst(Options{Width: 60, Format: ANSI, Style: "dark"}, 5)
				if err != nil {
					t.Fatal(err)
				}
				if bad := scanOutput(first, true); bad != "" {
					t.Errorf("%s in %s, first screen: %s", mname, ename, bad)
				}
			}
		}
	}
}

// scanOutput mirrors /work/shared/tools/scan_escapes.py (modes plain and
// ansi): it returns the first offence in s, or "". Plain text may hold no
// escape at all; styled text only SGR without the markers' parameters and
// OSC 8 links to safe targets, a link to the markers' foreign host only
// behind text that shows that host.
func scanOutput(s string, styled bool) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("invalid UTF-8 at %d", i)
		case r == 0x1b:
			if !styled {
				return fmt.Sprintf("ESC in plain output at %d: %q", i, context(s, i))
			}
			n, bad := scanEscape(s[i:])
			if bad != "" {
				return bad + ": " + fmt.Sprintf("%q", context(s, i))
			}
			i += n
			continue
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("control U+%04X at %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
			return fmt.Sprintf("bidi U+%04X at %d", r, i)
		}
		i += size
	}
	return ""
}

func context(s string, i int) string {
	return strings.ToValidUTF8(s[max(i-30, 0):min(i+50, len(s))], "?")
}

// scanEscape checks the escape sequence at the start of s.
func scanEscape(s string) (n int, bad string) {
	if len(s) < 2 {
		return len(s), "lone ESC"
	}
	switch s[1] {
	case '[':
		j := 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j >= len(s) || s[j] != 'm' {
			return j, "CSI other than SGR"
		}
		if b := sgrOffence(s[2:j]); b != "" {
			return j + 1, b
		}
		return j + 1, ""
	case ']':
		end := strings.IndexByte(s, '\a')
		if end < 0 {
			return len(s), "OSC without BEL"
		}
		body := s[2:end]
		if !strings.HasPrefix(body, "8;") {
			return end + 1, "OSC " + strings.SplitN(body, ";", 2)[0]
		}
		_, target, ok := strings.Cut(body[2:], ";")
		if !ok {
			return end + 1, "malformed OSC 8"
		}
		if target == "" {
			return end + 1, ""
		}
		if SafeURL(target) != target {
			return end + 1, "OSC 8 to an unsafe target"
		}
		if u, err := url.Parse(target); err == nil && u.Host == "evil.example" {
			rest := s[end+1:]
			if k := strings.Index(rest, "\x1b]8;;\a"); k < 0 || !strings.Contains(rest[:k], "evil.example") {
				return end + 1, "OSC 8 to the foreign host behind text that hides it"
			}
		}
		return end + 1, ""
	}
	return 2, fmt.Sprintf("ESC %q", s[1])
}

// sgrOffence returns what is wrong with SGR parameters: the markers'
// blink, conceal, a lone 28, and the odd true colours.
func sgrOffence(params string) string {
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	for i := 0; i < len(ps); i++ {
		switch ps[i] {
		case "5", "6", "8", "28":
			return "SGR " + ps[i]
		case "38", "48", "58":
			if ps[i] == "58" {
				return "SGR 58"
			}
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == "2" {
				if i+4 < len(ps) && ps[i+2] == "6" && ps[i+3] == "6" && ps[i+4] == "6" {
					return "SGR 38;2;6;6;6"
				}
				i += 4
			}
		}
	}
	return ""
}
