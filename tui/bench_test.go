package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
)

// bigFeed is a page with two revisions of about 500 KB of real wikitext
// (two Wikipedia articles end to end); the second edits every 40th line.
func bigFeed(tb testing.TB) *feed.Feed {
	tb.Helper()
	var text []byte
	for _, name := range []string{"enwiki-United_Kingdom.wikitext", "enwiki-Anarchism.wikitext"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "wikitext", name))
		if err != nil {
			tb.Fatal(err)
		}
		text = append(text, b...)
	}
	lines := strings.Split(string(text), "\n")
	old := strings.Join(lines, "\n")
	for i := 20; i < len(lines); i += 40 {
		lines[i] = "Edited: " + lines[i]
	}
	cur := strings.Join(lines, "\n")
	r1 := &feed.Revision{Page: "Big", ID: 1, User: "A", Time: testNow.Add(-time.Hour), Kind: feed.BodyWikitext, Text: old, NewPage: true}
	r2 := &feed.Revision{Page: "Big", ID: 2, ParentID: 1, User: "B", Time: testNow, Kind: feed.BodyWikitext, Text: cur}
	return &feed.Feed{
		Title: "Big", Sources: []string{"big"}, Revisions: []*feed.Revision{r2, r1},
		Pages: []*feed.Page{{Title: "Big", Revisions: []*feed.Revision{r1, r2}}},
	}
}

// bigHarness opens the big revision in mode md at 140×40, content focused.
func bigHarness(b *testing.B, md string) *harness {
	hs := newHarness(b, feedOf(bigFeed(b)), 140, 40)
	hs.keys("j", md, "tab")
	if len(hs.m.content.rev.Text) < 500_000 {
		b.Fatalf("the revision is %d bytes, want 500 KB", len(hs.m.content.rev.Text))
	}
	if hs.m.content.loading || hs.m.content.vp.TotalLineCount() < 500 {
		b.Fatalf("content not ready: %d lines", hs.m.content.vp.TotalLineCount())
	}
	return hs
}

// BenchmarkKeyScroll is one key press (j, then k back) on a 500 KB
// revision, answered: Update and the frame's View.
func BenchmarkKeyScroll(b *testing.B) {
	for _, md := range []string{"r", "d"} {
		b.Run(map[string]string{"r": "rendered", "d": "diff"}[md], func(b *testing.B) {
			hs := bigHarness(b, md)
			hs.keys("ctrl+d")
			keys := []tea.Msg{keyMsg("j"), keyMsg("k")}
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				hs.m.Update(keys[i%2])
				_ = hs.m.View()
			}
		})
	}
}

// BenchmarkKeySearching is a key press (j, k) on the 500 KB revision
// while a search for "the" highlights its thousands of matches.
func BenchmarkKeySearching(b *testing.B) {
	hs := bigHarness(b, "r")
	hs.keys("ctrl+f", `"the"`, "enter")
	if n := len(hs.m.content.matches); n < 1000 {
		b.Fatalf("%d matches", n)
	}
	keys := []tea.Msg{keyMsg("j"), keyMsg("k")}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		hs.m.Update(keys[i%2])
		_ = hs.m.View()
	}
}

// BenchmarkKeyNextChange is one n (or N on the way back) in the diff of a
// 500 KB revision, with the frame's View.
func BenchmarkKeyNextChange(b *testing.B) {
	hs := bigHarness(b, "d")
	n := len(hs.m.content.changes)
	if n < 20 {
		b.Fatalf("only %d changes", n)
	}
	next, prev := keyMsg("n"), keyMsg("N")
	dir := next
	b.ResetTimer()
	for b.Loop() {
		switch hs.m.content.change {
		case n - 1:
			dir = prev
		case 0:
			dir = next
		}
		hs.m.Update(dir)
		_ = hs.m.View()
	}
}

// syncBuffer is a bytes.Buffer safe for a program writing while the
// benchmark reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) has(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Contains(s.b.Bytes(), []byte(sub))
}

// BenchmarkStartToFirstFrame runs the whole program on the sample feed
// until its first frame is written: "list" is the header and the list,
// "content" the frame with the rendered revision beside them.
func BenchmarkStartToFirstFrame(b *testing.B) {
	for _, bc := range []struct{ name, text string }{{"list", "6 revisions"}, {"content", "Dave Hansen"}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				startToFrame(b, bc.text)
			}
		})
	}
}

// startToFrame starts the program on the sample feed and waits until its
// output shows text.
func startToFrame(b *testing.B, text string) {
	runToFrame(b, Options{
		Load:   func(ctx context.Context) (*feed.Feed, []error) { return feed.Load(ctx, nil, feed.Options{}) },
		Config: Config{Style: "dark"}, Getenv: func(string) string { return "" },
	}, text)
}

