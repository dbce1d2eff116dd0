package feed

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/wikifeed/wikifeed/httpclient"
	"github.com/wikifeed/wikifeed/internal/bounded"
)

// Options say how Load reads its sources. The zero value works: standard
// input is empty, HTTP uses httpclient's defaults, and nothing is cached.
type Options struct {
	// Stdin is what the source "-" reads; nil reads nothing.
	Stdin io.Reader
	// UserAgent is sent with every request; empty means
	// httpclient.UserAgent("dev").
	UserAgent string
	// Timeout bounds one fetch, body included; 0 means DefaultTimeout.
	Timeout time.Duration
	// ConnectTimeout bounds connecting; 0 means DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxBytes caps what is read of any source (for HTTP, after
	// decompression); 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxRetryWait is the longest Retry-After honoured (once) on a 429 or
	// 503; 0 means DefaultMaxRetryWait.
	MaxRetryWait time.Duration
	// Cache keeps the last good copy of each URL and its validators (the
	// store does); nil means none: no conditional requests, no fallback.
	Cache Cache
	// NoCache turns Cache off: no conditional requests, no fallback,
	// nothing written.
	NoCache bool
	// HTTP, if set, is the client used instead of one built from the
	// fields above.
	HTTP *httpclient.Client
}

// httpOptions is the part of o that the HTTP client takes.
func (o Options) httpOptions() httpclient.Options {
	return httpclient.Options{
		UserAgent:      o.UserAgent,
		Timeout:        o.Timeout,
		ConnectTimeout: o.ConnectTimeout,
		MaxBytes:       o.MaxBytes,
		MaxRetryWait:   o.MaxRetryWait,
	}
}

// withDefaults fills the zero fields that httpclient also takes with
// httpclient's defaults, so the two cannot disagree; MaxBytes then caps
// files and standard input as it caps HTTP bodies.
func (o Options) withDefaults() Options {
	h := o.httpOptions().WithDefaults()
	o.UserAgent, o.Timeout, o.ConnectTimeout = h.UserAgent, h.Timeout, h.ConnectTimeout
	o.MaxBytes, o.MaxRetryWait = h.MaxBytes, h.MaxRetryWait
	return o
}

// Load reads every source (a path, "-" for opts.Stdin, or an http(s) URL)
// and merges them into one feed. It returns one error per source that
// failed (each a *SourceError naming it) while the others still load; the
// feed is nil only when every source failed. No sources means the sample.
func Load(ctx context.Context, sources []string, opts Options) (*Feed, []error) {
	if len(sources) == 0 {
		return Sample(), nil
	}
	opts = opts.withDefaults()
	l := &loader{opts: opts}
	feeds := make([]*Feed, len(sources))
	errs := make([]error, len(sources))
	sem := make(chan struct{}, maxParallelFetches)
	var wg sync.WaitGroup
	stdinUsed := false
	for i, src := range sources {
		if src == "-" {
			if stdinUsed {
				errs[i] = &SourceError{Source: src, Err: errors.New("standard input given more than once")}
				continue
			}
			stdinUsed = true
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f, err := l.loadOne(ctx, src)
			if err != nil {
				errs[i] = &SourceError{Source: src, Err: err}
				return
			}
			feeds[i] = f
		}()
	}
	wg.Wait()
	var good []*Feed
	var bad []error
	for i := range sources {
		if errs[i] != nil {
			bad = append(bad, errs[i])
		} else if feeds[i] != nil {
			good = append(good, feeds[i])
		}
	}
	if len(good) == 0 {
		return nil, bad
	}
	if len(good) == 1 {
		return good[0], bad
	}
	return Merge(good...), bad
}

// loader loads sources with one set of options.
type loader struct {
	opts Options
	once sync.Once
	hc   *httpclient.Client
}

// loadOne loads one source; its errors do not name the source yet.
func (l *loader) loadOne(ctx context.Context, src string) (*Feed, error) {
	switch {
	case src == "-":
		if l.opts.Stdin == nil {
			return nil, ErrEmpty
		}
		data, err := readCapped(l.opts.Stdin, l.opts.MaxBytes)
		if err != nil {
			return nil, err
		}
		return parseInput(data, src, "", sourceInfo{maxBytes: l.opts.MaxBytes})
	case isURL(src):
		return l.fetchFeed(ctx, src)
	}
	fi, err := os.Stat(src)
	if err != nil {
		return nil, bounded.FileError(err)
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory, not a feed file")
	}
	// Files are read whole: the tag check and the parallel parse of large
	// feeds need all of it, and the model holds most of it anyway. A pipe
	// or a device may never end (/dev/zero): it is capped like a body.
	data, err := readFileCapped(src, l.opts.MaxBytes)
	if err != nil {
		return nil, err
	}
	return parseInput(data, src, "", sourceInfo{maxBytes: l.opts.MaxBytes})
}

// readFileCapped reads a local file of at most limit bytes.
func readFileCapped(path string, limit int64) ([]byte, error) {
	return bounded.ReadFile(path, limit)
}

// readCapped reads r to the end, failing past limit bytes.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	data, err := bounded.ReadAll(r, limit)
	if err != nil {
		var se *SizeError
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, fmt.Errorf("reading: %w", err)
	}
	return data, nil
}

//go:embed sample/sample.atom
var sampleAtom []byte

// SampleSource is the name the sample feed goes by in Sources.
const SampleSource = "(sample)"

// Sample returns the sample feed built into wikifeed: the user
// contributions of one user on the OpenVZ wiki. Its Sample field is true.
func Sample() *Feed {
	f, err := parseBytes(sampleAtom, SampleSource, "")
	if err != nil {
		// The sample is part of the binary and covered by tests.
		panic("feed: the embedded sample does not parse: " + err.Error())
	}
	f.Sample = true
	return f
}
