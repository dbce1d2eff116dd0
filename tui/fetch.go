package tui

import (
	"maps"

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
