package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// Source says where a revision's diff comes from.
type Source int

// The sources of a diff, in the order they are tried: the wiki's own
// table, then two texts already known, then the wiki's API.
const (
	// SourceNone means there is nothing to show; the plan's Reason says
	// why (a log entry, an entry that carries nothing, no earlier text).
	SourceNone Source = iota
	// SourceTable is the diff table the wiki put in the feed entry: the
	// diff against the revision's true parent, as the wiki shows it.
	SourceTable
	// SourceTexts diffs two texts already known: the revision's and an
	// older one's, from the feed or the store.
	SourceTexts
	// SourceAPI diffs the texts of the revision and its parent fetched
	// from the wiki's API.
	SourceAPI
	// SourceNewPage is the page's first revision: all of its text is new.
	SourceNewPage
	// SourceNoDifference is a revision the wiki says changed nothing
	// ("(No difference)", as imports and null edits give).
	SourceNoDifference
)

// String names the source, for tests and debugging.
func (s Source) String() string {
	switch s {
	case SourceTable:
		return "table"
	case SourceTexts:
		return "texts"
	case SourceAPI:
		return "api"
	case SourceNewPage:
		return "new-page"
	case SourceNoDifference:
		return "no-difference"
	default: // SourceNone
		return "none"
	}
}

// The notes the core shows with diffs, worded once for both front-ends.
const (
	// NoteNewPage heads the diff of a page's first revision.
	NoteNewPage = "New page: no earlier revision; the whole text is new."
	// NoDifference is what a diff with no change says, as MediaWiki does.
	NoDifference = render.NoDifference
	// reasonLog is why a log entry has no diff.
	reasonLog = "This is a log entry, not an edit: it has no diff."
	// reasonNothing is why an entry with neither diff nor text has none.
	reasonNothing = "This entry carries no diff and no text of the page."
	// reasonNoEarlier is why a revision whose parent is unknown has none.
	reasonNoEarlier = "The feed has no earlier text of this page to compare with, and the wiki's API is not asked."
)

// gapNote says a diff spans revisions the feed does not carry.
func gapNote(parent, old, rev int64) string {
	return fmt.Sprintf("Revision %d, the parent of %d, is not in the feed: this diff is from %d, the previous revision in the feed, and spans the revisions between.", parent, rev, old)
}

// Plan is the decision of where a revision's diff comes from, made
// without the network; Diff carries it out.
type Plan struct {
	// Rev is the revision whose change is shown.
	Rev *feed.Revision
	// Source is where the diff comes from.
	Source Source
	// Old is the older revision compared with, when its text is known
	// (SourceTexts): the parent, else the previous revision in the feed.
	Old *feed.Revision
	// OldID is the revision the diff starts from: the parent, or Old; 0
	// for a new page, or when not known before asking the API.
	OldID int64
	// Stored is true when Old came from the store, not the feed.
	Stored bool
	// Notes are shown above the diff (a gap, a new page).
	Notes []string
	// Reason says why there is no diff, for SourceNone.
	Reason string
	// Fallback is the plan to use when the API cannot be reached (the
	// previous revision in the feed, with a note); nil when there is
	// none and the failure is an error.
	Fallback *Plan
}

// NeedsFetch reports whether carrying the plan out asks the wiki.
func (p Plan) NeedsFetch() bool { return p.Source == SourceAPI }

// textOf reports whether a revision carries the page's text.
func textOf(r *feed.Revision) bool { return r != nil && r.Kind == feed.BodyWikitext }

