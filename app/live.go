package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
)

// Live tunables.
const (
	// LiveQueueSize is how many changes wait for a slow display before the
	// oldest are dropped (and counted); the store, when there is one, gets
	// every change.
	LiveQueueSize = 4096
	// maxSince is how far back --since may go: EventStreams keeps about
	// seven days.
	maxSince = 7 * 24 * time.Hour
)

// LiveOptions are what a front-end was told about a live stream, as given.
// NewLive checks them, so that both front-ends reject the same mistakes
// with the same words.
type LiveOptions struct {
	// Stream is the EventStreams URL; "" means Wikimedia's recentchange.
	Stream string
	// Wikis are wiki IDs (enwiki) or URLs; entries may hold several,
	// comma-separated.
	Wikis []string
	// Namespaces are namespace numbers, comma-separated lists allowed.
	Namespaces []string
	// Types are change types: edit, new, log, categorize.
	Types []string
	// Bot and Minor filter on those flags.
	Bot, Minor eventstream.Flag
	// Users are user names or IP addresses.
	Users []string
	// Title is a regular expression (RE2) a title must match; "" is none.
	Title string
	// Since is --since as given: a time (2026-12-01T22:00:00Z,
	// 2026-12-01 22:00, 2026-12-01) or how long ago (10m, 2h); "" is now.
	Since string
	// Now is the current time for Since; nil means time.Now.
	Now func() time.Time
	// HTTP sends the stream's requests; nil means eventstream's own.
	HTTP *http.Client
	// UserAgent is sent with the stream's requests.
	UserAgent string
	// Save, if set, is given every change, in batches, from a goroutine of
	// its own (the store); nothing is dropped on its way.
	Save func([]*feed.Revision) error
	// Warn, if set, is told of problems the stream goes on after
	// (malformed events, reconnections, failed saves). It must not block.
	Warn func(error)
	// QueueSize bounds the display queue; 0 means LiveQueueSize.
	QueueSize int
}

// OptionError is a bad live option; its message names the flag.
type OptionError struct {
	// Flag is the option's flag name, without dashes.
	Flag string
	// Err is what is wrong.
	Err error
}

// Error returns "--flag: problem".
func (e *OptionError) Error() string { return "--" + e.Flag + ": " + e.Err.Error() }

// Unwrap returns the problem.
func (e *OptionError) Unwrap() error { return e.Err }

// Live follows a stream of changes for a front-end: each change goes to
// Save (lossless, batched) and to a bounded display queue (lossy, counted),
// so that neither the store nor a slow terminal holds up the reader.
type Live struct {
	follower *eventstream.Follower
	queue    *eventstream.Queue
	batcher  *eventstream.Batcher // nil without Save
	// buf is reused by Take.
	mu  sync.Mutex
	buf []eventstream.Change
}

// LiveStats counts what a Live has done.
type LiveStats struct {
	eventstream.Stats
	// Dropped is how many changes the display queue dropped because the
	// display was too slow (all of them went to Save).
	Dropped int64
	// Saved and SaveFailed count the changes Save took and those in
	// batches it failed; Stalls how often the reader waited for it.
	Saved, SaveFailed, Stalls int64
}

