package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/internal/diffcases"
	"github.com/wikifeed/wikifeed/render"
)

// TestDiffCases runs the shared table of diff cases through the TUI: the
// case's feed is loaded by the core from its test wiki, the revision is
// selected, d opens the diff, and the diff pane is read. 'wikifeed diff'
// runs the same table (cmd/wikifeed TestDiffCases), so the two agree.
func TestDiffCases(t *testing.T) {
	for _, c := range diffcases.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := diffcases.Serve(t, c)
			core, err := app.Open(app.Options{Args: []string{w.FeedURL}, NoCache: true, Store: w.Store})
			if err != nil {
				t.Fatal(err)
			}
			hs := &harness{t: t}
			m, err := New(Options{
				Load:   core.Load,
				Core:   core,
				Config: Config{Style: "dark"},
				Now:    func() time.Time { return testNow },
				Getenv: func(string) string { return "" },
			})
			if err != nil {
				t.Fatal(err)
			}
			m.sh.noTimers = true
			hs.m = m
			hs.run(m.Init())
			hs.send(tea.WindowSizeMsg{Width: 200, Height: 60})
			hs.keys("d")
			for i := 0; i < 10 && (m.content.rev == nil || m.content.rev.ID != c.Rev); i++ {
				hs.keys("j")
			}
			if m.content.rev == nil || m.content.rev.ID != c.Rev {
				t.Fatalf("revision %d not selected:\n%s", c.Rev, hs.screen())
			}
			pane := wordMarks(m.content.vp.GetContent(), m.sh.style)
			var paneErr error
			if m.content.err != nil {
				paneErr = m.content.err
			}
			c.Want.Check(t, pane, paneErr, false)
			if paneErr != nil && !strings.Contains(pane, "Could not show this revision:") {
				t.Errorf("the error is not shown:\n%s", pane)
			}
			w.CheckCalls(t, c)
		})
	}
}

// wordMarks turns the diff pane's styled text into plain text with the
// added and removed words marked as git's --word-diff=plain marks them
// ({+added+}, [-removed-]), so the case table can read which words the
// colours mark.
func wordMarks(styled, style string) string {
	st := render.NewStyles(render.ThemeFor(style))
	for _, m := range []struct {
		render      func(...string) string
		open, close string
	}{
		{st.AddedWord.Render, "{+", "+}"},
		{st.RemovedWord.Render, "[-", "-]"},
	} {
		probe := m.render("X")
		k := strings.Index(probe, "X")
		if k <= 0 {
			continue
		}
		pre, post := probe[:k], probe[k+1:]
		re := regexp.MustCompile(regexp.QuoteMeta(pre) + "(.*?)" + regexp.QuoteMeta(post))
		styled = re.ReplaceAllString(styled, m.open+"${1}"+m.close)
	}
	return ansi.Strip(styled)
}
