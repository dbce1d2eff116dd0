package httpclient

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// gz compresses b once per layer.
func gz(t *testing.T, b []byte, layers int) []byte {
	t.Helper()
	for range layers {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = buf.Bytes()
	}
	return b
}

// serve starts a test server and returns its URL.
func serve(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestGet runs each rule of the policy against a real server: the body
// (or error) that comes back for what the server sends.
func TestGet(t *testing.T) {
	text := []byte(strings.Repeat("wikifeed ", 1000)) // 9000 bytes
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	cases := []struct {
		name    string
		handler http.HandlerFunc
		opts    Options
		want    string // the body, or "error: " and the whole error
	}{
		{"plain", func(w http.ResponseWriter, _ *http.Request) { w.Write(text[:20]) }, Options{}, string(text[:20])},
		{"user-agent", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, r.Header.Get("User-Agent"))
		}, Options{UserAgent: UserAgent("1.2")}, "wikifeed/1.2 (https://github.com/wikifeed/wikifeed)"},
		{"default-user-agent", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, r.Header.Get("User-Agent"))
		}, Options{}, "wikifeed/dev (https://github.com/wikifeed/wikifeed)"},
		{"gzip", func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Accept-Encoding") != "gzip" {
				http.Error(w, "no gzip asked", 400)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(t, text, 1))
		}, Options{}, string(text)},
		{"gzip-gzip", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip, gzip")
			w.Write(gz(t, text, 2))
		}, Options{}, string(text)},
		{"gzip-in-two-headers", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Add("Content-Encoding", "gzip")
			w.Header().Add("Content-Encoding", "x-gzip")
			w.Write(gz(t, text, 2))
		}, Options{}, string(text)},
		{"identity", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "identity")
			w.Write(text[:5])
		}, Options{}, string(text[:5])},
		{"brotli", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			w.Write(text[:5])
		}, Options{}, `error: the server sent an unsupported Content-Encoding "br"`},
		{"gzip-cap-decompressed", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(t, text, 1)) // well under 4 KiB compressed
		}, Options{MaxBytes: 4 << 10}, "error: larger than the 4 KiB cap once decompressed"},
		{"gzip-truncated", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			b := gz(t, text, 1)
			w.Write(b[:len(b)-12])
		}, Options{}, "error: gzip body cut short after "},
		{"gzip-header-truncated", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz(t, text, 1)[:4])
		}, Options{}, "error: gzip body cut short after 4 bytes"},
		{"gzip-not-gzip", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(text)
		}, Options{}, "error: bad gzip body: gzip: invalid header"},
		{"body-truncated", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Write(text[:40])
		}, Options{}, "error: body cut short: 40 of the 100 bytes announced"},
		{"over-cap", func(w http.ResponseWriter, _ *http.Request) { w.Write(text) }, Options{MaxBytes: 1000}, "error: larger than the 1000 bytes cap"},
		{"over-cap-chunked", func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i < len(text); i += 512 {
				w.Write(text[i:min(i+512, len(text))])
				w.(http.Flusher).Flush()
			}
		}, Options{MaxBytes: 4 << 10}, "error: larger than the 4 KiB cap"},
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, Options{}, "error: HTTP 404 Not Found"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
				return
			}
			fmt.Fprint(w, r.URL.Path)
		}, Options{}, "/b"},
		{"redirect-loop", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/a" {
				http.Redirect(w, r, "/b", http.StatusFound)
			} else {
				http.Redirect(w, r, "/a", http.StatusFound)
			}
		}, Options{}, "error: redirect loop at http://"},
		{"ten-redirects", func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(r.URL.Path, "/%d", &n)
			if n < 10 {
				http.Redirect(w, r, fmt.Sprintf("/%d", n+1), http.StatusFound)
				return
			}
			fmt.Fprint(w, "arrived")
		}, Options{}, "arrived"},
		{"eleven-redirects", func(w http.ResponseWriter, r *http.Request) {
			var n int
			fmt.Sscanf(r.URL.Path, "/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/%d", n+1), http.StatusFound)
		}, Options{}, "error: more than 10 redirects"},
		{"503-too-long", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(503)
		}, Options{}, "error: HTTP 503 Service Unavailable (the server asks to retry after 1h0m0s)"},
		{"429-twice", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
		}, Options{}, "error: HTTP 429 Too Many Requests"},
		{"timeout-headers", func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, Options{Timeout: 200 * time.Millisecond}, "error: timed out after 200ms"},
		{"timeout-body", func(w http.ResponseWriter, r *http.Request) {
			w.Write(text[:100])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, Options{Timeout: 200 * time.Millisecond}, "error: timed out after 200ms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := serve(t, c.handler)
			start := time.Now()
			resp, err := New(c.opts).Get(context.Background(), u+"/a", nil)
			got := ""
			if err != nil {
				got = "error: " + err.Error()
			} else {
				got = string(resp.Body)
			}
			if !strings.HasPrefix(got, c.want) || !strings.HasPrefix(c.want, "error: ") && got != c.want {
				t.Errorf("got  %.200q\nwant %.200q", got, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestRetryAfter checks the one retry of a 429, after the wait asked.
func TestRetryAfter(t *testing.T) {
	var hits atomic.Int32
	var first time.Time
	u := serve(t, func(w http.ResponseWriter, _ *http.Request) {
		if hits.Add(1) == 1 {
			first = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprintf(w, "%s", time.Since(first).Round(100*time.Millisecond))
	})
	resp, err := New(Options{}).Get(context.Background(), u, nil)
	if err != nil {
		t.Fatal(err)
	}
	waited, _ := time.ParseDuration(string(resp.Body))
	if hits.Load() != 2 || waited < 900*time.Millisecond || waited > 3*time.Second {
		t.Errorf("%d requests, retried after %s; want 2, after about 1s", hits.Load(), waited)
	}
}

// TestNotModifiedAndHeaders checks that request headers reach the server,
// that a 304 comes back as such with no body, and that the Content-Type
// (charset and all) is kept for the caller.
func TestNotModifiedAndHeaders(t *testing.T) {
	u := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=ISO-8859-1")
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, r.Header.Get("Accept"))
	})
	c := New(Options{})
	resp, err := c.Get(context.Background(), u, http.Header{"Accept": {"application/atom+xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "application/atom+xml" || resp.ContentType != "application/atom+xml; charset=ISO-8859-1" || resp.NotModified() {
		t.Errorf("body %q, content type %q, not modified %v", resp.Body, resp.ContentType, resp.NotModified())
	}
	resp, err = c.Get(context.Background(), u, http.Header{"If-None-Match": {resp.Header.Get("ETag")}})
	if err != nil || !resp.NotModified() || len(resp.Body) != 0 {
		t.Errorf("conditional: %v, %+v", err, resp)
	}
}

// TestLyingContentLength checks that a server announcing 2 GB and sending
// a few bytes costs no memory: the client never allocates from the header.
func TestLyingContentLength(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			conn.Read(buf)
			fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\nContent-Type: text/xml\r\n\r\n<feed>")
			conn.Close()
		}
	}()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = New(Options{MaxBytes: 4 << 30}).Get(context.Background(), "http://"+ln.Addr().String()+"/", nil)
	runtime.ReadMemStats(&after)
	if err == nil || err.Error() != "body cut short: 6 of the 2147483648 bytes announced" {
		t.Errorf("error %v", err)
	}
	grew := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for the request", grew>>10)
	if grew > 16<<20 {
		t.Errorf("allocated %d MiB for a 6-byte body", grew>>20)
	}
}

// TestConnectTimeout checks that a connection that is never made reports
// the connect timeout, not the request's.
func TestConnectTimeout(t *testing.T) {
	c := New(Options{ConnectTimeout: 100 * time.Millisecond, Timeout: 5 * time.Second})
	// A dial that hangs until it is given up, as to a host that drops
	// SYNs; the connect timeout is the client's own, around this dial.
	c.dial = func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	start := time.Now()
	_, err := c.Get(context.Background(), "http://192.0.2.1/feed", nil)
	if err == nil || err.Error() != "could not connect within 100ms (the connect timeout)" {
		t.Errorf("error %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s; the connect timeout is 100ms", d)
	}
}

// TestTLSHandshakeTimeout checks a server that accepts the connection but
// never answers the TLS handshake: the connect timeout is named.
func TestTLSHandshakeTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	accepted := make(chan net.Conn, 4)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted <- conn
		}
	}()
	_, err = New(Options{ConnectTimeout: 150 * time.Millisecond, Timeout: 5 * time.Second}).
		Get(context.Background(), "https://"+ln.Addr().String()+"/", nil)
	for len(accepted) > 0 {
		conns = append(conns, <-accepted)
	}
	if err == nil || err.Error() != "TLS handshake not done within 150ms (the connect timeout)" {
		t.Errorf("error %v", err)
	}
}

