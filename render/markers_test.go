package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"testing"

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
			fields := feed.Revision{
				Page: "P" + payload, User: "U" + payload, Comment: "/* S" + payload + " */ C" + payload,
				Section: "S" + payload, URL: "https://w.example/wiki/P", ID: 1,
			}
			revs := []feed.Revision{fields, fields}
			revs[0].Kind, revs[0].Text = feed.BodyWikitext, wt.String()
			revs[1].Kind, revs[1].Body = feed.BodyHTML, ht.String()
			for ri := range revs {
				rev := &revs[ri]
				for _, o := range []Options{
					{Width: 80, Format: ANSI, Style: "dark"},
					{Width: 40, Format: ANSI, Style: "light"},
					{Width: 80, Format: Plain},
					{Width: 80, Format: Markdown},
					{Width: 80, Format: Source},
				} {
					out, err := Revision(rev, o)
					if err != nil {
						t.Fatal(err)
					}
					if bad := UnsafeOutput(out, o.Format == ANSI); bad != "" {
						t.Errorf("%s in %s, kind %d, format %d: %s", mname, ename, rev.Kind, o.Format, bad)
					}
					if o.Format == Markdown {
						var h bytes.Buffer
						if err := goldmark.Convert([]byte(out), &h); err != nil {
							t.Fatal(err)
						}
						if bad := UnsafeOutput(html.UnescapeString(h.String()), false); bad != "" {
							t.Errorf("%s in %s, kind %d, Markdown as read: %s", mname, ename, rev.Kind, bad)
						}
					}
				}
				first, _, err := Prepare(rev).RenderFirst(Options{Width: 60, Format: ANSI, Style: "dark"}, 5)
				if err != nil {
					t.Fatal(err)
				}
				if bad := UnsafeOutput(first, true); bad != "" {
					t.Errorf("%s in %s, first screen: %s", mname, ename, bad)
				}
			}
		}
	}
}
