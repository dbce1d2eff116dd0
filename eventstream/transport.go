package eventstream

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// transport is the Follower's round tripper, between go-sse and the HTTP
// client. It does what go-sse leaves to its caller:
//   - sends the User-Agent and, always, the Last-Event-ID of the last event
//     read (go-sse sends only IDs it read itself, so not one given in
//     Options before the first event);
//   - drops since from a request that resumes, as Last-Event-ID says more;
//   - turns a 5xx or 429 answer into an error, which go-sse retries with
//     backoff (it takes any answer but 200 as final), except that a 429 or
//     503 with a Retry-After is waited out here, as long as it says (up to
//     MaxRetryAfter), and the request sent again: go-sse's backoff knows
//     nothing of the header, and its wait would come on top;
//   - closes a body that has sent nothing for IdleTimeout, so that a
//     connection that died without a word is made anew;
//   - skips events larger than MaxEventBytes (sizeLimiter), which would
//     otherwise end the connection, again at every reconnection.
type transport struct {
	base http.RoundTripper
	f    *Follower
}

// RoundTrip sends r as described on transport.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if ua := t.f.opts.UserAgent; ua != "" {
		r.Header.Set("User-Agent", ua)
	}
	if id := t.f.lastEventID(); id != "" {
		r.Header.Set("Last-Event-ID", id)
	}
	if r.Header.Get("Last-Event-ID") != "" {
		if q := r.URL.Query(); q.Has("since") {
			q.Del("since")
			r.URL.RawQuery = q.Encode()
		}
	}
	for {
		resp, err := t.base.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		code := resp.StatusCode
		if code < 500 && code != http.StatusTooManyRequests {
			if d := t.f.opts.IdleTimeout; d > 0 {
				resp.Body = newIdleBody(resp.Body, d)
			}
			if code == http.StatusOK {
				resp.Body = newSizeLimiter(resp.Body, t.f.opts.MaxEventBytes)
			}
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close() // the status is the error to report
		serr := &statusError{code: code}
		wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok || (code != http.StatusTooManyRequests && code != http.StatusServiceUnavailable) {
			return nil, serr
		}
		serr.retryAfter = wait
		wait = min(wait, t.f.opts.MaxRetryAfter)
		t.f.reconnects.Add(1)
		t.f.warn(&RetryError{Err: serr, Wait: wait})
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-r.Context().Done():
			timer.Stop()
			return nil, r.Context().Err()
		}
	}
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date (then
// the time from now until it). ok is false when there is none, it cannot
// be read, or it asks for no wait at all: the usual backoff applies then.
func retryAfter(h string, now time.Time) (wait time.Duration, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil {
		if n <= 0 {
			return 0, false
		}
		// Past an hour's worth the cap applies anyway; stopping here
		// keeps the multiplication from overflowing.
		return time.Duration(min(n, 1<<20)) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil || !t.After(now) {
		return 0, false
	}
	return t.Sub(now), true
}

// statusError is an answer worth trying again later.
type statusError struct {
	code int
	// retryAfter is the wait the server asked for, 0 if it said none.
	retryAfter time.Duration
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("the server answered %d %s", e.code, http.StatusText(e.code))
	if e.retryAfter > 0 {
		s += fmt.Sprintf(" (Retry-After %s)", e.retryAfter.Round(time.Second))
	}
	return s
}

// errIdle is the read error of a connection that went quiet.
var errIdle = errors.New("the connection sent nothing for too long")

// idleBody closes the body it wraps when no Read returns for d.
type idleBody struct {
	rc       io.ReadCloser
	d        time.Duration
	timer    *time.Timer
	timedOut atomic.Bool
	once     sync.Once
}

func newIdleBody(rc io.ReadCloser, d time.Duration) *idleBody {
	b := &idleBody{rc: rc, d: d}
	b.timer = time.AfterFunc(d, func() {
		b.timedOut.Store(true)
		_ = b.rc.Close() // to end the blocked Read, which reports errIdle
	})
	return b
}

// Read reads from the body and starts the idle clock again.
func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if b.timedOut.Load() {
		return n, errIdle
	}
	b.timer.Reset(b.d)
	return n, err
}

// Close stops the clock and closes the body.
func (b *idleBody) Close() error {
	var err error
	b.once.Do(func() {
		b.timer.Stop()
		err = b.rc.Close()
	})
	return err
}