// Plan decides where rev's diff comes from, within feed f (nil when rev
// stands alone): the wiki's table; a new page; the parent's text, from
// the feed or the store; the API, when fetching is on; the previous
// revision in the feed, with a note that revisions are missing; or
// nothing, with the reason. A nil App plans without store or API.
func (a *App) Plan(ctx context.Context, f *feed.Feed, rev *feed.Revision) Plan {
	p := Plan{Rev: rev, OldID: rev.ParentID}
	switch {
	case rev.Log:
		return Plan{Rev: rev, Reason: reasonLog}
	case rev.Kind == feed.BodyDiffTable:
		p.Source = SourceTable
		return p
	case rev.NoDifference && rev.Kind != feed.BodyWikitext && rev.Kind != feed.BodyChangesLink:
		p.Source = SourceNoDifference
		return p
	case rev.Kind == feed.BodyChangesLink:
		if a.fetcher() == nil {
			return Plan{Rev: rev, Reason: "The wiki sent only a link to this change (the diff was too large), and the wiki's API is not asked: " + rev.ChangesURL}
		}
		p.Source = SourceAPI
		return p
	case rev.Kind != feed.BodyWikitext:
		return Plan{Rev: rev, Reason: reasonNothing}
	case rev.NewPage:
		p.Source, p.OldID = SourceNewPage, 0
		p.Notes = []string{NoteNewPage}
		return p
	}
	var prev *feed.Revision
	if page := f.PageOf(rev); page != nil {
		prev = page.Prev(rev)
	}
	if rev.ParentID == 0 || prev != nil && prev.ID == rev.ParentID {
		// The feed does not name the parent, or the previous revision is
		// the parent: that is the diff.
		if textOf(prev) {
			p.Source, p.Old, p.OldID = SourceTexts, prev, prev.ID
			return p
		}
	} else if old := a.known(ctx, f, rev, rev.ParentID); old != nil {
		p.Source, p.Old, p.Stored = SourceTexts, old, FindID(f, old.ID) != old
		return p
	}
	var fallback *Plan
	if textOf(prev) && rev.ParentID != 0 {
		fallback = &Plan{
			Rev: rev, Source: SourceTexts, Old: prev, OldID: prev.ID,
			Notes: []string{gapNote(rev.ParentID, prev.ID, rev.ID)},
		}
	}
	switch {
	case a.fetcher() != nil:
		p.Source, p.Fallback = SourceAPI, fallback
		return p
	case fallback != nil:
		return *fallback
	}
	return Plan{Rev: rev, Reason: reasonNoEarlier}
}

// fetcher returns the API client, nil when fetching is off (or a is nil).
func (a *App) fetcher() *wikiapi.Client {
	if a == nil {
		return nil
	}
	return a.api
}

// known returns revision id of rev's wiki with its text: from the feed,
// else from the store; nil when neither has it.
func (a *App) known(ctx context.Context, f *feed.Feed, rev *feed.Revision, id int64) *feed.Revision {
	if r := FindID(f, id); r != nil && r.Page == rev.Page && textOf(r) {
		return r
	}
	if a == nil || a.opts.Store == nil {
		return nil
	}
	r, err := a.opts.Store.Revision(ctx, WikiKey(rev), id)
	if err != nil || !textOf(r) {
		// A store that cannot answer only costs the API's answer.
		return nil
	}
	return r
}

// PlanBetween plans the diff from one revision to another of the same
// page (--from and --to). It fails with a *UsageError when they are of
// different pages or the same revision.
func (a *App) PlanBetween(_ context.Context, f *feed.Feed, from, to *feed.Revision) (Plan, error) {
	if from.Page != to.Page {
		return Plan{}, &UsageError{fmt.Sprintf("--from %d and --to %d are revisions of different pages (%q and %q)", from.ID, to.ID, from.Page, to.Page)}
	}
	if from == to {
		return Plan{}, &UsageError{fmt.Sprintf("--from and --to name the same revision %d", from.ID)}
	}
	p := Plan{Rev: to, Old: from, OldID: from.ID}
	switch {
	case textOf(from) && textOf(to):
		p.Source = SourceTexts
	case to.Kind == feed.BodyDiffTable && to.ParentID == from.ID:
		p.Source, p.Old = SourceTable, nil
	case to.Kind == feed.BodyDiffTable && to.ParentID == 0 && f.PageOf(to).Prev(to) == from:
		p.Source, p.Old = SourceTable, nil
		p.Notes = []string{fmt.Sprintf("This is the diff the feed carries for revision %d; the feed does not say which revision it starts from.", to.ID)}
	case a.fetcher() != nil && from.ID != 0 && to.ID != 0:
		p.Source, p.Old = SourceAPI, nil
	default:
		return Plan{}, fmt.Errorf("revisions %d and %d: the feed carries neither both texts nor a diff between them", from.ID, to.ID)
	}
	return p, nil
}

// Diff is a revision's diff, worked out.
type Diff struct {
	// Plan is the plan carried out: the one asked, or its fallback when
	// the API could not be reached.
	Plan
	// OldID and NewID are the revisions compared ("20 → 30"); OldID is 0
	// for a new page or when the feed's table does not say.
	OldID, NewID int64
	// Result is the diff; nil when there is no difference, or nothing to
	// show (Source SourceNone, and Reason says why).
	Result *diff.Result
	// Table is the wiki's table, for SourceTable.
	Table *mwtable.Table
	// OldText and NewText are the texts compared, when the diff was
	// computed from texts.
	OldText, NewText string
	// Notes are shown above the diff, in order: the plan's, the table's,
	// where fetched texts came from, why a fetch failed.
	Notes []string
}

