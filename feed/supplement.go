package feed

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"strings"

	htmlatom "golang.org/x/net/html/atom"
)

// gofeed drops some of what a feed says: the type of an Atom title (so an
// html title cannot be told from a text one), Atom 0.3's <created>, and
// the full-text bodies some RSS feeds carry (<body> or <xhtml:body> in the
// XHTML namespace, <fullitem>). supplement reads those in a second,
// token-level pass, which runs only when the document holds one of them
// (MediaWiki's feeds never do), and the converter joins them to gofeed's
// items by position.

// extraText is what gofeed leaves out about one title.
type extraText struct {
	// typ and mode are the title's type and (Atom 0.3) mode attributes.
	typ, mode string
}

// extraItem is what gofeed leaves out about one entry.
type extraItem struct {
	title, summary, content extraText
	// body is the inner XML of a <body> or <fullitem>.
	body string
	// created is the text of an Atom 0.3 <created>.
	created string
}

// extras is what gofeed leaves out about a feed.
type extras struct {
	title extraText
	items []extraItem
}

// supplementSigns are the byte strings whose presence makes supplement
// run; each counts only as an element name (after "<" or a prefix's ":"),
// except base64, which is an attribute value.
var supplementSigns = []struct {
	sign    string
	element bool
}{
	{"title ", true}, {"created", true}, {"body", true}, {"fullitem", true}, {"base64", false},
}

// needsSupplement reports whether data has something supplement reads: a
// title with attributes, <created>, <body>, <fullitem> or base64 text.
func needsSupplement(data []byte) bool {
	for _, s := range supplementSigns {
		sign := []byte(s.sign)
		for i := 0; ; {
			j := bytes.Index(data[i:], sign)
			if j < 0 {
				break
			}
			i += j
			if !s.element || i > 0 && (data[i-1] == '<' || data[i-1] == ':') {
				return true
			}
			i += len(sign)
		}
	}
	return false
}

// supplement reads what gofeed leaves out of data; nil if the document has
// none of it or cannot be read so. skeleton is data, or data with its texts
// lifted out (what supplement looks for is never inside one of those), and
// is what is searched to see whether data needs reading at all.
func supplement(data, skeleton []byte) *extras {
	if !needsSupplement(skeleton) {
		return nil
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	ex := &extras{}
	var stack []string // local names of the open elements
	entry := -1        // depth of the open entry, or -1
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return ex
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			depth := len(stack)
			switch {
			case entry < 0 && (name == "item" || name == "entry") && (parent == "channel" || parent == "feed" || parent == "rdf"):
				entry = depth
				ex.items = append(ex.items, extraItem{})
			case entry < 0 && name == "title" && (parent == "feed" || parent == "channel") && depth <= 2:
				ex.title = textAttrs(t)
			case entry >= 0 && depth == entry+1:
				it := &ex.items[len(ex.items)-1]
				switch {
				case name == "title":
					it.title = textAttrs(t)
				case name == "summary":
					it.summary = textAttrs(t)
				case name == "content":
					it.content = textAttrs(t)
				case name == "body" && t.Name.Space == xhtmlNS, name == "fullitem":
					var inner struct {
						XML string `xml:",innerxml"`
					}
					if d.DecodeElement(&inner, &t) == nil && it.body == "" {
						it.body = strings.TrimSpace(inner.XML)
					}
					continue
				case name == "created" && (t.Name.Space == atom03NS || t.Name.Space == ""):
					var text struct {
						Text string `xml:",chardata"`
					}
					// The last of several wins, as in feedparser.
					if d.DecodeElement(&text, &t) == nil {
						it.created = strings.TrimSpace(text.Text)
					}
					continue
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == entry {
				entry = -1
			}
		}
	}
}

// The namespaces supplement looks for.
const (
	xhtmlNS  = "http://www.w3.org/1999/xhtml"
	atom03NS = "http://purl.org/atom/ns#"
)

// textAttrs reads a title's type and mode.
func textAttrs(t xml.StartElement) extraText {
	var x extraText
	for _, a := range t.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "type":
			x.typ = strings.ToLower(strings.TrimSpace(a.Value))
		case "mode":
			x.mode = strings.ToLower(strings.TrimSpace(a.Value))
		}
	}
	return x
}