// BenchmarkFirstFrameStored starts the program on a URL source of which
// the store holds 10,000 revisions, the feed's window the newest 50, and
// waits for the first frame: "list" shows the header and the list (every
// stored revision), "content" the newest revision rendered beside them.
// Each load is what the real one does: the window is saved and the whole
// list read back from a real SQLite file.
func BenchmarkFirstFrameStored(b *testing.B) {
	const src = "https://bench.example/w/index.php?title=Special:RecentChanges&feed=atom"
	many := manyFeed(b)
	for _, r := range many.Revisions {
		r.Source = src
	}
	many.Sources = []string{src}
	ctx := context.Background()
	mem, err := app.OpenMemoryAt(ctx, filepath.Join(b.TempDir(), "wikifeed.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer mem.Close()
	if _, err := mem.Remember(ctx, many, false, app.Window{Lean: true}); err != nil {
		b.Fatal(err)
	}
	window := feed.Merge(&feed.Feed{Title: "Many", Sources: many.Sources, Revisions: many.Revisions[:50]})
	core, err := app.Open(app.Options{Store: mem, NoFetch: true})
	if err != nil {
		b.Fatal(err)
	}
	load := func(ctx context.Context) (*feed.Feed, []error) {
		f, err := mem.Remember(ctx, window, false, app.Window{Lean: true})
		if err != nil {
			return nil, []error{err}
		}
		return f, nil
	}
	newest := fmt.Sprintf("#%d by", many.Revisions[0].ID)
	for _, bc := range []struct{ name, text string }{{"list", "10000 revisions"}, {"content", newest}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				runToFrame(b, Options{Load: load, Core: core, Marks: mem, Config: Config{Style: "dark"}, Getenv: func(string) string { return "" }}, bc.text)
			}
		})
	}
}

// runToFrame runs the program and waits until its output shows text.
func runToFrame(b *testing.B, opts Options, text string) {
	out := &syncBuffer{}
	m, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	p := tea.NewProgram(m, tea.WithInput(nil), tea.WithOutput(out), tea.WithWindowSize(120, 30), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { p.Run(); close(done) }() //nolint:errcheck // killed below
	deadline := time.Now().Add(5 * time.Second)
	for !out.has(text) {
		if time.Now().After(deadline) {
			b.Fatal("no first frame within 5s")
		}
		time.Sleep(100 * time.Microsecond)
	}
	p.Kill()
	<-done
}

// BenchmarkRenderBig is the render command for the 500 KB revision: what
// the spinner covers when it is opened or the window resized. first-screen
// is what shows before the rest (render.Document.RenderFirst).
func BenchmarkRenderBig(b *testing.B) {
	f := bigFeed(b)
	for _, md := range []mode{modeRendered, modeDiff, modeSource} {
		b.Run(md.String(), func(b *testing.B) {
			job := renderJob{key: contentKey{rev: "big", mode: md, width: 90, style: "dark"}, rev: *f.Revisions[0], feed: f, orig: f.Revisions[0], st: newStyles("dark")}
			for b.Loop() {
				renderContent(job)()
			}
		})
	}
	b.Run("first-screen", func(b *testing.B) {
		job := renderJob{key: contentKey{rev: "big", mode: modeRendered, width: 90, style: "dark"}, lines: 38, rev: *f.Revisions[0], st: newStyles("dark")}
		for b.Loop() {
			if msg := renderContent(job)().(revisionRenderedMsg); msg.rest == nil {
				b.Fatal("rendered whole")
			}
		}
	})
}

// manyFeed is 10,000 entries made of the real feeds in testdata/feeds,
// repeated with new IDs and page titles (so about 10,000 / 30 pages of
// their own) until there are that many.
func manyFeed(tb testing.TB) *feed.Feed {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join("..", "testdata", "feeds", "*.*"))
	if err != nil {
		tb.Fatal(err)
	}
	var found []*feed.Revision
	for _, n := range names {
		if strings.HasSuffix(n, ".md") {
			continue
		}
		if f, _ := feed.Load(context.Background(), []string{n}, feed.Options{NoCache: true}); f != nil {
			found = append(found, f.Revisions...)
		}
	}
	if len(found) < 100 {
		tb.Fatalf("only %d real revisions", len(found))
	}
	const n = 10_000
	revs := make([]*feed.Revision, 0, n)
	for i := range n {
		r := *found[i%len(found)]
		r.ID = int64(i + 1)
		r.Page = fmt.Sprintf("%s (%d)", r.Page, i/len(found)/3)
		r.Time = testNow.Add(-time.Duration(i) * time.Minute)
		revs = append(revs, &r)
	}
	return feedFrom("Many", revs)
}

// BenchmarkFilterKey is one keystroke in the filter of a 10,000-entry
// feed (adding an e to "s", then taking it away), answered: Update, which
// filters the list and sets the content pane to the first revision shown,
// and the frame's View.
func BenchmarkFilterKey(b *testing.B) {
	for _, layout := range []string{"grouped", "flat"} {
		b.Run(layout, func(b *testing.B) {
			hs := newHarness(b, feedOf(manyFeed(b)), 140, 40)
			if layout == "flat" {
				hs.keys("t")
			}
			hs.keys("/", "s")
			if n := len(hs.m.list.items); n < 1000 {
				b.Fatalf("the filter shows %d rows", n)
			}
			keys := []tea.Msg{keyMsg("e"), keyMsg("backspace")}
			hs.m.Update(keys[0])
			if hs.m.list.filter != "se" {
				b.Fatalf("the filter is %q", hs.m.list.filter)
			}
			hs.m.Update(keys[1])
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				hs.m.Update(keys[i%2])
				_ = hs.m.View()
			}
		})
	}
}

// BenchmarkSearchEnter is the enter that runs a search ("the") over the
// 500 KB revision, the plain text made afresh each time as on the first
// search of a text.
func BenchmarkSearchEnter(b *testing.B) {
	hs := bigHarness(b, "r")
	c := &hs.m.content
	for b.Loop() {
		c.plain = nil
		c.search("the", true)
		_ = hs.m.View()
	}
	if len(c.matches) < 1000 {
		b.Fatalf("%d matches", len(c.matches))
	}
}
