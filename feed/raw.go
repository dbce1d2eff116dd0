package feed

import (
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// rawFeed is what the model needs of a parsed feed, whatever its format.
type rawFeed struct {
	title, link, selfLink, generator string
	// titleHTML is true when the title is markup (an html or xhtml
	// type), to be shown as its text.
	titleHTML bool
	updated   *time.Time
	items     []rawItem
	// dateProblems are the dates read only in part, as warnings.
	dateProblems []string
}

// size is the bytes of the feed's entry texts, a measure of the work of
// converting them.
func (raw *rawFeed) size() int {
	n := 0
	for i := range raw.items {
		n += len(raw.items[i].summary) + len(raw.items[i].content)
	}
	return n
}

// rawItem is what the model needs of one entry or item.
type rawItem struct {
	title, link, id, summary, content, author string
	// titleHTML is true when the title is markup.
	titleHTML bool
	time      *time.Time
}

// fromRSS takes what the model needs from an RSS 0.9x, 1.0 or 2.0 feed.
func fromRSS(f *rss.Feed) *rawFeed {
	raw := &rawFeed{title: f.Title, link: f.Link, generator: f.Generator}
	if raw.title == "" && f.DublinCoreExt != nil && len(f.DublinCoreExt.Title) > 0 {
		raw.title = f.DublinCoreExt.Title[0]
	}
	raw.updated = raw.date(f.LastBuildDate, f.LastBuildDateParsed)
	if raw.updated == nil {
		raw.updated = raw.date(f.PubDate, f.PubDateParsed)
	}
	if raw.updated == nil {
		raw.updated = raw.extDate(f.DublinCoreExt, f.Extensions)
	}
	if raw.link == "" && len(f.Links) > 0 {
		raw.link = f.Links[0]
	}
	raw.selfLink = atomSelfLink(f.Extensions)
	raw.items = make([]rawItem, len(f.Items))
	for i, it := range f.Items {
		r := &raw.items[i]
		r.title, r.link, r.summary, r.content = it.Title, it.Link, it.Description, it.Content
		dc := it.DublinCoreExt
		if r.title == "" && dc != nil && len(dc.Title) > 0 {
			r.title = dc.Title[0]
		}
		if r.title == "" {
			for _, e := range it.Extensions["media"]["title"] {
				r.title = e.Value
				break
			}
		}
		if r.summary == "" && dc != nil && len(dc.Description) > 0 {
			r.summary = dc.Description[0]
		}
		if r.summary == "" && it.ITunesExt != nil {
			r.summary = it.ITunesExt.Summary
		}
		if r.link == "" && len(it.Links) > 0 {
			r.link = it.Links[0]
		}
		if it.GUID != nil {
			r.id = it.GUID.Value
			// A guid is the item's permalink unless it says it is not
			// (RSS 2.0: isPermaLink defaults to true).
			if r.link == "" && !strings.EqualFold(strings.TrimSpace(it.GUID.IsPermalink), "false") && looksLikeURL(r.id) {
				r.link = strings.TrimSpace(r.id)
			}
		}
		r.author = personName(it.Author)
		if r.author == "" && dc != nil {
			for _, who := range [][]string{dc.Creator, dc.Author, dc.Contributor} {
				if len(who) > 0 {
					r.author = personName(who[0])
					break
				}
			}
		}
		if r.author == "" && it.ITunesExt != nil {
			r.author = personName(it.ITunesExt.Author)
		}
		r.time = raw.date(it.PubDate, it.PubDateParsed)
		if r.time == nil {
			r.time = raw.extDate(dc, it.Extensions)
		}
		r.titleHTML = looksLikeMarkup(r.title)
	}
	raw.titleHTML = looksLikeMarkup(raw.title)
	return raw
}

// date reads a date with parseDate, falling back on gofeed's reading for
// the forms parseDate does not know; a problem becomes a warning.
func (raw *rawFeed) date(s string, parsed *time.Time) *time.Time {
	t, problem, ok := parseDate(s)
	if !ok {
		// gofeed knows a few more layouts, but reads any zone name it
		// does not know as UTC without a word.
		if f := strings.Fields(s); parsed != nil && len(f) > 1 {
			if z := f[len(f)-1]; isLetters(z) {
				if _, known := zoneOffsets[strings.ToUpper(z)]; !known {
					raw.dateProblems = append(raw.dateProblems, fmt.Sprintf("date %q: unknown time zone %q; read as UTC", printable(s), printable(z)))
				}
			}
		}
		return parsed
	}
	if problem != "" {
		raw.dateProblems = append(raw.dateProblems, fmt.Sprintf("date %q: %s", printable(s), problem))
	}
	if parsed != nil && parsed.Equal(t) {
		return parsed // gofeed read it the same; saves an allocation per entry
	}
	return &t
}

// extDate reads a Dublin Core date or a DCMI Terms one (modified, issued,
// created, in that order).
func (raw *rawFeed) extDate(dc *ext.DublinCoreExtension, exts ext.Extensions) *time.Time {
	if dc != nil && len(dc.Date) > 0 {
		if t := raw.date(dc.Date[0], nil); t != nil {
			return t
		}
	}
	for _, name := range []string{"modified", "issued", "created", "date"} {
		for _, e := range exts["dcterms"][name] {
			if t := raw.date(e.Value, nil); t != nil {
				return t
			}
		}
	}
	return nil
}

// looksLikeURL reports whether s is an absolute http(s) URL.
func looksLikeURL(s string) bool {
	s = strings.TrimSpace(s)
	return isURL(s) && !strings.ContainsAny(s, " \t\n")
}

// atomSelfLink finds an RSS feed's <atom:link rel="self">.
func atomSelfLink(exts ext.Extensions) string {
	for _, e := range exts["atom"]["link"] {
		if e.Attrs["rel"] == "self" {
			return e.Attrs["href"]
		}
	}
	return ""
}

// personName reads a name from RSS's "email (Name)", DokuWiki's
// "Name (email)" or "Name <email>".
func personName(s string) string {
	s = strings.TrimSpace(s)
	if open := strings.LastIndex(s, " <"); open > 0 && strings.HasSuffix(s, ">") && strings.Contains(s[open:], "@") {
		return strings.TrimSpace(s[:open])
	}
	open := strings.LastIndex(s, " (")
	if open < 0 || !strings.HasSuffix(s, ")") {
		return s
	}
	outside, inside := strings.TrimSpace(s[:open]), s[open+2:len(s)-1]
	switch {
	case strings.Contains(outside, "@") && !strings.Contains(inside, "@"):
		return inside
	case strings.Contains(inside, "@") && outside != "":
		return outside
	}
	return s
}

// fromAtom takes what the model needs from an Atom feed.
func fromAtom(f *atom.Feed) *rawFeed {
	raw := &rawFeed{title: f.Title}
	raw.updated = raw.date(f.Updated, f.UpdatedParsed)
	if f.Generator != nil {
		raw.generator = f.Generator.Value
		if raw.generator == "" {
			raw.generator = f.Generator.URI
		}
	}
	raw.link, raw.selfLink = atomLinks(f.Links)
	raw.items = make([]rawItem, len(f.Entries))
	for i, e := range f.Entries {
		r := &raw.items[i]
		r.title, r.id, r.summary = e.Title, e.ID, e.Summary
		r.link, _ = atomLinks(e.Links)
		if e.Content != nil {
			r.content = e.Content.Value
		}
		for _, p := range e.Authors {
			if p != nil {
				r.author = p.Name
				if r.author == "" {
					r.author = p.Email
				}
				break
			}
		}
		r.time = raw.date(e.Updated, e.UpdatedParsed)
		if r.time == nil {
			r.time = raw.date(e.Published, e.PublishedParsed)
		}
	}
	return raw
}

// atomLinks returns the alternate link (rel="alternate" or none) and the
// self link.
func atomLinks(links []*atom.Link) (alternate, self string) {
	for _, l := range links {
		if l == nil {
			continue
		}
		switch l.Rel {
		case "", "alternate":
			if alternate == "" {
				alternate = l.Href
			}
		case "self":
			if self == "" {
				self = l.Href
			}
		}
	}
	return alternate, self
}

// fromUniversal takes what the model needs from gofeed's universal feed,
// which wikifeed uses only for formats the prolog did not name (JSON Feed).
func fromUniversal(f *gofeed.Feed) *rawFeed {
	raw := &rawFeed{title: f.Title, link: f.Link, selfLink: f.FeedLink, generator: f.Generator, updated: f.UpdatedParsed}
	if raw.updated == nil {
		raw.updated = f.PublishedParsed
	}
	raw.items = make([]rawItem, len(f.Items))
	for i, it := range f.Items {
		r := &raw.items[i]
		r.title, r.link, r.id, r.summary, r.content = it.Title, it.Link, it.GUID, it.Description, it.Content
		if len(it.Authors) > 0 && it.Authors[0] != nil {
			r.author = it.Authors[0].Name
			if r.author == "" {
				r.author = it.Authors[0].Email
			}
		}
		r.time = it.UpdatedParsed
		if r.time == nil {
			r.time = it.PublishedParsed
		}
	}
	return raw
}
