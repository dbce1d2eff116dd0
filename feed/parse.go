package feed

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wikifeed/wikifeed/httpclient"
	"github.com/wikifeed/wikifeed/internal/parallel"
)

// Tunables of parsing and loading, with their units.
const (
	// sniffBytes is how much of a source is read ahead to recognise it
	// (BOM, XML declaration, root element), in bytes.
	sniffBytes = 4096
	// DefaultMaxBytes caps an HTTP response body (after decompression),
	// in bytes.
	DefaultMaxBytes = httpclient.DefaultMaxBytes
	// DefaultTimeout bounds one HTTP fetch, body included.
	DefaultTimeout = httpclient.DefaultTimeout
	// DefaultConnectTimeout bounds connecting (TCP and TLS) to a server.
	DefaultConnectTimeout = httpclient.DefaultConnectTimeout
	// DefaultMaxRetryWait is the longest Retry-After wikifeed honours.
	DefaultMaxRetryWait = httpclient.DefaultMaxRetryWait
	// maxParallelFetches bounds how many sources load at once.
	maxParallelFetches = 4
	// parallelMinBytes is the size from which a feed in memory is parsed
	// in pieces on several cores, in bytes.
	parallelMinBytes = 4 << 20
)

// Parse reads one feed (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed or CDF, as
// MediaWiki and other wikis write them, in any encoding Go's x/text knows,
// gzipped or not) from r and returns its model. source names the input in
// errors and becomes the feed's Sources; when it is an http(s) URL it is
// also the base for relative URLs. A feed with no entries is not an error.
func Parse(r io.Reader, source string) (*Feed, error) {
	return ParseWithContentType(r, source, "")
}

// ParseWithContentType is Parse for a body that came with an HTTP
// Content-Type: its charset parameter, if any, names the encoding, ahead of
// the XML declaration (RFC 7303). A byte-order mark still comes first.
func ParseWithContentType(r io.Reader, source, contentType string) (*Feed, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &SourceError{Source: source, Err: fmt.Errorf("reading: %w", err)}
	}
	f, err := parseInput(data, source, baseOf(source), sourceInfo{contentType: contentType})
	if err != nil {
		return nil, &SourceError{Source: source, Err: err}
	}
	return f, nil
}

// baseOf returns source if it is an absolute http(s) URL, else "".
func baseOf(source string) string {
	if isURL(source) {
		return source
	}
	return ""
}

// isURL reports whether source is an http or https URL.
func isURL(source string) bool {
	lower := strings.ToLower(source)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// parse is Parse without the source in its errors; base is the URL the
// feed was fetched from, or "", ex what supplement found, or nil, and lf
// what lift took out of the feed, or nil.
func parse(r io.Reader, source, base string, ex *extras, lf *lifted) (*Feed, error) {
	in, sn, err := prepare(r)
	if err != nil {
		return nil, err
	}
	raw, err := parseRaw(in, sn)
	if err != nil {
		return nil, explainParseError(err)
	}
	if !lf.restore(raw) {
		return nil, errLiftLeak
	}
	ex.apply(raw)
	f := convert(raw, source, base, sn)
	f.index()
	return f, nil
}

// parseRaw runs gofeed's parser for the format the prolog named. The RSS
// and Atom parsers are called directly: gofeed's universal translator
// parses every description as an HTML document to find an image, which
// costs a quarter of the time and is no use here.
func parseRaw(in io.Reader, sn sniffed) (*rawFeed, error) {
	switch sn.format {
	case formatRSS:
		rf, err := (&rss.Parser{}).Parse(in)
		if err != nil {
			return nil, err
		}
		return fromRSS(rf), nil
	case formatCDF:
		return parseCDF(in)
	case formatAtom:
		af, err := (&atom.Parser{}).Parse(in)
		if err != nil {
			return nil, err
		}
		return fromAtom(af), nil
	default: // formatUnknown: let gofeed's universal parser decide
		gf, err := gofeed.NewParser().Parse(in)
		if err != nil {
			return nil, err
		}
		return fromUniversal(gf), nil
	}
}

// explainParseError turns gofeed's and encoding/xml's errors into the
// short phrases wikifeed reports.
func explainParseError(err error) error {
	var utf *InvalidUTF8Error
	if errors.As(err, &utf) {
		return utf
	}
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		return ErrNotFeed
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return ErrTruncated
	}
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("malformed XML at line %d: %s", syn.Line, printable(syn.Msg))
	}
	var sizeErr *SizeError
	if errors.As(err, &sizeErr) {
		return sizeErr
	}
	return fmt.Errorf("malformed feed: %s", printable(err.Error()))
}

// convert builds the model from the parsed feed.
func convert(raw *rawFeed, source, base string, sn sniffed) *Feed {
	f := &Feed{
		Title:     titleText(raw.title, raw.titleHTML),
		Generator: cleanText(raw.generator),
		Sources:   []string{source},
	}
	if f.Generator == "" {
		f.Generator = sn.generator
	}
	if raw.updated != nil {
		f.Updated = raw.updated.UTC()
	}
	// The feed's own URL: where it was fetched from, else what it says
	// its self link is, else its alternate link.
	if base == "" {
		for _, cand := range []string{raw.selfLink, raw.link} {
			if u, err := url.Parse(fixURL(cand)); err == nil && u.IsAbs() {
				base = u.String()
				break
			}
		}
	}
	f.Link = resolve(base, raw.link)
	c := &converter{
		feed:      f,
		source:    source,
		base:      base,
		mediaWiki: strings.HasPrefix(f.Generator, "MediaWiki"),
	}
	if c.mediaWiki {
		c.historyPage = historyPage(raw.selfLink, raw.link)
	}
	f.Warnings = dateWarnings(source, raw.dateProblems)
	revs := make([]*Revision, len(raw.items))
	parallel.For(len(raw.items), workersFor(raw.size()), func(i int) {
		if _, _, ok := wikiError(&raw.items[i]); !ok || !c.mediaWiki {
			revs[i] = c.revision(&raw.items[i])
		}
	})
	f.Revisions = make([]*Revision, 0, len(raw.items))
	for i, rev := range revs {
		if rev == nil {
			code, msg, _ := wikiError(&raw.items[i])
			if f.WikiError == "" {
				f.WikiError = code + ": " + msg
			}
			continue
		}
		f.Revisions = append(f.Revisions, rev)
	}
	return f
}

