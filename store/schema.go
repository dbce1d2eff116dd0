package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] takes the schema from version i to version i+1; the file's
// PRAGMA user_version says how many have run. Never edit one that has
// shipped: add a new one (testdata/schema-v1.db is a file of version 1 that
// the tests migrate).
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	execAll(schemaV1...),
	migrateV2,
	execAll(schemaV3...),
	execAll(schemaV4...),
}

// schemaVersion is the version this wikifeed writes.
var schemaVersion = len(migrations)

// schemaV1 is the first schema: sources, wikis, revisions, feed windows,
// texts from the API and the HTTP cache.
var schemaV1 = []string{
	`CREATE TABLE wikis (
		id INTEGER PRIMARY KEY,
		key TEXT NOT NULL UNIQUE
	)`,
	`CREATE TABLE sources (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE, -- URL, path or "-"
		kind TEXT NOT NULL,
		first_load INTEGER NOT NULL,
		last_load INTEGER NOT NULL
	)`,
	// ident is a digest of the revision's identity (see identity), so a
	// revision seen again updates its row.
	`CREATE TABLE revisions (
		id INTEGER PRIMARY KEY,
		ident BLOB NOT NULL UNIQUE,
		wiki_id INTEGER REFERENCES wikis(id),
		source_id INTEGER NOT NULL REFERENCES sources(id), -- the last source it came from
		page TEXT NOT NULL,
		rev_id INTEGER NOT NULL,
		parent_id INTEGER NOT NULL,
		page_id INTEGER NOT NULL,
		entry_id TEXT NOT NULL,
		url TEXT NOT NULL,
		user TEXT NOT NULL,
		time INTEGER,
		comment TEXT NOT NULL,
		section TEXT NOT NULL,
		flags INTEGER NOT NULL,
		kind TEXT NOT NULL,
		body BLOB,
		text BLOB,
		changes_url TEXT NOT NULL,
		size INTEGER NOT NULL,
		size_change INTEGER NOT NULL,
		base_url TEXT NOT NULL,
		sum BLOB NOT NULL,        -- digest of the content, to skip rewriting it unchanged
		text_bytes INTEGER NOT NULL, -- len(body) + len(text) before compression
		first_seen INTEGER NOT NULL,
		last_seen INTEGER NOT NULL
	)`,
	`CREATE INDEX revisions_time ON revisions(time)`,
	`CREATE INDEX revisions_wiki_rev ON revisions(wiki_id, rev_id) WHERE rev_id > 0`,
	// windows says which sources carried a revision, when each last did,
	// and whether it is in that source's current window.
	`CREATE TABLE windows (
		source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
		revision INTEGER NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
		last_seen INTEGER NOT NULL,
		in_window INTEGER NOT NULL,
		PRIMARY KEY (source_id, revision)
	) WITHOUT ROWID`,
	`CREATE INDEX windows_revision ON windows(revision)`,
	`CREATE TABLE texts (
		wiki_id INTEGER NOT NULL REFERENCES wikis(id),
		rev_id INTEGER NOT NULL,
		text BLOB NOT NULL,
		text_bytes INTEGER NOT NULL,
		fetched INTEGER NOT NULL,
		PRIMARY KEY (wiki_id, rev_id)
	)`,
	`CREATE TABLE http_cache (
		url TEXT PRIMARY KEY,
		etag TEXT NOT NULL,
		last_modified TEXT NOT NULL,
		body BLOB NOT NULL,
		sum BLOB NOT NULL, -- SHA-256 of the body before compression
		fetched INTEGER NOT NULL
	)`,
}

