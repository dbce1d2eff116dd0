package tui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

// TestEndToEndLive runs 'wikifeed --live' in tmux against an SSE server
// replaying the recorded events (20 a second): the list fills, p pauses
// it, p resumes it with what came meanwhile, q quits with status 0.
func TestEndToEndLive(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	needTmux(t)
	b, err := os.ReadFile("../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	events := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, e := range events {
			if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", i, e); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(50 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	bin := buildBinary(t)
	s := startTmux(t, 140, 30, bin, "--live", "--stream", srv.URL, "--style", "dark")
	s.expect("● live", "EFL Championship", "live: all wikis")
	s.send("p")
	s.expect("paused,")
	time.Sleep(300 * time.Millisecond)
	s.send("p")
	s.expect("resumed:", "● live")
	s.expect("100 revisions")
	s.send("q")
	s.expect("EXITED 0")
}
