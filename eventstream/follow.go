// Package eventstream follows a stream of wiki changes: Wikimedia's
// EventStreams (server-sent events, one mediawiki/recentchange event each)
// or any server that speaks the same.
//
// A Follower reads the stream, decodes each event into a Change, drops
// repeats and what its Filter rejects, and hands the rest to a sink, in
// order, from the goroutine that called Run. The sink must not block for
// long: pair a Batcher (nothing dropped, written in batches) for a store with
// a Queue (bounded, drops the oldest and counts) for a display.
//
//	f, err := eventstream.New(eventstream.Options{Filter: eventstream.Filter{Wikis: []string{"enwiki"}}})
//	if err != nil { ... }
//	q := eventstream.NewQueue(1000)
//	go f.Run(ctx, func(c eventstream.Change) { q.Push(c) })
//	for range q.Ready() {
//		for _, c := range q.Take(nil) { fmt.Println(c.Title) }
//	}
//
// When the connection drops, or the server ends it (EventStreams does every
// 15 minutes or so), the Follower reconnects with exponential backoff and
// sends Last-Event-ID, so the stream resumes after the last event it had.
// A server that answers 429 or 503 with Retry-After is left alone that long
// instead (five minutes at most).
// The server-sent-events protocol is read by github.com/tmaxmax/go-sse.
//
// eventstream imports no other wikifeed package; the core maps a Change
// into its own types.
package eventstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	sse "github.com/tmaxmax/go-sse"
)

// Tunables.
const (
	// DefaultURL is Wikimedia's stream of every change of every wiki.
	DefaultURL = "https://stream.wikimedia.org/v2/stream/recentchange"
	// DefaultMinBackoff is the first wait before reconnecting; it grows by
	// backoffMultiplier each failed attempt, up to DefaultMaxBackoff, and
	// starts again at DefaultMinBackoff once a connection succeeds.
	DefaultMinBackoff = 100 * time.Millisecond
	// DefaultMaxBackoff caps the wait between reconnection attempts.
	DefaultMaxBackoff = 30 * time.Second
	// backoffMultiplier is how much each wait grows.
	backoffMultiplier = 1.5
	// backoffJitter varies each wait by up to ±20 %, so that many clients
	// cut off together do not come back together.
	backoffJitter = 0.2
	// DefaultMaxRetryAfter caps the wait a server's Retry-After asks for
	// (a 429 or 503 answer): a longer one is taken for a mistake, and the
	// stream tried again after this long.
	DefaultMaxRetryAfter = 5 * time.Minute
	// DefaultIdleTimeout is how long a connection may send nothing at all
	// before it is taken for dead and made anew.
	DefaultIdleTimeout = 60 * time.Second
	// DefaultMaxEventBytes is the largest event read, in bytes (a
	// recentchange event is about 1 KiB; long summaries make a few); a
	// larger one is skipped, with a warning.
	DefaultMaxEventBytes = 1 << 20
	// dedupWindow is how many recent meta.ids are remembered to drop
	// repeats; a resume repeats at most a few seconds of events.
	dedupWindow = 1 << 14
	// headerTimeout bounds the wait for the response's headers.
	headerTimeout = 30 * time.Second
)

// Options configure a Follower. The zero value follows DefaultURL.
type Options struct {
	// URL is the stream; "" means DefaultURL.
	URL string
	// HTTPClient sends the requests; nil means a client of the package's
	// own. Its Timeout is ignored (a stream does not end): IdleTimeout
	// stands in for it.
	HTTPClient *http.Client
	// UserAgent is sent with every request, as Wikimedia's policy asks.
	UserAgent string
	// Since, if set, starts the stream at that time rather than now (the
	// since query parameter EventStreams takes; it keeps a few days).
	Since time.Time
	// LastEventID, if set, resumes after that event; it wins over Since.
	LastEventID string
	// Filter chooses the changes handed to the sink.
	Filter Filter
	// MinBackoff and MaxBackoff bound the waits between reconnection
	// attempts; 0 means DefaultMinBackoff and DefaultMaxBackoff.
	MinBackoff, MaxBackoff time.Duration
	// MaxRetryAfter caps the wait a Retry-After header asks for; 0 means
	// DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	// IdleTimeout: 0 means DefaultIdleTimeout, a negative value none.
	IdleTimeout time.Duration
	// MaxEventBytes is the largest event read, in bytes, as sent (its
	// field names and line ends included); a larger one is skipped with a
	// *TooLargeError. 0 means DefaultMaxEventBytes.
	MaxEventBytes int
	// Warn, if set, is told of each problem the Follower goes on after: a
	// *MalformedError for an event skipped, a *TooLargeError for one
	// skipped for its size, a *RetryError before each reconnection. It is
	// called from Run's goroutine and must not block.
	Warn func(error)
}