// DiffOptions say how to carry a plan out.
type DiffOptions struct {
	// Context is the number of unchanged lines around each change; -1
	// keeps the whole text. Tables carry MediaWiki's two lines, which can
	// only be trimmed.
	Context int
	// Known are revisions fetched before (from the API), looked up before
	// asking again; it gains what is fetched. Nil keeps nothing.
	Known map[int64]*wikiapi.Revision
}

// Diff carries plan p out: it reads the table, diffs the texts, or asks
// the API (falling back to p.Fallback, with a note, when that fails).
func (a *App) Diff(ctx context.Context, p Plan, opts DiffOptions) (*Diff, error) {
	// The texts of revisions listed from the store are read now.
	rev, err := a.Full(ctx, p.Rev)
	if err != nil {
		return nil, err
	}
	if p.Old, err = a.Full(ctx, p.Old); err != nil {
		return nil, err
	}
	d := &Diff{Plan: p, OldID: p.OldID, NewID: rev.ID}
	d.Notes = append(d.Notes, p.Notes...)
	switch p.Source {
	case SourceNone, SourceNoDifference:
		return d, nil
	case SourceTable:
		t, err := mwtable.ParseTable(rev.Body)
		if err != nil {
			return nil, fmt.Errorf("%s: read the wiki's diff table: %w", RevisionName(rev), err)
		}
		t = t.TrimContext(opts.Context)
		d.Table = t
		for _, n := range t.Notes {
			if n != NoDifference {
				d.Notes = append(d.Notes, n)
			}
		}
		if t.Result != nil && len(t.Result.Hunks) > 0 {
			d.Result = t.Result
		} else {
			d.Source = SourceNoDifference
		}
		return d, nil
	case SourceAPI:
		known := opts.Known
		if known == nil {
			known = map[int64]*wikiapi.Revision{}
		}
		stored := a.storedTexts(ctx, p, known)
		pair, err := a.fetchPair(ctx, p, known)
		if err != nil {
			if p.Fallback == nil {
				return nil, fmt.Errorf("%s: fetch texts: %w", RevisionName(rev), err)
			}
			fd, ferr := a.Diff(ctx, *p.Fallback, opts)
			if ferr != nil {
				return nil, ferr
			}
			fd.Notes = append(fd.Notes, fmt.Sprintf("Asking the wiki for revision %d failed: %s", rev.ParentID, err))
			return fd, nil
		}
		d.OldID, d.OldText, d.NewText = pair.OldID, pair.OldText, pair.NewText
		fromStore := stored[rev.ID] && (d.OldID == 0 || stored[d.OldID])
		if !fromStore {
			a.saveTexts(ctx, rev, d)
		}
		if d.OldID == 0 {
			d.Notes = append(d.Notes, NoteNewPage)
		}
		if fromStore {
			d.Notes = append(d.Notes, fmt.Sprintf("Texts of revisions %s are from the store (fetched from %s before).", idList(d.OldID, rev.ID), pair.Endpoint))
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf("Texts of revisions %s fetched from %s.", idList(d.OldID, rev.ID), pair.Endpoint))
		}
	case SourceNewPage:
		d.NewText = rev.Text
	case SourceTexts:
		d.OldText, d.NewText = p.Old.Text, rev.Text
		if p.Stored {
			d.Notes = append(d.Notes, fmt.Sprintf("Revision %d's text is from the store.", p.Old.ID))
		}
	}
	d.Result = diff.Compute(d.OldText, d.NewText, diff.Options{Context: opts.Context})
	if d.Result == nil {
		d.Source = SourceNoDifference
	}
	return d, nil
}

// saveTexts gives the texts fetched for d to the store, when it keeps
// them. A text that cannot be saved only costs asking again.
func (a *App) saveTexts(ctx context.Context, rev *feed.Revision, d *Diff) {
	saver, ok := a.opts.Store.(TextSaver)
	if !ok || a.opts.Store == nil {
		return
	}
	wiki := WikiKey(rev)
	if d.OldID != 0 {
		_ = saver.SaveText(ctx, wiki, d.OldID, d.OldText)
	}
	if d.NewID != 0 {
		_ = saver.SaveText(ctx, wiki, d.NewID, d.NewText)
	}
}

