package feed

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestParseDate runs the date forms of feedparser's date-parser tests
// (tests/test_date_parsers.py, BSD-2-Clause, see
// testdata/feedparser/LICENSE) and the zone table, each against the UTC
// time feedparser expects ("" for not a date).
func TestParseDate(t *testing.T) {
	cases := []struct{ in, want string }{
		// Greek, Hungarian.
		{"\u039a\u03c5\u03c1, 11 \u0399\u03bf\u03cd\u03bb 2004 12:00:00 EST", "2004-07-11T17:00:00Z"},
		{"2004-j\u00falius-13T9:15-05:00", "2004-07-13T14:15:00Z"},
		// Short ISO 8601 forms.
		{"-0312", "2003-12-01T00:00:00Z"},
		{"031231", "2003-12-31T00:00:00Z"},
		{"03-12-31", "2003-12-31T00:00:00Z"},
		{"-03-12", "2003-12-01T00:00:00Z"},
		{"03335", "2003-12-01T00:00:00Z"},
		{"2003-12-31T10:14:55.1234Z", "2003-12-31T10:14:55Z"},
		{"2003-012-31T10:14:55+00:00", "2003-12-31T10:14:55Z"},
		// Korean (Nate, OnBlog).
		{"2004-05-25 \uc624\ud6c4 11:23:17", "2004-05-25T14:23:17Z"},
		{"2004\ub144 05\uc6d4 28\uc77c  01:31:15", "2004-05-27T16:31:15Z"},
		// Perforce.
		{"Fri, 2006/09/15 08:19:53 EDT", "2006-09-15T12:19:53Z"},
		// RFC 822 and its variants.
		{"Thu, 30 Apr 2015 08:57:00 MET", "2015-04-30T07:57:00Z"},
		{"Thu, 30 Apr 2015 08:57:00 MEST", "2015-04-30T06:57:00Z"},
		{"Thu, 01 Jan 0100 00:00:01 +0100", "0099-12-31T23:00:01Z"},
		{"Thu, 01 Jan 04 19:48:21 GMT", "2004-01-01T19:48:21Z"},
		{"Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21Z"},
		{"Thu,  5 Apr 2012 10:00:00 GMT", "2012-04-05T10:00:00Z"},
		{"Wed, 19 Aug 2009 18:28:00 Etc/GMT", "2009-08-19T18:28:00Z"},
		{"Wed, 19 Feb 2012 22:40:00 GMT-01:01", "2012-02-19T23:41:00Z"},
		{"Wed, 19 Feb 2012 22:40:00 -01:01", "2012-02-19T23:41:00Z"},
		{"Mon, 13 Feb, 2012 06:28:00 UTC", "2012-02-13T06:28:00Z"},
		{"Thu, 01 Jan 2004 00:00 GMT", "2004-01-01T00:00:00Z"},
		{"Thu, 01 Jan 2004", "2004-01-01T00:00:00Z"},
		{"Mon, 26 January 2004 16:31:00 AT", "2004-01-26T20:31:00Z"},
		{"Mon, 26 January 2004 16:31:00 ET", "2004-01-26T21:31:00Z"},
		{"Mon, 26 January 2004 16:31:00 CT", "2004-01-26T22:31:00Z"},
		{"Mon, 26 January 2004 16:31:00 MT", "2004-01-26T23:31:00Z"},
		{"Mon, 26 January 2004 16:31:00 PT", "2004-01-27T00:31:00Z"},
		{"Thu Aug 30 2012 17:26:16 +0200", "2012-08-30T15:26:16Z"},
		{"Fri,24 Nov 2023 18:28:36 -0000", "2023-11-24T18:28:36Z"},
		{"Sun, 16 Dec 2012 1:2:3:4 GMT", ""},
		{"Sun, 16 zzz 2012 11:47:32 GMT", ""},
		{"Sun, Dec x 2012 11:47:32 GMT", ""},
		{"Sun, 16 Dec zz 11:47:32 GMT", ""},
		{"Sun, 16 Dec 2012 11:47:32 +zz:00", ""},
		{"Sun, 16 Dec 2012 11:47:32 +00:zz", ""},
		{"Sun, 99 Jun 2009 12:00:00 GMT", ""},
		// asctime.
		{"Sun Jan  4 16:29:06 2004", "2004-01-04T16:29:06Z"},
		{"Sun Jul 15 01:16:00 +0000 2012", "2012-07-15T01:16:00Z"},
		// W3C-DTF.
		{"2003-12-31T10:14:55Z", "2003-12-31T10:14:55Z"},
		{"2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55Z"},
		{"2003-12-31T18:14:55+08:00", "2003-12-31T10:14:55Z"},
		{"2007-04-23T23:25:47.538+10:00", "2007-04-23T13:25:47Z"},
		{"2003-12-31", "2003-12-31T00:00:00Z"},
		{"2003-12", "2003-12-01T00:00:00Z"},
		{"2003", "2003-01-01T00:00:00Z"},
		{"2004-02-28T18:14:55-08:00", "2004-02-29T02:14:55Z"},
		{"2003-02-28T18:14:55-08:00", "2003-03-01T02:14:55Z"},
		{"2000-02-28T18:14:55-08:00", "2000-02-29T02:14:55Z"},
		{"9999-12-31T23:59:59-99:99", ""},
		{"2003-12-31T25:14:55Z", ""},
		{"2003-12-31T10:61:55Z", ""},
		{"2003-12-31T10:14:61Z", ""},
		{"013", ""},
		{"2013-01-27-01", ""},
		{"2013-01-28T11:30:00-06:00Textra", ""},
		{"2013-xx-27", ""},
		{"2013-01-28T09:xx:00Z", ""},
		{"2013-01-28T09:00:00+00:xx", ""},
		{"2004-07-08 23:56:58 -00:20", "2004-07-09T00:16:58Z"},
		{"2004-07-08 23:56:58", "2004-07-08T23:56:58Z"},
		{"2004-07-08 23:56:58.0", "2004-07-08T23:56:58Z"},
		// The zone table beyond feedparser's cases.
		{"Tue, 01 Dec 2026 09:00:00 JST", "2026-12-01T00:00:00Z"},
		{"Tue, 01 Dec 2026 05:30:00 IST", "2026-12-01T00:00:00Z"},
		{"Tue, 01 Dec 2026 10:00:00 AEST", "2026-12-01T00:00:00Z"},
		{"Tue, 01 Dec 2026 03:00:00 MSK", "2026-12-01T00:00:00Z"},
		{"Tue, 01 Dec 2026 09:00:00 KST", "2026-12-01T00:00:00Z"},
		{"Mon, 30 Nov 2026 19:00:00 EST", "2026-12-01T00:00:00Z"},
		{"Mon, 30 Nov 2026 16:00:00 PST", "2026-12-01T00:00:00Z"},
		{"Mon, 30 Nov 2026 20:30:00 NST", "2026-12-01T00:00:00Z"},
		{"20261201T090000+0900", "2026-12-01T00:00:00Z"},
		{"yesterday", ""},
	}
	for _, c := range cases {
		got, problem, ok := parseDate(c.in)
		s := ""
		if ok {
			s = got.UTC().Format("2006-01-02T15:04:05Z")
		}
		if s != c.want {
			t.Errorf("parseDate(%q) = %q, want %q", c.in, s, c.want)
		}
		if problem != "" {
			t.Errorf("parseDate(%q): problem %q", c.in, problem)
		}
	}
}

