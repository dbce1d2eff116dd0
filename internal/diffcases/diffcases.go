// Package diffcases is one table of diff cases that every front-end runs:
// the same feeds, served by the same test wiki, must give the same diff
// (the revisions compared, the notes, the text) through 'wikifeed diff'
// and through the TUI's diff pane, as app decides it once for both.
//
//	for _, c := range diffcases.Cases {
//		t.Run(c.Name, func(t *testing.T) {
//			w := diffcases.Serve(t, c)
//			out, err := runFrontEnd(w.FeedURL, w.Store, c.Rev)
//			c.Want.Check(t, out, err)
//		})
//	}
package diffcases

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/app"
)

// Entry is one feed entry of a case.
type Entry struct {
	// ID and Parent are the revision and its parent (0: not said); New
	// marks the page's first revision (oldid=0).
	ID, Parent int64
	New        bool
	// Text is the page's wikitext, for an entry that carries it.
	Text string
	// Table is a MediaWiki diff table (its rows), for an entry that
	// carries one instead of text.
	Table string
	// Link marks an entry that carries only a "Show changes" link.
	Link bool
}

// Case is one diff to make.
type Case struct {
	// Name names the case.
	Name string
	// Entries are the feed's entries of page "Ship List", oldest first.
	Entries []Entry
	// Rev is the revision whose diff is asked for.
	Rev int64
	// API holds the texts the test wiki's API serves, by revision ID; a
	// revision not in it is missing. Nil makes api.php fail (HTTP 500).
	API map[int64]APIRevision
	// Stored holds revisions only the store has (texts of page "Ship
	// List" of the test wiki).
	Stored map[int64]string
	// Want is the diff both front-ends must show.
	Want Want
}

// APIRevision is what the API serves for one revision.
type APIRevision struct {
	Parent int64
	Text   string
}

// Want is what a front-end must show for a case.
type Want struct {
	// Range is the revisions compared as the front-ends write them
	// ("20 → 30"); "" when nothing is shown.
	Range string
	// Notes must each appear (as a note of the diff, or as the reason
	// nothing is shown).
	Notes []string
	// Added must each be shown as added: in plain text after git's
	// --word-diff=plain "{+" mark, on a terminal on a line marked "+".
	Added []string
	// NotAdded must not be shown as added.
	NotAdded []string
	// Lacks must not appear anywhere.
	Lacks []string
	// Err, when not "", is the error both must report (a substring).
	Err string
	// APICalls is how many requests api.php must get; -1 for any.
	APICalls int
}

// Page is the page every case's entries belong to.
const Page = "Ship List"

// table row builders: one changed line, MediaWiki 1.27's markup.
func changedRow(old, cur string) string {
	return `<tr><td colspan="2" class="diff-lineno">Line 1:</td><td colspan="2" class="diff-lineno">Line 1:</td></tr>` +
		`<tr><td class="diff-marker">−</td><td class="diff-deletedline"><div>` + old + `</div></td>` +
		`<td class="diff-marker">+</td><td class="diff-addedline"><div>` + cur + `</div></td></tr>`
}

// noDifferenceRow is MediaWiki's row for an empty diff.
const noDifferenceRow = `<tr><td colspan="2" style="text-align: center;" lang="en"><div class="mw-diff-empty">(No difference)</div></td></tr>`

