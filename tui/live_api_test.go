package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
)

// fakeWikiAPI is a wiki's api.php for the live tests: it answers the
// revisions query that wikiapi sends (and nothing else) with a made-up
// text per revision, counts the requests and the most of them in flight
// at once.
type fakeWikiAPI struct {
	t *testing.T
	// pages are the titles of the revisions it knows, by ID.
	pages map[int64]string
	// delay is how long each answer takes, so that requests sent together
	// would overlap.
	delay time.Duration

	mu                sync.Mutex
	inFlight, maxSeen int
	asked             []string // revids of each request, in order
	*httptest.Server
}

func newFakeWikiAPI(t *testing.T, delay time.Duration) *fakeWikiAPI {
	a := &fakeWikiAPI{t: t, pages: map[int64]string{}, delay: delay}
	a.Server = httptest.NewServer(a)
	t.Cleanup(a.Close)
	return a
}

// apiText is the text the fake wiki holds for revision id of a page: one
// word, marker<id>, differs between two revisions.
func apiText(title string, id int64) string {
	return fmt.Sprintf("'''%s''' is a page of the test wiki.\n\nThis is revision marker%d of it.\n", title, id)
}

func (a *fakeWikiAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.inFlight++
	a.maxSeen = max(a.maxSeen, a.inFlight)
	q := r.URL.Query()
	a.asked = append(a.asked, q.Get("revids"))
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.inFlight--
		a.mu.Unlock()
	}()
	time.Sleep(a.delay)
	// What wikiapi asks, exactly.
	want := map[string]string{
		"action": "query", "prop": "revisions", "rvprop": "content|ids",
		"rvslots": "main", "format": "json", "formatversion": "2",
	}
	for k, v := range want {
		if q.Get(k) != v {
			a.t.Errorf("API asked %s=%q, want %q (%s)", k, q.Get(k), v, r.URL)
		}
	}
	if r.URL.Path != "/w/api.php" || r.Method != http.MethodGet || len(q) != len(want)+1 {
		a.t.Errorf("unexpected API request %s %s", r.Method, r.URL)
	}
	type slot struct {
		ContentModel  string `json:"contentmodel"`
		ContentFormat string `json:"contentformat"`
		Content       string `json:"content"`
	}
	type revision struct {
		RevID    int64           `json:"revid"`
		ParentID int64           `json:"parentid"`
		Slots    map[string]slot `json:"slots"`
	}
	type page struct {
		PageID    int        `json:"pageid"`
		NS        int        `json:"ns"`
		Title     string     `json:"title"`
		Revisions []revision `json:"revisions"`
	}
	byTitle := map[string]*page{}
	var pages []*page
	var bad []int64
	for s := range strings.SplitSeq(q.Get("revids"), "|") {
		id, err := strconv.ParseInt(s, 10, 64)
		title, ok := a.pages[id]
		if err != nil || !ok {
			bad = append(bad, id)
			continue
		}
		p := byTitle[title]
		if p == nil {
			p = &page{PageID: len(byTitle) + 1, Title: title}
			byTitle[title] = p
			pages = append(pages, p)
		}
		p.Revisions = append(p.Revisions, revision{RevID: id, Slots: map[string]slot{
			"main": {ContentModel: "wikitext", ContentFormat: "text/x-wiki", Content: apiText(title, id)},
		}})
	}
	ans := map[string]any{"batchcomplete": true, "query": map[string]any{"pages": pages}}
	if len(bad) > 0 {
		ans["query"].(map[string]any)["badrevids"] = bad
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err := json.NewEncoder(w).Encode(ans); err != nil {
		a.t.Errorf("API answer: %v", err)
	}
}

// stats returns the requests so far and the most in flight at once.
func (a *fakeWikiAPI) stats() (asked []string, maxInFlight int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.asked...), a.maxSeen
}

// liveAPIEvents are the first n recorded events, each rewritten to name
// the fake wiki wikiOf(i) instead of en.wikipedia.org (server_url,
// title_url, notify_url, meta.uri); everything else is as recorded. The
// wikis learn the events' revisions.
func liveAPIEvents(t *testing.T, n int, wikiOf func(i int) *fakeWikiAPI) ([][]byte, []eventstream.Change) {
	t.Helper()
	b, err := os.ReadFile("../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))[:n]
	var changes []eventstream.Change
	for i, l := range lines {
		w := wikiOf(i)
		lines[i] = bytes.ReplaceAll(l, []byte(`https://en.wikipedia.org`), []byte(w.URL))
		c, err := eventstream.Decode(lines[i])
		if err != nil {
			t.Fatal(err)
		}
		if c.OldRevision == 0 || c.NewRevision == 0 || !strings.HasPrefix(c.APIURL(), w.URL+"/w/api.php") {
			t.Fatalf("event %d: revisions %d→%d, API %s", i, c.OldRevision, c.NewRevision, c.APIURL())
		}
		w.pages[c.OldRevision], w.pages[c.NewRevision] = c.Title, c.Title
		changes = append(changes, c)
	}
	return lines, changes
}

// sseReplay serves events once per connection, then holds it open.
func sseReplay(t *testing.T, events [][]byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ":ok\n\n")
		for i, e := range events {
			fmt.Fprintf(w, "event: message\nid: %d\ndata: %s\n\n", i, e)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv
}

// liveRunner drives a live model the way Bubble Tea does, with every
// command in a goroutine of its own (so that fetches run concurrently),
// while Update and View stay on the test's goroutine.
type liveRunner struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
}

