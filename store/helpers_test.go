package store

import (
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testWiki is the wiki key of the Wiktionary histories.
const testWiki = "https://de.wiktionary.org/w/api.php"

// exportXML is the part of a MediaWiki XML export the tests read.
type exportXML struct {
	Pages []struct {
		Title     string `xml:"title"`
		ID        int64  `xml:"id"`
		Revisions []struct {
			ID        int64     `xml:"id"`
			ParentID  int64     `xml:"parentid"`
			Timestamp time.Time `xml:"timestamp"`
			Username  string    `xml:"contributor>username"`
			IP        string    `xml:"contributor>ip"`
			Comment   string    `xml:"comment"`
			Text      string    `xml:"text"`
		} `xml:"revision"`
	} `xml:"page"`
}

var (
	historyOnce sync.Once
	history     []Revision
	historyErr  error
)

// historyRevisions returns the 215 real revisions of the German
// Wiktionary's "Hallo" and "familia" (../testdata/wikitext, CC BY-SA), oldest
// first, shaped as a user-contributions feed gives them: the wikitext, and
// the same text escaped in the body.
func historyRevisions(t testing.TB) []Revision {
	t.Helper()
	historyOnce.Do(func() {
		for _, name := range []string{"dewiktionary-Hallo-full-history.xml", "dewiktionary-familia-full-history.xml"} {
			b, err := os.ReadFile(filepath.Join("..", "testdata", "wikitext", name))
			if err != nil {
				historyErr = err
				return
			}
			var x exportXML
			if err := xml.Unmarshal(b, &x); err != nil {
				historyErr = fmt.Errorf("%s: %w", name, err)
				return
			}
			for _, p := range x.Pages {
				for _, r := range p.Revisions {
					user := r.Username
					if user == "" {
						user = r.IP
					}
					history = append(history, Revision{
						Wiki: testWiki, Page: p.Title, ID: r.ID, ParentID: r.ParentID, PageID: p.ID,
						EntryID: fmt.Sprintf("https://de.wiktionary.org/w/index.php?title=%s&diff=%d&oldid=%d", p.Title, r.ID, r.ParentID),
						URL:     fmt.Sprintf("https://de.wiktionary.org/w/index.php?title=%s&diff=%d&oldid=%d", p.Title, r.ID, r.ParentID),
						User:    user, Time: r.Timestamp, Comment: r.Comment, NewPage: r.ParentID == 0,
						Kind: KindWikitext, Text: r.Text, Body: "<div>" + html.EscapeString(r.Text) + "</div>",
						Size: len(r.Text), BaseURL: "https://de.wiktionary.org/w/api.php",
					})
				}
			}
		}
	})
	if historyErr != nil {
		t.Fatal(historyErr)
	}
	out := make([]Revision, len(history))
	copy(out, history)
	return out
}

// manyRevisions returns n revisions made from the real ones, each with its
// own ID and page so that none is a copy of another's identity.
func manyRevisions(t testing.TB, n int) []Revision {
	h := historyRevisions(t)
	out := make([]Revision, n)
	for i := range out {
		r := h[i%len(h)]
		round := int64(i / len(h))
		r.ID += round * 1_000_000
		if r.ParentID > 0 {
			r.ParentID += round * 1_000_000
		}
		r.Page = fmt.Sprintf("%s/%d", r.Page, round)
		r.Time = r.Time.Add(time.Duration(round) * time.Second)
		out[i] = r
	}
	return out
}

// openTemp opens a new store in a temporary directory.
func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "wikifeed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mustSave saves a load or fails the test.
func mustSave(t testing.TB, s *Store, l Load) []int64 {
	t.Helper()
	keys, err := s.SaveLoad(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// integrity runs SQLite's full check.
func integrity(t testing.TB, s *Store) {
	t.Helper()
	var res string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		t.Fatal(err)
	}
	if res != "ok" {
		t.Fatalf("integrity_check: %s", res)
	}
	if _, err := s.db.Exec(`INSERT INTO search(search) VALUES ('integrity-check')`); err != nil {
		t.Fatalf("fts5 integrity-check: %v", err)
	}
}
