package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/wikifeed/wikifeed/httpclient"
)

// sampleBytes is a real feed to cut bad inputs from.
func sampleBytes(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/feeds/openvz-dlezcano-contributions.atom")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadOne loads a single source with test options and returns its one
// error, failing the test if the error count is not what want says.
func loadOne(t *testing.T, src string, opts Options) (*Feed, error) {
	t.Helper()
	opts.NoCache = opts.NoCache || opts.Cache == nil
	f, errs := Load(context.Background(), []string{src}, opts)
	switch len(errs) {
	case 0:
		return f, nil
	case 1:
		if f != nil {
			t.Errorf("Load returned a feed and an error for one source")
		}
		return nil, errs[0]
	}
	t.Fatalf("Load gave %d errors for one source: %v", len(errs), errs)
	return nil, nil
}

// TestBadFiles checks that each kind of bad file gives one clear error
// naming the file and the problem.
func TestBadFiles(t *testing.T) {
	good := sampleBytes(t)
	i := bytes.Index(good, []byte("Intros"))
	end := bytes.LastIndex(good, []byte("</feed>"))
	dir := t.TempDir()
	cases := []struct {
		name string
		data []byte // nil: do not create
		dir  bool
		want string
	}{
		{name: "missing.atom", want: "missing.atom: no such file"},
		{name: "adir", dir: true, want: "adir: is a directory"},
		{name: "empty.atom", data: []byte{}, want: "empty.atom: empty file"},
		{name: "blank.atom", data: []byte(" \r\n\t\n"), want: "blank.atom: empty file"},
		{name: "text.txt", data: []byte("just some words\nand more"), want: `text.txt: not XML: starts with "just some words"`},
		{name: "page.html", data: []byte("<!DOCTYPE html>\n<html><head><title>Wiki</title></head><body>hi</body></html>"), want: "page.html: an HTML page, not a feed"},
		{name: "bare.html", data: []byte("<html><body>hi</body></html>"), want: "bare.html: an HTML page, not a feed"},
		{name: "other.xml", data: []byte(`<?xml version="1.0"?><config><a/></config>`), want: "other.xml: not an RSS or Atom feed: the root element is <config>"},
		{name: "truncated.atom", data: good[:len(good)/2], want: "truncated.atom: truncated XML"},
		{name: "cut-in-tag.atom", data: good[:bytes.Index(good, []byte("<entry>"))+4], want: "cut-in-tag.atom: truncated XML"},
		{name: "unknown-encoding.atom", data: bytes.Replace(good, []byte(`<?xml version="1.0"?>`), []byte(`<?xml version="1.0" encoding="klingon-8"?>`), 1), want: `unknown-encoding.atom: unknown encoding "klingon-8" in the XML declaration`},
		{name: "bad-utf8.atom", data: append(append(append([]byte{}, good[:i]...), 0xC3, 0x28), good[i:]...), want: fmt.Sprintf("bad-utf8.atom: invalid UTF-8 at byte %d", i)},
		{name: "latin1-in-utf8.atom", data: append(append(append([]byte{}, good[:i]...), []byte("caf\xe9 ")...), good[i:]...), want: fmt.Sprintf("latin1-in-utf8.atom: invalid UTF-8 at byte %d", i+3)},
		{name: "cut-rune.atom", data: append(append(append([]byte{}, good[:end]...), 0xE2, 0x82), good[end:]...), want: fmt.Sprintf("cut-rune.atom: invalid UTF-8 at byte %d", end)},
		{name: "evil-root.xml", data: []byte("<\x1b[31mroot\u202e>x</\x1b[31mroot\u202e>"), want: "evil-root.xml: not an RSS or Atom feed: the root element is <?[31mroot?>"},
		{name: "not-closed.rss", data: []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title>`), want: "not-closed.rss: truncated XML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name)
			switch {
			case c.dir:
				if err := os.Mkdir(path, 0o755); err != nil {
					t.Fatal(err)
				}
			case c.data != nil:
				if err := os.WriteFile(path, c.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := loadOne(t, path, Options{})
			if err == nil {
				t.Fatalf("loaded %s, want error %q", c.name, c.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, dir) || !strings.Contains(msg, c.want) {
				t.Errorf("error = %q\nwant it to name the file and say %q", msg, c.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			var se *SourceError
			if !errors.As(err, &se) || se.Source != path {
				t.Errorf("error is not a *SourceError for %s: %#v", path, err)
			}
		})
	}
}

// TestEndlessInput checks a device that never ends is cut off at the cap
// rather than read forever.
func TestEndlessInput(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := loadOne(t, "/dev/zero", Options{MaxBytes: 1 << 20})
	if err == nil || err.Error() != "/dev/zero: larger than the 1 MiB cap" {
		t.Errorf("error %v", err)
	}
	_, err = loadOne(t, "../testdata/feeds/openvz-dlezcano-contributions.atom", Options{MaxBytes: 1 << 10})
	if err == nil || !strings.HasSuffix(err.Error(), "larger than the 1 KiB cap") {
		t.Errorf("file over the cap: error %v", err)
	}
	_, err = loadOne(t, "-", Options{MaxBytes: 1 << 10, Stdin: bytes.NewReader(sampleBytes(t))})
	if err == nil || !strings.Contains(err.Error(), "larger than the 1 KiB cap") {
		t.Errorf("stdin over the cap: error %v", err)
	}
}

// TestZeroEntriesIsNotAnError loads the real empty feeds.
func TestZeroEntriesIsNotAnError(t *testing.T) {
	for _, name := range []string{
		"mediawiki-1.19.1-x3wiki-contributions-empty.rss",
		"mediawiki-1.22.6-x3wiki-recentchanges-empty.atom",
		"mediawiki-1.12.0-wikiarticlefeeds-sbgn-news.atom",
	} {
		f, err := loadOne(t, "../testdata/feeds/"+name, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Revisions) != 0 || len(f.Pages) != 0 || f.Title == "" {
			t.Errorf("%s: %d revisions, %d pages, title %q; want 0, 0 and a title", name, len(f.Revisions), len(f.Pages), f.Title)
		}
	}
}

// TestStdin reads "-" from Options.Stdin, and reports an empty one.
func TestStdin(t *testing.T) {
	f, err := loadOne(t, "-", Options{Stdin: bytes.NewReader(sampleBytes(t))})
	if err != nil || len(f.Revisions) != 6 || f.Sources[0] != "-" {
		t.Fatalf("stdin: %v, %+v", err, f)
	}
	_, err = loadOne(t, "-", Options{Stdin: strings.NewReader("")})
	if err == nil || err.Error() != "standard input: empty file" {
		t.Errorf("empty stdin: error %v, want %q", err, "standard input: empty file")
	}
	_, errs := Load(context.Background(), []string{"-", "-"}, Options{Stdin: bytes.NewReader(sampleBytes(t)), NoCache: true})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "more than once") {
		t.Errorf("stdin twice: errors %v, want one saying more than once", errs)
	}
}

// TestSeveralSourcesSomeBad checks that good sources load while each bad
// one is reported, and that an entry two sources share counts once.
func TestSeveralSourcesSomeBad(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.atom")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	sample := "../testdata/feeds/openvz-dlezcano-contributions.atom"
	x3 := "../testdata/feeds/mediawiki-1.15.3-x3wiki-recentchanges.rss"
	sources := []string{sample, filepath.Join(dir, "nope.atom"), x3, empty, srv.URL + "/feed", sample}
	f, errs := Load(context.Background(), sources, Options{NoCache: true})
	if len(errs) != 3 {
		t.Fatalf("got %d errors, want 3: %v", len(errs), errs)
	}
	for i, want := range []string{"nope.atom: no such file", "empty.atom: empty file", "/feed: HTTP 404 Not Found"} {
		if !strings.Contains(errs[i].Error(), want) {
			t.Errorf("error %d = %q, want it to say %q", i, errs[i], want)
		}
	}
	if f == nil {
		t.Fatal("no feed from the good sources")
	}
	// The sample given twice counts once: 6 + 38 entries.
	if len(f.Revisions) != 6+38 {
		t.Errorf("%d revisions, want %d", len(f.Revisions), 6+38)
	}
	if len(f.Sources) != 3 {
		t.Errorf("sources %q, want the three good ones", f.Sources)
	}
	for i := 1; i < len(f.Revisions); i++ {
		if f.Revisions[i].Time.After(f.Revisions[i-1].Time) {
			t.Fatalf("revisions not newest first at %d", i)
		}
	}
}

// TestAllBad returns no feed and one error per source.
func TestAllBad(t *testing.T) {
	f, errs := Load(context.Background(), []string{"/nonexistent/a", "/nonexistent/b"}, Options{NoCache: true})
	if f != nil || len(errs) != 2 {
		t.Errorf("got feed %v and %d errors, want nil and 2", f, len(errs))
	}
}

// feedServer serves the sample feed, counting requests and keeping the
// last request's headers.
type feedServer struct {
	*httptest.Server
	hits    atomic.Int32
	lastUA  atomic.Value
	handler func(w http.ResponseWriter, r *http.Request, hit int32)
}

func newFeedServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, hit int32)) *feedServer {
	fs := &feedServer{handler: h}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := fs.hits.Add(1)
		fs.lastUA.Store(r.Header.Get("User-Agent"))
		fs.handler(w, r, n)
	}))
	t.Cleanup(fs.Close)
	return fs
}

// TestHTTPErrors checks each failing HTTP case gives one clear error.
func TestHTTPErrors(t *testing.T) {
	good := sampleBytes(t)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>`))
	zw.Write(bytes.Repeat([]byte(" "), 8<<20))
	zw.Close()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })

	cases := []struct {
		name    string
		handler http.HandlerFunc
		opts    Options
		want    string
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, Options{}, "HTTP 404 Not Found"},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", 500) }, Options{}, "HTTP 500 Internal Server Error"},
		{"timeout", func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, Options{Timeout: 300 * time.Millisecond}, "timed out after 300ms"},
		{"slow-body", func(w http.ResponseWriter, r *http.Request) {
			w.Write(good[:100])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, Options{Timeout: 300 * time.Millisecond}, "timed out after 300ms"},
		{"redirect-loop", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
			} else {
				http.Redirect(w, r, "/a", http.StatusFound)
			}
		}, Options{}, "redirect loop at"},
		{"redirect-chain", func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(r.URL.Path, "/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/%d", n+1), http.StatusFound)
		}, Options{}, "more than 10 redirects"},
		{"over-cap", func(w http.ResponseWriter, _ *http.Request) { w.Write(good) }, Options{MaxBytes: 1000}, "larger than the 1000 bytes cap"},
		{"over-cap-chunked", func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i < len(good); i += 512 {
				w.Write(good[i:min(i+512, len(good))])
				w.(http.Flusher).Flush()
			}
		}, Options{MaxBytes: 4 << 10}, "larger than the 4 KiB cap"},
		{"gzip-bomb", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		}, Options{MaxBytes: 1 << 20}, "larger than the 1 MiB cap once decompressed"},
		{"bad-gzip", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(good)
		}, Options{}, "bad gzip body"},
		{"html-page", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<!doctype html><html><body>Main Page</body></html>"))
		}, Options{}, "an HTML page, not a feed"},
		{"503-too-long", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(503)
		}, Options{}, "HTTP 503 Service Unavailable (the server asks to retry after 1h0m0s)"},
		{"429-twice", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
		}, Options{}, "HTTP 429 Too Many Requests"},
	}
	t.Run("refused", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		src := srv.URL + "/feed"
		srv.Close()
		_, err := loadOne(t, src, Options{})
		if err == nil || err.Error() != src+": cannot connect: connection refused" {
			t.Errorf("error %v", err)
		}
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			src := srv.URL + "/a"
			start := time.Now()
			_, err := loadOne(t, src, c.opts)
			if err == nil {
				t.Fatalf("loaded; want error %q", c.want)
			}
			if !strings.HasPrefix(err.Error(), src+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %q\nwant %q after the URL", err, c.want)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestHTTPGood checks the User-Agent, gzip, the one retry after 429 and
// 503, and that relative URLs resolve against the URL fetched.
func TestHTTPGood(t *testing.T) {
	good := sampleBytes(t)
	t.Run("gzip-and-agent", func(t *testing.T) {
		srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				w.Write(good)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			zw.Write(good)
			zw.Close()
		})
		f, err := loadOne(t, srv.URL, Options{UserAgent: httpclient.UserAgent("1.2.3")})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Revisions) != 6 {
			t.Errorf("%d revisions, want 6", len(f.Revisions))
		}
		if ua := srv.lastUA.Load(); ua != "wikifeed/1.2.3 (https://github.com/wikifeed/wikifeed)" {
			t.Errorf("User-Agent %q", ua)
		}
	})
	for _, status := range []int{429, 503} {
		t.Run(fmt.Sprint("retry-", status), func(t *testing.T) {
			srv := newFeedServer(t, func(w http.ResponseWriter, _ *http.Request, hit int32) {
				if hit == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(status)
					return
				}
				w.Write(good)
			})
			start := time.Now()
			f, err := loadOne(t, srv.URL, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < 900*time.Millisecond {
				t.Errorf("retried after %s, want Retry-After's 1s", d)
			}
			if srv.hits.Load() != 2 || len(f.Revisions) != 6 {
				t.Errorf("%d requests, %d revisions; want 2 and 6", srv.hits.Load(), len(f.Revisions))
			}
		})
	}
	t.Run("redirect-then-relative-urls", func(t *testing.T) {
		rel := []byte(`<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><generator>MediaWiki 1.40.0</generator>
<entry><id>/w/index.php?title=Foo&amp;diff=12&amp;oldid=11</id><title>Foo</title>
<link rel="alternate" href="/w/index.php?title=Foo&amp;diff=12&amp;oldid=11"/><updated>2024-01-02T03:04:05Z</updated>
<summary type="html">&lt;p&gt;fix&lt;/p&gt;&lt;a href="//wiki.example/w/index.php?title=Foo&amp;amp;diff=12&amp;amp;oldid=11"&gt;Show changes&lt;/a&gt;</summary>
<author><name>Ann</name></author></entry></feed>`)
		srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/feeds/new.atom", http.StatusMovedPermanently)
				return
			}
			w.Write(rel)
		})
		f, err := loadOne(t, srv.URL+"/old", Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := f.Revisions[0]
		if want := srv.URL + "/w/index.php?title=Foo&diff=12&oldid=11"; r.URL != want || r.EntryID != want {
			t.Errorf("URL %q, entry id %q; want both %q", r.URL, r.EntryID, want)
		}
		if r.ID != 12 || r.ParentID != 11 || r.Kind != BodyChangesLink {
			t.Errorf("id %d parent %d kind %s; want 12, 11, changes-link", r.ID, r.ParentID, r.Kind)
		}
		if want := "http://wiki.example/w/index.php?title=Foo&diff=12&oldid=11"; r.ChangesURL != want {
			t.Errorf("changes URL %q, want %q (protocol-relative, resolved against the feed's http URL)", r.ChangesURL, want)
		}
		if r.BaseURL != srv.URL+"/feeds/new.atom" {
			t.Errorf("base URL %q, want the URL after the redirect", r.BaseURL)
		}
	})
}

