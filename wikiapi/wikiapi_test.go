package wikiapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/httpclient"
)

// Answers in the shapes MediaWiki gives to
// action=query&prop=revisions&revids=730|961&rvprop=content|ids&rvslots=main&format=json&formatversion=2.
const (
	// MediaWiki 1.32 and later: formatversion 2, content slots.
	answerV2Slots = `{"batchcomplete":true,"query":{"pages":[{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"== Ships ==\n* [[Nova]]"}}},{"revid":961,"parentid":730,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"== Ships ==\n* [[Nova]]\n* [[Mamba]]"}}}]}]}}`
	// MediaWiki 1.25 to 1.31: formatversion 2, rvslots unknown.
	answerV2NoSlots = `{"batchcomplete":true,"warnings":{"main":{"warnings":"Unrecognized parameter: rvslots."}},"query":{"pages":[{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"contentformat":"text/x-wiki","contentmodel":"wikitext","content":"== Ships ==\n* [[Nova]]"},{"revid":961,"parentid":730,"contentformat":"text/x-wiki","contentmodel":"wikitext","content":"== Ships ==\n* [[Nova]]\n* [[Mamba]]"}]}]}}`
	// MediaWiki before 1.25: formatversion unknown, the original format.
	answerV1 = `{"warnings":{"main":{"*":"Unrecognized parameters: 'rvslots', 'formatversion'"}},"query":{"pages":{"736":{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"contentformat":"text/x-wiki","contentmodel":"wikitext","*":"== Ships ==\n* [[Nova]]"},{"revid":961,"parentid":730,"contentformat":"text/x-wiki","contentmodel":"wikitext","*":"== Ships ==\n* [[Nova]]\n* [[Mamba]]"}]}}}}`
	// formatversion 1 with slots (1.32 and later, formatversion=1).
	answerV1Slots = `{"batchcomplete":"","query":{"pages":{"736":{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","*":"== Ships ==\n* [[Nova]]"}}},{"revid":961,"parentid":730,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","*":"== Ships ==\n* [[Nova]]\n* [[Mamba]]"}}}]}}}}`
	// One revision exists, one does not.
	answerBadRevIDs = `{"batchcomplete":true,"query":{"badrevids":{"961":{"revid":961,"missing":true}},"pages":[{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":"x"}}}]}]}}`
	// Old format, no revision exists.
	answerBadRevIDsV1 = `{"query":{"badrevids":{"730":{"revid":"730"},"961":{"revid":"961"}}}}`
	// Revision deletion: the text is hidden.
	answerHidden   = `{"batchcomplete":true,"query":{"pages":[{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"slots":{"main":{"texthidden":true}}},{"revid":961,"parentid":730,"texthidden":true,"slots":{"main":{"texthidden":true}}}]}]}}`
	answerHiddenV1 = `{"query":{"pages":{"736":{"pageid":736,"ns":0,"title":"Ship List","revisions":[{"revid":730,"parentid":701,"texthidden":""},{"revid":961,"parentid":730,"*":"y"}]}}}}`
	// API errors in both formats.
	answerError   = `{"error":{"code":"readapidenied","info":"You need read permission to use this module.","docref":"See https://example.org/w/api.php for API usage."},"servedby":"mw1"}`
	answerErrorV1 = `{"error":{"code":"unknown_action","info":"Unrecognized value for parameter 'action': query","*":"See https://example.org/w/api.php for API usage"}}`
)

