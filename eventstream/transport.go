package eventstream

import (
	"errors"
	"fmt"
	"io"
	"net/http"
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
//     backoff (it takes any answer but 200 as final);
//   - closes a body that has sent nothing for IdleTimeout, so that a
//     connection that died without a word is made anew.
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
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		_ = resp.Body.Close() // the status is the error to report
		return nil, &statusError{code: resp.StatusCode}
	}
	if d := t.f.opts.IdleTimeout; d > 0 {
		resp.Body = newIdleBody(resp.Body, d)
	}
	return resp, nil
}

// statusError is an answer worth trying again later.
type statusError struct{ code int }

func (e *statusError) Error() string {
	return fmt.Sprintf("the server answered %d %s", e.code, http.StatusText(e.code))
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
