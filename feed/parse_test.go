package feed

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"unicode"
)

// FuzzParse feeds Parse real feeds and their mutations. Whatever the
// input, Parse must not panic, must fail with one line that names the
// source, and on success must give a consistent model: every revision on
// exactly one page, pages oldest first, feeds newest first, one-line text
// free of control characters.
func FuzzParse(f *testing.F) {
	for _, path := range feedFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("<rss version=\"2.0\"><channel><item><title>a</title></item></channel></rss>"))
	for _, c := range encodingCases {
		f.Add(encodedFeed(f, c))
	}
	for _, name := range []string{"atom/entry_title_base64.xml", "atom/entry_created_parsed.xml", "rss/item_guid_map_link.xml", "amp/attr01.xml", "cdf/item_lastmod_parsed.xml"} {
		if data, err := os.ReadFile("testdata/feedparser/wellformed/" + name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(bytes.NewReader(data), "fuzz.xml")
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "fuzz.xml: ") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("bad error message %q", msg)
			}
			return
		}
		checkModel(t, feed)
		for _, w := range feed.Warnings {
			if !strings.HasPrefix(w, "fuzz.xml: ") || strings.ContainsAny(w, "\n\r") {
				t.Fatalf("bad warning %q", w)
			}
		}
		// The parallel parse must agree with the streaming one.
		if len(feed.Revisions) > 0 && len(feed.Warnings) == 0 {
			par, err := parseParallel(data, "fuzz.xml", "", 2, nil, nil)
			if err == nil && dumpFeed(par) != dumpFeed(feed) {
				t.Fatalf("parallel parse differs")
			}
		}
	})
}

// checkModel checks the invariants of a feed's model.
func checkModel(t *testing.T, f *Feed) {
	t.Helper()
	n := 0
	for _, p := range f.Pages {
		n += len(p.Revisions)
		for i, r := range p.Revisions {
			if r.Page != p.Title {
				t.Fatalf("revision of %q on page %q", r.Page, p.Title)
			}
			if f.PageOf(r) != p {
				t.Fatalf("PageOf does not find the page of %q", r.Page)
			}
			if i > 0 && r.Time.Before(p.Revisions[i-1].Time) {
				t.Fatalf("page %q not oldest first", p.Title)
			}
			if (i > 0) != (p.Prev(r) != nil) {
				t.Fatalf("Prev wrong at %d of %q", i, p.Title)
			}
		}
	}
	if n != len(f.Revisions) {
		t.Fatalf("%d revisions, %d on pages", len(f.Revisions), n)
	}
	for i, r := range f.Revisions {
		if i > 0 && r.Time.After(f.Revisions[i-1].Time) {
			t.Fatalf("feed not newest first at %d", i)
		}
		for _, s := range []string{r.Page, r.User, r.Comment, r.Section, f.Title} {
			for _, c := range s {
				if unicode.IsControl(c) || isDirectionMark(c) {
					t.Fatalf("control character %U in %q", c, s)
				}
			}
		}
		if strings.Contains(r.Body, "\r") || strings.Contains(r.Text, "\r") {
			t.Fatalf("carriage return left in a body")
		}
		if r.HasSizeChange && r.Size < 0 {
			t.Fatalf("size change without a size")
		}
	}
}

