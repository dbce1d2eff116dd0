package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DefaultSearchLimit is how many hits Search returns when asked for none.
const DefaultSearchLimit = 50

// QueryError is a search query SQLite's FTS5 could not parse.
type QueryError struct {
	// Query is the query as given.
	Query string
	// Detail is what FTS5 said, for example `syntax error near "("`.
	Detail string
}

// Error names the query and the problem.
func (e *QueryError) Error() string {
	return fmt.Sprintf("bad search query %q: %s (see FTS5 query syntax: words, \"phrases\", AND, OR, NOT, prefix*, column:word with page, comment, user or text)", e.Query, e.Detail)
}

// Search finds stored revisions matching query, an FTS5 query over the
// columns page, comment, user and text (for example `Hallo`, `"new section"`,
// `user:Tim AND NOT bot`, `page:Berl*`), best first by bm25 with a page-title
// hit weighing most. sources limits it to revisions those sources carried;
// limit ≤ 0 means DefaultSearchLimit. Revisions come without Body and Text.
func (s *Store) Search(ctx context.Context, query string, sources []string, limit int) ([]Revision, error) {
	if strings.TrimSpace(query) == "" {
		return nil, &QueryError{Query: query, Detail: "empty query"}
	}
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	limit = min(limit, MaxRows)
	filter, args := "", []any{query}
	if len(sources) > 0 {
		// Filtered after the match: a rowid constraint inside the FTS5
		// query would run the match once per rowid.
		filter = `WHERE EXISTS (SELECT 1 FROM windows fw WHERE fw.revision = m.id AND fw.source_id IN
			(SELECT id FROM sources WHERE name IN (SELECT value FROM json_each(?))))`
		args = append(args, jsonList(sources))
	}
	args = append(args, limit)
	// The match is made once, ranked with these weights of page, comment,
	// user and text, filtered by source and cut to the limit before the
	// rows are joined.
	q := `WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search, 10.0, 4.0, 2.0, 1.0) AS rank FROM search WHERE search MATCH ?)
		SELECT ` + columns(false) + ` FROM (SELECT id, rank FROM m ` + filter + ` ORDER BY rank LIMIT ?) m
		JOIN revisions r ON r.id = m.id LEFT JOIN wikis w ON w.id = r.wiki_id JOIN sources s ON s.id = r.source_id
		LEFT JOIN windows win ON win.source_id = r.source_id AND win.revision = r.id ORDER BY m.rank, r.time DESC`
	rows, err := s.db.QueryContext(ctx, q, args...)
	out, err := s.collect("search", rows, err)
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_ERROR {
		// The statement is fixed, so an SQL error is the query's.
		detail := se.Error()
		if i := strings.Index(detail, "fts5: "); i >= 0 {
			detail = detail[i+len("fts5: "):]
		} else if i := strings.Index(detail, ": "); i >= 0 {
			detail = detail[i+2:]
		}
		return nil, &QueryError{Query: query, Detail: strings.TrimSuffix(detail, " (1)")}
	}
	return out, err
}
