package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/eventstream"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/httpclient"
	"github.com/wikifeed/wikifeed/tui"
)

const liveLong = `Follow a wiki's changes as they happen, through Wikimedia's EventStreams
(https://stream.wikimedia.org/v2/stream/recentchange, every change of every
Wikimedia wiki) or another server-sent-events stream of recentchange events:
one line per change in list's format, or with --json one JSON object per line
with the fields of 'list --json'. It runs until --count changes have come, or
Ctrl-C (exit status 130).

The filters narrow what is shown; several values of one flag (repeated, or
comma-separated) mean any of them. When the connection drops, or the server
ends it (EventStreams does every 15 minutes), wikifeed reconnects where it
left off; a server that answers 429 or 503 with Retry-After is left alone as
long as it asks (five minutes at most). An event larger than 1 MiB is skipped
with a warning. If the terminal cannot keep up, the oldest waiting changes are
not shown; how many is said at the end.

'wikifeed --live' takes the same filters (and --wiki and --user) and shows the
changes in the terminal UI: p pauses the list (what arrives meanwhile is kept),
d shows an edit's diff, fetched from the wiki one request at a time.`

const liveExample = `# every change on the English Wikipedia, bots hidden
wikifeed live --wiki enwiki --hide-bots
# new pages on two wikis, as JSON, the first 10
wikifeed live --wiki enwiki,dewiki --type new --json --count 10
# changes to articles whose title starts with "List of", from an hour ago
wikifeed live --wiki en.wikipedia.org --namespace 0 --title '^List of' --since 1h
# the same, in the terminal UI
wikifeed --live --wiki enwiki --namespace 0 --title '^List of'`

// liveFlags are the filter flags live and the TUI's --live share.
type liveFlags struct {
	stream                       string
	wikis, namespaces, types     []string
	users                        []string
	bot, noBot, minor, hideMinor bool
	title, since                 string
	// memory is the store the changes go into, opened by options; nil
	// without one. closeStore closes it.
	memory *app.Memory
}

// closeStore closes the store options opened, once the stream has ended
// (every batch written by then).
func (lf *liveFlags) closeStore() {
	if lf.memory != nil {
		// Each batch was committed when written: a failing close loses
		// nothing.
		_ = lf.memory.Close()
		lf.memory = nil
	}
}

// addLiveFlags defines the filter flags; withWikiUser adds --wiki and
// --user, which the TUI has already as source flags. A filter the TUI's
// source and store flags already define (--namespace, --hide-bots,
// --hide-minor, --since) is not defined twice: shareSourceFilters copies it over.
func addLiveFlags(fs *pflag.FlagSet, lf *liveFlags, withWikiUser bool) {
	fs.StringVar(&lf.stream, "stream", eventstream.DefaultURL, "follow the server-sent-events stream at URL")
	if withWikiUser {
		fs.StringSliceVar(&lf.wikis, "wiki", nil, "only the wiki ID (enwiki) or URL (en.wikipedia.org); repeatable")
		fs.StringSliceVar(&lf.users, "user", nil, "only changes by NAME (a user name or an IP address); repeatable")
	}
	if fs.Lookup("namespace") == nil {
		fs.StringSliceVar(&lf.namespaces, "namespace", nil, "only namespace N (0 articles, 1 talk, 2 user, 4 project, 6 file, 14 category); repeatable")
	}
	fs.StringSliceVar(&lf.types, "type", nil, "only changes of TYPE: edit, new, log, categorize; repeatable")
	fs.BoolVar(&lf.bot, "bot", false, "only changes by bots")
	fs.BoolVar(&lf.noBot, "no-bot", false, "no changes by bots")
	if fs.Lookup("hide-bots") == nil {
		fs.BoolVar(&lf.noBot, "hide-bots", false, "no changes by bots (as --no-bot)")
	}
	fs.BoolVar(&lf.minor, "minor", false, "only minor edits")
	if fs.Lookup("hide-minor") == nil {
		fs.BoolVar(&lf.hideMinor, "hide-minor", false, "no minor edits")
	}
	fs.StringVar(&lf.title, "title", "", "only pages whose title matches REGEX (RE2 syntax)")
	if fs.Lookup("since") != nil {
		return
	}
	fs.StringVar(&lf.since, "since", "", "start at TIME (2026-12-01T22:00:00Z, 2026-12-01 22:00) or that long ago (10m, 2h); the stream keeps seven days")
}

