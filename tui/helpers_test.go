package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/feed"
)

// updating reports whether -update was given: rewrite the golden files.
// The flag itself is declared by charmbracelet/x/exp/golden, which
// teatest imports; declaring it again would panic.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// testNow is the fixed "now" of every test: a day after the sample feed's
// newest revision.
var testNow = time.Date(2008, 7, 23, 15, 0, 0, 0, time.UTC)

// harness drives a Model the way Bubble Tea would, but synchronously:
// every command runs at once and its message goes back into Update.
type harness struct {
	t      testing.TB
	m      *Model
	quit   bool
	opened []string
}

// newHarness makes a model over load, sized w×h, with the first load done.
func newHarness(t testing.TB, load func(context.Context) (*feed.Feed, []error), w, h int) *harness {
	t.Helper()
	return newHarnessState(t, load, w, h, "")
}

// newHarnessState is newHarness with a state file keeping the entries
// seen between sessions.
func newHarnessState(t testing.TB, load func(context.Context) (*feed.Feed, []error), w, h int, state string) *harness {
	t.Helper()
	return newHarnessConfig(t, load, w, h, state, Config{Style: "dark"})
}

// newHarnessConfig is newHarnessState with a config.
func newHarnessConfig(t testing.TB, load func(context.Context) (*feed.Feed, []error), w, h int, state string, cfg Config) *harness {
	t.Helper()
	hs := &harness{t: t}
	m, err := New(Options{
		StatePath: state,
		Load:      load,
		Config:    cfg,
		Now:       func() time.Time { return testNow },
		OpenURL:   func(u string) error { hs.opened = append(hs.opened, u); return nil },
		Getenv:    func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	m.sh.noTimers = true
	hs.m = m
	hs.run(m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// feedOf loads a feed once for a harness.
func feedOf(f *feed.Feed, errs ...error) func(context.Context) (*feed.Feed, []error) {
	return func(context.Context) (*feed.Feed, []error) { return f, errs }
}

// sampleHarness is the sample feed at w×h.
func sampleHarness(t testing.TB, w, h int) *harness {
	return newHarness(t, feedOf(feed.Sample()), w, h)
}

// send gives the model a message and runs what it returns.
func (hs *harness) send(msg tea.Msg) {
	hs.t.Helper()
	_, cmd := hs.m.Update(msg)
	hs.run(cmd)
}

// run runs a command and feeds its messages back, depth first.
func (hs *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			hs.run(c)
		}
	case tea.QuitMsg:
		hs.quit = true
	default:
		hs.send(msg)
	}
}

// keys presses keys, given as words: "j", "enter", "ctrl+f", "esc"; text
// in quotes ('"See also"') is typed rune by rune.
func (hs *harness) keys(ks ...string) {
	hs.t.Helper()
	for _, k := range ks {
		if len(k) > 1 && strings.HasPrefix(k, `"`) && strings.HasSuffix(k, `"`) {
			for _, r := range k[1 : len(k)-1] {
				hs.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			continue
		}
		hs.send(keyMsg(k))
	}
}

// keyMsg builds the key press message for a key name.
func keyMsg(k string) tea.KeyPressMsg {
	named := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "backspace": tea.KeyBackspace,
		"up": tea.KeyUp, "down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
		"home": tea.KeyHome, "end": tea.KeyEnd, "space": tea.KeySpace, "left": tea.KeyLeft, "right": tea.KeyRight,
	}
	if c, ok := named[k]; ok {
		return tea.KeyPressMsg{Code: c}
	}
	if rest, ok := strings.CutPrefix(k, "ctrl+"); ok {
		r, _ := utf8.DecodeRuneInString(rest)
		return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl}
	}
	r, _ := utf8.DecodeRuneInString(k)
	return tea.KeyPressMsg{Code: r, Text: k}
}

// screen is what the terminal shows, without colours.
func (hs *harness) screen() string {
	return ansi.Strip(hs.m.View().Content)
}

// golden compares the screen with testdata/<test name>/<step>.golden.
func (hs *harness) golden(step string) {
	hs.t.Helper()
	got := hs.screen()
	checkScreen(hs.t, got, hs.m.sh.width, hs.m.sh.height)
	hs.compareGolden(step, got, func(s string) string { return s })
}

// compareGolden compares got with testdata/<test name>/<step>.golden, or
// writes it there with -update; show makes a screen readable in the
// failure message.
func (hs *harness) compareGolden(step, got string, show func(string) string) {
	hs.t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(hs.t.Name()), step+".golden")
	if updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			hs.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			hs.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		hs.t.Fatalf("%v (run go test ./tui/ -update to make it)", err)
	}
	if got != string(want) {
		hs.t.Errorf("screen differs from %s:\n--- got\n%s\n--- want\n%s", path, show(got), show(string(want)))
	}
}

// checkScreen checks that a screen is exactly w×h cells.
func checkScreen(t testing.TB, s string, w, h int) {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != h {
		t.Fatalf("screen has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i+1, n, w, l)
		}
	}
}

// contains fails unless the screen shows want.
func (hs *harness) contains(want ...string) {
	hs.t.Helper()
	s := hs.screen()
	for _, w := range want {
		if !strings.Contains(s, w) {
			hs.t.Fatalf("screen lacks %q:\n%s", w, s)
		}
	}
}

// lacks fails if the screen shows any of bad.
func (hs *harness) lacks(bad ...string) {
	hs.t.Helper()
	s := hs.screen()
	for _, b := range bad {
		if strings.Contains(s, b) {
			hs.t.Fatalf("screen shows %q:\n%s", b, s)
		}
	}
}

// loadFile parses a feed in ../testdata/feeds.
func loadFile(t testing.TB, name string) *feed.Feed {
	t.Helper()
	f, errs := feed.Load(context.Background(), []string{filepath.Join("..", "testdata", "feeds", name)}, feed.Options{NoCache: true})
	if f == nil {
		t.Fatalf("load %s: %v", name, errs)
	}
	return f
}
