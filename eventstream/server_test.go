package eventstream

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"
)

// recordedFile holds 100 real recentchange events (testdata/SOURCES.md).
const recordedFile = "testdata/recentchange-2023-07-29-enwiki-polars.ndjson"

// recorded returns the real events, one JSON document each.
func recorded(t testing.TB) [][]byte {
	t.Helper()
	b, err := os.ReadFile(recordedFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) != 100 {
		t.Fatalf("%s: %d events, want 100", recordedFile, len(lines))
	}
	return lines
}

// kafkaID is an event id in the form KafkaSSE sends (a JSON array of
// topic positions), here by Kafka offset.
func kafkaID(offset int64) string {
	return fmt.Sprintf(`[{"topic":"eqiad.mediawiki.recentchange","partition":0,"offset":%d}]`, offset)
}

// offsetOfID parses a kafkaID back; ok is false for anything else.
func offsetOfID(id string) (int64, bool) {
	var parts []struct {
		Offset *int64 `json:"offset"`
	}
	if json.Unmarshal([]byte(id), &parts) != nil || len(parts) != 1 || parts[0].Offset == nil {
		return 0, false
	}
	return *parts[0].Offset, true
}

// frame is one event as the server sends it.
type frame struct {
	id   string // "" sends no id line
	data []byte
}

// metaOffset reads meta.offset of a real event.
func metaOffset(t testing.TB, data []byte) int64 {
	var e struct {
		Meta struct {
			Offset int64 `json:"offset"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	return e.Meta.Offset
}

// framesOf gives each real event its meta.offset as its SSE id.
func framesOf(t testing.TB, events [][]byte) []frame {
	fs := make([]frame, len(events))
	for i, e := range events {
		fs[i] = frame{id: kafkaID(metaOffset(t, e)), data: e}
	}
	return fs
}

// connPlan says how one connection of the replay server ends.
type connPlan struct {
	// events is how many frames it sends before it ends; <0 sends all and
	// then holds the connection open.
	events int
	// partial ends it in the middle of the next frame (id sent, data cut),
	// by closing the TCP connection, as a dropped connection does.
	partial bool
	// status, if not 0, answers this status instead of a stream.
	status int
	// retryAfter, if set, is the Retry-After header of that answer.
	retryAfter string
	// rewind resends this many frames before the requested one, as
	// EventStreams may after a resume by timestamp.
	rewind int
	// hold keeps the connection open after its events, until the client
	// or the server closes it.
	hold bool
}

// replayServer is an SSE server that replays frames, resuming after the
// frame named by Last-Event-ID, and ends each connection as its plan says
// (the last plan repeats).
type replayServer struct {
	t      testing.TB
	frames []frame
	plans  []connPlan
	// extra, if set, is written before frame i (malformed events).
	extra map[int]string

	mu       sync.Mutex
	requests []*http.Request // headers and URL of each request
	times    []time.Time     // when each came
	*httptest.Server
}

func newReplayServer(t testing.TB, frames []frame, plans ...connPlan) *replayServer {
	s := &replayServer{t: t, frames: frames, plans: plans}
	s.Server = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

// seen returns the requests so far.
func (s *replayServer) seen() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.requests...)
}

// gaps returns the time between each request and the one before it.
func (s *replayServer) gaps() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Duration
	for i := 1; i < len(s.times); i++ {
		out = append(out, s.times[i].Sub(s.times[i-1]))
	}
	return out
}

// start is the index of the first frame to send for a Last-Event-ID.
func (s *replayServer) start(lastID string) int {
	if lastID == "" {
		return 0
	}
	for i, f := range s.frames {
		if f.id == lastID {
			return i + 1
		}
	}
	s.t.Errorf("Last-Event-ID %q is no id the server sent", lastID)
	return 0
}

func (s *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, r.Clone(r.Context()))
	s.times = append(s.times, time.Now())
	plan := connPlan{events: -1}
	if len(s.plans) > 0 {
		plan = s.plans[min(n, len(s.plans)-1)]
	}
	s.mu.Unlock()
	if plan.status != 0 {
		if plan.retryAfter != "" {
			w.Header().Set("Retry-After", plan.retryAfter)
		}
		http.Error(w, http.StatusText(plan.status), plan.status)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	fl := w.(http.Flusher)
	bw := bufio.NewWriter(w)
	bw.WriteString(":ok\n\n")
	i := max(0, s.start(r.Header.Get("Last-Event-ID"))-plan.rewind)
	sent := 0
	for ; i < len(s.frames); i++ {
		if plan.events >= 0 && sent == plan.events {
			break
		}
		if x, ok := s.extra[i]; ok {
			bw.WriteString(x)
		}
		writeFrame(bw, s.frames[i])
		sent++
		if bw.Buffered() > 16<<10 {
			bw.Flush()
			fl.Flush()
		}
	}
	bw.Flush()
	fl.Flush()
	switch {
	case plan.partial && i < len(s.frames):
		f := s.frames[i]
		fmt.Fprintf(w, "event: message\nid: %s\ndata: %s", f.id, f.data[:len(f.data)/2])
		fl.Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}
	case plan.hold || plan.events < 0 || i == len(s.frames):
		<-r.Context().Done()
	}
}

// writeFrame writes one event as KafkaSSE does.
func writeFrame(w *bufio.Writer, f frame) {
	w.WriteString("event: message\n")
	if f.id != "" {
		w.WriteString("id: ")
		w.WriteString(f.id)
		w.WriteByte('\n')
	}
	w.WriteString("data: ")
	w.Write(f.data)
	w.WriteString("\n\n")
}

// offsets lists the changes' Kafka offsets (from their event ids).
func offsets(t testing.TB, cs []Change) []int64 {
	out := make([]int64, len(cs))
	for i, c := range cs {
		o, ok := offsetOfID(c.EventID)
		if !ok {
			t.Fatalf("change %d: event id %q", i, c.EventID)
		}
		out[i] = o
	}
	return out
}