// Stats counts what a Follower has seen. The counts only grow.
type Stats struct {
	// Events is how many server-sent events were read.
	Events int64
	// Changes is how many changes were handed to the sink.
	Changes int64
	// Filtered is how many changes the filter rejected.
	Filtered int64
	// Duplicates is how many changes were dropped as seen before.
	Duplicates int64
	// Malformed is how many events were skipped as not recentchange events.
	Malformed int64
	// TooLarge is how many events were skipped as larger than
	// MaxEventBytes (not counted in Events).
	TooLarge int64
	// Skipped is how many events were neither changes nor malformed:
	// canaries, empty events, events of other types.
	Skipped int64
	// Connects is how many times a connection was made; Reconnects how many
	// times one was tried again after a failure or a drop.
	Connects, Reconnects int64
	// LastEventID is the id of the last event read ("" before any).
	LastEventID string
}

// MalformedError is an event skipped because it could not be decoded.
type MalformedError struct {
	// EventID is the last event id the stream had given (may be "").
	EventID string
	// Err is what was wrong.
	Err error
}

// Error names the problem.
func (e *MalformedError) Error() string {
	return "skipped a malformed event: " + e.Err.Error()
}

// Unwrap returns the problem.
func (e *MalformedError) Unwrap() error { return e.Err }

// RetryError is a connection lost or refused, to be tried again.
type RetryError struct {
	// Err is why.
	Err error
	// Wait is how long until the next attempt.
	Wait time.Duration
}

// Error says what happened and when the next attempt is.
func (e *RetryError) Error() string {
	return fmt.Sprintf("%s; reconnecting in %s", e.Err, e.Wait.Round(time.Millisecond))
}

// Unwrap returns why.
func (e *RetryError) Unwrap() error { return e.Err }

// Follower follows one stream. Make one with New; Run it once.
type Follower struct {
	opts   Options
	url    *url.URL
	client *http.Client

	events, changes, filtered, duplicates, malformed, tooLarge, skipped atomic.Int64
	connects, reconnects                                                atomic.Int64

	mu     sync.Mutex
	lastID string // the last event id read, for Last-Event-ID

	seen seenSet // only Run's goroutine touches it
}

// New checks the options and makes a Follower.
func New(opts Options) (*Follower, error) {
	if opts.URL == "" {
		opts.URL = DefaultURL
	}
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("stream %q: not an http(s) URL", opts.URL)
	}
	if !opts.Since.IsZero() {
		q := u.Query()
		q.Set("since", opts.Since.UTC().Format(time.RFC3339))
		u.RawQuery = q.Encode()
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = DefaultMinBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	opts.MaxBackoff = max(opts.MaxBackoff, opts.MinBackoff)
	if opts.MaxRetryAfter <= 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.MaxEventBytes <= 0 {
		opts.MaxEventBytes = DefaultMaxEventBytes
	}
	f := &Follower{opts: opts, url: u, lastID: opts.LastEventID, seen: newSeenSet(dedupWindow)}
	var base http.RoundTripper
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		f.client = &c
		base = c.Transport
	} else {
		f.client = &http.Client{}
	}
	if base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.ResponseHeaderTimeout = headerTimeout
		base = t
	}
	f.client.Timeout = 0
	f.client.Transport = &transport{base: base, f: f}
	return f, nil
}

// URL is the stream's URL as first requested (with since, if set).
func (f *Follower) URL() string { return f.url.String() }

// Stats returns the counts so far; safe to call while Run runs.
func (f *Follower) Stats() Stats {
	return Stats{
		Events:      f.events.Load(),
		Changes:     f.changes.Load(),
		Filtered:    f.filtered.Load(),
		Duplicates:  f.duplicates.Load(),
		Malformed:   f.malformed.Load(),
		TooLarge:    f.tooLarge.Load(),
		Skipped:     f.skipped.Load(),
		Connects:    f.connects.Load(),
		Reconnects:  f.reconnects.Load(),
		LastEventID: f.lastEventID(),
	}
}

