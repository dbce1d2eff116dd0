package app

import (
	"context"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// Store is what the core asks of the store. The store package implements
// it; the core runs without one (Options.Store nil) and then knows only
// what the feeds carry. A Store that also implements feed.Cache keeps the
// fetched copies and their validators too.
type Store interface {
	// Revision returns the stored revision id of the wiki named by key
	// (see WikiKey), its text included; nil and no error when the store
	// does not have it.
	Revision(ctx context.Context, wiki string, id int64) (*feed.Revision, error)
}

// WikiKey names the wiki a revision belongs to, so that revision IDs
// (unique within one wiki) can be looked up across feeds: the address of
// its api.php, from the revision's links. "" when the revision has no
// http(s) link.
func WikiKey(rev *feed.Revision) string {
	for _, l := range []string{rev.URL, rev.ChangesURL, rev.BaseURL} {
		if l == "" {
			continue
		}
		if api, err := wikiapi.EndpointFor(l); err == nil {
			return api
		}
	}
	return ""
}
