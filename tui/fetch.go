package tui

import (
	"maps"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// fetchedTexts are revisions got from wikis' APIs (texts and parents),
// kept so that a re-render (a resize, say) does not ask the wiki again.
// Only Update touches the model's copy; commands get copies.
type fetchedTexts map[int64]*wikiapi.Revision

// clone copies the entries a job needs: rev's and its parent's.
func (ft fetchedTexts) clone(rev *feed.Revision) fetchedTexts {
	out := fetchedTexts{}
	ids := []int64{rev.ID, rev.ParentID}
	if r := ft[rev.ID]; r != nil {
		ids = append(ids, r.ParentID)
	}
	for _, id := range ids {
		if r := ft[id]; r != nil && id != 0 {
			out[id] = r
		}
	}
	return out
}

// merge adds what a command fetched, dropping everything past
// maxFetchedTexts (texts are large; wikis are asked again if needed).
func (ft *fetchedTexts) merge(more fetchedTexts) {
	if *ft == nil || len(*ft)+len(more) > maxFetchedTexts {
		*ft = fetchedTexts{}
	}
	maps.Copy(*ft, more)
}

// maxFetchedTexts bounds how many fetched texts are kept.
const maxFetchedTexts = 64

// wikiPages are the wikis' own renderings got for W, by revision key, kept
// so that a re-render (a resize, W off and on) does not ask again. Only
// Update touches it; a job gets the one entry it needs (never changed
// once kept, so the pointer may be shared).
type wikiPages struct {
	byRev map[string]*app.WikiHTML
	bytes int
}

// get returns the rendering kept for the revision key k, or nil.
func (w *wikiPages) get(k string) *app.WikiHTML { return w.byRev[k] }

// put keeps a rendering, dropping them all first when it would take the
// total past maxWikiPageBytes (the store keeps them anyway).
func (w *wikiPages) put(k string, h *app.WikiHTML) {
	if h == nil || len(h.HTML) > maxWikiPageBytes {
		return
	}
	if w.byRev == nil || w.bytes+len(h.HTML) > maxWikiPageBytes {
		w.byRev, w.bytes = map[string]*app.WikiHTML{}, 0
	}
	if old := w.byRev[k]; old != nil {
		w.bytes -= len(old.HTML)
	}
	w.byRev[k] = h
	w.bytes += len(h.HTML)
}

// maxWikiPageBytes bounds the renderings kept in memory, in bytes.
const maxWikiPageBytes = 32 << 20
