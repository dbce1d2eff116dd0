// Package httpclient is wikifeed's one HTTP client, for feeds, the wikis'
// APIs and whatever comes next. It holds the policy every request follows:
//
//   - the User-Agent Wikimedia's policy asks for, naming the project;
//   - gzip asked for and decoded here (layers such as "gzip, gzip"
//     included), with the size cap counted on the decompressed bytes;
//   - at most 10 redirects, and a loop stopped at once;
//   - one retry after Retry-After on 429 and 503, if the wait is short;
//   - memory allocated as bytes arrive, never from a Content-Length;
//   - errors that say which timeout fired (connecting or the whole
//     request), and that a body was cut short.
//
// Usage:
//
//	c := httpclient.New(httpclient.Options{UserAgent: httpclient.UserAgent(version)})
//	resp, err := c.Get(ctx, url, http.Header{"Accept": {"application/json"}})
//	if err != nil {
//		return fmt.Errorf("%s: %w", url, err) // "…: timed out after 30s"
//	}
//	use(resp.Body, resp.ContentType)
package httpclient

import (
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wikifeed/wikifeed/internal/bounded"
)

// Tunables, with their units.
const (
	// DefaultTimeout bounds one request, connection to last byte.
	DefaultTimeout = 30 * time.Second
	// DefaultConnectTimeout bounds connecting (TCP, and TLS) to a server.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultMaxBytes caps a body, once decompressed, in bytes.
	DefaultMaxBytes = 64 << 20
	// DefaultMaxRetryWait is the longest Retry-After honoured.
	DefaultMaxRetryWait = 30 * time.Second
	// defaultRetryWait is the wait before the one retry of a 429 or 503
	// that names no Retry-After.
	defaultRetryWait = 2 * time.Second
	// MaxRedirects bounds the redirects followed for one request.
	MaxRedirects = 10
	// maxIdleConnsPerHost bounds the connections kept open to one wiki,
	// which is polite and enough for a few sources on one server.
	maxIdleConnsPerHost = 2
	// maxRetryAfterSeconds caps a Retry-After read, in seconds.
	maxRetryAfterSeconds = 24 * 60 * 60
	// maxEncodings bounds the layers of Content-Encoding decoded.
	maxEncodings = 3
)

// ProjectURL is where wikifeed lives; it goes in the User-Agent so wiki
// operators can reach the project, as Wikimedia's policy asks.
const ProjectURL = "https://github.com/wikifeed/wikifeed"

// UserAgent returns the User-Agent for a wikifeed version, in the format
// Wikimedia's policy asks for: "wikifeed/VERSION (URL)".
func UserAgent(version string) string {
	return "wikifeed/" + version + " (" + ProjectURL + ")"
}

// SizeError is the error for a body past the cap.
type SizeError = bounded.SizeError

// Options configure a Client. The zero value works, with the defaults.
type Options struct {
	// UserAgent is sent with every request; empty means UserAgent("dev").
	UserAgent string
	// Timeout bounds one request, retry wait and body included; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds connecting, TLS handshake included; 0 means
	// DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxBytes caps a body once decompressed; 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxRetryWait is the longest Retry-After honoured (once) on a 429 or
	// 503; 0 means DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// WrapTransport, if set, wraps the client's transport: a limit on
	// requests at a time per wiki (app.OneRequestPerHost), say.
	WrapTransport func(http.RoundTripper) http.RoundTripper
}

// WithDefaults returns o with every zero (or negative) field set to its
// default, as New does. It is the one place the defaults are filled:
// packages whose options pass through to a Client (feed.Options) call it
// to learn the values that will apply.
func (o Options) WithDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = UserAgent("dev")
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = DefaultMaxRetryWait
	}
	return o
}

// Client makes GET requests under the package's policy. It is safe for
// concurrent use; build one with New and share it.
type Client struct {
	opts Options
	hc   *http.Client
	tr   *http.Transport // hc's transport, perhaps wrapped (Options.WrapTransport)
	// dial connects; tests replace it to hold a connection open.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// New returns a client with the given options.
func New(opts Options) *Client {
	c := &Client{opts: opts.WithDefaults()}
	c.dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         c.dialContext,
		TLSHandshakeTimeout: c.opts.ConnectTimeout,
		// The client asks for gzip itself so that it can cap the
		// decompressed size; the transport's own would hide it.
		DisableCompression:  true,
		MaxIdleConnsPerHost: maxIdleConnsPerHost,
		ForceAttemptHTTP2:   true,
	}
	c.tr = tr
	var rt http.RoundTripper = tr
	if c.opts.WrapTransport != nil {
		rt = c.opts.WrapTransport(tr)
	}
	c.hc = &http.Client{Transport: rt, CheckRedirect: checkRedirect}
	return c
}

