package feed

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// liftCorpus is every feed file the package's tests know: the shared real
// feeds, the hostile ones, the sample, and the other readers' suites.
func liftCorpus(t testing.TB) map[string][]byte {
	t.Helper()
	files := feedFiles(t)
	for _, pattern := range []string{"../testdata/hostile/*.atom", "sample/*", "testdata/newsboat/*"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	err := filepath.WalkDir("testdata/feedparser", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".xml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	corpus := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		corpus[f] = data
	}
	for name, data := range liftCases() {
		corpus[name] = data
	}
	return corpus
}

// long is a text over liftMinText made of s.
func long(s string) string {
	return strings.Repeat(s, liftMinText/len(s)+1)
}

// liftCases are feeds made to sit on the edges of what lift takes.
func liftCases() map[string][]byte {
	atom := func(entries ...string) []byte {
		return []byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n" +
			`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>` + "\n" +
			strings.Join(entries, "\n") + "\n</feed>\n")
	}
	entry := func(i int, summary string) string {
		return `<entry><id>urn:` + string(rune('a'+i)) + `</id><title>P` + string(rune('a'+i)) + `</title>` +
			`<link rel="alternate" href="https://w.example/index.php?title=P&amp;diff=` + string(rune('1'+i)) + `"/>` +
			`<updated>2024-01-0` + string(rune('1'+i)) + `T00:00:00Z</updated><author><name>U</name></author>` +
			summary + `</entry>`
	}
	rss := func(items ...string) []byte {
		return []byte(`<?xml version="1.0"?>` + "\n" +
			`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title><link>https://w.example/</link>` + "\n" +
			strings.Join(items, "\n") + "\n</channel></rss>\n")
	}
	item := func(body string) string {
		return `<item><title>P</title><link>https://w.example/P</link><pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate><dc:creator>U</dc:creator>` + body + `</item>`
	}
	escaped := "&lt;p&gt;edit &amp;amp; more&lt;/p&gt;\r\n&lt;div&gt;&amp;#34;x&amp;#34; &#60;b&#x3E; &#150; &apos;q&apos; &quot;\u00a0&lt;/div&gt;\n"
	return map[string][]byte{
		"case/atom-html":        atom(entry(0, `<summary type="html">`+long(escaped)+`</summary>`), entry(1, `<summary type='html'>`+long("a &lt;b&gt; ")+`</summary >`)),
		"case/atom-nbsp-edges":  atom(entry(0, "<summary type=\"html\">\u00a0 \n"+long(escaped)+"\u00a0\u0085</summary>")),
		"case/atom-text-types":  atom(entry(0, `<summary type="text">`+long(escaped)+`</summary>`), entry(1, `<content type="text/html">`+long(escaped)+`</content>`), entry(2, `<content>`+long(escaped)+`</content>`)),
		"case/atom-not-plain":   atom(entry(0, `<summary type="html">`+long("&nbsp;&lt;x")+`</summary>`), entry(1, `<summary type="html">`+long("&#X3C;")+`</summary>`), entry(2, `<summary type="html">`+long("&#0;a")+`</summary>`), entry(3, `<summary type="html">`+long("&#1234567890;")+`</summary>`)),
		"case/atom-markup":      atom(entry(0, `<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">`+long("a <b>b</b> ")+`</div></summary>`), entry(1, `<content type="html"><![CDATA[`+long("<p>x</p>")+`]]></content>`)),
		"case/atom-attrs":       atom(entry(0, `<summary type="html" xml:lang="en">`+long(escaped)+`</summary>`), entry(1, `<content type="image/png">`+long("QUJD")+`</content>`), entry(2, `<content type="html" src="https://x.example/">`+long("a")+`</content>`)),
		"case/atom-comment":     atom(`<!-- <summary type="html">`+long("x")+`</summary> -->`, entry(0, `<summary type="html">`+long(escaped)+`</summary>`)),
		"case/atom-placeholder": atom(entry(0, `<summary type="html">`+long("wikifeed-lifted-0123456789abcdef-0 ")+`</summary>`), entry(1, `<title>wikifeed-lifted-</title><summary type="html">`+long(escaped)+`</summary>`)),
		"case/atom-broken":      atom(entry(0, `<summary type="html">`+long(escaped)+`</summary>`), `<entry><title>x</titel>`+long(escaped)+`</entry>`),
		"case/atom-unclosed":    atom(entry(0, `<summary type="html">`+long(escaped))),
		"case/atom-prefixed":    []byte(`<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title><a:entry><a:id>x</a:id><a:summary type="html">` + long(escaped) + `</a:summary></a:entry></a:feed>`),
		"case/atom-base":        atom(`<entry xml:base="https://b.example/d/"><id>x</id><summary type="html">` + long("&lt;a href=&quot;rel&quot;&gt;l&lt;/a&gt;") + `</summary></entry>`),
		"case/rss":              rss(item(`<description>`+long(escaped)+`</description>`), item(`<description>short</description><content:encoded>`+long(escaped)+`</content:encoded>`)),
		"case/rss-cdata":        rss(item(`<description><![CDATA[` + long("<p>x &amp;</p>") + `]]></description>`)),
		"case/rss-doctype":      []byte(`<!DOCTYPE rss [<!ENTITY e "E">]>` + string(rss(item(`<description>`+long("&e;&lt;")+`</description>`)))),
	}
}

