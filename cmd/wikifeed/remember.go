package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/store"
	"github.com/wikifeed/wikifeed/tui"
)

// noStoreEnv, set to anything but "" or "0", runs wikifeed without its
// store, as --no-store does.
const noStoreEnv = "WIKIFEED_NO_STORE"

// storeFlags are the flags of the commands that remember what they load.
type storeFlags struct {
	noStore  bool
	remember bool
	since    sinceFlag
	unread   bool
	// lean lists revisions that left the window without their bodies and
	// texts (app.Window.Lean), for a command that reads them only when
	// it needs them (through app.App.Full).
	lean bool
	// src are the command's source flags; their --limit bounds the list.
	src *sourceFlags
	// memory is the store opened for the command, nil without one; the
	// command closes it.
	memory *app.Memory
}

// addStoreFlags defines the store flags on fs and ties them to sf, whose
// load then saves what it loads and lists what the store holds.
func addStoreFlags(fs *pflag.FlagSet, sf *sourceFlags) *storeFlags {
	st := &storeFlags{}
	fs.BoolVar(&st.noStore, "no-store", false, "neither read nor write the store ($"+noStoreEnv+"=1 does the same)")
	fs.BoolVar(&st.remember, "remember", false, "remember files and standard input in the store too (URLs always are)")
	fs.Var(&st.since, "since", "only revisions made since then: a duration (2d, 36h, 1w) or a date (2026-12-01)")
	fs.BoolVar(&st.unread, "unread", false, "only revisions not marked read")
	sf.mem = st
	st.src = sf
	return st
}

// off says whether the store is not to be touched.
func (st *storeFlags) off(e *env) bool { return st.offBecause(e) != "" }

// offBecause says why the store is not to be touched: --no-store,
// $WIKIFEED_NO_STORE, or the config file's store = false; "" when it is
// to be used.
func (st *storeFlags) offBecause(e *env) string {
	if st.noStore {
		return "--no-store"
	}
	if v := e.getenv(noStoreEnv); v != "" && v != "0" {
		return "$" + noStoreEnv
	}
	configPath := ""
	if st.src != nil {
		configPath = st.src.configPath
	}
	path, required := configPath, true
	if path == "" {
		path, required = tui.DefaultConfigPath(e.getenv), false
	}
	// A config file that cannot be read is reported by what reads it
	// for its own settings; here it leaves the store on.
	if cfg, err := tui.LoadConfig(path, required); err == nil && cfg.NoStore {
		return "store = false in " + path
	}
	return ""
}

// open opens the store for a load of sources, or returns nil: when it is
// off, or when no source is remembered. A store that cannot be opened is a
// warning; the sources are shown as they are.
func (st *storeFlags) open(ctx context.Context, e *env, sources []string) *app.Memory {
	if st.off(e) {
		return nil
	}
	remembered := false
	for _, s := range sources {
		remembered = remembered || app.Remembered(s, st.remember)
	}
	if !remembered {
		return nil
	}
	paths := app.PathsFrom(e.getenv)
	if paths.StoreFile() == "" {
		return nil // no HOME and no XDG_DATA_HOME: nothing is kept
	}
	m, err := app.OpenMemory(ctx, paths)
	if err != nil {
		e.errorf("wikifeed: warning: %s; going on without it\n", oneLine(err.Error()))
		return nil
	}
	st.memory = m
	return m
}

// window is the flags' bound on what is listed.
func (st *storeFlags) window() app.Window {
	// --limit is the source flags' (sent to the wiki by the shortcuts).
	return app.Window{Since: st.since.t, Limit: st.src.limit, Unread: st.unread, Lean: st.lean}
}

// remember saves f in the store and returns what the store holds of its
// sources; on error it warns and returns f.
func (st *storeFlags) rememberFeed(ctx context.Context, e *env, f *feed.Feed) *feed.Feed {
	if st.memory == nil || f == nil {
		return st.window().Apply(f)
	}
	out, err := st.memory.Remember(ctx, f, st.remember, st.window())
	if err != nil {
		e.errorf("wikifeed: warning: %s\n", oneLine(err.Error()))
		return f
	}
	return out
}

