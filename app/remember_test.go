package app

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/feed"
)

// movingFeed serves the real x3wiki recent-changes feed (15 entries) with a
// window of 10 that moves on by 5 entries at every request after the first,
// as a busy wiki's does; it answers a matching If-None-Match with 304.
func movingFeed(t *testing.T) (*httptest.Server, *atomic.Int32) {
	data, err := os.ReadFile("../testdata/feeds/mediawiki-1.27.1-x3wiki-recentchanges-api.atom")
	if err != nil {
		t.Fatal(err)
	}
	first := bytes.Index(data, []byte("<entry>"))
	last := bytes.LastIndex(data, []byte("</entry>")) + len("</entry>")
	var entries [][]byte
	for rest := data[first:last]; len(rest) > 0; {
		end := bytes.Index(rest, []byte("</entry>")) + len("</entry>")
		entries = append(entries, rest[:end])
		rest = bytes.TrimLeft(rest[end:], " \t\r\n")
	}
	if len(entries) != 15 {
		t.Fatalf("%d entries", len(entries))
	}
	var version atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := int(version.Load())
		etag := fmt.Sprintf(`"v%d"`, v)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		// Newest first: version 0 has the 10 oldest entries.
		lo := max(0, 5-5*v)
		var b bytes.Buffer
		b.Write(data[:first])
		for _, e := range entries[lo : lo+10] {
			b.Write(e)
			b.WriteString("\n")
		}
		b.Write(data[last:])
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		w.Write(b.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv, &version
}

func TestRememberMovingWindow(t *testing.T) {
	ctx := context.Background()
	srv, version := movingFeed(t)
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	m, err := OpenMemoryAt(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	load := func() *feed.Feed {
		t.Helper()
		f, errs := feed.Load(ctx, []string{srv.URL}, feed.Options{Cache: m})
		if errs != nil {
			t.Fatal(errs)
		}
		out, err := m.Remember(ctx, f, false, Window{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	f := load()
	if len(f.Revisions) != 10 {
		t.Fatalf("first load: %d revisions", len(f.Revisions))
	}
	content := map[revIdentity]string{}
	for _, r := range f.Revisions {
		content[identityOf(r)] = r.Body + r.Text
	}
	// Open the first one: read. Then the window moves on.
	if err := m.Mark(ctx, f.Revisions[:1], false); err != nil {
		t.Fatal(err)
	}
	version.Store(1)
	f = load()
	if len(f.Revisions) != 15 {
		t.Fatalf("second load: %d revisions, want all 15 ever seen", len(f.Revisions))
	}
	gone, read := 0, 0
	for _, r := range f.Revisions {
		st, ok := m.StateOf(r)
		if !ok {
			t.Fatalf("revision %d has no stored state", r.ID)
		}
		if !st.InWindow {
			gone++
			if want := content[identityOf(r)]; r.Body+r.Text != want || want == "" && r.Kind != feed.BodyEmpty {
				t.Errorf("revision %d %q, gone from the feed, came back with %d bytes of content, had %d", r.ID, r.Page, len(r.Body+r.Text), len(want))
			}
		}
		if !st.Read.IsZero() {
			read++
		}
	}
	if gone != 5 || read != 1 {
		t.Errorf("%d out of the window (want 5), %d read (want 1)", gone, read)
	}
	// Unchanged: the stored validators make it a 304, and nothing changes.
	f = load()
	if len(f.Revisions) != 15 {
		t.Fatalf("after a 304: %d revisions", len(f.Revisions))
	}
	m.Close()
	// Marks and revisions survive a restart; --unread lists the others.
	if m, err = OpenMemoryAt(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	f, errs := feed.Load(ctx, []string{srv.URL}, feed.Options{Cache: m})
	if errs != nil {
		t.Fatal(errs)
	}
	unread, err := m.Remember(ctx, f, false, Window{Unread: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(unread.Revisions) != 14 {
		t.Errorf("unread: %d, want 14", len(unread.Revisions))
	}
	limited, _ := m.Remember(ctx, f, false, Window{Limit: 3})
	if len(limited.Revisions) != 3 || limited.Revisions[0].Time.Before(limited.Revisions[2].Time) {
		t.Errorf("--limit 3: %d", len(limited.Revisions))
	}
	// A revision's text from the feed is found by ID for the diff.
	var withText *feed.Revision
	for _, r := range f.Revisions {
		if r.Text != "" && r.ID != 0 {
			withText = r
			break
		}
	}
	if withText != nil {
		got, err := m.Revision(ctx, WikiKey(withText), withText.ID)
		if err != nil || got == nil || got.Text != withText.Text {
			t.Errorf("Revision(%q, %d): %v %v", WikiKey(withText), withText.ID, got, err)
		}
	}
	// Search finds them, ranked.
	hits, err := m.Search(ctx, fmt.Sprintf("page:%q", f.Revisions[0].Page), nil, 10)
	if err != nil || len(hits.Revisions) == 0 || hits.Revisions[0].Page != f.Revisions[0].Page {
		t.Errorf("search for %q: %v %v", f.Revisions[0].Page, hits, err)
	}
}

func TestRememberFilesOnlyWhenAsked(t *testing.T) {
	ctx := context.Background()
	m, err := OpenMemoryAt(ctx, filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	file := "../testdata/feeds/mediawiki-1.12.0-sbgn-recentchanges.atom"
	f, errs := feed.Load(ctx, []string{file}, feed.Options{NoCache: true})
	if errs != nil {
		t.Fatal(errs)
	}
	out, err := m.Remember(ctx, f, false, Window{})
	if err != nil || len(out.Revisions) != len(f.Revisions) {
		t.Fatal(err)
	}
	st, err := m.Store().Stats(ctx)
	if err != nil || st.Revisions != 0 {
		t.Errorf("a file was stored without being asked: %+v %v", st, err)
	}
	if _, err := m.Remember(ctx, f, true, Window{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := m.Store().Stats(ctx); st.Revisions != len(f.Revisions) {
		t.Errorf("remembered file: %d stored, want %d", st.Revisions, len(f.Revisions))
	}
}

// TestStoreStaysBounded saves 30 loads of a feed whose window moves on by
// 20 revisions of 40 KB each time: without a bound the file would pass
// 20 MB; with a bound of 4 MiB every save leaves it near that, and what
// the feed's window holds now stays whole.
func TestStoreStaysBounded(t *testing.T) {
	ctx := context.Background()
	m, err := OpenMemoryAt(ctx, filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	const bound = 4 << 20
	m.Bound(bound)
	const src = "https://wiki.example/w/index.php?title=Special:RecentChanges&feed=atom"
	rnd := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		b := make([]byte, 40<<10)
		for i := range b {
			b[i] = byte('a' + rnd.IntN(26))
		}
		return string(b)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for load := range 30 {
		var revs []*feed.Revision
		for i := range 20 {
			id := int64(load*20 + i + 1)
			revs = append(revs, &feed.Revision{
				Page: fmt.Sprintf("Page %d", id%7), ID: id, Source: src,
				URL: fmt.Sprintf("https://wiki.example/w/index.php?oldid=%d", id), Time: start.Add(time.Duration(id) * time.Minute),
				Kind: feed.BodyWikitext, Text: text(), User: "Ann",
			})
		}
		out, err := m.Remember(ctx, feed.Merge(&feed.Feed{Title: "Recent", Sources: []string{src}, Revisions: revs}), false, Window{Lean: true})
		if err != nil {
			t.Fatal(err)
		}
		if size := m.Store().FileBytes(); size > bound+(1<<20) {
			t.Fatalf("after load %d the file is %d bytes, bound %d", load, size, bound)
		}
		// The window's 20 are all there, newest first.
		for i := range 20 {
			if FindID(out, int64(load*20+i+1)) == nil {
				t.Fatalf("load %d: revision %d of the window is missing", load, load*20+i+1)
			}
		}
	}
	st, err := m.Store().Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Revisions >= 600 || st.Revisions < 20 {
		t.Errorf("%d revisions stored after pruning; want fewer than the 600 saved and at least the window's 20", st.Revisions)
	}
	t.Logf("%d revisions kept in %d bytes", st.Revisions, st.FileBytes)
}
