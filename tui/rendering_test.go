package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/internal/parsewiki"
)

// wikiHarness is the TUI on the test wiki's feed, loaded by the core,
// with revision id selected.
func wikiHarness(t *testing.T, w *parsewiki.Wiki, id int64) *harness {
	t.Helper()
	return wikiHarnessStore(t, w, id, nil)
}

// wikiHarnessStore is wikiHarness with the core's store st (nil: none).
func wikiHarnessStore(t *testing.T, w *parsewiki.Wiki, id int64, st app.Store) *harness {
	t.Helper()
	core, err := app.Open(app.Options{Args: []string{w.FeedURL}, NoCache: true, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	hs := &harness{t: t}
	m, err := New(Options{
		Load: core.Load, Core: core, Config: Config{Style: "dark"},
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	m.sh.noTimers = true
	hs.m = m
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: 160, Height: 50})
	for i := 0; i < 10 && (m.content.rev == nil || m.content.rev.ID != id); i++ {
		hs.keys("j")
	}
	if m.content.rev == nil || m.content.rev.ID != id {
		t.Fatalf("revision %d not selected:\n%s", id, hs.screen())
	}
	return hs
}

// TestWikiRenderingCases runs the shared table of renderings through the
// TUI: W shows the wiki's rendering in the rendered pane, or ours with
// the note; nothing from the wiki's answer reaches the terminal.
func TestWikiRenderingCases(t *testing.T) {
	for _, c := range parsewiki.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := parsewiki.Serve(t)
			hs := wikiHarness(t, w, c.Rev)
			if c.Offline {
				w.GoOffline()
			}
			hs.keys("W")
			m := hs.m
			raw := m.content.vp.GetContent()
			c.Check(t, ansi.Strip(raw), w)
			parsewiki.CheckSafe(t, raw, true)
			parsewiki.CheckSafe(t, m.View().Content, true)
			hs.contains("rendered by the wiki")
			if c.Parses == 1 && !strings.Contains(c.Name, "no such") {
				hs.contains("the wiki's own rendering")
			} else {
				// The status bar says why (cut to its width).
				hs.contains("The wiki ")
				if m.wikiPages.get(m.content.shown.rev) != nil {
					t.Error("a fallback kept a rendering")
				}
			}
		})
	}
}

// TestWikiRenderingKey: W asks the wiki in a command, off the update
// loop, with a spinner and a status meanwhile; the rendering is kept in
// memory, so W off and on and a resize ask no more; W again shows ours.
func TestWikiRenderingKey(t *testing.T) {
	w := parsewiki.Serve(t)
	hs := wikiHarness(t, w, 960)
	m := hs.m
	hs.contains("Ship|Nova") // ours shows the template
	_, cmd := m.Update(keyMsg("W"))
	if w.Parses() != 0 || cmd == nil || !m.content.loading {
		t.Fatalf("W asked the wiki inside Update (%d parses) or started nothing", w.Parses())
	}
	hs.contains("asking the wiki for its rendering…")
	hs.run(cmd)
	if w.Parses() != 1 || m.content.loading {
		t.Fatalf("after the command: %d parses, loading %v", w.Parses(), m.content.loading)
	}
	hs.contains("M3 heavy fighter", "Rendered by the wiki at 127.0.0.1:", "rendered by the wiki")
	hs.lacks("Ship|Nova")
	hs.keys("W")
	hs.contains("Ship|Nova", "wikifeed's own rendering")
	hs.lacks("M3 heavy fighter")
	hs.keys("W")
	hs.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	hs.contains("M3 heavy fighter")
	// From the diff, W goes to the rendered view, the wiki's still.
	hs.keys("d", "W", "W")
	hs.contains("M3 heavy fighter")
	if n := w.Parses(); n != 1 {
		t.Errorf("the wiki was asked %d times, want 1", n)
	}
	// Offline, a revision not kept: ours, with the note, not cached.
	w.GoOffline()
	hs.keys("k")
	hs.contains("The wiki could not be reached")
}

// TestWikiRenderingStored: a second session on the same store shows the
// wiki's rendering without asking the wiki, even offline.
func TestWikiRenderingStored(t *testing.T) {
	w := parsewiki.Serve(t)
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	session := func() *harness {
		mem, err := app.OpenMemoryAt(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { mem.Close() })
		hs := wikiHarnessStore(t, w, 960, mem)
		hs.keys("W")
		return hs
	}
	session().contains("M3 heavy fighter")
	w.GoOffline()
	session().contains("M3 heavy fighter", "the wiki's own rendering")
	if n := w.Parses(); n != 1 {
		t.Errorf("two sessions asked the wiki %d times, want 1", n)
	}
}
