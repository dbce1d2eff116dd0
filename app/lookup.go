package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wikifeed/wikifeed/feed"
)

// Selector names one revision of a feed: by revision ID, by page (its
// newest revision), or by entry number (1 is the newest, as 'wikifeed
// list' numbers them). The zero Selector is the newest revision.
type Selector struct {
	// ID is a revision ID; 0 when not given.
	ID int64
	// Page is a page title; "" when not given.
	Page string
	// Entry is a list position, 1 the newest; 0 when not given.
	Entry int
}

// lookupHint ends a failed lookup's message.
const lookupHint = "; run 'wikifeed list' with the same sources to see the entries"

// Find returns the revision sel names.
func Find(f *feed.Feed, sel Selector) (*feed.Revision, error) {
	if f == nil || len(f.Revisions) == 0 {
		src := ""
		if f != nil {
			src = strings.Join(f.Sources, ", ") + ": "
		}
		return nil, fmt.Errorf("%sno entries", src)
	}
	switch {
	case sel.ID != 0:
		if r := FindID(f, sel.ID); r != nil {
			return r, nil
		}
		return nil, fmt.Errorf("no revision %d in the feed%s", sel.ID, lookupHint)
	case sel.Page != "":
		if r := f.Page(sel.Page).Latest(); r != nil {
			return r, nil
		}
		return nil, fmt.Errorf("no page %s in the feed%s", strconv.Quote(sel.Page), lookupHint)
	case sel.Entry != 0:
		if sel.Entry < 1 || sel.Entry > len(f.Revisions) {
			return nil, fmt.Errorf("no entry %d: the feed has %d (1 is the newest)%s", sel.Entry, len(f.Revisions), lookupHint)
		}
		return f.Revisions[sel.Entry-1], nil
	}
	return f.Revisions[0], nil
}

// FindID returns the revision with the given ID, or nil.
func FindID(f *feed.Feed, id int64) *feed.Revision {
	if f == nil || id == 0 {
		return nil
	}
	for _, r := range f.Revisions {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// RevisionName names a revision in messages: "revision 961 of "Ship
// List"", or by time when it has no ID.
func RevisionName(r *feed.Revision) string {
	if r.ID != 0 {
		return fmt.Sprintf("revision %d of %q", r.ID, r.Page)
	}
	return fmt.Sprintf("the revision of %q at %s", r.Page, r.Time.UTC().Format("2006-01-02 15:04"))
}