// isHTML reports whether a title of this type holds markup: Atom's html
// and xhtml, and the MIME forms Atom 0.3 used.
func (x extraText) isHTML() bool {
	switch x.typ {
	case "html", "xhtml", "text/html", "application/xhtml+xml":
		return true
	}
	return false
}

// value finishes a text gofeed read: base64 decoded when its mode says so
// and gofeed left it (gofeed decodes only untyped and binary-typed text).
// html says whether the result is markup.
func (x extraText) value(v string) (s string, html bool) {
	if x.mode == "base64" && (x.typ == "text" || x.typ == "html" || strings.HasPrefix(x.typ, "text/") || strings.Contains(x.typ, "xhtml")) {
		if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v)); err == nil {
			v = string(b)
		}
	}
	return v, x.isHTML()
}

// apply joins what supplement read to gofeed's items, by position (only
// when both found the same number of entries).
func (ex *extras) apply(raw *rawFeed) {
	if ex == nil {
		return
	}
	if ex.title != (extraText{}) {
		raw.title, raw.titleHTML = ex.title.value(raw.title)
	}
	if len(ex.items) != len(raw.items) {
		return
	}
	for i := range raw.items {
		r, x := &raw.items[i], &ex.items[i]
		if x.title != (extraText{}) {
			r.title, r.titleHTML = x.title.value(r.title)
		}
		r.summary, _ = x.summary.value(r.summary)
		r.content, _ = x.content.value(r.content)
		if strings.TrimSpace(r.content) == "" && x.body != "" {
			r.content = x.body
		}
		if r.time == nil && x.created != "" {
			r.time = raw.date(x.created, nil)
		}
	}
}

// looksLikeMarkup reports whether an untyped title (RSS's) holds HTML: a
// tag of an HTML element, or an entity left after the XML was decoded
// ("&amp;amp;" in the XML). Wiki page titles never do (MediaWiki forbids
// "<", ">" and entities in them), so this changes no wiki's titles; for
// other feeds it reads titles the way feed readers (and feedparser) do.
func looksLikeMarkup(s string) bool {
	if !strings.ContainsAny(s, "<&") {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			j := i + 1
			if j < len(s) && s[j] == '/' {
				j++
			}
			k := j
			for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || k > j && s[k] >= '0' && s[k] <= '9') {
				k++
			}
			if k > j && k < len(s) && (s[k] == '>' || s[k] == ' ' || s[k] == '/' || s[k] == '\t' || s[k] == '\n') &&
				htmlatom.Lookup([]byte(strings.ToLower(s[j:k]))) != 0 {
				return true
			}
		case '&':
			if n, ok := entityEnd(s[i:]); ok && n > 2 {
				return true
			}
		}
	}
	return false
}

// entityEnd returns the length of the entity or character reference at
// the start of s ("&amp;", "&#38;", "&#x26;").
func entityEnd(s string) (int, bool) {
	k := 1
	if k < len(s) && s[k] == '#' {
		n, ok := charRefEnd([]byte(s))
		return n, ok
	}
	for k < len(s) && k < 32 && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= 'A' && s[k] <= 'Z' || s[k] >= '0' && s[k] <= '9') {
		k++
	}
	return k + 1, k > 1 && k < len(s) && s[k] == ';'
}

// preAtomNamespaces are the namespaces Atom went by before 0.3 (as Echo,
// Pie and Necho); gofeed knows only Atom's own.
var preAtomNamespaces = []string{
	`xmlns="http://purl.org/echo/"`, `xmlns="http://purl.org/pie/"`,
	`xmlns="http://example.com/necho"`, `xmlns="http://example.com/newformat#"`,
}

// preAtomNamespace gives a <feed> in a pre-Atom namespace Atom 0.3's, so
// that gofeed reads it.
func preAtomNamespace(data []byte) []byte {
	head := data[:min(len(data), sniffBytes)]
	if !bytes.Contains(head, []byte("<feed")) {
		return data
	}
	for _, ns := range preAtomNamespaces {
		if i := bytes.Index(head, []byte(ns)); i >= 0 {
			out := make([]byte, 0, len(data)+len(atom03NS))
			out = append(out, data[:i]...)
			out = append(out, `xmlns="`+atom03NS+`"`...)
			return append(out, data[i+len(ns):]...)
		}
	}
	return data
}
