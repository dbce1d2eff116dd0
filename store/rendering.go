package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Rendering is a wiki's own rendering of a revision (the HTML of
// MediaWiki's action=parse), as SaveRendering kept it.
type Rendering struct {
	// HTML is the wiki's HTML of the revision.
	HTML string
	// Fetched is when the wiki rendered it: the revision's text is fixed,
	// but the templates it uses may have changed since.
	Fetched time.Time
}

// SaveRendering keeps the wiki's rendering of revision id of wiki (a
// WikiKey), replacing any older one. An HTML longer than MaxBlob is
// refused, as it could never be read back.
func (s *Store) SaveRendering(ctx context.Context, wiki string, id int64, r Rendering) error {
	switch {
	case wiki == "" || id <= 0:
		return fmt.Errorf("store: save rendering: need a wiki and a revision ID (got %q, %d)", wiki, id)
	case len(r.HTML) > MaxBlob:
		return fmt.Errorf("store: save rendering of revision %d: %d bytes, more than %d", id, len(r.HTML), MaxBlob)
	}
	fetched := r.Fetched
	if fetched.IsZero() {
		fetched = time.Now()
	}
	return s.tx(ctx, "save rendering", func(tx *sql.Tx) error {
		w, err := wikiID(ctx, tx, wiki)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO renderings(wiki_id, rev_id, html, html_bytes, fetched) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET html = excluded.html, html_bytes = excluded.html_bytes, fetched = excluded.fetched`,
			w, id, packBytes([]byte(r.HTML)), len(r.HTML), fetched.UnixMicro())
		return err
	})
}

// Rendering returns the kept rendering of revision id of wiki; ok is
// false when there is none.
func (s *Store) Rendering(ctx context.Context, wiki string, id int64) (r Rendering, ok bool, err error) {
	var b []byte
	var fetched sql.NullInt64
	err = s.db.QueryRowContext(ctx, `SELECT r.html, r.fetched FROM renderings r JOIN wikis w ON w.id = r.wiki_id
		WHERE w.key = ? AND r.rev_id = ?`, wiki, id).Scan(&b, &fetched)
	if errors.Is(err, sql.ErrNoRows) {
		return Rendering{}, false, nil
	}
	if err != nil {
		return Rendering{}, false, s.wrap("read rendering", err)
	}
	html, err := unpack(b)
	if err != nil {
		return Rendering{}, false, &CorruptError{Path: s.path, Detail: fmt.Sprintf("rendering of revision %d: %v", id, err)}
	}
	return Rendering{HTML: html, Fetched: fromMicros(fetched)}, true, nil
}
