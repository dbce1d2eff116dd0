package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/store"
)

// Memory is the store as the front-ends use it: it maps feed revisions to
// store records and back, keeps what a URL source carried across loads,
// and holds the read and reviewed marks. It implements Store (for the diff
// decision) and feed.Cache (a fetched body and its validators are written
// with the revisions parsed from it, in one transaction, by Remember).
type Memory struct {
	s *store.Store

	mu sync.Mutex
	// pending are the copies feed.Load fetched, kept until Remember
	// writes them with their revisions.
	pending map[string]*feed.Copy
	// states are the stored state of the revisions Remember returned,
	// by their identity.
	states map[revIdentity]store.Revision
	// bound is the size the file is kept under (see Bound).
	bound int64
}

// revIdentity finds a feed revision's stored record again, after feed.Merge
// has copied it.
type revIdentity struct {
	source, page, entry, user, comment string
	id                                 int64
	time                               int64
}

func identityOf(r *feed.Revision) revIdentity {
	return revIdentity{r.Source, r.Page, r.EntryID, r.User, r.Comment, r.ID, r.Time.UnixMicro()}
}

// OpenMemory opens the store at paths.StoreFile(), making its directory
// (private to the user) if need be.
func OpenMemory(ctx context.Context, paths Paths) (*Memory, error) {
	path := paths.StoreFile()
	if path == "" {
		return nil, errors.New("no data directory for the store: set XDG_DATA_HOME or HOME, or run with --no-store")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return OpenMemoryAt(ctx, path)
}

// OpenMemoryAt opens the store in the file path.
func OpenMemoryAt(ctx context.Context, path string) (*Memory, error) {
	s, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return &Memory{s: s, pending: map[string]*feed.Copy{}, states: map[revIdentity]store.Revision{}, bound: store.DefaultPruneBytes}, nil
}

// Bound sets the size the store's file is kept under, in bytes (default
// store.DefaultPruneBytes): a save that leaves it larger prunes it, as
// `wikifeed store --prune` does, to nine tenths of that, so that the next
// prune is many loads away.
func (m *Memory) Bound(maxBytes int64) { m.bound = maxBytes }

// keepBounded prunes the store when a save has made it larger than its
// bound. A prune that fails costs nothing but the space: the save it
// follows is committed.
func (m *Memory) keepBounded(ctx context.Context) {
	if m.bound <= 0 || m.s.FileBytes() <= m.bound {
		return
	}
	_, _ = m.s.Prune(ctx, store.PruneOptions{MaxBytes: m.bound / 10 * 9})
}

// Close closes the store.
func (m *Memory) Close() error { return m.s.Close() }

// SaveChanges stores a batch of a live stream's changes under source (the
// stream's URL), in one transaction, so that they are searchable and their
// diffs' texts can be kept. A stream has no window: each batch stands for
// what the stream carried last, so earlier ones count as left the window.
func (m *Memory) SaveChanges(ctx context.Context, source string, revs []*feed.Revision) error {
	l := store.Load{Source: source, Kind: store.SourceURL, Time: time.Now()}
	for _, r := range revs {
		l.Revisions = append(l.Revisions, toStore(r))
	}
	if _, err := m.s.SaveLoad(ctx, l); err != nil {
		return err
	}
	m.keepBounded(ctx)
	return nil
}

// Store returns the database underneath, for stats and pruning.
func (m *Memory) Store() *store.Store { return m.s }

// Get returns the stored copy of url, for a conditional fetch; nil when
// there is none or it is damaged (feed.Cache).
func (m *Memory) Get(url string) (*feed.Copy, error) {
	r, err := m.s.Cached(context.Background(), url)
	if err != nil || r == nil {
		return nil, err
	}
	return &feed.Copy{
		FinalURL: r.FinalURL, ETag: r.ETag, LastModified: r.LastModified, ContentType: r.ContentType,
		Fetched: r.Fetched, Body: r.Body,
	}, nil
}

// Put holds a fetched copy until Remember writes it with the revisions
// parsed from it (feed.Cache).
func (m *Memory) Put(url string, c *feed.Copy) error {
	m.mu.Lock()
	m.pending[url] = c
	m.mu.Unlock()
	return nil
}

// Revision returns a stored revision of a wiki with its text, or nil (Store).
func (m *Memory) Revision(ctx context.Context, wiki string, id int64) (*feed.Revision, error) {
	r, err := m.s.Find(ctx, wiki, id)
	if err != nil || r == nil {
		return nil, err
	}
	return toFeed(r), nil
}

// SaveText keeps a text fetched from the API, so it is never fetched again.
func (m *Memory) SaveText(ctx context.Context, wiki string, id int64, text string) error {
	return m.s.SaveText(ctx, wiki, id, text)
}

// WikiHTML returns the wiki's rendering of a revision kept in the store,
// or nil (RenderingKeeper).
func (m *Memory) WikiHTML(ctx context.Context, wiki string, id int64) (*WikiHTML, error) {
	r, ok, err := m.s.Rendering(ctx, wiki, id)
	if err != nil || !ok {
		return nil, err
	}
	return &WikiHTML{HTML: r.HTML, Fetched: r.Fetched}, nil
}

// SaveWikiHTML keeps the wiki's rendering of a revision, so it is fetched
// once (RenderingKeeper).
func (m *Memory) SaveWikiHTML(ctx context.Context, wiki string, id int64, h WikiHTML) error {
	return m.s.SaveRendering(ctx, wiki, id, store.Rendering{HTML: h.HTML, Fetched: h.Fetched})
}

// Window bounds what Remember lists of a remembered source.
type Window struct {
	// Since drops revisions made before it; zero keeps all.
	Since time.Time
	// Limit is the most revisions listed; 0 is store.MaxRows.
	Limit int
	// Unread keeps only those not marked read.
	Unread bool
	// Lean leaves the bodies and texts of revisions that have left the
	// window in the store (they come marked feed.Revision.Omitted, and
	// App.Full reads them): a list shows none of them, and reading
	// 10,000 back would cost a second.
	Lean bool
}

// Remembered says whether a source accumulates in the store: URLs always,
// files and standard input only when the user asks (files true).
func Remembered(source string, files bool) bool {
	return files || strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://")
}

// Remember saves what f's remembered sources carried (each source in one
// transaction with the body it was parsed from), then returns f with those
// sources' revisions replaced by every revision the store holds of them,
// newest first and bounded by w; the other sources' revisions are as they
// were. files says files and standard input are remembered too.
func (m *Memory) Remember(ctx context.Context, f *feed.Feed, files bool, w Window) (*feed.Feed, error) {
	bySource := map[string][]*feed.Revision{}
	for _, r := range f.Revisions {
		bySource[r.Source] = append(bySource[r.Source], r)
	}
	var kept []string
	var others, loaded []*feed.Revision
	var keys []int64
	now := time.Now()
	for _, src := range f.Sources {
		if !Remembered(src, files) || f.Sample {
			others = append(others, bySource[src]...)
			continue
		}
		kept = append(kept, src)
		l := store.Load{Source: src, Kind: sourceKind(src), Time: now}
		for _, r := range bySource[src] {
			l.Revisions = append(l.Revisions, toStore(r))
		}
		m.mu.Lock()
		if c := m.pending[src]; c != nil {
			l.Response = &store.Response{
				URL: src, FinalURL: c.FinalURL, ETag: c.ETag, LastModified: c.LastModified,
				ContentType: c.ContentType, Body: c.Body,
			}
			delete(m.pending, src)
		}
		m.mu.Unlock()
		k, err := m.s.SaveLoad(ctx, l)
		if err != nil {
			return f, err
		}
		loaded, keys = append(loaded, bySource[src]...), append(keys, k...)
	}
	if len(kept) == 0 {
		return f, nil
	}
	m.keepBounded(ctx)
	// What this load carried is taken from the load, with the marks the
	// store has for it; only what has left the windows is read back, and
	// that without content when w is lean (decompressing 10,000 texts
	// would cost more than saving them).
	marks, err := m.s.Marks(ctx, keys)
	if err != nil {
		return f, err
	}
	var revs []*feed.Revision
	m.mu.Lock()
	for i, r := range loaded {
		st := store.Revision{Key: keys[i], InWindow: true, Read: marks[keys[i]].Read, Reviewed: marks[keys[i]].Reviewed}
		m.states[identityOf(r)] = st
		if (w.Since.IsZero() || !r.Time.Before(w.Since)) && (!w.Unread || st.Read.IsZero()) {
			c := *r
			revs = append(revs, &c)
		}
	}
	m.mu.Unlock()
	departed, err := m.s.List(ctx, store.Query{Sources: kept, Since: w.Since, Limit: w.Limit, Unread: w.Unread, Departed: true, Content: !w.Lean})
	if err != nil {
		return f, err
	}
	m.mu.Lock()
	for i := range departed {
		r := toFeed(&departed[i])
		r.Omitted = w.Lean
		m.states[identityOf(r)] = stripContent(departed[i])
		revs = append(revs, r)
	}
	m.mu.Unlock()
	if w.Unread || !w.Since.IsZero() {
		others = filterOthers(others, w)
	}
	out := feed.Merge(&feed.Feed{
		Title: f.Title, Link: f.Link, Updated: f.Updated, Generator: f.Generator,
		Sources: f.Sources, WikiError: f.WikiError, Warnings: f.Warnings, Revisions: append(revs, others...),
	})
	if w.Limit > 0 && len(out.Revisions) > w.Limit {
		out = feed.Merge(&feed.Feed{
			Title: out.Title, Link: out.Link, Updated: out.Updated, Generator: out.Generator,
			Sources: out.Sources, WikiError: out.WikiError, Warnings: out.Warnings, Revisions: out.Revisions[:w.Limit],
		})
	}
	return out, nil
}

// Apply bounds a feed that was not remembered (a file, standard input,
// or no store at all) as Remember bounds a remembered one: by time and
// number. Unread keeps everything, as nothing is marked read without the
// store.
func (w Window) Apply(f *feed.Feed) *feed.Feed {
	if f == nil || (w.Since.IsZero() && w.Limit <= 0) {
		return f
	}
	revs := filterOthers(f.Revisions, w)
	if w.Limit > 0 && len(revs) > w.Limit {
		revs = revs[:w.Limit]
	}
	return feed.Merge(&feed.Feed{
		Title: f.Title, Link: f.Link, Updated: f.Updated, Generator: f.Generator,
		Sources: f.Sources, WikiError: f.WikiError, Warnings: f.Warnings, Sample: f.Sample, Revisions: revs,
	})
}

// filterOthers applies a window's time bound to revisions the store does
// not hold; with Unread, all of those count as unread.
func filterOthers(revs []*feed.Revision, w Window) []*feed.Revision {
	var out []*feed.Revision
	for _, r := range revs {
		if w.Since.IsZero() || !r.Time.Before(w.Since) {
			out = append(out, r)
		}
	}
	return out
}

func stripContent(r store.Revision) store.Revision {
	r.Body, r.Text = "", ""
	return r
}

// State is what the store knows of a revision Remember or Search returned.
type State struct {
	// Key is the store's ID of it.
	Key int64
	// InWindow is false once the feed no longer carries it.
	InWindow bool
	// Read and Reviewed are when the user marked it; zero if not.
	Read, Reviewed time.Time
}

// StateOf returns r's stored state; ok is false for a revision not stored
// (a file's, say).
func (m *Memory) StateOf(r *feed.Revision) (st State, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[identityOf(r)]
	if !ok {
		return State{}, false
	}
	return State{Key: s.Key, InWindow: s.InWindow, Read: s.Read, Reviewed: s.Reviewed}, true
}

// Mark marks the stored ones of revs read, or reviewed (which implies
// read); revisions not stored are skipped.
func (m *Memory) Mark(ctx context.Context, revs []*feed.Revision, reviewed bool) error {
	mark := store.Read
	if reviewed {
		mark = store.Reviewed
	}
	now := time.Now()
	keys := m.keys(revs, func(s *store.Revision) {
		if s.Read.IsZero() {
			s.Read = now
		}
		if reviewed && s.Reviewed.IsZero() {
			s.Reviewed = now
		}
	})
	if len(keys) == 0 {
		return nil
	}
	return m.s.SetMark(ctx, keys, mark, now)
}

// Unmark clears the read mark (and with it reviewed), or only reviewed.
func (m *Memory) Unmark(ctx context.Context, revs []*feed.Revision, reviewed bool) error {
	mark := store.Read
	if reviewed {
		mark = store.Reviewed
	}
	keys := m.keys(revs, func(s *store.Revision) {
		s.Reviewed = time.Time{}
		if !reviewed {
			s.Read = time.Time{}
		}
	})
	if len(keys) == 0 {
		return nil
	}
	return m.s.ClearMark(ctx, keys, mark)
}

// keys returns the store keys of revs, updating each cached state with fn.
func (m *Memory) keys(revs []*feed.Revision, fn func(*store.Revision)) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []int64
	for _, r := range revs {
		id := identityOf(r)
		if s, ok := m.states[id]; ok {
			fn(&s)
			m.states[id] = s
			keys = append(keys, s.Key)
		}
	}
	return keys
}