// TestUnknownZone checks an unknown zone abbreviation is read as UTC with
// a warning on the feed, never silently.
func TestUnknownZone(t *testing.T) {
	got, problem, ok := parseDate("Tue, 01 Dec 2026 09:00:00 XYZT")
	if !ok || !got.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)) || problem != `unknown time zone "XYZT"; read as UTC` {
		t.Errorf("got %v, %q, %v", got, problem, ok)
	}
	var items strings.Builder
	for range 5 {
		items.WriteString("<item><title>a</title><pubDate>Tue, 01 Dec 2026 09:00:00 XYZT</pubDate></item>")
	}
	items.WriteString("<item><title>b</title><pubDate>Tue, 01 Dec 2026 09:00:00 QQQ</pubDate></item>")
	// A layout only gofeed knows, with a zone nobody knows.
	items.WriteString("<item><title>c</title><pubDate>12/1/2026 9:00:00 AM QQQ</pubDate></item>")
	f, err := Parse(strings.NewReader(`<rss version="2.0"><channel><title>t</title>`+items.String()+`</channel></rss>`), "z.rss")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`z.rss: date "Tue, 01 Dec 2026 09:00:00 XYZT": unknown time zone "XYZT"; read as UTC`,
		`z.rss: date "Tue, 01 Dec 2026 09:00:00 QQQ": unknown time zone "QQQ"; read as UTC`,
		`z.rss: date "12/1/2026 9:00:00 AM QQQ": unknown time zone "QQQ"; read as UTC`,
	}
	if strings.Join(f.Warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", f.Warnings, want)
	}
}

