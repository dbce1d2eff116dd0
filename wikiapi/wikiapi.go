// Package wikiapi fetches revision texts from a MediaWiki wiki's action
// API (api.php), for the feed entries that carry only a "Show changes"
// link instead of a diff table.
//
// Usage:
//
//	c := &wikiapi.Client{HTTP: httpclient.New(httpclient.Options{UserAgent: ua})}
//	api, err := wikiapi.EndpointFor(rev.ChangesURL)
//	revs, err := c.Revisions(ctx, api, rev.ParentID, rev.ID)
//	fmt.Println(revs[rev.ID].Text)
//
// It asks for action=query&prop=revisions&rvprop=content|ids with
// rvslots=main and formatversion=2, and reads every answer shape that
// MediaWiki versions give to that request: the version 2 format with
// content slots (1.32 and later), without them (1.25 to 1.31), and the
// original format with text under "*" (older wikis ignore formatversion).
package wikiapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/wikifeed/wikifeed/httpclient"
)

// Tunables.
const (
	// maxIDs is how many revision IDs one request may name (the API's
	// limit for clients without the apihighlimits right).
	maxIDs = 50
)

// Client fetches revisions. The zero value works, with httpclient's
// defaults.
type Client struct {
	// HTTP is the client used (its User-Agent, timeouts and size cap);
	// nil means one with httpclient's defaults.
	HTTP *httpclient.Client
}

// Revision is one revision's text, as the API gives it.
type Revision struct {
	// ID is the revision ID.
	ID int64
	// ParentID is the previous revision's ID, 0 for a page's first.
	ParentID int64
	// Page is the page title.
	Page string
	// Text is the revision's wikitext (main slot).
	Text string
}

// Error is an error the API answered with.
type Error struct {
	// Code is the API's error code, such as "badrevids".
	Code string
	// Info is its message.
	Info string
}

// Error returns "the wiki's API answered code: info".
func (e *Error) Error() string {
	return fmt.Sprintf("the wiki's API answered %s: %s", e.Code, e.Info)
}

// MissingError lists revisions the wiki does not have, or hides.
type MissingError struct {
	// IDs are the missing revisions.
	IDs []int64
	// Hidden is true when the wiki has them but hides their text
	// (revision deletion).
	Hidden bool
}

// Error names the revisions.
func (e *MissingError) Error() string {
	ids := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	what := "no such revision"
	if e.Hidden {
		what = "the text is hidden for revision"
	}
	if len(ids) > 1 {
		what += "s"
	}
	return what + " " + strings.Join(ids, ", ")
}

// EndpointFor returns the api.php URL of the wiki a page, diff or
// history URL belongs to: index.php's directory for "/w/index.php?…"
// style links, and "/w/api.php" (Wikimedia's layout) for short "/wiki/…"
// links. A protocol-relative URL gets https.
func EndpointFor(link string) (string, error) {
	if strings.HasPrefix(link, "//") {
		link = "https:" + link
	}
	u, err := url.Parse(link)
	if err != nil {
		return "", fmt.Errorf("find the wiki's API: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("find the wiki's API: %q is not an http(s) URL", link)
	}
	dir := "/w"
	switch p := u.Path; {
	case strings.HasSuffix(p, ".php"):
		dir = path.Dir(p)
	case strings.HasPrefix(p, "/index.php/"):
		dir = "/"
	}
	api := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: path.Join(dir, "api.php")}
	return api.String(), nil
}

