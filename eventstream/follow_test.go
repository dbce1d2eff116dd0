package eventstream

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector is a sink that keeps every change and says when it has n.
type collector struct {
	mu      sync.Mutex
	changes []Change
	want    int
	done    chan struct{}
}

func newCollector(want int) *collector {
	return &collector{want: want, done: make(chan struct{})}
}

func (c *collector) add(ch Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.changes = append(c.changes, ch)
	if len(c.changes) == c.want {
		close(c.done)
	}
}

func (c *collector) all() []Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.changes)
}

// follow runs a Follower on opts until want changes came (then it lets it
// run a little longer, to catch extra ones) or the timeout; it returns the
// changes, the stats and the warnings.
func follow(t *testing.T, opts Options, want int, timeout time.Duration) ([]Change, Stats, []error) {
	t.Helper()
	var mu sync.Mutex
	var warnings []error
	opts.Warn = func(err error) {
		mu.Lock()
		warnings = append(warnings, err)
		mu.Unlock()
	}
	f, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	col := newCollector(want)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx, col.add) }()
	select {
	case <-col.done:
		time.Sleep(50 * time.Millisecond)
	case err := <-errc:
		cancel()
		t.Fatalf("Run returned %v after %d changes, want %d", err, len(col.all()), want)
	case <-time.After(timeout):
		t.Errorf("timed out with %d changes, want %d", len(col.all()), want)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Errorf("Run after cancel = %v, want nil", err)
	}
	mu.Lock()
	defer mu.Unlock()
	return col.all(), f.Stats(), slices.Clone(warnings)
}

// wantOffsets is the offsets of all the recorded events, in order.
func wantOffsets(t *testing.T) []int64 {
	var out []int64
	for _, e := range recorded(t) {
		out = append(out, metaOffset(t, e))
	}
	return out
}

func TestFollowDecodesRecordedEvents(t *testing.T) {
	srv := newReplayServer(t, framesOf(t, recorded(t)))
	changes, st, warnings := follow(t, Options{URL: srv.URL, UserAgent: "wikifeed-test"}, 100, 10*time.Second)
	if !slices.Equal(offsets(t, changes), wantOffsets(t)) {
		t.Fatalf("offsets differ from the recording's order")
	}
	if len(warnings) != 0 || st.Malformed != 0 || st.Changes != 100 || st.Events != 100 || st.Connects != 1 {
		t.Errorf("stats %+v, warnings %v", st, warnings)
	}
	// The first recorded event, field by field.
	c := changes[0]
	want := Change{
		ID:             "0416300b-980c-45bb-b0a2-c9d7a9e2b7eb",
		EventID:        kafkaID(4820784717),
		Time:           time.Unix(1690617099, 0).UTC(),
		Wiki:           "enwiki",
		ServerURL:      "https://en.wikipedia.org",
		ScriptPath:     "/w",
		Domain:         "en.wikipedia.org",
		Title:          "EFL Championship",
		TitleURL:       "https://en.wikipedia.org/wiki/EFL_Championship",
		Namespace:      0,
		Type:           TypeEdit,
		User:           "87.12.215.232",
		Comment:        "/* League champions, runners-up and play-off finalists */",
		OldRevision:    1166824248,
		NewRevision:    1167689309,
		OldLength:      91108,
		NewLength:      91166,
		HasLength:      true,
		RecentChangeID: 1659529639,
	}
	want.ParsedComment = c.ParsedComment // long HTML, checked below
	if c != want {
		t.Errorf("first change\n got %+v\nwant %+v", c, want)
	}
	if !strings.HasPrefix(c.ParsedComment, `<span dir="auto"><span class="autocomment"><a href="/wiki/EFL_Championship#League_champions`) {
		t.Errorf("parsedcomment %q", c.ParsedComment)
	}
	if d, ok := c.SizeChange(); !ok || d != 58 {
		t.Errorf("SizeChange = %d, %v; want 58, true", d, ok)
	}
	if got := c.APIURL(); got != "https://en.wikipedia.org/w/api.php" {
		t.Errorf("APIURL = %q", got)
	}
	if ua := srv.seen()[0].Header.Get("User-Agent"); ua != "wikifeed-test" {
		t.Errorf("User-Agent %q", ua)
	}
}

