package wikiapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// parseServer replays the recorded action=parse answers by oldid.
func parseServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("action") != "parse" || q.Get("prop") != "text" || q.Get("formatversion") != "2" {
			http.Error(w, "unexpected query "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		name := "testdata/parse-nosuchrevid.json"
		if q.Get("oldid") == "6200" {
			name = "testdata/parse-6200.json"
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestParse checks Parse against recorded answers.
func TestParse(t *testing.T) {
	srv := parseServer(t)
	var c Client
	p, err := c.Parse(context.Background(), srv.URL+"/api.php", 6200)
	if err != nil {
		t.Fatal(err)
	}
	if p.Page != "Containers/Mini-summit 2008" || p.RevID != 6200 || !strings.Contains(p.HTML, "Ottawa Congress Centre") {
		t.Errorf("got %+v", p)
	}
	_, err = c.Parse(context.Background(), srv.URL+"/api.php", 999)
	var me *MissingError
	if !errors.As(err, &me) || len(me.IDs) != 1 || me.IDs[0] != 999 {
		t.Errorf("a missing revision: %v", err)
	}
}

// TestParseFormats reads the text in both answer formats, and refuses an
// answer without one.
func TestParseFormats(t *testing.T) {
	for _, c := range []struct {
		name, body, html string
		ok               bool
	}{
		{"formatversion 2", `{"parse":{"title":"P","pageid":1,"revid":5,"text":"<p>x</p>"}}`, "<p>x</p>", true},
		{"formatversion 1", `{"parse":{"title":"P","pageid":1,"revid":5,"text":{"*":"<p>x</p>"}}}`, "<p>x</p>", true},
		{"no text", `{"parse":{"title":"P","pageid":1,"revid":5}}`, "", false},
		{"text of another shape", `{"parse":{"title":"P","revid":5,"text":{"html":"<p>x</p>"}}}`, "", false},
		{"an error", `{"error":{"code":"permissiondenied","info":"You may not read."}}`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := readParse([]byte(c.body), 5)
			if (err == nil) != c.ok || p.HTML != c.html {
				t.Errorf("got %+v, %v", p, err)
			}
		})
	}
}

// TestUnreachable tells a wiki out of reach from one that answered.
func TestUnreachable(t *testing.T) {
	srv := parseServer(t)
	var c Client
	_, err := c.Parse(context.Background(), srv.URL+"/api.php", 999)
	if err == nil || Unreachable(err) {
		t.Errorf("an answered error: %v, unreachable %v", err, Unreachable(err))
	}
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	_, err = c.Parse(context.Background(), failing.URL+"/api.php", 1)
	if err == nil || Unreachable(err) {
		t.Errorf("HTTP 500: %v, unreachable %v", err, Unreachable(err))
	}
	failing.Close()
	_, err = c.Parse(context.Background(), failing.URL+"/api.php", 1)
	if !Unreachable(err) || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("a closed server: %v, unreachable %v", err, Unreachable(err))
	}
}
