package feed

import (
	"cmp"
	"hash/maphash"
	"slices"

	"github.com/wikifeed/wikifeed/internal/bounded"
)

// SourceError is a failure to load one source; its message names the
// source first, so one line on stderr says what failed and why.
type SourceError struct {
	// Source is the path, "-" or URL given.
	Source string
	// Err is the problem.
	Err error
}

// Error returns "source: problem"; standard input is named so.
func (e *SourceError) Error() string {
	name := e.Source
	if name == "-" {
		name = "standard input"
	}
	return name + ": " + e.Err.Error()
}

// Unwrap returns the problem.
func (e *SourceError) Unwrap() error { return e.Err }

// SizeError reports a source larger than the size cap.
type SizeError = bounded.SizeError

// Merge combines feeds into one: their revisions, newest first, with an
// entry that several feeds carry (same entry id, time and content) counted
// once. The title and the other feed-level fields come from the first feed
// that has them. Merge copies the revisions, so the inputs are unchanged.
// Merge(&Feed{Revisions: revs}) builds the pages (and sizes) of
// revisions made by hand, as tests need.
func Merge(feeds ...*Feed) *Feed {
	out := &Feed{}
	n := 0
	for _, f := range feeds {
		if f != nil {
			n += len(f.Revisions)
		}
	}
	out.Revisions = make([]*Revision, 0, n)
	for _, f := range feeds {
		if f == nil {
			continue
		}
		if out.Title == "" {
			out.Title = f.Title
		}
		if out.Link == "" {
			out.Link = f.Link
		}
		if out.Generator == "" {
			out.Generator = f.Generator
		}
		if f.Updated.After(out.Updated) {
			out.Updated = f.Updated
		}
		if out.WikiError == "" {
			out.WikiError = f.WikiError
		}
		out.Sample = out.Sample || f.Sample
		out.Sources = append(out.Sources, f.Sources...)
		out.Warnings = append(out.Warnings, f.Warnings...)
		for _, r := range f.Revisions {
			c := *r
			out.Revisions = append(out.Revisions, &c)
		}
	}
	out.index()
	return out
}

// index drops duplicate entries, orders the revisions newest first, groups
// them into pages, and works out sizes and size changes. It is the one
// place these are computed, for a parsed feed and for a merge alike.
func (f *Feed) index() {
	f.dedupe()
	// Newest first; equal times keep feed order, which for MediaWiki is
	// newest first already.
	slices.SortStableFunc(f.Revisions, func(a, b *Revision) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		// Within a second, a wiki's later revision has the higher ID.
		if a.ID != 0 && b.ID != 0 && a.Source == b.Source {
			return cmp.Compare(b.ID, a.ID)
		}
		return 0
	})
	f.Pages = f.Pages[:0]
	f.pageIndex = make(map[string]*Page)
	for _, r := range f.Revisions {
		p := f.pageIndex[r.Page]
		if p == nil {
			p = &Page{Title: r.Page}
			f.pageIndex[r.Page] = p
			f.Pages = append(f.Pages, p)
		}
		p.Revisions = append(p.Revisions, r)
	}
	for _, p := range f.Pages {
		slices.Reverse(p.Revisions)
		var prev *Revision
		for i, r := range p.Revisions {
			r.pos = i
			sizeChange(r, prev)
			prev = r
		}
	}
}

// sizeChange sets rev's size change from the page's previous revision in
// the feed, when both texts are known and nothing (that the feed tells of)
// lies between them; a new page grows from nothing.
func sizeChange(rev, prev *Revision) {
	rev.HasSizeChange = false
	rev.SizeChange = 0
	if rev.NoDifference && rev.Kind == BodyDiffTable && prev != nil && prev.Size >= 0 &&
		(rev.ParentID == 0 || prev.ID == 0 || rev.ParentID == prev.ID) {
		// "(No difference)": the text is the previous one, byte for byte.
		rev.Size, rev.SizeChange, rev.HasSizeChange = prev.Size, 0, true
		return
	}
	if rev.Size < 0 || rev.Kind != BodyWikitext {
		return
	}
	switch {
	case rev.NewPage:
		rev.SizeChange, rev.HasSizeChange = rev.Size, true
	case prev != nil && prev.Size >= 0 && prev.Kind == BodyWikitext &&
		(rev.ParentID == 0 || prev.ID == 0 || rev.ParentID == prev.ID):
		rev.SizeChange, rev.HasSizeChange = rev.Size-prev.Size, true
	}
}

// dedupe removes revisions that repeat an earlier one's entry id, time and
// content. Ids alone are not enough: MediaWiki gives every log entry of a
// kind the same id.
func (f *Feed) dedupe() {
	type key struct {
		id   string
		time int64
		sum  uint64
	}
	seed := maphash.MakeSeed()
	seen := make(map[key][]*Revision, len(f.Revisions))
	kept := f.Revisions[:0]
	for _, r := range f.Revisions {
		k := key{r.EntryID, r.Time.UnixNano(), contentHash(seed, r)}
		dup := false
		for _, o := range seen[k] {
			if sameContent(o, r) {
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		seen[k] = append(seen[k], r)
		kept = append(kept, r)
	}
	clear(f.Revisions[len(kept):])
	f.Revisions = kept
}

// contentHash hashes what makes an entry's content.
func contentHash(seed maphash.Seed, r *Revision) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, s := range []string{r.Page, r.User, r.Comment, r.Body} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// sameContent compares what contentHash hashes.
func sameContent(a, b *Revision) bool {
	return a.Page == b.Page && a.User == b.User && a.Comment == b.Comment && a.Body == b.Body
}
