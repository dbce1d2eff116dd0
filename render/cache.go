package render

import (
	"container/list"
	"hash/maphash"
	"strconv"
	"sync"

	"github.com/wikifeed/wikifeed/feed"
)

// Cache tunables.
const (
	// DefaultCacheBytes is the size bound of a cache made by NewCache(0):
	// about twenty renderings of a 500 KB article in colour.
	DefaultCacheBytes = 64 << 20
)

// CacheKey names one rendering: which revision, at what width, in what
// style and format. Two revisions with the same key have the same header
// fields and body, so a cached rendering of one is right for the other.
type CacheKey struct {
	// Revision identifies the revision's content; see RevisionKey.
	Revision string
	// Width, Style and Format are the Options the rendering was made with.
	Width  int
	Style  string
	Format Format
}

// contentSeed makes RevisionKey's hashes; one per process is enough, as
// keys are never stored.
var contentSeed = maphash.MakeSeed()

// RevisionKey returns a string that identifies a revision by everything
// a rendering shows: its ID, page, author, time, comment, section, size
// change and a hash of its body and text. Feeds reuse IDs (MediaWiki log
// entries all carry diff=0) and a reloaded feed may change an entry, so
// the ID alone is not enough.
func RevisionKey(rev *feed.Revision) string {
	var h maphash.Hash
	h.SetSeed(contentSeed)
	for _, s := range []string{rev.Page, rev.User, rev.Comment, rev.Section, rev.URL, rev.ChangesURL, rev.BaseURL, rev.Body, rev.Text} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	b := make([]byte, 0, 64)
	b = strconv.AppendInt(b, rev.ID, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, rev.Time.UnixNano(), 36)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(rev.Kind), 10)
	b = append(b, '/')
	if rev.HasSizeChange {
		b = strconv.AppendInt(b, int64(rev.SizeChange), 10)
	}
	b = append(b, '/')
	b = strconv.AppendBool(b, rev.Log)
	b = strconv.AppendBool(b, rev.NewPage)
	b = append(b, '/')
	b = strconv.AppendUint(b, h.Sum64(), 36)
	return string(b)
}

// KeyFor returns the cache key of rendering rev with opts.
func KeyFor(rev *feed.Revision, opts Options) CacheKey {
	return CacheKey{Revision: RevisionKey(rev), Width: opts.Width, Style: opts.Style, Format: opts.Format}
}

// Cache holds finished renderings, bounded by their total size in bytes;
// when full it drops the least recently used. It is safe for concurrent
// use, so a TUI may fill it from its render commands and read it in
// Update.
//
//	c := render.NewCache(0)
//	out, err := c.Render(rev, opts) // renders once, then answers from memory
//
// A first screen is not a finished rendering: store only what
// Document.Render returns, or what RenderFirst returns with complete set.
type Cache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // of *cacheEntry, most recently used first
	entries  map[CacheKey]*list.Element
}

// cacheEntry is one rendering in a Cache.
type cacheEntry struct {
	key  CacheKey
	text string
}

// NewCache returns an empty cache holding at most maxBytes of text;
// maxBytes <= 0 means DefaultCacheBytes.
func NewCache(maxBytes int) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	return &Cache{maxBytes: maxBytes, order: list.New(), entries: map[CacheKey]*list.Element{}}
}

// Get returns the rendering stored under k, if any, and marks it used.
func (c *Cache) Get(k CacheKey) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).text, true
}

// Put stores a rendering under k, dropping the least recently used
// renderings until the cache fits its bound. A rendering larger than the
// whole bound is not stored.
func (c *Cache) Put(k CacheKey, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok {
		c.bytes -= len(e.Value.(*cacheEntry).text)
		c.order.Remove(e)
		delete(c.entries, k)
	}
	if len(text) > c.maxBytes {
		return
	}
	c.entries[k] = c.order.PushFront(&cacheEntry{key: k, text: text})
	c.bytes += len(text)
	for c.bytes > c.maxBytes {
		last := c.order.Back()
		ce := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, ce.key)
		c.bytes -= len(ce.text)
	}
}

// Len returns the number of renderings held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Bytes returns the total size of the renderings held.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// Render returns Revision(rev, opts), from the cache when it holds it;
// otherwise it renders and stores the result. Two goroutines asking for
// the same missing key at once both render; the second Put wins, which is
// harmless as both results are the same.
func (c *Cache) Render(rev *feed.Revision, opts Options) (string, error) {
	k := KeyFor(rev, opts)
	if s, ok := c.Get(k); ok {
		return s, nil
	}
	s, err := Revision(rev, opts)
	if err != nil {
		return "", err
	}
	c.Put(k, s)
	return s, nil
}
