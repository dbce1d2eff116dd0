package store

import (
	"context"
	"database/sql"
	"os"
	"time"
)

// Stats describes the database.
type Stats struct {
	// Path is the database file.
	Path string
	// FileBytes is the size of the file and its write-ahead log.
	FileBytes int64
	// Revisions counts stored revisions; Texts, texts saved from the API;
	// Renderings, the wikis' own renderings kept (SaveRendering).
	Revisions, Texts, Renderings int
	// ContentBytes is the size of the bodies, texts and renderings held
	// (revisions', the API's), before compression: what the file's size
	// compares with.
	ContentBytes int64
	// CacheBytes is what the raw HTTP bodies kept for revalidation take
	// (compressed).
	CacheBytes int64
	// Sources has one entry per source, in name order.
	Sources []SourceStats
}

// SourceStats counts one source's revisions.
type SourceStats struct {
	// Name is the URL or path.
	Name string
	// Kind says what it is.
	Kind SourceKind
	// Revisions counts every revision it ever carried; InWindow, those in
	// its last load; Unread, those not marked read.
	Revisions, InWindow, Unread int
	// LastLoad is when it was last loaded.
	LastLoad time.Time
}

// Stats returns the database's path, size and counts per source.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	st := Stats{Path: s.path, FileBytes: s.FileBytes()}
	var revBytes, textBytes, htmlBytes int64
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM revisions), (SELECT coalesce(sum(text_bytes), 0) FROM revisions),
		(SELECT count(*) FROM texts), (SELECT coalesce(sum(text_bytes), 0) FROM texts),
		(SELECT count(*) FROM renderings), (SELECT coalesce(sum(html_bytes), 0) FROM renderings),
		(SELECT coalesce(sum(length(body)), 0) FROM http_cache)`).Scan(&st.Revisions, &revBytes, &st.Texts, &textBytes,
		&st.Renderings, &htmlBytes, &st.CacheBytes)
	if err != nil {
		return st, s.wrap("stats", err)
	}
	st.ContentBytes = revBytes + textBytes + htmlBytes
	rows, err := s.db.QueryContext(ctx, `SELECT s.name, s.kind, s.last_load, count(win.revision), coalesce(sum(win.in_window), 0),
		coalesce(sum(r.read_at IS NULL), 0)
		FROM sources s LEFT JOIN windows win ON win.source_id = s.id LEFT JOIN revisions r ON r.id = win.revision
		GROUP BY s.id ORDER BY s.name`)
	if err != nil {
		return st, s.wrap("stats", err)
	}
	defer rows.Close() //nolint:errcheck // Next closes the rows at their end and Err reports that close
	for rows.Next() {
		var ss SourceStats
		var last sql.NullInt64
		if err := rows.Scan(&ss.Name, &ss.Kind, &last, &ss.Revisions, &ss.InWindow, &ss.Unread); err != nil {
			return st, s.wrap("stats", err)
		}
		ss.LastLoad = fromMicros(last)
		st.Sources = append(st.Sources, ss)
	}
	return st, s.wrap("stats", rows.Err())
}

// FileBytes is the size of the database's files (the write-ahead log
// included), in bytes.
func (s *Store) FileBytes() int64 {
	var n int64
	for _, p := range []string{s.path, s.path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

// PruneOptions are the bounds Prune keeps the store within.
type PruneOptions struct {
	// MaxAge drops revisions that no feed window has carried for longer;
	// 0 means DefaultPruneAge.
	MaxAge time.Duration
	// MaxBytes is the file size to bring the database under by dropping
	// the longest-unseen revisions first; 0 means DefaultPruneBytes.
	MaxBytes int64
	// Now is the time ages count from; zero means now.
	Now time.Time
}

// PruneResult says what Prune did.
type PruneResult struct {
	// Revisions, Texts and Renderings count what was dropped.
	Revisions, Texts, Renderings int
	// Before and After are the file's sizes, write-ahead log included.
	Before, After int64
	// Over is true when the file is still above MaxBytes because all that
	// is left is kept: revisions in a current feed window or reviewed.
	Over bool
}

// pruneBatch is how many revisions Prune drops at a time when bringing the
// file under its size bound (rows).
const pruneBatch = 2000

// prunable selects revisions Prune may drop, oldest-seen first: never one
// in any source's current window (the next load would bring it back), and
// never one the user marked reviewed (a review is a record worth keeping;
// read marks are not).
const prunable = `SELECT id FROM revisions r WHERE r.reviewed_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM windows win WHERE win.revision = r.id AND win.in_window = 1)`

// Prune drops revisions no feed window has carried for opts.MaxAge, then,
// while the file is larger than opts.MaxBytes, the longest-unseen others,
// and gives the space back to the file system. Revisions in a current window
// and reviewed ones are kept.
func (s *Store) Prune(ctx context.Context, opts PruneOptions) (PruneResult, error) {
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultPruneAge
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultPruneBytes
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	var res PruneResult
	st, err := s.Stats(ctx)
	if err != nil {
		return res, err
	}
	res.Before = st.FileBytes
	cutoff := opts.Now.Add(-opts.MaxAge).UnixMicro()
	n, err := s.drop(ctx, prunable+` AND r.last_seen < ?`, cutoff)
	if err != nil {
		return res, err
	}
	res.Revisions += n
	err = s.tx(ctx, "prune texts", func(tx *sql.Tx) error {
		// An API text is kept while a stored revision is it or its parent.
		r, err := tx.ExecContext(ctx, `DELETE FROM texts WHERE fetched < ? AND NOT EXISTS (SELECT 1 FROM revisions r
			WHERE r.wiki_id = texts.wiki_id AND (r.rev_id = texts.rev_id OR r.parent_id = texts.rev_id))`, cutoff)
		if err != nil {
			return err
		}
		t, _ := r.RowsAffected()
		res.Texts = int(t)
		// A rendering is the wiki's as of its fetch; an old one is stale
		// (templates change) and cheap to ask for again.
		if r, err = tx.ExecContext(ctx, `DELETE FROM renderings WHERE fetched < ?`, cutoff); err != nil {
			return err
		}
		t, _ = r.RowsAffected()
		res.Renderings = int(t)
		_, err = tx.ExecContext(ctx, `DELETE FROM http_cache WHERE fetched < ?`, cutoff)
		return err
	})
	if err != nil {
		return res, err
	}
	size, err := s.compact(ctx)
	if err != nil {
		return res, err
	}
	for size > opts.MaxBytes {
		n, err := s.drop(ctx, prunable+` ORDER BY r.last_seen, r.time LIMIT ?`, pruneBatch)
		if err != nil {
			return res, err
		}
		res.Revisions += n
		if size, err = s.compact(ctx); err != nil {
			return res, err
		}
		if n == 0 {
			res.Over = size > opts.MaxBytes
			break
		}
	}
	res.After = size
	return res, nil
}

// drop deletes the revisions a query selects, with their index entries and
// window rows, in one transaction.
func (s *Store) drop(ctx context.Context, sel string, args ...any) (int, error) {
	var n int64
	err := s.tx(ctx, "prune", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS doomed(id INTEGER PRIMARY KEY)`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM doomed`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO doomed `+sel, args...); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM search WHERE rowid IN (SELECT id FROM doomed)`,
			`DELETE FROM windows WHERE revision IN (SELECT id FROM doomed)`,
			// The wiki's rendering of a dropped revision goes with it.
			`DELETE FROM renderings WHERE EXISTS (SELECT 1 FROM revisions r JOIN doomed d ON d.id = r.id
				WHERE r.wiki_id = renderings.wiki_id AND r.rev_id = renderings.rev_id AND r.rev_id > 0)`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM revisions WHERE id IN (SELECT id FROM doomed)`)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return int(n), err
}

// compact merges the full-text index, returns free pages to the file system
// and checkpoints the log; it returns the file's size after.
func (s *Store) compact(ctx context.Context) (int64, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO search(search) VALUES ('optimize')`); err != nil {
		return 0, s.wrap("optimize index", err)
	}
	var mode int
	if err := s.db.QueryRowContext(ctx, `PRAGMA auto_vacuum`).Scan(&mode); err != nil {
		return 0, s.wrap("vacuum", err)
	}
	q := `PRAGMA incremental_vacuum`
	if mode != 2 {
		q = `VACUUM`
	}
	if _, err := s.db.ExecContext(ctx, q); err != nil {
		return 0, s.wrap("vacuum", err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, s.wrap("checkpoint", err)
	}
	var size int64
	if err := s.db.QueryRowContext(ctx, `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`).Scan(&size); err != nil {
		return 0, s.wrap("size", err)
	}
	return size, nil
}