// TestReconnectResumesWithLastEventID drops the connection five times, in
// the middle of an event and cleanly, and checks that every event arrives
// once, in order, and that each reconnection named the last whole event.
func TestReconnectResumesWithLastEventID(t *testing.T) {
	frames := framesOf(t, recorded(t))
	srv := newReplayServer(t, frames,
		connPlan{events: 7, partial: true},
		connPlan{events: 13},
		connPlan{events: 1, partial: true},
		connPlan{events: 0, partial: true}, // the cut frame is the first
		connPlan{events: 40},
		connPlan{events: -1},
	)
	changes, st, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 20*time.Second)
	if got := offsets(t, changes); !slices.Equal(got, wantOffsets(t)) {
		t.Fatalf("got %d changes, offsets %v", len(got), got)
	}
	reqs := srv.seen()
	if len(reqs) != 6 {
		t.Fatalf("%d requests, want 6", len(reqs))
	}
	// Events sent whole before each drop: 7, 13, 1, 0, 40.
	last := []int{-1, 6, 19, 20, 20, 60}
	for i, r := range reqs {
		want := ""
		if last[i] >= 0 {
			want = frames[last[i]].id
		}
		if got := r.Header.Get("Last-Event-ID"); got != want {
			t.Errorf("request %d: Last-Event-ID %q, want %q", i, got, want)
		}
	}
	if st.Reconnects != 5 || st.Connects != 6 || st.Duplicates != 0 {
		t.Errorf("stats %+v", st)
	}
	var retries int
	for _, w := range warnings {
		var re *RetryError
		if errors.As(w, &re) {
			retries++
		}
	}
	if retries != 5 {
		t.Errorf("%d retry warnings, want 5: %v", retries, warnings)
	}
}

// TestResumeRepeatsAreDropped: a server that resends the five events before
// the one asked for (as a resume by timestamp does) repeats nothing.
func TestResumeRepeatsAreDropped(t *testing.T) {
	srv := newReplayServer(t, framesOf(t, recorded(t)),
		connPlan{events: 30},
		connPlan{events: 30, rewind: 5},
		connPlan{events: -1, rewind: 5},
	)
	changes, st, _ := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if !slices.Equal(offsets(t, changes), wantOffsets(t)) {
		t.Fatalf("changes differ from the recording")
	}
	if st.Duplicates != 10 {
		t.Errorf("Duplicates = %d, want 10", st.Duplicates)
	}
}

// TestMalformedEventsSkipped sends broken events between real ones: each
// is skipped with a warning and counted, and every real event still comes.
func TestMalformedEventsSkipped(t *testing.T) {
	events := recorded(t)
	srv := newReplayServer(t, framesOf(t, events), connPlan{events: 50}, connPlan{events: -1})
	half := string(events[3][:len(events[3])/2])
	srv.extra = map[int]string{
		1:  "event: message\ndata: not json at all\n\n",
		2:  "data: " + half + "\n\n",                        // cut short
		3:  "data: {\"type\": 7}\n\n",                       // wrong type
		4:  "data: {\"type\":\"edit\",\"title\":\"x\"}\n\n", // no wiki, no time
		5:  "data: []\n\n",
		6:  "data: {\"type\":\"edit\",\"title\":\"x\",\"wiki\":\"enwiki\",\"meta\":{\"dt\":\"yesterday\"}}\n\n",
		7:  "data: {\"type\":\"edit\",\"title\":\"x\",\"wiki\":\"enwiki\",\"timestamp\":1,\"namespace\":\"main\"}\n\n",
		8:  "data: \x00\xff\xfe\n\n",
		60: "event: error\ndata: {\"message\":\"kafka hiccup\"}\n\n", // KafkaSSE's own errors
		61: "event: message\ndata:\n\n",                              // empty
		62: ": a comment\n\n",                                        // comment: nothing at all
		63: "data: {\"$schema\":\"/mediawiki/recentchange/1.0.0\",\"meta\":{\"domain\":\"canary\",\"dt\":\"2023-07-29T07:51:39Z\"},\"type\":\"edit\",\"title\":\"x\",\"wiki\":\"enwiki\"}\n\n",
	}
	changes, st, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if !slices.Equal(offsets(t, changes), wantOffsets(t)) {
		t.Fatalf("real events lost or reordered")
	}
	if st.Malformed != 8 || st.Skipped != 3 {
		t.Errorf("Malformed = %d, Skipped = %d; want 8, 3 (%+v)", st.Malformed, st.Skipped, st)
	}
	var malformed int
	for _, w := range warnings {
		var me *MalformedError
		if errors.As(w, &me) {
			malformed++
		}
	}
	if malformed != 9 { // 8 malformed and the error event
		t.Errorf("%d malformed warnings, want 9: %v", malformed, warnings)
	}
}