// TestCache checks the conditional request, the 304 answered from the
// cache, and the fallback with a warning when the server fails.
func TestCache(t *testing.T) {
	good := sampleBytes(t)
	var mode atomic.Value
	mode.Store("ok")
	var sawETag atomic.Value
	sawETag.Store("")
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		sawETag.Store(r.Header.Get("If-None-Match"))
		switch mode.Load() {
		case "ok":
			w.Header().Set("ETag", `"v1"`)
			w.Header().Set("Last-Modified", "Tue, 01 Oct 2024 10:00:00 GMT")
			w.Write(good)
		case "conditional":
			if r.Header.Get("If-None-Match") == `"v1"` && r.Header.Get("If-Modified-Since") != "" {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Write([]byte("<rss version=\"2.0\"><channel><title>changed</title></channel></rss>"))
		case "down":
			http.Error(w, "down", http.StatusBadGateway)
		}
	})
	opts := Options{Cache: &memCache{}}
	f, err := loadOne(t, srv.URL, opts)
	if err != nil || len(f.Revisions) != 6 || len(f.Warnings) != 0 {
		t.Fatalf("first fetch: %v, %v", err, f)
	}
	if sawETag.Load() != "" {
		t.Errorf("first fetch sent If-None-Match %q", sawETag.Load())
	}
	mode.Store("conditional")
	f, err = loadOne(t, srv.URL, opts)
	if err != nil || len(f.Revisions) != 6 || len(f.Warnings) != 0 {
		t.Fatalf("304: %v, %+v", err, f)
	}
	if sawETag.Load() != `"v1"` {
		t.Errorf("second fetch sent If-None-Match %q, want \"v1\"", sawETag.Load())
	}
	mode.Store("down")
	f, err = loadOne(t, srv.URL, opts)
	if err != nil || len(f.Revisions) != 6 {
		t.Fatalf("fallback: %v, %+v", err, f)
	}
	if len(f.Warnings) != 1 || !strings.Contains(f.Warnings[0], "HTTP 502 Bad Gateway; showing the copy cached") {
		t.Errorf("warnings %q, want one about the cached copy", f.Warnings)
	}
	// Without the cache the same failure is an error.
	if _, err := loadOne(t, srv.URL, Options{NoCache: true}); err == nil || !strings.Contains(err.Error(), "HTTP 502") {
		t.Errorf("no cache: error %v, want HTTP 502", err)
	}
}

