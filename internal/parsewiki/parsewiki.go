// Package parsewiki is a test wiki for the wiki's own rendering, and one
// table of rendering cases that every front-end runs: the same feed, the
// same recorded action=parse answers (testdata/parse), must give the same
// rendering and the same note through 'wikifeed show --wiki-rendering', the
// TUI's W key and the core itself, as app decides it once for all.
//
//	for _, c := range parsewiki.Cases {
//		t.Run(c.Name, func(t *testing.T) {
//			w := parsewiki.Serve(t)
//			if c.Offline {
//				w.GoOffline()
//			}
//			out := runFrontEnd(w.FeedURL, c.Rev)
//			c.Check(t, out, w)
//		})
//	}
package parsewiki

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wikifeed/wikifeed/internal/diffcases"
	"github.com/wikifeed/wikifeed/render"
)

// Page is the page the feed's revisions are of.
const Page = diffcases.Page

// answers are the recorded answers by revision ID, files of
// testdata/parse; a revision not here gets nosuchrevid.
var answers = map[int64]string{
	960: "ship-list-960.json",
	961: "hostile-961.json",
	962: "nosuchrevid-962.json",
}

// BigRev is a revision whose rendering is larger than BigBytes, made up on
// request (for the size cap): it is not in the feed.
const BigRev = 963

// BigBytes is the least size of BigRev's answer.
const BigBytes = 200_000

// FeedCase is the feed: three revisions of Page whose wikitext uses a
// template the wiki expands (and wikifeed cannot).
var FeedCase = diffcases.Case{Entries: []diffcases.Entry{
	{ID: 960, Parent: 937, Text: "{{Ship|Nova}}\nThe '''Nova''' is built by the [[Argon Federation]].<ref>X3 manual, p. 12.</ref>\n== Ships ==\n* [[Nova]] (M3)\n* [[Buster]]\n<references />"},
	{ID: 961, Parent: 960, Text: "{{Ship|Mamba}}\nThe '''Mamba'''."},
	{ID: 962, Parent: 961, Text: "{{Ship|Buster}}\nThe '''Buster''' is deleted since."},
}}

// Wiki is the test wiki: its api.php, and its feed on a server of its own,
// which stays up when the wiki goes offline.
type Wiki struct {
	// URL is the wiki's root: its API is URL/w/api.php.
	URL string
	// FeedURL is the feed of FeedCase, linking to the wiki.
	FeedURL string
	wiki    *httptest.Server
	mu      sync.Mutex
	parses  int
	queries []string
}

// Dir is the directory of the recorded answers.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "parse")
}

// Serve starts the test wiki and its feed.
func Serve(t testing.TB) *Wiki {
	t.Helper()
	w := &Wiki{}
	recorded := map[int64][]byte{}
	for id, name := range answers {
		b, err := os.ReadFile(filepath.Join(Dir(), name))
		if err != nil {
			t.Fatal(err)
		}
		recorded[id] = b
	}
	w.wiki = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/w/api.php" {
			http.NotFound(rw, r)
			return
		}
		q := r.URL.Query()
		w.mu.Lock()
		w.queries = append(w.queries, r.URL.RawQuery)
		if q.Get("action") == "parse" {
			w.parses++
		}
		w.mu.Unlock()
		if q.Get("action") != "parse" || q.Get("prop") != "text" || q.Get("format") != "json" || q.Get("formatversion") != "2" {
			http.Error(rw, "unexpected query "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		id, _ := strconv.ParseInt(q.Get("oldid"), 10, 64)
		body, ok := recorded[id]
		if id == BigRev {
			body, ok = []byte(`{"parse":{"title":"Ship List","pageid":215,"revid":963,"text":"<p>`+strings.Repeat("Nova ", BigBytes/5)+`</p>"}}`), true
		}
		if !ok {
			body = []byte(`{"error":{"code":"nosuchrevid","info":"There is no revision with ID ` + strconv.FormatInt(id, 10) + `."}}`)
		}
		rw.Header().Set("Content-Type", "application/json; charset=utf-8")
		rw.Write(body) //nolint:errcheck // the client reports it
	}))
	t.Cleanup(w.wiki.Close)
	w.URL = w.wiki.URL
	feedXML := diffcases.FeedXML(FeedCase, w.URL)
	feedSrv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		rw.Write([]byte(feedXML)) //nolint:errcheck // the client reports it
	}))
	t.Cleanup(feedSrv.Close)
	w.FeedURL = feedSrv.URL + "/w/index.php?title=Special:RecentChanges&feed=atom"
	return w
}