// Search finds stored revisions by an FTS5 query (see store.Search), best
// first, as a feed whose Revisions keep that order (its Pages group them
// by page). The revisions come with their content.
func (m *Memory) Search(ctx context.Context, query string, sources []string, limit int) (*feed.Feed, error) {
	hits, err := m.s.Search(ctx, query, sources, limit)
	if err != nil {
		return nil, err
	}
	keys := make([]int64, len(hits))
	for i := range hits {
		keys[i] = hits[i].Key
	}
	full, err := m.s.Revisions(ctx, keys)
	if err != nil {
		return nil, err
	}
	revs := make([]*feed.Revision, len(full))
	m.mu.Lock()
	for i := range full {
		revs[i] = toFeed(&full[i])
		m.states[identityOf(revs[i])] = stripContent(full[i])
	}
	m.mu.Unlock()
	f := feed.Merge(&feed.Feed{Title: "search: " + query, Sources: sources, Revisions: revs})
	// Merge sorts newest first; the ranking is the order wanted.
	ranked := make([]*feed.Revision, 0, len(f.Revisions))
	pos := map[revIdentity]*feed.Revision{}
	for _, r := range f.Revisions {
		pos[identityOf(r)] = r
	}
	for _, r := range revs {
		if p := pos[identityOf(r)]; p != nil {
			ranked = append(ranked, p)
			delete(pos, identityOf(r))
		}
	}
	f.Revisions = ranked
	return f, nil
}