// NewLive checks opts and makes a Live; Run starts it.
func NewLive(opts LiveOptions) (*Live, error) {
	filter, err := liveFilter(opts)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	since, err := ParseSince(opts.Since, now())
	if err != nil {
		return nil, &OptionError{Flag: "since", Err: err}
	}
	f, err := eventstream.New(eventstream.Options{
		URL:        opts.Stream,
		HTTPClient: opts.HTTP,
		UserAgent:  opts.UserAgent,
		Since:      since,
		Filter:     filter,
		Warn:       opts.Warn,
	})
	if err != nil {
		return nil, &OptionError{Flag: "stream", Err: err}
	}
	l := &Live{follower: f, queue: eventstream.NewQueue(cmpOr(opts.QueueSize, LiveQueueSize))}
	if opts.Save != nil {
		save := opts.Save
		l.batcher = eventstream.NewBatcher(func(cs []eventstream.Change) error {
			revs := make([]*feed.Revision, len(cs))
			for i, c := range cs {
				revs[i] = RevisionOf(c)
			}
			return save(revs)
		}, opts.Warn, 0)
	}
	return l, nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// liveFilter builds the stream's filter from the options.
func liveFilter(opts LiveOptions) (eventstream.Filter, error) {
	var f eventstream.Filter
	for _, w := range splitList(opts.Wikis) {
		if err := eventstream.CheckWiki(w); err != nil {
			return f, &OptionError{Flag: "wiki", Err: err}
		}
		f.Wikis = append(f.Wikis, w)
	}
	for _, s := range splitList(opts.Namespaces) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return f, &OptionError{Flag: "namespace", Err: fmt.Errorf("%q is not a namespace number (0 articles, 1 talk, 2 user, 4 project, 6 file, 14 category…)", s)}
		}
		f.Namespaces = append(f.Namespaces, n)
	}
	for _, s := range splitList(opts.Types) {
		switch s = strings.ToLower(s); s {
		case eventstream.TypeEdit, eventstream.TypeNew, eventstream.TypeLog, eventstream.TypeCategorize:
		default:
			if _, err := strconv.Atoi(s); err != nil { // extensions' types are numbers
				return f, &OptionError{Flag: "type", Err: fmt.Errorf("%q is not a change type: edit, new, log or categorize", s)}
			}
		}
		f.Types = append(f.Types, s)
	}
	f.Bot, f.Minor = opts.Bot, opts.Minor
	f.Users = splitList(opts.Users)
	if opts.Title != "" {
		re, err := regexp.Compile(opts.Title)
		if err != nil {
			return f, &OptionError{Flag: "title", Err: err}
		}
		f.Title = re
	}
	return f, nil
}

// splitList splits comma-separated entries and drops empty ones.
func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for p := range strings.SplitSeq(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// ParseSince reads --since: "" (now: the zero time), a duration ago (90s,
// 10m, 2h), or a time in UTC unless it says otherwise (RFC 3339,
// "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"). A time in the
// future or more than seven days ago (what EventStreams keeps) is an error.
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	var t time.Time
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("%q: a duration ago is positive", s)
		}
		t = now.Add(-d)
	} else {
		var ok bool
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
			if t, err = time.ParseInLocation(layout, s, time.UTC); err == nil {
				ok = true
				break
			}
		}
		if !ok {
			return time.Time{}, fmt.Errorf("%q is neither a time (2026-12-01T22:00:00Z, 2026-12-01 22:00) nor a duration ago (10m, 2h)", s)
		}
	}
	switch {
	case t.After(now.Add(time.Minute)):
		return time.Time{}, fmt.Errorf("%s is in the future", t.UTC().Format(time.RFC3339))
	case now.Sub(t) > maxSince:
		return time.Time{}, fmt.Errorf("%s is more than seven days ago; the stream keeps no more", t.UTC().Format(time.RFC3339))
	}
	return t.UTC(), nil
}

// Run follows the stream until ctx is done (then it returns nil, after the
// last save) or the server refuses it for good.
func (l *Live) Run(ctx context.Context) error {
	err := l.follower.Run(ctx, func(c eventstream.Change) {
		if l.batcher != nil {
			l.batcher.Add(c)
		}
		l.queue.Push(c)
	})
	if l.batcher != nil {
		l.batcher.Close()
	}
	return err
}

// Ready has a value when changes wait for Take.
func (l *Live) Ready() <-chan struct{} { return l.queue.Ready() }

// Take appends the waiting changes to dst, oldest first, as revisions.
func (l *Live) Take(dst []*feed.Revision) []*feed.Revision {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = l.queue.Take(l.buf[:0])
	for _, c := range l.buf {
		dst = append(dst, RevisionOf(c))
	}
	clear(l.buf)
	return dst
}