// TestLiftAgrees reads every feed the tests know with and without lift and
// wants the same model, warnings and errors included; and wants lift to
// have taken something from the MediaWiki feeds, so the agreement is not
// that of two identical paths.
func TestLiftAgrees(t *testing.T) {
	took := 0
	for name, data := range liftCorpus(t) {
		if _, lf := lift(data); lf != nil {
			took++
		}
		liftAgrees(t, name, data)
	}
	if took < 10 {
		t.Errorf("lift took texts from %d feeds, want at least 10", took)
	}
}

// liftAgrees fails t when data reads differently with and without lift.
func liftAgrees(t *testing.T, name string, data []byte) {
	t.Helper()
	lean, errLean := parseInput(bytes.Clone(data), name, "", sourceInfo{})
	whole, errWhole := parseInput(bytes.Clone(data), name, "", sourceInfo{whole: true})
	if (errLean == nil) != (errWhole == nil) || errLean != nil && errLean.Error() != errWhole.Error() {
		t.Fatalf("%s: error %v with lift, %v without", name, errLean, errWhole)
	}
	if errLean == nil && !reflect.DeepEqual(lean, whole) {
		a, b := dumpFeed(lean), dumpFeed(whole)
		if a == b {
			t.Fatalf("%s: the models differ (in something dumpFeed does not show)", name)
		}
		t.Fatalf("%s: with lift:\n%s\nwithout:\n%s", name, a, b)
	}
}

// TestLiftTakes checks what lift takes out of a MediaWiki-like feed and
// what it leaves, so the agreement above covers the lifted path.
func TestLiftTakes(t *testing.T) {
	cases := liftCases()
	for name, want := range map[string]int{
		"case/atom-html": 2, "case/atom-nbsp-edges": 1, "case/atom-text-types": 3, "case/rss": 2,
		"case/atom-not-plain": 0, "case/atom-markup": 0, "case/atom-attrs": 0, "case/atom-base": 0,
		"case/rss-cdata": 0, "case/rss-doctype": 0, "case/atom-prefixed": 0, "case/atom-comment": 1,
	} {
		lean, lf := lift(cases[name])
		got := 0
		if lf != nil {
			got = len(lf.texts)
			if bytes.Count(lean, []byte("\n")) != bytes.Count(cases[name], []byte("\n")) {
				t.Errorf("%s: lift changed the number of lines", name)
			}
		}
		if got != want {
			t.Errorf("%s: lifted %d texts, want %d", name, got, want)
		}
	}
}

// FuzzLift holds lift to gofeed on mutated feeds: with and without it, the
// same model or the same error.
func FuzzLift(f *testing.F) {
	for _, data := range liftCases() {
		f.Add(data)
	}
	if data, err := os.ReadFile("../testdata/feeds/openvz-dlezcano-contributions.atom"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		liftAgrees(t, "fuzz.xml", data)
	})
}

// BenchmarkLift measures lift on the largest real feed.
func BenchmarkLift(b *testing.B) {
	data, err := os.ReadFile(largestFeed)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		lift(data)
	}
}

// TestUnescapeHTML holds unescapeHTML to html.UnescapeString.
func TestUnescapeHTML(t *testing.T) {
	for _, s := range []string{
		"", "plain", "&", "&&", "a&b", "&lt;&gt;&amp;&quot;&#039;&#39;&apos;", "&amp;lt;", "&lt", "&amp",
		"&ltx;", "&copy=2", "&copy;&nbsp;&NotANamedEntity;", "&#150;&#x96;&#0;&#xD800;&#1114112;", "&#60&#x3c",
		"x &lt;b&gt; y &amp;#34; z", "&#039", "&#03", "&apos", "&quot", "&&lt;", "&lt;&", "é&eacute;&Eacute",
	} {
		if got, want := unescapeHTML(s), html.UnescapeString(s); got != want {
			t.Errorf("unescapeHTML(%q) = %q, html.UnescapeString gives %q", s, got, want)
		}
	}
}

// FuzzUnescapeHTML holds unescapeHTML to html.UnescapeString on any text.
func FuzzUnescapeHTML(f *testing.F) {
	f.Add("&lt;p&gt;a &amp;amp; b&lt;/p&gt; &#150; &copy &nbsp;x")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := unescapeHTML(s), html.UnescapeString(s); got != want {
			t.Fatalf("unescapeHTML(%q) = %q, html.UnescapeString gives %q", s, got, want)
		}
	})
}
