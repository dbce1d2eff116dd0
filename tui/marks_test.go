package tui

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
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
	return marksHarnessWindow(t, path, nil)
}

// marksHarnessWindow is marksHarness with the feed's window moved by
// window before each load is remembered (nil leaves it).
func marksHarnessWindow(t *testing.T, path string, window func(*feed.Feed) *feed.Feed) (*harness, *app.Memory) {
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
		if window != nil {
			f = window(f)
		}
		out, err := mem.Remember(ctx, f, true, app.Window{Lean: true})
		if err != nil {
			return f, append(errs, err)
		}
		return out, errs
	}
	hs := &harness{t: t}
	core, err := app.Open(app.Options{Store: mem})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{
		Load: load, Config: Config{Style: "dark"}, Marks: mem, Core: core,
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" },
	})
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

// listed returns the IDs of the revisions the list shows, in order.
func listed(m *Model) []int64 {
	var ids []int64
	for _, it := range m.list.items {
		if it.rev != nil {
			ids = append(ids, it.rev.ID)
		}
	}
	return ids
}

func TestUnreadOnlyAndPageCounts(t *testing.T) {
	hs, _ := marksHarness(t, filepath.Join(t.TempDir(), "wikifeed.db"))
	// Each page row counts its unread revisions.
	hs.contains("notes (1 unread)", "2008 (5 unread)")
	// Reading the notes page's one revision and one of the other's.
	hs.keys("j", "enter", "tab", "j", "j", "enter", "tab")
	hs.contains("notes (1 revision)", "2008 (4 of 5 unread)", "● 4 unread")
	// U shows the unread ones only; the page of read ones goes.
	hs.keys("U")
	hs.contains("unread only", "showing the 4 unread entries only")
	if got := listed(hs.m); len(got) != 4 || slices.Contains(got, 6226) || slices.Contains(got, 6200) {
		t.Errorf("unread only lists %v, want the 4 unread of 6196-6199", got)
	}
	hs.lacks("notes (1 revision")
	// Marking all shown read leaves an empty view that says how to leave it.
	hs.keys("A", "U", "U")
	hs.contains("No unread entries. Press U to show them all.")
	hs.keys("U")
	if got := listed(hs.m); len(got) != 6 {
		t.Errorf("all entries: %v, want 6", got)
	}
	hs.lacks("unread only")
}

func TestGoneMarker(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	loads := 0
	// The second load's window has lost the two oldest revisions.
	hs, _ := marksHarnessWindow(t, path, func(f *feed.Feed) *feed.Feed {
		loads++
		if loads == 1 {
			return f
		}
		keep := slices.DeleteFunc(slices.Clone(f.Revisions), func(r *feed.Revision) bool { return r.ID == 6196 || r.ID == 6197 })
		return feed.Merge(&feed.Feed{Title: f.Title, Sources: f.Sources, Revisions: keep})
	})
	hs.lacks("(gone)")
	hs.keys("R")
	if got := listed(hs.m); len(got) != 6 {
		t.Fatalf("after the window moved the list holds %v, want all 6", got)
	}
	scr := hs.screen()
	var gone []string
	for _, line := range strings.Split(scr, "\n") {
		if strings.Contains(line, "(gone)") {
			gone = append(gone, line)
		}
	}
	if len(gone) != 2 || !strings.Contains(gone[0], "-745") || !strings.Contains(strings.Join(gone, "\n"), "Agenda") {
		t.Errorf("gone rows:\n%s\nscreen:\n%s", strings.Join(gone, "\n"), scr)
	}
	// They came without their texts, which are read from the store when
	// shown: the rendered revision and its diff.
	hs.keys("G")
	if r := hs.m.content.rev; r == nil || r.ID != 6196 || !r.Omitted {
		t.Fatalf("G shows %+v, want 6196 listed without its text", r)
	}
	hs.contains("There will be a containers mini-summit")
	hs.keys("k", "d")
	hs.contains("Revision 6196 → 6197", "lines: 1 added, 10 deleted")
	hs.lacks("read it from the store", "no store is open")
}

func TestSearchStoreKey(t *testing.T) {
	hs, _ := marksHarness(t, filepath.Join(t.TempDir(), "wikifeed.db"))
	hs.keys("S", `"zzzqqq"`, "enter")
	hs.contains("no stored revision matches “zzzqqq”")
	// A query FTS5 cannot read is an error on the status line; the feed stays.
	hs.keys("S", `"(open"`, "enter")
	hs.contains("search: bad search query")
	if got := listed(hs.m); len(got) != 6 {
		t.Fatalf("after a bad query the list holds %v", got)
	}
	// A real query lists what it finds, best first, in place of the feed.
	// It lists every match, read or not, and the unread-only view comes
	// back after.
	hs.keys("U", "S", `"notes"`, "enter")
	hs.contains("search: notes", "from the store", "esc returns to the feed")
	hs.lacks("unread only")
	got := listed(hs.m)
	if len(got) == 0 || !slices.Contains(got, 6226) {
		t.Fatalf("search for notes lists %v, want 6226 among them", got)
	}
	// Reloads go on underneath without replacing the results.
	hs.keys("R")
	if again := listed(hs.m); !slices.Equal(again, got) {
		t.Errorf("a reload replaced the results %v with %v", got, again)
	}
	// esc returns to the feed, with the selection it had.
	hs.keys("esc")
	hs.lacks("from the store")
	hs.contains("unread only")
	hs.keys("U")
	if got := listed(hs.m); len(got) != 6 {
		t.Errorf("back to the feed: %v, want 6 revisions", got)
	}
}
