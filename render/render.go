// Package render turns a feed revision (HTML and wikitext) and diffs into
// styled terminal text, plain text or Markdown. Render functions are pure:
// they take the input, a width and a style, and never read the terminal.
//
// A revision is first prepared as a Document, its Markdown cut into chunks
// at section boundaries; glamour then styles the chunks, the first screen
// first, so a huge page shows at once and the rest follows:
//
//	doc := render.Prepare(rev)
//	first, done, err := doc.RenderFirst(opts, 40) // about 40 lines, quickly
//	all, err := doc.Render(opts)                  // the whole page
//
// Rendering is pure, so callers cache the results: the TUI keeps them in
// an LRU keyed by revision, mode, width and style.
//
// Links to the wiki's own pages show their label only (in colour, an OSC 8
// hyperlink to the page); other links show "label URL", as glamour does.
//
// Every piece of feed text passes through Sanitize before any Markdown or
// ANSI is made, and output for a terminal passes StripUnsafeANSI last.
package render

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"charm.land/glamour/v2"
	glamouransi "charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
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
	// Style is a glamour style name: "dark", "light", "notty", "ascii",
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
	// chunkBytes is the Markdown size past which a section is cut at a
	// paragraph boundary: glamour's cost grows with its input, so the
	// first screen must not wait for a long first section.
	chunkBytes = 4 << 10
	// firstScreenBytes is how much wikitext RenderFirst converts of a
	// long page: several screens' worth.
	firstScreenBytes = 6 << 10
	// minWidth is the narrowest width we wrap to; glamour needs room for
	// its margins.
	minWidth = 20
	// DefaultWidth is the width used when none is known (stdout is not a
	// terminal).
	DefaultWidth = 80
)

// chunk is a piece of a Document: Markdown for glamour, or a MediaWiki
// diff table, which is not prose and is rendered by Diff.
type chunk struct {
	md        string
	diffTable string
}

// Document is a revision prepared for rendering. Preparing is free; the
// conversion to Markdown happens once, when first needed, and glamour's
// styling (the slow part) in Render and RenderFirst. A Document is safe
// for concurrent use.
type Document struct {
	rev  *feed.Revision
	once sync.Once
	// mu guards reading chunks while build may be writing them.
	mu sync.Mutex
	// chunks and markdown are the whole document, set by build.
	chunks   []chunk
	markdown string
}

// Prepare returns a Document for a revision: a header (title, author,
// time, revision, section, comment, size change) and its body.
func Prepare(rev *feed.Revision) *Document {
	return &Document{rev: rev}
}

// build converts the whole revision, once.
func (d *Document) build() {
	d.once.Do(func() {
		chunks := buildChunks(d.rev, d.rev.Text, false)
		d.mu.Lock()
		d.chunks = chunks
		d.mu.Unlock()
		var b strings.Builder
		for _, c := range d.chunks {
			if c.md != "" {
				b.WriteString(c.md)
				b.WriteString("\n")
			}
		}
		d.markdown = forMarkdown(b.String())
	})
}

// buildChunks converts a revision, with text standing for its wikitext
// (the whole of it, or a prefix for a first screen, when partial is set
// and the footnotes and categories are left out), and cuts the result.
func buildChunks(rev *feed.Revision, text string, partial bool) []chunk {
	chunks := []chunk{{md: headerMarkdown(rev)}}
	body, table := bodyMarkdown(rev, text, partial)
	for _, c := range splitMarkdown(body) {
		chunks = append(chunks, chunk{md: c})
	}
	if table != "" {
		chunks = append(chunks, chunk{diffTable: table})
	}
	return chunks
}

// Markdown returns the whole document as Markdown.
func (d *Document) Markdown() string {
	d.build()
	return d.markdown
}

// Chunks returns how many pieces the whole document renders in.
func (d *Document) Chunks() int {
	d.build()
	return len(d.chunks)
}

// Render renders the whole document. Chunks render in parallel, one
// goroutine per CPU.
func (d *Document) Render(opts Options) (string, error) {
	d.build()
	if opts.Format == Markdown {
		return d.markdown, nil
	}
	out := make([]string, len(d.chunks))
	errs := make([]error, len(d.chunks))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(d.chunks)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = renderChunk(d.chunks[i], opts)
			}
		}()
	}
	for i := range d.chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return "", err
		}
	}
	return joinChunks(out), nil
}

