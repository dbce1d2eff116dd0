package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
	"github.com/wikifeed/wikifeed/wikiapi"
)

// RenderingSource says where a revision's rendering comes from.
type RenderingSource int

// The sources of a rendering.
const (
	// RenderOurs is wikifeed's own rendering of what the feed carries
	// (the wikitext or HTML of the entry).
	RenderOurs RenderingSource = iota
	// RenderWiki is the HTML the wiki itself renders for the revision
	// (action=parse with its oldid): templates expanded as the wiki
	// expands them.
	RenderWiki
)

// String names the source, for tests and debugging.
func (s RenderingSource) String() string {
	if s == RenderWiki {
		return "wiki"
	}
	return "ours"
}

// ourRendering ends every note that says why the wiki's rendering is not
// the one shown.
const ourRendering = "shown with wikifeed's own rendering."

// RenderingPlan is the decision of where a revision's rendering comes
// from, made without the network; RenderRevision carries it out.
type RenderingPlan struct {
	// Rev is the revision rendered.
	Rev *feed.Revision
	// Source is where the rendering comes from.
	Source RenderingSource
	// Endpoint is the api.php asked, for RenderWiki.
	Endpoint string
	// Wiki is the wiki's key in the store (WikiKey), for RenderWiki.
	Wiki string
	// Reason says why the wiki's rendering is not asked for, when it was
	// wanted but Source is RenderOurs; the rendering's note shows it.
	Reason string
}

// NeedsFetch reports whether carrying the plan out may ask the wiki (when
// neither the front-end nor the store has its rendering).
func (p RenderingPlan) NeedsFetch() bool { return p.Source == RenderWiki }

// PlanRendering decides where rev's rendering comes from. Without wiki it
// is ours. With it, it is the wiki's when the wiki's API can be asked by
// the rule the diff's fetch follows: fetching is on, and the revision has
// an ID and an http(s) link (its diff, page or feed URL) that names the
// wiki; otherwise ours, with the reason. A nil App never asks.
func (a *App) PlanRendering(rev *feed.Revision, wiki bool) RenderingPlan {
	p := RenderingPlan{Rev: rev}
	if !wiki {
		return p
	}
	endpoint, err := endpointOf(rev)
	switch {
	case rev.Log:
		p.Reason = "a log entry is not a revision the wiki renders"
	case a.fetcher() == nil:
		p.Reason = "fetching from the wiki is off"
	case rev.ID == 0:
		p.Reason = "the feed gives no revision ID to ask the wiki for"
	case err != nil:
		p.Reason = "the entry has no http(s) link to find the wiki's API by"
	default:
		p.Source, p.Endpoint, p.Wiki = RenderWiki, endpoint, WikiKey(rev)
	}
	return p
}

// endpointOf is the api.php of rev's wiki, from the first of its links
// that is set, in the order the diff's fetch takes them.
func endpointOf(rev *feed.Revision) (string, error) {
	for _, l := range []string{rev.ChangesURL, rev.URL, rev.BaseURL} {
		if l != "" {
			return wikiapi.EndpointFor(l)
		}
	}
	return "", errors.New("no link")
}

// WikiHTML is a wiki's own rendering of one revision.
type WikiHTML struct {
	// HTML is the wiki's HTML of the revision (action=parse's text).
	HTML string
	// Fetched is when the wiki rendered it. The revision's text never
	// changes, but the templates it uses can: this is the rendering as of
	// then.
	Fetched time.Time
}

// RenderingKeeper is a Store that also keeps the wikis' own renderings,
// so that each is fetched once. RenderRevision reads and saves through it
// when the store implements it.
type RenderingKeeper interface {
	// WikiHTML returns the kept rendering of revision id of the wiki
	// named by key (see WikiKey); nil and no error when there is none.
	WikiHTML(ctx context.Context, wiki string, id int64) (*WikiHTML, error)
	// SaveWikiHTML keeps the rendering of revision id of the wiki.
	SaveWikiHTML(ctx context.Context, wiki string, id int64, h WikiHTML) error
}

// Where the wiki's rendering shown came from (Rendering.From).
const (
	FromMemory = "memory" // the front-end's copy (RenderingOptions.Known)
	FromStore  = "store"  // the store
	FromAPI    = "api"    // the wiki's API, just now
)

// Rendering is a revision's rendering, worked out.
type Rendering struct {
	// RenderingPlan is the plan carried out: the one asked, or ours when
	// the wiki's rendering could not be had.
	RenderingPlan
	// Doc is the document to render: the wiki's HTML or the feed's body,
	// with Note under its header.
	Doc *render.Document
	// Note is the one line the document carries about where its
	// rendering comes from; "" for ours when the wiki's was not asked for.
	Note string
	// HTML is the wiki's rendering shown, for the front-end to keep; nil
	// for ours.
	HTML *WikiHTML
	// From says where HTML came from: FromMemory, FromStore or FromAPI.
	From string
}

