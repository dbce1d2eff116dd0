package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var ctx = context.Background()

const src = "https://de.wiktionary.org/w/api.php?action=feedcontributions&user=X&feedformat=atom"

// stripState clears what the store adds, to compare with what was saved.
func stripState(r Revision) Revision {
	r.Key, r.Source, r.InWindow = 0, "", false
	r.FirstSeen, r.LastSeen, r.Read, r.Reviewed = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return r
}

func TestRoundTrip(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)
	revs[3].Log, revs[4].NoDifference, revs[5].HasSizeChange, revs[5].SizeChange = true, true, true, -12
	revs[6].Section, revs[6].ChangesURL, revs[7].Kind, revs[7].Text = "Bedeutungen", "https://x/diff", "diff-table", ""
	revs[8].Time = time.Time{}
	at := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	keys := mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: at, Revisions: revs})
	if len(keys) != len(revs) || slices.Contains(keys, 0) {
		t.Fatalf("keys: %v", keys)
	}
	got, err := s.Revisions(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(revs) {
		t.Fatalf("read %d revisions, saved %d", len(got), len(revs))
	}
	for i, g := range got {
		if g.Key != keys[i] || g.Source != src || !g.InWindow || !g.FirstSeen.Equal(at) || !g.LastSeen.Equal(at) {
			t.Errorf("revision %d: state %+v", i, g)
		}
		want := revs[i]
		if !want.Time.IsZero() {
			want.Time = want.Time.UTC()
		}
		if g := stripState(g); g != want {
			t.Errorf("revision %d:\n got %+v\nwant %+v", i, g, want)
		}
	}
	// List returns the same, newest first, without content unless asked.
	list, err := s.List(ctx, Query{Sources: []string{src}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(revs) || list[0].Body != "" || list[0].Text != "" {
		t.Fatalf("list: %d revisions, first body %q", len(list), list[0].Body)
	}
	if !slices.IsSortedFunc(list, func(a, b Revision) int { return b.Time.Compare(a.Time) }) {
		t.Error("list is not newest first")
	}
	full, err := s.List(ctx, Query{Content: true, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 5 || full[0].Text == "" {
		t.Fatalf("list with content: %d, text %q", len(full), full[0].Text)
	}
	integrity(t, s)
}

func TestWindowMoves(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t0, Revisions: revs[0:50]})
	// The next load's window has moved on by 20 entries, and one entry
	// came back with a new body.
	second := slices.Clone(revs[20:70])
	second[0].Comment = "edited summary"
	t1 := t0.Add(time.Hour)
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t1, Revisions: second})
	list, err := s.List(ctx, Query{Sources: []string{src}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 70 {
		t.Fatalf("stored %d revisions, want 70 (50 + 20 new, none twice)", len(list))
	}
	for _, r := range list {
		i := slices.IndexFunc(revs, func(o Revision) bool { return o.ID == r.ID })
		if want := i >= 20; r.InWindow != want {
			t.Errorf("revision %d (#%d): in window %v, want %v", r.ID, i, r.InWindow, want)
		}
		if i < 20 && !r.LastSeen.Equal(t0) || i >= 20 && !r.LastSeen.Equal(t1) {
			t.Errorf("revision %d (#%d): last seen %v", r.ID, i, r.LastSeen)
		}
		if i == 20 && r.Comment != "edited summary" {
			t.Errorf("revision %d not updated: %q", r.ID, r.Comment)
		}
	}
	// A revision another feed of the same wiki carries is the same row.
	other := "https://de.wiktionary.org/w/index.php?title=Hallo&action=history&feed=atom"
	k1 := mustSave(t, s, Load{Source: other, Kind: SourceURL, Revisions: revs[60:75]})
	k2 := mustSave(t, s, Load{Source: src, Kind: SourceURL, Revisions: revs[60:61]})
	if k1[0] != k2[0] {
		t.Errorf("one revision from two sources got keys %d and %d", k1[0], k2[0])
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Revisions != 75 || len(st.Sources) != 2 {
		t.Fatalf("stats: %+v", st)
	}
	for _, ss := range st.Sources {
		switch ss.Name {
		case src:
			if ss.Revisions != 70 || ss.InWindow != 1 {
				t.Errorf("%s: %+v", src, ss)
			}
		case other:
			if ss.Revisions != 15 || ss.InWindow != 0 && ss.InWindow != 15 {
				t.Errorf("%s: %+v", other, ss)
			}
		}
	}
}

func TestLogEntries(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	// MediaWiki gives every move the entry ID Special:Log/move and no
	// revision ID; two moves in one second are still two entries.
	logs := []Revision{
		{Page: "A", EntryID: "https://w/Special:Log/move", Time: at, User: "U", Comment: "moved [[A]] to [[B]]", Log: true, Kind: "html"},
		{Page: "C", EntryID: "https://w/Special:Log/move", Time: at, User: "U", Comment: "moved [[C]] to [[D]]", Log: true, Kind: "html"},
		{Page: "E", EntryID: "https://w/Special:Log/move", Time: at.Add(time.Second), User: "U", Comment: "moved [[E]] to [[F]]", Log: true, Kind: "html"},
	}
	k1 := mustSave(t, s, Load{Source: "https://w/rc", Kind: SourceURL, Wiki: "w", Revisions: logs})
	logs[0].Body = "<p>rendered again</p>"
	k2 := mustSave(t, s, Load{Source: "https://w/rc", Kind: SourceURL, Wiki: "w", Revisions: logs})
	if !slices.Equal(k1, k2) || k1[0] == k1[1] || k1[1] == k1[2] {
		t.Fatalf("keys %v then %v", k1, k2)
	}
	list, _ := s.List(ctx, Query{})
	if len(list) != 3 {
		t.Fatalf("%d rows, want 3", len(list))
	}
}

func TestMarksSurviveReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	revs := historyRevisions(t)
	keys := mustSave(t, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
	readAt := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := s.SetMark(ctx, keys[:10], Read, readAt); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMark(ctx, keys[5:12], Reviewed, readAt.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearMark(ctx, keys[0:1], Read); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearMark(ctx, keys[11:12], Reviewed); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	m, err := s.Marks(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		got := m[k]
		read, reviewed := i >= 1 && i < 12, i >= 5 && i < 11
		if !got.Read.IsZero() != read || !got.Reviewed.IsZero() != reviewed {
			t.Errorf("#%d: marks %+v, want read %v reviewed %v", i, got, read, reviewed)
		}
		// The first mark's time stays when a later one is added.
		if i >= 1 && i < 10 && !got.Read.Equal(readAt) {
			t.Errorf("#%d: read at %v, want %v", i, got.Read, readAt)
		}
	}
	by, err := s.UnreadBySource(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(revs) - 11; by[src] != want {
		t.Errorf("unread in source: %d, want %d", by[src], want)
	}
	pages, err := s.UnreadByPage(ctx, []string{src})
	if err != nil {
		t.Fatal(err)
	}
	if pages["Hallo"]+pages["familia"] != len(revs)-11 || pages["Hallo"] == 0 || pages["familia"] == 0 {
		t.Errorf("unread by page: %v", pages)
	}
	unread, err := s.List(ctx, Query{Unread: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(unread) != len(revs)-11 || slices.ContainsFunc(unread, func(r Revision) bool { return !r.Read.IsZero() }) {
		t.Errorf("unread list: %d", len(unread))
	}
}

func TestSearch(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
	other := "file.atom"
	mustSave(t, s, Load{Source: other, Kind: SourceFile, Revisions: []Revision{
		{Page: "Tür", EntryID: "x1", Time: time.Now(), User: "Hallo-Fan", Comment: "nothing", Kind: "html", Body: "<p>plain</p>"},
	}})
	hits, err := s.Search(ctx, "hallo", nil, 300)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) < 100 {
		t.Fatalf("%d hits for hallo", len(hits))
	}
	// A title hit ranks above a hit in the user name only.
	if hits[0].Page != "Hallo" || hits[len(hits)-1].Page == "Hallo" && hits[len(hits)-1].Source != other {
		t.Errorf("ranking: first %q, last %q", hits[0].Page, hits[len(hits)-1].Page)
	}
	if i := slices.IndexFunc(hits, func(r Revision) bool { return r.Source == other }); i < 0 {
		t.Error("the user-name hit is missing")
	}
	// Sources limit it; a column filter works; diacritics fold.
	only, err := s.Search(ctx, "hallo", []string{other}, 0)
	if err != nil || len(only) != 1 || only[0].Page != "Tür" {
		t.Errorf("search in %s: %v %v", other, only, err)
	}
	if h, err := s.Search(ctx, "page:tur", nil, 0); err != nil || len(h) != 1 {
		t.Errorf("page:tur: %d hits, %v", len(h), err)
	}
	if h, err := s.Search(ctx, "familia AND Substantiv", nil, 5); err != nil || len(h) != 5 || h[0].Page != "familia" {
		t.Errorf("familia AND Substantiv: %v, %v", h, err)
	}
	for _, q := range []string{`"unterminated`, `AND`, `nosuchcolumn:x`, `(`, ` `} {
		_, err := s.Search(ctx, q, nil, 0)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%q: error %v, want a QueryError", q, err)
			continue
		}
		if !strings.Contains(err.Error(), "bad search query") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: %v", q, err)
		}
	}
	// A text fetched from the API later makes a text-less revision findable.
	mustSave(t, s, Load{Source: "https://w/rc", Kind: SourceURL, Wiki: "w", Revisions: []Revision{
		{Page: "P", ID: 9, ParentID: 8, Time: time.Now(), Kind: "diff-table", Body: "<table><tr><td>x</td></tr></table>"},
	}})
	if h, _ := s.Search(ctx, "zebrafinch", nil, 0); len(h) != 0 {
		t.Fatalf("found before SaveText: %v", h)
	}
	if err := s.SaveText(ctx, "w", 9, "The zebrafinch sings."); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Search(ctx, "zebrafinch", nil, 0); len(h) != 1 || h[0].ID != 9 {
		t.Fatalf("after SaveText: %v", h)
	}
	if text, ok, err := s.Text(ctx, "w", 9); err != nil || !ok || text != "The zebrafinch sings." {
		t.Errorf("Text: %q %v %v", text, ok, err)
	}
	if text, ok, err := s.Text(ctx, testWiki, revs[0].ID); err != nil || !ok || text != revs[0].Text {
		t.Errorf("Text of a feed revision: %q %v %v", text, ok, err)
	}
	if _, ok, err := s.Text(ctx, "w", 8); err != nil || ok {
		t.Errorf("Text of an unknown revision: %v %v", ok, err)
	}
	integrity(t, s)
}

func TestValidators(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)[:5]
	body := []byte(strings.Repeat("<feed>real enough</feed>\n", 100))
	resp := &Response{URL: src, FinalURL: src + "&x", ContentType: "application/atom+xml; charset=utf-8", ETag: `"abc"`, LastModified: "Tue, 01 Dec 2026 10:00:00 GMT", Body: body}
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Response: resp, Revisions: revs})
	got, err := s.Cached(ctx, src)
	if err != nil || got == nil {
		t.Fatalf("cached: %v %v", got, err)
	}
	if got.ETag != resp.ETag || got.FinalURL != resp.FinalURL || got.ContentType != resp.ContentType || got.LastModified != resp.LastModified || string(got.Body) != string(body) || got.Fetched.IsZero() {
		t.Errorf("cached: %+v", got)
	}
	if c, err := s.Cached(ctx, "https://other"); c != nil || err != nil {
		t.Errorf("unknown URL: %v %v", c, err)
	}
	// A body damaged on disk is reported as absent, so the caller fetches
	// without validators.
	for name, q := range map[string]string{
		"flipped byte": `UPDATE http_cache SET body = substr(body, 1, 40) || 'X' || substr(body, 42)`,
		"bad checksum": `UPDATE http_cache SET sum = zeroblob(32)`,
		"bad encoding": `UPDATE http_cache SET body = x'07'`,
	} {
		mustSave(t, s, Load{Source: src, Kind: SourceURL, Response: resp, Revisions: revs})
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
		if c, err := s.Cached(ctx, src); c != nil || err != nil {
			t.Errorf("%s: cached %v, %v; want absent", name, c, err)
		}
	}
	// The next load replaces it.
	resp2 := &Response{URL: src, ETag: `"def"`, Body: []byte("<feed/>")}
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Response: resp2})
	if c, _ := s.Cached(ctx, src); c == nil || c.ETag != `"def"` || string(c.Body) != "<feed/>" || c.LastModified != "" {
		t.Errorf("after reload: %+v", c)
	}
}

