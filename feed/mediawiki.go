package feed

import (
	"strconv"
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"
)

// mediaWikiEntry reads a MediaWiki entry's summary: "<p>comment</p>" and
// then one of a "<hr /><div>wikitext</div>" (user contributions), a
// "<p><b>New page</b></p><div>wikitext</div>" (a new page), a diff table,
// a bare "Show changes" link, or nothing (a log entry). The labels are in
// the wiki's language, so the shapes are recognised by their tags.
func (c *converter) mediaWikiEntry(rev *Revision, it *rawItem, summary string) {
	c.idsFrom(rev, rev.URL)
	c.idsFrom(rev, rev.EntryID)

	commentHTML, rest, hasComment := splitComment(summary)
	rest = strings.TrimSpace(rest)
	rev.Body = rest
	contributions := false
	switch {
	case rest == "":
		rev.Kind = BodyEmpty
	case hasPrefixFold(rest, "<hr"):
		// User contributions: <hr /> then the full text.
		if div, ok := divAfter(rest); ok {
			rev.Kind = BodyWikitext
			rev.Body = div
			rev.Text = wikitextFromDiv(div)
			contributions = true
		} else {
			rev.Kind = BodyHTML
		}
	case hasPrefixFold(rest, "<p><b>"):
		// A new page: a bold label in a paragraph, then the full text.
		if i := strings.Index(rest, "</b></p>"); i >= 0 && hasPrefixFold(strings.TrimSpace(rest[i+len("</b></p>"):]), "<div") {
			rev.Kind = BodyWikitext
			rev.NewPage = true
			rev.Body = strings.TrimSpace(rest[i+len("</b></p>"):])
			rev.Text = wikitextFromDiv(rev.Body)
		} else {
			rev.Kind = BodyHTML
		}
	case hasPrefixFold(rest, "<table"):
		rev.Kind = BodyDiffTable
		rev.NoDifference = strings.Contains(rest, "mw-diff-empty") || !hasChangeRows(rest)
	case hasPrefixFold(rest, "<a ") && strings.HasSuffix(rest, "</a>") && strings.Count(rest, "<a ") == 1:
		rev.Kind = BodyChangesLink
		rev.ChangesURL = resolve(c.base, unescapeHTML(hrefOf(rest)))
		c.idsFrom(rev, rev.ChangesURL)
	default:
		rev.Kind = BodyHTML
	}

	rev.Comment, rev.Section = commentText(commentHTML)
	if contributions && rev.User != "" {
		// Contributions feeds write "User: comment" in the paragraph.
		if after, ok := strings.CutPrefix(rev.Comment, rev.User+":"); ok {
			rev.Comment = strings.TrimSpace(after)
		}
	}
	if rev.Kind == BodyEmpty && hasComment {
		// Every edit carries a diff, a text or a link; a lone paragraph is
		// a log action (a move, a protection, a new account).
		rev.Log = true
	}
	if rev.Log {
		// MediaWiki 1.15 dresses a page move up as a new page with no
		// text; it is neither a new page nor an empty text.
		rev.NewPage = false
		if rev.Kind == BodyWikitext && rev.Text == "" {
			rev.Kind = BodyEmpty
		}
	}
	if c.historyPage != "" {
		// History feeds title entries "User: comment" or "User at 20:53,
		// 8 August 2014"; the page is the feed's.
		if t := titleFromKey(queryOf(rev.URL).Get("title")); t != "" {
			rev.Page = t
		} else {
			rev.Page = c.historyPage
		}
		if !hasComment {
			rev.Comment = historyComment(cleanText(it.title), rev.User)
		}
	}
	if rev.Kind == BodyWikitext {
		rev.Size = len(rev.Text)
	}
}

// hasChangeRows reports whether a diff table has any row that shows a
// change. Feeds replace most of MediaWiki's classes with inline styles, so
// it looks for every sign a version has used: line-number rows, marker
// cells and attributes, and <ins>/<del>.
func hasChangeRows(table string) bool {
	for _, sign := range []string{"diff-lineno", "data-marker", "diff-marker", "<ins", "<del", "diff-addedline", "diff-deletedline"} {
		if strings.Contains(table, sign) {
			return true
		}
	}
	return false
}

