package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// client returns the HTTP client, built once.
func (l *loader) client() *http.Client {
	l.once.Do(func() {
		if l.opts.Client != nil {
			l.hc = l.opts.Client
			return
		}
		dialer := &net.Dialer{Timeout: l.opts.ConnectTimeout}
		tr := &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   l.opts.ConnectTimeout,
			ResponseHeaderTimeout: l.opts.Timeout,
			// wikifeed asks for gzip itself so that it can cap the
			// decompressed size; the transport's own would hide it.
			DisableCompression:  true,
			MaxIdleConnsPerHost: maxIdleConnsPerHost,
		}
		l.hc = &http.Client{Transport: tr, CheckRedirect: checkRedirect}
	})
	return l.hc
}

// checkRedirect bounds redirects and stops loops early.
func checkRedirect(req *http.Request, via []*http.Request) error {
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop at %s", req.URL.Redacted())
		}
	}
	if len(via) >= maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	return nil
}

// cacheMeta is what the cache keeps beside a body.
type cacheMeta struct {
	URL          string    `json:"url"`
	FinalURL     string    `json:"finalUrl"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"lastModified,omitempty"`
	ContentType  string    `json:"contentType,omitempty"`
	Fetched      time.Time `json:"fetched"`
}

// cachePaths returns where a URL's body and metadata are cached, or "" if
// there is no cache.
func (l *loader) cachePaths(rawURL string) (body, meta string) {
	if l.opts.NoCache {
		return "", ""
	}
	dir := l.opts.CacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", ""
		}
		dir = filepath.Join(base, "wikifeed")
	}
	sum := sha256.Sum256([]byte(rawURL))
	name := hex.EncodeToString(sum[:16])
	return filepath.Join(dir, name+".xml"), filepath.Join(dir, name+".json")
}

// fetchFeed fetches and parses a URL, using and updating the cache: a
// conditional request when a copy is cached, the copy on 304, and the copy
// with a warning when the fetch or the new body fails.
func (l *loader) fetchFeed(ctx context.Context, rawURL string) (*Feed, error) {
	bodyPath, metaPath := l.cachePaths(rawURL)
	var cached *cacheMeta
	if metaPath != "" {
		if b, err := os.ReadFile(metaPath); err == nil {
			var m cacheMeta
			if json.Unmarshal(b, &m) == nil && m.URL == rawURL {
				if _, err := os.Stat(bodyPath); err == nil {
					cached = &m
				}
			}
		}
	}
	res, err := l.fetch(ctx, rawURL, cached)
	var f *Feed
	if err == nil && res.notModified {
		return l.fromCache(bodyPath, cached, rawURL, "")
	}
	if err == nil {
		f, err = parseInput(res.body, rawURL, res.finalURL, sourceInfo{contentType: res.contentType, maxBytes: l.opts.MaxBytes})
		if err == nil {
			if bodyPath != "" {
				// A cache that cannot be written only costs the next
				// conditional request; the feed is still good.
				_ = writeCache(bodyPath, metaPath, res.body, cacheMeta{
					URL: rawURL, FinalURL: res.finalURL, ETag: res.etag,
					LastModified: res.lastModified, ContentType: res.contentType, Fetched: time.Now().UTC(),
				})
			}
			return f, nil
		}
	}
	if cached != nil {
		return l.fromCache(bodyPath, cached, rawURL, err.Error())
	}
	return nil, err
}

// fromCache parses the cached copy; why, if set, says why the fetch failed
// and becomes a warning.
func (l *loader) fromCache(bodyPath string, m *cacheMeta, rawURL, why string) (*Feed, error) {
	data, err := os.ReadFile(bodyPath)
	if err != nil {
		if why != "" {
			return nil, errors.New(why)
		}
		return nil, fmt.Errorf("cached copy: %w", err)
	}
	f, err := parseInput(data, rawURL, m.FinalURL, sourceInfo{contentType: m.ContentType, maxBytes: l.opts.MaxBytes})
	if err != nil {
		if why != "" {
			return nil, errors.New(why)
		}
		return nil, fmt.Errorf("cached copy: %w", err)
	}
	if why != "" {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s: %s; showing the copy cached %s",
			rawURL, why, m.Fetched.Local().Format("2006-01-02 15:04")))
	}
	return f, nil
}

