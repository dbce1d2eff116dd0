package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
)

// liveEvents are the real recorded events the eventstream package tests
// with (its testdata/SOURCES.md).
func liveEvents(t *testing.T) [][]byte {
	t.Helper()
	b, err := os.ReadFile("../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
}

func TestRevisionOfRecordedEdit(t *testing.T) {
	c, err := eventstream.Decode(liveEvents(t)[0])
	if err != nil {
		t.Fatal(err)
	}
	got := RevisionOf(c)
	want := &feed.Revision{
		Page:          "EFL Championship",
		ID:            1167689309,
		ParentID:      1166824248,
		EntryID:       "0416300b-980c-45bb-b0a2-c9d7a9e2b7eb",
		URL:           "https://en.wikipedia.org/w/index.php?diff=1167689309&oldid=1166824248",
		User:          "87.12.215.232",
		Time:          time.Unix(1690617099, 0).UTC(),
		Comment:       "/* League champions, runners-up and play-off finalists */",
		Kind:          feed.BodyChangesLink,
		ChangesURL:    "https://en.wikipedia.org/w/index.php?diff=1167689309&oldid=1166824248",
		Size:          91166,
		SizeChange:    58,
		HasSizeChange: true,
		Source:        "enwiki",
		BaseURL:       "https://en.wikipedia.org/",
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("\n got %+v\nwant %+v", got, want)
	}
}

func TestRevisionOfOtherTypes(t *testing.T) {
	newPage := RevisionOf(eventstream.Change{Type: eventstream.TypeNew, Title: "P", NewRevision: 7, NewLength: 181, HasLength: true, ServerURL: "https://mg.wiktionary.org", Wiki: "mgwiktionary"})
	if !newPage.NewPage || newPage.ChangesURL != "https://mg.wiktionary.org/w/index.php?oldid=7" || newPage.SizeChange != 181 {
		t.Errorf("new page: %+v", newPage)
	}
	logEntry := RevisionOf(eventstream.Change{Type: eventstream.TypeLog, Title: "User:X", TitleURL: "https://en.wikipedia.org/wiki/User:X", ServerURL: "https://en.wikipedia.org", Wiki: "enwiki"})
	if !logEntry.Log || logEntry.Kind != feed.BodyEmpty || logEntry.URL != "https://en.wikipedia.org/wiki/User:X" || logEntry.Size != -1 || logEntry.HasSizeChange {
		t.Errorf("log entry: %+v", logEntry)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	ok := []struct{ in, want string }{
		{"", "0001-01-01T00:00:00Z"},
		{"10m", "2026-12-01T21:50:00Z"},
		{"2h", "2026-12-01T20:00:00Z"},
		{"2026-12-01T21:00:00Z", "2026-12-01T21:00:00Z"},
		{"2026-12-01T23:00:00+02:00", "2026-12-01T21:00:00Z"},
		{"2026-12-01 21:30", "2026-12-01T21:30:00Z"},
		{"2026-12-01T21:30", "2026-12-01T21:30:00Z"},
		{"2026-11-30", "2026-11-30T00:00:00Z"},
	}
	for _, tt := range ok {
		got, err := ParseSince(tt.in, now)
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("ParseSince(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	bad := []struct{ in, want string }{
		{"yesterday", "neither a time"},
		{"-5m", "positive"},
		{"2026-12-02", "in the future"},
		{"2026-11-20", "seven days"},
		{"200h", "seven days"},
	}
	for _, tt := range bad {
		if _, err := ParseSince(tt.in, now); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseSince(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestNewLiveRejectsBadOptions(t *testing.T) {
	tests := []struct {
		opts LiveOptions
		want string
	}{
		{LiveOptions{Wikis: []string{"en wiki"}}, "--wiki: "},
		{LiveOptions{Namespaces: []string{"0,main"}}, `--namespace: "main" is not a namespace number`},
		{LiveOptions{Types: []string{"edits"}}, `--type: "edits" is not a change type`},
		{LiveOptions{Title: "(["}, "--title: error parsing regexp"},
		{LiveOptions{Since: "soon"}, "--since: "},
		{LiveOptions{Stream: "ftp://example.org"}, "--stream: "},
	}
	for _, tt := range tests {
		_, err := NewLive(tt.opts)
		var oe *OptionError
		if err == nil || !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("NewLive(%+v) = %v, want %q…", tt.opts, err, tt.want)
		}
	}
	if _, err := NewLive(LiveOptions{Wikis: []string{"enwiki,https://de.wikipedia.org"}, Namespaces: []string{"0, 2"}, Types: []string{"edit,new,142"}}); err != nil {
		t.Errorf("good options: %v", err)
	}
}

// TestLiveSavesEverythingAndDisplaysWhatFits: a display that takes nothing
// loses the oldest changes from its queue (counted); Save gets all of them.
func TestLiveSavesEverythingAndDisplaysWhatFits(t *testing.T) {
	events := liveEvents(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, e := range events {
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", i, e)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	var mu sync.Mutex
	var saved []*feed.Revision
	l, err := NewLive(LiveOptions{Stream: srv.URL, QueueSize: 10, Minor: eventstream.Hide, Save: func(revs []*feed.Revision) error {
		mu.Lock()
		saved = append(saved, revs...)
		mu.Unlock()
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for l.Stats().Changes < 93 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := l.Stats()
	shown := l.Take(nil)
	if len(saved) != 93 || st.Saved != 93 { // 100 less the 7 minor edits
		t.Errorf("saved %d (%d), want 93", len(saved), st.Saved)
	}
	if len(shown) != 10 || st.Dropped != 83 || shown[9].ID != saved[92].ID {
		t.Errorf("shown %d, dropped %d; want the newest 10 and 83", len(shown), st.Dropped)
	}
}

// TestOneRequestPerHost sends eight requests at once to each of two hosts
// (one server, named two ways): no host ever has two at a time, and the two
// hosts are not held up by each other.
func TestOneRequestPerHost(t *testing.T) {
	var mu sync.Mutex
	inFlight := map[string]int{}
	var worst atomic.Int32
	var overlapHosts atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight[r.Host]++
		if n := inFlight[r.Host]; int32(n) > worst.Load() {
			worst.Store(int32(n))
		}
		if len(inFlight) == 2 && inFlight["127.0.0.1"+portOf(r.Host)] > 0 && inFlight["localhost"+portOf(r.Host)] > 0 {
			overlapHosts.Store(true)
		}
		mu.Unlock()
		time.Sleep(20 * time.Millisecond)
		io.WriteString(w, strings.Repeat("x", 1000))
		mu.Lock()
		inFlight[r.Host]--
		mu.Unlock()
	}))
	defer srv.Close()
	client := &http.Client{Transport: OneRequestPerHost(nil)}
	port := portOf(strings.TrimPrefix(srv.URL, "http://"))
	var wg sync.WaitGroup
	for _, host := range []string{"127.0.0.1", "localhost"} {
		for range 8 {
			wg.Go(func() {
				resp, err := client.Get("http://" + host + port + "/")
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			})
		}
	}
	wg.Wait()
	if worst.Load() != 1 {
		t.Errorf("%d requests at once to one host, want 1", worst.Load())
	}
	if !overlapHosts.Load() {
		t.Errorf("the two hosts never had a request at the same time: one waited for the other")
	}
}

// portOf returns ":port" of host:port.
func portOf(hostport string) string {
	if i := strings.LastIndex(hostport, ":"); i >= 0 {
		return hostport[i:]
	}
	return ""
}

// TestRevisionOfRecordedLogAndCategorize maps the real log and categorize
// events (eventstream/testdata/SOURCES.md): neither has revisions, so
// neither has a diff to fetch; the log entry's plan says why.
func TestRevisionOfRecordedLogAndCategorize(t *testing.T) {
	read := func(name string) [][]byte {
		b, err := os.ReadFile("../eventstream/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	}
	logEvent, err := eventstream.Decode(read("recentchange-2024-04-26-multiwiki-magadiflo.ndjson")[10])
	if err != nil {
		t.Fatal(err)
	}
	lg := RevisionOf(logEvent)
	if !lg.Log || lg.Kind != feed.BodyEmpty || lg.ID != 0 || lg.ChangesURL != "" || lg.Source != "enwiki" ||
		lg.URL != "https://en.wikipedia.org/wiki/Category_talk:Replaceable_non-free_use_to_be_decided_after_25_April_2024" {
		t.Errorf("log entry: %+v", lg)
	}
	var a *App
	if p := a.Plan(context.Background(), nil, lg); p.NeedsFetch() || p.Reason == "" {
		t.Errorf("log entry's plan: %+v", p)
	}
	catEvent, err := eventstream.Decode(read("recentchange-2026-02-18-commonswiki-categorize-peterdijk.ndjson")[0])
	if err != nil {
		t.Fatal(err)
	}
	cat := RevisionOf(catEvent)
	if cat.Log || cat.NewPage || cat.Kind != feed.BodyEmpty || cat.ID != 0 || cat.Size != -1 || cat.Source != "commonswiki" ||
		cat.Page != "Category:Deletion requests February 2026" || cat.URL != "https://commons.wikimedia.org/wiki/Category:Deletion_requests_February_2026" {
		t.Errorf("categorize: %+v", cat)
	}
}
