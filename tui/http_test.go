package tui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/app"
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
	// The store keeps the copy and its ETag, as wikifeed's own load does.
	mem, err := app.OpenMemoryAt(context.Background(), filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	opts := feed.Options{Cache: mem}
	load := func(ctx context.Context) (*feed.Feed, []error) {
		f, errs := feed.Load(ctx, []string{srv.URL + "/feed.atom"}, opts)
		if f != nil {
			if out, err := mem.Remember(ctx, f, false, app.Window{}); err == nil {
				f = out
			} else {
				errs = append(errs, err)
			}
		}
		return f, errs
	}
	hs := newHarness(t, load, 120, 30)
	hs.contains("6 revisions", "http://127.0.0.1")
	hs.keys("j", "j", "j")
	sel := hs.m.list.selection().key
	hs.keys("R")
	mu.Lock()
	defer mu.Unlock()
	if gets != 2 || conds != 1 {
		t.Fatalf("%d requests, %d conditional; want 2 and 1", gets, conds)
	}
	hs.contains("6 revisions", "reloaded: 0 new entries")
	if got := hs.m.list.selection().key; got != sel {
		t.Fatalf("the reload moved the selection from %s to %s", sel, got)
	}
}

// TestDiffFetchesTexts opens the diff of an entry that carries only a
// "Show changes" link: the texts come from the wiki's API (an httptest
// server), once, even when a resize renders the diff again.
func TestDiffFetchesTexts(t *testing.T) {
	var (
		mu    sync.Mutex
		calls int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		if r.URL.Path != "/w/api.php" || r.URL.Query().Get("revids") != "961|730" {
			http.Error(w, "unexpected "+r.URL.String(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"batchcomplete":true,"query":{"pages":[{"pageid":736,"ns":0,"title":"Ship List","revisions":[` + //nolint:errcheck // the test fails on the client side
			`{"revid":730,"parentid":701,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"== Ships ==\n* [[Nova]]"}}},` +
			`{"revid":961,"parentid":730,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"== Ships ==\n* [[Nova]]\n* [[Mamba]]"}}}]}]}}`))
	}))
	defer srv.Close()
	r := &feed.Revision{
		Page: "Ship List", ID: 961, ParentID: 730, User: "Madned", Time: testNow, Kind: feed.BodyChangesLink,
		ChangesURL: srv.URL + "/w/index.php?title=Ship_List&diff=961&oldid=730", URL: srv.URL + "/w/index.php?title=Ship_List&diff=961",
	}
	f := &feed.Feed{Title: "X3", Sources: []string{"x.rss"}, Revisions: []*feed.Revision{r}, Pages: []*feed.Page{{Title: r.Page, Revisions: []*feed.Revision{r}}}}
	hs := newHarness(t, feedOf(f), 120, 30)
	core, err := app.Open(app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs.m.core = core
	hs.keys("d")
	hs.contains("Mamba", "Texts of revisions 730 and 961 fetched from", srv.URL+"/w/api.php.", "Revision 730 → 961", "1 change")
	hs.send(tea.WindowSizeMsg{Width: 140, Height: 30})
	hs.contains("Mamba")
	mu.Lock()
	defer mu.Unlock()
	if calls != 1 {
		t.Fatalf("the wiki was asked %d times, want once", calls)
	}
}