// storedTexts adds to known the texts of p's revision and its parent that
// the store keeps (fetched from the API before, perhaps by another
// session), so that the API is asked only for the others; it returns the
// IDs it added. Only a plan that names the parent, or a new page, is
// helped: the parent of a revision stored without one would be unknown.
func (a *App) storedTexts(ctx context.Context, p Plan, known map[int64]*wikiapi.Revision) map[int64]bool {
	rev := p.Rev
	if a == nil || a.opts.Store == nil || (p.OldID == 0 && !rev.NewPage) {
		return nil
	}
	wiki := WikiKey(rev)
	if wiki == "" {
		return nil
	}
	added := map[int64]bool{}
	for _, id := range []int64{rev.ID, p.OldID} {
		if id == 0 || known[id] != nil {
			continue
		}
		r, err := a.opts.Store.Revision(ctx, wiki, id)
		// A stored change (a live one) keeps its kind, a link, even once
		// its text is in: any text counts. An empty one is asked again.
		if err != nil || r == nil || !textOf(r) && r.Text == "" {
			continue
		}
		parent := r.ParentID
		if id == rev.ID {
			parent = p.OldID
		}
		known[id] = &wikiapi.Revision{ID: id, ParentID: parent, Page: rev.Page, Text: r.Text}
		added[id] = true
	}
	return added
}

// fetchPair asks the API for the texts of p's revision and its parent.
func (a *App) fetchPair(ctx context.Context, p Plan, known map[int64]*wikiapi.Revision) (wikiapi.Pair, error) {
	api := a.fetcher()
	if api == nil {
		return wikiapi.Pair{}, errors.New("fetching from the wiki is off")
	}
	rev := p.Rev
	return api.TextPair(ctx, []string{rev.ChangesURL, rev.URL, rev.BaseURL}, rev.ID, p.OldID, known)
}

// idList writes "730 and 961", or "961" when there is no old one.
func idList(old, cur int64) string {
	if old == 0 {
		return fmt.Sprint(cur)
	}
	return fmt.Sprintf("%d and %d", old, cur)
}

// Empty is what to show instead of a diff when there is none: the reason,
// or "" when there is a diff (or "no difference", which the renderer
// writes itself).
func (d *Diff) Empty() string {
	if d.Source == SourceNone {
		return d.Reason
	}
	return ""
}

// Range writes the revisions compared: "20 → 30", "30" when the old one
// is not known or there is none.
func (d *Diff) Range() string {
	switch {
	case d.OldID != 0 && d.NewID != 0:
		return fmt.Sprintf("%d → %d", d.OldID, d.NewID)
	case d.NewID != 0:
		return fmt.Sprint(d.NewID)
	}
	return ""
}

// RenderOptions are the render options the diff needs besides width,
// style and format: its notes, the table's hunk titles and line numbers,
// the texts compared.
func (d *Diff) RenderOptions() render.DiffOptions {
	opts := render.DiffOptions{Notes: append([]string(nil), d.Notes...), OldText: d.OldText, NewText: d.NewText}
	opts.Header = d.header()
	if d.Table != nil {
		opts.HunkTitles = d.Table.HunkTitles
		opts.NoLineNumbers = !d.Table.Numbered
	}
	return opts
}

// header says what the edit was, for the top of the rendered diff.
func (d *Diff) header() *render.DiffHeader {
	rev := d.Rev
	if rev == nil {
		return nil
	}
	h := &render.DiffHeader{
		OldID: d.OldID, NewID: d.NewID, NewTime: rev.Time, NewUser: rev.User,
		Comment: rev.Comment, Section: rev.Section, SizeChange: rev.SizeChange, HasSizeChange: rev.HasSizeChange,
	}
	if old := d.Old; old != nil {
		h.OldTime, h.OldUser = old.Time, old.User
		if !h.HasSizeChange && old.Size >= 0 && rev.Size >= 0 && old != rev {
			h.SizeChange, h.HasSizeChange = rev.Size-old.Size, true
		}
	}
	if !h.HasSizeChange && d.OldText != "" && d.NewText != "" {
		h.SizeChange, h.HasSizeChange = len(d.NewText)-len(d.OldText), true
	}
	return h
}

// DefaultDiffRevision is the revision 'wikifeed diff' shows when none is
// named: the newest edit whose diff needs no network (a table, or a text
// and its parent's).
func (a *App) DefaultDiffRevision(ctx context.Context, f *feed.Feed) (*feed.Revision, error) {
	for _, r := range f.Revisions {
		if r.Log {
			continue
		}
		switch p := a.Plan(ctx, f, r); p.Source {
		case SourceTable, SourceTexts:
			return r, nil
		case SourceAPI:
			if p.Fallback != nil {
				return r, nil
			}
		case SourceNone, SourceNewPage, SourceNoDifference:
			// No two texts to compare: look further.
		}
	}
	return nil, errors.New("no revision in the feed has a diff table or an earlier revision of its page to compare with; try --rev ID")
}