// Cases is the table.
var Cases = []Case{
	{
		Name: "parent-in-feed",
		Entries: []Entry{
			{ID: 20, Parent: 10, Text: "* [[Nova]]"},
			{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]"},
		},
		Rev:  30,
		Want: Want{Range: "20 → 30", Added: []string{"* [[Mamba]]"}, Lacks: []string{"not in the feed"}},
	},
	{
		// The parent (20) is missing between two revisions of the feed,
		// and the wiki cannot be reached: the diff spans the gap, and
		// says so.
		Name: "gap-api-down",
		Entries: []Entry{
			{ID: 10, Parent: 5, Text: "* [[Nova]]"},
			{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]\n* [[Elite]]"},
		},
		Rev: 30,
		Want: Want{Range: "10 → 30", Notes: []string{
			"Revision 20, the parent of 30, is not in the feed: this diff is from 10, the previous revision in the feed, and spans the revisions between.",
			"Asking the wiki for revision 20 failed: wiki API: 127.0.0.1",
		}, Added: []string{"* [[Mamba]]", "* [[Elite]]"}, APICalls: -1},
	},
	{
		// The same gap with the wiki reachable: the diff against the
		// true parent, as MediaWiki shows it.
		Name: "gap-api-up",
		Entries: []Entry{
			{ID: 10, Parent: 5, Text: "* [[Nova]]"},
			{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]\n* [[Elite]]"},
		},
		Rev: 30,
		API: map[int64]APIRevision{20: {Parent: 10, Text: "* [[Nova]]\n* [[Mamba]]"}, 30: {Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]\n* [[Elite]]"}},
		Want: Want{
			Range: "20 → 30", Notes: []string{"Texts of revisions 20 and 30 fetched from "},
			Added: []string{"* [[Elite]]"}, NotAdded: []string{"* [[Mamba]]"}, Lacks: []string{"not in the feed"}, APICalls: 1,
		},
	},
	{
		// The parent is known only to the store: no need to ask.
		Name: "parent-in-store",
		Entries: []Entry{
			{ID: 10, Parent: 5, Text: "* [[Nova]]"},
			{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]\n* [[Elite]]"},
		},
		Rev:    30,
		Stored: map[int64]string{20: "* [[Nova]]\n* [[Mamba]]"},
		Want: Want{
			Range: "20 → 30", Notes: []string{"Revision 20's text is from the store."},
			Added: []string{"* [[Elite]]"}, NotAdded: []string{"* [[Mamba]]"}, Lacks: []string{"not in the feed"}, APICalls: 0,
		},
	},
	{
		// No earlier revision of the page in the feed: the API gives the
		// parent.
		Name:    "missing-parent",
		Entries: []Entry{{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]"}},
		Rev:     30,
		API:     map[int64]APIRevision{20: {Parent: 10, Text: "* [[Nova]]"}, 30: {Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]"}},
		Want: Want{
			Range: "20 → 30", Notes: []string{"Texts of revisions 20 and 30 fetched from "},
			Added: []string{"* [[Mamba]]"}, APICalls: 1,
		},
	},
	{
		// No earlier revision and the wiki down: an error, in both.
		Name:    "missing-parent-api-down",
		Entries: []Entry{{ID: 30, Parent: 20, Text: "* [[Nova]]\n* [[Mamba]]"}},
		Rev:     30,
		Want:    Want{Err: `revision 30 of "Ship List": fetch texts: wiki API: 127.0.0.1`, APICalls: -1},
	},
	{
		Name:    "new-page",
		Entries: []Entry{{ID: 5, New: true, Text: "* [[Nova]]"}},
		Rev:     5,
		Want: Want{
			Range: "5", Notes: []string{"New page: no earlier revision; the whole text is new."},
			Added: []string{"* [[Nova]]"}, APICalls: 0,
		},
	},
	{
		Name:    "show-changes-link",
		Entries: []Entry{{ID: 961, Parent: 730, Link: true}},
		Rev:     961,
		API:     map[int64]APIRevision{730: {Parent: 701, Text: "== Ships ==\n* [[Nova]]"}, 961: {Parent: 730, Text: "== Ships ==\n* [[Nova]]\n* [[Mamba]]"}},
		Want: Want{
			Range: "730 → 961", Notes: []string{"Texts of revisions 730 and 961 fetched from "},
			Added: []string{"* [[Mamba]]"}, APICalls: 1,
		},
	},
	{
		Name:    "table",
		Entries: []Entry{{ID: 20, Parent: 10, Table: changedRow(`|Hull= <del class="diffchange diffchange-inline">90,000</del>`, `|Hull= <ins class="diffchange diffchange-inline">90000</ins>`)}},
		Rev:     20,
		Want:    Want{Range: "10 → 20", Added: []string{"90000"}, NotAdded: []string{"90,000"}, APICalls: 0},
	},
	{
		// The wiki's table says "(No difference)": said once, worded as
		// MediaWiki words it.
		Name:    "no-difference-table",
		Entries: []Entry{{ID: 20, Parent: 10, Table: noDifferenceRow}},
		Rev:     20,
		Want:    Want{Range: "10 → 20", Notes: []string{"(No difference)"}, APICalls: 0},
	},
	{
		Name: "no-difference-texts",
		Entries: []Entry{
			{ID: 20, Parent: 10, Text: "* [[Nova]]"},
			{ID: 30, Parent: 20, Text: "* [[Nova]]"},
		},
		Rev:  30,
		Want: Want{Range: "20 → 30", Notes: []string{"(No difference)"}, APICalls: 0},
	},
}

// Check checks what a front-end showed (all its text, notes and diff
// together, without colours) or the error it reported. plain says the
// diff is in plain text, with git's word marks; otherwise it is as a
// terminal shows it, added lines marked "+" in the gutter.
func (w Want) Check(t *testing.T, shown string, err error, plain bool) {
	t.Helper()
	if w.Err != "" {
		if err == nil || !strings.Contains(err.Error(), w.Err) {
			t.Errorf("error %v, want one with %q; shown:\n%s", err, w.Err, shown)
		}
		return
	}
	if err != nil {
		t.Fatalf("error %v", err)
	}
	if w.Range != "" && !strings.Contains(shown, w.Range) {
		t.Errorf("does not show the revisions %q:\n%s", w.Range, shown)
	}
	flat := strings.Join(strings.Fields(shown), " ")
	for _, n := range w.Notes {
		if !strings.Contains(flat, strings.Join(strings.Fields(n), " ")) {
			t.Errorf("lacks the note %q:\n%s", n, shown)
		}
	}
	for _, s := range w.Added {
		if !added(shown, s, plain) {
			t.Errorf("does not show %q as added:\n%s", s, shown)
		}
	}
	for _, s := range w.NotAdded {
		if added(shown, s, plain) {
			t.Errorf("shows %q as added:\n%s", s, shown)
		}
	}
	for _, s := range w.Lacks {
		if strings.Contains(shown, s) {
			t.Errorf("shows %q:\n%s", s, shown)
		}
	}
	if c := strings.Count(flat, "(No difference)"); c > 1 {
		t.Errorf("says (No difference) %d times:\n%s", c, shown)
	}
}

// added reports whether s is shown as added text: after a "{+" word mark
// (a terminal's colours turned into marks by the caller), or, on a
// terminal, on a line whose gutter says "+".
func added(shown, s string, plain bool) bool {
	if strings.Contains(shown, "{+"+s) {
		return true
	}
	if plain {
		return false
	}
	for _, l := range strings.Split(shown, "\n") {
		if k := strings.Index(l, s); k >= 0 && strings.Contains(l[:k]+" ", " + ") {
			return true
		}
	}
	return false
}

// Wiki is a case's test wiki: its feed and API, and the store.
type Wiki struct {
	// URL is the wiki's root; FeedURL its feed.
	URL, FeedURL string
	// Store is a real store (an SQLite file in a test directory) holding
	// the case's Stored texts; nil when it has none.
	Store app.Store
	mu    sync.Mutex
	calls int
}

// APICalls is how many requests api.php got.
func (w *Wiki) APICalls() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.calls
}

// CheckCalls checks the API was asked as often as the case says.
func (w *Wiki) CheckCalls(t *testing.T, c Case) {
	t.Helper()
	if c.Want.APICalls >= 0 && w.APICalls() != c.Want.APICalls {
		t.Errorf("the wiki's API was asked %d times, want %d", w.APICalls(), c.Want.APICalls)
	}
}

// Serve starts the case's test wiki.
func Serve(t *testing.T, c Case) *Wiki {
	t.Helper()
	w := &Wiki{}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	w.URL, w.FeedURL = srv.URL, srv.URL+"/w/index.php?title=Special:RecentChanges&feed=atom"
	body := FeedXML(c, srv.URL)
	mux.HandleFunc("/w/index.php", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		rw.Write([]byte(body)) //nolint:errcheck // the client reports it
	})
	mux.HandleFunc("/w/api.php", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.calls++
		w.mu.Unlock()
		if c.API == nil {
			http.Error(rw, "down", http.StatusInternalServerError)
			return
		}
		apiAnswer(rw, r, c.API)
	})
	if c.Stored != nil {
		w.Store = storeWith(t, srv.URL+"/w/api.php", c.Stored)
	}
	return w
}

