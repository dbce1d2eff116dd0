package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
	"github.com/wikifeed/wikifeed/tui"
)

// Loading tunables.
const (
	// loadGCPercent is the GC target (as GOGC) while a large feed loads.
	loadGCPercent = 50
	// largeInputBytes is the size of local files past which loading uses
	// loadGCPercent; below it the tighter target only costs time (about
	// 8 ms of 50 for a 750 KB feed) and saves no memory worth having.
	largeInputBytes = 8 << 20
)

// sourceFlags are the flags every command that loads feeds shares: the
// MediaWiki shortcuts and the HTTP settings. A command defines them with
// addSourceFlags when it builds its flags, and its body, given the
// positional arguments pos, loads so:
//
//	f, code := sf.load(ctx, pos, e)
//	if f == nil {
//		return code // errors are on stderr already
//	}
//	// ... show f; then exit with code if it is >= 0 (a source failed).
type sourceFlags struct {
	cmd       string // the command's name, for messages
	wiki      string
	user      string
	recent    bool
	history   string
	newPages  bool
	watchlist string
	namespace int
	limit     int
	days      int
	hideBots  bool
	hideMinor bool
	hideOwn   bool
	printURL  bool
	maxBytes  byteSize
	timeout   time.Duration
	noCache   bool
	// changed reports whether a flag was given (--namespace 0 is a
	// namespace).
	changed func(name string) bool
	// configPath is the config file that may hold the watchlist token;
	// "" is the default one.
	configPath string
	// token is the watchlist token in use; every message and the
	// printed URL show it masked (redact).
	token string
	// mem, set by addStoreFlags, makes load save to and list from the
	// store (remember.go).
	mem *storeFlags
}

// watchlistTokenEnv is the environment variable that holds the watchlist
// token; the config file's watchlist_token is read when it is unset. The
// token is never taken from the command line, where ps and the shell's
// history would show it.
const watchlistTokenEnv = "WIKIFEED_WATCHLIST_TOKEN"

// tokenMask stands for the watchlist token in whatever is printed.
const tokenMask = "HIDDEN"

// addSourceFlags defines the source flags on fs, for the command named cmd.
func addSourceFlags(fs *pflag.FlagSet, cmd string) *sourceFlags {
	sf := &sourceFlags{cmd: cmd, maxBytes: feed.DefaultMaxBytes, changed: fs.Changed}
	fs.StringVar(&sf.wiki, "wiki", "", "a MediaWiki URL, used with --user, --recent, --history, --newpages or --watchlist")
	fs.StringVar(&sf.user, "user", "", "with --wiki: the contributions of user NAME")
	fs.BoolVar(&sf.recent, "recent", false, "with --wiki: recent changes")
	fs.StringVar(&sf.history, "history", "", "with --wiki: the history of PAGE")
	fs.BoolVar(&sf.newPages, "newpages", false, "with --wiki: the pages created lately")
	fs.StringVar(&sf.watchlist, "watchlist", "", "with --wiki: the watchlist of USER (the token from $"+watchlistTokenEnv+" or the config file's watchlist_token)")
	fs.IntVar(&sf.namespace, "namespace", 0, "with --recent, --user or --newpages: only namespace N (0 articles, 1 talk, 2 user pages, ...)")
	fs.IntVarP(&sf.limit, "limit", "n", 0, "with --recent, --history or --newpages: at most N entries")
	fs.IntVar(&sf.days, "days", 0, fmt.Sprintf("with --recent or --watchlist (at most %d): N days back", feed.WatchlistMaxDays))
	fs.BoolVar(&sf.hideBots, "hide-bots", false, "with --recent, --newpages or --watchlist: no edits by bots")
	fs.BoolVar(&sf.hideMinor, "hide-minor", false, "with --recent, --user or --watchlist: no minor edits")
	fs.BoolVar(&sf.hideOwn, "hide-own", false, "with --watchlist: not the user's own edits")
	fs.BoolVar(&sf.printURL, "print-url", false, "print the feed URL that --wiki builds (a watchlist token masked), and exit")
	fs.Var(&sf.maxBytes, "max-bytes", "largest feed to read from any source, HTTP bodies once decompressed (bytes, or with KiB, MiB, GiB)")
	fs.DurationVar(&sf.timeout, "timeout", feed.DefaultTimeout, "time limit for fetching each URL (e.g. 10s)")
	fs.BoolVar(&sf.noCache, "no-cache", false, "fetch unconditionally: no ETag or Last-Modified from the stored copy, and no fallback to it")
	return sf
}

// appOptions are the core's options from the flags, the positional
// sources args and the environment.
func (sf *sourceFlags) appOptions(args []string, q feed.WikiQuery, e *env) app.Options {
	return app.Options{
		Args:     args,
		Wiki:     q,
		Timeout:  sf.timeout,
		MaxBytes: int64(sf.maxBytes),
		// The cache keeps each feed's URL, and a watchlist's holds the
		// token.
		NoCache: sf.noCache || sf.token != "",
		Stdin:   e.stdin,
		Version: version,
		Paths:   app.PathsFrom(e.getenv),
		Store:   e.store,
	}
}

