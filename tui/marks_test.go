package tui

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
)

// marksHarness runs the UI on a real store in path, remembering the
// OpenVZ contributions feed (6 revisions) as a file source.
func marksHarness(t *testing.T, path string) (*harness, *app.Memory) {
	t.Helper()
	ctx := context.Background()
	mem, err := app.OpenMemoryAt(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	load := func(ctx context.Context) (*feed.Feed, []error) {
		f, errs := feed.Load(ctx, []string{"../testdata/feeds/openvz-dlezcano-contributions.atom"}, feed.Options{NoCache: true})
		if f == nil {
			return f, errs
		}
		out, err := mem.Remember(ctx, f, true, app.Window{})
		if err != nil {
			return f, append(errs, err)
		}
		return out, errs
	}
	hs := &harness{t: t}
	m, err := New(Options{Load: load, Config: Config{Style: "dark"}, Marks: mem,
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	m.sh.noTimers = true
	hs.m = m
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: 120, Height: 30})
	return hs, mem
}

// unreadStored counts the store's unread revisions.
func unreadStored(t *testing.T, mem *app.Memory) int {
	by, err := mem.Store().UnreadBySource(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, k := range by {
		n += k
	}
	return n
}

func TestMarks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	hs, mem := marksHarness(t, path)
	// The load shows the first entry without marking it read.
	hs.contains("● 6 unread")
	if n := unreadStored(t, mem); n != 6 {
		t.Fatalf("%d unread stored after the load, want 6", n)
	}
	// Opening an entry marks it read; v marks the selected one reviewed.
	hs.keys("j", "enter")
	hs.contains("● 5 unread")
	if n := unreadStored(t, mem); n != 5 {
		t.Errorf("%d unread stored after opening one, want 5", n)
	}
	hs.keys("tab", "u")
	hs.keys("v")
	hs.contains("marked reviewed", "● 4 unread")
	if n := unreadStored(t, mem); n != 4 {
		t.Errorf("%d unread after v, want 4", n)
	}
	// A marks everything shown read; u then finds nothing.
	hs.keys("A")
	hs.contains("marked 6 entries read")
	hs.lacks("unread")
	hs.keys("u")
	hs.contains("no unread entry")
	mem.Close()

	// The marks outlive the session: a new one starts with none unread.
	hs, mem = marksHarness(t, path)
	hs.lacks("unread")
	if n := unreadStored(t, mem); n != 0 {
		t.Errorf("%d unread after a restart, want 0", n)
	}
	st, err := mem.Store().Stats(context.Background())
	if err != nil || st.Revisions != 6 {
		t.Errorf("stats: %+v %v", st, err)
	}
}
