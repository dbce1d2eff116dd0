// Package tui is wikifeed's terminal UI, built on Bubble Tea v2: a list of
// a feed's pages and revisions beside (or, on narrow terminals, instead of)
// a content pane that shows the selected revision rendered, its diff
// against the page's previous revision, or its source.
//
// The root Model holds a small state (which pane is shown or focused, the
// help screen, the text inputs) and two children: the entry list and the
// content pane. Everything slow (loading, rendering, diffing) runs in a
// tea.Cmd whose result message carries the key it was made for, so stale
// results are dropped; results are kept in a bounded cache.
//
//	err := tui.Run(ctx, tui.Options{Load: func(ctx context.Context) (*feed.Feed, []error) {
//		return feed.Load(ctx, sources, feed.Options{})
//	}})
package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
)

// Tunables.
const (
	// MinWatch is the shortest --watch interval: wikis ask clients not to
	// poll feeds more often.
	MinWatch = 10 * time.Second
	// wideWidth is the terminal width, in cells, from which the list and
	// the content are shown side by side.
	wideWidth = 100
	// minWidth and minHeight, in cells, are the smallest window drawn.
	minWidth, minHeight = 20, 6
	// listMinWidth and listMaxWidth bound the list pane in wide layouts.
	listMinWidth, listMaxWidth = 32, 56
	// cacheEntries and cacheBytes bound the render cache.
	cacheEntries = 48
	cacheBytes   = 64 << 20
	// wheelLines is how far one mouse wheel step scrolls.
	wheelLines = 3
	// changeMargin is how many lines are kept above a change or match
	// that n/N scroll to.
	changeMargin = 2
	// statusTTL is how long a transient status message stays.
	statusTTL = 4 * time.Second
)

// Options configure the UI.
type Options struct {
	// Load loads the feed; it is called at start and on every reload (R,
	// --watch). It returns one error per failed source; a nil feed with
	// errors means nothing loaded.
	Load func(ctx context.Context) (*feed.Feed, []error)
	// Config holds the style, the key remapping and the watch interval.
	Config Config
	// Now returns the current time; nil means time.Now. Tests fix it.
	Now func() time.Time
	// OpenURL opens a URL in a browser; nil means $BROWSER or xdg-open.
	OpenURL func(url string) error
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// StatePath is a file that keeps the entries seen between sessions,
	// so that the first load marks what is new since the last session;
	// "" keeps them in memory only. See StatePath.
	StatePath string
	// Core is the application core: it decides and makes each diff (the
	// wiki's table, known texts, or texts fetched from the wiki's API
	// when it was opened with fetching on). Nil diffs only what the feed
	// carries.
	Core *app.App
}

// StatePath returns the state file for a set of sources, under
// $XDG_STATE_HOME/wikifeed (~/.local/state/wikifeed); "" when neither
// variable is set. Each set of sources has its own file.
func StatePath(getenv func(string) string, sources []string) string {
	return app.PathsFrom(getenv).SeenFile(sources)
}

// Run runs the UI until the user quits. A panic inside the UI is
// recovered by Bubble Tea, which restores the terminal before Run returns
// the error.
func Run(ctx context.Context, opts Options, progOpts ...tea.ProgramOption) error {
	m, err := New(opts)
	if err != nil {
		return err
	}
	return runProgram(ctx, m, progOpts...)
}

// runProgram runs a model as a program. Bubble Tea catches a panic in
// Update, View or a command, restores the terminal (leaves the alternate
// screen, shows the cursor, ends raw mode) and only then returns; the
// caller prints the message on a sane terminal.
func runProgram(ctx context.Context, m tea.Model, progOpts ...tea.ProgramOption) error {
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx)}, progOpts...)...)
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if errors.Is(err, tea.ErrProgramPanic) {
		return fmt.Errorf("the UI crashed (a bug; please report it): %w", err)
	}
	return err
}

// openWithBrowser opens url with $BROWSER (its first entry, split into
// words) or xdg-open, as an argument list: no shell ever sees the URL.
func openWithBrowser(getenv func(string) string) func(string) error {
	return func(url string) error {
		if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
			return fmt.Errorf("open: not a web address: %q", url)
		}
		argv := []string{"xdg-open"}
		if b := getenv("BROWSER"); b != "" {
			first, _, _ := strings.Cut(b, ":")
			if f := strings.Fields(first); len(f) > 0 {
				argv = f
			}
		}
		cmd := exec.Command(argv[0], append(argv[1:], url)...)
		// The browser must not draw over the UI or read its keys.
		cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("open: %w", err)
		}
		go cmd.Wait() //nolint:errcheck // reaping only; the browser reports its own errors
		return nil
	}
}

// defaultGetenv reads the environment when Options.Getenv is nil.
var defaultGetenv = os.Getenv