// Stats returns the counts so far.
func (l *Live) Stats() LiveStats {
	s := LiveStats{Stats: l.follower.Stats(), Dropped: l.queue.Dropped()}
	if l.batcher != nil {
		s.Saved, s.SaveFailed, s.Stalls = l.batcher.Written(), l.batcher.Failed(), l.batcher.Stalls()
	}
	return s
}

// URL is the stream's URL, as first requested.
func (l *Live) URL() string { return l.follower.URL() }

// RevisionOf maps a change into the feed model, so that a live change
// lists, prints as JSON and diffs as a feed's revision does. Source is the
// wiki's ID (or server URL); an edit's ChangesURL is the wiki's diff link,
// from which the API is found, so the diff comes from the wiki.
func RevisionOf(c eventstream.Change) *feed.Revision {
	r := &feed.Revision{
		Page:     c.Title,
		ID:       c.NewRevision,
		ParentID: c.OldRevision,
		User:     c.User,
		Time:     c.Time,
		Comment:  c.Comment,
		Log:      c.Type == eventstream.TypeLog,
		NewPage:  c.Type == eventstream.TypeNew,
		Kind:     feed.BodyEmpty,
		Size:     -1,
		Source:   c.Wiki,
		URL:      c.TitleURL,
		EntryID:  c.ID,
	}
	if r.Source == "" {
		r.Source = c.ServerURL
	}
	if c.HasLength {
		r.Size = c.NewLength
		r.SizeChange, r.HasSizeChange = c.SizeChange()
	}
	if c.ServerURL != "" {
		r.BaseURL = strings.TrimRight(c.ServerURL, "/") + "/"
	}
	if index := indexURL(c); index != "" && r.ID != 0 {
		r.Kind = feed.BodyChangesLink
		if r.ParentID != 0 {
			r.ChangesURL = fmt.Sprintf("%s?diff=%d&oldid=%d", index, r.ID, r.ParentID)
		} else {
			r.ChangesURL = fmt.Sprintf("%s?oldid=%d", index, r.ID)
		}
		r.URL = r.ChangesURL
	}
	return r
}

// indexURL is the wiki's index.php, "" when the change names no server.
func indexURL(c eventstream.Change) string {
	api := c.APIURL()
	if api == "" {
		return ""
	}
	return strings.TrimSuffix(api, "api.php") + "index.php"
}

// OneRequestPerHost wraps a round tripper so that at most one request at
// a time goes to each host (Wikimedia's API etiquette asks for requests in
// series): a request waits for the one before it to the same host, or for
// its context. A request holds its host until its response's body is
// closed (or read to the end), since the answer is still coming till then.
func OneRequestPerHost(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &perHost{rt: rt, hosts: map[string]chan struct{}{}}
}

type perHost struct {
	rt    http.RoundTripper
	mu    sync.Mutex
	hosts map[string]chan struct{} // a one-slot semaphore per host
}

func (p *perHost) slot(host string) chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.hosts[host]
	if s == nil {
		s = make(chan struct{}, 1)
		p.hosts[host] = s
	}
	return s
}

// RoundTrip waits for the host's slot, then sends r.
func (p *perHost) RoundTrip(r *http.Request) (*http.Response, error) {
	s := p.slot(strings.ToLower(r.URL.Host))
	select {
	case s <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	resp, err := p.rt.RoundTrip(r)
	if err != nil {
		<-s
		return nil, err
	}
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { <-s }}
	return resp, nil
}

// releaseBody gives its host's slot back once, when closed or read to the
// end.
type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

// Read reads, and gives the slot back at the end of the body.
func (b *releaseBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.once.Do(b.release)
	}
	return n, err
}

// Close closes the body and gives the slot back.
func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// Dropped is how many changes the display queue let go because the
// display was too slow (Save had them all).
func (l *Live) Dropped() int64 { return l.queue.Dropped() }