func newLiveRunner(t *testing.T, opts Options, w, h int) *liveRunner {
	t.Helper()
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	m.sh.noTimers = true
	r := &liveRunner{t: t, m: m, msgs: make(chan tea.Msg, 1024)}
	r.run(m.Init())
	r.send(tea.WindowSizeMsg{Width: w, Height: h})
	return r
}

// run starts cmd; its message comes back through pump.
func (r *liveRunner) run(cmd tea.Cmd) {
	if cmd != nil {
		// A command still waiting when the test ends (the stream's next
		// batch) is left to block: the channel is never closed.
		go func() { r.msgs <- cmd() }()
	}
}

func (r *liveRunner) send(msg tea.Msg) {
	_, cmd := r.m.Update(msg)
	r.run(cmd)
}

func (r *liveRunner) keys(ks ...string) {
	for _, k := range ks {
		r.send(keyMsg(k))
	}
}

// pump handles messages until done holds, or fails after timeout.
func (r *liveRunner) pump(what string, done func() bool) {
	r.t.Helper()
	deadline := time.After(15 * time.Second)
	for !done() {
		select {
		case msg := <-r.msgs:
			switch msg := msg.(type) {
			case nil:
			case tea.BatchMsg:
				for _, c := range msg {
					r.run(c)
				}
			default:
				r.send(msg)
			}
		case <-deadline:
			r.t.Fatalf("timed out waiting for %s; screen:\n%s", what, screenOf(r.m))
		}
	}
}

// showsDiffOf reports whether the content pane shows c's diff, loaded.
func (r *liveRunner) showsDiffOf(c eventstream.Change) bool {
	cur := r.m.content.rev
	return cur != nil && cur.ID == c.NewRevision && !r.m.content.loading && r.m.content.err == nil &&
		strings.Contains(screenOf(r.m), fmt.Sprintf("marker%d", c.NewRevision))
}