// TestRefused checks a port nobody listens on.
func TestRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	_, err := New(Options{}).Get(context.Background(), u, nil)
	if err == nil || err.Error() != "cannot connect: connection refused" {
		t.Errorf("error %v", err)
	}
	var se *StatusError
	if errors.As(err, &se) {
		t.Errorf("a refused connection is not a status")
	}
}

// TestStreamClient checks the stream client keeps the policy: the
// User-Agent, the redirect bound, and no overall timeout cutting a slow
// stream short.
func TestStreamClient(t *testing.T) {
	u := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/loop" {
			http.Redirect(w, r, "/loop2", http.StatusFound)
			return
		}
		if r.URL.Path == "/loop2" {
			http.Redirect(w, r, "/loop", http.StatusFound)
			return
		}
		fmt.Fprintf(w, "data: %s\n\n", r.Header.Get("User-Agent"))
		w.(http.Flusher).Flush()
		time.Sleep(300 * time.Millisecond)
		fmt.Fprint(w, "data: end\n\n")
	})
	hc := New(Options{UserAgent: UserAgent("9"), Timeout: 100 * time.Millisecond}).StreamClient()
	resp, err := hc.Get(u + "/stream")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(body) != "data: wikifeed/9 (https://github.com/wikifeed/wikifeed)\n\ndata: end\n\n" {
		t.Errorf("body %q, %v", body, err)
	}
	if _, err := hc.Get(u + "/loop"); err == nil || !strings.Contains(err.Error(), "redirect loop at") {
		t.Errorf("loop: %v", err)
	}
}

// roundTripFunc is a RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWrapTransport(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	var seen []string
	c := New(Options{WrapTransport: func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			seen = append(seen, r.URL.Path)
			return rt.RoundTrip(r)
		})
	}})
	resp, err := c.Get(context.Background(), srv.URL+"/a", nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "ok" || len(seen) != 1 || seen[0] != "/a" {
		t.Errorf("body %q, wrapped transport saw %v", resp.Body, seen)
	}
}