// idsFrom fills the revision, parent and page IDs from a MediaWiki URL
// (diff=, oldid=, curid=), leaving IDs already known alone.
func (c *converter) idsFrom(rev *Revision, raw string) {
	if raw == "" || !strings.Contains(raw, "?") {
		return
	}
	q := queryOf(raw)
	diff, hasDiff := parseID(q.Get("diff"))
	old, hasOld := parseID(q.Get("oldid"))
	if hasDiff {
		if diff == 0 {
			// MediaWiki links log entries with diff=0.
			rev.Log = true
		} else if rev.ID == 0 {
			rev.ID = diff
		}
		if hasOld && rev.ParentID == 0 {
			if old == 0 {
				rev.NewPage = true
			} else {
				rev.ParentID = old
			}
		}
	} else if hasOld && old > 0 && rev.ID == 0 {
		rev.ID = old
	}
	if cur, ok := parseID(q.Get("curid")); ok && cur > 0 && rev.PageID == 0 {
		rev.PageID = cur
	}
}

// parseID parses a non-negative decimal ID; "prev", "next" and "cur" are
// not IDs.
func parseID(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// splitComment splits a summary into the HTML inside its leading <p> and
// what follows the </p>; ok is false when it does not start with <p>.
func splitComment(summary string) (comment, rest string, ok bool) {
	s := strings.TrimLeft(summary, " \t\n")
	if !hasPrefixFold(s, "<p>") {
		return "", summary, false
	}
	end := strings.Index(s, "</p>")
	if end < 0 {
		return "", summary, false
	}
	return s[len("<p>"):end], s[end+len("</p>"):], true
}

// divAfter returns the <div>…</div> that follows a leading <hr />.
func divAfter(s string) (string, bool) {
	i := strings.IndexByte(s, '>')
	if i < 0 {
		return "", false
	}
	s = strings.TrimSpace(s[i+1:])
	if !hasPrefixFold(s, "<div") {
		return "", false
	}
	return s, true
}

// wikitextFromDiv undoes what MediaWiki does to wikitext in a feed,
// nl2br(htmlspecialchars(text)) inside <div>…</div>: it drops the <br />
// before each newline, then decodes the one level of entities. A "<br/>"
// typed in the wikitext arrives as "&lt;br/&gt;" and so stays as text.
func wikitextFromDiv(div string) string {
	inner := div
	if i := strings.IndexByte(inner, '>'); hasPrefixFold(inner, "<div") && i >= 0 {
		inner = inner[i+1:]
	}
	inner = strings.TrimSuffix(strings.TrimRight(inner, " \n"), "</div>")
	inner = strings.ReplaceAll(inner, "<br />", "")
	if strings.Contains(inner, "<br/>") {
		inner = strings.ReplaceAll(inner, "<br/>", "")
	}
	return unescapeHTML(inner)
}

// hrefOf returns the href attribute of the first tag in s, still escaped.
func hrefOf(s string) string {
	v := xmlAttr(s[:max(strings.IndexByte(s, '>'), 0)], "href")
	return v
}

// commentText turns a MediaWiki comment paragraph into the edit summary as
// the wiki stores it ("/* Section */ rest") and the section it names. The
// autocomment may be a span (class "autocomment", with an arrow link and
// U+200E marks around it) or, in contributions feeds, the raw /* … */.
func commentText(frag string) (comment, section string) {
	if frag == "" {
		return "", ""
	}
	if !strings.Contains(frag, "autocomment") {
		text := htmlText(frag)
		return text, sectionOf(text)
	}
	var before, auto, after strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(frag))
	depth := 0 // span depth inside the autocomment span; 0 = outside
	seen := false
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		switch tt {
		case xhtml.StartTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "span" {
				continue
			}
			if depth > 0 {
				depth++
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "class" && strings.Contains(string(v), "autocomment") && !seen {
					depth = 1
					seen = true
				}
			}
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); string(name) == "span" && depth > 0 {
				depth--
			}
		case xhtml.TextToken:
			switch {
			case depth > 0:
				auto.Write(z.Text())
			case seen:
				after.Write(z.Text())
			default:
				before.Write(z.Text())
			}
		default:
			// Comments, doctypes and self-closing tags hold no comment text
			// and open no span.
		}
	}
	section = strings.TrimFunc(cleanText(auto.String()), func(r rune) bool {
		return r == '→' || r == ':' || unicode.IsSpace(r)
	})
	pre, post := cleanText(before.String()), cleanText(after.String())
	parts := make([]string, 0, 3)
	if pre != "" {
		parts = append(parts, pre)
	}
	if section != "" {
		parts = append(parts, "/* "+section+" */")
	}
	if post != "" {
		parts = append(parts, post)
	}
	comment = strings.Join(parts, " ")
	if isMessageKey(section) {
		// Wikibase puts message keys ("wbsetclaim-create:2||1") where
		// sections go; those name no section.
		section = ""
	}
	return comment, section
}

