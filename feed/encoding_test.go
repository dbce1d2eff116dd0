package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/wikifeed/wikifeed/internal/bounded"
)

// encodingCase is a feed encoded in one encoding.
type encodingCase struct {
	name string
	// label is what the declaration says ("" for none).
	label string
	enc   encoding.Encoding
	// bom is prepended to the encoded bytes.
	bom []byte
	// text is the title and entry title, in characters the encoding has.
	text string
}

// encodingCases covers every family and the legacy encodings feeds use.
var encodingCases = []encodingCase{
	{"utf-8", "UTF-8", encoding.Nop, nil, "Änderungen – 雲信 😀"},
	{"utf-8-bom", "", encoding.Nop, utf8BOM, "Änderungen – 雲信"},
	{"utf-16le-bom", "UTF-16", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), []byte{0xFF, 0xFE}, "Änderungen – 雲信 😀"},
	{"utf-16be-bom", "UTF-16", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), []byte{0xFE, 0xFF}, "Änderungen – 雲信 😀"},
	{"utf-16le-bom-no-decl", "", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), []byte{0xFF, 0xFE}, "Änderungen"},
	{"utf-16le-no-bom", "UTF-16LE", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil, "Änderungen – 雲信"},
	{"utf-16be-no-bom", "UTF-16BE", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil, "Änderungen – 雲信"},
	{"utf-16be-no-bom-no-decl", "", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil, "Änderungen – 雲信"},
	{"utf-32le-bom", "UTF-32", utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), []byte{0xFF, 0xFE, 0, 0}, "Änderungen – 雲信 😀"},
	{"utf-32be-bom", "UTF-32", utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), []byte{0, 0, 0xFE, 0xFF}, "Änderungen – 雲信 😀"},
	{"utf-32le-no-bom", "UTF-32LE", utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), nil, "Änderungen – 雲信"},
	{"utf-32be-no-bom", "UTF-32BE", utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), nil, "Änderungen – 雲信"},
	{"iso-8859-1", "ISO-8859-1", charmap.ISO8859_1, nil, "Änderungen für Café"},
	{"windows-1252", "windows-1252", charmap.Windows1252, nil, "Änderungen – don’t €"},
	{"iso-8859-15", "ISO-8859-15", charmap.ISO8859_15, nil, "Änderungen €"},
	{"iso-8859-2", "ISO-8859-2", charmap.ISO8859_2, nil, "Změny łódź"},
	{"koi8-r", "KOI8-R", charmap.KOI8R, nil, "Изменения"},
	{"windows-1251", "windows-1251", charmap.Windows1251, nil, "Изменения"},
	{"iso-2022-jp", "ISO-2022-JP", japanese.ISO2022JP, nil, "最近の更新 テスト"},
	{"shift_jis", "Shift_JIS", japanese.ShiftJIS, nil, "最近の更新 テスト"},
	{"euc-jp", "EUC-JP", japanese.EUCJP, nil, "最近の更新 テスト"},
	{"gb2312", "GB2312", simplifiedchinese.GBK, nil, "最近更改"},
	{"gb18030", "GB18030", simplifiedchinese.GB18030, nil, "最近更改 😀"},
	{"big5", "Big5", traditionalchinese.Big5, nil, "最近更改"},
	{"euc-kr", "EUC-KR", korean.EUCKR, nil, "최근 바뀜"},
	{"ebcdic-037", "IBM037", charmap.CodePage037, nil, "Änderungen"},
}

// encodedFeed returns an RSS feed with text as its title and its entry's
// title, encoded as c says.
func encodedFeed(t testing.TB, c encodingCase) []byte {
	t.Helper()
	decl := `<?xml version="1.0"?>`
	if c.label != "" {
		decl = `<?xml version="1.0" encoding="` + c.label + `"?>`
	}
	doc := decl + "\n<rss version=\"2.0\"><channel><title>" + c.text + "</title><link>https://example.org/</link>" +
		"<item><title>" + c.text + "</title><link>https://example.org/a</link><description>&lt;p&gt;" + c.text + "&lt;/p&gt;</description></item></channel></rss>\n"
	enc, err := c.enc.NewEncoder().Bytes([]byte(doc))
	if err != nil {
		t.Fatalf("%s: encoding the fixture: %v", c.name, err)
	}
	return append(append([]byte{}, c.bom...), enc...)
}