// RenderFirst renders the start of the document until the output has at
// least lines lines, for a first screen; its lines are the first lines of
// Render's output. For a long wikitext page only a prefix of the text is
// converted, cut where no template, table, tag or comment is open, so the
// first screen costs the same whatever the page's size. complete is true
// when the result is the whole document.
func (d *Document) RenderFirst(opts Options, lines int) (text string, complete bool, err error) {
	if opts.Format == Markdown {
		d.build()
		return d.markdown, true, nil
	}
	d.mu.Lock()
	built := d.chunks != nil
	d.mu.Unlock()
	if !built && d.rev.Kind == feed.BodyWikitext {
		// A page whose start is one long template (an infobox) needs
		// more text for a screen: grow the prefix until it fills one.
		for n := firstScreenBytes; ; n *= 4 {
			prefix, all := wikitextPrefix(d.rev.Text, n)
			if all {
				break
			}
			text, ok, err := renderFirstOf(buildChunks(d.rev, prefix, true), opts, lines)
			if err != nil || ok {
				return text, false, err
			}
		}
	}
	d.build()
	text, ok, err := renderFirstOf(d.chunks, opts, lines)
	return text, !ok, err
}

// renderFirstOf renders chunks until the output has lines lines; enough
// is false when all of them gave fewer.
func renderFirstOf(chunks []chunk, opts Options, lines int) (text string, enough bool, err error) {
	var out []string
	n := 0
	for i, c := range chunks {
		s, err := renderChunk(c, opts)
		if err != nil {
			return "", false, err
		}
		out = append(out, s)
		// joinChunks trims each chunk and puts a blank line between.
		n += strings.Count(strings.Trim(s, "\n"), "\n") + 2
		if n >= lines && i < len(chunks)-1 {
			// The last chunk of a prefix may end mid-section: it is
			// used only when needed, and then a later prefix is longer.
			return joinChunks(out), true, nil
		}
	}
	return joinChunks(out), false, nil
}

// renderChunk renders one chunk.
func renderChunk(c chunk, opts Options) (string, error) {
	if c.diffTable != "" {
		return renderDiffTable(c.diffTable, opts)
	}
	s, err := styleMarkdown(c.md, opts)
	if err != nil {
		return "", err
	}
	return s, nil
}

// joinChunks joins rendered chunks with one blank line between them.
func joinChunks(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		p = strings.Trim(p, "\n")
		if strings.TrimSpace(ansi.Strip(p)) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p)
	}
	b.WriteString("\n")
	return b.String()
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

// styleMarkdown runs glamour on Markdown. Plain output is the styled
// output with every escape sequence removed, so it has the same layout
// and no escape codes at all.
func styleMarkdown(md string, opts Options) (string, error) {
	width := max(opts.Width, minWidth)
	style := opts.Style
	if style == "" {
		style = "dark"
	}
	if opts.Format == Plain && (style == "notty" || style == "ascii") {
		// Those styles write Markdown's own markers (**, _) into the text.
		style = "dark"
	}
	cfg, ok := styles.DefaultStyles[style]
	if opts.StyleConfig != nil {
		cfg, ok = opts.StyleConfig, true
	}
	if !ok {
		return "", fmt.Errorf("render: unknown style %q", style)
	}
	md = forGlamour(fitCodeBlocks(md, width-glamourMargin-codeBlockMargin))
	linked := *cfg
	linked.Link.Format = linkFormat
	r, err := glamour.NewTermRenderer(glamour.WithStyles(linked), glamour.WithWordWrap(width-glamourMargin), glamour.WithPreservedNewLines())
	if err != nil {
		return "", fmt.Errorf("render: style %q: %w", style, err)
	}
	s, err := r.Render(md)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	s = dropWikiLinkURLs(s, width)
	if opts.Format == Plain {
		s = ansi.Strip(s)
		return trimLines(s), nil
	}
	return trimStyledPadding(StripUnsafeANSI(s)), nil
}

// trimPadding removes what glamour pads a line's end with: spaces, each
// wrapped in its own colour codes. A scan from the end, as a regular
// expression anchored at the end backtracks over every line.
func trimPadding(l string) string {
	for {
		switch {
		case strings.HasSuffix(l, " "):
			l = l[:len(l)-1]
		case strings.HasSuffix(l, "m"):
			i := strings.LastIndex(l, "\x1b[")
			if i < 0 || strings.Trim(l[i+2:len(l)-1], "0123456789;") != "" {
				return l
			}
			l = l[:i]
		default:
			return l
		}
	}
}

