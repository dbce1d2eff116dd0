package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wikifeed/wikifeed/internal/parallel"
)

// Revision flags, as stored in revisions.flags.
const (
	flagLog = 1 << iota
	flagNewPage
	flagNoDifference
	flagHasSizeChange
)

// identity is the digest that makes a revision's row unique. A revision with
// an ID is one per wiki, whichever feed carried it; without a wiki key the ID
// is only trusted within its source. A log entry has no revision ID, and
// MediaWiki gives every log entry of a kind one entry ID (Special:Log/move),
// so an entry without an ID is known by its source, entry ID and time and
// also by its page, user and comment: two moves logged in one second are two
// rows, while the same entry loaded again, perhaps with its body rendered
// anew, is one. (feed's dedupe compares the same fields, plus the body.)
func identity(r *Revision, source string) []byte {
	h := sha256.New()
	put := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	scope := "wiki:" + r.Wiki
	if r.Wiki == "" {
		scope = "source:" + source
	}
	if r.ID > 0 && !r.Log {
		put("rev", scope, strconv.FormatInt(r.ID, 10))
	} else {
		t := ""
		if !r.Time.IsZero() {
			t = strconv.FormatInt(r.Time.UnixMicro(), 10)
		}
		put("entry", "source:"+source, r.EntryID, t, r.Page, r.User, r.Comment)
	}
	return h.Sum(nil)[:16]
}

// contentSum is a digest of everything stored about a revision but its
// identity, so that a reload that changes nothing writes nothing.
func contentSum(r *Revision) []byte {
	h := sha256.New()
	var n [8]byte
	num := func(v int64) {
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	for _, s := range []string{r.Wiki, r.Page, r.EntryID, r.URL, r.User, r.Comment, r.Section, r.Kind, r.Body, r.Text, r.ChangesURL, r.BaseURL} {
		num(int64(len(s)))
		h.Write([]byte(s))
	}
	for _, v := range []int64{r.ID, r.ParentID, r.PageID, r.Time.UnixMicro(), int64(flags(r)), int64(r.Size), int64(r.SizeChange)} {
		num(v)
	}
	return h.Sum(nil)[:16]
}

func flags(r *Revision) int {
	f := 0
	if r.Log {
		f |= flagLog
	}
	if r.NewPage {
		f |= flagNewPage
	}
	if r.NoDifference {
		f |= flagNoDifference
	}
	if r.HasSizeChange {
		f |= flagHasSizeChange
	}
	return f
}

// indexText is what the full-text index holds as a revision's text: its
// wikitext, else a text fetched for it from the API, else its body's HTML
// with the tags removed (a diff table's words, say).
func indexText(body, text, saved string) string {
	switch {
	case text != "":
		return text
	case saved != "":
		return saved
	}
	return stripTags(body)
}

// stripTags drops HTML tags and decodes entities; good enough for an index.
func stripTags(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) / 2)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break
		}
		b.WriteByte(' ')
		s = s[i+j+1:]
	}
	return html.UnescapeString(b.String())
}

