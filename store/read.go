package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// revisionColumns are the columns scanRevision reads, from revisions r,
// wikis w, sources s and the window row win; %s stands for the body and text
// columns (or NULLs when the content is not wanted).
const revisionColumns = `r.id, w.key, s.name, r.page, r.rev_id, r.parent_id, r.page_id, r.entry_id, r.url, r.user, r.time,
	r.comment, r.section, r.flags, r.kind, %s, r.changes_url, r.size, r.size_change, r.base_url,
	coalesce(win.in_window, 0), r.first_seen, r.last_seen, r.read_at, r.reviewed_at`

// columns returns revisionColumns with or without the content.
func columns(content bool) string {
	if content {
		return fmt.Sprintf(revisionColumns, "r.body, r.text")
	}
	return fmt.Sprintf(revisionColumns, "NULL, NULL")
}

// scanRevision reads one row of revisionColumns.
func (s *Store) scanRevision(rows *sql.Rows) (Revision, error) {
	var r Revision
	var wiki sql.NullString
	var t, first, last, read, reviewed sql.NullInt64
	var fl int
	var body, text []byte
	err := rows.Scan(&r.Key, &wiki, &r.Source, &r.Page, &r.ID, &r.ParentID, &r.PageID, &r.EntryID, &r.URL, &r.User, &t,
		&r.Comment, &r.Section, &fl, &r.Kind, &body, &text, &r.ChangesURL, &r.Size, &r.SizeChange, &r.BaseURL,
		&r.InWindow, &first, &last, &read, &reviewed)
	if err != nil {
		return r, err
	}
	r.Wiki = wiki.String
	r.Time, r.FirstSeen, r.LastSeen = fromMicros(t), fromMicros(first), fromMicros(last)
	r.Read, r.Reviewed = fromMicros(read), fromMicros(reviewed)
	r.Log, r.NewPage = fl&flagLog != 0, fl&flagNewPage != 0
	r.NoDifference, r.HasSizeChange = fl&flagNoDifference != 0, fl&flagHasSizeChange != 0
	if r.Body, err = unpack(body); err == nil {
		r.Text, err = unpack(text)
	}
	if err != nil {
		return r, &CorruptError{Path: s.path, Detail: fmt.Sprintf("revision %d of %q: %v", r.ID, r.Page, err)}
	}
	return r, nil
}

// collect reads every row of a revision query.
func (s *Store) collect(what string, rows *sql.Rows, err error) ([]Revision, error) {
	if err != nil {
		return nil, s.wrap(what, err)
	}
	defer rows.Close() //nolint:errcheck // Next closes the rows at their end and Err reports that close
	var out []Revision
	for rows.Next() {
		r, err := s.scanRevision(rows)
		if err != nil {
			return nil, s.wrap(what, err)
		}
		out = append(out, r)
	}
	return out, s.wrap(what, rows.Err())
}

// jsonList encodes values for json_each, which binds a whole list as one
// parameter.
func jsonList[T any](v []T) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// limit bounds a requested number of rows.
func limit(n int) int {
	if n <= 0 || n > MaxRows {
		return MaxRows
	}
	return n
}

// List returns stored revisions, newest first: those the query's sources
// ever carried (in or out of their windows), or all of them.
func (s *Store) List(ctx context.Context, q Query) ([]Revision, error) {
	var sb strings.Builder
	var args []any
	sb.WriteString("SELECT " + columns(q.Content) + " FROM revisions r LEFT JOIN wikis w ON w.id = r.wiki_id ")
	if len(q.Sources) > 0 {
		// A revision two of the sources carry is listed once, under the
		// first source, in window if either has it in its window.
		sb.WriteString(`JOIN (SELECT revision, max(in_window) AS in_window, min(source_id) AS source_id FROM windows
			WHERE source_id IN (SELECT id FROM sources WHERE name IN (SELECT value FROM json_each(?))) GROUP BY revision) win
			ON win.revision = r.id JOIN sources s ON s.id = win.source_id `)
		args = append(args, jsonList(q.Sources))
	} else {
		sb.WriteString(`JOIN sources s ON s.id = r.source_id LEFT JOIN windows win ON win.source_id = r.source_id AND win.revision = r.id `)
	}
	sb.WriteString("WHERE 1 ")
	if !q.Since.IsZero() {
		sb.WriteString("AND r.time >= ? ")
		args = append(args, q.Since.UnixMicro())
	}
	if q.Unread {
		sb.WriteString("AND r.read_at IS NULL ")
	}
	if q.Departed {
		sb.WriteString("AND coalesce(win.in_window, 0) = 0 ")
	}
	sb.WriteString("ORDER BY r.time DESC, r.id DESC LIMIT ?")
	args = append(args, limit(q.Limit))
	rows, err := s.db.QueryContext(ctx, sb.String(), args...)
	return s.collect("list", rows, err)
}

// Revisions returns the stored revisions with the given keys, with their
// content, in the order of keys; unknown keys are skipped.
func (s *Store) Revisions(ctx context.Context, keys []int64) ([]Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns(true)+` FROM json_each(?) k JOIN revisions r ON r.id = k.value
		LEFT JOIN wikis w ON w.id = r.wiki_id JOIN sources s ON s.id = r.source_id
		LEFT JOIN windows win ON win.source_id = r.source_id AND win.revision = r.id ORDER BY k.key`, jsonList(keys))
	return s.collect("read revisions", rows, err)
}

// Mark is a mark the user can put on a revision.
type Mark int

