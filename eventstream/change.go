package eventstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Change types as the recentchange schema names them. Extensions add
// others (Flow's "142", for one); those keep their own string.
const (
	TypeEdit       = "edit"
	TypeNew        = "new"
	TypeLog        = "log"
	TypeCategorize = "categorize"
)

// Change is one recent change of one wiki, decoded from a
// mediawiki/recentchange event. Text fields are as the wiki sent them:
// untrusted, possibly holding control characters; front-ends sanitise.
type Change struct {
	// ID is the event's meta.id, a UUID. The follower drops an event whose ID
	// it has seen lately, since a resumed stream may send some again.
	ID string
	// EventID is the server-sent event id the change came with (opaque, a
	// JSON array of Kafka positions on EventStreams); sent back as
	// Last-Event-ID, it resumes the stream after this change.
	EventID string
	// Time is when the change was made: the timestamp field, or meta.dt
	// when the event has none.
	Time time.Time
	// Wiki is the wiki's database name, such as "enwiki".
	Wiki string
	// ServerURL is the wiki's base URL, such as "https://en.wikipedia.org".
	ServerURL string
	// ScriptPath is where index.php and api.php live under ServerURL, such
	// as "/w".
	ScriptPath string
	// Domain is meta.domain, such as "en.wikipedia.org".
	Domain string
	// Title is the page's title with its namespace prefix, with spaces.
	Title string
	// TitleURL is the page's URL, when the event gives it.
	TitleURL string
	// Namespace is the page's namespace number (0 for articles).
	Namespace int
	// Type is TypeEdit, TypeNew, TypeLog, TypeCategorize or an extension's.
	Type string
	// Bot is true for a change made by a bot account.
	Bot bool
	// Minor is true for an edit marked minor.
	Minor bool
	// Patrolled is true when the change is marked patrolled.
	Patrolled bool
	// User is who made the change: a user name or an IP address.
	User string
	// Comment is the edit summary as wikitext.
	Comment string
	// ParsedComment is the summary as HTML.
	ParsedComment string
	// OldRevision is the revision before the change; 0 for a new page or a
	// change without revisions (log entries).
	OldRevision int64
	// NewRevision is the revision the change made; 0 for log entries.
	NewRevision int64
	// OldLength and NewLength are the page's size in bytes before and
	// after; meaningful only when HasLength is true.
	OldLength, NewLength int
	// HasLength is true when the event gives the page's new length.
	HasLength bool
	// RecentChangeID is the wiki's rc_id, 0 when the event has none.
	RecentChangeID int64
	// LogID, LogType and LogAction describe a log entry (Type "log").
	LogID     int64
	LogType   string
	LogAction string
}

// SizeChange is NewLength-OldLength, or 0 and false when the event gave no
// length.
func (c Change) SizeChange() (int, bool) {
	if !c.HasLength {
		return 0, false
	}
	return c.NewLength - c.OldLength, true
}

// APIURL is the wiki's api.php, from ServerURL and ScriptPath ("/w" when
// the event gives none), or "" when the event named no server.
func (c Change) APIURL() string {
	if c.ServerURL == "" {
		return ""
	}
	path := c.ScriptPath
	if path == "" {
		path = "/w"
	}
	return strings.TrimRight(c.ServerURL, "/") + path + "/api.php"
}

// rawChange is the wire form of a recentchange event: only the fields
// Change keeps. Pointers tell absent from zero.
type rawChange struct {
	Meta struct {
		ID     string `json:"id"`
		DT     string `json:"dt"`
		Domain string `json:"domain"`
	} `json:"meta"`
	ID         *int64  `json:"id"`
	Type       string  `json:"type"`
	Namespace  *int    `json:"namespace"`
	Title      *string `json:"title"`
	TitleURL   string  `json:"title_url"`
	Comment    string  `json:"comment"`
	Parsed     string  `json:"parsedcomment"`
	Timestamp  *int64  `json:"timestamp"`
	User       string  `json:"user"`
	Bot        bool    `json:"bot"`
	Minor      bool    `json:"minor"`
	Patrolled  bool    `json:"patrolled"`
	ServerURL  string  `json:"server_url"`
	ScriptPath string  `json:"server_script_path"`
	Wiki       string  `json:"wiki"`
	Length     *struct {
		Old *int `json:"old"`
		New *int `json:"new"`
	} `json:"length"`
	Revision *struct {
		Old *int64 `json:"old"`
		New *int64 `json:"new"`
	} `json:"revision"`
	LogID     *int64 `json:"log_id"`
	LogType   string `json:"log_type"`
	LogAction string `json:"log_action"`
}

// errCanary marks Wikimedia's canary events (meta.domain "canary"), which
// check the pipeline and are no wiki's changes.
var errCanary = errors.New("a canary event")

// Decode decodes one recentchange event (the data of one server-sent
// event). It fails on what is not JSON, on fields of the wrong type and on
// an event without a type, title, wiki (wiki or server_url) or time
// (timestamp or meta.dt). Fields Change does not keep are ignored.
func Decode(data []byte) (Change, error) {
	var r rawChange
	if err := json.Unmarshal(data, &r); err != nil {
		return Change{}, fmt.Errorf("not a recentchange event: %w", err)
	}
	if r.Meta.Domain == "canary" {
		return Change{}, errCanary
	}
	c := Change{
		ID:            r.Meta.ID,
		Wiki:          r.Wiki,
		ServerURL:     r.ServerURL,
		ScriptPath:    r.ScriptPath,
		Domain:        r.Meta.Domain,
		TitleURL:      r.TitleURL,
		Type:          r.Type,
		Bot:           r.Bot,
		Minor:         r.Minor,
		Patrolled:     r.Patrolled,
		User:          r.User,
		Comment:       r.Comment,
		ParsedComment: r.Parsed,
		LogType:       r.LogType,
		LogAction:     r.LogAction,
	}
	switch {
	case c.Type == "":
		return Change{}, errors.New("no type")
	case r.Title == nil:
		return Change{}, errors.New("no title")
	case c.Wiki == "" && c.ServerURL == "":
		return Change{}, errors.New("no wiki or server_url")
	}
	c.Title = *r.Title
	switch {
	case r.Timestamp != nil:
		c.Time = time.Unix(*r.Timestamp, 0).UTC()
	case r.Meta.DT != "":
		t, err := time.Parse(time.RFC3339Nano, r.Meta.DT)
		if err != nil {
			return Change{}, fmt.Errorf("meta.dt: %w", err)
		}
		c.Time = t.UTC()
	default:
		return Change{}, errors.New("no timestamp or meta.dt")
	}
	if r.Namespace != nil {
		c.Namespace = *r.Namespace
	}
	if r.ID != nil {
		c.RecentChangeID = *r.ID
	}
	if r.LogID != nil {
		c.LogID = *r.LogID
	}
	if r.Revision != nil {
		if r.Revision.Old != nil {
			c.OldRevision = *r.Revision.Old
		}
		if r.Revision.New != nil {
			c.NewRevision = *r.Revision.New
		}
	}
	if r.Length != nil && r.Length.New != nil {
		c.HasLength = true
		c.NewLength = *r.Length.New
		if r.Length.Old != nil {
			c.OldLength = *r.Length.Old
		}
	}
	return c, nil
}