// Revisions fetches the revisions with the given IDs from the API at api
// (an api.php URL). IDs of 0 are skipped. It fails when any revision is
// missing or hidden (a *MissingError), when the API answers with an error
// (an *Error), or when the answer is not the API's.
func (c *Client) Revisions(ctx context.Context, api string, ids ...int64) (map[int64]*Revision, error) {
	want := map[int64]bool{}
	var list []int64
	for _, id := range ids {
		if id > 0 && !want[id] {
			want[id] = true
			list = append(list, id)
		}
	}
	out := make(map[int64]*Revision, len(list))
	for len(list) > 0 {
		n := min(len(list), maxIDs)
		if err := c.fetch(ctx, api, list[:n], out); err != nil {
			return nil, err
		}
		list = list[n:]
	}
	var missing []int64
	for id := range want {
		if out[id] == nil {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
		return nil, &MissingError{IDs: missing}
	}
	return out, nil
}

// Pair is a revision's text and its parent's, as the wiki's API gives
// them.
type Pair struct {
	// Endpoint is the api.php URL that was asked.
	Endpoint string
	// OldID is the parent revision's ID; 0 when the revision created the
	// page, and OldText is then "".
	OldID            int64
	OldText, NewText string
}

// TextPair fetches the text of revision id and of its parent. The first
// non-empty URL of links (a page, diff or api.php URL) says which wiki to
// ask. parent may be 0, when the feed does not name it: the API's parent
// is used. known, if not nil, holds revisions the caller already has: only
// the missing ones are fetched, and those fetched are added to it.
func (c *Client) TextPair(ctx context.Context, links []string, id, parent int64, known map[int64]*Revision) (Pair, error) {
	link := ""
	for _, l := range links {
		if l != "" {
			link = l
			break
		}
	}
	endpoint, err := EndpointFor(link)
	if err != nil {
		return Pair{}, err
	}
	if id == 0 {
		return Pair{Endpoint: endpoint}, errors.New("the feed gives no revision ID to ask the wiki for")
	}
	if known == nil {
		known = map[int64]*Revision{}
	}
	get := func(ids ...int64) error {
		var need []int64
		for _, x := range ids {
			if x != 0 && known[x] == nil {
				need = append(need, x)
			}
		}
		if len(need) == 0 {
			return nil
		}
		revs, err := c.Revisions(ctx, endpoint, need...)
		if err != nil {
			return err
		}
		maps.Copy(known, revs)
		return nil
	}
	if err := get(id, parent); err != nil {
		return Pair{Endpoint: endpoint}, err
	}
	if parent == 0 {
		// The feed did not name the parent; the API does.
		parent = known[id].ParentID
		if err := get(parent); err != nil {
			return Pair{Endpoint: endpoint}, err
		}
	}
	p := Pair{Endpoint: endpoint, OldID: parent, NewText: known[id].Text}
	if parent != 0 {
		p.OldText = known[parent].Text
	}
	return p, nil
}

// fetch asks for one batch of revisions and adds them to out.
func (c *Client) fetch(ctx context.Context, api string, ids []int64, out map[int64]*Revision) error {
	u, err := url.Parse(api)
	if err != nil {
		return fmt.Errorf("wiki API URL: %w", err)
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = strconv.FormatInt(id, 10)
	}
	q := u.Query()
	q.Set("action", "query")
	q.Set("prop", "revisions")
	q.Set("revids", strings.Join(strs, "|"))
	q.Set("rvprop", "content|ids")
	q.Set("rvslots", "main")
	q.Set("format", "json")
	q.Set("formatversion", "2")
	u.RawQuery = q.Encode()
	body, err := c.get(ctx, u.String())
	if err != nil {
		return err
	}
	return parseAnswer(body, out)
}

// get fetches a URL with the client's settings and size cap.
func (c *Client) get(ctx context.Context, u string) ([]byte, error) {
	hc := c.HTTP
	if hc == nil {
		hc = httpclient.New(httpclient.Options{})
	}
	host := u
	if pu, err := url.Parse(u); err == nil {
		host = pu.Host
	}
	resp, err := hc.Get(ctx, u, http.Header{"Accept": {"application/json"}})
	if err != nil {
		var se *httpclient.StatusError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("wiki API: %s answered %s", host, strings.TrimPrefix(se.Error(), "HTTP "))
		}
		var size *httpclient.SizeError
		if errors.As(err, &size) {
			return nil, fmt.Errorf("wiki API at %s: %w", host, err)
		}
		return nil, &unreachableError{fmt.Errorf("wiki API at %s: %w", host, err)}
	}
	if resp.NotModified() {
		return nil, fmt.Errorf("wiki API: %s answered 304 Not Modified", host)
	}
	return resp.Body, nil
}

// unreachableError is a request that got no answer from the wiki: no
// connection, a timeout, a connection cut.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string { return e.err.Error() }
func (e *unreachableError) Unwrap() error { return e.err }

// Unreachable reports whether err says the wiki could not be reached at
// all (no connection, a timeout), rather than that it answered with an
// error, an HTTP error status or an answer that is not the API's.
func Unreachable(err error) bool {
	var u *unreachableError
	return errors.As(err, &u)
}

