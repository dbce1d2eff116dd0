package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// liveServer replays the real recorded recentchange events
// (eventstream/testdata/SOURCES.md) as an SSE stream, then holds it open.
func liveServer(t *testing.T, extra string) *httptest.Server {
	t.Helper()
	b, err := os.ReadFile("../../eventstream/testdata/recentchange-2023-07-29-enwiki-polars.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	events := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, extra)
		for i, e := range events {
			fmt.Fprintf(w, "event: message\nid: %d\ndata: %s\n\n", i, e)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLiveLines(t *testing.T) {
	srv := liveServer(t, "")
	code, out, errs := runArgs(t, "", "live", "--stream", srv.URL, "--count", "3")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	want := "2023-07-29T07:51:39Z\tEFL Championship\t1167689309\t87.12.215.232\t+58\t/* League champions, runners-up and play-off finalists */\n"
	lines := strings.SplitAfter(out, "\n")
	if len(lines) != 4 || lines[0] != want {
		t.Errorf("got %q\nwant first line %q", out, want)
	}
}

func TestLiveJSONFiltered(t *testing.T) {
	srv := liveServer(t, "data: not json\n\n")
	code, out, errs := runArgs(t, "", "live", "--stream", srv.URL, "--json", "--namespace", "2", "--hide-minor", "--count", "8")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(errs, "skipped a malformed event") || !strings.Contains(errs, "1 malformed event skipped") {
		t.Errorf("stderr %q", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 8 {
		t.Fatalf("%d lines, want 8 (the recording's namespace-2 edits)", len(lines))
	}
	for _, l := range lines {
		var r struct {
			Page   string `json:"page"`
			ID     int64  `json:"id"`
			Source string `json:"source"`
			Kind   string `json:"kind"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || !strings.HasPrefix(r.Page, "User:") || r.ID == 0 || r.Source != "enwiki" {
			t.Errorf("line %q: %+v, %v", l, r, err)
		}
	}
}

func TestLiveUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"live", "--type", "edits"},
		{"live", "--title", "(["},
		{"live", "--since", "tomorrow"},
		{"live", "--minor", "--hide-minor"},
		{"live", "--count", "-1"},
		{"live", "extra"},
	} {
		code, _, errs := runArgs(t, "", args...)
		if code != exitUsage || strings.Count(strings.TrimSpace(errs), "\n") > 1 {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestLiveStreamRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	code, _, errs := runArgs(t, "", "live", "--stream", srv.URL)
	if code != exitError || !strings.Contains(errs, "404") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestLiveBrowseUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--live", "feed.atom"}, "live"},
		{[]string{"--live", "--recent"}, "live"},
		// --namespace is the source flags' number, in both modes.
		{[]string{"--live", "--namespace", "main"}, "--namespace"},
	} {
		args := c.args
		code, _, errs := runArgs(t, "", args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestLiveStored: the changes a stream brings go into the store, where
// search finds them after the stream has ended.
func TestLiveStored(t *testing.T) {
	srv := liveServer(t, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	var out, errb bytes.Buffer
	if code := run([]string{"live", "--stream", srv.URL, "--count", "20"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("live: exit %d, stderr %q", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"search", "Piotrus"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("search: exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "International Poker Rules\t1167689313\tPiotrus") {
		t.Errorf("search after live: %q", out.String())
	}
	// WIKIFEED_NO_STORE keeps the stream out of it.
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv(noStoreEnv, "1")
	if code := run([]string{"live", "--stream", srv.URL, "--count", "2"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("live --no-store: exit %d", code)
	}
	if _, err := os.Stat(os.Getenv("XDG_DATA_HOME") + "/wikifeed/wikifeed.db"); err == nil {
		t.Error("a database was made with the store off")
	}
}

// TestLiveTooLargeEvent: an event of 1.5 MiB before the recorded ones is
// skipped, said once on stderr and in the summary; the rest print.
func TestLiveTooLargeEvent(t *testing.T) {
	big := "event: message\nid: big\ndata: {\"comment\":\"" + strings.Repeat("x", 3<<19) + "\"}\n\n"
	srv := liveServer(t, big)
	code, out, errs := runArgs(t, "", "live", "--stream", srv.URL, "--count", "3")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[0], "EFL Championship") {
		t.Errorf("stdout %q", out)
	}
	if strings.Count(errs, "skipped an event of 1572") != 1 || !strings.Contains(errs, "1 event larger than 1 MiB skipped") || strings.Contains(errs, "reconnecting") {
		t.Errorf("stderr %q", errs)
	}
}

// TestLiveRecordedOtherWikis replays the recordings of five wikis and a
// categorize event (eventstream/testdata/SOURCES.md): --type keeps the log
// entry and the categorize event, --wiki one wiki's edits.
func TestLiveRecordedOtherWikis(t *testing.T) {
	var events [][]byte
	for _, name := range []string{"recentchange-2024-04-26-multiwiki-magadiflo.ndjson", "recentchange-2026-02-18-commonswiki-categorize-peterdijk.ndjson"} {
		b, err := os.ReadFile("../../eventstream/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))...)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, e := range events {
			fmt.Fprintf(w, "event: message\nid: %d\ndata: %s\n\n", i, e)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	code, out, errs := runArgs(t, "", "live", "--stream", srv.URL, "--type", "log,categorize", "--json", "--count", "2")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"page":"Category talk:Replaceable non-free use`) || !strings.Contains(lines[0], `"log":true`) ||
		!strings.Contains(lines[1], `"page":"Category:Deletion requests February 2026"`) || !strings.Contains(lines[1], `"source":"commonswiki"`) {
		t.Errorf("stdout:\n%s", out)
	}
	code, out, errs = runArgs(t, "", "live", "--stream", srv.URL, "--wiki", "pl.wiktionary.org", "--count", "1")
	if code != exitOK || !strings.HasPrefix(out, "2024-04-26T00:00:52Z\tniem.\t8380181\tZan-mir\t+0\t") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
