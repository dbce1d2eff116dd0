package render

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wikifeed/wikifeed/feed"
)

// injectionVectors are terminal attacks a hostile feed could carry: raw
// escape sequences, their 8-bit and entity-encoded forms, bidi controls
// and unsafe link schemes.
var injectionVectors = []string{
	"raw \x1b escape",
	"clear \x1b[2J\x1b[H screen",
	"alternate screen \x1b[?1049h",
	"report \x1b[6n cursor",
	"reset \x1bc terminal",
	"title \x1b]0;pwned\x07 osc0",
	"title \x1b]2;pwned\x1b\\ osc2",
	"link \x1b]8;;https://evil.example/\x07click\x1b]8;;\x07 breakout",
	"clipboard \x1b]52;c;cm0gLXJmIH4K\x07 write",
	"dcs \x1bP+q544e\x1b\\ request",
	"8-bit csi \x9b2J raw byte",
	"utf-8 c1 csi \u009b2J",
	"utf-8 c1 osc \u009d0;pwned\u009c",
	"bell \x07\x07 ring",
	"backspace ab\x08\x08cd",
	"carriage \rreturn over",
	"nul \x00 byte",
	"del \x7f char",
	"entity &#x1b;[2J clear",
	"entity &#27;]0;pwned&#7; title",
	"entity &#x9b;2J c1",
	"double &amp;#27;[2J encoded",
	"double &amp;#x1b;]0;t&amp;#x07; title",
	"bidi \u202egnp.exe\u202c override",
	"isolate \u2066text\u2069 and embed \u202atext\u202c",
	"[javascript:alert(1) wikitext js link]",
	`<a href="javascript:alert(1)">html js link</a>`,
	`<a href="data:text/html,<script>x</script>">data link</a>`,
	`<a href="vbscript:msgbox">vb link</a>`,
	"[https://example.org/\x1b[2J label with escape in url]",
	`<a href="https://ok.example/&#x1b;]8;;evil">entity in href</a>`,
	"<span>\x1b[31mred\x1b[0m</span> sgr from the feed",
	"'''bold \x1b[5m''' blink",
	"{{Template|\x1b]0;t\x07}}",
	"== Heading \x1b[2J ==",
	`<a href="/wiki/A&#x1b;[2J">same-wiki link with an escape</a>`,
	`<a href="https://w.example/wiki/B&#x9b;2J">same-host link with C1</a>`,
	"[[Page\x1b]8;;https://evil.example/\x07|label]] wiki link target",
	"[[Page|label \x1b]0;pwned\x07]] wiki link label",
}

// unsafeOutput returns the first thing in s that must not reach a
// terminal, or "". With ansi set, SGR sequences and OSC 8 links to safe
// URLs are allowed (they are ours).
func unsafeOutput(s string, ansi bool) string {
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n, keep := escapeSequence(s[i:])
			if !ansi || !keep {
				return s[i:min(len(s), i+n+8)]
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\r' || unsafeRune(r) {
			return s[i:min(len(s), i+8)]
		}
		i += size
	}
	if strings.Contains(s, "](<javascript") || strings.Contains(s, "](javascript") {
		return "javascript link"
	}
	return ""
}