// TestUTF8Checker reads through the checker one byte at a time, so every
// multi-byte rune is cut across reads.
func TestUTF8Checker(t *testing.T) {
	cases := []struct {
		in      string
		wantBad int64 // -1: valid
	}{
		{"plain ascii", -1},
		{"Änderungen – 雲信·皮哈里 \u200e 😀", -1},
		{"ab\xffcd", 2},
		{"ab\xe2\x82", 2},    // cut off at the end
		{"ab\xe2\x82z", 2},   // cut off, then ASCII
		{"é\xc3\x28", 2},     // bad second byte
		{"\xed\xa0\x80x", 0}, // a surrogate half
	}
	for _, c := range cases {
		for _, oneByte := range []bool{false, true} {
			var r io.Reader = strings.NewReader(c.in)
			if oneByte {
				r = iotest.OneByteReader(r)
			}
			_, err := io.ReadAll(&utf8Checker{r: r})
			var bad *InvalidUTF8Error
			switch {
			case c.wantBad < 0 && err != nil:
				t.Errorf("%q (one byte %v): %v", c.in, oneByte, err)
			case c.wantBad >= 0 && (!errors.As(err, &bad) || bad.Offset != c.wantBad):
				t.Errorf("%q (one byte %v): error %v, want invalid UTF-8 at %d", c.in, oneByte, err, c.wantBad)
			}
		}
	}
}

