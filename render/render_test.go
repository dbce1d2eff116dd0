package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/wikifeed/wikifeed/feed"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// realFeeds parses every feed in the repository's testdata.
func realFeeds(t testing.TB) map[string]*feed.Feed {
	t.Helper()
	paths, err := filepath.Glob("../testdata/feeds/*")
	if err != nil {
		t.Fatal(err)
	}
	feeds := map[string]*feed.Feed{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".md") {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := feed.Parse(f, p)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		feeds[filepath.Base(p)] = fd
	}
	return feeds
}

// renderAll renders every revision of a feed, separated by rules.
func renderAll(t *testing.T, f *feed.Feed, opts Options) string {
	var b strings.Builder
	for i, rev := range f.Revisions {
		out, err := Revision(rev, opts)
		if err != nil {
			t.Fatalf("revision %d (%d): %v", i, rev.ID, err)
		}
		fmt.Fprintf(&b, "=== entry %d ===\n%s", i+1, out)
	}
	return b.String()
}

// TestGoldenPlain renders every revision of every real feed as plain text
// at three widths.
func TestGoldenPlain(t *testing.T) {
	for name, f := range realFeeds(t) {
		if len(f.Revisions) == 0 {
			continue
		}
		for _, width := range []int{40, 80, 120} {
			t.Run(fmt.Sprintf("%s/%d", name, width), func(t *testing.T) {
				out := renderAll(t, f, Options{Width: width, Style: "dark", Format: Plain})
				if strings.ContainsRune(out, '\x1b') {
					t.Error("plain output holds an escape character")
				}
				golden(t, out)
			})
		}
	}
}

// TestGoldenANSI renders every revision of every real feed in colour at
// three widths.
func TestGoldenANSI(t *testing.T) {
	for name, f := range realFeeds(t) {
		if len(f.Revisions) == 0 {
			continue
		}
		for _, width := range []int{40, 80, 120} {
			t.Run(fmt.Sprintf("%s/%d", name, width), func(t *testing.T) {
				golden(t, renderAll(t, f, Options{Width: width, Style: "dark", Format: ANSI}))
			})
		}
	}
}

// TestWidth checks that no line of any rendering is wider than asked,
// except a line that is one unbreakable word.
func TestWidth(t *testing.T) {
	for name, f := range realFeeds(t) {
		for _, width := range []int{40, 80} {
			for _, rev := range f.Revisions {
				for _, format := range []Format{Plain, ANSI} {
					out, err := Revision(rev, Options{Width: width, Format: format})
					if err != nil {
						t.Fatal(err)
					}
					if l := tooWide(out, width); l != "" {
						t.Errorf("%s rev %d width %d format %d: line wider than the width: %q", name, rev.ID, width, format, l)
					}
				}
			}
		}
	}
}

// tooWide returns the first line wider than width that holds more than
// one word, or "".
func tooWide(s string, width int) string {
	for _, l := range strings.Split(s, "\n") {
		plain := ansi.Strip(l)
		if ansi.StringWidth(plain) > width && len(strings.Fields(plain)) > 1 {
			return plain
		}
	}
	return ""
}