func TestPrune(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	keys := mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t0, Revisions: revs[:150]})
	if err := s.SetMark(ctx, keys[:5], Reviewed, t0); err != nil {
		t.Fatal(err)
	}
	// 100 days later the window holds only the last 65.
	t1 := t0.Add(100 * 24 * time.Hour)
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t1, Revisions: revs[150:]})
	res, err := s.Prune(ctx, PruneOptions{Now: t1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Revisions != 145 || res.Over {
		t.Errorf("pruned %+v, want 145 (150 left the window 100 days ago, 5 of them reviewed)", res)
	}
	list, _ := s.List(ctx, Query{})
	if len(list) != 70 {
		t.Errorf("%d left, want 70", len(list))
	}
	if h, _ := s.Search(ctx, "Spielwiese", nil, 0); slices.ContainsFunc(h, func(r Revision) bool {
		return !slices.Contains(keys[:5], r.Key) && r.Time.Before(revs[150].Time) && r.Page == "Hallo"
	}) {
		t.Error("a pruned revision is still found by search")
	}
	// A bound below what must be kept drops the rest and says so.
	res, err = s.Prune(ctx, PruneOptions{Now: t1, MaxBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Over || res.After <= 0 {
		t.Errorf("size prune: %+v", res)
	}
	list, _ = s.List(ctx, Query{})
	if len(list) != 70 {
		t.Errorf("%d left after the size prune, want 70 (all in window or reviewed)", len(list))
	}
	integrity(t, s)
	// Out of the window, unreviewed and over the size: dropped.
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t1})
	if res, err = s.Prune(ctx, PruneOptions{Now: t1, MaxBytes: 1}); err != nil || res.Revisions != 65 {
		t.Errorf("after the window emptied: %+v %v", res, err)
	}
	integrity(t, s)
}
