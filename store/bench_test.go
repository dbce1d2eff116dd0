package store

import (
	"path/filepath"
	"testing"
)

// benchRevisions is the size of the benchmark loads.
const benchRevisions = 10_000

// reportSize reports the file's size over the bodies and texts it holds
// (the bound is 1.5), after a checkpoint so the log is counted in.
func reportSize(b *testing.B, s *Store) {
	if _, err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.FileBytes)/float64(st.ContentBytes), "file/content")
	b.ReportMetric(float64(st.FileBytes)/(1<<20), "file-MiB")
	b.ReportMetric(float64(st.ContentBytes)/(1<<20), "content-MiB")
}

// BenchmarkSaveLoad measures storing a 10,000-revision load: into a new
// database ("new"), and the same load again ("again"), as a reload of an
// unchanged feed does.
func BenchmarkSaveLoad(b *testing.B) {
	revs := manyRevisions(b, benchRevisions)
	b.Run("new", func(b *testing.B) {
		var s *Store
		for b.Loop() {
			b.StopTimer()
			if s != nil {
				s.Close()
			}
			var err error
			if s, err = Open(ctx, filepath.Join(b.TempDir(), "wikifeed.db")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			mustSave(b, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
		}
		reportSize(b, s)
		s.Close()
	})
	b.Run("again", func(b *testing.B) {
		s := openTemp(b)
		mustSave(b, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
		for b.Loop() {
			mustSave(b, s, Load{Source: src, Kind: SourceURL, Revisions: revs})
		}
	})
}

// stored10k returns a store holding the 10,000 benchmark revisions.
func stored10k(b *testing.B) *Store {
	s := openTemp(b)
	mustSave(b, s, Load{Source: src, Kind: SourceURL, Revisions: manyRevisions(b, benchRevisions)})
	return s
}

// BenchmarkList measures listing 10,000 stored revisions of a source,
// newest first, without and with their bodies and texts.
func BenchmarkList(b *testing.B) {
	s := stored10k(b)
	for _, content := range []bool{false, true} {
		name := "metadata"
		if content {
			name = "content"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				list, err := s.List(ctx, Query{Sources: []string{src}, Content: content})
				if err != nil || len(list) != benchRevisions {
					b.Fatal(len(list), err)
				}
			}
		})
	}
}

// BenchmarkSearch measures ranked searches over 10,000 stored revisions
// (the target is 50 ms), from a word every revision has to a phrase.
func BenchmarkSearch(b *testing.B) {
	s := stored10k(b)
	for _, q := range []struct{ name, query string }{
		{"common-word", "Hallo"},
		{"two-words", "Substantiv AND Plural"},
		{"phrase", `"Sei mutig"`},
		{"prefix", "Wiktionar*"},
		{"user", "user:Wikinator"},
		{"rare", "zebrafinch"},
	} {
		b.Run(q.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				hits, err := s.Search(ctx, q.query, nil, 50)
				if err != nil {
					b.Fatal(err)
				}
				n = len(hits)
			}
			b.ReportMetric(float64(n), "hits")
		})
	}
	b.Run("common-word-in-source", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Search(ctx, "Hallo", []string{src}, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
}