// writeCache stores a body and its metadata, each by rename so a reader
// never sees half a file.
func writeCache(bodyPath, metaPath string, body []byte, m cacheMeta) error {
	if err := os.MkdirAll(filepath.Dir(bodyPath), 0o755); err != nil {
		return err
	}
	meta, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := writeAtomic(bodyPath, body); err != nil {
		return err
	}
	return writeAtomic(metaPath, meta)
}

// writeAtomic writes data to a temporary file beside path and renames it.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// fetched is the outcome of one fetch.
type fetched struct {
	body         []byte
	finalURL     string
	etag         string
	lastModified string
	contentType  string
	notModified  bool
}

// fetch GETs a URL within the timeout, retrying once after Retry-After on
// 429 and 503.
func (l *loader) fetch(ctx context.Context, rawURL string, cached *cacheMeta) (*fetched, error) {
	ctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		res, retryAfter, err := l.get(ctx, rawURL, cached)
		if err == nil || retryAfter < 0 || attempt > 0 {
			return res, l.explainHTTPError(ctx, err)
		}
		if retryAfter > l.opts.MaxRetryWait {
			return nil, fmt.Errorf("%w (the server asks to retry after %s)", err, retryAfter.Round(time.Second))
		}
		t := time.NewTimer(retryAfter)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, l.explainHTTPError(ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// explainHTTPError words timeouts and network errors.
func (l *loader) explainHTTPError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded ||
		(errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("timed out after %s", l.opts.Timeout)
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("cancelled")
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Errorf("cannot find host %s", dnsErr.Name)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		cause := opErr.Err
		var sys *os.SyscallError
		if errors.As(cause, &sys) {
			cause = sys.Err
		}
		return fmt.Errorf("cannot connect: %v", cause)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		// url.Error repeats the method and URL; the source is named
		// already.
		return ue.Err
	}
	return err
}

// get makes one request. retryAfter is how long to wait before the one
// retry of a 429 or 503, or -1 when a retry would not help.
func (l *loader) get(ctx context.Context, rawURL string, cached *cacheMeta) (_ *fetched, retryAfter time.Duration, _ error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, -1, fmt.Errorf("bad URL: %w", err)
	}
	req.Header.Set("User-Agent", l.opts.UserAgent)
	req.Header.Set("Accept", "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
	req.Header.Set("Accept-Encoding", "gzip")
	if cached != nil {
		if cached.ETag != "" {
			req.Header.Set("If-None-Match", cached.ETag)
		}
		if cached.LastModified != "" {
			req.Header.Set("If-Modified-Since", cached.LastModified)
		}
	}
	resp, err := l.client().Do(req)
	if err != nil {
		return nil, -1, err
	}
	defer resp.Body.Close()
	res := &fetched{
		finalURL:     resp.Request.URL.String(),
		etag:         resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"),
		contentType:  resp.Header.Get("Content-Type"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified && cached != nil:
		res.notModified = true
		return res, -1, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		return nil, parseRetryAfter(resp.Header.Get("Retry-After")), statusError(resp)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, -1, statusError(resp)
	}
	body, err := readBody(resp, l.opts.MaxBytes)
	if err != nil {
		return nil, -1, err
	}
	res.body = body
	return res, -1, nil
}

// statusError names an HTTP status: "HTTP 404 Not Found".
func statusError(resp *http.Response) error {
	text := http.StatusText(resp.StatusCode)
	if text == "" {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return fmt.Errorf("HTTP %d %s", resp.StatusCode, text)
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date; a missing
// or unreadable one gives the default wait.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return defaultRetryWait
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return defaultRetryWait
}

// readBody reads a response body, gunzipping it if the server gzipped it,
// and fails once it passes limit bytes (compressed or not).
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, &SizeError{Limit: limit}
	}
	var r io.Reader = &capReader{r: resp.Body, left: limit, err: &SizeError{Limit: limit}}
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		defer zr.Close()
		r = &capReader{r: zr, left: limit, err: &SizeError{Limit: limit, Decompressed: true}}
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := buf.ReadFrom(r); err != nil {
		var se *SizeError
		if errors.As(err, &se) {
			return nil, se
		}
		if errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) {
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return buf.Bytes(), nil
}

// capReader fails with err once more than left bytes have come through,
// rather than cutting the body short silently.
type capReader struct {
	r    io.Reader
	left int64
	err  error
}

// Read passes bytes on until the cap.
func (c *capReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, c.err
	}
	return n, err
}
