package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/wikifeed/wikifeed/httpclient"
)

// Cache keeps, for each URL, the last good copy of its feed and the
// validators (ETag, Last-Modified) that make the next fetch conditional.
// Load asks it before fetching and tells it each new good copy; the store
// implements it (app.Memory). Without one, every fetch is unconditional.
type Cache interface {
	// Get returns the copy kept for url, or nil (and no error) when there
	// is none. A copy found damaged is not returned.
	Get(url string) (*Copy, error)
	// Put keeps c for url, body and validators together: a later Get
	// sees the old copy or the new one, never a mixture.
	Put(url string, c *Copy) error
}

// Copy is one fetched body and what came with it.
type Copy struct {
	// FinalURL is the URL after redirects.
	FinalURL string `json:"finalUrl"`
	// ETag and LastModified are the response's validators.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"lastModified,omitempty"`
	// ContentType is the response's Content-Type, charset included.
	ContentType string `json:"contentType,omitempty"`
	// Fetched is when the copy was fetched.
	Fetched time.Time `json:"fetched"`
	// Body is the body, decompressed.
	Body []byte `json:"-"`
}

// cache returns the cache Load uses, nil for none.
func (l *loader) cache() Cache {
	if l.opts.NoCache {
		return nil
	}
	return l.opts.Cache
}

// client returns the HTTP client, built once.
func (l *loader) client() *httpclient.Client {
	l.once.Do(func() {
		l.hc = l.opts.HTTP
		if l.hc == nil {
			l.hc = httpclient.New(l.opts.httpOptions())
		}
	})
	return l.hc
}

// acceptFeeds is the Accept header of a feed request.
const acceptFeeds = "application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"

// fetchFeed fetches and parses a URL, using and updating the cache: a
// conditional request when a copy is kept, the copy on 304, and the copy
// with a warning when the fetch fails. A copy that no longer parses is
// dropped and the URL fetched again in full; a wiki's error (such as an
// API error in JSON) is an error, and the kept copy stays as it was.
func (l *loader) fetchFeed(ctx context.Context, rawURL string) (*Feed, error) {
	cache := l.cache()
	var kept *Copy
	if cache != nil {
		// An unreadable copy only costs a full fetch.
		kept, _ = cache.Get(rawURL)
	}
	resp, err := l.get(ctx, rawURL, kept)
	if err == nil && resp.NotModified() {
		if kept == nil {
			return nil, errors.New("the server answered 304 Not Modified to a request that was not conditional")
		}
		f, perr := parseInput(kept.Body, rawURL, kept.FinalURL, sourceInfo{contentType: kept.ContentType, maxBytes: l.opts.MaxBytes})
		if perr == nil {
			return f, nil
		}
		// The kept copy is damaged and the server will not resend it
		// while the validators match: ask without them.
		kept = nil
		resp, err = l.get(ctx, rawURL, nil)
		if err == nil && resp.NotModified() {
			err = errors.New("the server answered 304 Not Modified to a request that was not conditional")
		}
	}
	if err == nil {
		var f *Feed
		f, err = parseInput(resp.Body, rawURL, resp.URL, sourceInfo{contentType: resp.ContentType, maxBytes: l.opts.MaxBytes})
		if err == nil {
			if cache != nil {
				// A copy that cannot be kept only costs the next
				// conditional request; the feed is still good.
				_ = cache.Put(rawURL, &Copy{
					FinalURL: resp.URL, ETag: resp.Header.Get("ETag"),
					LastModified: resp.Header.Get("Last-Modified"), ContentType: resp.ContentType,
					Fetched: time.Now().UTC(), Body: resp.Body,
				})
			}
			return f, nil
		}
		var we *WikiAPIError
		if errors.As(err, &we) {
			// The wiki says the request is wrong: an old copy would
			// hide that.
			return nil, err
		}
	}
	if kept != nil {
		f, perr := parseInput(kept.Body, rawURL, kept.FinalURL, sourceInfo{contentType: kept.ContentType, maxBytes: l.opts.MaxBytes})
		if perr == nil {
			f.Warnings = append(f.Warnings, fmt.Sprintf("%s: %s; showing the copy cached %s",
				rawURL, err, kept.Fetched.Local().Format("2006-01-02 15:04")))
			return f, nil
		}
	}
	return nil, err
}

// get GETs a feed, conditionally when kept is not nil.
func (l *loader) get(ctx context.Context, rawURL string, kept *Copy) (*httpclient.Response, error) {
	h := http.Header{"Accept": {acceptFeeds}}
	if kept != nil {
		if kept.ETag != "" {
			h.Set("If-None-Match", kept.ETag)
		}
		if kept.LastModified != "" {
			h.Set("If-Modified-Since", kept.LastModified)
		}
	}
	return l.client().Get(ctx, rawURL, h)
}
