package render

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"

	"github.com/wikifeed/wikifeed/feed"
)

// hostileMarkers are sequences the hostile reproductions inject and our
// renderer never writes itself: a check for them tells an injected escape
// from the theme's own colour, where "no ESC at all" cannot.
var hostileMarkers = []string{
	"\x1b[8m", "\x1b[5m", "\x1b[6m", // conceal, blink
	"38;2;6;6;6", "58;2;1;2;3", // odd true colours
	"\x1b]8;;https://evil.example",                             // a hyperlink to a foreign host
	"\x1b]52", "\x1b]0;", "\x1b]2;", "\x1bP", "\x1b_", "\x1b^", // OSC 52, titles, DCS, APC, PM
	"\x1b[2J", "\x1b[3J", "\u009b", // erase, C1 CSI
}

// TestHostileFeeds renders every revision of the hostile reproductions in
// every format and style: no injected sequence may survive, however many
// times it was encoded, and the text that carried it is shown as text.
func TestHostileFeeds(t *testing.T) {
	paths, err := filepath.Glob("../testdata/hostile/*.atom")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hostile feeds: %v", err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := feed.Parse(f, p)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, rev := range fd.Revisions {
			for _, o := range []Options{
				{Width: 80, Format: ANSI, Style: "dark"},
				{Width: 80, Format: ANSI, Style: "light"},
				{Width: 40, Format: ANSI, Style: "dracula"},
				{Width: 80, Format: Plain},
				{Width: 80, Format: Markdown},
				{Width: 80, Format: Source},
			} {
				out, err := Revision(rev, o)
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				seen := []string{out}
				if o.Format == Markdown {
					// What a Markdown reader shows: its HTML, decoded.
					var h bytes.Buffer
					if err := goldmark.Convert([]byte(out), &h); err != nil {
						t.Fatal(err)
					}
					seen = append(seen, html.UnescapeString(h.String()))
				}
				for _, s := range seen {
					for _, m := range hostileMarkers {
						if strings.Contains(s, m) {
							t.Errorf("%s revision %d, format %d style %q: %q reaches the output", filepath.Base(p), rev.ID, o.Format, o.Style, m)
						}
					}
				}
			}
		}
	}
}

// TestCodeSpanReferences: a character reference inside a code span is shown
// literally, as MediaWiki shows it, and never decoded into a control.
func TestCodeSpanReferences(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"wikitext code", "<code>a &amp;#27;[8mX &amp;lt; b</code>", "a &#27;[8mX &lt; b"},
		{"wikitext tt", "<tt>&amp;#x1b;]8;;https://evil.example/&amp;#x7;L</tt>", "&#x1b;]8;;https://evil.example/&#x7;L"},
		{"double-encoded", "<code>&amp;amp;</code>", "&amp;"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rev := &feed.Revision{Page: "P", Kind: feed.BodyWikitext, Text: c.text}
			out, err := Revision(rev, Options{Width: 100, Format: ANSI, Style: "dark"})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, "\x1b[8m") || strings.Contains(out, "evil.example/\x07") {
				t.Fatalf("decoded into a control: %q", out)
			}
			if plain := strings.ReplaceAll(ansi.Strip(out), "\u00a0", " "); !strings.Contains(plain, c.want) {
				t.Errorf("want %q shown literally in\n%s", c.want, plain)
			}
			md, err := Revision(rev, Options{Width: 100, Format: Markdown})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(md, "`"+c.want+"`") {
				t.Errorf("Markdown: want the span `%s` in\n%s", c.want, md)
			}
		})
	}
	// HTML summaries take the same path.
	out := HTMLToMarkdown("<p><code>&amp;#27;[5mB</code></p>", "")
	if !strings.Contains(out, "`&#27;[5mB`") {
		t.Errorf("HTML code span: %q", out)
	}
}