// TestEncodings reads a feed in each encoding, with and without BOM and
// declaration where the XML spec allows it.
func TestEncodings(t *testing.T) {
	for _, c := range encodingCases {
		t.Run(c.name, func(t *testing.T) {
			data := encodedFeed(t, c)
			f, err := Parse(bytes.NewReader(data), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != c.text {
				t.Errorf("title %q, want %q", f.Title, c.text)
			}
			if len(f.Revisions) != 1 || f.Revisions[0].Page != c.text || f.Revisions[0].Body != "<p>"+c.text+"</p>" {
				t.Errorf("entry %+v, want title and body %q", f.Revisions, c.text)
			}
			if len(f.Warnings) != 0 {
				t.Errorf("warnings %q", f.Warnings)
			}
		})
	}
}

// TestEncodingMislabels checks that labels the bytes contradict give way to
// the bytes, with a warning, and that unknown encodings are one line.
func TestEncodingMislabels(t *testing.T) {
	const body = `<rss version="2.0"><channel><title>Café</title></channel></rss>`
	utf16le := func(s string) []byte {
		b, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
		return b
	}
	cases := []struct {
		name        string
		data        []byte
		contentType string
		title       string
		warning     string // "" for none
		err         string // "" for no error
	}{
		{
			name: "utf16-label-on-utf8", data: []byte(`<?xml version="1.0" encoding="UTF-16"?>` + body), title: "Café",
			warning: `declares encoding "UTF-16" but is not in it; read as UTF-8`,
		},
		{
			name: "latin1-label-on-utf8", data: []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + body), title: "Café",
			warning: `declares encoding "ISO-8859-1" but is UTF-8; read as UTF-8`,
		},
		{
			name: "latin1-label-on-utf16-bom", data: append([]byte{0xFF, 0xFE}, utf16le(`<?xml version="1.0" encoding="ISO-8859-1"?>`+body)...), title: "Café",
			warning: `declares encoding "ISO-8859-1" but is UTF-16LE; read as UTF-16LE`,
		},
		{
			name: "utf16be-label-on-utf16le", data: utf16le(`<?xml version="1.0" encoding="UTF-16BE"?>` + body), title: "Café",
			warning: `declares encoding "UTF-16BE" but is UTF-16LE; read as UTF-16LE`,
		},
		{
			name: "latin1-label-on-utf8-bom", data: append(append([]byte{}, utf8BOM...), `<?xml version="1.0" encoding="ISO-8859-1"?>`+body...), title: "Café",
			warning: `declares encoding "ISO-8859-1" but has a UTF-8 byte-order mark; read as UTF-8`,
		},
		{
			name: "http-utf8-on-declared-latin1", data: []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + strings.Replace(body, "é", "\xe9", 1)),
			contentType: "application/rss+xml; charset=utf-8", title: "Café",
			warning: `is served as charset "utf-8" but is not UTF-8; read as the declared "ISO-8859-1"`,
		},
		{
			name: "http-latin1-on-utf8", data: []byte(body), contentType: "text/xml; charset=ISO-8859-1", title: "Café",
			warning: `is served as charset "ISO-8859-1" but is UTF-8; read as UTF-8`,
		},
		{
			name: "http-beats-declaration", data: []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + strings.Replace(body, "é", "\xc3\xa9\xa4", 1)),
			contentType: "text/xml; charset=ISO-8859-15", title: "CafÃ©€",
		},
		{
			name: "unknown-label-on-utf16-bom", data: append([]byte{0xFF, 0xFE}, utf16le(`<?xml version="1.0" encoding="klingon-8"?>`+body)...), title: "Café",
			warning: `declares encoding "klingon-8", which is unknown; read as UTF-16LE`,
		},
		{name: "python-label", data: append([]byte{0xFF, 0xFE}, utf16le(`<?xml version="1.0" encoding="utf_16"?>`+body)...), title: "Café"},
		{name: "quoted-http-charset", data: []byte(strings.Replace(body, "é", "\xe9", 1)), contentType: "text/xml;charset= 'ISO-8859-1'", title: "Café"},
		{name: "unknown-declared", data: []byte(`<?xml version="1.0" encoding="klingon-8"?>` + body), err: `unknown encoding "klingon-8" in the XML declaration`},
		{name: "unknown-http", data: []byte(body), contentType: "text/xml; charset=klingon-8", err: `unknown encoding "klingon-8" in the HTTP Content-Type`},
		{name: "unsupported", data: []byte(`<?xml version="1.0" encoding="ISO-2022-KR"?>` + body), err: `encoding "ISO-2022-KR" is not supported in the XML declaration`},
		{name: "ucs4-2143", data: []byte{0, 0, '<', 0, 0, 0, '?', 0}, err: "UCS-4 in an unusual byte order (2143 or 3412) is not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := ParseWithContentType(bytes.NewReader(c.data), c.name, c.contentType)
			if c.err != "" {
				if err == nil || err.Error() != c.name+": "+c.err {
					t.Fatalf("error %v, want %q", err, c.name+": "+c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != c.title {
				t.Errorf("title %q, want %q", f.Title, c.title)
			}
			var want []string
			if c.warning != "" {
				want = []string{c.name + ": " + c.warning}
			}
			if strings.Join(f.Warnings, "\n") != strings.Join(want, "\n") {
				t.Errorf("warnings %q, want %q", f.Warnings, want)
			}
		})
	}
}