// sourceKind says what kind of source src is.
func sourceKind(src string) store.SourceKind {
	switch {
	case src == "-":
		return store.SourceStdin
	case strings.Contains(src, "://"):
		return store.SourceURL
	}
	return store.SourceFile
}

// toStore maps a feed revision to a store record.
func toStore(r *feed.Revision) store.Revision {
	return store.Revision{
		Wiki: WikiKey(r), Source: r.Source, Page: r.Page, ID: r.ID, ParentID: r.ParentID, PageID: r.PageID,
		EntryID: r.EntryID, URL: r.URL, User: r.User, Time: r.Time, Comment: r.Comment, Section: r.Section,
		Log: r.Log, NewPage: r.NewPage, NoDifference: r.NoDifference, Kind: r.Kind.String(), Body: r.Body, Text: r.Text,
		ChangesURL: r.ChangesURL, Size: r.Size, SizeChange: r.SizeChange, HasSizeChange: r.HasSizeChange, BaseURL: r.BaseURL,
	}
}

// toFeed maps a store record to a feed revision.
func toFeed(r *store.Revision) *feed.Revision {
	return &feed.Revision{
		Page: r.Page, ID: r.ID, ParentID: r.ParentID, PageID: r.PageID, EntryID: r.EntryID, URL: r.URL, User: r.User,
		Time: r.Time, Comment: r.Comment, Section: r.Section, Log: r.Log, NewPage: r.NewPage, NoDifference: r.NoDifference,
		Kind: bodyKind(r.Kind), Body: r.Body, Text: r.Text, ChangesURL: r.ChangesURL, Size: r.Size,
		SizeChange: r.SizeChange, HasSizeChange: r.HasSizeChange, Source: r.Source, BaseURL: r.BaseURL,
	}
}