// trimStyledPadding removes the styled spaces glamour pads every line to
// the full width with (they are most of its output's bytes) and closes
// each line's colours.
func trimStyledPadding(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := trimPadding(l)
		if len(t) != len(l) && strings.Contains(t, "\x1b[") {
			t += "\x1b[m"
		}
		lines[i] = t
	}
	return strings.Join(lines, "\n")
}

// ValidStyle reports whether name is one of glamour's standard styles.
func ValidStyle(name string) bool {
	_, ok := styles.DefaultStyles[name]
	return ok
}

// glamourMargin is the room glamour's styles take around the text (a
// document margin of 2 on each side).
const glamourMargin = 4

// trimLines removes trailing spaces, which glamour pads lines with.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
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
	// Indent by glamour's margin so the diff lines up with the header.
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

// headerMarkdown is the revision's header as Markdown.
func headerMarkdown(rev *feed.Revision) string {
	var b strings.Builder
	title := rev.Page
	if title == "" {
		title = "(untitled)"
	}
	b.WriteString("# " + escapeMD(title) + "\n\n")
	var meta []string
	if rev.User != "" {
		meta = append(meta, "**"+escapeMD(rev.User)+"**")
	}
	if !rev.Time.IsZero() {
		meta = append(meta, rev.Time.UTC().Format("2006-01-02 15:04 UTC"))
	}
	switch {
	case rev.Log:
		meta = append(meta, "log entry")
	case rev.ID != 0:
		meta = append(meta, fmt.Sprintf("revision %d", rev.ID))
	}
	if rev.NewPage {
		meta = append(meta, "new page")
	}
	if rev.HasSizeChange {
		meta = append(meta, SizeChange(rev.SizeChange)+" bytes")
	}
	if len(meta) > 0 {
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
	}
	comment := strings.TrimSpace(rev.Comment)
	if rev.Section != "" {
		// The /* Section */ autocomment becomes a section marker; the
		// rest of the comment follows it.
		comment = strings.TrimSpace(strings.Replace(comment, "/* "+rev.Section+" */", "", 1))
		b.WriteString("§ *" + escapeMD(rev.Section) + "*")
		if comment != "" {
			b.WriteString(": ")
		}
	}
	if comment != "" {
		b.WriteString(escapeLineStart(escapeMD(comment)))
	}
	if rev.Section != "" || comment != "" {
		b.WriteString("\n\n")
	}
	b.WriteString("---\n")
	return b.String()
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

// bodyMarkdown converts the revision's body, with text standing for its
// wikitext. A diff table is returned apart, as it is not Markdown.
func bodyMarkdown(rev *feed.Revision, text string, partial bool) (md, table string) {
	switch rev.Kind {
	case feed.BodyWikitext:
		c := &wikiConverter{page: rev.Page, pageURL: PageURLFunc(rev.URL), partial: partial}
		return c.convert(text), ""
	case feed.BodyDiffTable:
		return "", rev.Body
	case feed.BodyChangesLink:
		target := rev.ChangesURL
		if target == "" {
			target = rev.URL
		}
		return "The change is too large for the feed: " + mdLink("show changes", target) + "\n", ""
	case feed.BodyEmpty:
		return "", ""
	}
	base := rev.BaseURL
	if base == "" {
		base = rev.URL
	}
	return htmlToMarkdown(rev.Body, base), ""
}

// splitMarkdown cuts Markdown into chunks at headings, and a long section
// at blank lines that are not inside a list, a table or a code block.
func splitMarkdown(md string) []string {
	lines := strings.Split(md, "\n")
	var chunks []string
	var cur strings.Builder
	inCode := false
	flush := func() {
		if strings.TrimSpace(cur.String()) != "" {
			chunks = append(chunks, cur.String())
		}
		cur.Reset()
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			inCode = !inCode
		}
		if !inCode && strings.HasPrefix(l, "#") && cur.Len() > 0 {
			flush()
		}
		cur.WriteString(l)
		cur.WriteByte('\n')
		if !inCode && l == "" && cur.Len() >= chunkBytes && i+1 < len(lines) && safeBreakBefore(lines[i+1]) {
			flush()
		}
	}
	flush()
	return chunks
}

// safeBreakBefore reports whether a chunk may start with this line:
// not a list continuation, not a table row.
func safeBreakBefore(l string) bool {
	t := strings.TrimLeft(l, " \u00a0")
	return t != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(t, "|") &&
		!strings.HasPrefix(t, "- ") && !strings.HasPrefix(t, "1. ")
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