// TestMismatchedTagWarns checks a broken tag, which gofeed passes over
// while dropping the entries after it, is reported as a warning.
func TestMismatchedTagWarns(t *testing.T) {
	data, err := os.ReadFile("../testdata/feeds/mediawiki-1.26.0-de-altcomphsr-recentchanges.atom")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(data, []byte("<title>Benutzer:Delphia17T</title>"), []byte("<title>Benutzer:Delphia17T</titze>"), 1)
	f, err := Parse(bytes.NewReader(broken), "broken.atom")
	if err != nil {
		t.Fatal(err)
	}
	want := "broken.atom: malformed XML at line 103: </titze> where </title> was expected; entries after it may be missing"
	if len(f.Warnings) != 1 || f.Warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", f.Warnings, want)
	}
	good, _ := Parse(bytes.NewReader(data), "good.atom")
	if len(good.Warnings) != 0 {
		t.Errorf("the real feed warns: %q", good.Warnings)
	}
}

// TestWrongEncodingDeclarations covers the declarations that do not match
// the bytes: a real Latin-1 feed reads as Latin-1, a UTF-8 feed labelled
// Latin-1 reads as UTF-8 with a warning.
func TestWrongEncodingDeclarations(t *testing.T) {
	const feedFmt = `<?xml version="1.0" encoding="%s"?><rss version="2.0"><channel><title>%s</title></channel></rss>`
	latin1 := []byte(fmt.Sprintf(feedFmt, "ISO-8859-1", "Caf\xe9"))
	f, err := Parse(bytes.NewReader(latin1), "latin1.rss")
	if err != nil || f.Title != "Café" || len(f.Warnings) != 0 {
		t.Errorf("real Latin-1: %v, title %q, warnings %q", err, f.Title, f.Warnings)
	}
	mislabelled := []byte(fmt.Sprintf(feedFmt, "ISO-8859-1", "Café"))
	f, err = Parse(bytes.NewReader(mislabelled), "utf8.rss")
	if err != nil || f.Title != "Café" {
		t.Fatalf("UTF-8 labelled Latin-1: %v, title %q", err, f.Title)
	}
	if want := `utf8.rss: declares encoding "ISO-8859-1" but is UTF-8; read as UTF-8`; len(f.Warnings) != 1 || f.Warnings[0] != want {
		t.Errorf("warnings %q, want %q", f.Warnings, want)
	}
}

// FuzzUTF8Checker checks the streaming check against utf8.Valid, with the
// input cut into reads of every size from 1 byte.
func FuzzUTF8Checker(f *testing.F) {
	f.Add([]byte("Änderungen – 雲信 \u200e"), uint8(1))
	f.Add([]byte("ab\xe2\x82z"), uint8(3))
	f.Add(sampleBytes(f)[:2000], uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		r := &utf8Checker{r: &chunkReader{data: data, n: int(chunk%16) + 1}}
		_, err := io.ReadAll(r)
		var bad *InvalidUTF8Error
		if utf8.Valid(data) {
			if err != nil {
				t.Fatalf("valid input rejected: %v", err)
			}
			return
		}
		if !errors.As(err, &bad) {
			t.Fatalf("invalid input passed: %v", err)
		}
		if want := int64(firstInvalid(data)); bad.Offset != want {
			t.Fatalf("offset %d, want %d", bad.Offset, want)
		}
	})
}

// chunkReader returns data n bytes at a time.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}

// firstInvalid returns the offset of the first byte of data that does not
// begin a valid rune.
func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}