// TestHTTPCharset serves a windows-1252 feed with no XML declaration and
// the charset in the Content-Type, and checks the cached copy keeps it.
func TestHTTPCharset(t *testing.T) {
	body, _ := charmap.Windows1252.NewEncoder().Bytes([]byte(`<rss version="2.0"><channel><title>don’t – café</title>` +
		`<item><title>Entrée</title><link>https://example.org/a</link></item></channel></rss>`))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=windows-1252")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	opts := Options{Cache: &memCache{}}
	for _, pass := range []string{"fetched", "cached"} {
		f, errs := Load(context.Background(), []string{srv.URL}, opts)
		if len(errs) != 0 {
			t.Fatalf("%s: %v", pass, errs)
		}
		if f.Title != "don’t – café" || len(f.Revisions) != 1 || f.Revisions[0].Page != "Entrée" {
			t.Errorf("%s: title %q, revisions %+v", pass, f.Title, f.Revisions)
		}
	}
}

// TestGzipWithoutHeader reads a gzipped file, and words a cut-off one in
// one line.
func TestGzipWithoutHeader(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(sampleBytes(t))
	_ = zw.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "feed.atom.gz")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := loadOne(t, path, Options{})
	if err != nil || len(f.Revisions) == 0 {
		t.Fatalf("gzipped file: %v", err)
	}
	cut := filepath.Join(dir, "cut.atom.gz")
	if err := os.WriteFile(cut, buf.Bytes()[:buf.Len()/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOne(t, cut, Options{}); err == nil || err.Error() != cut+": gzip-compressed, but the gzip data is cut short" {
		t.Errorf("cut gzip: %v", err)
	}
	limit := int64(1 << 10)
	for limit < int64(buf.Len()) {
		limit *= 2
	}
	if _, err := loadOne(t, path, Options{MaxBytes: limit}); err == nil || err.Error() != path+": larger than the "+bounded.ByteCount(limit)+" cap once decompressed" {
		t.Errorf("gzip over the cap: %v", err)
	}
}

// TestControlCharacters checks raw ESC and &#27; go the same way (both
// read, both removed), and C1 controls become windows-1252's characters.
func TestControlCharacters(t *testing.T) {
	for _, c := range []struct{ name, title, want string }{
		{"raw-esc", "a\x1b[31mb", "a[31mb"},
		{"ref-esc", "a&#27;[31mb", "a[31mb"},
		{"hex-ref-esc", "a&#x1B;[31mb&#0;", "a[31mb"},
		{"ref-surrogate", "a&#xD800;b", "ab"},
		{"ref-too-big", "a&#x110000;&#99999999999;b", "ab"},
		{"ref-fine", "a&#233;&#x9;b", "aé b"},
		{"raw-c1", "don\u0092t \u0093x\u0094 \u0081", "don’t “x”"},
		{"ref-c1", "don&#146;t", "don’t"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := `<rss version="2.0"><channel><title>` + c.title + `</title><item><title>` + c.title + `</title><description>` + c.title + `</description></item></channel></rss>`
			f, err := Parse(strings.NewReader(doc), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if f.Title != c.want || f.Revisions[0].Page != c.want {
				t.Errorf("title %q, entry %q, want %q", f.Title, f.Revisions[0].Page, c.want)
			}
			if strings.ContainsAny(f.Revisions[0].Body, "\x1b\u0092") {
				t.Errorf("body keeps a control: %q", f.Revisions[0].Body)
			}
		})
	}
}

// TestPrologs checks an XHTML doctype before <rss> and a JSON Feed.
func TestPrologs(t *testing.T) {
	xhtml := `<?xml version="1.0"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<rss version="2.0"><channel><title>t</title><item><title>e</title></item></channel></rss>`
	f, err := Parse(strings.NewReader(xhtml), "x.rss")
	if err != nil || f.Title != "t" {
		t.Errorf("XHTML doctype: %v", err)
	}
	subset := `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "<y>">]><rss version="2.0"><channel><title>t</title></channel></rss>`
	if _, err := Parse(strings.NewReader(subset), "s.rss"); err != nil {
		t.Errorf("internal subset: %v", err)
	}
	json := `{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": [{"id": "1", "title": "<b>x</b>", "content_html": "<p>a</p>"}]}`
	f, err = Parse(strings.NewReader(json), "j.json")
	if err != nil || f.Title != "J" || len(f.Warnings) != 0 {
		t.Errorf("JSON Feed: %v, warnings %q", err, f.Warnings)
	}
}

// FuzzEncodingDetection encodes a feed in one of the encodings and checks
// that detecting and decoding gives the original document back.
func FuzzEncodingDetection(f *testing.F) {
	for i, c := range encodingCases {
		f.Add(c.text, uint8(i), true)
	}
	f.Add("a<b>&amp;", uint8(3), false)
	f.Fuzz(func(t *testing.T, text string, which uint8, decl bool) {
		c := encodingCases[int(which)%len(encodingCases)]
		if !utf8.ValidString(text) || strings.ContainsAny(text, "\x00\ufeff") {
			return
		}
		head := `<?xml version="1.0"?>`
		if decl && c.label != "" {
			head = `<?xml version="1.0" encoding="` + c.label + `"?>`
		}
		want := head + "\n<rss version=\"2.0\"><channel><title>" + text + "</title></channel></rss>\n"
		enc, err := c.enc.NewEncoder().Bytes([]byte(want))
		if err != nil {
			return // not representable in this encoding
		}
		if round, err := c.enc.NewDecoder().Bytes(enc); err != nil || string(round) != want {
			return // the encoding itself does not round-trip this text
		}
		data := append(append([]byte{}, c.bom...), enc...)
		fam, _, _ := sniffFamily(data)
		if c.enc != encoding.Nop && fam == familyASCII {
			if !decl || c.label == "" {
				return // only a label could tell, and there is none
			}
			if !isASCII(enc) && utf8.Valid(enc) {
				return // reads as UTF-8 by design (taken for a mislabelled feed)
			}
		}
		got, warnings, err := decodeDocument(data, "", DefaultMaxBytes)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(warnings) != 0 {
			t.Errorf("%s: warnings %q", c.name, warnings)
		}
		// C1 controls are read as windows-1252's characters on both sides:
		// WHATWG's ISO-8859-1 is windows-1252, and parseInput maps C1 in
		// every other encoding alike (see controls.go).
		if string(mapC1(got)) != string(mapC1(relabelDeclaration([]byte(want)))) {
			t.Fatalf("%s: decoded\n%q\nwant\n%q", c.name, got, want)
		}
	})
}