// schemaV2 adds read and reviewed marks and the full-text index. The index
// is contentless (the text is stored once, compressed, in revisions) with
// contentless_delete so a changed revision can be indexed again.
var schemaV2 = []string{
	`ALTER TABLE revisions ADD COLUMN read_at INTEGER`,
	`ALTER TABLE revisions ADD COLUMN reviewed_at INTEGER`,
	`CREATE VIRTUAL TABLE search USING fts5(page, comment, user, text,
		content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
}

// schemaV3 keeps a response's Content-Type (its charset decides how the
// body is read) and the URL it was redirected to.
var schemaV3 = []string{
	`ALTER TABLE http_cache ADD COLUMN content_type TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE http_cache ADD COLUMN final_url TEXT NOT NULL DEFAULT ''`,
}

// schemaV4 keeps the wikis' own renderings of revisions (action=parse's
// HTML), so that each is fetched once. A revision's text never changes, but
// the templates it uses can: fetched says when the wiki rendered it so.
var schemaV4 = []string{
	`CREATE TABLE renderings (
		wiki_id INTEGER NOT NULL REFERENCES wikis(id),
		rev_id INTEGER NOT NULL,
		html BLOB NOT NULL,
		html_bytes INTEGER NOT NULL, -- len(html) before compression
		fetched INTEGER NOT NULL,
		PRIMARY KEY (wiki_id, rev_id)
	)`,
}

// migrateV2 creates schemaV2 and indexes every stored revision.
func migrateV2(ctx context.Context, tx *sql.Tx) error {
	if err := execAll(schemaV2...)(ctx, tx); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.page, r.comment, r.user, r.body, r.text, t.text
		FROM revisions r LEFT JOIN texts t ON t.wiki_id = r.wiki_id AND t.rev_id = r.rev_id AND r.rev_id > 0`)
	if err != nil {
		return err
	}
	type doc struct {
		id                  int64
		page, comment, user string
		text                string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		var body, text, saved []byte
		if err := rows.Scan(&d.id, &d.page, &d.comment, &d.user, &body, &text, &saved); err != nil {
			_ = rows.Close() // the scan's error is the one to report
			return err
		}
		b, err1 := unpack(body)
		t, err2 := unpack(text)
		st, err3 := unpack(saved)
		if err1 != nil || err2 != nil || err3 != nil {
			continue // an unreadable blob is not indexed; reading it reports the damage
		}
		d.text = indexText(b, t, st)
		docs = append(docs, d)
	}
	_ = rows.Close() // Next closed the rows at their end; Err reports how
	if err := rows.Err(); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO search(rowid, page, comment, user, text) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close() //nolint:errcheck // the statement is freed; the migration's Commit reports a failure
	for _, d := range docs {
		if _, err := ins.ExecContext(ctx, d.id, d.page, d.comment, d.user, d.text); err != nil {
			return err
		}
	}
	return nil
}

// execAll returns a migration that runs the statements in order.
func execAll(stmts ...string) func(context.Context, *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
}

// migrateTo sets a new file's persistent settings and brings the schema to
// version want, each migration in its own transaction with its version bump
// (the tests stop at 1 to make a first-version file).
func (s *Store) migrateTo(ctx context.Context, want int) error {
	var version int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return s.wrap("read schema version", err)
	}
	if version > schemaVersion {
		return fmt.Errorf("%s: written by a newer wikifeed (schema %d, this one knows %d); upgrade wikifeed, or move the file away and wikifeed will start a new one",
			s.path, version, schemaVersion)
	}
	if version == 0 {
		var tables int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&tables); err != nil {
			return s.wrap("read schema", err)
		}
		if tables > 0 {
			return &CorruptError{Path: s.path, Detail: "a SQLite database, but not one of wikifeed's"}
		}
		// auto_vacuum only takes on a database without tables, outside a
		// transaction; incremental lets Prune give space back cheaply.
		if _, err := s.db.ExecContext(ctx, `PRAGMA auto_vacuum = INCREMENTAL`); err != nil {
			return s.wrap("set auto_vacuum", err)
		}
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode = WAL`).Scan(&mode); err != nil {
		return s.wrap("set journal mode", err)
	}
	for v := version; v < want; v++ {
		err := s.tx(ctx, fmt.Sprintf("migrate schema to version %d", v+1), func(tx *sql.Tx) error {
			// Another process may have migrated while this one waited.
			var now int
			if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&now); err != nil {
				return err
			}
			if now > v {
				return nil
			}
			if err := migrations[v](ctx, tx); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
