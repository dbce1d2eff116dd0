// Package render turns a feed revision (HTML and wikitext) and diffs into
// styled terminal text, plain text or Markdown. Render functions are pure:
// they take the input, a width and a style, and never read the terminal.
//
// A revision is parsed once into a document tree (wikitext and HTML alike:
// tree.go); the layout (layout.go) writes the tree as styled or plain
// terminal text, and the Markdown writer (mdwrite.go) as Markdown. The first
// screen of a huge page is laid out from a prefix of its text, so it shows
// at once and the rest follows:
//
//	doc := render.Prepare(rev)
//	first, done, err := doc.RenderFirst(opts, 40) // about 40 lines, quickly
//	all, err := doc.Render(opts)                  // the whole page
//
// Rendering is pure, so callers cache the results: the TUI keeps them in
// an LRU keyed by revision, mode, width and style.
//
// Links to the wiki's own pages show their label only (in colour, an OSC 8
// hyperlink to the page); other links show "label URL".
//
// Feed text is decoded once, then passes through Sanitize as it becomes a
// text node of the tree; nothing decodes it again. Every escape sequence in
// the output is the layout's own (the style's SGR, OSC 8 for the document's
// links that pass SafeURL), and output for a terminal passes StripUnsafeANSI
// last.
package render

import (
	"fmt"
	"strings"
	"sync"
	"time"

	glamouransi "charm.land/glamour/v2/ansi"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
)

// Format is an output format.
type Format int

// The output formats.
const (
	// ANSI is styled terminal text.
	ANSI Format = iota
	// Plain is text with no escape codes.
	Plain
	// Markdown is Markdown source.
	Markdown
	// Source is the body as the feed has it, made safe.
	Source
)

// Options say how to render.
type Options struct {
	// Width is the wrap width in cells.
	Width int
	// Style is a style name (glamour's names): "dark", "light", "notty", "ascii",
	// "dracula", "pink", "tokyo-night".
	Style string
	// StyleConfig, when set, is used instead of Style's glamour style
	// (a glamour JSON style file's); Style still picks the diff colours.
	StyleConfig *glamouransi.StyleConfig
	// Format is the output format.
	Format Format
}

// Rendering tunables.
const (
	// firstScreenBytes is how much wikitext RenderFirst parses of a long
	// page: several screens' worth.
	firstScreenBytes = 6 << 10
	// minWidth is the narrowest width we wrap to.
	minWidth = 20
	// DefaultWidth is the width used when none is known (stdout is not a
	// terminal).
	DefaultWidth = 80
)

// Document is a revision prepared for rendering. Preparing is free; the
// parse into the document tree happens once, when first needed, and the
// layout in Render and RenderFirst. A Document is safe for concurrent use.
type Document struct {
	rev  *feed.Revision
	once sync.Once
	// blocks are the whole document's tree (header and body), set by
	// build; table is a MediaWiki diff table, rendered by Diff.
	blocks []*node
	table  string
	// note is shown under the header (WithNote).
	note string
}

// Prepare returns a Document for a revision: a header (title, author,
// time, revision, section, comment, size change) and its body.
func Prepare(rev *feed.Revision) *Document {
	return &Document{rev: rev}
}

// PrepareWikiHTML returns a Document for a revision whose body is the
// wiki's own rendering of it (action=parse's HTML): templates expanded as
// the wiki does. The wiki's chrome (edit links, the table of contents) is
// left out.
func PrepareWikiHTML(rev *feed.Revision, wikiHTML string) *Document {
	r := *rev
	r.Kind, r.Body, r.Text = feed.BodyHTML, wikiHTML, ""
	return &Document{rev: &r}
}

// WithNote returns the Document with a note shown under its header, such
// as why the wiki's own rendering is not the one shown.
func (d *Document) WithNote(note string) *Document {
	return &Document{rev: d.rev, note: note}
}

// build parses the whole revision, once.
func (d *Document) build() {
	d.once.Do(func() {
		body, table := bodyBlocks(d.rev, d.rev.Text, false)
		d.blocks = append(d.header(), body...)
		d.table = table
	})
}

// header is the header blocks, with the note.
func (d *Document) header() []*node {
	h := headerBlocks(d.rev)
	if d.note != "" {
		h = appendBlock(h, para([]*node{newText(d.note, stItalic)}))
	}
	return h
}

// Markdown returns the whole document as Markdown.
func (d *Document) Markdown() string {
	d.build()
	return markdownOf(d.blocks)
}

// Chunks returns how many top-level blocks the document has.
func (d *Document) Chunks() int {
	d.build()
	return len(d.blocks)
}

// newLayout returns the layout for options.
func newLayout(opts Options) *layout {
	style := opts.Style
	if style == "" {
		style = "dark"
	}
	pal, ok := palettes[style]
	if !ok {
		pal = palettes["dark"]
	}
	if opts.StyleConfig != nil {
		pal = paletteOf(opts.StyleConfig)
	}
	if opts.Format == Plain {
		// Plain text has no marks: a heading is its words.
		pal.marks = false
	}
	return &layout{pal: pal, on: opts.Format == ANSI && !pal.marks}
}