// StreamClient returns an *http.Client for long-lived responses read as
// they come (a server-sent event stream), which Get's whole-body reading
// does not suit: the same transport (the connect timeout, no transparent
// gzip), the same redirect policy, the User-Agent set on every request,
// and no overall timeout (the caller's context ends the stream).
func (c *Client) StreamClient() *http.Client {
	return &http.Client{
		Transport:     &agentTransport{ua: c.opts.UserAgent, next: c.hc.Transport},
		CheckRedirect: checkRedirect,
	}
}

// agentTransport sets the User-Agent on each request it passes on.
type agentTransport struct {
	ua   string
	next http.RoundTripper
}

// RoundTrip sets the User-Agent on a copy of req and sends it.
func (t *agentTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("User-Agent", t.ua)
	return t.next.RoundTrip(r)
}

// Options returns the client's options, defaults filled in.
func (c *Client) Options() Options { return c.opts }

// WithTLSConfig sets the TLS configuration of the client's transport (for
// tests against httptest.NewTLSServer) and returns the client.
func (c *Client) WithTLSConfig(cfg *tls.Config) *Client {
	c.tr.TLSClientConfig = cfg
	return c
}

// connectTimeoutError is a connection not made within the connect timeout.
type connectTimeoutError struct{ d time.Duration }

func (e *connectTimeoutError) Error() string {
	return fmt.Sprintf("could not connect within %s (the connect timeout)", e.d)
}

// dialContext connects within the connect timeout, and says so when that
// timeout is the one that fired.
func (c *Client) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	dctx, cancel := context.WithTimeout(ctx, c.opts.ConnectTimeout)
	defer cancel()
	conn, err := c.dial(dctx, network, addr)
	if err != nil && ctx.Err() == nil && errors.Is(dctx.Err(), context.DeadlineExceeded) {
		return nil, &connectTimeoutError{c.opts.ConnectTimeout}
	}
	return conn, err
}

// checkRedirect bounds redirects and stops loops early.
func checkRedirect(req *http.Request, via []*http.Request) error {
	for _, v := range via {
		if v.URL.String() == req.URL.String() {
			return fmt.Errorf("redirect loop at %s", req.URL.Redacted())
		}
	}
	if len(via) > MaxRedirects {
		return fmt.Errorf("more than %d redirects", MaxRedirects)
	}
	return nil
}

// Response is a finished request.
type Response struct {
	// StatusCode is the final status: 2xx, or 304 for a conditional
	// request answered "not modified" (Body is then empty).
	StatusCode int
	// Header is the final response's header.
	Header http.Header
	// URL is the URL after redirects.
	URL string
	// ContentType is the Content-Type header, parameters (charset)
	// included; "" when the server sent none.
	ContentType string
	// Body is the whole body, decompressed.
	Body []byte
}

// NotModified reports whether the server answered 304.
func (r *Response) NotModified() bool { return r.StatusCode == http.StatusNotModified }

// StatusError is an answer with a status other than 2xx or 304.
type StatusError struct {
	// Code is the HTTP status code.
	Code int
	// RetryAfter is what the server asked to wait, for 429 and 503; -1
	// when it named nothing readable, 0 for other codes.
	RetryAfter time.Duration
}

// Error returns "HTTP 404 Not Found".
func (e *StatusError) Error() string {
	text := http.StatusText(e.Code)
	if text == "" {
		return fmt.Sprintf("HTTP %d", e.Code)
	}
	return fmt.Sprintf("HTTP %d %s", e.Code, text)
}

// Get fetches rawURL with the extra request headers h (Accept, validators
// such as If-None-Match; nil for none). Within the timeout it follows
// redirects, retries once after Retry-After on 429 and 503, and reads and
// decompresses the body under the cap. A status other than 2xx or 304 is
// a *StatusError; a body past the cap a *SizeError. Errors do not repeat
// the URL: the caller names the source.
func (c *Client) Get(ctx context.Context, rawURL string, h http.Header) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	for attempt := 0; ; attempt++ {
		resp, err := c.get(ctx, rawURL, h)
		var se *StatusError
		if err == nil || attempt > 0 || !errors.As(err, &se) ||
			se.Code != http.StatusTooManyRequests && se.Code != http.StatusServiceUnavailable {
			return resp, c.explain(ctx, err)
		}
		wait := se.RetryAfter
		if wait < 0 {
			wait = defaultRetryWait
		}
		if wait > c.opts.MaxRetryWait {
			return nil, fmt.Errorf("%w (the server asks to retry after %s)", err, wait.Round(time.Second))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, c.explain(ctx, ctx.Err())
		case <-t.C:
		}
	}
}

