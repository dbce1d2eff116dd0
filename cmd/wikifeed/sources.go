package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/httpclient"
	"github.com/wikifeed/wikifeed/render"
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
	cmd      string // the command's name, for messages
	wiki     string
	user     string
	recent   bool
	history  string
	printURL bool
	maxBytes byteSize
	timeout  time.Duration
	noCache  bool
	// mem, set by addStoreFlags, makes load save to and list from the
	// store (remember.go).
	mem *storeFlags
}

// addSourceFlags defines the source flags on fs, for the command named cmd.
func addSourceFlags(fs *pflag.FlagSet, cmd string) *sourceFlags {
	sf := &sourceFlags{cmd: cmd, maxBytes: feed.DefaultMaxBytes}
	fs.StringVar(&sf.wiki, "wiki", "", "a MediaWiki URL, used with --user, --recent or --history")
	fs.StringVar(&sf.user, "user", "", "with --wiki: the contributions of user NAME")
	fs.BoolVar(&sf.recent, "recent", false, "with --wiki: recent changes")
	fs.StringVar(&sf.history, "history", "", "with --wiki: the history of PAGE")
	fs.BoolVar(&sf.printURL, "print-url", false, "print the feed URL that --wiki builds, and exit")
	fs.Var(&sf.maxBytes, "max-bytes", "largest feed to read from any source, HTTP bodies once decompressed (bytes, or with KiB, MiB, GiB)")
	fs.DurationVar(&sf.timeout, "timeout", feed.DefaultTimeout, "time limit for fetching each URL (e.g. 10s)")
	fs.BoolVar(&sf.noCache, "no-cache", false, "neither read nor write the on-disk cache of fetched feeds")
	return sf
}

// sources returns the positional sources plus the URL the wiki shortcuts
// build.
func (sf *sourceFlags) sources(args []string) ([]string, error) {
	u, err := feed.WikiURL(feed.WikiQuery{Wiki: sf.wiki, User: sf.user, Recent: sf.recent, History: sf.history})
	if err != nil {
		return nil, err
	}
	if sf.printURL && u == "" {
		return nil, errors.New("--print-url needs --wiki")
	}
	out := append([]string(nil), args...)
	if u != "" {
		out = append(out, u)
	}
	return out, nil
}

// options builds the loading options from the flags and the environment.
func (sf *sourceFlags) options(e *env) feed.Options {
	opts := feed.Options{
		Stdin:    e.stdin,
		HTTP:     sf.httpClient(),
		MaxBytes: int64(sf.maxBytes),
		NoCache:  sf.noCache,
	}
	if dir := e.getenv("XDG_CACHE_HOME"); dir != "" {
		opts.CacheDir = filepath.Join(dir, "wikifeed")
	} else if home := e.getenv("HOME"); home != "" {
		opts.CacheDir = filepath.Join(home, ".cache", "wikifeed")
	} else {
		opts.NoCache = true
	}
	return opts
}

// httpClient returns the HTTP client of the flags, for feeds and the
// wiki's API alike.
func (sf *sourceFlags) httpClient() *httpclient.Client {
	return httpclient.New(httpclient.Options{
		UserAgent: httpclient.UserAgent(version),
		Timeout:   sf.timeout,
		MaxBytes:  int64(sf.maxBytes),
	})
}

// load loads the sources named by args (the positional arguments) and the
// flags, reporting each failed source on e.stderr in one line, and any
// warnings, the wiki's own error, and a note when the feed is the sample. It returns the feed and an exit
// code: -1 when all went well; otherwise the code to exit with, after
// showing the feed if it is not nil (some sources failed, others loaded).
// With --print-url it prints the URL and returns (nil, exitOK).
func (sf *sourceFlags) load(ctx context.Context, args []string, e *env) (*feed.Feed, int) {
	cmd := sf.cmd
	sources, err := sf.sources(args)
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed %s: %s\n", cmd, err)
		return nil, exitUsage
	}
	if sf.printURL {
		fmt.Fprintln(e.stdout, sources[len(sources)-1])
		return nil, exitOK
	}
	if sf.maxBytes <= 0 {
		fmt.Fprintf(e.stderr, "wikifeed %s: --max-bytes must be positive\n", cmd)
		return nil, exitUsage
	}
	if sf.timeout <= 0 {
		fmt.Fprintf(e.stderr, "wikifeed %s: --timeout must be positive\n", cmd)
		return nil, exitUsage
	}
	if e.getenv("GOGC") == "" && largeInput(sources) {
		// Parsing makes garbage at several times a feed's size (gofeed
		// copies every entry's text twice); a tighter GC target keeps the
		// peak memory near three times the file's size instead of four,
		// at no measurable cost in time (see the README's figures).
		defer debug.SetGCPercent(debug.SetGCPercent(loadGCPercent))
	}
	opts := sf.options(e)
	if sf.mem != nil {
		if m := sf.mem.open(ctx, e, sources); m != nil && !opts.NoCache {
			opts.Cache = m
		}
	}
	f, errs := feed.Load(ctx, sources, opts)
	if sf.mem != nil {
		f = sf.mem.rememberFeed(ctx, e, f)
	}
	code := -1
	for _, err := range errs {
		msg := oneLine(err.Error())
		var se *feed.SizeError
		if errors.As(err, &se) {
			msg += " (raise it with --max-bytes)"
		}
		fmt.Fprintf(e.stderr, "wikifeed: %s\n", msg)
		code = exitError
	}
	if f == nil {
		return nil, exitError
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(e.stderr, "wikifeed: warning: %s\n", oneLine(w))
	}
	if f.WikiError != "" {
		fmt.Fprintf(e.stderr, "wikifeed: %s: the wiki answered with an error: %s\n",
			oneLine(strings.Join(f.Sources, ", ")), oneLine(f.WikiError))
		code = exitError
	}
	if f.Sample {
		fmt.Fprintln(e.stderr, "wikifeed: no SOURCE given: showing the sample feed built into wikifeed")
	}
	return f, code
}

// oneLine makes untrusted text safe for one line of a terminal.
func oneLine(s string) string {
	s = render.Sanitize(s)
	return strings.Join(strings.Fields(s), " ")
}

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
