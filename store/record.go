package store

import "time"

// SourceKind says what a source is.
type SourceKind string

// The kinds of source.
const (
	// SourceURL is an http(s) feed URL.
	SourceURL SourceKind = "url"
	// SourceFile is a local file the user asked to remember.
	SourceFile SourceKind = "file"
	// SourceStdin is standard input the user asked to remember.
	SourceStdin SourceKind = "stdin"
)

// Revision is one stored feed entry. Its fields mirror feed.Revision (the
// core maps between the two); the last group is the store's own state.
type Revision struct {
	// Key is the store's own ID for the revision, set by SaveLoad and by
	// every read; Mark and Marks take it.
	Key int64
	// Wiki names the wiki the revision belongs to (for example its API
	// URL); with ID it identifies the revision across sources. Empty when
	// unknown: the revision is then identified within its source.
	Wiki string
	// Source is the source it was (last) loaded from, or, in a List of
	// some sources, the one of them that carries it.
	Source string
	// Page is the page title.
	Page string
	// ID is the revision ID, 0 if unknown.
	ID int64
	// ParentID is the previous revision's ID, 0 if unknown.
	ParentID int64
	// PageID is the wiki's page ID, 0 if unknown.
	PageID int64
	// EntryID is the feed entry's id or guid, not necessarily unique.
	EntryID string
	// URL is the entry's link.
	URL string
	// User is the author.
	User string
	// Time is when the revision was made; stored to the microsecond.
	Time time.Time
	// Comment is the edit summary, or a log entry's action.
	Comment string
	// Section is the section named by the comment's autocomment.
	Section string
	// Log is true for log entries.
	Log bool
	// NewPage is true when the entry creates the page.
	NewPage bool
	// NoDifference is true when the wiki said the revision changed nothing.
	NoDifference bool
	// Kind names what Body holds, as feed.BodyKind's String writes it
	// ("wikitext", "diff-table", …); the store only compares it with
	// KindWikitext.
	Kind string
	// Body is the entry's HTML after the comment.
	Body string
	// Text is the page's wikitext, when the feed carried it.
	Text string
	// ChangesURL is the "Show changes" link, if any.
	ChangesURL string
	// Size is the page's length in bytes at this revision, -1 if unknown.
	Size int
	// SizeChange is the change in size from the previous revision; valid
	// when HasSizeChange.
	SizeChange int
	// HasSizeChange says SizeChange is known.
	HasSizeChange bool
	// BaseURL is what relative links in Body resolve against.
	BaseURL string

	// InWindow is true when Source's last load carried the revision; false
	// once it has left that feed's window (it stays stored).
	InWindow bool
	// FirstSeen and LastSeen are when a load first and last carried it.
	FirstSeen, LastSeen time.Time
	// Read and Reviewed are when the user marked it; zero if not.
	Read, Reviewed time.Time
}

// KindWikitext is the Kind of a revision whose Text is the page's wikitext.
const KindWikitext = "wikitext"

// Load is one load of one source: what SaveLoad writes in one transaction.
type Load struct {
	// Source is the URL or path; "-" for standard input.
	Source string
	// Kind says what Source is.
	Kind SourceKind
	// Wiki is the wiki key for revisions that do not name their own.
	Wiki string
	// Time is when the load happened; zero means now.
	Time time.Time
	// Response is the HTTP response the revisions were parsed from, saved
	// with them; nil for files and standard input.
	Response *Response
	// Revisions are every entry of the load. Those of the source's earlier
	// loads that are not among them are marked as out of its window.
	Revisions []Revision
}

// Response is a fetched feed's raw body and its HTTP validators.
type Response struct {
	// URL is the URL fetched.
	URL string
	// FinalURL is the URL after redirects; "" if the same.
	FinalURL string
	// ETag and LastModified are the response's validators, as sent.
	ETag, LastModified string
	// ContentType is the response's Content-Type, charset included.
	ContentType string
	// Body is the response body, decompressed.
	Body []byte
	// Fetched is when it was fetched; set on reads.
	Fetched time.Time
}

// Query selects stored revisions for List.
type Query struct {
	// Sources limits the list to revisions these sources carried; empty
	// means every source.
	Sources []string
	// Since drops revisions made before it; zero keeps all.
	Since time.Time
	// Limit is the most revisions returned, newest first; 0 means MaxRows.
	Limit int
	// Unread keeps only revisions not marked read.
	Unread bool
	// Departed keeps only revisions that none of Sources (or, without
	// Sources, not their own source) has in its window now.
	Departed bool
	// Content also reads Body and Text (decompressing them); without it
	// those are empty and List is several times faster.
	Content bool
}