// serve starts a wiki API answering body, and records the last request.
func serve(t *testing.T, status int, body string) (*httptest.Server, *http.Request) {
	t.Helper()
	var last http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last = *r.Clone(context.Background())
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func TestRevisionsShapes(t *testing.T) {
	for _, c := range []struct{ name, body string }{
		{"v2 slots", answerV2Slots},
		{"v2 no slots", answerV2NoSlots},
		{"v1", answerV1},
		{"v1 slots", answerV1Slots},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, req := serve(t, http.StatusOK, c.body)
			cl := &Client{HTTP: httpclient.New(httpclient.Options{UserAgent: httpclient.UserAgent("1.2.3")})}
			revs, err := cl.Revisions(context.Background(), srv.URL+"/w/api.php", 730, 961, 0, 730)
			if err != nil {
				t.Fatal(err)
			}
			if len(revs) != 2 {
				t.Fatalf("got %d revisions, want 2", len(revs))
			}
			old, cur := revs[730], revs[961]
			if old.Text != "== Ships ==\n* [[Nova]]" || cur.Text != "== Ships ==\n* [[Nova]]\n* [[Mamba]]" {
				t.Errorf("texts: %q, %q", old.Text, cur.Text)
			}
			if cur.ParentID != 730 || old.ParentID != 701 || cur.Page != "Ship List" {
				t.Errorf("ids or page wrong: %+v %+v", old, cur)
			}
			q := req.URL.Query()
			if req.URL.Path != "/w/api.php" || q.Get("action") != "query" || q.Get("prop") != "revisions" ||
				q.Get("revids") != "730|961" || q.Get("rvprop") != "content|ids" || q.Get("rvslots") != "main" ||
				q.Get("format") != "json" || q.Get("formatversion") != "2" {
				t.Errorf("request %s", req.URL)
			}
			if ua := req.Header.Get("User-Agent"); ua != "wikifeed/1.2.3 (https://github.com/wikifeed/wikifeed)" {
				t.Errorf("User-Agent %q", ua)
			}
		})
	}
}

func TestRevisionsFailures(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
		check  func(error) bool
		want   string
	}{
		{"one missing", 200, answerBadRevIDs, isMissing(false), "no such revision 961"},
		{"all missing v1", 200, answerBadRevIDsV1, isMissing(false), "no such revisions 730, 961"},
		{"hidden", 200, answerHidden, isMissing(true), "hidden for revisions 730, 961"},
		{"hidden v1", 200, answerHiddenV1, isMissing(true), "hidden for revision 730"},
		{"error", 200, answerError, isAPIError("readapidenied"), "readapidenied: You need read permission"},
		{"error v1", 200, answerErrorV1, isAPIError("unknown_action"), "unknown_action"},
		{"html", 200, "<!DOCTYPE html><html><body>Main Page</body></html>", nil, "not JSON"},
		{"no query", 200, `{"batchcomplete":true}`, nil, "no query result"},
		{"server error", 503, "busy", nil, "503"},
		{"not found", 404, "", nil, "404 Not Found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, _ := serve(t, c.status, c.body)
			_, err := (&Client{}).Revisions(context.Background(), srv.URL+"/api.php", 730, 961)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if c.check != nil && !c.check(err) {
				t.Errorf("error %T %v of the wrong kind", err, err)
			}
		})
	}
}

func isMissing(hidden bool) func(error) bool {
	return func(err error) bool {
		var m *MissingError
		return errors.As(err, &m) && m.Hidden == hidden
	}
}

func isAPIError(code string) func(error) bool {
	return func(err error) bool {
		var e *Error
		return errors.As(err, &e) && e.Code == code
	}
}

func TestSizeCap(t *testing.T) {
	srv, _ := serve(t, 200, `{"query":{"pages":[{"title":"x","revisions":[{"revid":1,"content":"`+strings.Repeat("a", 5000)+`"}]}]}}`)
	_, err := (&Client{HTTP: httpclient.New(httpclient.Options{MaxBytes: 1000})}).Revisions(context.Background(), srv.URL+"/api.php", 1)
	if err == nil || !strings.Contains(err.Error(), "larger than the 1000 bytes cap") {
		t.Fatalf("got %v, want the size cap error", err)
	}
}

func TestTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	cl := &Client{HTTP: httpclient.New(httpclient.Options{Timeout: 100 * time.Millisecond})}
	start := time.Now()
	_, err := cl.Revisions(context.Background(), srv.URL+"/api.php", 1)
	if err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestBatches(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		ids := strings.Split(r.URL.Query().Get("revids"), "|")
		if len(ids) > maxIDs {
			t.Errorf("%d ids in one request", len(ids))
		}
		var revs []string
		for _, id := range ids {
			revs = append(revs, `{"revid":`+id+`,"parentid":0,"slots":{"main":{"content":"t`+id+`"}}}`)
		}
		w.Write([]byte(`{"query":{"pages":[{"title":"P","revisions":[` + strings.Join(revs, ",") + `]}]}}`))
	}))
	defer srv.Close()
	var ids []int64
	for i := int64(1); i <= 120; i++ {
		ids = append(ids, i)
	}
	revs, err := (&Client{}).Revisions(context.Background(), srv.URL+"/api.php", ids...)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 120 || revs[120].Text != "t120" || calls != 3 {
		t.Errorf("%d revisions in %d calls", len(revs), calls)
	}
}