// SaveLoad stores one load of a source in one transaction: the source, each
// revision (inserted, or updated when seen before; never duplicated), which
// of the source's revisions are in its window now and which have left it,
// and the HTTP response with its validators. It returns each revision's Key,
// in order. If it fails nothing of the load is stored.
func (s *Store) SaveLoad(ctx context.Context, l Load) ([]int64, error) {
	if l.Source == "" {
		return nil, errors.New("store: save load: no source")
	}
	now := l.Time
	if now.IsZero() {
		now = time.Now()
	}
	// Digests are worked out before the write lock is taken.
	items := make([]item, len(l.Revisions))
	parallel.For(len(items), len(items)/64+1, func(i int) {
		r := l.Revisions[i]
		if r.Wiki == "" {
			r.Wiki = l.Wiki
		}
		items[i] = item{rev: r, ident: identity(&r, l.Source), sum: contentSum(&r)}
	})
	keys := make([]int64, len(items))
	err := s.tx(ctx, "save "+l.Source, func(tx *sql.Tx) error {
		var source int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO sources(name, kind, first_load, last_load) VALUES (?, ?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, last_load = excluded.last_load RETURNING id`,
			l.Source, string(l.Kind), now.UnixMicro(), now.UnixMicro()).Scan(&source); err != nil {
			return err
		}
		if err := saveRevisions(ctx, tx, items, source, now); err != nil {
			return err
		}
		for i := range items {
			keys[i] = items[i].id
		}
		// The window: the load's revisions are in it, the source's others
		// have left it.
		ids := jsonList(keys)
		if _, err := tx.ExecContext(ctx, `UPDATE windows SET in_window = 0 WHERE source_id = ? AND in_window = 1
			AND revision NOT IN (SELECT value FROM json_each(?))`, source, ids); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO windows(source_id, revision, last_seen, in_window)
			SELECT ?, value, ?, 1 FROM json_each(?) WHERE true
			ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, in_window = 1`, source, now.UnixMicro(), ids); err != nil {
			return err
		}
		// Only the rows that change: the ones just inserted have these
		// values, and an UPDATE writes a row again whole, blobs and all.
		if _, err := tx.ExecContext(ctx, `UPDATE revisions SET source_id = ?1, last_seen = ?2
			WHERE id IN (SELECT value FROM json_each(?3)) AND (source_id IS NOT ?1 OR last_seen IS NOT ?2)`,
			source, now.UnixMicro(), ids); err != nil {
			return err
		}
		if l.Response != nil {
			return saveResponse(ctx, tx, l.Response, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// item is one revision of a load on its way into the database.
type item struct {
	rev        Revision
	ident, sum []byte
	// body and text are packed for the insert or update.
	body, text []byte
	// id is the row; old says it existed with another content.
	id  int64
	old bool
	// wiki is the wiki's row ID (or nil) and indexText the stored text,
	// for the index entry written after the rows.
	wiki      any
	indexText string
}

// ahead runs fn(0) … fn(n-1) on a worker per core, in order of i, and
// returns a wait(i) that returns once fn(i) has run (or ctx is done, when
// the workers stop too). The caller must wait for every i it uses.
func ahead(ctx context.Context, n int, fn func(i int)) (wait func(i int) error) {
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), n/64+1) {
		go func() {
			for i := int(next.Add(1) - 1); i < n && ctx.Err() == nil; i = int(next.Add(1) - 1) {
				fn(i)
				close(done[i])
			}
		}()
	}
	return func(i int) error {
		select {
		case <-done[i]:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// saveRevisions finds which of the items are stored, inserts the new ones,
// updates the changed ones, indexes both, and sets every item's id. Items
// stored unchanged cost one lookup, made for all of them at once.
func saveRevisions(ctx context.Context, tx *sql.Tx, items []item, source int64, now time.Time) error {
	idents := make([]string, len(items))
	for i := range items {
		idents[i] = hex.EncodeToString(items[i].ident)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, ident, sum FROM revisions WHERE ident IN (SELECT unhex(value) FROM json_each(?))`, jsonList(idents))
	if err != nil {
		return err
	}
	type stored struct {
		id  int64
		sum string
	}
	known := map[string]stored{}
	for rows.Next() {
		var id int64
		var ident, sum []byte
		if err := rows.Scan(&id, &ident, &sum); err != nil {
			_ = rows.Close() // the scan's error is the one to report
			return err
		}
		known[string(ident)] = stored{id, string(sum)}
	}
	_ = rows.Close() // Next closed the rows at their end; Err reports how
	if err := rows.Err(); err != nil {
		return err
	}
	// Which items need writing; a repeat within the load is written once,
	// as its last copy.
	var todo []int
	last := map[string]int{}
	for i := range items {
		last[string(items[i].ident)] = i
	}
	for i := range items {
		it := &items[i]
		k, ok := known[string(it.ident)]
		switch {
		case last[string(it.ident)] != i:
		case !ok:
			todo = append(todo, i)
		case k.sum != string(it.sum):
			it.id, it.old = k.id, true
			todo = append(todo, i)
		default:
			it.id = k.id
		}
	}
	// The texts are compressed ahead of the writes, in order, on the
	// other cores, while SQLite writes those already compressed.
	packed := ahead(ctx, len(todo), func(j int) {
		it := &items[todo[j]]
		it.body, it.text = pack(it.rev.Body), pack(it.rev.Text)
	})
	w, err := newWriter(ctx, tx)
	if err != nil {
		return err
	}
	defer w.close()
	for j, i := range todo {
		if err := packed(j); err != nil {
			return err
		}
		if err := w.write(ctx, &items[i], source, now); err != nil {
			return fmt.Errorf("revision %d of %q: %w", items[i].rev.ID, items[i].rev.Page, err)
		}
	}
	// The index entries go in after all the rows: FTS5 flushes what it
	// holds in memory to a new segment at every statement savepoint, which
	// each row insert opens, so interleaving them made one segment per row
	// and merging those took more time than everything else.
	for _, i := range todo {
		if err := w.reindex(ctx, &items[i]); err != nil {
			return fmt.Errorf("index revision %d of %q: %w", items[i].rev.ID, items[i].rev.Page, err)
		}
	}
	for i := range items {
		if items[i].id == 0 {
			items[i].id = items[last[string(items[i].ident)]].id
		}
	}
	return nil
}

// writer holds a load's prepared statements.
type writer struct {
	tx                                    *sql.Tx
	wikis                                 map[string]int64
	insert, update, unindex, index, saved *sql.Stmt
}

func newWriter(ctx context.Context, tx *sql.Tx) (*writer, error) {
	w := &writer{tx: tx, wikis: map[string]int64{}}
	for _, p := range []struct {
		st *(*sql.Stmt)
		q  string
	}{
		{&w.insert, `INSERT INTO revisions(ident, wiki_id, source_id, page, rev_id, parent_id, page_id, entry_id, url, user, time,
			comment, section, flags, kind, body, text, changes_url, size, size_change, base_url, sum, text_bytes, first_seen, last_seen)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`},
		// A reload without the text keeps the text it had.
		{&w.update, `UPDATE revisions SET wiki_id = ?, page = ?, rev_id = ?, parent_id = ?, page_id = ?, entry_id = ?,
			url = ?, user = ?, time = ?, comment = ?, section = ?, flags = ?, kind = ?, body = coalesce(?, body), text = coalesce(?, text),
			changes_url = ?, size = ?, size_change = ?, base_url = ?, sum = ? WHERE id = ? RETURNING body, text`},
		{&w.unindex, `DELETE FROM search WHERE rowid = ?`},
		{&w.index, `INSERT INTO search(rowid, page, comment, user, text) VALUES (?, ?, ?, ?, ?)`},
		{&w.saved, `SELECT text FROM texts WHERE wiki_id = ? AND rev_id = ?`},
	} {
		st, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			w.close()
			return nil, err
		}
		*p.st = st
	}
	return w, nil
}

func (w *writer) close() {
	for _, st := range []*sql.Stmt{w.insert, w.update, w.unindex, w.index, w.saved} {
		if st != nil {
			// Closing frees the statement; the transaction's own
			// result is what reports a failure.
			_ = st.Close()
		}
	}
}

// wiki returns the row ID of a wiki key, adding it if new; nil for "".
func (w *writer) wiki(ctx context.Context, key string) (any, error) {
	if key == "" {
		return nil, nil
	}
	if id, ok := w.wikis[key]; ok {
		return id, nil
	}
	id, err := wikiID(ctx, w.tx, key)
	if err != nil {
		return nil, err
	}
	w.wikis[key] = id
	return id, nil
}

func wikiID(ctx context.Context, tx *sql.Tx, key string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO wikis(key) VALUES (?) ON CONFLICT(key) DO UPDATE SET key = excluded.key RETURNING id`, key).Scan(&id)
	return id, err
}

// write inserts a new revision or updates a changed one, and indexes it.
func (w *writer) write(ctx context.Context, it *item, source int64, now time.Time) error {
	r := &it.rev
	wiki, err := w.wiki(ctx, r.Wiki)
	if err != nil {
		return err
	}
	if !it.old {
		err = w.insert.QueryRowContext(ctx, it.ident, wiki, source, r.Page, r.ID, r.ParentID, r.PageID, r.EntryID, r.URL, r.User,
			micros(r.Time), r.Comment, r.Section, flags(r), r.Kind, it.body, it.text, r.ChangesURL, r.Size, r.SizeChange, r.BaseURL,
			it.sum, len(r.Body)+len(r.Text), now.UnixMicro(), now.UnixMicro()).Scan(&it.id)
		if err != nil {
			return err
		}
		it.wiki, it.indexText = wiki, r.Text
		return nil
	}
	var body, text []byte
	err = w.update.QueryRowContext(ctx, wiki, r.Page, r.ID, r.ParentID, r.PageID, r.EntryID, r.URL, r.User,
		micros(r.Time), r.Comment, r.Section, flags(r), r.Kind, it.body, it.text, r.ChangesURL, r.Size,
		r.SizeChange, r.BaseURL, it.sum, it.id).Scan(&body, &text)
	if err != nil {
		return err
	}
	b, err1 := unpack(body)
	t, err2 := unpack(text)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	if _, err := w.tx.ExecContext(ctx, `UPDATE revisions SET text_bytes = ? WHERE id = ?`, len(b)+len(t), it.id); err != nil {
		return err
	}
	r.Body = b
	it.wiki, it.indexText = wiki, t
	return nil
}

// reindex writes a revision's full-text entry, replacing the old one.
func (w *writer) reindex(ctx context.Context, it *item) error {
	r, text, wiki, id := &it.rev, it.indexText, it.wiki, it.id
	var saved string
	if text == "" && r.ID > 0 && wiki != nil {
		var b []byte
		err := w.saved.QueryRowContext(ctx, wiki, r.ID).Scan(&b)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if saved, err = unpack(b); err != nil {
			saved = ""
		}
	}
	if it.old {
		if _, err := w.unindex.ExecContext(ctx, id); err != nil {
			return err
		}
	}
	_, err := w.index.ExecContext(ctx, id, r.Page, r.Comment, r.User, indexText(r.Body, text, saved))
	return err
}

// saveResponse stores a fetched body with its validators and checksum.
func saveResponse(ctx context.Context, tx *sql.Tx, r *Response, now time.Time) error {
	if r.URL == "" {
		return errors.New("response without a URL")
	}
	sum := sha256.Sum256(r.Body)
	_, err := tx.ExecContext(ctx, `INSERT INTO http_cache(url, etag, last_modified, body, sum, fetched, content_type, final_url)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, body = excluded.body,
		sum = excluded.sum, fetched = excluded.fetched, content_type = excluded.content_type, final_url = excluded.final_url`,
		r.URL, r.ETag, r.LastModified, packBytes(r.Body), sum[:], now.UnixMicro(), r.ContentType, r.FinalURL)
	return err
}

// packBytes packs a body that may be empty (an empty feed is still a body).
func packBytes(b []byte) []byte {
	if len(b) == 0 {
		return []byte{blobRaw}
	}
	return pack(string(b))
}

// SaveText stores a revision's wikitext fetched from the API, so that it is
// never fetched twice, and indexes it if the stored revision had no text.
func (s *Store) SaveText(ctx context.Context, wiki string, id int64, text string) error {
	if wiki == "" || id <= 0 {
		return fmt.Errorf("store: save text: need a wiki and a revision ID (got %q, %d)", wiki, id)
	}
	return s.tx(ctx, "save text", func(tx *sql.Tx) error {
		w, err := wikiID(ctx, tx, wiki)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO texts(wiki_id, rev_id, text, text_bytes, fetched) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET text = excluded.text, text_bytes = excluded.text_bytes, fetched = excluded.fetched`,
			w, id, packBytes([]byte(text)), len(text), time.Now().UnixMicro()); err != nil {
			return err
		}
		var row int64
		var page, comment, user string
		err = tx.QueryRowContext(ctx, `SELECT id, page, comment, user FROM revisions WHERE wiki_id = ? AND rev_id = ? AND text IS NULL`,
			w, id).Scan(&row, &page, &comment, &user)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, row); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO search(rowid, page, comment, user, text) VALUES (?, ?, ?, ?, ?)`, row, page, comment, user, text)
		return err
	})
}

// Text returns revision id's wikitext on wiki: one saved with SaveText, or
// one a feed carried. ok is false when the store has neither.
func (s *Store) Text(ctx context.Context, wiki string, id int64) (text string, ok bool, err error) {
	var b []byte
	err = s.db.QueryRowContext(ctx, `SELECT t.text FROM texts t JOIN wikis w ON w.id = t.wiki_id WHERE w.key = ? AND t.rev_id = ?
		UNION ALL SELECT r.text FROM revisions r JOIN wikis w ON w.id = r.wiki_id WHERE w.key = ? AND r.rev_id = ? AND r.text IS NOT NULL
		LIMIT 1`, wiki, id, wiki, id).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.wrap("read text", err)
	}
	if text, err = unpack(b); err != nil {
		return "", false, &CorruptError{Path: s.path, Detail: fmt.Sprintf("text of revision %d: %v", id, err)}
	}
	return text, true, nil
}

// Cached returns the body and validators last stored for url, or nil when
// there are none or the stored body does not match its checksum (the caller
// then fetches without validators, and the next SaveLoad replaces it).
func (s *Store) Cached(ctx context.Context, url string) (*Response, error) {
	var r Response
	var body, sum []byte
	var fetched sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified, body, sum, fetched, content_type, final_url FROM http_cache WHERE url = ?`, url).
		Scan(&r.ETag, &r.LastModified, &body, &sum, &fetched, &r.ContentType, &r.FinalURL)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, s.wrap("read cache", err)
	}
	b, err := unpack(body)
	if err != nil {
		return nil, nil
	}
	if got := sha256.Sum256([]byte(b)); string(got[:]) != string(sum) {
		return nil, nil
	}
	r.URL, r.Body, r.Fetched = url, []byte(b), fromMicros(fetched)
	return &r, nil
}
