// Package feed loads wiki feeds (MediaWiki's Atom and RSS, and those of other
// wikis) and turns them into a model of pages and their revisions.
//
// Parsing reads from an io.Reader and keeps gofeed's types inside this
// package; callers see only Feed, Page and Revision.
//
//	f, err := feed.Parse(r, "contribs.atom")
//	for _, p := range f.Pages {
//		fmt.Println(p.Title, len(p.Revisions))
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
	Title string
	// Link is the feed's alternate (HTML) link, resolved to an absolute URL.
	Link string
	// Updated is when the feed says it was last updated; zero if unknown.
	Updated time.Time
	// Generator names the software, for example "MediaWiki 1.31.1".
	Generator string
	// Sources names where the feed came from: paths, "-" or URLs.
	Sources []string
	// Sample is true for the sample feed embedded in the binary.
	Sample bool
	// WikiError is the error a wiki sent as a feed item (for example
	// MediaWiki's "wlnotloggedin"); such an item is not a revision.
	WikiError string
	// Revisions holds every entry, newest first.
	Revisions []*Revision
	// Pages groups the revisions by page, the most recently changed first.
	Pages []*Page
}

// Page is a wiki page and the revisions of it that the feed carries.
type Page struct {
	// Title is the page title as the wiki writes it.
	Title string
	// Revisions are in time order, oldest first, so a revision's
	// predecessor is the one before it.
	Revisions []*Revision
}

// Revision is one feed entry: usually an edit of a page, sometimes a log
// entry (a move, a protection, a new account).
type Revision struct {
	// Page is the title of the page the revision belongs to.
	Page string
	// ID is the revision ID (MediaWiki's diff= or oldid=), 0 if unknown.
	ID int64
	// ParentID is the previous revision's ID, 0 if unknown.
	ParentID int64
	// EntryID is the feed entry's id or guid, not necessarily unique.
	EntryID string
	// URL is the entry's link, resolved to an absolute URL.
	URL string
	// User is the author.
	User string
	// Time is when the revision was made.
	Time time.Time
	// Comment is the edit summary as text.
	Comment string
	// Section is the section named by a /* Section */ autocomment.
	Section string
	// Log is true for log entries, which are not edits.
	Log bool
	// NewPage is true when the entry creates the page.
	NewPage bool
	// Kind says what Body holds.
	Kind BodyKind
	// Body is the entry's HTML after the comment, as the feed has it.
	Body string
	// Text is the page's wikitext when Kind is BodyWikitext.
	Text string
	// ChangesURL is the "Show changes" link when Kind is BodyChangesLink.
	ChangesURL string
	// Size is the length of Text in bytes, -1 when unknown.
	Size int
	// SizeChange is the change in bytes from the previous revision of the
	// page; valid only when HasSizeChange is true.
	SizeChange int
	// HasSizeChange is true when both texts are known.
	HasSizeChange bool
	// Source is the source this revision was loaded from.
	Source string
}
