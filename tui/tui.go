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
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
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
	listMinWidth, listMaxWidth = 32, 100
	// listShare is the list pane's default share of a wide window.
	listShare = 0.4
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
	// Marks, if not nil, are the store's read and reviewed marks: the
	// dots then mark unread entries, opening one marks it read, and
	// StatePath is not used.
	Marks Marks
	// Output is where the UI draws; nil means standard output.
	Output io.Writer
	// Live, if set, makes the list a live one: its revisions come from
	// Live as they happen (Load is then not needed and not called).
	Live LiveSource
	// LiveTitle is the live list's title (the stream and its filters).
	LiveTitle string
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
	return runProgram(ctx, m, opts.Output, progOpts...)
}

// Terminal sequences the UI writes itself, around Bubble Tea's own: the
// window title is pushed on the terminal's title stack before the UI sets
// its own and popped after it ends, so the user's title comes back
// (XTWINOPS 22 and 23; a terminal without the stack ignores them and
// keeps the UI's title, which is never emptied).
const (
	pushTitle = "\x1b[22;0t"
	popTitle  = "\x1b[23;0t"
)

// runProgram runs a model as a program writing to out (nil: stdout).
// Bubble Tea catches a panic in Update, View or a command, restores the
// terminal (leaves the alternate screen, shows the cursor, ends raw mode)
// and only then returns; the caller prints the message on a sane
// terminal. SIGHUP (the terminal window closed, an ssh connection
// dropped) quits the way SIGTERM does, restoring the terminal.
func runProgram(ctx context.Context, m tea.Model, out io.Writer, progOpts ...tea.ProgramOption) error {
	if out == nil {
		out = os.Stdout
	}
	opts := append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(out)}, progOpts...)
	p := tea.NewProgram(m, opts...)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	stop := make(chan struct{})
	go func() {
		select {
		case <-hup:
			p.Quit()
		case <-stop:
		}
	}()
	io.WriteString(out, pushTitle) //nolint:errcheck // a terminal gone is found by Run
	final, err := p.Run()
	signal.Stop(hup)
	close(stop)
	io.WriteString(out, popTitle) //nolint:errcheck // as above
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil
	}
	if errors.Is(err, tea.ErrProgramPanic) {
		return fmt.Errorf("the UI crashed (a bug; please report it): %w", err)
	}
	if fm, ok := final.(*Model); ok && err == nil && fm.loaded && fm.feed == nil {
		return &NothingLoadedError{Errs: fm.loadErrs}
	}
	return err
}

// NothingLoadedError is what Run returns when the user quit after every
// load failed ("Nothing could be loaded"), so that the program can exit
// with an error.
type NothingLoadedError struct {
	// Errs are the last load's errors, one per failed source.
	Errs []error
}

// Error says that nothing loaded.
func (e *NothingLoadedError) Error() string {
	return "nothing could be loaded"
}

// openWithBrowser opens url with $BROWSER or xdg-open, as an argument
// list: no shell ever sees the URL. $BROWSER is a colon-separated list of
// commands, as xdg-open reads it: each is split into words, "%s" in them
// is replaced by the URL (else the URL is the last argument), and the
// first that starts is used; xdg-open is tried last.
func openWithBrowser(getenv func(string) string) func(string) error {
	return func(url string) error {
		if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
			return fmt.Errorf("open: not a web address: %q", url)
		}
		var tried []string
		for _, c := range append(strings.Split(getenv("BROWSER"), ":"), "xdg-open") {
			argv := browserArgv(c, url)
			if argv == nil {
				continue
			}
			tried = append(tried, argv[0])
			cmd := exec.Command(argv[0], argv[1:]...)
			// The browser must not draw over the UI or read its keys.
			cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
			if err := cmd.Start(); err != nil {
				continue
			}
			go cmd.Wait() //nolint:errcheck // reaping only; the browser reports its own errors
			return nil
		}
		return fmt.Errorf("open: no browser could be started (tried %s; set BROWSER)", strings.Join(tried, ", "))
	}
}

// browserArgv is the argument list of one $BROWSER entry for url, nil
// for an empty entry.
func browserArgv(entry, url string) []string {
	f := strings.Fields(entry)
	if len(f) == 0 {
		return nil
	}
	subst := false
	for i, a := range f {
		if strings.Contains(a, "%s") {
			f[i] = strings.ReplaceAll(a, "%s", url)
			subst = true
		}
	}
	if !subst {
		f = append(f, url)
	}
	return f
}

// defaultGetenv reads the environment when Options.Getenv is nil.
var defaultGetenv = os.Getenv
