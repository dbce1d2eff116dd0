package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRenderings keeps a wiki's rendering, reads it back (in another
// connection to the same file too), replaces it, keeps wikis apart, and
// prunes an old one.
func TestRenderings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok, err := s.Rendering(ctx, testWiki, 6200); ok || err != nil {
		t.Fatalf("a new store has a rendering: %v %v", ok, err)
	}
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	html := `<div class="mw-parser-output"><p>` + strings.Repeat("Ottawa Congress Centre. ", 200) + `</p></div>`
	if err := s.SaveRendering(ctx, testWiki, 6200, Rendering{HTML: html, Fetched: at}); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	r, ok, err := other.Rendering(ctx, testWiki, 6200)
	other.Close()
	if !ok || err != nil || r.HTML != html || !r.Fetched.Equal(at) {
		t.Errorf("read back: ok %v, err %v, fetched %v, %d bytes", ok, err, r.Fetched, len(r.HTML))
	}
	if _, ok, _ := s.Rendering(ctx, "https://other.example/w/api.php", 6200); ok {
		t.Error("another wiki's revision 6200 has this rendering")
	}
	later := at.Add(time.Hour)
	if err := s.SaveRendering(ctx, testWiki, 6200, Rendering{HTML: "<p>new</p>", Fetched: later}); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := s.Rendering(ctx, testWiki, 6200); r.HTML != "<p>new</p>" || !r.Fetched.Equal(later) {
		t.Errorf("replaced: %+v", r)
	}
	for _, bad := range []struct {
		wiki string
		id   int64
		html string
	}{{"", 1, "x"}, {testWiki, 0, "x"}, {testWiki, 1, strings.Repeat("x", MaxBlob+1)}} {
		if err := s.SaveRendering(ctx, bad.wiki, bad.id, Rendering{HTML: bad.html}); err == nil {
			t.Errorf("saved %q %d (%d bytes)", bad.wiki, bad.id, len(bad.html))
		}
	}
	st, err := s.Stats(ctx)
	if err != nil || st.Renderings != 1 {
		t.Errorf("stats: %+v %v", st, err)
	}
	// Pruned once older than the age bound: the templates may have changed.
	res, err := s.Prune(ctx, PruneOptions{Now: later.Add(DefaultPruneAge + time.Hour)})
	if err != nil || res.Renderings != 1 {
		t.Errorf("prune: %+v %v", res, err)
	}
	if _, ok, _ := s.Rendering(ctx, testWiki, 6200); ok {
		t.Error("the old rendering is still there")
	}
}

// TestRenderingDroppedWithRevision: a size prune that drops a revision
// drops the wiki's rendering of it; a recent rendering of a revision the
// store does not hold stays until it is old.
func TestRenderingDroppedWithRevision(t *testing.T) {
	s := openTemp(t)
	revs := historyRevisions(t)[:3]
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t0, Revisions: revs})
	for _, id := range []int64{revs[0].ID, 999_999_999} {
		if err := s.SaveRendering(ctx, testWiki, id, Rendering{HTML: "<p>x</p>", Fetched: t0}); err != nil {
			t.Fatal(err)
		}
	}
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: t0}) // the window empties
	res, err := s.Prune(ctx, PruneOptions{Now: t0, MaxBytes: 1})
	if err != nil || res.Revisions != 3 {
		t.Fatalf("prune: %+v %v", res, err)
	}
	if _, ok, _ := s.Rendering(ctx, testWiki, revs[0].ID); ok {
		t.Error("the rendering of a dropped revision is kept")
	}
	if _, ok, _ := s.Rendering(ctx, testWiki, 999_999_999); !ok {
		t.Error("a recent rendering of a revision not stored was dropped")
	}
	integrity(t, s)
}
