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