func (f *Follower) lastEventID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lastID
}

func (f *Follower) setLastEventID(id string) {
	f.mu.Lock()
	f.lastID = id
	f.mu.Unlock()
}

// Run follows the stream until ctx is done, handing each change that passes
// the filter to sink, in the stream's order, from Run's goroutine. It
// reconnects after drops; it returns nil once ctx is done, or an error when
// the server refuses the stream for good (a 4xx status, a response that is
// not text/event-stream).
func (f *Follower) Run(ctx context.Context, sink func(Change)) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.url.String(), nil)
	if err != nil {
		return fmt.Errorf("stream %s: %w", f.url, err)
	}
	client := &sse.Client{
		HTTPClient: f.client,
		OnRetry: func(err error, wait time.Duration) {
			f.reconnects.Add(1)
			f.warn(&RetryError{Err: connectionCause(err), Wait: wait})
		},
		ResponseValidator: func(r *http.Response) error {
			if err := sse.DefaultValidator(r); err != nil {
				return err
			}
			f.connects.Add(1)
			return nil
		},
		Backoff: sse.Backoff{
			InitialInterval: f.opts.MinBackoff,
			Multiplier:      backoffMultiplier,
			Jitter:          backoffJitter,
			MaxInterval:     f.opts.MaxBackoff,
		},
	}
	conn := client.NewConnection(req)
	// sizeLimiter lets no event larger than MaxEventBytes through; the
	// scanner's own limit, just above, is never reached.
	conn.Buffer(nil, f.opts.MaxEventBytes+scannerSlack)
	conn.SubscribeToAll(func(ev sse.Event) { f.handle(ev, sink) })
	err = conn.Connect()
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("stream %s: %w", f.url, connectionCause(err))
}

// connectionCause unwraps go-sse's ConnectionError to "reason: cause".
func connectionCause(err error) error {
	var ce *sse.ConnectionError
	if errors.As(err, &ce) {
		if ce.Err == nil || errors.Is(ce.Err, io.EOF) {
			return errors.New(ce.Reason)
		}
		return fmt.Errorf("%s: %w", ce.Reason, ce.Err)
	}
	return err
}

func (f *Follower) warn(err error) {
	if f.opts.Warn != nil {
		f.opts.Warn(err)
	}
}

// handle turns one server-sent event into a change for sink, or counts why
// not.
func (f *Follower) handle(ev sse.Event, sink func(Change)) {
	f.setLastEventID(ev.LastEventID)
	if ev.Type == tooLargeType {
		size, _ := strconv.Atoi(ev.Data)
		f.tooLarge.Add(1)
		f.warn(&TooLargeError{EventID: ev.LastEventID, Size: size, Limit: f.opts.MaxEventBytes})
		return
	}
	f.events.Add(1)
	switch {
	case ev.Type == "error":
		// KafkaSSE reports its own failures as events of type error.
		f.skipped.Add(1)
		f.warn(&MalformedError{EventID: ev.LastEventID, Err: fmt.Errorf("the server sent an error event: %.200q", ev.Data)})
		return
	case ev.Type != "" && ev.Type != "message", ev.Data == "":
		f.skipped.Add(1)
		return
	}
	c, err := Decode([]byte(ev.Data))
	if errors.Is(err, errCanary) {
		f.skipped.Add(1)
		return
	}
	if err != nil {
		f.malformed.Add(1)
		f.warn(&MalformedError{EventID: ev.LastEventID, Err: err})
		return
	}
	if c.ID != "" && !f.seen.add(c.ID) {
		f.duplicates.Add(1)
		return
	}
	if !f.opts.Filter.Match(&c) {
		f.filtered.Add(1)
		return
	}
	c.EventID = ev.LastEventID
	f.changes.Add(1)
	sink(c)
}

// seenSet remembers the last n IDs added, to drop repeats.
type seenSet struct {
	ring []string
	next int
	set  map[string]struct{}
}

func newSeenSet(n int) seenSet {
	return seenSet{ring: make([]string, n), set: make(map[string]struct{}, n)}
}

// add records id and reports whether it was new.
func (s *seenSet) add(id string) bool {
	if _, ok := s.set[id]; ok {
		return false
	}
	if old := s.ring[s.next]; old != "" {
		delete(s.set, old)
	}
	s.ring[s.next] = id
	s.set[id] = struct{}{}
	s.next = (s.next + 1) % len(s.ring)
	return true
}
