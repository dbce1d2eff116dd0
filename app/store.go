package app

import (
	"context"
	"fmt"

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

// TextSaver is a Store that also keeps the texts the core fetches from a
// wiki's API, so that they are never fetched again. Diff saves through it
// when the store implements it.
type TextSaver interface {
	// SaveText keeps the text of revision id of the wiki named by key.
	SaveText(ctx context.Context, wiki string, id int64, text string) error
}

// ContentStore is a Store that lists revisions without their bodies and
// texts (feed.Revision.Omitted) and gives them when they are needed.
type ContentStore interface {
	// Content returns r with its Body and Text, read from the store.
	Content(ctx context.Context, r *feed.Revision) (*feed.Revision, error)
}

// Full returns r with its content: r itself when it has it, else a copy
// with the Body and Text the store keeps for it.
func (a *App) Full(ctx context.Context, r *feed.Revision) (*feed.Revision, error) {
	if r == nil || !r.Omitted {
		return r, nil
	}
	var cs ContentStore
	if a != nil {
		cs, _ = a.opts.Store.(ContentStore)
	}
	if cs == nil {
		return nil, fmt.Errorf("%s: its text was left in the store, and no store is open", RevisionName(r))
	}
	full, err := cs.Content(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("%s: read it from the store: %w", RevisionName(r), err)
	}
	c := *r
	c.Body, c.Text, c.Omitted = full.Body, full.Text, false
	return &c, nil
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
