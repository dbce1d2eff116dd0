package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/internal/diffcases"
	"github.com/wikifeed/wikifeed/render"
)

// TestDiffCases runs the shared table through the core itself: what
// Plan and Diff give, rendered plain.
func TestDiffCases(t *testing.T) {
	for _, c := range diffcases.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := diffcases.Serve(t, c)
			a, err := app.Open(app.Options{Args: []string{w.FeedURL}, NoCache: true, Store: w.Store})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			f, errs := a.Load(ctx)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			rev, err := app.Find(f, app.Selector{ID: c.Rev})
			if err != nil {
				t.Fatal(err)
			}
			d, err := a.Diff(ctx, a.Plan(ctx, f, rev), app.DiffOptions{Context: diff.DefaultContext})
			shown := ""
			if err == nil {
				opts := d.RenderOptions()
				opts.Format = render.Plain
				out, rerr := render.DiffWith(d.Result, opts)
				if rerr != nil {
					t.Fatal(rerr)
				}
				shown = d.Range() + "\n" + d.Empty() + "\n" + out.Text
			}
			c.Want.Check(t, shown, err, true)
			w.CheckCalls(t, c)
		})
	}
}

// TestCheck checks the options for every front-end: a negative timeout
// or size is a usage error before anything is opened.
func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		opts app.Options
		want string
	}{
		{"ok", app.Options{}, ""},
		{"negative-timeout", app.Options{Timeout: -5e9}, "--timeout -5s: want a positive duration"},
		{"negative-size", app.Options{MaxBytes: -1}, "--max-bytes -1: want a positive size"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := app.Open(c.opts)
			got := ""
			if err != nil {
				got = err.Error()
				var ue *app.UsageError
				if !errorsAs(err, &ue) {
					t.Errorf("%v is not a UsageError", err)
				}
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// errorsAs is errors.As for *app.UsageError.
func errorsAs(err error, target **app.UsageError) bool {
	ue, ok := err.(*app.UsageError)
	*target = ue
	return ok && strings.Contains(ue.Msg, "--")
}

// TestFetchedTextsSaved checks the texts fetched from the API go into
// the store, so that the same diff in a later run, with the wiki's API
// down, needs no request.
func TestFetchedTextsSaved(t *testing.T) {
	var c diffcases.Case
	for _, k := range diffcases.Cases {
		if k.Name == "gap-api-up" {
			c = k
		}
	}
	w := diffcases.Serve(t, c)
	ctx := context.Background()
	st, err := app.OpenMemoryAt(ctx, filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := app.Open(app.Options{Args: []string{w.FeedURL}, NoCache: true, Store: st})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := a.Load(ctx)
	rev := app.FindID(f, c.Rev)
	if _, err := a.Diff(ctx, a.Plan(ctx, f, rev), app.DiffOptions{}); err != nil {
		t.Fatal(err)
	}
	wiki := app.WikiKey(rev)
	for _, id := range []int64{20, 30} {
		r, err := st.Revision(ctx, wiki, id)
		if err != nil || r == nil || r.Text != c.API[id].Text {
			t.Errorf("revision %d in the store: %+v, %v", id, r, err)
		}
	}
	// The same diff again is made from the store, asking nothing.
	calls := w.APICalls()
	p := a.Plan(ctx, f, rev)
	if p.Source != app.SourceTexts || !p.Stored || p.Old == nil || p.Old.ID != 20 {
		t.Fatalf("second plan: %+v", p)
	}
	if _, err := a.Diff(ctx, p, app.DiffOptions{}); err != nil {
		t.Fatal(err)
	}
	if w.APICalls() != calls {
		t.Errorf("the API was asked %d more times", w.APICalls()-calls)
	}
}