// liveSession is one run of the live TUI over a stream, with a core that
// asks the wikis one request at a time each and keeps what it fetches in
// the store at dbPath.
type liveSession struct {
	r      *liveRunner
	memory *app.Memory
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

func startLiveSession(t *testing.T, stream, dbPath string, n int) *liveSession {
	t.Helper()
	ctx := context.Background()
	memory, err := app.OpenMemoryAt(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	l, err := app.NewLive(app.LiveOptions{
		Stream: stream,
		Save:   func(revs []*feed.Revision) error { return memory.SaveChanges(ctx, stream, revs) },
		Warn:   func(err error) { t.Logf("stream: %v", err) },
	})
	if err != nil {
		t.Fatal(err)
	}
	core, err := app.Open(app.Options{OneRequestPerWiki: true, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	core.UseStore(memory)
	runCtx, cancel := context.WithCancel(ctx)
	s := &liveSession{memory: memory, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- l.Run(runCtx) }()
	// Ended here if the test ends early, before anything logs too late.
	t.Cleanup(func() { s.stop(t) })
	// The UI starts once the stream has brought all n changes, so that
	// its first batch is all of them and the newest is shown first (the
	// display queue keeps them meanwhile).
	deadline := time.Now().Add(15 * time.Second)
	for l.Stats().Changes < int64(n) {
		if time.Now().After(deadline) {
			t.Fatalf("the stream brought %d changes, want %d", l.Stats().Changes, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.r = newLiveRunner(t, Options{
		Live: l, LiveTitle: "live: test wikis", Core: core, Config: Config{Style: "dark"},
		Getenv: func(string) string { return "" },
	}, 140, 40)
	return s
}

// stop ends the stream (every change saved by then) and closes the
// store; only the first call does anything.
func (s *liveSession) stop(t *testing.T) {
	t.Helper()
	s.once.Do(func() {
		s.cancel()
		if err := <-s.done; err != nil {
			t.Errorf("live Run: %v", err)
		}
		if err := s.memory.Close(); err != nil {
			t.Error(err)
		}
	})
}

// TestLiveDiffFromWikiAPI is the live diff end to end: a stream replaying
// real recorded events (rewritten to point at two fake wikis), the live
// TUI with the core and a real SQLite store. Opening each change's diff
// asks its wiki for the two texts, at most one request at a time per
// wiki though six are wanted at once; the changed words show; the texts
// land in the store; and a new session on the same store shows the same
// diffs without asking the wikis again.
func TestLiveDiffFromWikiAPI(t *testing.T) {
	const n = 6
	wikiA := newFakeWikiAPI(t, 60*time.Millisecond)
	wikiB := newFakeWikiAPI(t, 60*time.Millisecond)
	wikiOf := func(i int) *fakeWikiAPI {
		if i < 4 {
			return wikiA
		}
		return wikiB
	}
	events, changes := liveAPIEvents(t, n, wikiOf)
	dbPath := filepath.Join(t.TempDir(), "wikifeed.db")

	s := startLiveSession(t, sseReplay(t, events).URL, dbPath, n)
	r := s.r
	r.pump("the six changes listed", func() bool { return r.m.feed != nil && len(r.m.feed.Revisions) == n })
	// Newest first: the last event is listed first and shown at once.
	r.pump("the first diff", func() bool { return r.showsDiffOf(changes[n-1]) })
	// Down the list without waiting: each move asks for a diff, so five
	// are wanted at once.
	r.keys("j", "j", "j", "j", "j")
	r.pump("the last diff", func() bool { return r.showsDiffOf(changes[0]) })
	r.pump("every fetch answered", func() bool {
		a, _ := wikiA.stats()
		b, _ := wikiB.stats()
		return len(a)+len(b) == n && len(r.m.fetched) == 2*n
	})

	// The changed words: the old marker deleted, the new one inserted,
	// the unchanged words between them.
	screen := screenOf(r.m)
	c := changes[0]
	for _, want := range []string{fmt.Sprintf("marker%d", c.OldRevision), fmt.Sprintf("marker%d", c.NewRevision), "This is revision", c.Title} {
		if !strings.Contains(screen, want) {
			t.Errorf("the diff of %q lacks %q:\n%s", c.Title, want, screen)
		}
	}
	res, _ := r.m.cache.get(r.m.content.shown)
	if text := strings.Join(strings.Fields(ansi.Strip(res.text)), " "); !strings.Contains(text, "fetched from "+wikiA.URL+"/w/api.php") {
		t.Errorf("the diff does not say where its texts came from:\n%s", text)
	}

	// One request per change, both texts in it, one at a time per wiki.
	askedA, maxA := wikiA.stats()
	askedB, maxB := wikiB.stats()
	if maxA != 1 || maxB != 1 {
		t.Errorf("requests in flight at once: %d to wiki A, %d to wiki B; want 1 each", maxA, maxB)
	}
	wantAsked := map[string]bool{}
	for _, c := range changes {
		wantAsked[fmt.Sprintf("%d|%d", c.NewRevision, c.OldRevision)] = true
	}
	for _, a := range append(askedA, askedB...) {
		if !wantAsked[a] {
			t.Errorf("asked for revids=%s; want one request per change naming its two revisions (%v)", a, wantAsked)
		}
		delete(wantAsked, a)
	}
	if len(askedA) != 4 || len(askedB) != 2 || len(wantAsked) != 0 {
		t.Errorf("wiki A was asked %v, wiki B %v; not asked: %v", askedA, askedB, wantAsked)
	}

	// Up and down again: nothing asked.
	r.keys("k", "k", "k", "j", "j", "j")
	r.pump("the last diff again", func() bool { return r.showsDiffOf(changes[0]) })

	// The texts are in the store, under each wiki's API address.
	ctx := context.Background()
	for i, c := range changes {
		wiki := wikiOf(i).URL + "/w/api.php"
		for _, id := range []int64{c.OldRevision, c.NewRevision} {
			got, err := s.memory.Revision(ctx, wiki, id)
			if err != nil || got == nil || got.Text != apiText(c.Title, id) {
				t.Errorf("store: revision %d of %s = %+v, %v; want its text", id, wiki, got, err)
			}
		}
	}
	s.stop(t)
	a1, _ := wikiA.stats()
	b1, _ := wikiB.stats()

	// A new session (as a new process would: a new core, store handle,
	// stream and model) on the same store file shows every diff without
	// asking the wikis.
	s2 := startLiveSession(t, sseReplay(t, events).URL, dbPath, n)
	r2 := s2.r
	r2.pump("the six changes listed again", func() bool { return r2.m.feed != nil && len(r2.m.feed.Revisions) == n })
	r2.pump("the first diff, from the store", func() bool { return r2.showsDiffOf(changes[n-1]) })
	for i := n - 2; i >= 0; i-- {
		r2.keys("j")
		r2.pump("a diff from the store", func() bool { return r2.showsDiffOf(changes[i]) })
	}
	a2, _ := wikiA.stats()
	b2, _ := wikiB.stats()
	if len(a2) != len(a1) || len(b2) != len(b1) {
		t.Errorf("the new session asked the wikis again: A %v, B %v", a2[len(a1):], b2[len(b1):])
	}
	s2.stop(t)
}