// open checks the flags and opens the sources with the core, reporting a
// bad flag on e.stderr. code is -1 to go on, else the exit code; with
// --print-url it prints the URL and returns exitOK.
func (sf *sourceFlags) open(args []string, e *env) (*app.App, int) {
	cmd := "wikifeed"
	if sf.cmd != "wikifeed" {
		cmd += " " + sf.cmd
	}
	if sf.printURL && sf.wiki == "" {
		e.errorf("%s: --print-url needs --wiki\n", cmd)
		return nil, exitUsage
	}
	q, err := sf.wikiQuery(e)
	if err != nil {
		e.errorf("%s: %s\n", cmd, oneLine(err.Error()))
		return nil, exitUsage
	}
	a, err := app.Open(sf.appOptions(args, q, e))
	if err != nil {
		e.errorf("%s: %s\n", cmd, oneLine(sf.redact(err.Error())))
		return nil, exitUsage
	}
	if sf.printURL {
		if _, err := fmt.Fprintln(e.stdout, sf.redact(a.WikiURL())); err != nil {
			e.errorf("%s: %s\n", cmd, err)
			return nil, exitError
		}
		return nil, exitOK
	}
	if err := checkStdin(a.Sources(), e); err != nil {
		e.errorf("%s: %s\n", cmd, err)
		return nil, exitUsage
	}
	if sf.mem != nil && a.Store() == nil {
		// The store is the feeds' cache, the stored parents' lookup and
		// the keeper of texts fetched from the API (app.Memory).
		if m := sf.mem.open(context.Background(), e, a.Sources()); m != nil {
			a.UseStore(m)
		}
	}
	return a, -1
}

// load loads the sources named by args (the positional arguments) and the
// flags, reporting each failed source on e.stderr in one line, and any
// warnings, the wiki's own error, and a note when the feed is the sample.
// It returns the feed and an exit code: -1 when all went well; otherwise
// the code to exit with, after showing the feed if it is not nil (some
// sources failed, others loaded). With --print-url it prints the URL and
// returns (nil, exitOK).
func (sf *sourceFlags) load(ctx context.Context, args []string, e *env) (*feed.Feed, int) {
	_, f, code := sf.loadApp(ctx, args, e)
	return f, code
}

// loadApp is load that also returns the core it opened.
func (sf *sourceFlags) loadApp(ctx context.Context, args []string, e *env) (*app.App, *feed.Feed, int) {
	a, code := sf.open(args, e)
	if a == nil {
		return nil, nil, code
	}
	if e.getenv("GOGC") == "" && largeInput(a.Sources()) {
		// Parsing makes garbage at several times a feed's size (gofeed
		// copies every entry's text twice); a tighter GC target keeps the
		// peak memory near three times the file's size instead of four,
		// at no measurable cost in time (see the README's figures).
		defer debug.SetGCPercent(debug.SetGCPercent(loadGCPercent))
	}
	f, errs := a.Load(ctx)
	errs = sf.redactFeed(f, errs)
	if sf.mem != nil {
		f = sf.mem.rememberFeed(ctx, e, f)
	}
	code = -1
	for _, err := range errs {
		msg := oneLine(err.Error())
		var se *feed.SizeError
		if errors.As(err, &se) {
			msg += " (raise it with --max-bytes)"
		}
		e.errorf("wikifeed: %s\n", msg)
		code = exitError
	}
	if f == nil {
		return a, nil, exitError
	}
	for _, w := range f.Warnings {
		e.errorf("wikifeed: warning: %s\n", oneLine(w))
	}
	if f.WikiError != "" {
		e.errorf("wikifeed: %s: the wiki answered with an error: %s\n",
			oneLine(strings.Join(f.Sources, ", ")), oneLine(f.WikiError))
		code = exitError
	}
	if f.Sample {
		e.errorln("wikifeed: no SOURCE given: showing the sample feed built into wikifeed")
	}
	return a, f, code
}

// wikiQuery is the wiki feed the flags ask for, with the watchlist token
// when a watchlist is asked for.
func (sf *sourceFlags) wikiQuery(e *env) (feed.WikiQuery, error) {
	q := feed.WikiQuery{
		Wiki: sf.wiki, User: sf.user, Recent: sf.recent, History: sf.history,
		NewPages: sf.newPages, Watchlist: sf.watchlist, Limit: sf.limit, Days: sf.days,
		HideBots: sf.hideBots, HideMinor: sf.hideMinor, HideOwn: sf.hideOwn,
	}
	if sf.changed != nil {
		for _, f := range []struct {
			name  string
			value int
		}{{"limit", sf.limit}, {"days", sf.days}} {
			if sf.changed(f.name) && f.value < 1 {
				return q, fmt.Errorf("--%s %d: want 1 or more", f.name, f.value)
			}
		}
		if sf.changed("namespace") {
			q.Namespace = &sf.namespace
		}
	}
	if sf.mem != nil && sf.wiki == "" {
		// Without a wiki shortcut, --limit only bounds the list
		// (storeFlags.window).
		q.Limit = 0
	}
	if sf.watchlist != "" && sf.wiki != "" {
		token, err := sf.watchlistToken(e)
		if err != nil {
			return q, err
		}
		q.Token, sf.token = token, token
	}
	// The core checks it again; here the error comes before anything.
	if _, err := feed.WikiURL(q); err != nil {
		return q, err
	}
	return q, nil
}

