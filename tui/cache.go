package tui

import "container/list"

// renderCache is a least-recently-used cache of content-pane results,
// bounded by entry count and total text size. Only Update touches it, so
// it has no lock.
type renderCache struct {
	maxEntries, maxBytes int
	bytes                int
	order                *list.List // of *cacheEntry, most recent first
	index                map[contentKey]*list.Element
}

type cacheEntry struct {
	key contentKey
	res contentResult
}

func newRenderCache(maxEntries, maxBytes int) *renderCache {
	return &renderCache{maxEntries: maxEntries, maxBytes: maxBytes, order: list.New(), index: map[contentKey]*list.Element{}}
}

// get returns the result for k and marks it recently used.
func (c *renderCache) get(k contentKey) (contentResult, bool) {
	e, ok := c.index[k]
	if !ok {
		return contentResult{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).res, true
}

// put stores a result, evicting the least recently used past the bounds.
// A result larger than the whole budget is not kept.
func (c *renderCache) put(k contentKey, r contentResult) {
	size := r.size()
	if size > c.maxBytes {
		return
	}
	if e, ok := c.index[k]; ok {
		c.bytes -= e.Value.(*cacheEntry).res.size()
		e.Value.(*cacheEntry).res = r
		c.bytes += size
		c.order.MoveToFront(e)
	} else {
		c.index[k] = c.order.PushFront(&cacheEntry{k, r})
		c.bytes += size
	}
	for c.order.Len() > c.maxEntries || c.bytes > c.maxBytes {
		last := c.order.Back()
		ent := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.index, ent.key)
		c.bytes -= ent.res.size()
	}
}

// len returns the number of entries.
func (c *renderCache) len() int { return c.order.Len() }
