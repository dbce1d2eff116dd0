// Package feed loads wiki feeds (MediaWiki's Atom and RSS, and those of other
// wikis such as DokuWiki and ikiwiki) and turns them into a model of pages
// and their revisions.
//
// Load reads files, standard input and http(s) URLs (with a polite HTTP
// client and an on-disk cache), merges them and reports each failed source
// on its own; Parse reads one feed from a reader (ParseWithContentType when
// an HTTP Content-Type came with it), in any encoding x/text knows and
// gzipped or not (see encoding.go for how the encoding is decided); Sample
// is a feed built into the binary. gofeed's types stay inside this package: callers see
// only Feed, Page and Revision.
//
//	f, errs := feed.Load(ctx, []string{"recent.atom", url}, feed.Options{})
//	for _, err := range errs {
//		fmt.Fprintln(os.Stderr, err) // "recent.atom: truncated XML: …"
//	}
//	for _, p := range f.Pages {
//		for _, rev := range p.Revisions { // oldest first
//			prev := p.Prev(rev) // the revision before it, or nil
//			_ = prev
//		}
//	}
package feed

import "time"

// BodyKind says what an entry's body holds after its edit comment.
type BodyKind int

// The kinds of body a feed entry can carry.
const (
	// BodyHTML is plain HTML: other wikis, generic feeds, log entries.
	BodyHTML BodyKind = iota
	// BodyWikitext is the full wikitext of the page (new pages, and the
	// user-contributions shape), with MediaWiki's <br /> line breaks undone.
	BodyWikitext
	// BodyDiffTable is a MediaWiki HTML diff table.
	BodyDiffTable
	// BodyChangesLink is a bare "Show changes" link; MediaWiki sends it
	// instead of a table when the diff is large.
	BodyChangesLink
	// BodyEmpty means the entry carries nothing past its comment.
	BodyEmpty
)