// watchlistToken reads the watchlist token: $WIKIFEED_WATCHLIST_TOKEN,
// else the config file's watchlist_token, which is refused when others
// may read the file. "" when neither has one.
func (sf *sourceFlags) watchlistToken(e *env) (string, error) {
	if t := strings.TrimSpace(e.getenv(watchlistTokenEnv)); t != "" {
		return t, nil
	}
	path, required := sf.configPath, true
	if path == "" {
		path, required = tui.DefaultConfigPath(e.getenv), false
	}
	cfg, err := tui.LoadConfig(path, required)
	if err != nil || cfg.WatchlistToken == "" {
		return "", err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("config: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s holds a watchlist token and others may read it (mode %04o); chmod 600 it", path, fi.Mode().Perm())
	}
	return cfg.WatchlistToken, nil
}

// redact masks the watchlist token in s.
func (sf *sourceFlags) redact(s string) string {
	if sf.token == "" {
		return s
	}
	s = strings.ReplaceAll(s, sf.token, tokenMask)
	return strings.ReplaceAll(s, url.QueryEscape(sf.token), tokenMask)
}

// redactFeed masks the watchlist token in what a loaded feed shows of its
// sources, and in the errors of its load.
func (sf *sourceFlags) redactFeed(f *feed.Feed, errs []error) []error {
	if sf.token == "" {
		return errs
	}
	if f != nil {
		for i, s := range f.Sources {
			f.Sources[i] = sf.redact(s)
		}
		for i, w := range f.Warnings {
			f.Warnings[i] = sf.redact(w)
		}
		f.WikiError = sf.redact(f.WikiError)
	}
	out := make([]error, len(errs))
	for i, err := range errs {
		out[i] = &redactedError{msg: sf.redact(err.Error()), err: err}
	}
	return out
}

// redactedError is an error whose message has the watchlist token masked.
type redactedError struct {
	msg string
	err error
}

// Error returns the masked message.
func (e *redactedError) Error() string { return e.msg }

// Unwrap returns the error, for errors.As.
func (e *redactedError) Unwrap() error { return e.err }

// errStdinTerminal refuses "-" when standard input is a terminal: the
// feed would be typed, and the program would wait, silent, for an end of
// file.
var errStdinTerminal = errors.New(`"-" reads a feed from standard input, which is a terminal; pipe one in (curl -s URL | wikifeed -) or name a file`)

// checkStdin refuses the source "-" when standard input is a terminal.
func checkStdin(sources []string, e *env) error {
	if !slices.Contains(sources, "-") {
		return nil
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return errStdinTerminal
	}
	return nil
}

// oneLine makes untrusted text safe for one line of a terminal.
var oneLine = render.OneLine

// largeInput reports whether the sources may be large: local files of at
// least largeInputBytes together, or any URL or standard input, whose size
// is not known before they are read.
func largeInput(sources []string) bool {
	var total int64
	for _, src := range sources {
		if src == "-" || strings.Contains(src, "://") {
			return true
		}
		if fi, err := os.Stat(src); err == nil {
			total += fi.Size()
		}
	}
	return total >= largeInputBytes
}

// byteSize is a flag value of bytes: "1048576", "512KiB", "64MiB", "1GiB"
// (KB, MB and GB are read as the same powers of two).
type byteSize int64

// String returns the size, in MiB or KiB when it is a whole number of them.
func (b *byteSize) String() string {
	switch n := int64(*b); {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + "MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + "KiB"
	default:
		return strconv.FormatInt(n, 10)
	}
}

// Type names the value in help and completions.
func (b *byteSize) Type() string { return "size" }

// Set parses a size.
func (b *byteSize) Set(s string) error {
	t := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"gib", 1 << 30}, {"gb", 1 << 30}, {"g", 1 << 30}, {"mib", 1 << 20}, {"mb", 1 << 20}, {"m", 1 << 20}, {"kib", 1 << 10}, {"kb", 1 << 10}, {"k", 1 << 10}, {"b", 1}} {
		if strings.HasSuffix(strings.ToLower(t), u.suffix) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return fmt.Errorf("bad size %q", s)
	}
	*b = byteSize(n * mult)
	return nil
}