// TestInjection puts every vector in every field of a revision and checks
// every output format.
func TestInjection(t *testing.T) {
	if len(injectionVectors) < 25 {
		t.Fatalf("only %d vectors", len(injectionVectors))
	}
	fields := map[string]func(*feed.Revision, string){
		"title":    func(r *feed.Revision, v string) { r.Page = v },
		"user":     func(r *feed.Revision, v string) { r.User = v },
		"comment":  func(r *feed.Revision, v string) { r.Comment = v },
		"section":  func(r *feed.Revision, v string) { r.Section = v; r.Comment = "/* " + v + " */ x" },
		"wikitext": func(r *feed.Revision, v string) { r.Kind = feed.BodyWikitext; r.Text = v },
		"html":     func(r *feed.Revision, v string) { r.Kind = feed.BodyHTML; r.Body = "<p>" + v + "</p>" },
		"url":      func(r *feed.Revision, v string) { r.URL = v; r.Kind = feed.BodyChangesLink; r.ChangesURL = v },
	}
	for name, set := range fields {
		for _, v := range injectionVectors {
			rev := &feed.Revision{Page: "Page", User: "User", Kind: feed.BodyWikitext, Text: "text [[link]]", URL: "https://w.example/wiki/Page"}
			set(rev, v)
			for _, format := range []Format{ANSI, Plain, Markdown, Source} {
				out, err := Revision(rev, Options{Width: 60, Format: format})
				if err != nil {
					t.Fatal(err)
				}
				if bad := unsafeOutput(out, format == ANSI); bad != "" {
					t.Errorf("%s %q format %d: %q reaches the output", name, v, format, bad)
				}
				// A Markdown reader decodes entities, in text and in URLs
				// alike: what it decodes must be safe too.
				if bad := unsafeOutput(html.UnescapeString(out), false); format == Markdown && bad != "" {
					t.Errorf("%s %q: Markdown decodes to %q", name, v, bad)
				}
				if strings.Contains(out, "pwned\x07") || strings.Contains(out, "\x1b]8;;https://evil") {
					t.Errorf("%s %q format %d: an OSC body survived", name, v, format)
				}
			}
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\tand\nnewline", "tab\tand\nnewline"},
		{"crlf\r\nline", "crlf\nline"},
		{"esc\x1b[2Jx", "esc[2Jx"},
		{"c1\u009bx", "c1x"},
		{"bad\x9bbyte", "bad\ufffdbyte"},
		{"rlo\u202eabc", "rloabc"},
		{"lrm\u200etext", "lrmtext"},
		{"ünïcödé 日本", "ünïcödé 日本"},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.org/a?b=c": "https://example.org/a?b=c",
		"http://example.org":        "http://example.org",
		"mailto:a@example.org":      "mailto:a@example.org",
		"javascript:alert(1)":       "",
		"JaVaScRiPt:alert(1)":       "",
		"data:text/html,x":          "",
		"/relative/path":            "",
		"https://a\x1b]8;;b":        "",
		"https://":                  "",
		"file:///etc/passwd":        "",
	} {
		if got := SafeURL(in); got != want {
			t.Errorf("SafeURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestStripUnsafeANSI(t *testing.T) {
	in := "\x1b[1;38;5;252mkept\x1b[m \x1b]8;;https://ok.example/\x07link\x1b]8;;\x07 \x1b]8;;javascript:x\x07bad\x1b]8;;\x07 \x1b[2J\x1b]0;t\x07\x9b\u009b\x07end"
	want := "\x1b[1;38;5;252mkept\x1b[m \x1b]8;;https://ok.example/\x07link\x1b]8;;\x07 bad\x1b]8;;\x07 \ufffdend"
	if got := StripUnsafeANSI(in); got != want {
		t.Errorf("StripUnsafeANSI:\n got %q\nwant %q", got, want)
	}
}

// TestInvisible checks that invisible characters are removed, joiners kept
// where scripts need them, and long runs of combining marks cut.
func TestInvisible(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\u200bb\u2060c\ufeffd", "abcd"},
		{"tag\U000e0041\U000e007fs", "tags"},
		{"x\ufff9y\ufffaz\ufffb", "xyz"},
		{"line\u2028sep\u2029end", "line sep end"},
		{"\u200dlead \u200cspace", "lead space"},
		{"क्\u200dष فا\u200cرسی", "क्\u200dष فا\u200cرسی"},
		{"e" + strings.Repeat("\u0301", 40), "e" + strings.Repeat("\u0301", maxMarks)},
		{"fill\u3164er\u115f", "filler"},
	} {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWebURL checks the URLs the TUI may open or copy.
func TestWebURL(t *testing.T) {
	for _, bad := range []string{
		"javascript:alert(1)", "file:///etc/passwd", "https://a.example/\nrm -rf ~", "https://a.example/\x1b]52;c;x\a",
		"mailto:a@b.example", " https://a.example/", "https://a.example/\u2028x", "https://a.example/\u202ex", "https:///nohost", "data:text/html,x",
	} {
		if got := WebURL(bad); got != "" {
			t.Errorf("WebURL(%q) = %q, want refused", bad, got)
		}
	}
	if got := WebURL("https://en.wikipedia.org/w/index.php?title=X&diff=1"); got != "https://en.wikipedia.org/w/index.php?title=X&diff=1" {
		t.Errorf("a wiki URL is refused: %q", got)
	}
}