// contentWidth is the width inside the document's margins.
func contentWidth(opts Options) int {
	return max(opts.Width, minWidth) - 2*docMargin
}

// Render renders the whole document.
func (d *Document) Render(opts Options) (string, error) {
	if err := checkStyle(opts); err != nil {
		return "", err
	}
	d.build()
	if opts.Format == Markdown {
		return markdownOf(d.blocks), nil
	}
	l := newLayout(opts)
	lines := l.blocks(d.blocks, contentWidth(opts), false)
	out := finish(lines, opts)
	if d.table != "" {
		t, err := renderDiffTable(d.table, opts)
		if err != nil {
			return "", err
		}
		out += "\n" + t
	}
	return out, nil
}

// checkStyle refuses an unknown style name.
func checkStyle(opts Options) error {
	if opts.Style != "" && !ValidStyle(opts.Style) {
		return fmt.Errorf("render: unknown style %q", opts.Style)
	}
	return nil
}

// finish puts the margin before each line and, for a terminal, passes
// the text through StripUnsafeANSI, which keeps exactly what the layout
// wrote.
func finish(lines []string, opts Options) string {
	margin := strings.Repeat(" ", docMargin)
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(margin + strings.TrimRight(l, " "))
		}
		b.WriteByte('\n')
	}
	s := b.String()
	if opts.Format == ANSI {
		return StripUnsafeANSI(s)
	}
	return s
}

// RenderFirst renders the start of the document until the output has at
// least lines lines, for a first screen; its lines are the first lines of
// Render's output. For a long wikitext page only a prefix of the text is
// parsed, cut where no template, table, tag or comment is open, so the
// first screen costs the same whatever the page's size. complete is true
// when the result is the whole document.
func (d *Document) RenderFirst(opts Options, lines int) (text string, complete bool, err error) {
	if err := checkStyle(opts); err != nil {
		return "", false, err
	}
	if opts.Format == Markdown {
		return d.Markdown(), true, nil
	}
	if d.rev.Kind == feed.BodyWikitext {
		// A page whose start is one long template (an infobox) needs
		// more text for a screen: grow the prefix until it fills one.
		for n := firstScreenBytes; ; n *= 4 {
			prefix, all := wikitextPrefix(d.rev.Text, n)
			if all {
				break
			}
			body, _ := bodyBlocks(d.rev, prefix, true)
			blocks := append(d.header(), body...)
			// The last block of a prefix may be cut short: it is never
			// shown; a longer prefix is tried instead.
			if text, ok := firstLines(blocks[:len(blocks)-1], opts, lines); ok {
				return text, false, nil
			}
		}
	}
	d.build()
	if d.table == "" {
		if text, ok := firstLines(d.blocks, opts, lines); ok {
			return text, false, nil
		}
	}
	text, err = d.Render(opts)
	return text, true, err
}

// firstLines lays out blocks until there are at least n lines and a
// block is left over; ok is false when all of them gave fewer.
func firstLines(blocks []*node, opts Options, n int) (string, bool) {
	l := newLayout(opts)
	w := contentWidth(opts)
	var lines []string
	for i, b := range blocks {
		ls := l.block(b, w)
		if len(ls) == 0 {
			continue
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, ls...)
		if len(lines) >= n && i < len(blocks)-1 {
			return finish(lines, opts), true
		}
	}
	return "", false
}

// Revision renders one revision: a header, then its body, in the format
// of opts.
func Revision(rev *feed.Revision, opts Options) (string, error) {
	if opts.Format == Source {
		return SourceText(rev), nil
	}
	return Prepare(rev).Render(opts)
}

// SourceText returns the revision's body as the feed has it (wikitext, or
// HTML), made safe for a terminal.
func SourceText(rev *feed.Revision) string {
	if rev.Kind == feed.BodyWikitext {
		return Sanitize(rev.Text)
	}
	return Sanitize(rev.Body)
}

// trimPadding removes the spaces (and the colour codes around them) a
// line ends with. A scan from the end, as a regular expression anchored
// at the end backtracks over every line.
func trimPadding(l string) string {
	for {
		switch {
		case strings.HasSuffix(l, " "):
			l = l[:len(l)-1]
		case strings.HasSuffix(l, "m"):
			i := strings.LastIndex(l, "\x1b[")
			if i < 0 || strings.Trim(l[i+2:len(l)-1], "0123456789;") != "" || strings.TrimSpace(ansi.Strip(l[i:])) != "" {
				return l
			}
			// Only an SGR with nothing after it: keep a reset that
			// closes styled text before it.
			rest := strings.TrimRight(l[:i], " ")
			if rest == l[:i] {
				return l
			}
			l = rest + l[i:]
			if strings.HasSuffix(rest, "m") {
				return l
			}
		default:
			return l
		}
	}
}

