package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/internal/parsewiki"
	"github.com/wikifeed/wikifeed/render"
)

// openParseWiki opens the core on the test wiki's feed with the store
// given (nil: none) and returns the revision id of it.
func openParseWiki(t *testing.T, w *parsewiki.Wiki, st app.Store, opts app.Options, id int64) (*app.App, *feed.Revision) {
	t.Helper()
	opts.Args, opts.NoCache, opts.Store = []string{w.FeedURL}, true, st
	a, err := app.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	f, errs := a.Load(context.Background())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rev, err := app.Find(f, app.Selector{ID: id})
	if err != nil {
		t.Fatal(err)
	}
	return a, rev
}

// TestRenderingCases runs the shared table through the core: the plan,
// carried out, rendered plain and in colour.
func TestRenderingCases(t *testing.T) {
	for _, c := range parsewiki.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := parsewiki.Serve(t)
			a, rev := openParseWiki(t, w, nil, app.Options{}, c.Rev)
			if c.Offline {
				w.GoOffline()
			}
			ctx := context.Background()
			p := a.PlanRendering(rev, true)
			if p.Source != app.RenderWiki || p.Endpoint != w.URL+"/w/api.php" {
				t.Fatalf("plan %+v", p)
			}
			r := a.RenderRevision(ctx, p, app.RenderingOptions{})
			plain, err := r.Doc.Render(render.Options{Width: 80, Format: render.Plain})
			if err != nil {
				t.Fatal(err)
			}
			c.Check(t, plain, w)
			parsewiki.CheckSafe(t, plain, false)
			for _, style := range []string{"dark", "light"} {
				styled, err := r.Doc.Render(render.Options{Width: 60, Format: render.ANSI, Style: style})
				if err != nil {
					t.Fatal(err)
				}
				parsewiki.CheckSafe(t, styled, true)
			}
			md, err := r.Doc.Render(render.Options{Width: 80, Format: render.Markdown})
			if err != nil {
				t.Fatal(err)
			}
			parsewiki.CheckSafe(t, md, false)
			if wantWiki := c.Parses > 0 && !strings.Contains(c.Name, "no such"); (r.Source == app.RenderWiki) != wantWiki {
				t.Errorf("source %v, note %q", r.Source, r.Note)
			}
			if strings.Count(r.Note, "\n") != 0 {
				t.Errorf("the note is not one line: %q", r.Note)
			}
		})
	}
}

// TestPlanRendering checks the decision: ours unless asked; asked, the
// wiki's by the diff fetch's rule, else ours with the reason.
func TestPlanRendering(t *testing.T) {
	w := parsewiki.Serve(t)
	a, rev := openParseWiki(t, w, nil, app.Options{}, 960)
	noFetch, _ := openParseWiki(t, w, nil, app.Options{NoFetch: true}, 960)
	logEntry, noID, noLink, fileLink := *rev, *rev, *rev, *rev
	logEntry.Log = true
	noID.ID = 0
	noLink.URL, noLink.ChangesURL, noLink.BaseURL = "", "", ""
	fileLink.URL, fileLink.ChangesURL, fileLink.BaseURL = "file:///tmp/x", "", ""
	cases := []struct {
		name   string
		a      *app.App
		rev    *feed.Revision
		wiki   bool
		source app.RenderingSource
		reason string
	}{
		{"not asked", a, rev, false, app.RenderOurs, ""},
		{"asked", a, rev, true, app.RenderWiki, ""},
		{"fetching off", noFetch, rev, true, app.RenderOurs, "fetching from the wiki is off"},
		{"no core", nil, rev, true, app.RenderOurs, "fetching from the wiki is off"},
		{"log entry", a, &logEntry, true, app.RenderOurs, "a log entry is not a revision the wiki renders"},
		{"no ID", a, &noID, true, app.RenderOurs, "the feed gives no revision ID to ask the wiki for"},
		{"no link", a, &noLink, true, app.RenderOurs, "the entry has no http(s) link to find the wiki's API by"},
		{"a file link", a, &fileLink, true, app.RenderOurs, "the entry has no http(s) link to find the wiki's API by"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.a.PlanRendering(c.rev, c.wiki)
			if p.Source != c.source || p.Reason != c.reason || p.NeedsFetch() != (c.source == app.RenderWiki) {
				t.Errorf("got %v %q, want %v %q", p.Source, p.Reason, c.source, c.reason)
			}
			r := c.a.RenderRevision(context.Background(), p, app.RenderingOptions{})
			out, err := r.Doc.Render(render.Options{Width: 200, Format: render.Plain})
			if err != nil {
				t.Fatal(err)
			}
			if c.reason != "" && !strings.Contains(out, "The wiki's own rendering cannot be asked for ("+c.reason+"): shown with wikifeed's own rendering.") {
				t.Errorf("no note with the reason:\n%s", out)
			}
			if !c.wiki && r.Note != "" {
				t.Errorf("a note when the wiki's rendering was not asked for: %q", r.Note)
			}
		})
	}
	if n := w.Parses(); n != 1 {
		t.Errorf("the wiki was asked %d times, want 1 (the one plan that asks)", n)
	}
}

