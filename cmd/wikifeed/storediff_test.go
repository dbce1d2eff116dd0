package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wikifeed/wikifeed/internal/diffcases"
)

// TestDiffFromStoredParent: a revision whose parent has left the feed's
// window still diffs against it, from the real store, without asking the
// wiki (whose API is down here).
func TestDiffFromStoredParent(t *testing.T) {
	before := diffcases.Case{Entries: []diffcases.Entry{
		{ID: 10, Parent: 5, Text: "* [[Nova]]"},
		{ID: 20, Parent: 10, Text: "* [[Nova]]\n* [[Mamba]]"},
	}}
	after := diffcases.Case{Entries: []diffcases.Entry{
		{ID: 10, Parent: 5, Text: "* [[Nova]]"},
		{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]\n* [[Elite]]"},
	}}
	var moved atomic.Bool
	var apiCalls atomic.Int32
	var root string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "api.php") {
			apiCalls.Add(1)
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		c := before
		if moved.Load() {
			c = after
		}
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		_, _ = w.Write([]byte(diffcases.FeedXML(c, root)))
	}))
	defer srv.Close()
	root = srv.URL
	feedURL := srv.URL + "/w/index.php?title=Special:RecentChanges&feed=atom"
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	cmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, errs := cmd("list", feedURL); code != exitOK {
		t.Fatalf("list: exit %d, %s", code, errs)
	}
	moved.Store(true)
	code, out, errs := cmd("diff", "--rev", "30", feedURL)
	if code != exitOK {
		t.Fatalf("diff: exit %d, %s", code, errs)
	}
	if !strings.Contains(out, "20 → 30") || !strings.Contains(out, "{+* [[Elite]]+}") || strings.Contains(out, "{+* [[Mamba]]+}") {
		t.Errorf("want the diff 20 → 30 adding Elite only:\n%s", out)
	}
	if n := apiCalls.Load(); n != 0 {
		t.Errorf("the wiki's API was asked %d times", n)
	}
	// The list keeps revision 20, marked as gone from the feed.
	_, out, _ = cmd("list", feedURL)
	if !strings.Contains(out, "\t20\t") || !strings.Contains(out, "gone from the feed") {
		t.Errorf("list after the window moved:\n%s", out)
	}
	// Its text, left in the store by the list, is read for show and for
	// list --json.
	code, out, errs = cmd("show", "--rev", "20", "--format", "source", feedURL)
	if code != exitOK || !strings.Contains(out, "* [[Mamba]]") {
		t.Errorf("show --rev 20 after the window moved: exit %d, %q, %s", code, out, errs)
	}
	_, out, _ = cmd("list", "--json", feedURL)
	if !strings.Contains(out, `"text": "* [[Nova]]\n* [[Mamba]]"`) {
		t.Errorf("list --json lacks revision 20's text:\n%s", out)
	}
}