// converter carries what one feed's entries share.
type converter struct {
	feed   *Feed
	source string
	// base is the absolute URL relative URLs resolve against.
	base string
	// mediaWiki is true when the generator says MediaWiki.
	mediaWiki bool
	// historyPage is the page of a MediaWiki history feed, whose entry
	// titles name the user instead of the page; "" for other feeds.
	historyPage string
}

// revision converts one entry.
func (c *converter) revision(it *rawItem) *Revision {
	rev := &Revision{
		Page:    titleText(it.title, it.titleHTML),
		EntryID: resolve(c.base, it.id),
		URL:     resolve(c.base, it.link),
		User:    cleanText(it.author),
		Size:    -1,
		Source:  c.source,
		BaseURL: c.base,
	}
	if rev.EntryID == "" {
		rev.EntryID = rev.URL
	}
	if it.time != nil {
		rev.Time = it.time.UTC()
	}
	body := it.content
	if strings.TrimSpace(body) == "" {
		body = it.summary
	}
	body = normalizeNewlines(body)

	switch {
	case c.mediaWiki:
		c.mediaWikiEntry(rev, it, body)
	case isIkiwiki(body):
		ikiwikiEntry(rev, body)
	default:
		rev.Body = strings.TrimSpace(body)
		if rev.Body == "" {
			rev.Kind = BodyEmpty
		}
	}
	if rev.Page == "" {
		rev.Page = "(untitled)"
	}
	return rev
}

// titleText is a title as one line of text: an html or xhtml title's text,
// another as it is, cleaned.
func titleText(s string, html bool) string {
	if html {
		return htmlText(s)
	}
	return cleanText(s)
}

// maxDateWarnings bounds the date warnings of one feed.
const maxDateWarnings = 3

// dateWarnings words the date problems of a feed, each once, and at most
// maxDateWarnings of them.
func dateWarnings(source string, problems []string) []string {
	var out []string
	seen := map[string]bool{}
	more := 0
	for _, p := range problems {
		if seen[p] {
			continue
		}
		seen[p] = true
		if len(out) == maxDateWarnings {
			more++
			continue
		}
		out = append(out, source+": "+p)
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("%s: %d more dates read in part", source, more))
	}
	return out
}

// wikiError recognises MediaWiki's error item ("Error (wlnotloggedin)",
// with no link and no id) and returns its code and message.
func wikiError(it *rawItem) (code, msg string, ok bool) {
	if strings.TrimSpace(it.link) != "" || strings.TrimSpace(it.id) != "" {
		return "", "", false
	}
	title := strings.TrimSpace(it.title)
	if !strings.HasSuffix(title, ")") {
		return "", "", false
	}
	open := strings.LastIndexByte(title, '(')
	if open < 0 {
		return "", "", false
	}
	code = title[open+1 : len(title)-1]
	if code == "" {
		return "", "", false
	}
	for _, r := range code {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
			return "", "", false
		}
	}
	msg = htmlText(it.summary)
	if msg == "" {
		msg = cleanText(title)
	}
	return code, msg, true
}

// historyPage returns the page of a MediaWiki history feed (its links say
// action=history), or "".
func historyPage(links ...string) string {
	for _, l := range links {
		q := queryOf(l)
		if q.Get("action") == "history" && q.Get("title") != "" {
			return titleFromKey(q.Get("title"))
		}
	}
	return ""
}

// titleFromKey turns a MediaWiki title as it appears in URLs
// ("Multi-Threading:_Task_Graph_System") into its display form.
func titleFromKey(key string) string {
	return strings.ReplaceAll(key, "_", " ")
}

// queryOf parses the query of a URL; an unparsable URL has none.
func queryOf(raw string) url.Values {
	raw = fixURL(raw)
	i := strings.IndexByte(raw, '?')
	if i < 0 {
		return url.Values{}
	}
	q := raw[i+1:]
	if j := strings.IndexByte(q, '#'); j >= 0 {
		q = q[:j]
	}
	v, _ := url.ParseQuery(q)
	return v
}

// fixURL undoes the second escaping some feeds give URLs ("&amp;" left in a
// URL after the XML layer has been decoded, as DokuWiki writes them).
func fixURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if strings.Contains(raw, "&amp;") {
		raw = strings.ReplaceAll(raw, "&amp;", "&")
	}
	return raw
}

// resolve makes ref absolute against base when it can; a protocol-relative
// ref with no base gets https.
func resolve(base, ref string) string {
	ref = fixURL(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	if u.IsAbs() {
		return ref
	}
	if base != "" {
		if b, err := url.Parse(base); err == nil && b.IsAbs() {
			return b.ResolveReference(u).String()
		}
	}
	if strings.HasPrefix(ref, "//") {
		return "https:" + ref
	}
	return ref
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}