func TestEndpointFor(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"http://x3wiki.com/index.php?title=Ship_List&diff=961&oldid=730", "http://x3wiki.com/api.php"},
		{"//www.wikidata.org/w/index.php?title=Q20026662&diff=220987773", "https://www.wikidata.org/w/api.php"},
		{"https://en.wikipedia.org/wiki/Foo?diff=1", "https://en.wikipedia.org/w/api.php"},
		{"http://wiki.example.org/index.php/Foo?diff=2", "http://wiki.example.org/api.php"},
		{"https://example.org/mediawiki/index.php?title=A", "https://example.org/mediawiki/api.php"},
	} {
		got, err := EndpointFor(c.in)
		if err != nil || got != c.want {
			t.Errorf("EndpointFor(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "file:///etc/passwd", "Show changes", "http://"} {
		if got, err := EndpointFor(bad); err == nil {
			t.Errorf("EndpointFor(%q) = %q, want an error", bad, got)
		}
	}
}

// FuzzParseAnswer checks that no answer makes the reader panic.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{answerV2Slots, answerV2NoSlots, answerV1, answerV1Slots, answerBadRevIDs, answerBadRevIDsV1, answerHidden, answerHiddenV1, answerError, answerErrorV1} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := map[int64]*Revision{}
		if err := parseAnswer([]byte(s), out); err != nil {
			return
		}
		for id, r := range out {
			if r == nil || r.ID != id {
				t.Errorf("revision %d stored as %+v", id, r)
			}
		}
	})
}

// BenchmarkRevisions fetches two revisions of a 328 KB article from a
// local server: request, JSON decoding of 0.7 MB, text extraction.
func BenchmarkRevisions(b *testing.B) {
	data, err := os.ReadFile("../testdata/wikitext/enwiki-United_Kingdom.wikitext")
	if err != nil {
		b.Fatal(err)
	}
	text, _ := json.Marshal(string(data))
	body := []byte(`{"batchcomplete":true,"query":{"pages":[{"pageid":31717,"ns":0,"title":"United Kingdom","revisions":[` +
		`{"revid":1,"parentid":0,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":` + string(text) + `}}},` +
		`{"revid":2,"parentid":1,"slots":{"main":{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":` + string(text) + `}}}]}]}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(body) }))
	defer srv.Close()
	cl := &Client{}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		revs, err := cl.Revisions(context.Background(), srv.URL+"/api.php", 1, 2)
		if err != nil || len(revs[2].Text) != len(data) {
			b.Fatal(err)
		}
	}
}

// TestTextPair checks that the parent comes from the API when the feed
// does not name it, and that revisions already known are not asked again.
func TestTextPair(t *testing.T) {
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids := r.URL.Query().Get("revids")
		asked = append(asked, ids)
		var revs []string
		for _, id := range strings.Split(ids, "|") {
			parent := "0"
			if id == "961" {
				parent = "730"
			}
			revs = append(revs, `{"revid":`+id+`,"parentid":`+parent+`,"slots":{"main":{"content":"text of `+id+`"}}}`)
		}
		w.Write([]byte(`{"query":{"pages":[{"title":"Ship List","revisions":[` + strings.Join(revs, ",") + `]}]}}`))
	}))
	defer srv.Close()
	c := &Client{}
	links := []string{"", srv.URL + "/index.php?title=Ship_List&diff=961&oldid=prev"}
	known := map[int64]*Revision{}
	p, err := c.TextPair(context.Background(), links, 961, 0, known)
	if err != nil {
		t.Fatal(err)
	}
	want := Pair{Endpoint: srv.URL + "/api.php", OldID: 730, OldText: "text of 730", NewText: "text of 961"}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
	if strings.Join(asked, " ") != "961 730" {
		t.Errorf("asked for %q, want the revision, then the parent the API named", asked)
	}
	asked = nil
	if p2, err := c.TextPair(context.Background(), links, 961, 0, known); err != nil || p2 != want || len(asked) != 0 {
		t.Errorf("second call: %+v, %v; asked %q, want nothing", p2, err, asked)
	}
	if _, err := c.TextPair(context.Background(), []string{"", ""}, 961, 0, nil); err == nil {
		t.Error("no link: no error")
	}
	if _, err := c.TextPair(context.Background(), links, 0, 0, nil); err == nil {
		t.Error("no revision ID: no error")
	}
}