// get makes one request.
func (c *Client) get(ctx context.Context, rawURL string, h http.Header) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("bad URL: %w", err)
	}
	for k, vs := range h {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	// The body is read to its end or given up on; closing it only frees
	// the connection, and its error has nothing to report.
	defer resp.Body.Close() //nolint:errcheck // see above
	out := &Response{
		StatusCode:  resp.StatusCode,
		Header:      resp.Header,
		URL:         resp.Request.URL.String(),
		ContentType: resp.Header.Get("Content-Type"),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return out, nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		return nil, &StatusError{Code: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, &StatusError{Code: resp.StatusCode}
	}
	out.Body, err = readBody(resp, c.opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date; -1 when
// it is missing or unreadable.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		// Past a day the wait is too long anyway; capping keeps a huge
		// number from overflowing into a negative wait.
		return time.Duration(min(n, maxRetryAfterSeconds)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return -1
}

// explain words timeouts and network errors.
func (c *Client) explain(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var cte *connectTimeoutError
	if errors.As(err, &cte) {
		return cte
	}
	var ne net.Error
	if ctx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %s", c.opts.Timeout)
	}
	if errors.As(err, &ne) && ne.Timeout() {
		// Not our deadline: the TLS handshake timeout, which is the
		// connect timeout.
		if strings.Contains(err.Error(), "TLS handshake") {
			return fmt.Errorf("TLS handshake not done within %s (the connect timeout)", c.opts.ConnectTimeout)
		}
		return fmt.Errorf("timed out: %w", unwrapURL(err))
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
	return unwrapURL(err)
}

// unwrapURL drops a *url.Error's method and URL, which the caller names.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// readBody reads a response body under the cap, undoing its
// Content-Encoding. Memory grows with the bytes read, never from the
// Content-Length the server claims.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	if resp.ContentLength > limit {
		return nil, &SizeError{Limit: limit}
	}
	layers, err := gzipLayers(resp.Header.Values("Content-Encoding"))
	if err != nil {
		return nil, err
	}
	raw := &countReader{r: bounded.NewReader(resp.Body, limit)}
	var r io.Reader = raw
	for range layers {
		zr, err := gzip.NewReader(r)
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("gzip body cut short after %d bytes", raw.n)
			}
			return nil, fmt.Errorf("bad gzip body: %w", err)
		}
		// Close only repeats the error of the last read, which ReadAll
		// returns below.
		defer zr.Close() //nolint:errcheck // see above
		r = zr
	}
	if layers > 0 {
		r = &bounded.Reader{R: r, Left: limit, Err: &SizeError{Limit: limit, Decompressed: true}}
	}
	body, err := io.ReadAll(r)
	if err != nil {
		var se *SizeError
		switch {
		case errors.As(err, &se):
			return nil, se
		case errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader):
			return nil, fmt.Errorf("bad gzip body: %w", err)
		case errors.Is(err, io.ErrUnexpectedEOF) && layers > 0:
			return nil, fmt.Errorf("gzip body cut short after %d bytes", raw.n)
		case errors.Is(err, io.ErrUnexpectedEOF) && resp.ContentLength > 0:
			return nil, fmt.Errorf("body cut short: %d of the %d bytes announced", raw.n, resp.ContentLength)
		}
		return nil, fmt.Errorf("reading body: %w", err)
	}
	return body, nil
}

// gzipLayers reads the Content-Encoding header(s): how many layers of
// gzip to undo ("gzip, gzip" is two; "identity" is none). Only gzip is
// asked for, so any other coding is an error.
func gzipLayers(values []string) (int, error) {
	n := 0
	for _, v := range values {
		for _, c := range strings.Split(v, ",") {
			switch c = strings.ToLower(strings.TrimSpace(c)); c {
			case "", "identity":
			case "gzip", "x-gzip":
				n++
			default:
				return 0, fmt.Errorf("the server sent an unsupported Content-Encoding %q", c)
			}
		}
	}
	if n > maxEncodings {
		return 0, fmt.Errorf("the server sent %d layers of Content-Encoding", n)
	}
	return n, nil
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

// Read passes on and counts.
func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
