package render

import (
	"strings"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/feed"
)

// TestRevisionKey checks that the key changes with anything a rendering
// shows, and only then.
func TestRevisionKey(t *testing.T) {
	base := func() *feed.Revision {
		return &feed.Revision{Page: "P", ID: 7, User: "U", Comment: "c", Kind: feed.BodyWikitext, Text: "text",
			Time: time.Date(2008, 7, 22, 14, 58, 0, 0, time.UTC), URL: "https://w.example/wiki/P"}
	}
	k := RevisionKey(base())
	if RevisionKey(base()) != k {
		t.Fatal("the same revision gets two keys")
	}
	changes := map[string]func(*feed.Revision){
		"id":          func(r *feed.Revision) { r.ID = 8 },
		"page":        func(r *feed.Revision) { r.Page = "Q" },
		"user":        func(r *feed.Revision) { r.User = "V" },
		"comment":     func(r *feed.Revision) { r.Comment = "d" },
		"time":        func(r *feed.Revision) { r.Time = r.Time.Add(time.Second) },
		"text":        func(r *feed.Revision) { r.Text = "texT" },
		"kind":        func(r *feed.Revision) { r.Kind = feed.BodyHTML },
		"size change": func(r *feed.Revision) { r.HasSizeChange, r.SizeChange = true, 5 },
		"log":         func(r *feed.Revision) { r.Log = true },
		// Field boundaries count: "ab"+"c" is not "a"+"bc".
		"boundary": func(r *feed.Revision) { r.Page, r.User = "PU", "" },
	}
	for name, change := range changes {
		r := base()
		change(r)
		if RevisionKey(r) == k {
			t.Errorf("%s: the key did not change", name)
		}
	}
	r := base()
	r.EntryID, r.Source = "other", "elsewhere.atom"
	if RevisionKey(r) != k {
		t.Error("fields no rendering shows changed the key")
	}
}

// TestCache checks hits, the per-option keys and the size bound.
func TestCache(t *testing.T) {
	rev := &feed.Revision{Page: "Cached", ID: 1, Kind: feed.BodyWikitext, Text: "== Head ==\nsome '''text'''", URL: "https://w.example/wiki/Cached"}
	c := NewCache(0)
	opts := Options{Width: 60, Style: "dark", Format: Plain}
	first, err := c.Render(rev, opts)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Revision(rev, opts)
	if first != want {
		t.Fatal("the cache renders differently from Revision")
	}
	if got, ok := c.Get(KeyFor(rev, opts)); !ok || got != want {
		t.Fatal("the rendering was not stored")
	}
	// A stored value is what Render answers with: prove it by storing a
	// different one.
	c.Put(KeyFor(rev, opts), "from the cache")
	if got, _ := c.Render(rev, opts); got != "from the cache" {
		t.Errorf("Render did not answer from the cache: %q", got)
	}
	for _, o := range []Options{{Width: 61, Style: "dark", Format: Plain}, {Width: 60, Style: "light", Format: Plain}, {Width: 60, Style: "dark", Format: ANSI}} {
		if _, ok := c.Get(KeyFor(rev, o)); ok {
			t.Errorf("%+v: found a rendering made with other options", o)
		}
	}

	small := NewCache(100)
	for i := 0; i < 10; i++ {
		small.Put(CacheKey{Revision: strings.Repeat("k", i+1)}, strings.Repeat("x", 30))
		if small.Bytes() > 100 {
			t.Fatalf("cache holds %d bytes, bound 100", small.Bytes())
		}
	}
	if small.Len() != 3 {
		t.Errorf("cache holds %d renderings of 30 bytes in 100, want 3", small.Len())
	}
	// The least recently used goes first: touch the oldest, add one more.
	oldest := CacheKey{Revision: strings.Repeat("k", 8)}
	if _, ok := small.Get(oldest); !ok {
		t.Fatal("the third newest rendering was dropped")
	}
	small.Put(CacheKey{Revision: "new"}, strings.Repeat("y", 30))
	if _, ok := small.Get(oldest); !ok {
		t.Error("a recently used rendering was dropped")
	}
	if _, ok := small.Get(CacheKey{Revision: strings.Repeat("k", 9)}); ok {
		t.Error("the least recently used rendering was kept")
	}
	small.Put(CacheKey{Revision: "huge"}, strings.Repeat("z", 101))
	if _, ok := small.Get(CacheKey{Revision: "huge"}); ok || small.Len() != 3 {
		t.Error("a rendering larger than the bound was stored")
	}
}
