package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
)

// TestLiveDiffTextsFromStore: a live change's diff asks the wiki's API
// once; the texts go into the store, and a later session on the same store
// file makes the diff without asking (saying so), or asks only for the
// text it lacks.
func TestLiveDiffTextsFromStore(t *testing.T) {
	var (
		mu    sync.Mutex
		asked []string
	)
	texts := map[int64]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Query().Get("revids"))
		mu.Unlock()
		var revs []map[string]any
		for s := range strings.SplitSeq(r.URL.Query().Get("revids"), "|") {
			id, _ := strconv.ParseInt(s, 10, 64)
			revs = append(revs, map[string]any{"revid": id, "slots": map[string]any{"main": map[string]any{"content": texts[id]}}})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"query": map[string]any{"pages": []any{map[string]any{"title": "EFL Championship", "revisions": revs}}}})
	}))
	defer srv.Close()
	askedSoFar := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
	// The first recorded event, its wiki the test server.
	c, err := eventstream.Decode(bytes.ReplaceAll(liveEvents(t)[0], []byte("https://en.wikipedia.org"), []byte(srv.URL)))
	if err != nil {
		t.Fatal(err)
	}
	texts[c.OldRevision] = "The league has 24 clubs."
	texts[c.NewRevision] = "The league has 24 member clubs."
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wikifeed.db")

	// session opens the store and a core on it and diffs the change.
	session := func(prepare func(*Memory)) *Diff {
		t.Helper()
		m, err := OpenMemoryAt(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		if prepare != nil {
			prepare(m)
		}
		rev := RevisionOf(c)
		if err := m.SaveChanges(ctx, "stream", []*feed.Revision{rev}); err != nil {
			t.Fatal(err)
		}
		a, err := Open(Options{Store: m})
		if err != nil {
			t.Fatal(err)
		}
		p := a.Plan(ctx, nil, rev)
		if p.Source != SourceAPI {
			t.Fatalf("plan %+v", p)
		}
		d, err := a.Diff(ctx, p, DiffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d.OldText != texts[c.OldRevision] || d.NewText != texts[c.NewRevision] || d.Result == nil {
			t.Fatalf("diff of %q and %q", d.OldText, d.NewText)
		}
		return d
	}
	notes := func(d *Diff) string { return strings.Join(d.Notes, "\n") }

	d := session(nil)
	if got := askedSoFar(); len(got) != 1 || got[0] != strconv.FormatInt(c.NewRevision, 10)+"|"+strconv.FormatInt(c.OldRevision, 10) {
		t.Fatalf("first session asked %v", got)
	}
	if !strings.Contains(notes(d), "fetched from "+srv.URL+"/w/api.php.") {
		t.Errorf("notes: %s", notes(d))
	}

	d = session(nil)
	if got := askedSoFar(); len(got) != 1 {
		t.Errorf("the second session asked the API again: %v", got[1:])
	}
	if !strings.Contains(notes(d), "are from the store") {
		t.Errorf("notes: %s", notes(d))
	}

	// A store that has only the parent's text: only the new one is asked.
	path = filepath.Join(t.TempDir(), "parent-only.db")
	session(func(m *Memory) {
		if err := m.SaveText(ctx, WikiKey(RevisionOf(c)), c.OldRevision, texts[c.OldRevision]); err != nil {
			t.Fatal(err)
		}
	})
	if got := askedSoFar(); len(got) != 2 || got[1] != strconv.FormatInt(c.NewRevision, 10) {
		t.Errorf("with the parent stored, asked %v", got)
	}
}
