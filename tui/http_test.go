package tui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
)

// TestReloadOverHTTP loads a feed from a wiki (an httptest server), then
// reloads it with R: the reload is a conditional GET that the wiki answers
// with 304, and the selection stays.
func TestReloadOverHTTP(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("..", "testdata", "feeds", "openvz-dlezcano-contributions.atom"))
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu          sync.Mutex
		gets, conds int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		gets++
		if r.Header.Get("If-None-Match") == `"v1"` {
			conds++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(body) //nolint:errcheck // the test fails on the client side
	}))
	defer srv.Close()
	opts := feed.Options{CacheDir: t.TempDir()}
	load := func(ctx context.Context) (*feed.Feed, []error) {
		return feed.Load(ctx, []string{srv.URL + "/feed.atom"}, opts)
	}
	hs := newHarness(t, load, 120, 30)
	hs.contains("6 revisions", "http://127.0.0.1")
	hs.keys("j", "j", "j")
	sel := hs.m.list.selectedKey()
	hs.keys("R")
	mu.Lock()
	defer mu.Unlock()
	if gets != 2 || conds != 1 {
		t.Fatalf("%d requests, %d conditional; want 2 and 1", gets, conds)
	}
	hs.contains("6 revisions", "reloaded: 0 new entries")
	if got := hs.m.list.selectedKey(); got != sel {
		t.Fatalf("the reload moved the selection from %s to %s", sel, got)
	}
}