// apiAnswer answers action=query&prop=revisions in formatversion 2.
func apiAnswer(rw http.ResponseWriter, r *http.Request, revs map[int64]APIRevision) {
	type slot struct {
		Content string `json:"content"`
	}
	type rev struct {
		RevID    int64 `json:"revid"`
		ParentID int64 `json:"parentid"`
		Slots    struct {
			Main slot `json:"main"`
		} `json:"slots"`
	}
	var out []rev
	var bad []int64
	for _, s := range strings.Split(r.URL.Query().Get("revids"), "|") {
		id, _ := strconv.ParseInt(s, 10, 64)
		ar, ok := revs[id]
		if !ok {
			bad = append(bad, id)
			continue
		}
		v := rev{RevID: id, ParentID: ar.Parent}
		v.Slots.Main.Content = ar.Text
		out = append(out, v)
	}
	ans := map[string]any{"batchcomplete": true, "query": map[string]any{
		"pages": []any{map[string]any{"pageid": 1, "ns": 0, "title": Page, "revisions": out}},
	}}
	if len(bad) > 0 {
		ans["query"].(map[string]any)["badrevids"] = bad
	}
	rw.Header().Set("Content-Type", "application/json")
	json.NewEncoder(rw).Encode(ans) //nolint:errcheck // the client reports it
}