// MarshalText writes the kind's name, so JSON says "wikitext", not 1.
func (k BodyKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// String returns the kind's name as used in JSON and golden files.
func (k BodyKind) String() string {
	switch k {
	case BodyWikitext:
		return "wikitext"
	case BodyDiffTable:
		return "diff-table"
	case BodyChangesLink:
		return "changes-link"
	case BodyEmpty:
		return "empty"
	default:
		return "html"
	}
}

// Feed is one loaded feed, or several merged into one.
type Feed struct {
	// Title is the feed's own title.
	Title string `json:"title"`
	// Link is the feed's alternate (HTML) link, resolved to an absolute URL.
	Link string `json:"link,omitempty"`
	// Updated is when the feed says it was last updated; zero if unknown.
	Updated time.Time `json:"updated,omitzero"`
	// Generator names the software, for example "MediaWiki 1.31.1".
	Generator string `json:"generator,omitempty"`
	// Sources names where the feed came from: paths, "-" or URLs.
	Sources []string `json:"sources"`
	// Sample is true for the sample feed embedded in the binary.
	Sample bool `json:"sample,omitempty"`
	// WikiError is the error a wiki sent as a feed item (for example
	// MediaWiki's "wlnotloggedin"), as "code: message"; such an item is not
	// a revision.
	WikiError string `json:"wikiError,omitempty"`
	// Warnings are problems that did not stop the feed loading, such as a
	// failed fetch answered from the cache. Callers show them on stderr.
	Warnings []string `json:"warnings,omitempty"`
	// Revisions holds every entry, newest first.
	Revisions []*Revision `json:"revisions"`
	// Pages groups the revisions by page, the most recently changed first.
	Pages []*Page `json:"-"`

	// pageIndex maps a page title to its entry in Pages.
	pageIndex map[string]*Page
}

// Page is a wiki page and the revisions of it that the feed carries.
type Page struct {
	// Title is the page title as the wiki writes it.
	Title string `json:"title"`
	// Revisions are in time order, oldest first, so a revision's
	// predecessor is the one before it.
	Revisions []*Revision `json:"revisions"`
}

// Revision is one feed entry: usually an edit of a page, sometimes a log
// entry (a move, a protection, a new account).
type Revision struct {
	// Page is the title of the page the revision belongs to.
	Page string `json:"page"`
	// ID is the revision ID (MediaWiki's diff= or oldid=), 0 if unknown.
	ID int64 `json:"id,omitempty"`
	// ParentID is the previous revision's ID, 0 if unknown.
	ParentID int64 `json:"parentId,omitempty"`
	// PageID is MediaWiki's page ID (curid=), 0 if unknown.
	PageID int64 `json:"pageId,omitempty"`
	// EntryID is the feed entry's id or guid, not necessarily unique.
	EntryID string `json:"entryId,omitempty"`
	// URL is the entry's link, resolved to an absolute URL.
	URL string `json:"url,omitempty"`
	// User is the author.
	User string `json:"user,omitempty"`
	// Time is when the revision was made.
	Time time.Time `json:"time,omitzero"`
	// Comment is the edit summary as text, an autocomment written
	// "/* Section */" as the wiki stores it; for a log entry, the logged
	// action ("moved [[A]] to [[B]]").
	Comment string `json:"comment,omitempty"`
	// Section is the section named by a /* Section */ autocomment.
	Section string `json:"section,omitempty"`
	// Log is true for log entries, which are not edits.
	Log bool `json:"log,omitempty"`
	// NewPage is true when the entry creates the page.
	NewPage bool `json:"newPage,omitempty"`
	// NoDifference is true when the wiki says the revision changed nothing,
	// as imports do ("(No difference)").
	NoDifference bool `json:"noDifference,omitempty"`
	// Kind says what Body holds.
	Kind BodyKind `json:"kind"`
	// Body is the entry's HTML after the comment, as the feed has it; for
	// BodyWikitext, the <div> holding the text (without the "New page"
	// label or the <hr />).
	Body string `json:"body,omitempty"`
	// Text is the page's wikitext when Kind is BodyWikitext.
	Text string `json:"text,omitempty"`
	// ChangesURL is the "Show changes" link when Kind is BodyChangesLink.
	ChangesURL string `json:"changesUrl,omitempty"`
	// Size is the page's length in bytes at this revision: the length of
	// Text, or the previous revision's size for "(No difference)"; -1
	// when unknown.
	Size int `json:"size"`
	// SizeChange is the change in bytes from the previous revision of the
	// page; valid only when HasSizeChange is true.
	SizeChange int `json:"sizeChange"`
	// HasSizeChange is true when both sizes are known: both texts are in
	// the feed, the page is new, or the wiki said "(No difference)".
	HasSizeChange bool `json:"hasSizeChange"`
	// Source is the source this revision was loaded from.
	Source string `json:"source,omitempty"`
	// BaseURL is the absolute URL that relative links in Body resolve
	// against (the feed's own URL); empty when unknown.
	BaseURL string `json:"baseUrl,omitempty"`
	// Omitted says Body and Text were left out of this copy: it comes
	// from a list of stored revisions, and the store that listed it gives
	// them (app.App.Full).
	Omitted bool `json:"-"`

	// pos is the revision's index in its Page's Revisions, so that Prev and
	// Next are lookups; checked before use in case a caller reorders.
	pos int
}

// PageOf returns the page rev belongs to, or nil if rev is not in f.
func (f *Feed) PageOf(rev *Revision) *Page {
	if rev == nil {
		return nil
	}
	p := f.Page(rev.Page)
	if p.indexOf(rev) < 0 {
		return nil
	}
	return p
}

// Page returns the page with the given title, or nil.
func (f *Feed) Page(title string) *Page {
	if f == nil {
		return nil
	}
	if f.pageIndex != nil {
		if p := f.pageIndex[title]; p != nil {
			return p
		}
	}
	// A Feed built by hand (in a test, say) has no index.
	for _, p := range f.Pages {
		if p.Title == title {
			return p
		}
	}
	return nil
}

// Prev returns the revision of the page just before rev (the older
// neighbour), or nil if rev is the oldest or not on the page.
func (p *Page) Prev(rev *Revision) *Revision {
	i := p.indexOf(rev)
	if i <= 0 {
		return nil
	}
	return p.Revisions[i-1]
}

// Next returns the revision of the page just after rev (the newer
// neighbour), or nil if rev is the newest or not on the page.
func (p *Page) Next(rev *Revision) *Revision {
	i := p.indexOf(rev)
	if i < 0 || i+1 >= len(p.Revisions) {
		return nil
	}
	return p.Revisions[i+1]
}

// Latest returns the page's newest revision, or nil for an empty page.
func (p *Page) Latest() *Revision {
	if p == nil || len(p.Revisions) == 0 {
		return nil
	}
	return p.Revisions[len(p.Revisions)-1]
}

// indexOf finds rev in the page's revisions by identity; -1 if absent.
func (p *Page) indexOf(rev *Revision) int {
	if p == nil || rev == nil {
		return -1
	}
	if rev.pos >= 0 && rev.pos < len(p.Revisions) && p.Revisions[rev.pos] == rev {
		return rev.pos
	}
	for i, r := range p.Revisions {
		if r == rev {
			return i
		}
	}
	return -1
}
