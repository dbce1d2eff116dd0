package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// waitText waits until the program's output shows s.
func waitText(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains([]byte(ansi.Strip(string(b))), []byte(s))
	}, teatest.WithDuration(15*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// TestProgramFlow runs the whole program (real timers, spinner, renderer)
// on the sample: open, diff, step back a revision, help, quit.
func TestProgramFlow(t *testing.T) {
	m, err := New(Options{
		Load:   func(context.Context) (*feed.Feed, []error) { return feed.Sample(), nil },
		Config: Config{Style: "dark"}, Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	waitText(t, tm, "Dave Hansen")
	for _, k := range []string{"j", "j", "j", "j", "d"} {
		tm.Send(keyMsg(k))
	}
	tm.Send(keyMsg("["))
	tm.Send(keyMsg("?"))
	waitText(t, tm, "closes this")
	tm.Send(keyMsg("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(15*time.Second))
	fm := tm.FinalModel(t).(*Model)
	if fm.content.rev == nil || fm.content.rev.ID != 6198 || fm.content.mode != modeDiff {
		t.Fatalf("final model shows %+v in %v", fm.content.rev, fm.content.mode)
	}
}

// TestProgramWatch reloads on the --watch interval and marks the new entry.
func TestProgramWatch(t *testing.T) {
	calls := 0
	load := func(context.Context) (*feed.Feed, []error) {
		calls++
		f := feed.Sample()
		if calls > 1 {
			r := &feed.Revision{Page: "Watched page", ID: 7777, User: "W", Time: testNow, Kind: feed.BodyEmpty}
			f.Revisions = append([]*feed.Revision{r}, f.Revisions...)
			f.Pages = append([]*feed.Page{{Title: r.Page, Revisions: []*feed.Revision{r}}}, f.Pages...)
		}
		return f, nil
	}
	m, err := New(Options{Load: load, Config: Config{Style: "dark", Watch: 50 * time.Millisecond}, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(120, 30))
	waitText(t, tm, "Watched page")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(15*time.Second))
	fm := tm.FinalModel(t).(*Model)
	if calls < 2 || !fm.list.isNew[revKey(&feed.Revision{ID: 7777})] {
		t.Fatalf("after %d loads the new revision is not marked: %v", calls, fm.list.isNew)
	}
}

// panicky is the UI with a bug: P panics.
type panicky struct{ *Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "P" {
		panic("boom")
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

// TestPanicRestoresTerminal checks that a panic ends the program with an
// error after the terminal is restored: alternate screen left, cursor shown.
func TestPanicRestoresTerminal(t *testing.T) {
	m, err := New(Options{Load: func(context.Context) (*feed.Feed, []error) { return feed.Sample(), nil }, Config: Config{Style: "dark"}})
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	in, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runProgram(context.Background(), panicky{m}, out, tea.WithInput(in), tea.WithWindowSize(80, 24), tea.WithoutSignals())
	}()
	deadline := time.Now().Add(15 * time.Second)
	for !out.has("\x1b[?1049h") {
		if time.Now().After(deadline) {
			t.Fatal("the program never entered the alternate screen")
		}
		time.Sleep(5 * time.Millisecond)
	}
	w.Write([]byte("P")) //nolint:errcheck // the pipe is open
	select {
	case err = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the program did not end after the panic")
	}
	if err == nil || !errors.Is(err, tea.ErrProgramPanic) || !strings.Contains(err.Error(), "crashed") {
		t.Fatalf("Run returned %v", err)
	}
	out.mu.Lock()
	s := out.b.String()
	out.mu.Unlock()
	enter := strings.LastIndex(s, "\x1b[?1049h")
	if leave := strings.LastIndex(s, "\x1b[?1049l"); leave < enter {
		t.Fatal("the alternate screen was not left after the panic")
	}
	if show := strings.LastIndex(s, "\x1b[?25h"); show < enter {
		t.Fatal("the cursor was not shown again after the panic")
	}
}