// TestNothingLost checks that every word a reader of a wikitext revision
// would see is in the plain rendering.
func TestNothingLost(t *testing.T) {
	for name, f := range realFeeds(t) {
		for _, rev := range f.Revisions {
			if rev.Kind != feed.BodyWikitext {
				continue
			}
			out, err := Revision(rev, Options{Width: 80, Format: Plain})
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, w := range letterWords.FindAllString(out, -1) {
				have[w] = true
			}
			var missing []string
			for _, w := range visibleWords(rev.Text) {
				if !have[w] {
					missing = append(missing, w)
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s rev %d: %d visible words missing from the output, such as %q", name, rev.ID, len(missing), missing[:min(len(missing), 8)])
			}
		}
	}
}

var (
	letterWords = regexp.MustCompile(`\p{L}{3,}`)
	// What a reader does not see: templates (shown folded), comments,
	// link targets before a '|', external link URLs, tags.
	hiddenTemplate = regexp.MustCompile(`(?s)\{\{[^{}]*\}\}`)
	hiddenComment  = regexp.MustCompile(`(?s)<!--.*?-->`)
	hiddenTarget   = regexp.MustCompile(`\[\[[^\]|]*\|`)
	hiddenURL      = regexp.MustCompile(`\[?https?://[^\s\]]*`)
	hiddenTag      = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	hiddenCategory = regexp.MustCompile(`\[\[(?:Category|File|Image):[^\]]*\]\]`)
	hiddenAttr     = regexp.MustCompile(`[a-z]+\s*=\s*"[^"\n]*"`)
	hiddenMagic    = regexp.MustCompile(`__[A-Z]+__`)
)

// visibleWords approximates the words a wiki shows for a page's text.
func visibleWords(text string) []string {
	for hiddenTemplate.MatchString(text) {
		text = hiddenTemplate.ReplaceAllString(text, " ")
	}
	for _, re := range []*regexp.Regexp{hiddenComment, hiddenCategory, hiddenTarget, hiddenURL, hiddenTag, hiddenAttr, hiddenMagic} {
		text = re.ReplaceAllString(text, " ")
	}
	return letterWords.FindAllString(text, -1)
}

// TestFirstScreen checks that the first screen of a long page is the
// start of the whole rendering, and that it converts only a prefix.
func TestFirstScreen(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/wikitext/*.wikitext")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rev := &feed.Revision{Page: "Page", Kind: feed.BodyWikitext, Text: string(b), URL: "https://en.wikipedia.org/wiki/Page"}
		prefix, all := wikitextPrefix(rev.Text, firstScreenBytes)
		if all || len(prefix) > len(rev.Text)/2 {
			t.Errorf("%s: first screen converts %d of %d bytes", p, len(prefix), len(rev.Text))
		}
		opts := Options{Width: 100, Format: Plain}
		first, complete, err := Prepare(rev).RenderFirst(opts, 30)
		if err != nil {
			t.Fatal(err)
		}
		if complete {
			t.Errorf("%s: first screen claims to be complete", p)
		}
		whole, err := Prepare(rev).Render(opts)
		if err != nil {
			t.Fatal(err)
		}
		firstLines := strings.Split(first, "\n")
		if len(firstLines) < 30 {
			t.Errorf("%s: first screen has %d lines, want 30", p, len(firstLines))
		}
		want := strings.Join(strings.Split(whole, "\n")[:min(30, len(firstLines))], "\n")
		got := strings.Join(firstLines[:min(30, len(firstLines))], "\n")
		if got != want {
			t.Errorf("%s: first screen differs from the whole page:\n%s", p, testwiki.FirstDifference(want, got))
		}
	}
}

// TestWikitext checks the wikitext constructs one by one.
func TestWikitext(t *testing.T) {
	ctx := WikiContext{Page: "Main", PageURL: PageURLFunc("https://wiki.example.org/index.php?title=Main&diff=2")}
	tests := []struct {
		name, in string
		want     []string // substrings of the plain rendering, in order
		not      []string // must not appear
	}{
		{"headings", "== Two ==\n=== Three ===\n====== Six ======", []string{"Two", "Three", "Six"}, []string{"=="}},
		{"emphasis", "''it'' '''bold''' '''''both'''''", []string{"it bold both"}, []string{"''"}},
		{"bullets", "* one\n** nested\n* two", []string{"• one", "  • nested", "• two"}, []string{"*"}},
		{"numbers", "# one\n# two\n## two.a", []string{"1. one", "2. two", "1. two.a"}, []string{"#"}},
		{"definitions", ";term : definition\n: indented", []string{"term", "definition", "indented"}, []string{";", " : "}},
		{"internal links", "see [[Other page|the label]] and [[Plain]]", []string{"see the label", "Plain"}, []string{"[[", "Other page"}},
		{"external links", "[https://example.org/x Example] and https://example.org/bare", []string{"Example", "https://example.org/bare"}, []string{"[https"}},
		{"templates folded", "before {{Infobox country\n| name = X\n| a = b\n}} after {{small}}", []string{"before", "{{Infobox country …}}", "after", "{{small}}"}, []string{"name = X"}},
		{"refs", "Claim.<ref>Source one</ref> More.<ref name=\"a\">Two</ref> Again.<ref name=\"a\" />", []string{"Claim.[1]", "More.[2]", "Again.[2]", "1. Source one", "2. Two"}, []string{"<ref"}},
		{"table", "{| class=\"wikitable\"\n|+ Caption\n! H1 !! H2\n|-\n| a || b\n|-\n| style=\"x\" | c || d\n|}", []string{"Caption", "H1", "H2", "a", "b", "c", "d"}, []string{"{|", "style="}},
		{"nowiki", "<nowiki>''not italic'' [[no link]]</nowiki>", []string{"''not italic'' [[no link]]"}, nil},
		{"pre", "<pre>\n  code '''here'''\n</pre>", []string{"code '''here'''"}, nil},
		{"code", "use <code>a < b</code> here", []string{"use", "a < b", "here"}, []string{"<code>"}},
		{"comments hidden", "shown <!-- hidden --> too", []string{"shown too"}, []string{"hidden"}},
		{"categories at the end", "[[Category:Cats]] text [[Category:Dogs]]", []string{"text", "Categories: Cats", "· Dogs"}, nil},
		{"entities", "a &amp; b &lt;tag&gt; &nbsp;c", []string{"a & b <tag>"}, []string{"&amp;", "&lt;"}},
		{"br", "one<br/>two<br>three", []string{"one\n", "two\n", "three"}, []string{"<br"}},
		{"leading space is pre", " spaced line", []string{"spaced line"}, nil},
		{"rule", "above\n----\nbelow", []string{"above", "--------", "below"}, []string{"----\nbelow"}},
		{"subpage link", "[[/Sub|sub]]", []string{"sub"}, nil},
		{"file caption with links", "[[File:X.png|thumb|The [[State House, Bermuda|State House]] in [[Bermuda]]]] after", []string{"[File: The State House", " in", "Bermuda", "] after"}, []string{"]]", "thumb"}},
		{"indented table", "intro\n:{| class=\"wikitable\"\n|-\n! Index !! Rank\n|-\n| HDI || 14\n|}\nafter", []string{"intro", "Index", "│ Rank", "HDI", "│ 14", "after"}, []string{"{|", "|}", "!!"}},
		{"pipes inside cells", "{|\n| UK || {{flagicon|UK}} || [[United Kingdom]]\n|}", []string{"UK", "{{flagicon|UK}}", "United Kingdom"}, []string{"[1]"}},
		{"caption kept whole, text after the table", "{|\n|+ First line\nsecond line\n|-\n| a<br>b || c\n|} after", []string{"First line second line", "a", "c", "b", "after"}, []string{"\\"}},
		{"colspan", "{|\n! A !! B !! C\n|-\n| colspan=2 | wide || c\n|-\n| x || y || z\n|}", []string{"A", "B", "C", "wide", "c", "x", "y", "z"}, nil},
		{"numbered external link", "see [http://a.example/x] and [http://b.example/y]", []string{"see [1]", "and [2]"}, []string{"[http"}},
		{"image options", "[[File:X.jpg|thumb|The caption|upright=1.2]]", []string{"[File: The caption]"}, []string{"upright", "thumb"}},
		{"gallery", "<gallery>\nFile:A.jpg|Caption A\nB.png|Caption B\n</gallery>", []string{"• [File: Caption A]", "• [File: Caption B]"}, []string{"|Caption"}},
		{"poem keeps its lines", "<poem>\nline one\nline two\n</poem>", []string{"line one\n", "line two"}, []string{"<poem"}},
		{"html blocks", "<div>a</div>b <table><tr><td>A</td><td>B</td></tr></table>", []string{"a\n", "b", "A │ B"}, []string{"ab", "AB"}},
		{"tag over two lines", "x <span\nstyle=\"color:red\">red</span> y", []string{"x red y"}, []string{"<span", "style"}},
		{"adjacent templates", "a {{a}}{{b}} b", []string{"a {{a}}{{b}} b"}, []string{"`"}},
		{"list after a paragraph", "para\n** deep\n** deeper", []string{"para", "• deep", "• deeper"}, []string{"**", "```"}},
		{"definitions need no backslash", ";term\n:reply\n::deeper", []string{"term", "  reply", "    deeper"}, []string{"\\"}},
		{"emphasis leaks no marks", `'''Note:'''text ''"hello"''s <s>foo <em>X<em>Y</em>Z</em>`, []string{`Note:text "hello"s foo XYZ`}, []string{"**", "~~", "*"}},
		{"indented heading is pre", " ==foo==", []string{"==foo=="}, nil},
		{"term colon in a link", "; [[a:b|c]] : d\n; see http://x.example/a : e", []string{"c", "d", "see http://x.example/a", "e"}, nil},
		{"interlanguage links", "text[[fr:Page]] more", []string{"text more", "Languages: fr:Page"}, []string{"textfr"}},
		{"plain headings", "== Foo ==\n==  ==", []string{"Foo"}, []string{"#", "=="}},
		{"nowiki inside tt", "elements <tt><nowiki><canvas></nowiki></tt> and", []string{"elements", "<canvas>", "and"}, []string{"nowiki"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := WikitextToMarkdown(tt.in, ctx)
			p := &wikiParser{page: ctx.Page, pageURL: ctx.PageURL}
			out := layoutPlain(p.parse(tt.in), 80)
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Errorf("missing %q in\n%s\n(markdown:\n%s)", w, out, md)
					break
				}
				rest = rest[i+len(w):]
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("%q should not appear in\n%s", n, out)
				}
			}
		})
	}
}

// TestLinks checks that internal links point at the wiki's page URLs.
func TestLinks(t *testing.T) {
	ctx := WikiContext{Page: "Containers/Mini-summit 2008", PageURL: PageURLFunc("https://wiki.openvz.org/index.php?title=Containers/Mini-summit_2008&diff=6200")}
	md := WikitextToMarkdown("[[Main Page|home]] [[/Proposal|proposal]] [[Help:Contents|]]", ctx)
	for _, want := range []string{
		"[home](<https://wiki.openvz.org/index.php?title=Main_Page>)",
		"[proposal](<https://wiki.openvz.org/index.php?title=Containers/Mini-summit_2008/Proposal>)",
		"[Contents](<https://wiki.openvz.org/index.php?title=Help:Contents>)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("missing %s in %s", want, md)
		}
	}
	// Rendered, a page link shows its label only; in colour the label is
	// an OSC 8 hyperlink to the page. External links keep their URL.
	rev := &feed.Revision{
		Page: "Main", Kind: feed.BodyWikitext, URL: "https://wiki.example.org/wiki/Main",
		Text: "A [[Target page|label]], then [https://ext.example/x outside] and a long line of words to wrap before a link such as [[Wrapped link]].",
	}
	for _, width := range []int{40, 41, 42, 43, 44, 60, 80} {
		plain, err := Revision(rev, Options{Width: width, Format: Plain})
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(plain), " ")
		if !strings.Contains(flat, "A label, then outside https://ext.example/x and") || !strings.Contains(flat, "such as Wrapped link.") {
			t.Errorf("width %d: page links should show their label alone:\n%s", width, plain)
		}
		if strings.Contains(plain, "wiki.example.org") {
			t.Errorf("width %d: a page URL is in the plain text:\n%s", width, plain)
		}
		if l := tooWide(plain, width); l != "" {
			t.Errorf("width %d: line too wide: %q", width, l)
		}
	}
	colour, err := Revision(rev, Options{Width: 80, Format: ANSI})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(colour, ";https://wiki.example.org/wiki/Target_page\a") {
		t.Errorf("no OSC 8 link to the page in %q", colour)
	}
	if f := PageURLFunc("https://en.wikipedia.org/wiki/United_Kingdom"); f == nil || f("Some page") != "https://en.wikipedia.org/wiki/Some_page" {
		t.Error("/wiki/ URLs are not followed")
	}
}

// TestHTML checks the HTML constructs.
func TestHTML(t *testing.T) {
	in := `<h2>Head</h2><p>para <b>bold</b> <i>it</i> <a href="/wiki/X">rel</a> <a href="javascript:alert(1)">js</a></p>
<ul><li>one<ul><li>nested</li></ul></li><li>two</li></ul><ol><li>first</li></ol>
<pre>pre  text</pre><p>a<br>b</p><img alt="a cat" src="c.png"><table><tr><th>H</th></tr><tr><td>c</td></tr></table>
<script>evil()</script><blockquote>quoted</blockquote>`
	md := HTMLToMarkdown(in, "https://wiki.example.org/feed")
	out := layoutPlain(parseHTML(in, "https://wiki.example.org/feed"), 80)
	for _, want := range []string{"Head", "para bold it rel", "js", "• one", "• nested", "• two", "1. first", "pre  text", "a\n", "b", "[image: a cat]", "H", "c", "quoted"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(md, "javascript") || strings.Contains(out, "evil") {
		t.Errorf("unsafe content kept:\n%s", md)
	}
	if !strings.Contains(md, "https://wiki.example.org/wiki/X") {
		t.Errorf("relative link not resolved:\n%s", md)
	}
	// A link's URL follows the word its text ends, not glued inside it.
	if got := layoutPlain(parseHTML(`<p><a href="https://x.org/a">link</a>s</p>`, ""), 80); !strings.Contains(got, "links https://x.org/a") {
		t.Errorf("link glued to its URL: %q", got)
	}
}

// FuzzWikitext checks that any wikitext renders without panicking, as
// valid UTF-8, with no control characters but our own colour codes and
// links, and within the width.
func FuzzWikitext(f *testing.F) {
	for _, fd := range realFeeds(f) {
		for _, r := range fd.Revisions {
			if r.Kind == feed.BodyWikitext && len(r.Text) < 8<<10 {
				f.Add(r.Text)
			}
		}
	}
	for _, v := range injectionVectors {
		f.Add(v)
	}
	f.Add("{{a|{{b}}|[[c|d]]}} ''x'''y'''z'' <ref>n</ref> {|\n|a||b\n|}")
	f.Fuzz(func(t *testing.T, text string) {
		rev := &feed.Revision{Page: "P", Kind: feed.BodyWikitext, Text: text, URL: "https://w.example/wiki/P"}
		checkRender(t, rev)
	})
}

// FuzzHTML does the same for HTML bodies.
func FuzzHTML(f *testing.F) {
	for _, fd := range realFeeds(f) {
		for _, r := range fd.Revisions {
			if r.Kind == feed.BodyHTML && len(r.Body) < 8<<10 {
				f.Add(r.Body)
			}
		}
	}
	for _, v := range injectionVectors {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, body string) {
		rev := &feed.Revision{Page: "P", Kind: feed.BodyHTML, Body: body, URL: "https://w.example/wiki/P"}
		checkRender(t, rev)
	})
}

// checkRender renders a revision in every format and checks the output.
func checkRender(t *testing.T, rev *feed.Revision) {
	const width = 40
	for _, format := range []Format{ANSI, Plain, Markdown, Source} {
		out, err := Revision(rev, Options{Width: width, Format: format})
		if err != nil {
			t.Fatalf("format %d: %v", format, err)
		}
		if !utf8.ValidString(out) {
			t.Fatalf("format %d: invalid UTF-8", format)
		}
		if bad := unsafeOutput(out, format == ANSI); bad != "" {
			t.Fatalf("format %d: unsafe output %q", format, bad)
		}
		if format == ANSI || format == Plain {
			if l := tooWide(out, width); l != "" {
				t.Fatalf("format %d: line wider than %d: %q", format, width, l)
			}
		}
	}
}

// layoutPlain lays blocks out as plain text at a width.
func layoutPlain(blocks []*node, width int) string {
	return finish(newLayout(Options{Format: Plain}).blocks(blocks, width-2*docMargin, false), Options{Format: Plain})
}

// TestMarkdownEscapes checks that text holding Markdown's syntax reads
// back from the Markdown output as the text it was: a reader (goldmark,
// with GitHub's extensions) shows exactly the text, and links keep their
// targets with no entity in them decoded.
func TestMarkdownEscapes(t *testing.T) {
	for _, s := range []string{
		"~user ~~not struck~~", "see http://a.example/~c?x=1&y=2 or www.example.org/x_y",
		"*a* _b_ `c` [d](e) <f> \\g &amp; &#27; | h | # i", "1. not a list", "- nor this", "&#x1b;[8m",
	} {
		md := markdownOf([]*node{{kind: blockPara, kids: []*node{newText(s, 0)}}})
		if got := readMarkdown(t, md); got != s {
			t.Errorf("%q: Markdown %q reads back as %q", s, md, got)
		}
	}
	link := &node{kind: inLink, url: SafeURL("https://a.example/p?a=1&b=2&amp;c"), kids: []*node{newText("x", 0)}}
	if got := markdownOf([]*node{{kind: blockPara, kids: []*node{link}}}); !strings.Contains(got, "p?a=1&b=2%26amp;c") {
		t.Errorf("entity in a target not protected: %s", got)
	}
	if SafeURL("https://a.example/p&#x1b;q") != "" {
		t.Error("a URL still holding a numeric character reference is linked")
	}
	for _, c := range []struct {
		name, wikitext, want string
	}{
		{"bold before a letter", "'''Note:'''text", "Note:text"},
		{"italic quotes", `''"hello"''s`, `"hello"s`},
		{"strike to the end", "<s>foo", "foo"},
		{"nested em", "<em>X<em>Y</em>Z</em>", "XYZ"},
		{"adjacent templates", "{{a}}{{b}}", "{{a}}{{b}}"},
	} {
		p := &wikiParser{}
		md := markdownOf(p.parse(c.wikitext))
		if got := readMarkdown(t, md); got != c.want {
			t.Errorf("%s: Markdown %q reads back as %q, want %q", c.name, md, got, c.want)
		}
	}
}

// readMarkdown converts Markdown to HTML with goldmark (GitHub's
// extensions) and returns its text, tags removed and entities decoded.
func readMarkdown(t *testing.T, md string) string {
	t.Helper()
	var h bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &h); err != nil {
		t.Fatal(err)
	}
	s := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(h.String(), "")
	return strings.TrimSpace(html.UnescapeString(s))
}

// TestCodeWrap checks that a long preformatted line wraps under its own
// indentation, with tabs expanded, rather than at the block's margin.
func TestCodeWrap(t *testing.T) {
	rev := &feed.Revision{
		Page: "P", Kind: feed.BodyWikitext, URL: "https://w.example/wiki/P",
		Text: "<pre>\n\tif (x) {\n\t\tcall(" + strings.Repeat("argument, ", 12) + "last);\n\t}\n</pre>",
	}
	for _, width := range []int{40, 60, 80} {
		out, err := Revision(rev, Options{Width: width, Format: Plain})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "\t") {
			t.Errorf("width %d: a tab is left:\n%s", width, out)
		}
		var body []string
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "argument") || strings.Contains(l, "last);") {
				body = append(body, l)
			}
		}
		if len(body) < 2 {
			t.Fatalf("width %d: the long line did not wrap:\n%s", width, out)
		}
		first := len(body[0]) - len(strings.TrimLeft(body[0], " "))
		for _, l := range body[1:] {
			if ind := len(l) - len(strings.TrimLeft(l, " ")); ind != first+2 {
				t.Errorf("width %d: continuation indented %d, want %d:\n%s", width, ind, first+2, out)
			}
		}
		if l := tooWide(out, width); l != "" {
			t.Errorf("width %d: too wide: %q", width, l)
		}
	}
}

// FuzzTree checks the tree parser itself: any wikitext gives a tree whose
// text is sanitised, whose links all pass SafeURL, and whose Markdown and
// layout never panic.
func FuzzTree(f *testing.F) {
	for _, v := range injectionVectors {
		f.Add(v)
	}
	f.Add("{|\n|+ cap\n! a !! b\n|-\n| colspan=2 | [[x|y]] || {{t|a}}\n|}\nafter")
	f.Add("* a\n** b\n*** c\n# d\n; e : f\n:: g")
	f.Add("<table><tr><td>A</td><td rowspan=2>B</td></tr></table><div>x</div>y<poem>\na\nb\n</poem>")
	f.Fuzz(func(t *testing.T, text string) {
		p := &wikiParser{page: "P", pageURL: PageURLFunc("https://w.example/wiki/P")}
		blocks := p.parse(text)
		var walk func([]*node, int)
		walk = func(ns []*node, depth int) {
			if depth > 4*maxNesting+20 {
				t.Fatalf("tree deeper than %d", depth)
			}
			for _, n := range ns {
				if n.text != Sanitize(n.text) {
					t.Fatalf("unsanitised text %q", n.text)
				}
				if n.url != "" && SafeURL(n.url) != n.url {
					t.Fatalf("unsafe link %q", n.url)
				}
				walk(n.kids, depth+1)
				walk(n.inl, depth+1)
			}
		}
		walk(blocks, 0)
		_ = markdownOf(blocks)
		out := finish(newLayout(Options{Format: ANSI}).blocks(blocks, 36, false), Options{Format: ANSI})
		if bad := UnsafeOutput(out, true); bad != "" {
			t.Fatalf("unsafe output: %s", bad)
		}
	})
}

// TestWideTable checks that a table too wide for the terminal keeps every
// word of every cell, header included, within the width: cells wrap, or
// the rows become blocks; nothing is cut with "…".
func TestWideTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("{|\n! Ethnic group !! Population 2001 !! Population 2011 !! Share of the whole !! Notes on the census\n")
	for i := 0; i < 4; i++ {
		b.WriteString("|-\n| White British and Irish || 54,153,898 || 55,010,359 || 87.1 per cent || counted in every nation of the kingdom\n")
	}
	b.WriteString("|}")
	rev := &feed.Revision{Page: "P", Kind: feed.BodyWikitext, Text: b.String()}
	for _, width := range []int{30, 40, 60, 80, 140} {
		out, err := Revision(rev, Options{Width: width, Format: Plain})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "…") {
			t.Errorf("width %d: a cell is cut:\n%s", width, out)
		}
		if l := tooWide(out, width); l != "" {
			t.Errorf("width %d: line too wide: %q", width, l)
		}
		for _, w := range strings.Fields("Ethnic group Population 2001 2011 Share whole Notes census White British Irish 54,153,898 55,010,359 87.1 counted every nation kingdom") {
			if !strings.Contains(out, w) {
				t.Errorf("width %d: %q lost:\n%s", width, w, out)
			}
		}
	}
}

// TestWikiHTML renders a revision through the wiki's own HTML (a recorded
// action=parse answer's text): the expanded template shows, the wiki's
// chrome does not; a fallback carries its note.
func TestWikiHTML(t *testing.T) {
	b, err := os.ReadFile("../wikiapi/testdata/parse-6200.json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Parse struct{ Text string } `json:"parse"`
	}
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	rev := &feed.Revision{Page: "Containers/Mini-summit 2008", ID: 6200, Kind: feed.BodyWikitext, Text: "{{Infobox summit}}", URL: "https://wiki.openvz.org/index.php?title=Containers/Mini-summit_2008&diff=6200"}
	out, err := PrepareWikiHTML(rev, a.Parse.Text).Render(Options{Width: 80, Format: Plain})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Ottawa Congress Centre", "Proposal", "OLS'08", "Feel free to edit."} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	for _, not := range []string{"edit]", "Contents", "NewPP", "{{Infobox"} {
		if strings.Contains(out, not) {
			t.Errorf("%q shown in\n%s", not, out)
		}
	}
	fb, err := Prepare(rev).WithNote("offline: the wiki's rendering could not be fetched; this is wikifeed's").Render(Options{Width: 80, Format: Plain})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fb, "offline: the wiki's rendering") || !strings.Contains(fb, "{{Infobox summit}}") {
		t.Errorf("fallback:\n%s", fb)
	}
}