func TestSinceOnlyOnTheFirstRequest(t *testing.T) {
	srv := newReplayServer(t, framesOf(t, recorded(t)), connPlan{events: 10}, connPlan{events: -1})
	since := time.Date(2023, 7, 29, 7, 50, 0, 0, time.UTC)
	follow(t, Options{URL: srv.URL + "/v2/stream/recentchange", Since: since, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	reqs := srv.seen()
	if len(reqs) < 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	if got := reqs[0].URL.Query().Get("since"); got != "2023-07-29T07:50:00Z" {
		t.Errorf("first request since=%q", got)
	}
	if reqs[0].URL.Path != "/v2/stream/recentchange" {
		t.Errorf("path %q", reqs[0].URL.Path)
	}
	if reqs[1].URL.Query().Has("since") || reqs[1].Header.Get("Last-Event-ID") == "" {
		t.Errorf("resume: URL %s, Last-Event-ID %q; want no since, an id", reqs[1].URL, reqs[1].Header.Get("Last-Event-ID"))
	}
}

func TestLastEventIDOption(t *testing.T) {
	frames := framesOf(t, recorded(t))
	srv := newReplayServer(t, frames, connPlan{events: 0}, connPlan{events: -1})
	changes, _, _ := follow(t, Options{URL: srv.URL, LastEventID: frames[89].id, Since: time.Now(), MinBackoff: 10 * time.Millisecond}, 10, 10*time.Second)
	if len(changes) != 10 || changes[0].EventID != frames[90].id {
		t.Fatalf("got %d changes from %q", len(changes), changes[0].EventID)
	}
	// The first connection gave nothing; the second still names the id given.
	for i, r := range srv.seen() {
		if r.Header.Get("Last-Event-ID") != frames[89].id || r.URL.Query().Has("since") {
			t.Errorf("request %d: %s Last-Event-ID %q", i, r.URL, r.Header.Get("Last-Event-ID"))
		}
	}
}

func TestServerErrorsRetried(t *testing.T) {
	srv := newReplayServer(t, framesOf(t, recorded(t)),
		connPlan{status: http.StatusServiceUnavailable},
		connPlan{status: http.StatusTooManyRequests},
		connPlan{events: -1})
	changes, st, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if len(changes) != 100 || st.Reconnects != 2 {
		t.Errorf("%d changes, stats %+v", len(changes), st)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0].Error(), "503 Service Unavailable; reconnecting in") {
		t.Errorf("warnings %v", warnings)
	}
}

func TestClientErrorIsFinal(t *testing.T) {
	srv := newReplayServer(t, nil, connPlan{status: http.StatusNotFound})
	f, err := New(Options{URL: srv.URL + "/v2/stream/nosuch"})
	if err != nil {
		t.Fatal(err)
	}
	err = f.Run(context.Background(), func(Change) {})
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), "/v2/stream/nosuch") {
		t.Errorf("Run = %v, want an error naming the URL and 404", err)
	}
}

func TestNotAStream(t *testing.T) {
	srv := newReplayServer(t, nil)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>"))
	})
	f, _ := New(Options{URL: srv.URL})
	if err := f.Run(context.Background(), func(Change) {}); err == nil || !strings.Contains(err.Error(), "text/event-stream") {
		t.Errorf("Run = %v", err)
	}
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"ftp://x", "stream.wikimedia.org", "http://", "::"} {
		if _, err := New(Options{URL: u}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
}

// TestIdleConnectionMadeAnew: a connection that goes quiet is dropped after
// IdleTimeout and resumed.
func TestIdleConnectionMadeAnew(t *testing.T) {
	frames := framesOf(t, recorded(t))
	srv := newReplayServer(t, frames)
	var mu sync.Mutex
	n := 0
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			// Headers and ten events, then silence (a dead link says nothing).
			w.Header().Set("Content-Type", "text/event-stream")
			for _, f := range frames[:10] {
				w.Write([]byte("id: " + f.id + "\ndata: " + string(f.data) + "\n\n"))
			}
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		srv.ServeHTTP(w, r)
	})
	start := time.Now()
	changes, st, _ := follow(t, Options{URL: srv.URL, IdleTimeout: 300 * time.Millisecond, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if len(changes) != 100 || st.Reconnects != 1 {
		t.Errorf("%d changes, stats %+v", len(changes), st)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("done in %s, before the idle timeout", el)
	}
	if got := srv.seen(); len(got) != 1 || got[0].Header.Get("Last-Event-ID") != frames[9].id {
		t.Errorf("resume request: %v", got)
	}
}
