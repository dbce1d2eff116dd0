package store

import (
	"crypto/sha256"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "write the schema fixtures in testdata again (run one test with it: -run TestMigrateFromV3)")

// v1Fixture is a database of schema version 1, as the first wikifeed with a
// store wrote it: made by makeV1 with -update, then committed, so that a
// change to the first migration cannot quietly change the fixture too.
const v1Fixture = "testdata/schema-v1.db"

// makeV1 writes a version-1 database with ten revisions (one of them without
// its text, whose text was saved from the API), a source window that has
// moved on, and a cached response.
func makeV1(t *testing.T, path string) {
	s, err := open(ctx, path, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	revs := historyRevisions(t)[:10]
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO wikis(id, key) VALUES (1, ?)`, testWiki)
	exec(`INSERT INTO sources(id, name, kind, first_load, last_load) VALUES (1, ?, 'url', 1764576000000000, 1764579600000000)`, src)
	for i, r := range revs {
		text := pack(r.Text)
		if i == 9 {
			text = nil
			exec(`INSERT INTO texts(wiki_id, rev_id, text, text_bytes, fetched) VALUES (1, ?, ?, ?, 1764579600000000)`,
				r.ID, pack("zebrafinch "+r.Text), len(r.Text)+11)
		}
		exec(`INSERT INTO revisions(id, ident, wiki_id, source_id, page, rev_id, parent_id, page_id, entry_id, url, user, time,
			comment, section, flags, kind, body, text, changes_url, size, size_change, base_url, sum, text_bytes, first_seen, last_seen)
			VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, '', ?, 0, ?, ?, ?, 1764576000000000, ?)`,
			i+1, identity(&r, src), r.Page, r.ID, r.ParentID, r.PageID, r.EntryID, r.URL, r.User, r.Time.UnixMicro(),
			r.Comment, flags(&r), r.Kind, pack(r.Body), text, r.Size, r.BaseURL, contentSum(&r), len(r.Body)+len(r.Text),
			1764576000000000+int64(min(i, 5))*3600_000000)
		exec(`INSERT INTO windows(source_id, revision, last_seen, in_window) VALUES (1, ?, ?, ?)`,
			i+1, 1764576000000000+int64(min(i, 5))*3600_000000, i >= 5)
	}
	sum := sha256.Sum256([]byte("<feed/>"))
	exec(`INSERT INTO http_cache(url, etag, last_modified, body, sum, fetched) VALUES (?, '"v1"', '', ?, ?, 1764579600000000)`,
		src, pack("<feed/>"), sum[:])
}

func TestMigrateFromV1(t *testing.T) {
	if *update {
		os.Remove(v1Fixture)
		makeV1(t, v1Fixture)
	}
	b, err := os.ReadFile(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != schemaVersion {
		t.Fatalf("user_version %d after migrating, want %d", v, schemaVersion)
	}
	integrity(t, s)
	revs := historyRevisions(t)[:10]
	list, err := s.List(ctx, Query{Sources: []string{src}, Content: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 10 {
		t.Fatalf("%d revisions after migrating, want 10", len(list))
	}
	inWindow := 0
	for _, r := range list {
		if r.InWindow {
			inWindow++
		}
		if !r.Read.IsZero() {
			t.Errorf("revision %d is read after migrating", r.ID)
		}
	}
	if inWindow != 5 {
		t.Errorf("%d in window, want 5", inWindow)
	}
	// The new index covers what was stored, the saved API text included.
	if h, err := s.Search(ctx, "zebrafinch", nil, 0); err != nil || len(h) != 1 || h[0].ID != revs[9].ID {
		t.Errorf("search for the saved text: %v %v", h, err)
	}
	if h, err := s.Search(ctx, "Spielwiese", nil, 0); err != nil || len(h) < 2 {
		t.Errorf("search: %d hits, %v", len(h), err)
	}
	// Loading the same revisions again updates the old rows.
	keys := mustSave(t, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
	if keys[0] != 1 || keys[9] != 10 {
		t.Errorf("keys after reload %v, want the old rows 1..10", keys)
	}
	if c, err := s.Cached(ctx, src); err != nil || c == nil || c.ETag != `"v1"` {
		t.Errorf("cached: %v %v", c, err)
	}
	if err := s.SetMark(ctx, keys[:1], Reviewed, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// v3Fixture is a database of schema version 3, the last before renderings:
// made by makeV3 with -update (go test ./store -run TestMigrateFromV3
// -update), then committed.
const v3Fixture = "testdata/schema-v3.db"

// makeV3 writes a version-3 database with twenty revisions, a text saved
// from the API, a read mark and a cached response with its Content-Type.
func makeV3(t *testing.T, path string) {
	s, err := open(ctx, path, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	revs := historyRevisions(t)[:20]
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	resp := &Response{URL: src, ETag: `"v3"`, ContentType: "application/atom+xml; charset=utf-8", Body: []byte("<feed/>")}
	keys := mustSave(t, s, Load{Source: src, Kind: SourceURL, Time: at, Revisions: revs, Response: resp})
	if err := s.SaveText(ctx, testWiki, 424242, "zebrafinch"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMark(ctx, keys[:3], Read, at); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateFromV3 opens a version-3 file: it becomes version 4 with an
// empty renderings table, keeps everything it held, and keeps renderings.
func TestMigrateFromV3(t *testing.T) {
	if *update {
		os.Remove(v3Fixture)
		makeV3(t, v3Fixture)
	}
	b, err := os.ReadFile(v3Fixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var before int
	if s3, err := open(ctx, path, 3); err != nil {
		t.Fatal(err)
	} else {
		s3.db.QueryRow(`PRAGMA user_version`).Scan(&before)
		s3.Close()
	}
	if before != 3 {
		t.Fatalf("the fixture is version %d, want 3", before)
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var v, n int
	s.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != schemaVersion || v != 4 {
		t.Fatalf("user_version %d after migrating, want %d (and 4)", v, schemaVersion)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM renderings`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("renderings after migrating: %d, %v", n, err)
	}
	integrity(t, s)
	list, err := s.List(ctx, Query{Sources: []string{src}, Content: true})
	if err != nil || len(list) != 20 {
		t.Fatalf("%d revisions after migrating, want 20 (%v)", len(list), err)
	}
	read := 0
	for _, r := range list {
		if !r.Read.IsZero() {
			read++
		}
	}
	if read != 3 {
		t.Errorf("%d read after migrating, want 3", read)
	}
	if text, ok, err := s.Text(ctx, testWiki, 424242); !ok || err != nil || text != "zebrafinch" {
		t.Errorf("saved text: %q %v %v", text, ok, err)
	}
	if c, err := s.Cached(ctx, src); err != nil || c == nil || c.ETag != `"v3"` || c.ContentType != "application/atom+xml; charset=utf-8" {
		t.Errorf("cached: %+v %v", c, err)
	}
	at := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	if err := s.SaveRendering(ctx, testWiki, list[0].ID, Rendering{HTML: "<p>Hallo</p>", Fetched: at}); err != nil {
		t.Fatal(err)
	}
	if r, ok, err := s.Rendering(ctx, testWiki, list[0].ID); !ok || err != nil || r.HTML != "<p>Hallo</p>" || !r.Fetched.Equal(at) {
		t.Errorf("rendering after migrating: %+v %v %v", r, ok, err)
	}
}