// answer is the part of an API answer we read, in both formats: pages is
// a list (formatversion 2) or an object by page ID (formatversion 1).
type answer struct {
	Error  *apiError  `json:"error"`
	Errors []apiError `json:"errors"`
	Query  *struct {
		Pages     json.RawMessage `json:"pages"`
		BadRevIDs json.RawMessage `json:"badrevids"`
	} `json:"query"`
}

// apiError is an error in either format: {"code", "info"} or, with
// errorformat set, {"code", "text"} or {"code", "*"}.
type apiError struct {
	Code string `json:"code"`
	Info string `json:"info"`
	Text string `json:"text"`
	Star string `json:"*"`
}

// page is a page of the answer.
type page struct {
	Title     string        `json:"title"`
	Missing   flag          `json:"missing"`
	Revisions []apiRevision `json:"revisions"`
}

// apiRevision is a revision in any of the three shapes.
type apiRevision struct {
	RevID      int64   `json:"revid"`
	ParentID   int64   `json:"parentid"`
	TextHidden flag    `json:"texthidden"`
	Content    *string `json:"content"` // formatversion 2, no slots
	Star       *string `json:"*"`       // formatversion 1, no slots
	Slots      struct {
		Main *struct {
			Content    *string `json:"content"`
			Star       *string `json:"*"`
			TextHidden flag    `json:"texthidden"`
		} `json:"main"`
	} `json:"slots"`
}

// flag is a boolean that formatversion 1 writes as a present empty string
// ("missing": "") and formatversion 2 as true.
type flag bool

// UnmarshalJSON reads true, false or any string (present: true).
func (f *flag) UnmarshalJSON(b []byte) error {
	switch strings.TrimSpace(string(b)) {
	case "false", "null":
		*f = false
	default:
		*f = true
	}
	return nil
}

// parseAnswer reads an API answer into out.
func parseAnswer(body []byte, out map[int64]*Revision) error {
	var a answer
	if err := json.Unmarshal(body, &a); err != nil {
		return errors.New("wiki API: the answer is not JSON; is the URL the wiki's api.php?")
	}
	if a.Error != nil {
		return &Error{Code: a.Error.Code, Info: a.Error.message()}
	}
	if len(a.Errors) > 0 {
		return &Error{Code: a.Errors[0].Code, Info: a.Errors[0].message()}
	}
	if a.Query == nil {
		return errors.New("wiki API: the answer has no query result")
	}
	var pages []page
	if p := a.Query.Pages; len(p) > 0 && p[0] == '[' {
		if err := json.Unmarshal(p, &pages); err != nil {
			return fmt.Errorf("wiki API: read pages: %w", err)
		}
	} else if len(p) > 0 {
		var byID map[string]page
		if err := json.Unmarshal(p, &byID); err != nil {
			return fmt.Errorf("wiki API: read pages: %w", err)
		}
		keys := make([]string, 0, len(byID))
		for k := range byID {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			pages = append(pages, byID[k])
		}
	}
	var hidden []int64
	for _, p := range pages {
		for _, r := range p.Revisions {
			text, ok := r.text()
			if !ok {
				hidden = append(hidden, r.RevID)
				continue
			}
			out[r.RevID] = &Revision{ID: r.RevID, ParentID: r.ParentID, Page: p.Title, Text: text}
		}
	}
	if len(hidden) > 0 {
		sort.Slice(hidden, func(i, j int) bool { return hidden[i] < hidden[j] })
		return &MissingError{IDs: hidden, Hidden: true}
	}
	// badrevids: the caller reports every ID it lacks as missing.
	return nil
}

// message returns the error text in whichever field holds it.
func (e *apiError) message() string {
	for _, s := range []string{e.Info, e.Text, e.Star} {
		if s != "" {
			return s
		}
	}
	return "(no message)"
}

// text returns the revision's wikitext, false when hidden or absent.
func (r *apiRevision) text() (string, bool) {
	if r.TextHidden {
		return "", false
	}
	if m := r.Slots.Main; m != nil {
		switch {
		case bool(m.TextHidden):
			return "", false
		case m.Content != nil:
			return *m.Content, true
		case m.Star != nil:
			return *m.Star, true
		}
	}
	switch {
	case r.Content != nil:
		return *r.Content, true
	case r.Star != nil:
		return *r.Star, true
	}
	return "", false
}