// close closes the store if it was opened.
func (st *storeFlags) close() {
	if st != nil && st.memory != nil {
		// Every load was committed when it was made: a failing close
		// loses nothing.
		_ = st.memory.Close()
		st.memory = nil
	}
}

// goneNote marks, in list's lines, the revisions that have left their
// feed's window but are kept in the store.
func (st *storeFlags) goneNote(r *feed.Revision) string {
	if st == nil || st.memory == nil {
		return ""
	}
	if s, ok := st.memory.StateOf(r); ok && !s.InWindow {
		return "[gone from the feed]"
	}
	return ""
}

// sinceFlag is --since: a duration back from now, or a date.
type sinceFlag struct {
	t   time.Time
	raw string
}

func (s *sinceFlag) String() string { return s.raw }

// Type names the value in help.
func (s *sinceFlag) Type() string { return "when" }

// Set parses "2d", "36h", "1w", "90m", "2026-12-01" or an RFC 3339 time.
func (s *sinceFlag) Set(v string) error {
	t, err := parseSince(v, time.Now())
	if err != nil {
		return err
	}
	s.t, s.raw = t, v
	return nil
}

// parseSince reads --since's value relative to now.
func parseSince(v string, now time.Time) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, time.Local); err == nil {
			return t, nil
		}
	}
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}} {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			k, err := strconv.ParseFloat(n, 64)
			if err != nil || k < 0 {
				return time.Time{}, fmt.Errorf("bad --since %q: want a duration such as 2d or 36h, or a date", v)
			}
			return now.Add(-time.Duration(k * float64(u.unit))), nil
		}
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("bad --since %q: want a duration such as 2d or 36h, or a date", v)
	}
	return now.Add(-d), nil
}

const searchLong = `Search every revision the store holds: page titles, edit comments, authors
and texts, best match first, one line per revision as 'wikifeed list' writes
them.

QUERY is SQLite FTS5 query syntax: words (all must match), "a phrase",
OR, NOT, prefix*, NEAR(a b), and column:word with the columns page,
comment, user and text. SOURCEs limit the search to what those sources
carried.`

const searchExample = `wikifeed search Berlin
wikifeed search 'page:Berl* AND NOT user:Bot'
wikifeed search '"new section"' https://en.wikipedia.org/w/index.php?title=Special:RecentChanges&feed=atom
wikifeed search --json --limit 5 familia`