// bodyKind reads a feed.BodyKind's name back.
func bodyKind(name string) feed.BodyKind {
	for _, k := range []feed.BodyKind{feed.BodyHTML, feed.BodyWikitext, feed.BodyDiffTable, feed.BodyChangesLink, feed.BodyEmpty} {
		if k.String() == name {
			return k
		}
	}
	return feed.BodyHTML
}

// Unread reports whether r is stored and not marked read (tui.Marks).
func (m *Memory) Unread(r *feed.Revision) bool {
	st, ok := m.StateOf(r)
	return ok && st.Read.IsZero()
}

// Content returns the stored r with its Body and Text (app.ContentStore).
func (m *Memory) Content(ctx context.Context, r *feed.Revision) (*feed.Revision, error) {
	st, ok := m.StateOf(r)
	if !ok {
		return nil, errors.New("not in the store")
	}
	full, err := m.s.Revisions(ctx, []int64{st.Key})
	if err != nil {
		return nil, err
	}
	if len(full) != 1 {
		return nil, errors.New("no longer in the store (pruned?)")
	}
	return toFeed(&full[0]), nil
}

// Gone reports whether r is stored and has left its feed's window
// (tui.Marks).
func (m *Memory) Gone(r *feed.Revision) bool {
	st, ok := m.StateOf(r)
	return ok && !st.InWindow
}