// GoOffline shuts the wiki down (its feed stays up): every request to its
// API is refused from now on.
func (w *Wiki) GoOffline() { w.wiki.Close() }

// Parses is how many action=parse requests the wiki got.
func (w *Wiki) Parses() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.parses
}

// Queries are the query strings of every request to the API, in order.
func (w *Wiki) Queries() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.queries...)
}

// Case is one rendering to make: revision Rev of the feed, with the
// wiki's own rendering asked for.
type Case struct {
	// Name names the case.
	Name string
	// Rev is the revision rendered.
	Rev int64
	// Offline shuts the wiki down before the rendering is asked for.
	Offline bool
	// Want are texts the output shows (compared with runs of white space
	// made one space, as wrapping puts line breaks anywhere); Not are
	// texts it must not show.
	Want, Not []string
	// Parses is how many action=parse requests the rendering makes.
	Parses int
}

// Cases is the table every front-end runs.
var Cases = []Case{
	{
		Name: "wiki's rendering", Rev: 960,
		Want: []string{"Rendered by the wiki at 127.0.0.1:", "M3 heavy fighter", "125 m/s", "Argon Federation", "X3 manual, p. 12.", "Buster"},
		// wikifeed's own rendering shows the template; the wiki's
		// chrome (edit links, the parser cache comment) never shows.
		Not:    []string{"Ship|Nova", "edit]", "parser cache", "could not be reached"},
		Parses: 1,
	},
	{
		Name: "offline", Rev: 960, Offline: true,
		Want: []string{"The wiki could not be reached (wiki API at 127.0.0.1:", "): shown with wikifeed's own rendering.", "Argon Federation"},
		Not:  []string{"M3 heavy fighter", "Rendered by the wiki"},
	},
	{
		Name: "no such revision", Rev: 962,
		Want:   []string{"The wiki did not give its rendering of revision 962 (no such revision 962): shown with wikifeed's own rendering.", "deleted since"},
		Not:    []string{"Rendered by the wiki"},
		Parses: 1,
	},
	{
		Name: "hostile", Rev: 961,
		// Each marker's carrier shows as text; no marker survives.
		Want:   []string{"Rendered by the wiki", "RAWHIDDEN", "RAWSPOOF", "ENTHIDDEN", "ENTCLIP", "CODEHIDDEN", "TTBLINK", "KBDCLIP", "SAMPDCS", "TRIPLE", "HEADBLINK", "PREUL", "THRGB", "CELLSPOOF", "LINKTEXT", "SPANTITLE"},
		Not:    []string{"COMMENT"},
		Parses: 1,
	},
}

// Check checks a front-end's output of the case: shown is what it shows,
// escapes stripped; the wiki asked as often as the case says.
func (c Case) Check(t testing.TB, shown string, w *Wiki) {
	t.Helper()
	flat := strings.Join(strings.Fields(shown), " ")
	for _, s := range c.Want {
		if !strings.Contains(flat, s) {
			t.Errorf("%s: the output lacks %q:\n%s", c.Name, s, shown)
		}
	}
	for _, s := range c.Not {
		if strings.Contains(flat, s) {
			t.Errorf("%s: the output shows %q:\n%s", c.Name, s, shown)
		}
	}
	if w != nil && w.Parses() != c.Parses {
		t.Errorf("%s: the wiki was asked to render %d times, want %d", c.Name, w.Parses(), c.Parses)
	}
}

// Markers are sequences the hostile answer carries and wikifeed never
// writes itself, so finding one in the output means it came from the
// wiki: conceal and blink, odd true colours, a hyperlink to a foreign
// host, the clipboard, DCS, erase and C1 controls.
var Markers = []string{
	"\x1b[8m", "\x1b[5m", "\x1b[38;2;6;6;6", "\x1b[58;2;1;2;3",
	"\x1b]8;;https://evil.example", "\x1b]52", "\x1bP", "\x1b[2J", "\u009b", "\u0090",
}

// CheckSafe checks raw output (escapes kept): every escape sequence in it
// is one wikifeed writes (render.UnsafeOutput's rules; styled allows the
// theme's SGR and OSC 8 links), and no marker is there.
func CheckSafe(t testing.TB, raw string, styled bool) {
	t.Helper()
	if bad := render.UnsafeOutput(raw, styled); bad != "" {
		t.Errorf("unsafe output: %s", bad)
	}
	for _, m := range Markers {
		if strings.Contains(raw, m) {
			t.Errorf("the marker %q reaches the output", m)
		}
	}
}