// FeedXML is the case's feed as MediaWiki 1.27 writes recent changes,
// the entries newest first, links on the wiki at root.
func FeedXML(c Case, root string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>` + root + `/w/api.php?action=feedrecentchanges&amp;feedformat=atom</id>
<title>Test wiki - Recent changes [en]</title>
<link rel="self" type="application/atom+xml" href="` + root + `/w/api.php?action=feedrecentchanges&amp;feedformat=atom"/>
<link rel="alternate" type="text/html" href="` + root + `/wiki/Special:RecentChanges"/>
<updated>2024-01-02T10:00:00Z</updated>
<subtitle>Track the most recent changes to the wiki in this feed.</subtitle>
<generator>MediaWiki 1.27.1</generator>
`)
	start := time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)
	for i := len(c.Entries) - 1; i >= 0; i-- {
		e := c.Entries[i]
		old := strconv.FormatInt(e.Parent, 10)
		if e.New {
			old = "0"
		}
		link := fmt.Sprintf("%s/w/index.php?title=Ship_List&amp;diff=%d&amp;oldid=%s", root, e.ID, old)
		if e.Parent == 0 && !e.New {
			link = fmt.Sprintf("%s/w/index.php?title=Ship_List&amp;diff=%d", root, e.ID)
		}
		var summary string
		switch {
		case e.Link:
			summary = fmt.Sprintf(`<p>edit %d</p><a href="%s">Show changes</a>`, e.ID, html.UnescapeString(link))
		case e.Table != "":
			summary = fmt.Sprintf(`<p>edit %d</p><table class="diff diff-contentalign-left"><col class="diff-marker" /><col class="diff-content" /><col class="diff-marker" /><col class="diff-content" />`+
				`<tr style="vertical-align: top;" lang="en"><td colspan="2" style="background-color: white; color:black; text-align: center;">← Older revision</td><td colspan="2" style="background-color: white; color:black; text-align: center;">Revision as of 09:00, 2 January 2024</td></tr>%s</table>`, e.ID, e.Table)
		case e.New:
			summary = fmt.Sprintf(`<p>edit %d</p><p><b>New page</b></p><div>%s</div>`, e.ID, strings.ReplaceAll(html.EscapeString(e.Text), "\n", "<br />\n"))
		default:
			summary = fmt.Sprintf(`<p>edit %d</p><hr /><div>%s</div>`, e.ID, strings.ReplaceAll(html.EscapeString(e.Text), "\n", "<br />\n"))
		}
		fmt.Fprintf(&b, `<entry>
<id>%s</id>
<title>%s</title>
<link rel="alternate" type="text/html" href="%s"/>
<updated>%s</updated>
<summary type="html">%s</summary>
<author><name>Ann</name></author>
</entry>
`, link, Page, link, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), html.EscapeString(summary))
	}
	b.WriteString("</feed>\n")
	return b.String()
}

// storeWith opens a store in a new SQLite file holding texts as the
// store keeps the texts of a wiki's revisions (as if fetched from its API
// before).
func storeWith(t *testing.T, wiki string, texts map[int64]string) *app.Memory {
	t.Helper()
	ctx := context.Background()
	m, err := app.OpenMemoryAt(ctx, filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	for id, text := range texts {
		if err := m.SaveText(ctx, wiki, id, text); err != nil {
			t.Fatal(err)
		}
	}
	return m
}