// shareSourceFilters copies into lf the filters that the TUI's source
// flags define for both its modes (see addLiveFlags).
func (lf *liveFlags) shareSourceFilters(sf *sourceFlags) {
	if sf.changed != nil && sf.changed("namespace") {
		lf.namespaces = []string{strconv.Itoa(sf.namespace)}
	}
	lf.noBot = lf.noBot || sf.hideBots
	lf.hideMinor = lf.hideMinor || sf.hideMinor
	if sf.mem != nil && sf.mem.since.raw != "" {
		lf.since = sf.mem.since.raw
	}
}

// options turns the flags into the core's live options.
func (lf *liveFlags) options(e *env) (app.LiveOptions, error) {
	o := app.LiveOptions{
		Stream: lf.stream, Wikis: lf.wikis, Namespaces: lf.namespaces, Types: lf.types,
		Users: lf.users, Title: lf.title, Since: lf.since,
		UserAgent: httpclient.UserAgent(version),
		// The project's one client, in its form for streams: its
		// transport and User-Agent, no overall timeout.
		HTTP: httpclient.New(httpclient.Options{UserAgent: httpclient.UserAgent(version)}).StreamClient(),
	}
	switch {
	case lf.bot && lf.noBot:
		return o, errors.New("--bot and --no-bot (--hide-bots) exclude each other")
	case lf.bot:
		o.Bot = eventstream.Only
	case lf.noBot:
		o.Bot = eventstream.Hide
	}
	switch {
	case lf.minor && lf.hideMinor:
		return o, errors.New("--minor and --hide-minor exclude each other")
	case lf.minor:
		o.Minor = eventstream.Only
	case lf.hideMinor:
		o.Minor = eventstream.Hide
	}
	if v := e.getenv(noStoreEnv); v == "" || v == "0" {
		paths := app.PathsFrom(e.getenv)
		if paths.StoreFile() != "" {
			m, err := app.OpenMemory(context.Background(), paths)
			if err != nil {
				e.errorf("wikifeed: warning: %s; the changes are not stored\n", oneLine(err.Error()))
			} else {
				lf.memory = m
				o.Save = func(revs []*feed.Revision) error {
					return m.SaveChanges(context.Background(), o.Stream, revs)
				}
			}
		}
	}
	return o, nil
}

// liveConfig is the parsed command line of wikifeed live.
type liveConfig struct {
	liveFlags
	count int
	json  bool
}

// newLiveCmd is `wikifeed live`.
func newLiveCmd(e *env) *cobra.Command {
	c := &liveConfig{}
	cmd := &cobra.Command{
		Use:     "live [flags]",
		Short:   "Follow a wiki's changes as they happen",
		Long:    liveLong,
		Example: liveExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.count < 0 {
				return usageErrorf(cmd, "--count %d: want a positive number", c.count)
			}
			return e.body(func() int { return runLive(c, e) })
		},
	}
	fs := cmd.Flags()
	addLiveFlags(fs, &c.liveFlags, true)
	fs.IntVarP(&c.count, "count", "n", 0, "stop after N changes (0: run until Ctrl-C)")
	fs.BoolVar(&c.json, "json", false, "one JSON object per change and line (NDJSON), with the fields of 'list --json'")
	completeValues(cmd, "type", "edit", "new", "log", "categorize")
	return cmd
}

// liveOut writes the changes to stdout and the warnings to stderr, one
// line at a time from either goroutine.
type liveOut struct {
	mu     sync.Mutex
	e      *env
	json   bool
	width  int // on a terminal; 0 writes tab-separated fields
	out    *bufio.Writer
	warned int // malformed and too large events reported so far
}

// maxMalformedWarnings is how many malformed (or too large) events are
// reported one by one; the rest are counted at the end.
const maxMalformedWarnings = 5