// TestModelInvariants checks every real feed, and the sample.
func TestModelInvariants(t *testing.T) {
	for _, path := range feedFiles(t) {
		f, err := loadOne(t, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkModel(t, f)
	}
	s := Sample()
	if !s.Sample || len(s.Revisions) != 6 || s.Sources[0] != SampleSource {
		t.Errorf("sample: %v revisions, sample %v, sources %q", len(s.Revisions), s.Sample, s.Sources)
	}
	checkModel(t, s)
	if f, errs := Load(context.Background(), nil, Options{}); errs != nil || !f.Sample {
		t.Errorf("Load with no sources: %v, sample %v", errs, f != nil && f.Sample)
	}
}

// TestLookups checks PageOf, Prev, Next and Latest on the sample, and on a
// Feed built by hand, which has no index.
func TestLookups(t *testing.T) {
	f := Sample()
	var r6198 *Revision
	for _, r := range f.Revisions {
		if r.ID == 6198 {
			r6198 = r
		}
	}
	p := f.PageOf(r6198)
	if p == nil || p.Title != "Containers/Mini-summit 2008" {
		t.Fatalf("PageOf(6198) = %v", p)
	}
	if prev := p.Prev(r6198); prev == nil || prev.ID != 6197 {
		t.Errorf("Prev(6198) = %v, want 6197", prev)
	}
	if next := p.Next(r6198); next == nil || next.ID != 6199 {
		t.Errorf("Next(6198) = %v, want 6199", next)
	}
	if p.Prev(p.Revisions[0]) != nil || p.Next(p.Latest()) != nil || p.Latest().ID != 6200 {
		t.Errorf("ends wrong: latest %v", p.Latest())
	}
	if f.PageOf(&Revision{Page: p.Title}) != nil {
		t.Errorf("PageOf found a revision that is not in the feed")
	}
	a, b := &Revision{Page: "P", ID: 1}, &Revision{Page: "P", ID: 2}
	hand := &Feed{Revisions: []*Revision{b, a}, Pages: []*Page{{Title: "P", Revisions: []*Revision{a, b}}}}
	if hand.PageOf(b) == nil || hand.PageOf(b).Prev(b) != a {
		t.Errorf("lookups fail on a feed built by hand")
	}
}

// TestMergeDedupe checks that Merge counts an entry once only when id,
// time and content all match.
func TestMergeDedupe(t *testing.T) {
	data, err := os.ReadFile("../testdata/feeds/mediawiki-1.12.0-sbgn-recentchanges.atom")
	if err != nil {
		t.Fatal(err)
	}
	one, err := Parse(bytes.NewReader(data), "a")
	if err != nil {
		t.Fatal(err)
	}
	// 10 upload log entries share one id; all stay.
	if p := one.Page("Special:Log/upload"); p == nil || len(p.Revisions) != 10 {
		t.Fatalf("upload log: %v", p)
	}
	two, _ := Parse(bytes.NewReader(data), "b")
	m := Merge(one, two)
	if len(m.Revisions) != len(one.Revisions) {
		t.Errorf("merged twice the same feed: %d revisions, want %d", len(m.Revisions), len(one.Revisions))
	}
	if len(m.Sources) != 2 {
		t.Errorf("sources %q", m.Sources)
	}
	// Same id and time but another comment is another entry.
	edited := bytes.Replace(data, []byte("Symbol of the month June 2016"), []byte("Symbol of the month July 2016"), 1)
	three, err := Parse(bytes.NewReader(edited), "c")
	if err != nil {
		t.Fatal(err)
	}
	if m := Merge(one, three); len(m.Revisions) != len(one.Revisions)+1 {
		t.Errorf("changed entry merged away: %d revisions, want %d", len(m.Revisions), len(one.Revisions)+1)
	}
	// Merge copies: the inputs keep their own lookups.
	if one.PageOf(one.Revisions[0]) == nil {
		t.Errorf("Merge broke the input feed")
	}
}

func TestWikitext(t *testing.T) {
	cases := []struct{ div, want string }{
		{"<div>a<br />\nb</div>", "a\nb"},
		{"<div>x&lt;br/&gt;<br />\ny</div>", "x<br/>\ny"},
		{"<div>&amp;nbsp; &amp;amp; &lt;ref&gt;</div>", "&nbsp; &amp; <ref>"},
		{"<div>&quot;q&quot; &#039;s&#039;</div>", "\"q\" 's'"},
		{"<div></div>", ""},
	}
	for _, c := range cases {
		if got := wikitextFromDiv(c.div); got != c.want {
			t.Errorf("wikitextFromDiv(%q) = %q, want %q", c.div, got, c.want)
		}
	}
}

func TestCommentText(t *testing.T) {
	cases := []struct{ in, comment, section string }{
		{`<span class="autocomment">Suggested Roles:&#32;</span> `, "/* Suggested Roles */", "Suggested Roles"},
		{"\u200e<span dir=\"auto\"><span class=\"autocomment\">Physical Characteristics</span></span>", "/* Physical Characteristics */", "Physical Characteristics"},
		{`<span dir="auto"><span class="autocomment"><a href="/wiki/P#Early_life" title="P">→</a>Early life: </span> fix</span>`, "/* Early life */ fix", "Early life"},
		{"\u200e<span dir=\"auto\"><span class=\"autocomment\">wbsetclaim-create:2||1: </span> <a href=\"/wiki/Property:P856\">official website</a>: http://x/</span>", "/* wbsetclaim-create:2||1 */ official website: http://x/", ""},
		{"Dlezcano: /* Agenda */", "Dlezcano: /* Agenda */", "Agenda"},
		{"moved [[<a href=\"/P\">P</a>]] to [[<a href=\"/Q\">Q</a>]]", "moved [[P]] to [[Q]]", ""},
		{"Created page with &quot;&lt;div style=&quot;x&quot;&gt;&quot;", "Created page with \"<div style=\"x\">\"", ""},
		{"", "", ""},
	}
	for _, c := range cases {
		comment, section := commentText(c.in)
		if comment != c.comment || section != c.section {
			t.Errorf("commentText(%q) = %q, %q; want %q, %q", c.in, comment, section, c.comment, c.section)
		}
	}
}

func TestPersonName(t *testing.T) {
	for in, want := range map[string]string{
		"Mark S. Miller (markm@173.164.252.202)": "Mark S. Miller",
		"ann@example.org (Ann)":                  "Ann",
		"Madned":                                 "Madned",
		"Foo (bar)":                              "Foo (bar)",
	} {
		if got := personName(in); got != want {
			t.Errorf("personName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWikiURL(t *testing.T) {
	cases := []struct {
		q    WikiQuery
		want string
		err  string
	}{
		{WikiQuery{Wiki: "https://wiki.openvz.org", User: "Dlezcano"}, "https://wiki.openvz.org/api.php?action=feedcontributions&feedformat=atom&user=Dlezcano", ""},
		{WikiQuery{Wiki: "https://en.wikipedia.org/wiki/Main_Page", Recent: true}, "https://en.wikipedia.org/w/api.php?action=feedrecentchanges&feedformat=atom", ""},
		{WikiQuery{Wiki: "de.wikipedia.org", User: "Jimbo Wales", Format: "rss"}, "https://de.wikipedia.org/w/api.php?action=feedcontributions&feedformat=rss&user=Jimbo+Wales", ""},
		{WikiQuery{Wiki: "http://x3wiki.com/api.php", History: "Ship List"}, "http://x3wiki.com/index.php?action=history&feed=atom&title=Ship_List", ""},
		{WikiQuery{Wiki: "https://wiki.example/mw/index.php?title=Foo", Recent: true}, "https://wiki.example/mw/api.php?action=feedrecentchanges&feedformat=atom", ""},
		{WikiQuery{}, "", ""},
		{WikiQuery{User: "Ann"}, "", "need --wiki"},
		{WikiQuery{Wiki: "https://w.example"}, "", "needs one of"},
		{WikiQuery{Wiki: "https://w.example", User: "A", Recent: true}, "", "only one"},
		{WikiQuery{Wiki: "ftp://w.example", Recent: true}, "", "http(s) URL"},
	}
	for _, c := range cases {
		got, err := WikiURL(c.q)
		if got != c.want || (c.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("WikiURL(%+v) = %q, %v; want %q, %q", c.q, got, err, c.want, c.err)
		}
	}
}

// TestFindEntries checks the splitter skips what can hide a tag.
func TestFindEntries(t *testing.T) {
	doc := []byte(`<rss><channel><items>x</items><!-- <item> --><item><![CDATA[</item><item>]]></item>
<item a="1"><?pi <item>?></item><itemx/></channel></rss>`)
	starts, end := findEntries(doc, []byte("item"))
	if len(starts) != 2 || end != bytes.LastIndex(doc, []byte("</item>"))+7 {
		t.Errorf("starts %v end %d", starts, end)
	}
}

// TestRelativeURLsFromFile resolves relative ids and links against the
// feed's self link when it was read from a file, and undoes DokuWiki's
// double escaping of URLs.
func TestRelativeURLsFromFile(t *testing.T) {
	doc := `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><generator>MediaWiki 1.40.0</generator>
<link rel="self" href="https://wiki.example/w/api.php?action=feedrecentchanges&amp;feedformat=atom"/>
<entry><id>index.php?title=Foo&amp;amp;diff=12&amp;amp;oldid=0&amp;amp;curid=7</id><title>Foo</title>
<link rel="alternate" href="/w/index.php?title=Foo&amp;diff=12&amp;oldid=0&amp;curid=7"/><updated>2024-01-02T03:04:05Z</updated>
<summary type="html">&lt;p&gt;new&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Neue Seite&lt;/b&gt;&lt;/p&gt;&lt;div&gt;Hallo&lt;br /&gt;
Welt&lt;/div&gt;</summary><author><name>Ann</name></author></entry></feed>`
	f, err := Parse(strings.NewReader(doc), "local.atom")
	if err != nil {
		t.Fatal(err)
	}
	r := f.Revisions[0]
	if r.URL != "https://wiki.example/w/index.php?title=Foo&diff=12&oldid=0&curid=7" {
		t.Errorf("URL %q", r.URL)
	}
	if r.EntryID != "https://wiki.example/w/index.php?title=Foo&diff=12&oldid=0&curid=7" {
		t.Errorf("entry id %q", r.EntryID)
	}
	if r.ID != 12 || r.ParentID != 0 || r.PageID != 7 || !r.NewPage || r.Kind != BodyWikitext || r.Text != "Hallo\nWelt" || r.SizeChange != 10 {
		t.Errorf("got id %d parent %d curid %d new %v kind %s text %q change %d", r.ID, r.ParentID, r.PageID, r.NewPage, r.Kind, r.Text, r.SizeChange)
	}
}

// TestHistoryTitles covers history entries whose summary has no comment
// paragraph: the comment comes from the title "User: comment", and
// "User at 20:53, 8 August 2014" means none; the page comes from the link.
func TestHistoryTitles(t *testing.T) {
	doc := `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Foo - Revision history</title><generator>MediaWiki 1.23.0</generator>
<link rel="self" href="https://w.example/index.php?title=Foo_bar&amp;feed=atom&amp;action=history"/>
<entry><id>https://w.example/index.php?title=Foo_bar&amp;diff=5&amp;oldid=prev</id><title>Ann: fix typo</title>
<link rel="alternate" href="https://w.example/index.php?title=Foo_bar&amp;diff=5&amp;oldid=prev"/><updated>2014-08-08T20:53:00Z</updated>
<summary type="html">&lt;table class="diff"&gt;&lt;tr&gt;&lt;td class="diff-lineno"&gt;Line 1:&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</summary><author><name>Ann</name></author></entry>
<entry><id>https://w.example/index.php?title=Foo_bar&amp;diff=4&amp;oldid=prev</id><title>Bob at 20:50, 8 August 2014</title>
<link rel="alternate" href="https://w.example/index.php?title=Foo_bar&amp;diff=4&amp;oldid=prev"/><updated>2014-08-08T20:50:00Z</updated>
<summary type="html">&lt;table class="diff"&gt;&lt;tr&gt;&lt;td class="diff-lineno"&gt;Line 1:&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</summary><author><name>Bob</name></author></entry>
</feed>`
	f, err := Parse(strings.NewReader(doc), "history.atom")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Pages) != 1 || f.Pages[0].Title != "Foo bar" {
		t.Fatalf("pages %v, want one, Foo bar", f.Pages)
	}
	revs := f.Pages[0].Revisions
	if revs[0].User != "Bob" || revs[0].Comment != "" || revs[1].User != "Ann" || revs[1].Comment != "fix typo" {
		t.Errorf("got %q/%q and %q/%q", revs[0].User, revs[0].Comment, revs[1].User, revs[1].Comment)
	}
	if revs[1].Kind != BodyDiffTable {
		t.Errorf("kind %s", revs[1].Kind)
	}
}
