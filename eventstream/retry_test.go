package eventstream

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// retryWarnings are the RetryErrors among warnings.
func retryWarnings(warnings []error) []*RetryError {
	var out []*RetryError
	for _, w := range warnings {
		var re *RetryError
		if errors.As(w, &re) {
			out = append(out, re)
		}
	}
	return out
}

// TestRetryAfterWaitedOut: a 503 with Retry-After in seconds, then a 429
// with Retry-After as an HTTP date, are each waited out as asked before
// the next request, though the backoff would have tried again after 10 ms;
// every event still comes once.
func TestRetryAfterWaitedOut(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 2 to 3 s; skipped with -short")
	}
	// HTTP dates have whole seconds: 3 s ahead is 2 to 3 s, after the
	// first wait of 1 s still 1 to 2.
	at := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second)
	date := at.Format(http.TimeFormat)
	srv := newReplayServer(t, framesOf(t, recorded(t)),
		connPlan{status: http.StatusServiceUnavailable, retryAfter: "1"},
		connPlan{status: http.StatusTooManyRequests, retryAfter: date},
		connPlan{events: -1})
	changes, st, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}, 100, 15*time.Second)
	if len(changes) != 100 || st.Duplicates != 0 {
		t.Fatalf("%d changes, stats %+v", len(changes), st)
	}
	gaps := srv.gaps()
	if len(gaps) != 2 {
		t.Fatalf("%d requests, want 3", len(gaps)+1)
	}
	if gaps[0] < time.Second || gaps[0] > 1500*time.Millisecond {
		t.Errorf("after Retry-After: 1 the next request came %s later, want 1 s", gaps[0])
	}
	srv.mu.Lock()
	third := srv.times[2]
	srv.mu.Unlock()
	if third.Before(at) || third.After(at.Add(500*time.Millisecond)) {
		t.Errorf("after Retry-After: %s the next request came at %s", date, third.UTC().Format(time.RFC3339Nano))
	}
	rs := retryWarnings(warnings)
	if len(rs) != 2 || st.Reconnects != 2 {
		t.Fatalf("retry warnings %v, reconnects %d; want 2 and 2", warnings, st.Reconnects)
	}
	if rs[0].Wait != time.Second || !strings.Contains(rs[0].Error(), "503 Service Unavailable (Retry-After 1s); reconnecting in 1s") {
		t.Errorf("first warning %q, wait %s", rs[0], rs[0].Wait)
	}
	if !strings.Contains(rs[1].Error(), "429 Too Many Requests (Retry-After") || rs[1].Wait < 900*time.Millisecond || rs[1].Wait > 2*time.Second {
		t.Errorf("second warning %q, wait %s", rs[1], rs[1].Wait)
	}
}

// TestRetryAfterCapped: a Retry-After of a day waits MaxRetryAfter.
func TestRetryAfterCapped(t *testing.T) {
	srv := newReplayServer(t, framesOf(t, recorded(t)),
		connPlan{status: http.StatusServiceUnavailable, retryAfter: "86400"},
		connPlan{events: -1})
	changes, _, warnings := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond, MaxRetryAfter: 300 * time.Millisecond}, 100, 10*time.Second)
	if len(changes) != 100 {
		t.Fatalf("%d changes", len(changes))
	}
	if g := srv.gaps(); len(g) != 1 || g[0] < 300*time.Millisecond || g[0] > time.Second {
		t.Errorf("gaps between requests %v, want one of 300 ms", g)
	}
	if rs := retryWarnings(warnings); len(rs) != 1 || rs[0].Wait != 300*time.Millisecond || !strings.Contains(rs[0].Error(), "Retry-After 24h0m0s") {
		t.Errorf("warnings %v", warnings)
	}
}

// TestRetryAfterIgnored: a Retry-After that cannot be read, is in the
// past, or comes with another status leaves the usual backoff.
func TestRetryAfterIgnored(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	srv := newReplayServer(t, framesOf(t, recorded(t)),
		connPlan{status: http.StatusServiceUnavailable, retryAfter: "soon"},
		connPlan{status: http.StatusTooManyRequests, retryAfter: past},
		connPlan{status: http.StatusServiceUnavailable, retryAfter: "0"},
		connPlan{status: http.StatusBadGateway, retryAfter: "60"},
		connPlan{events: -1})
	start := time.Now()
	changes, st, _ := follow(t, Options{URL: srv.URL, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}, 100, 10*time.Second)
	if len(changes) != 100 || st.Reconnects != 4 {
		t.Fatalf("%d changes, stats %+v", len(changes), st)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("took %s: a Retry-After was obeyed", el)
	}
}

// TestRetryAfterCancelled: cancelling during a Retry-After wait ends Run
// at once.
func TestRetryAfterCancelled(t *testing.T) {
	srv := newReplayServer(t, nil, connPlan{status: http.StatusServiceUnavailable, retryAfter: "3600"})
	waiting := make(chan struct{}, 1)
	f, err := New(Options{URL: srv.URL, Warn: func(error) { waiting <- struct{}{} }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx, func(Change) {}) }()
	select {
	case <-waiting:
	case <-time.After(5 * time.Second):
		t.Fatal("no retry warning")
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run still waits after the cancel")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		h    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"120", 2 * time.Minute, true},
		{" 5 ", 5 * time.Second, true},
		{"0", 0, false},
		{"-3", 0, false},
		{"1.5", 0, false},
		{"99999999999999999999", 0, false},
		{"9223372036854775807", (1 << 20) * time.Second, true},
		{"Wed, 02 Dec 2026 07:00:30 GMT", 30 * time.Second, true},
		{"Wednesday, 02-Dec-26 07:01:00 GMT", time.Minute, true}, // RFC 850
		{"Wed Dec  2 07:00:10 2026", 10 * time.Second, true},     // asctime
		{"Wed, 02 Dec 2026 06:59:00 GMT", 0, false},
		{"tomorrow", 0, false},
	} {
		got, ok := retryAfter(c.h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %s, %v; want %s, %v", c.h, got, ok, c.want, c.ok)
		}
	}
}