// warn reports a problem the stream went on after.
func (o *liveOut) warn(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var me *eventstream.MalformedError
	var tl *eventstream.TooLargeError
	if errors.As(err, &me) || errors.As(err, &tl) {
		o.warned++
		if o.warned > maxMalformedWarnings {
			return
		}
	}
	_, _ = fmt.Fprintf(o.e.stderr, "wikifeed live: %s\n", oneLine(err.Error()))
}

// write writes revisions, one line each, and flushes.
func (o *liveOut) write(revs []*feed.Revision) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, r := range revs {
		if err := o.line(r); err != nil {
			return err
		}
	}
	return o.out.Flush()
}

// line writes one revision as list does: JSON, aligned columns or tabs.
func (o *liveOut) line(r *feed.Revision) error {
	if o.json {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			return err
		}
		_, err := o.out.Write(jsonEscapeControls(buf.Bytes()))
		return err
	}
	if o.width == 0 {
		lr := listRowOf(r, false)
		_, err := fmt.Fprintf(o.out, "%s\t%s\t%s\t%s\t%s\t%s\n", lr.time, lr.page, lr.id, lr.user, lr.change, lr.comment)
		return err
	}
	// Fixed columns: a stream has no end to measure the widest row by.
	lr := listRowOf(r, true)
	const idWidth, changeWidth = 10, 7
	page := ansi.Truncate(lr.page, listPageWidth, "…")
	user := ansi.Truncate(lr.user, listUserWidth, "…")
	used := 16 + listPageWidth + idWidth + listUserWidth + changeWidth + 5*len("  ")
	line := listPad(lr.time, 16) + "  " + listPad(page, listPageWidth) + "  " + listPadLeft(lr.id, idWidth) + "  " +
		listPad(user, listUserWidth) + "  " + listPadLeft(lr.change, changeWidth) + "  " +
		ansi.Truncate(lr.comment, max(listMinColumn, o.width-used), "…")
	_, err := fmt.Fprintln(o.out, trimRight(line))
	return err
}

