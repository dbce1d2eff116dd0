package tui

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
)

// recordedChanges are the real recorded recentchange events
// (eventstream/testdata/SOURCES.md) as the core maps them.
func recordedChanges(t testing.TB) []*feed.Revision {
	t.Helper()
	b, err := os.ReadFile("../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var out []*feed.Revision
	for _, line := range bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n")) {
		c, err := eventstream.Decode(line)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, app.RevisionOf(c))
	}
	return out
}

// fakeLive is a LiveSource the tests fill by hand.
type fakeLive struct {
	ready   chan struct{}
	dropped int64
}

func (f *fakeLive) Ready() <-chan struct{}                     { return f.ready }
func (f *fakeLive) Take(dst []*feed.Revision) []*feed.Revision { return dst }
func (f *fakeLive) Dropped() int64                             { return f.dropped }

// liveModel is a live model of w×h over src; its commands are not run
// (waitLive would wait for the stream).
func liveModel(t testing.TB, src LiveSource, w, h int) *Model {
	t.Helper()
	m, err := New(Options{
		Live: src, LiveTitle: "live: enwiki", Config: Config{Style: "dark"},
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	m.sh.noTimers = true
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func screenOf(m *Model) string { return ansi.Strip(m.View().Content) }

func TestLiveListsArrivalsNewestFirst(t *testing.T) {
	revs := recordedChanges(t)
	src := &fakeLive{dropped: 3}
	m := liveModel(t, src, 140, 30)
	m.Update(liveArrivedMsg{revs: revs[:3]})
	m.Update(liveArrivedMsg{revs: revs[3:5]})
	if len(m.feed.Revisions) != 5 || m.feed.Revisions[0].ID != revs[4].ID || m.feed.Revisions[4].ID != revs[0].ID {
		t.Fatalf("feed %d revisions, first %d", len(m.feed.Revisions), m.feed.Revisions[0].ID)
	}
	s := screenOf(m)
	for _, want := range []string{"● live", "3 not shown", revs[4].Page[:8], revs[0].Page[:8]} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
	if m.content.rev == nil || m.content.mode != modeDiff {
		t.Errorf("content %v in mode %v; want the first change, as a diff", m.content.rev, m.content.mode)
	}
}

func TestLivePauseLosesNothing(t *testing.T) {
	revs := recordedChanges(t)
	m := liveModel(t, &fakeLive{}, 140, 30)
	m.Update(liveArrivedMsg{revs: revs[:10]})
	m.Update(keyMsg("p"))
	for i := 10; i < 100; i += 10 {
		m.Update(liveArrivedMsg{revs: revs[i : i+10]})
	}
	if len(m.feed.Revisions) != 10 {
		t.Errorf("paused list has %d revisions, want 10", len(m.feed.Revisions))
	}
	if s := screenOf(m); !strings.Contains(s, "paused, 90 waiting") {
		t.Errorf("screen:\n%s", s)
	}
	m.Update(keyMsg("p"))
	if len(m.feed.Revisions) != 100 || m.feed.Revisions[0].ID != revs[99].ID || m.feed.Revisions[99].ID != revs[0].ID {
		t.Errorf("resumed list has %d revisions, want the 100 newest first", len(m.feed.Revisions))
	}
	if s := screenOf(m); !strings.Contains(s, "● live") || !strings.Contains(s, "resumed: 90 changes listed") {
		t.Errorf("screen after resume:\n%s", s)
	}
}

func TestLiveKeepsTheNewest(t *testing.T) {
	revs := recordedChanges(t)
	m := liveModel(t, &fakeLive{}, 140, 30)
	for i := 0; i < 15; i++ {
		batch := make([]*feed.Revision, 100)
		for j := range batch {
			r := *revs[j]
			r.ID = int64(i*100 + j + 1)
			r.EntryID = fmt.Sprint(r.ID)
			r.Time = testNow.Add(time.Duration(r.ID) * time.Second)
			batch[j] = &r
		}
		m.Update(liveArrivedMsg{revs: batch})
	}
	if n := len(m.feed.Revisions); n != liveKeep || m.feed.Revisions[0].ID != 1500 {
		t.Errorf("%d revisions, newest %d; want %d and 1500", n, m.feed.Revisions[0].ID, liveKeep)
	}
}

// TestLiveFromStream runs the real chain: an SSE server with the recorded
// events, app.Live, the UI's wait command and its message.
func TestLiveFromStream(t *testing.T) {
	b, err := os.ReadFile("../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, e := range bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n")) {
			fmt.Fprintf(w, "id: %d\ndata: %s\n\n", i, e)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	l, err := app.NewLive(app.LiveOptions{Stream: srv.URL, Namespaces: []string{"2"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go l.Run(ctx)
	m := liveModel(t, l, 140, 30)
	got := 0
	deadline := time.Now().Add(5 * time.Second)
	for got < 8 && time.Now().Before(deadline) {
		msg := waitLive(l, 0)().(liveArrivedMsg)
		got += len(msg.revs)
		m.Update(msg)
	}
	if got != 8 || len(m.feed.Revisions) != 8 {
		t.Fatalf("%d changes, %d listed; want the recording's 8 in namespace 2", got, len(m.feed.Revisions))
	}
	if s := screenOf(m); !strings.Contains(s, "User:") {
		t.Errorf("screen:\n%s", s)
	}
}

// BenchmarkLiveKeyLatency feeds the model 1,000 change messages (one
// change each, the worst case: the live source batches what comes within
// 100 ms) over a full list, then times a key press (Update and the frame's
// View). A key waits at most for the message before it, so the latency at
// 1,000 changes a second is at most max-msg-ms + key-ms (p99-msg-ms is
// the 99th percentile; on a loaded machine max-msg-ms is mostly the
// scheduler's).
func BenchmarkLiveKeyLatency(b *testing.B) {
	revs := recordedChanges(b)
	m := liveModel(b, &fakeLive{}, 140, 40)
	next := int64(1)
	one := func() *feed.Revision {
		r := *revs[next%int64(len(revs))]
		r.ID = next
		r.EntryID = fmt.Sprint(next)
		r.Time = testNow.Add(time.Duration(next) * time.Second)
		next++
		return &r
	}
	for range liveKeep {
		m.Update(liveArrivedMsg{revs: []*feed.Revision{one()}})
	}
	var keyTotal, msgWorst time.Duration
	var msgTimes []time.Duration
	keys := []tea.Msg{keyMsg("j"), keyMsg("k")}
	i := 0
	for b.Loop() {
		for range 1000 {
			start := time.Now()
			m.Update(liveArrivedMsg{revs: []*feed.Revision{one()}})
			d := time.Since(start)
			msgWorst = max(msgWorst, d)
			msgTimes = append(msgTimes, d)
		}
		start := time.Now()
		m.Update(keys[i%2])
		_ = m.View()
		keyTotal += time.Since(start)
		i++
	}
	b.ReportMetric(float64(keyTotal.Microseconds())/1000/float64(i), "key-ms")
	slices.Sort(msgTimes)
	b.ReportMetric(float64(msgTimes[len(msgTimes)*99/100].Microseconds())/1000, "p99-msg-ms")
	b.ReportMetric(float64(msgWorst.Microseconds())/1000, "max-msg-ms")
}