// TestRenderingCache: the wiki's rendering is asked for once, then comes
// from the store, across two opens of one real SQLite file, with the time
// it was fetched; the front-end's copy comes before the store; without a
// store every rendering asks again.
func TestRenderingCache(t *testing.T) {
	w := parsewiki.Serve(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	fetched := time.Date(2026, 12, 2, 7, 30, 0, 0, time.UTC)
	render1 := func(opts app.RenderingOptions) *app.Rendering {
		t.Helper()
		m, err := app.OpenMemoryAt(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		a, rev := openParseWiki(t, w, m, app.Options{}, 960)
		return a.RenderRevision(ctx, a.PlanRendering(rev, true), opts)
	}
	first := render1(app.RenderingOptions{Now: fetched})
	if first.From != app.FromAPI || w.Parses() != 1 || !first.HTML.Fetched.Equal(fetched) {
		t.Fatalf("first: from %q, %d parses, fetched %v", first.From, w.Parses(), first.HTML.Fetched)
	}
	second := render1(app.RenderingOptions{})
	if second.From != app.FromStore || w.Parses() != 1 || second.HTML.HTML != first.HTML.HTML || !second.HTML.Fetched.Equal(fetched) {
		t.Errorf("second open: from %q, %d parses, fetched %v", second.From, w.Parses(), second.HTML.Fetched)
	}
	out, _ := second.Doc.Render(render.Options{Width: 100, Format: render.Plain})
	if !strings.Contains(out, "as of 2026-12-02 07:30 UTC.") || !strings.Contains(out, "M3 heavy fighter") {
		t.Errorf("the stored rendering does not say when it was fetched:\n%s", out)
	}
	// The front-end's copy, even offline and without a store.
	w.GoOffline()
	a, rev := openParseWiki(t, w, nil, app.Options{}, 960)
	known := &app.WikiHTML{HTML: "<p>kept in memory</p>", Fetched: fetched}
	r := a.RenderRevision(ctx, a.PlanRendering(rev, true), app.RenderingOptions{Known: known})
	if r.From != app.FromMemory || r.Source != app.RenderWiki {
		t.Errorf("known: from %q, source %v", r.From, r.Source)
	}
	if out, _ := r.Doc.Render(render.Options{Width: 80, Format: render.Plain}); !strings.Contains(out, "kept in memory") {
		t.Errorf("known:\n%s", out)
	}
}

// TestRenderingNoStore: without a store every rendering asks the wiki.
func TestRenderingNoStore(t *testing.T) {
	w := parsewiki.Serve(t)
	a, rev := openParseWiki(t, w, nil, app.Options{}, 960)
	for range 2 {
		if r := a.RenderRevision(context.Background(), a.PlanRendering(rev, true), app.RenderingOptions{}); r.From != app.FromAPI {
			t.Errorf("from %q", r.From)
		}
	}
	if n := w.Parses(); n != 2 {
		t.Errorf("%d parses, want 2", n)
	}
}

// TestRenderingSizeCap: a rendering larger than the fetch cap
// (--max-bytes) is never taken, from the API or from a front-end's copy;
// ours is shown, saying why.
func TestRenderingSizeCap(t *testing.T) {
	w := parsewiki.Serve(t)
	const limit = 50_000 // the feed fits, the big answer does not
	a, rev := openParseWiki(t, w, nil, app.Options{MaxBytes: limit}, 960)
	big := *rev
	big.ID = parsewiki.BigRev
	r := a.RenderRevision(context.Background(), a.PlanRendering(&big, true), app.RenderingOptions{})
	if r.Source != app.RenderOurs || !strings.Contains(r.Note, "The wiki did not give its rendering of revision 963 (") {
		t.Errorf("an answer over the cap: source %v, note %q", r.Source, r.Note)
	}
	known := &app.WikiHTML{HTML: strings.Repeat("<p>x</p>", limit/8+1)}
	r = a.RenderRevision(context.Background(), a.PlanRendering(rev, true), app.RenderingOptions{Known: known})
	if r.From != app.FromAPI || r.Source != app.RenderWiki {
		t.Errorf("a copy over the cap: from %q, source %v", r.From, r.Source)
	}
	if n := w.Parses(); n != 2 {
		t.Errorf("%d parses, want 2", n)
	}
}