// trimRight drops the spaces at the end of a line.
func trimRight(s string) string {
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

// runLive is `wikifeed live`: it prints changes until --count or a signal.
func runLive(c *liveConfig, e *env) int {
	o := &liveOut{e: e, json: c.json, out: bufio.NewWriter(e.stdout)}
	if e.stdoutTTY && !c.json {
		o.width = listWidth(e)
	}
	opts, err := c.options(e)
	defer c.closeStore()
	if err != nil {
		e.errorf("wikifeed live: %s\nRun 'wikifeed live --help' for usage.\n", err)
		return exitUsage
	}
	opts.Warn = o.warn
	l, err := app.NewLive(opts)
	if err != nil {
		e.errorf("wikifeed live: %s\nRun 'wikifeed live --help' for usage.\n", oneLine(err.Error()))
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return followLive(ctx, l, o, c.count, e)
}

// followLive runs l and prints its changes until count of them (0: no
// limit), ctx's end (a signal: exitInterrupt) or a failure.
func followLive(ctx context.Context, l *app.Live, o *liveOut, count int, e *env) int {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- l.Run(runCtx) }()
	code := exitOK
	printed := 0
	var revs []*feed.Revision
loop:
	for {
		select {
		case <-l.Ready():
			revs = l.Take(revs[:0])
			if count > 0 && printed+len(revs) > count {
				revs = revs[:count-printed]
			}
			if err := o.write(revs); err != nil {
				if !errors.Is(err, syscall.EPIPE) {
					e.errorf("wikifeed live: %s\n", err)
				}
				code = exitError
				break loop
			}
			printed += len(revs)
			if count > 0 && printed >= count {
				break loop
			}
		case err := <-errc:
			if err != nil {
				e.errorf("wikifeed live: %s\n", oneLine(err.Error()))
				return exitError
			}
			break loop
		case <-ctx.Done():
			code = exitInterrupt
			break loop
		}
	}
	cancel()
	if err := <-errc; err != nil && code == exitOK {
		e.errorf("wikifeed live: %s\n", oneLine(err.Error()))
		code = exitError
	}
	liveSummary(e.stderr, l.Stats())
	return code
}

// liveSummary says on w what was left out, if anything was.
func liveSummary(w io.Writer, st app.LiveStats) {
	if st.Dropped > 0 {
		_, _ = fmt.Fprintf(w, "wikifeed live: %d %s not shown: the output could not keep up\n", st.Dropped, plural(int(st.Dropped), "change", "changes"))
	}
	if st.Malformed > 0 {
		_, _ = fmt.Fprintf(w, "wikifeed live: %d malformed %s skipped\n", st.Malformed, plural(int(st.Malformed), "event", "events"))
	}
	if st.TooLarge > 0 {
		_, _ = fmt.Fprintf(w, "wikifeed live: %d %s larger than %d MiB skipped\n", st.TooLarge, plural(int(st.TooLarge), "event", "events"), eventstream.DefaultMaxEventBytes>>20)
	}
	if st.SaveFailed > 0 {
		_, _ = fmt.Fprintf(w, "wikifeed live: %d %s could not be stored\n", st.SaveFailed, plural(int(st.SaveFailed), "change", "changes"))
	}
}

// plural returns one or many after n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// hideLiveFlags hides the live filters from the TUI's help ('wikifeed
// help live' tells them); --live shows that they exist.
func hideLiveFlags(fs *pflag.FlagSet) {
	for _, n := range []string{"stream", "namespace", "type", "bot", "no-bot", "hide-bots", "minor", "hide-minor", "title", "since"} {
		_ = fs.MarkHidden(n) // defined just before; an error is a bug the help test shows
	}
}

// runLiveBrowse is `wikifeed --live`: the live list in the terminal UI, or
// live's lines when stdout is not a terminal. --wiki and --user are the
// TUI's source flags, read here as live filters.
func runLiveBrowse(c *browseConfig, cfg tui.Config, pos []string, e *env) int {
	if len(pos) > 0 {
		e.errorf("wikifeed: --live takes no SOURCE (got %q); --stream names the stream\nRun 'wikifeed help live' for usage.\n", pos[0])
		return exitUsage
	}
	sf := c.src
	if sf.recent || sf.history != "" || sf.printURL {
		e.errorf("wikifeed: --live does not take --recent, --history or --print-url\nRun 'wikifeed help live' for usage.\n")
		return exitUsage
	}
	lf := c.lf
	if sf.wiki != "" {
		lf.wikis = []string{sf.wiki}
	}
	if sf.user != "" {
		lf.users = []string{sf.user}
	}
	if !e.stdoutTTY {
		return runLive(&liveConfig{liveFlags: lf}, e)
	}
	opts, err := lf.options(e)
	defer lf.closeStore()
	if err == nil {
		var l *app.Live
		if l, err = app.NewLive(opts); err == nil {
			return browseLive(l, lf, cfg, sf, e)
		}
	}
	e.errorf("wikifeed: %s\nRun 'wikifeed help live' for usage.\n", oneLine(err.Error()))
	return exitUsage
}

// browseLive runs the TUI over l until the user quits or a signal.
func browseLive(l *app.Live, lf liveFlags, cfg tui.Config, sf *sourceFlags, e *env) int {
	// Diffs come from the wikis' APIs, one request at a time per wiki.
	ao := sf.appOptions(nil, feed.WikiQuery{}, e)
	ao.OneRequestPerWiki = true
	core, err := app.Open(ao)
	if err != nil {
		e.errorf("wikifeed: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	if lf.memory != nil {
		// The texts fetched for the changes' diffs are kept with them.
		core.UseStore(lf.memory)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	runCtx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- l.Run(runCtx) }()
	err = tui.Run(ctx, tui.Options{Config: cfg, Getenv: e.getenv, Core: core, Live: l, LiveTitle: liveTitle(lf)})
	cancel()
	serr := <-errc
	liveSummary(e.stderr, l.Stats())
	switch {
	case err != nil:
		e.errorf("wikifeed: %s\n", oneLine(err.Error()))
		return exitError
	case serr != nil:
		e.errorf("wikifeed: %s\n", oneLine(serr.Error()))
		return exitError
	}
	return exitOK
}

// liveTitle names the live list by its filters.
func liveTitle(lf liveFlags) string {
	t := "live"
	if len(lf.wikis) > 0 {
		t += ": " + strings.Join(lf.wikis, ", ")
	} else {
		t += ": all wikis"
	}
	return t
}
