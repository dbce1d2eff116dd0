package feed

import (
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
	updated                          *time.Time
	items                            []rawItem
}

// rawItem is what the model needs of one entry or item.
type rawItem struct {
	title, link, id, summary, content, author string
	time                                      *time.Time
}

// fromRSS takes what the model needs from an RSS 0.9x, 1.0 or 2.0 feed.
func fromRSS(f *rss.Feed) *rawFeed {
	raw := &rawFeed{title: f.Title, link: f.Link, generator: f.Generator}
	switch {
	case f.LastBuildDateParsed != nil:
		raw.updated = f.LastBuildDateParsed
	case f.PubDateParsed != nil:
		raw.updated = f.PubDateParsed
	default:
		raw.updated = dcDate(f.DublinCoreExt)
	}
	if raw.link == "" && len(f.Links) > 0 {
		raw.link = f.Links[0]
	}
	raw.selfLink = atomSelfLink(f.Extensions)
	raw.items = make([]rawItem, len(f.Items))
	for i, it := range f.Items {
		r := &raw.items[i]
		r.title, r.link, r.summary, r.content = it.Title, it.Link, it.Description, it.Content
		if r.link == "" && len(it.Links) > 0 {
			r.link = it.Links[0]
		}
		if it.GUID != nil {
			r.id = it.GUID.Value
		}
		r.author = personName(it.Author)
		if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
			if r.author == "" {
				r.author = personName(it.DublinCoreExt.Creator[0])
			}
		}
		r.time = it.PubDateParsed
		if r.time == nil {
			r.time = dcDate(it.DublinCoreExt)
		}
	}
	return raw
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

// dcDate parses a Dublin Core date (ISO 8601), as RSS 1.0 feeds carry.
func dcDate(dc *ext.DublinCoreExtension) *time.Time {
	if dc == nil || len(dc.Date) == 0 {
		return nil
	}
	s := strings.TrimSpace(dc.Date[0])
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t
		}
	}
	return nil
}

// personName reads a name from RSS's "email (Name)" or DokuWiki's
// "Name (email)".
func personName(s string) string {
	s = strings.TrimSpace(s)
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
	raw := &rawFeed{title: f.Title, updated: f.UpdatedParsed}
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
		r.time = e.UpdatedParsed
		if r.time == nil {
			r.time = e.PublishedParsed
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
