package tui

import (
	"context"
	"errors"
	"fmt"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// fetchedTexts are revision texts got from wikis' APIs, kept so that a
// re-render (a resize, say) does not ask the wiki again. Only Update
// touches the model's copy; commands get copies.
type fetchedTexts struct {
	text   map[int64]string // revision ID -> wikitext
	parent map[int64]int64  // revision ID -> parent ID, as the API says
}

// clone copies the entries a job needs: rev's text and its parent's.
func (ft fetchedTexts) clone(rev *feed.Revision) fetchedTexts {
	out := fetchedTexts{text: map[int64]string{}, parent: map[int64]int64{}}
	if ft.text == nil {
		return out
	}
	ids := []int64{rev.ID, rev.ParentID, ft.parent[rev.ID]}
	for _, id := range ids {
		if t, ok := ft.text[id]; ok && id != 0 {
			out.text[id] = t
		}
	}
	if p, ok := ft.parent[rev.ID]; ok {
		out.parent[rev.ID] = p
	}
	return out
}

// merge adds what a command fetched, dropping everything past
// maxFetchedTexts (texts are large; wikis are asked again if needed).
func (ft *fetchedTexts) merge(more fetchedTexts) {
	if ft.text == nil || len(ft.text)+len(more.text) > maxFetchedTexts {
		ft.text, ft.parent = map[int64]string{}, map[int64]int64{}
	}
	for id, t := range more.text {
		ft.text[id] = t
	}
	for id, p := range more.parent {
		ft.parent[id] = p
	}
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
	link := ""
	for _, u := range []string{rev.ChangesURL, rev.URL, rev.BaseURL} {
		if u != "" {
			link = u
			break
		}
	}
	endpoint, err = wikiapi.EndpointFor(link)
	if err != nil {
		return "", "", "", err
	}
	if rev.ID == 0 {
		return "", "", "", errors.New("the feed gives no revision ID to ask the wiki for")
	}
	parent := rev.ParentID
	if p, ok := known.parent[rev.ID]; ok && parent == 0 {
		parent = p
	}
	get := func(ids ...int64) error {
		var need []int64
		for _, id := range ids {
			if _, ok := known.text[id]; !ok && id != 0 {
				need = append(need, id)
			}
		}
		if len(need) == 0 {
			return nil
		}
		revs, err := api.Revisions(ctx, endpoint, need...)
		if err != nil {
			return fmt.Errorf("fetch revisions from %s: %w", endpoint, err)
		}
		for id, r := range revs {
			known.text[id] = r.Text
			known.parent[id] = r.ParentID
		}
		return nil
	}
	if err := get(rev.ID, parent); err != nil {
		return "", "", endpoint, err
	}
	if parent == 0 {
		// The feed did not name the parent; the API does.
		parent = known.parent[rev.ID]
		if err := get(parent); err != nil {
			return "", "", endpoint, err
		}
	}
	return known.text[parent], known.text[rev.ID], endpoint, nil
}
