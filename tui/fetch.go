package tui

import (
	"context"
	"errors"
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

// fetchPair returns the texts of rev and of the revision before it (""
// when rev created the page), from known or else from the wiki's API,
// with the API's address; known gains what was fetched.
func fetchPair(ctx context.Context, api *wikiapi.Client, rev *feed.Revision, known fetchedTexts) (oldText, newText, endpoint string, err error) {
	if api == nil {
		return "", "", "", errors.New("fetching from the wiki is off")
	}
	p, err := api.TextPair(ctx, []string{rev.ChangesURL, rev.URL, rev.BaseURL}, rev.ID, rev.ParentID, known)
	return p.OldText, p.NewText, p.Endpoint, err
}