// sectionOf returns the section of the first "/* Section */" in a stored
// summary.
func sectionOf(text string) string {
	start := strings.Index(text, "/*")
	if start < 0 {
		return ""
	}
	end := strings.Index(text[start+2:], "*/")
	if end < 0 {
		return ""
	}
	s := strings.TrimSpace(text[start+2 : start+2+end])
	if isMessageKey(s) {
		return ""
	}
	return s
}

// isMessageKey reports whether an autocomment is a Wikibase message key
// like "wbsetclaim-create:2||1" rather than a section title.
func isMessageKey(s string) bool {
	name, args, ok := strings.Cut(s, ":")
	if !ok || name == "" || !strings.HasPrefix(name, "wb") {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && r != '-' {
			return false
		}
	}
	return args == "" || args[0] >= '0' && args[0] <= '9'
}

// historyComment reads the comment out of a history feed's entry title:
// "User: comment" gives the comment, "User at 20:53, 8 August 2014" none.
func historyComment(title, user string) string {
	if user != "" {
		if after, ok := strings.CutPrefix(title, user+":"); ok {
			return strings.TrimSpace(after)
		}
		if strings.HasPrefix(title, user+" ") {
			return ""
		}
	}
	return ""
}

// htmlText returns the text of an HTML fragment: tags dropped, entities
// decoded, white space collapsed, invisible marks and control characters
// removed.
func htmlText(frag string) string {
	if !strings.ContainsAny(frag, "<&") {
		return cleanText(frag)
	}
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(frag))
	hidden := 0 // depth inside <script> and <style>, whose text is not text
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		switch tt {
		case xhtml.TextToken:
			if hidden == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			if string(name) == "script" || string(name) == "style" {
				if tt == xhtml.StartTagToken {
					hidden++
				} else if hidden > 0 {
					hidden--
				}
			}
		default:
			// Comments, doctypes and self-closing tags hold no text and
			// open nothing to hide.
		}
	}
	return cleanText(b.String())
}

// cleanText collapses white space, trims, and removes the characters a
// one-line text (title, user, comment) never needs: control characters,
// the direction marks MediaWiki puts around comments (U+200E, U+200F), and
// the other bidirectional formatting characters, which can reorder what a
// terminal shows.
func cleanText(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		if isDirectionMark(r) || r == utf8RuneError || (unicode.IsControl(r) && r != ' ') || (unicode.IsSpace(r) && (r != ' ' || prevSpace)) {
			clean = false
			break
		}
		prevSpace = r == ' '
	}
	if clean && !strings.HasSuffix(s, " ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isDirectionMark(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r) || r == utf8RuneError:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isDirectionMark reports whether r is an invisible bidirectional
// formatting character: LRM, RLM, ALM, the embeddings and overrides, and
// the isolates.
func isDirectionMark(r rune) bool {
	return r == '\u200e' || r == '\u200f' || r == '\u061c' || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// utf8RuneError is U+FFFD, which stands for undecodable bytes; dropping it
// keeps the model free of them.
const utf8RuneError = '\uFFFD'

// hasPrefixFold is strings.HasPrefix ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isIkiwiki recognises an ikiwiki recent-changes entry by its metadata
// block.
func isIkiwiki(body string) bool {
	return strings.Contains(body, `class="pagelinks"`) && strings.Contains(body, `class="metadata"`)
}

// ikiwikiEntry reads an ikiwiki entry: a metadata block naming the changed
// pages and the committer, then the commit message in a changelog div.
// Its title reads "[user: ]change to PAGES on WIKI".
func ikiwikiEntry(rev *Revision, body string) {
	rev.Kind = BodyHTML
	rev.Body = strings.TrimSpace(body)
	if _, rest, ok := strings.Cut(rev.Page, "change to "); ok {
		if i := strings.LastIndex(rest, " on "); i > 0 {
			rev.Page = rest[:i]
		}
	} else if pages := htmlText(spanText(body, "pagelinks")); pages != "" {
		rev.Page = pages
	}
	if rev.User == "" {
		rev.User = htmlText(spanText(body, "committer"))
	}
	if i := strings.Index(body, `class="changelog"`); i >= 0 {
		log := body[i:]
		if j := strings.IndexByte(log, '>'); j >= 0 {
			log = log[j+1:]
		}
		if j := strings.Index(log, "</div>"); j >= 0 {
			log = log[:j]
		}
		rev.Comment = htmlText(log)
	}
}

// spanText returns the inner HTML of the first <span class="class">.
func spanText(body, class string) string {
	i := strings.Index(body, `<span class="`+class+`">`)
	if i < 0 {
		return ""
	}
	s := body[i+len(`<span class="`+class+`">`):]
	if j := strings.Index(s, "</span>"); j >= 0 {
		s = s[:j]
	}
	return s
}