// renderDiffTable renders a MediaWiki diff table the way our own diffs
// render, with the table's notes ("3 intermediate revisions not shown")
// and line headers.
func renderDiffTable(table string, opts Options) (string, error) {
	t, err := mwtable.ParseTable(table)
	if err != nil {
		return "", fmt.Errorf("render diff table: %w", err)
	}
	if t.Result == nil || len(t.Result.Hunks) == 0 {
		notes := []string{NoDifference}
		for _, n := range t.Notes {
			if n != NoDifference {
				notes = append(notes, n)
			}
		}
		return Sanitize(strings.Join(notes, "\n")) + "\n", nil
	}
	width := opts.Width
	if width <= 0 {
		width = DefaultWidth
	}
	// Indent by the document's margin so the diff lines up with the header.
	out, err := DiffWith(t.Result, DiffOptions{
		Options:       Options{Width: max(width-diffIndent, minWidth), Style: opts.Style, Format: opts.Format},
		Notes:         t.Notes,
		HunkTitles:    t.HunkTitles,
		NoLineNumbers: !t.Numbered,
	})
	if err != nil {
		return "", err
	}
	// The diff's notes, headers and stats lines are not wrapped by the
	// diff renderer; wrap them here, escape codes and all.
	text := ansi.Wrap(out.Text, max(width-diffIndent, minWidth), "")
	return indentLines(text, strings.Repeat(" ", diffIndent)), nil
}

// diffIndent is the left margin of a diff inside a rendered revision.
const diffIndent = 2

// headerBlocks are the revision's header: title, a line of facts
// (author, time, revision, size change), the section and the comment,
// and a rule.
func headerBlocks(rev *feed.Revision) []*node {
	title := rev.Page
	if title == "" {
		title = "(untitled)"
	}
	out := []*node{{kind: blockHeading, level: 1, kids: []*node{newText(title, 0)}}}
	var meta []*node
	sep := func() {
		if len(meta) > 0 {
			meta = append(meta, newText(" · ", 0))
		}
	}
	if rev.User != "" {
		meta = append(meta, newText(rev.User, stBold))
	}
	var facts []string
	if !rev.Time.IsZero() {
		facts = append(facts, rev.Time.UTC().Format("2006-01-02 15:04 UTC"))
	}
	switch {
	case rev.Log:
		facts = append(facts, "log entry")
	case rev.ID != 0:
		facts = append(facts, fmt.Sprintf("revision %d", rev.ID))
	}
	if rev.NewPage {
		facts = append(facts, "new page")
	}
	if rev.HasSizeChange {
		facts = append(facts, SizeChange(rev.SizeChange)+" bytes")
	}
	for _, f := range facts {
		sep()
		meta = append(meta, newText(f, 0))
	}
	out = appendBlock(out, para(meta))
	comment := strings.TrimSpace(rev.Comment)
	var line []*node
	if rev.Section != "" {
		// The /* Section */ autocomment becomes a section marker; the
		// rest of the comment follows it.
		comment = strings.TrimSpace(strings.Replace(comment, "/* "+rev.Section+" */", "", 1))
		line = append(line, newText("§ ", 0), newText(rev.Section, stItalic))
		if comment != "" {
			line = append(line, newText(": ", 0))
		}
	}
	if comment != "" {
		line = append(line, newText(comment, 0))
	}
	out = appendBlock(out, para(line))
	return append(out, &node{kind: blockRule})
}

// SizeChange formats a size change as MediaWiki does: +123, −45, 0.
func SizeChange(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("+%d", n)
	case n < 0:
		return fmt.Sprintf("−%d", -n)
	}
	return "0"
}

// bodyBlocks parses the revision's body, with text standing for its
// wikitext. A diff table is returned apart, as it is rendered by Diff.
func bodyBlocks(rev *feed.Revision, text string, partial bool) (blocks []*node, table string) {
	switch rev.Kind {
	case feed.BodyWikitext:
		p := &wikiParser{page: rev.Page, pageURL: PageURLFunc(rev.URL), partial: partial}
		return p.parse(text), ""
	case feed.BodyDiffTable:
		return nil, rev.Body
	case feed.BodyChangesLink:
		target := rev.ChangesURL
		if target == "" {
			target = rev.URL
		}
		link := &node{kind: inLink, url: SafeURL(target), kids: []*node{newText("show changes", 0)}}
		return []*node{{kind: blockPara, kids: []*node{newText("The change is too large for the feed: ", 0), link}}}, ""
	case feed.BodyEmpty:
		return nil, ""
	default: // feed.BodyHTML
		base := rev.BaseURL
		if base == "" {
			base = rev.URL
		}
		return parseHTML(rev.Body, base), ""
	}
}

// Since formats the time since t, for lists: "5m", "3h", "2d", or a date.
func Since(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return ""
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return t.UTC().Format("2006-01-02")
}
