package eventstream

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	sse "github.com/tmaxmax/go-sse"
)

// bigEvent is a real recorded event whose comment is made n bytes long.
func bigEvent(t testing.TB, n int) []byte {
	t.Helper()
	var e map[string]any
	if err := json.Unmarshal(recorded(t)[0], &e); err != nil {
		t.Fatal(err)
	}
	e["comment"] = strings.Repeat("x", n)
	meta := e["meta"].(map[string]any)
	meta["id"] = "big-event-meta-id"
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTooLargeEventSkipped: an event of 1.5 MiB among the recorded ones
// is skipped with a warning, once, without a reconnection, and every other
// event comes in order.
func TestTooLargeEventSkipped(t *testing.T) {
	frames := framesOf(t, recorded(t))
	big := frame{id: "big-1", data: bigEvent(t, 3<<19)}
	frames = slices.Insert(frames, 50, big)
	srv := newReplayServer(t, frames)
	changes, st, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if !slices.Equal(offsets(t, changes), wantOffsets(t)) {
		t.Fatalf("changes differ from the recording")
	}
	if st.TooLarge != 1 || st.Connects != 1 || st.Reconnects != 0 || st.Malformed != 0 || st.Events != 100 {
		t.Errorf("stats %+v", st)
	}
	var tl *TooLargeError
	if len(warnings) != 1 || !errors.As(warnings[0], &tl) {
		t.Fatalf("warnings %v", warnings)
	}
	if tl.EventID != "big-1" || tl.Size < len(big.data) || tl.Size > len(big.data)+100 || tl.Limit != DefaultMaxEventBytes {
		t.Errorf("warning %+v (the event's data is %d bytes)", tl, len(big.data))
	}
	if len(srv.seen()) != 1 {
		t.Errorf("%d requests, want 1", len(srv.seen()))
	}
}

// TestTooLargeEventThenDrop: the connection drops just after the skipped
// event; the resume names it, so it is not sent again.
func TestTooLargeEventThenDrop(t *testing.T) {
	frames := slices.Insert(framesOf(t, recorded(t)), 30, frame{id: "big-1", data: bigEvent(t, 2<<20)})
	srv := newReplayServer(t, frames, connPlan{events: 31}, connPlan{events: -1})
	changes, st, _ := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond}, 100, 10*time.Second)
	if !slices.Equal(offsets(t, changes), wantOffsets(t)) {
		t.Fatalf("changes differ from the recording")
	}
	reqs := srv.seen()
	if len(reqs) != 2 || reqs[1].Header.Get("Last-Event-ID") != "big-1" || st.TooLarge != 1 {
		t.Errorf("%d requests, resumed from %q; stats %+v", len(reqs), reqs[len(reqs)-1].Header.Get("Last-Event-ID"), st)
	}
}

// limiterEvent is one event of a test stream: its lines, without ends.
type limiterEvent []string

// TestSizeLimiter streams events of every size around the limit, with
// each kind of line end and cut into pieces in several ways, through the
// limiter and go-sse's reader: the events within the limit come as they
// were sent, each larger one as one tooLargeType event with its id.
func TestSizeLimiter(t *testing.T) {
	const limit = 200
	long := strings.Repeat("y", 3*limit)
	eventsFor := func(nl string) []limiterEvent {
		// Events 7 and 8 are limit bytes and one more, as counted.
		k := limit - len("id: 7data: ") - 3*len(nl) + len(nl) - 1
		return []limiterEvent{
			{":ok"},
			{"event: message", "id: 1", "data: small"},
			{"event: message", "id: 2", "data: " + long},                                   // id first
			{"event: message", "data: " + long, "id: 3"},                                   // id last
			{"event: message", "data: " + long},                                            // no id: keeps 3
			{"data: " + long + long + long},                                                // one huge line
			{"id: 6", "data: a", "data: " + long, "data: b"},                               // id, then too much
			{"id: 7", "data: " + strings.Repeat("z", k)},                                   // about at the limit
			{"id: 8", "data: " + strings.Repeat("z", k+1)},                                 // one more byte
			{"id: 9", "data: " + long, "id: " + strings.Repeat("i", maxIDLine), "data: c"}, // an id line too long to keep: 9 stays
			{"id: 10", "data: last"},
		}
	}
	for _, nl := range []string{"\n", "\r\n", "\r"} {
		events := eventsFor(nl)
		var stream bytes.Buffer
		var sizes []int
		stream.WriteString("\n") // blank lines before the first event
		for _, e := range events {
			start := stream.Len()
			for _, l := range e {
				stream.WriteString(l + nl)
			}
			stream.WriteString(nl)
			sizes = append(sizes, stream.Len()-start)
		}
		if c7, c8 := sizes[7]-len(nl)+1, sizes[8]-len(nl)+1; c7 != limit || c8 != limit+1 {
			t.Fatalf("events 7 and 8 are %d and %d bytes as counted, want %d and %d", c7, c8, limit, limit+1)
		}
		readers := map[string]func(io.Reader) io.Reader{
			"whole":    func(r io.Reader) io.Reader { return r },
			"one-byte": iotest.OneByteReader,
			"half":     iotest.HalfReader,
			"data-err": iotest.DataErrReader,
		}
		for name, wrap := range readers {
			t.Run(fmt.Sprintf("%q/%s", nl, name), func(t *testing.T) {
				l := newSizeLimiter(io.NopCloser(wrap(bytes.NewReader(stream.Bytes()))), limit)
				var got []sse.Event
				for ev, err := range sse.Read(l, &sse.ReadConfig{MaxEventSize: limit + scannerSlack}) {
					if err != nil {
						t.Fatalf("after %d events: %v", len(got), err)
					}
					got = append(got, ev)
				}
				// :ok is a comment: no event.
				if len(got) != len(events)-1 {
					t.Fatalf("%d events, want %d: %+v", len(got), len(events)-1, got)
				}
				lastID := ""
				for i, e := range events[1:] {
					ev := got[i]
					size := sizes[i+1]
					var data []string
					for _, line := range e {
						if v, ok := strings.CutPrefix(line, "id: "); ok && len(line) <= maxIDLine {
							lastID = v
						}
						if v, ok := strings.CutPrefix(line, "data: "); ok {
							data = append(data, v)
						}
					}
					if ev.LastEventID != lastID {
						t.Errorf("event %d: id %q, want %q", i+1, ev.LastEventID, lastID)
					}
					// The LF of the CR LF that ends an event is not
					// counted: the event is passed on at the CR.
					if counted := size - len(nl) + 1; counted <= limit {
						if ev.Type != "message" && ev.Type != "" || ev.Data != strings.Join(data, "\n") {
							t.Errorf("event %d (%d bytes) came as %q, %.40q", i+1, size, ev.Type, ev.Data)
						}
						continue
					}
					n, _ := strconv.Atoi(ev.Data)
					if ev.Type != tooLargeType || n < size-len(nl) || n > size {
						t.Errorf("event %d (%d bytes) came as %q, %.40q", i+1, size, ev.Type, ev.Data)
					}
				}
			})
		}
	}
}