// RenderingOptions say how to carry a rendering plan out.
type RenderingOptions struct {
	// Known is the wiki's rendering of the revision the front-end kept
	// from before (nil: none); it is used before the store and the API.
	Known *WikiHTML
	// Now is the time a fetched rendering is stamped with; zero is now.
	Now time.Time
}

// maxWikiHTML is the largest rendering accepted, from the API or the
// store: the size cap of every fetch (--max-bytes).
func (a *App) maxWikiHTML() int64 {
	if a == nil || a.http == nil {
		return 0
	}
	return a.http.Options().MaxBytes
}

// RenderRevision carries plan p out. The wiki's rendering is looked for
// in opts.Known, then the store, then asked of the wiki (and kept in the
// store); when none can be had, the feed's body is rendered with a note
// that says why. It never fails: the fallback is always there.
func (a *App) RenderRevision(ctx context.Context, p RenderingPlan, opts RenderingOptions) *Rendering {
	r := &Rendering{RenderingPlan: p}
	if p.Source != RenderWiki {
		r.Doc = render.Prepare(p.Rev)
		if p.Reason != "" {
			r.Note = fmt.Sprintf("The wiki's own rendering cannot be asked for (%s): %s", p.Reason, ourRendering)
			r.Doc = r.Doc.WithNote(r.Note)
		}
		return r
	}
	h, from, err := a.wikiHTML(ctx, p, opts)
	if err != nil {
		r.Source = RenderOurs
		r.Note = fallbackNote(p.Rev.ID, err)
		r.Doc = render.Prepare(p.Rev).WithNote(r.Note)
		return r
	}
	r.HTML, r.From = h, from
	r.Note = fmt.Sprintf("Rendered by the wiki at %s, as of %s.", hostOf(p.Endpoint), h.Fetched.UTC().Format("2006-01-02 15:04 UTC"))
	r.Doc = render.PrepareWikiHTML(p.Rev, h.HTML).WithNote(r.Note)
	return r
}

// wikiHTML finds the wiki's rendering for p: the front-end's, the
// store's, or the API's (which is then kept).
func (a *App) wikiHTML(ctx context.Context, p RenderingPlan, opts RenderingOptions) (*WikiHTML, string, error) {
	limit := a.maxWikiHTML()
	fits := func(h *WikiHTML) bool { return h != nil && (limit <= 0 || int64(len(h.HTML)) <= limit) }
	if fits(opts.Known) {
		return opts.Known, FromMemory, nil
	}
	var keeper RenderingKeeper
	if a != nil {
		keeper, _ = a.opts.Store.(RenderingKeeper)
	}
	if keeper != nil && p.Wiki != "" {
		// A store that cannot answer only costs asking the wiki.
		if h, err := keeper.WikiHTML(ctx, p.Wiki, p.Rev.ID); err == nil && fits(h) {
			return h, FromStore, nil
		}
	}
	api := a.fetcher()
	if api == nil {
		return nil, "", errors.New("fetching from the wiki is off")
	}
	parsed, err := api.Parse(ctx, p.Endpoint, p.Rev.ID)
	if err != nil {
		return nil, "", err
	}
	switch {
	case parsed.RevID != 0 && parsed.RevID != p.Rev.ID:
		return nil, "", fmt.Errorf("the wiki rendered revision %d instead", parsed.RevID)
	case limit > 0 && int64(len(parsed.HTML)) > limit:
		return nil, "", fmt.Errorf("%d bytes of HTML, more than the %d accepted", len(parsed.HTML), limit)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	h := &WikiHTML{HTML: parsed.HTML, Fetched: now.UTC()}
	if keeper != nil && p.Wiki != "" {
		// A rendering that cannot be kept only costs asking again.
		_ = keeper.SaveWikiHTML(ctx, p.Wiki, p.Rev.ID, *h)
	}
	return h, FromAPI, nil
}

// fallbackNote says, in one line, why the wiki's rendering of revision id
// is not the one shown: the wiki was out of reach (no connection, a
// timeout), or it answered without a rendering to show (an API error, a
// deleted revision, an HTTP error, an answer too large or not the API's).
func fallbackNote(id int64, err error) string {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	if wikiapi.Unreachable(err) {
		return fmt.Sprintf("The wiki could not be reached (%s): %s", msg, ourRendering)
	}
	return fmt.Sprintf("The wiki did not give its rendering of revision %d (%s): %s", id, msg, ourRendering)
}

// hostOf is the host of an api.php URL, for notes.
func hostOf(api string) string {
	if u, err := url.Parse(api); err == nil && u.Host != "" {
		return u.Host
	}
	return api
}