// newSearchCmd is 'wikifeed search QUERY [SOURCE...]'.
func newSearchCmd(e *env) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:     "search QUERY [SOURCE...]",
		Short:   "Search all stored revisions",
		Long:    searchLong,
		Example: searchExample,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return e.body(func() int { return runSearch(e, args[0], args[1:], limit, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "write the hits as JSON, best first")
	cmd.Flags().IntVar(&limit, "limit", store.DefaultSearchLimit, "at most N hits")
	return cmd
}

// runSearch is 'wikifeed search'.
func runSearch(e *env, query string, sources []string, limit int, asJSON bool) int {
	ctx := context.Background()
	if why := (&storeFlags{}).offBecause(e); why != "" {
		e.errorf("wikifeed search: the store is off (%s)\n", why)
		return exitUsage
	}
	m, err := app.OpenMemory(ctx, app.PathsFrom(e.getenv))
	if err != nil {
		e.errorf("wikifeed search: %s\n", oneLine(err.Error()))
		return exitError
	}
	defer func() { _ = m.Close() }() // search only reads
	f, err := m.Search(ctx, query, sources, limit)
	var qe *store.QueryError
	if errors.As(err, &qe) {
		e.errorf("wikifeed search: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	if err != nil {
		e.errorf("wikifeed search: %s\n", oneLine(err.Error()))
		return exitError
	}
	switch {
	case asJSON:
		err = writeFeedJSON(e.stdout, f)
	case len(f.Revisions) == 0:
		e.errorln("wikifeed search: no revision matches")
		return exitError
	case e.stdoutTTY:
		err = writeListColumns(e.stdout, f, listWidth(e))
	default:
		err = writeListTSV(e.stdout, f)
	}
	if err != nil {
		e.errorf("wikifeed search: %s\n", err)
		return exitError
	}
	return exitOK
}

const storeLong = `Print the store's path, size and what it holds per source: the database
in $XDG_DATA_HOME/wikifeed/wikifeed.db (~/.local/share/wikifeed/wikifeed.db)
that remembers every revision a URL source ever carried, the read and
reviewed marks, the texts fetched for diffs and the feeds' validators.

--prune drops what no feed has carried for --max-age and, while the file is
larger than --max-size, the longest-unseen revisions; revisions still in a
feed and revisions marked reviewed are always kept.`

// newStoreCmd is 'wikifeed store'.
func newStoreCmd(e *env) *cobra.Command {
	var prune bool
	var maxAge time.Duration
	maxSize := byteSize(store.DefaultPruneBytes)
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Show the store's path, size and counts; prune it",
		Long:  storeLong,
		Args:  cobra.NoArgs,
		RunE: func(_ *cobra.Command, _ []string) error {
			return e.body(func() int { return runStore(e, prune, maxAge, int64(maxSize)) })
		},
	}
	cmd.Flags().BoolVar(&prune, "prune", false, "drop old revisions and give the space back")
	cmd.Flags().DurationVar(&maxAge, "max-age", store.DefaultPruneAge, "with --prune: drop revisions no feed has carried for this long")
	cmd.Flags().Var(&maxSize, "max-size", "with --prune: the size to bring the file under (bytes, or with KiB, MiB, GiB)")
	return cmd
}

// runStore is 'wikifeed store'.
func runStore(e *env, prune bool, maxAge time.Duration, maxSize int64) int {
	ctx := context.Background()
	m, err := app.OpenMemory(ctx, app.PathsFrom(e.getenv))
	if err != nil {
		e.errorf("wikifeed store: %s\n", oneLine(err.Error()))
		return exitError
	}
	defer func() { _ = m.Close() }() // read-only from here on, or committed
	s := m.Store()
	// tw keeps its first error for Flush, checked at the end.
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	if prune {
		res, err := s.Prune(ctx, store.PruneOptions{MaxAge: maxAge, MaxBytes: maxSize})
		if err != nil {
			e.errorf("wikifeed store: %s\n", oneLine(err.Error()))
			return exitError
		}
		_, _ = fmt.Fprintf(tw, "pruned %d revisions and %d texts: %s -> %s\n", res.Revisions, res.Texts, sizeText(res.Before), sizeText(res.After))
		if res.Over {
			e.errorf("wikifeed store: still over %s: what is left is in a feed or reviewed\n", sizeText(maxSize))
		}
	}
	st, err := s.Stats(ctx)
	if err != nil {
		e.errorf("wikifeed store: %s\n", oneLine(err.Error()))
		return exitError
	}
	_, _ = fmt.Fprintf(tw, "path:      %s\n", oneLine(st.Path))
	_, _ = fmt.Fprintf(tw, "size:      %s (%s of texts)\n", sizeText(st.FileBytes), sizeText(st.ContentBytes))
	_, _ = fmt.Fprintf(tw, "revisions: %d, texts from the API: %d, wiki renderings: %d\n", st.Revisions, st.Texts, st.Renderings)
	if len(st.Sources) > 0 {
		_, _ = fmt.Fprintln(tw, "\nREVISIONS\tIN FEED\tUNREAD\tLAST LOADED\tSOURCE")
	}
	for _, ss := range st.Sources {
		_, _ = fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\n", ss.Revisions, ss.InWindow, ss.Unread,
			ss.LastLoad.Local().Format("2006-01-02 15:04"), oneLine(ss.Name))
	}
	if err := tw.Flush(); err != nil {
		e.errorf("wikifeed store: %s\n", err)
		return exitError
	}
	return exitOK
}

// sizeText writes a size in bytes for people.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
