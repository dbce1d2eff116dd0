// Package store is wikifeed's embedded database: one SQLite file that
// remembers every revision ever loaded, the HTTP validators and raw bodies of
// the feeds it came from, texts fetched from the API later, read and reviewed
// marks, and a full-text index over all of it.
//
// It uses modernc.org/sqlite, a pure-Go SQLite, so building wikifeed needs no C
// toolchain. The file is opened in WAL mode with a busy timeout, so two
// wikifeed processes can use one database at once; every load is one
// transaction, so a kill or a crash never leaves half a feed behind.
//
// store knows nothing of feed, render or wikiapi: it has its own Revision
// record, and the application core maps between the two.
//
//	s, err := store.Open(ctx, filepath.Join(dataDir, "wikifeed.db"))
//	if err != nil {
//		return err // one line naming the file and what to do
//	}
//	defer s.Close()
//	keys, err := s.SaveLoad(ctx, store.Load{Source: url, Kind: store.SourceURL, Revisions: revs})
//	unread, err := s.List(ctx, store.Query{Sources: []string{url}, Unread: true})
//	hits, err := s.Search(ctx, `"Hallo" user:Tim`, nil, 20)
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Tunables, with their units.
const (
	// BusyTimeout is how long a statement waits for another process's
	// write lock before giving up.
	BusyTimeout = 10 * time.Second
	// MaxBlob bounds one stored body or text once decompressed (bytes): a
	// damaged or hostile row can never make a read allocate more.
	MaxBlob = 64 << 20
	// MaxRows bounds a List or Search that asks for no limit (rows).
	MaxRows = 200_000
	// DefaultPruneAge is how long Prune keeps a revision that has left every
	// feed window, counted from when it was last seen.
	DefaultPruneAge = 90 * 24 * time.Hour
	// DefaultPruneBytes is the size Prune brings the file under (bytes).
	DefaultPruneBytes = 1 << 30
	// compressMin is the shortest body or text that is compressed (bytes);
	// below it deflate's framing costs more than it saves.
	compressMin = 128
)

// Store is an open database. Its methods are safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// ErrCorrupt is wrapped by the error Open and every other method return when
// the file is not a readable SQLite database.
var ErrCorrupt = errors.New("not a usable wikifeed database")

// CorruptError says that the database file cannot be used, and what to do.
type CorruptError struct {
	// Path is the database file.
	Path string
	// Detail is what SQLite or the header check said.
	Detail string
}

// Error is one line: the file, the problem and the remedy.
func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: %s (%s); move it away and wikifeed will start a new one", e.Path, ErrCorrupt, e.Detail)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens the database at path, creating it (and no directories) if it
// does not exist, and brings its schema up to date. A file that is not a
// SQLite database, is damaged or was written by a newer wikifeed gives an
// error naming the file; the file is left exactly as it was.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, schemaVersion)
}

// open opens path and migrates it to version (the tests make version 1
// files with it).
func open(ctx context.Context, path string, version int) (*Store, error) {
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", BusyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	// A few connections: readers run beside the one writer in WAL mode.
	db.SetMaxOpenConns(4)
	s := &Store{db: db, path: path}
	if err := s.migrateTo(ctx, version); err != nil {
		_ = db.Close() // the migration's error is the one to report
		return nil, err
	}
	return s, nil
}

// checkHeader reads the first 100 bytes of an existing file and refuses what
// is plainly not a SQLite database, or one shorter than its header says,
// before SQLite is let near it.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer f.Close() //nolint:errcheck // read only: closing it loses nothing
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return &CorruptError{Path: path, Detail: "not a regular file"}
	}
	if fi.Size() == 0 {
		return nil // SQLite treats an empty file as a new database
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return &CorruptError{Path: path, Detail: "shorter than a SQLite header"}
	}
	if !bytes.Equal(h[:16], sqliteMagic) {
		return &CorruptError{Path: path, Detail: "no SQLite header"}
	}
	pageSize := int64(h[16])<<8 | int64(h[17])
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return &CorruptError{Path: path, Detail: "bad page size in header"}
	}
	be32 := func(b []byte) int64 { return int64(b[0])<<24 | int64(b[1])<<16 | int64(b[2])<<8 | int64(b[3]) }
	// The page count at offset 28 is valid when the "version valid for"
	// number at 92 matches the change counter at 24.
	if pages := be32(h[28:32]); pages > 0 && be32(h[92:96]) == be32(h[24:28]) && pages*pageSize > fi.Size() {
		return &CorruptError{Path: path, Detail: fmt.Sprintf("truncated: %d bytes of %d", fi.Size(), pages*pageSize)}
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes the database; the last connection to close checkpoints the
// write-ahead log into the file.
func (s *Store) Close() error { return s.db.Close() }

// wrap turns SQLite's "not a database" and "malformed" errors into a
// CorruptError naming the file, and adds context to the others.
func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return &CorruptError{Path: s.path, Detail: se.Error()}
		case sqlite3.SQLITE_CANTOPEN:
			return fmt.Errorf("%s: cannot open the store (%v)", s.path, se)
		}
	}
	return fmt.Errorf("store %s: %w", what, err)
}

// tx runs fn in one write transaction (BEGIN IMMEDIATE, so two processes
// queue on the busy timeout instead of failing on a lock upgrade).
func (s *Store) tx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(what, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // fn's error is the one to report; the connection is released either way
		return s.wrap(what, err)
	}
	return s.wrap(what, tx.Commit())
}

// micros stores a time as Unix microseconds (nanoseconds would overflow for
// the odd feed dated in year 1 or 9999); the zero time is NULL.
func micros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros reads a time stored by micros, in UTC.
func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}
