package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/httpclient"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// Options say which sources to open and how; the front-ends fill them from
// flags and the config file, and Open checks them for every command and
// the TUI alike.
type Options struct {
	// Args are the sources named: files, "-" for Stdin, http(s) URLs.
	Args []string
	// Wiki builds one more source from a wiki's address (--wiki with
	// --user, --recent or --history); the zero value builds none.
	Wiki feed.WikiQuery
	// Timeout bounds each fetch; 0 means httpclient.DefaultTimeout, and a
	// negative one is a usage error.
	Timeout time.Duration
	// MaxBytes caps each source (HTTP bodies once decompressed); 0 means
	// httpclient.DefaultMaxBytes, and a negative one is a usage error.
	MaxBytes int64
	// NoCache neither reads nor writes the copies of fetched feeds.
	NoCache bool
	// NoFetch never asks a wiki's API for texts a diff needs.
	NoFetch bool
	// OneRequestPerWiki sends at most one request at a time to each wiki
	// (OneRequestPerHost), as a live stream's diffs need: they come from
	// the wiki's API, on demand, for wikis that did not choose to be polled.
	OneRequestPerWiki bool
	// Stdin is what "-" reads.
	Stdin io.Reader
	// Version goes into the User-Agent.
	Version string
	// Paths are where files are kept (see PathsFrom); the zero value
	// keeps nothing.
	Paths Paths
	// Store, if not nil, is the store: what it remembers joins what the
	// feeds carry. Nil runs without one (a file or standard input, or
	// the user's choice to keep nothing).
	Store Store
}

// UsageError is a bad option value, found before anything is loaded; the
// front-ends exit with their usage code. Its message names the flag.
type UsageError struct{ Msg string }

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// App is opened sources and what working with them needs: the HTTP
// client, the wiki API client, the store. Build it with Open.
type App struct {
	opts    Options
	sources []string
	http    *httpclient.Client
	api     *wikiapi.Client
}

// Check validates the options without opening anything.
func (o Options) Check() error {
	switch {
	case o.Timeout < 0:
		return &UsageError{fmt.Sprintf("--timeout %s: want a positive duration", o.Timeout)}
	case o.MaxBytes < 0:
		return &UsageError{fmt.Sprintf("--max-bytes %d: want a positive size", o.MaxBytes)}
	}
	if _, err := feed.WikiURL(o.Wiki); err != nil {
		return &UsageError{err.Error()}
	}
	return nil
}

// Open checks the options and prepares the sources; nothing is read yet.
func Open(o Options) (*App, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	u, _ := feed.WikiURL(o.Wiki)
	a := &App{opts: o, sources: append([]string(nil), o.Args...)}
	if u != "" {
		a.sources = append(a.sources, u)
	}
	version := o.Version
	if version == "" {
		version = "dev"
	}
	ho := httpclient.Options{
		UserAgent: httpclient.UserAgent(version),
		Timeout:   o.Timeout,
		MaxBytes:  o.MaxBytes,
	}
	if o.OneRequestPerWiki {
		ho.WrapTransport = OneRequestPerHost
	}
	a.http = httpclient.New(ho)
	if !o.NoFetch {
		a.api = &wikiapi.Client{HTTP: a.http}
	}
	return a, nil
}

// Sources are the sources to load: the arguments, then the URL the wiki
// shortcut builds.
func (a *App) Sources() []string { return append([]string(nil), a.sources...) }

// WikiURL is the URL the wiki shortcut builds, or "".
func (a *App) WikiURL() string {
	u, _ := feed.WikiURL(a.opts.Wiki)
	return u
}

// HTTP is the one HTTP client, for feeds and the API alike.
func (a *App) HTTP() *httpclient.Client { return a.http }

// API is the wiki API client; nil when fetching is off.
func (a *App) API() *wikiapi.Client { return a.api }

// Store is the store, nil when running without one.
func (a *App) Store() Store { return a.opts.Store }

// UseStore sets the store, for a front-end that opens it only once it
// knows the sources (a store is opened only when one of them is
// remembered). Call it before the first Load.
func (a *App) UseStore(s Store) { a.opts.Store = s }

// Timeout is the timeout of one fetch, default filled in.
func (a *App) Timeout() time.Duration { return a.http.Options().Timeout }

// FeedOptions are the options feed.Load gets.
func (a *App) FeedOptions() feed.Options {
	opts := feed.Options{
		Stdin:    a.opts.Stdin,
		MaxBytes: a.http.Options().MaxBytes,
		NoCache:  a.opts.NoCache,
		HTTP:     a.http,
	}
	if c, ok := a.opts.Store.(feed.Cache); ok && a.opts.Store != nil {
		opts.Cache = c
	}
	return opts
}

// loadSlack is how long past one fetch's timeout a whole load may take:
// sources load in parallel, a few at a time.
const loadSlack = 5 * time.Second

// Load loads the sources (the sample when there are none), as feed.Load
// does: one error per failed source, the feed nil only when all failed.
func (a *App) Load(ctx context.Context) (*feed.Feed, []error) {
	ctx, cancel := context.WithTimeout(ctx, a.Timeout()+loadSlack)
	defer cancel()
	f, errs := feed.Load(ctx, a.sources, a.FeedOptions())
	if f == nil && len(errs) == 0 {
		errs = []error{errors.New("nothing loaded")}
	}
	return f, errs
}
