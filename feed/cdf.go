package feed

import (
	"encoding/xml"
	"io"
	"strings"
)

// Microsoft's Channel Definition Format (1997) is the oldest syndication
// format feeds still turn up in: a <CHANNEL> root with HREF and LASTMOD
// attributes, a <TITLE>, an <ABSTRACT>, and <ITEM>s of the same shape.
// gofeed does not read it; parseCDF reads what the model needs.

// cdfNode is a CHANNEL or an ITEM.
type cdfNode struct {
	Href     string    `xml:"HREF,attr"`
	LastMod  string    `xml:"LASTMOD,attr"`
	Title    string    `xml:"TITLE"`
	Abstract string    `xml:"ABSTRACT"`
	Items    []cdfNode `xml:"ITEM"`
}

// parseCDF reads a CDF channel.
func parseCDF(in io.Reader) (*rawFeed, error) {
	d := xml.NewDecoder(in)
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var ch cdfNode
	if err := d.Decode(&ch); err != nil {
		return nil, err
	}
	raw := &rawFeed{title: ch.Title, link: strings.TrimSpace(ch.Href)}
	raw.updated = raw.date(ch.LastMod, nil)
	raw.titleHTML = looksLikeMarkup(raw.title)
	raw.items = make([]rawItem, len(ch.Items))
	for i, it := range ch.Items {
		r := &raw.items[i]
		r.title, r.link, r.summary = it.Title, strings.TrimSpace(it.Href), it.Abstract
		r.titleHTML = looksLikeMarkup(r.title)
		r.time = raw.date(it.LastMod, nil)
	}
	return raw, nil
}