// repeatReader gives the same byte for ever.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestSizeLimiterMemory: an event of 64 MiB on one line goes through
// with at most a few MiB allocated, and the event after it comes.
func TestSizeLimiterMemory(t *testing.T) {
	const size = 64 << 20
	body := io.MultiReader(strings.NewReader("id: 7\ndata: "), io.LimitReader(repeatReader('x'), size),
		strings.NewReader("\n\nid: 8\ndata: ok\n\n"))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l := newSizeLimiter(io.NopCloser(body), DefaultMaxEventBytes)
	var got []sse.Event
	for ev, err := range sse.Read(l, &sse.ReadConfig{MaxEventSize: DefaultMaxEventBytes + scannerSlack}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ev)
	}
	runtime.ReadMemStats(&after)
	if len(got) != 2 || got[0].Type != tooLargeType || got[0].LastEventID != "7" || got[1].Data != "ok" || got[1].LastEventID != "8" {
		t.Fatalf("events %.80v", got)
	}
	if n, _ := strconv.Atoi(got[0].Data); n != size+len("id: 7\ndata: \n\n") {
		t.Errorf("skipped %s bytes, want %d", got[0].Data, size+len("id: 7\ndata: \n\n"))
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB for a %d MiB event", float64(alloc)/(1<<20), size>>20)
	if alloc > 8<<20 {
		t.Errorf("allocated %d bytes: the event was held", alloc)
	}
	if c := cap(l.buf) + cap(l.chunk) + cap(l.line) + cap(l.id); c > 3*DefaultMaxEventBytes {
		t.Errorf("buffers hold %d bytes", c)
	}
}

// BenchmarkSizeLimiter measures the limiter alone on the recorded events
// as KafkaSSE frames them (bytes a second through it, to io.Discard).
func BenchmarkSizeLimiter(b *testing.B) {
	var stream bytes.Buffer
	w := bufio.NewWriter(&stream)
	for stream.Len()+w.Buffered() < 4<<20 {
		for _, f := range framesOf(b, recorded(b)) {
			writeFrame(w, f)
		}
	}
	w.Flush()
	b.SetBytes(int64(stream.Len()))
	for b.Loop() {
		l := newSizeLimiter(io.NopCloser(bytes.NewReader(stream.Bytes())), DefaultMaxEventBytes)
		if _, err := io.Copy(io.Discard, l); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzSizeLimiter: whatever the stream, go-sse reads the limiter's output
// with a buffer of limit+scannerSlack without failing; a stream no longer
// than the limit passes unchanged; and no event of the output is larger
// than the limit unless it is the limiter's own.
func FuzzSizeLimiter(f *testing.F) {
	f.Add([]byte("id: 1\ndata: x\n\n"), uint16(8))
	f.Add([]byte(":ok\r\n\r\nid: 2\r\ndata: "+strings.Repeat("y", 100)+"\r\n\r\nid: 3\rdata: z\r\r"), uint16(40))
	f.Add([]byte("data: a\n\n\n\ndata\nid\n\n"), uint16(3))
	f.Add(recorded(f)[0], uint16(200))
	f.Fuzz(func(t *testing.T, in []byte, lim uint16) {
		limit := int(lim%1024) + 1
		l := newSizeLimiter(io.NopCloser(iotest.HalfReader(bytes.NewReader(in))), limit)
		out, err := io.ReadAll(l)
		if err != nil {
			t.Fatal(err)
		}
		if len(in) <= limit && !bytes.Equal(out, in) {
			t.Fatalf("a stream of %d bytes, limit %d, changed:\n in %q\nout %q", len(in), limit, in, out)
		}
		for ev, err := range sse.Read(bytes.NewReader(out), &sse.ReadConfig{MaxEventSize: limit + scannerSlack}) {
			if err != nil {
				t.Fatalf("go-sse: %v (limit %d)\n in %q\nout %q", err, limit, in, out)
			}
			if ev.Type != tooLargeType && len(ev.Data) > limit {
				t.Fatalf("an event with %d bytes of data passed a limit of %d", len(ev.Data), limit)
			}
		}
	})
}