// TestElements checks the elements gofeed leaves out or reads in part.
func TestElements(t *testing.T) {
	cases := []struct {
		name, doc string
		check     func(f *Feed) string // "" when right
	}{
		{
			"rss-xhtml-body", `<rss version="2.0"><channel><title>t</title><item><title>a</title>` +
				`<body xmlns="http://www.w3.org/1999/xhtml"><p>full <b>text</b></p></body></item></channel></rss>`,
			func(f *Feed) string { return want(f.Revisions[0].Body, `<p>full <b>text</b></p>`) },
		},
		{
			"rss-prefixed-xhtml-body", `<rss version="2.0" xmlns:xhtml="http://www.w3.org/1999/xhtml"><channel><title>t</title><item><title>a</title>` +
				`<description>short</description><xhtml:body><xhtml:p>full</xhtml:p></xhtml:body></item></channel></rss>`,
			func(f *Feed) string { return want(htmlText(f.Revisions[0].Body), "full") },
		},
		{
			"rss-fullitem", `<rss version="2.0"><channel><title>t</title><item><title>a</title>` +
				`<fullitem>&lt;p&gt;the whole&lt;/p&gt;</fullitem></item></channel></rss>`,
			func(f *Feed) string { return want(f.Revisions[0].Body, `&lt;p&gt;the whole&lt;/p&gt;`) },
		},
		{
			"dc-description-and-title", `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><dc:title>T</dc:title><item>` +
				`<dc:title>A</dc:title><dc:description>D</dc:description></item></channel></rss>`,
			func(f *Feed) string { return want(f.Title+"|"+f.Revisions[0].Page+"|"+f.Revisions[0].Body, "T|A|D") },
		},
		{
			"itunes-summary", `<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>t</title><item><title>a</title>` +
				`<itunes:summary>S</itunes:summary><itunes:author>Mark</itunes:author></item></channel></rss>`,
			func(f *Feed) string { return want(f.Revisions[0].Body+"|"+f.Revisions[0].User, "S|Mark") },
		},
		{
			"dcterms-dates", `<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel><title>t</title><dcterms:modified>2003-12-31T10:14:55Z</dcterms:modified>` +
				`<item><title>a</title><dcterms:created>2004-01-01T00:00:00+09:00</dcterms:created></item></channel></rss>`,
			func(f *Feed) string {
				return want(f.Updated.Format(time.RFC3339)+"|"+f.Revisions[0].Time.Format(time.RFC3339), "2003-12-31T10:14:55Z|2003-12-31T15:00:00Z")
			},
		},
		{
			"guid-permalink", `<rss version="2.0"><channel><title>t</title><item><title>a</title><guid>https://example.org/p</guid></item>` +
				`<item><title>b</title><guid isPermaLink="false">https://example.org/q</guid></item></channel></rss>`,
			func(f *Feed) string {
				byTitle := map[string]string{}
				for _, r := range f.Revisions {
					byTitle[r.Page] = r.URL
				}
				return want(byTitle["a"]+"|"+byTitle["b"], "https://example.org/p|")
			},
		},
		{
			"atom03-created-base64", `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title type="text/html" mode="escaped">T &amp;amp; &amp;#233;</title><entry>` +
				`<title type="text/html" mode="base64">PHA+RW50cnkgVGl0bGU8L3A+</title><created>2003-12-31T10:14:55Z</created>` +
				`<content type="text/html" mode="base64">PHA+Ym9keTwvcD4=</content></entry></feed>`,
			func(f *Feed) string {
				r := f.Revisions[0]
				return want(f.Title+"|"+r.Page+"|"+r.Body+"|"+r.Time.Format(time.RFC3339), "T & é|Entry Title|<p>body</p>|2003-12-31T10:14:55Z")
			},
		},
		{
			"atom-xhtml-title", `<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Entry <b>Title</b></p></div></title>` +
				`<entry><title type="html">&lt;p&gt;Entry Title&lt;/p&gt;</title></entry><entry><title type="text">a &lt;b&gt; c</title></entry></feed>`,
			func(f *Feed) string {
				return want(f.Title+"|"+f.Revisions[0].Page+"|"+f.Revisions[1].Page, "Entry Title|Entry Title|a <b> c")
			},
		},
		{
			"rss-title-markup", `<rss version="2.0"><channel><title>AT&amp;amp;T</title><item><title>&lt;b&gt;bold&lt;/b&gt; a &lt; b</title></item></channel></rss>`,
			func(f *Feed) string { return want(f.Title+"|"+f.Revisions[0].Page, "AT&T|bold a < b") },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(strings.NewReader(c.doc), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Revisions) == 0 {
				t.Fatal("no entries")
			}
			if msg := c.check(f); msg != "" {
				t.Error(msg)
			}
		})
	}
}

// want returns "" when got is w, else a description.
func want(got, w string) string {
	if got == w {
		return ""
	}
	return fmt.Sprintf("got %q, want %q", got, w)
}

// FuzzParseDate checks parseDate never panics, and that what it reads is
// a real time whose zone problem (if any) is one printable line.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"Thu, 01 Jan 2004 19:48:21 GMT", "2003-12-31T10:14:55.1234Z", "-0312", "Fri, 2006/09/15 08:19:53 EDT",
		"2004-05-25 \uc624\ud6c4 11:23:17", "Sun Jul 15 01:16:00 +0000 2012", "Tue, 01 Dec 2026 09:00:00 XYZT",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, problem, ok := parseDate(s)
		if !ok {
			return
		}
		if y := got.UTC().Year(); y < 0 || y > 10000 {
			t.Fatalf("parseDate(%q) = %v", s, got)
		}
		if strings.ContainsAny(string(problem), "\n\x1b") {
			t.Fatalf("problem %q", problem)
		}
	})
}