// The marks.
const (
	// Read means the user has opened the revision.
	Read Mark = iota
	// Reviewed means the user has checked the edit; it implies Read.
	Reviewed
)

// Marks are a revision's marks; a zero time means unmarked.
type Marks struct {
	Read, Reviewed time.Time
}

// SetMark marks the revisions with the given keys at time at (zero: now).
// Marking reviewed also marks read; a mark already set keeps its time.
func (s *Store) SetMark(ctx context.Context, keys []int64, m Mark, at time.Time) error {
	if at.IsZero() {
		at = time.Now()
	}
	q := `UPDATE revisions SET read_at = coalesce(read_at, ?1) WHERE id IN (SELECT value FROM json_each(?2)) AND read_at IS NULL`
	if m == Reviewed {
		q = `UPDATE revisions SET read_at = coalesce(read_at, ?1), reviewed_at = coalesce(reviewed_at, ?1)
			WHERE id IN (SELECT value FROM json_each(?2)) AND reviewed_at IS NULL`
	}
	return s.tx(ctx, "mark", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, at.UnixMicro(), jsonList(keys))
		return err
	})
}

// ClearMark removes a mark. Clearing Read also clears Reviewed (a revision
// cannot be reviewed but unread); clearing Reviewed leaves it read.
func (s *Store) ClearMark(ctx context.Context, keys []int64, m Mark) error {
	q := `UPDATE revisions SET read_at = NULL, reviewed_at = NULL WHERE id IN (SELECT value FROM json_each(?))`
	if m == Reviewed {
		q = `UPDATE revisions SET reviewed_at = NULL WHERE id IN (SELECT value FROM json_each(?))`
	}
	return s.tx(ctx, "unmark", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, q, jsonList(keys))
		return err
	})
}

// Marks returns the marks of the revisions with the given keys; a key with
// no marks, or unknown, is absent from the map.
func (s *Store) Marks(ctx context.Context, keys []int64) (map[int64]Marks, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, read_at, reviewed_at FROM revisions
		WHERE id IN (SELECT value FROM json_each(?)) AND read_at IS NOT NULL`, jsonList(keys))
	if err != nil {
		return nil, s.wrap("read marks", err)
	}
	defer rows.Close() //nolint:errcheck // Next closes the rows at their end and Err reports that close
	out := map[int64]Marks{}
	for rows.Next() {
		var id int64
		var read, reviewed sql.NullInt64
		if err := rows.Scan(&id, &read, &reviewed); err != nil {
			return nil, s.wrap("read marks", err)
		}
		out[id] = Marks{Read: fromMicros(read), Reviewed: fromMicros(reviewed)}
	}
	return out, s.wrap("read marks", rows.Err())
}

// UnreadBySource counts, for each source, the unread revisions it ever
// carried; sources with none are absent.
func (s *Store) UnreadBySource(ctx context.Context) (map[string]int, error) {
	return s.counts(ctx, "count unread", `SELECT s.name, count(*) FROM windows win JOIN sources s ON s.id = win.source_id
		JOIN revisions r ON r.id = win.revision WHERE r.read_at IS NULL GROUP BY s.id`)
}

// UnreadByPage counts the unread revisions of each page title that the
// given sources (all, if none) ever carried; pages with none are absent.
func (s *Store) UnreadByPage(ctx context.Context, sources []string) (map[string]int, error) {
	if len(sources) == 0 {
		return s.counts(ctx, "count unread", `SELECT page, count(*) FROM revisions WHERE read_at IS NULL GROUP BY page`)
	}
	return s.counts(ctx, "count unread", `SELECT r.page, count(*) FROM revisions r WHERE r.read_at IS NULL AND r.id IN
		(SELECT revision FROM windows WHERE source_id IN (SELECT id FROM sources WHERE name IN (SELECT value FROM json_each(?))))
		GROUP BY r.page`, jsonList(sources))
}

// counts reads (name, count) rows into a map.
func (s *Store) counts(ctx context.Context, what, q string, args ...any) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, s.wrap(what, err)
	}
	defer rows.Close() //nolint:errcheck // Next closes the rows at their end and Err reports that close
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, s.wrap(what, err)
		}
		out[k] = n
	}
	return out, s.wrap(what, rows.Err())
}

// Find returns revision id of wiki with its content, its Text filled from
// a text saved with SaveText when the feed carried none. When only such a
// text is stored, the revision has just ID, Wiki, Kind KindWikitext, Text
// and Size. It returns nil, and no error, when the store has neither.
func (s *Store) Find(ctx context.Context, wiki string, id int64) (*Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns(true)+` FROM revisions r JOIN wikis w ON w.id = r.wiki_id
		JOIN sources s ON s.id = r.source_id LEFT JOIN windows win ON win.source_id = r.source_id AND win.revision = r.id
		WHERE w.key = ? AND r.rev_id = ? AND r.flags & ? = 0 LIMIT 1`, wiki, id, flagLog)
	list, err := s.collect("find revision", rows, err)
	if err != nil {
		return nil, err
	}
	var r *Revision
	if len(list) > 0 {
		r = &list[0]
		if r.Text != "" {
			return r, nil
		}
	}
	text, ok, err := s.Text(ctx, wiki, id)
	if err != nil || !ok {
		return r, err
	}
	if r == nil {
		return &Revision{Wiki: wiki, ID: id, Kind: KindWikitext, Text: text, Size: len(text)}, nil
	}
	r.Text = text
	return r, nil
}
