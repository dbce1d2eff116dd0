package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	glamouransi "charm.land/glamour/v2/ansi"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
	"github.com/wikifeed/wikifeed/wikiapi"
)

const diffLong = `Show what a revision changed, with the changed words highlighted.

The diff is the MediaWiki diff table the revision's feed entry carries, or
else the difference from the previous revision of the same page in the
feed. Entries that carry only a "Show changes" link (MediaWiki sends those
for large diffs) have both texts fetched from the wiki's API. Without
--rev, --from or --to, the newest revision that has a diff table or an
earlier revision in the feed is shown.

Output on a terminal is coloured and wrapped to its width. Piped, it is
plain text with git's --word-diff=plain markers ([-old-]{+new+}) and no
wrapping unless --width is given; --format unified writes a standard
unified diff; --format ansi colours a pipe too. NO_COLOR turns colour off
as --color never does, unless a flag asks for it; CLICOLOR_FORCE and
FORCE_COLOR turn it on; TERM=dumb off.

Diff tables carry the two lines of context MediaWiki sent: --context can
show fewer, not more.`

const diffExample = `# the newest revision of the sample that has something to compare with
wikifeed diff
# what revision 6198 changed
wikifeed diff feed.atom --rev 6198
# from one revision to a later one of the same page
wikifeed diff feed.atom --from 6197 --to 6200
# a standard unified diff, for patch and other tools
wikifeed diff feed.atom --format unified`

// newPageNote heads the diff of a page's first revision.
const newPageNote = "New page: no earlier revision; the whole text is new."

// usageError is a bad command line found only once the feed is loaded,
// such as --from and --to on different pages; it exits with exitUsage.
type usageError struct{ msg string }

// Error returns the message.
func (e *usageError) Error() string { return e.msg }

// diffConfig is the parsed command line of wikifeed diff.
type diffConfig struct {
	rev, from, to int64
	mode          render.DiffMode
	context       int
	format        string
	outputFlags
	// changed reports whether a flag was given; nil: none was.
	changed func(name string) bool
	// out is the output decision and styleConfig its style file's
	// glamour style, made by check.
	out         app.Output
	styleConfig *glamouransi.StyleConfig
}

// newDiffCmd is `wikifeed diff`.
func newDiffCmd(e *env) *cobra.Command {
	c := &diffConfig{}
	cmd := &cobra.Command{
		Use:     "diff [SOURCE...]",
		Short:   "Show what a revision changed",
		Long:    diffLong,
		Example: diffExample,
	}
	fs := cmd.Flags()
	fs.Int64VarP(&c.rev, "rev", "r", 0, "show the diff revision ID made")
	fs.Int64Var(&c.from, "from", 0, "with --to: compare revision ID …")
	fs.Int64Var(&c.to, "to", 0, "… with revision ID of the same page")
	mode := fs.StringP("mode", "m", "inline", "layout: inline, unified or side-by-side (needs 120 columns)")
	fs.IntVarP(&c.context, "context", "U", diff.DefaultContext, "N unchanged lines around each change (-1: the whole text)")
	fs.StringVarP(&c.format, "format", "f", "", "output: ansi, plain or unified (default: ansi on a terminal, else plain)")
	c.define(fs, "the terminal's width; no wrapping when piped")
	sf := addSourceFlags(fs, "diff")
	completeValues(cmd, "format", "ansi", "plain", "unified")
	completeValues(cmd, "mode", "inline", "unified", "side-by-side")
	c.complete(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		c.changed = fs.Changed
		return e.body(func() int { return runDiff(c, *mode, sf, args, e) })
	}
	return cmd
}

// runDiff is `wikifeed diff`.
func runDiff(c *diffConfig, mode string, sf *sourceFlags, pos []string, e *env) int {
	if err := c.check(mode, e); err != nil {
		fmt.Fprintf(e.stderr, "wikifeed diff: %s\nRun 'wikifeed diff --help' for usage.\n", err)
		return exitUsage
	}
	ctx := context.Background()
	f, code := sf.load(ctx, pos, e)
	if f == nil {
		return code
	}
	if code < 0 {
		code = exitOK
	}
	api := &wikiapi.Client{HTTP: sf.httpClient()}
	d, err := c.pick(f)
	if err == nil {
		err = d.compute(ctx, api, c.context)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed diff: %s\n", oneLine(err.Error()))
		var ue *usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitError
	}
	out, err := c.render(d, e)
	if err == nil {
		_, err = fmt.Fprint(e.stdout, out)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed diff: %s\n", err)
		return exitError
	}
	return code
}

// check validates the flags.
func (c *diffConfig) check(mode string, e *env) error {
	set := c.changed
	if set == nil {
		set = func(string) bool { return false }
	}
	switch mode {
	case "inline":
		c.mode = render.DiffInline
	case "unified":
		c.mode = render.DiffUnified
	case "side-by-side", "sidebyside", "split":
		c.mode = render.DiffSideBySide
	default:
		return fmt.Errorf("--mode %q: want inline, unified or side-by-side", mode)
	}
	switch c.format {
	case "", "ansi", "plain", "unified":
	default:
		return fmt.Errorf("--format %q: want ansi, plain or unified", c.format)
	}
	var err error
	c.out, c.styleConfig, err = c.decide(e, c.format, app.PipeWidths{Plain: 0, Colour: render.DefaultWidth})
	if err != nil {
		return err
	}
	switch {
	case c.context < -1:
		return fmt.Errorf("--context %d: want -1 (all) or more", c.context)
	case set("from") != set("to"):
		return errors.New("--from and --to go together")
	case set("rev") && set("from"):
		return errors.New("--rev cannot go with --from and --to")
	}
	for _, f := range []struct {
		name string
		id   int64
	}{{"rev", c.rev}, {"from", c.from}, {"to", c.to}} {
		if set(f.name) && f.id < 1 {
			return fmt.Errorf("--%s %d: want a revision ID", f.name, f.id)
		}
	}
	return nil
}

// revDiff is the diff to show and where it comes from.
type revDiff struct {
	page     string
	old, new *feed.Revision // old is nil for a new page
	// oldID is the old revision's ID: the entry's parent, or --from; 0
	// when unknown (the API is asked) or for a new page.
	oldID int64
	// how the diff is got: from new's table, from both texts, or fetched.
	table, fetch bool
	notes        []string

	// Filled by compute.
	res              *diff.Result
	tab              *mwtable.Table
	oldText, newText string
}

// findRev returns the revision with the given ID.
func findRev(f *feed.Feed, id int64) (*feed.Revision, error) {
	for _, r := range f.Revisions {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no revision %d in the feed", id)
}

// pick chooses the diff the flags ask for.
func (c *diffConfig) pick(f *feed.Feed) (*revDiff, error) {
	switch {
	case c.from != 0:
		from, err := findRev(f, c.from)
		if err != nil {
			return nil, err
		}
		to, err := findRev(f, c.to)
		if err != nil {
			return nil, err
		}
		return between(f, from, to)
	case c.rev != 0:
		r, err := findRev(f, c.rev)
		if err != nil {
			return nil, err
		}
		return made(f, r)
	}
	for _, r := range f.Revisions {
		if r.Log {
			continue
		}
		if r.Kind == feed.BodyDiffTable {
			return made(f, r)
		}
		if prev := f.PageOf(r).Prev(r); r.Kind == feed.BodyWikitext && prev != nil && prev.Kind == feed.BodyWikitext {
			return made(f, r)
		}
	}
	return nil, errors.New("no revision in the feed has a diff table or an earlier revision of its page to compare with; try --rev ID")
}

// revName names a revision in messages: "revision 961 of "Ship List"".
func revName(r *feed.Revision) string {
	if r.ID != 0 {
		return fmt.Sprintf("revision %d of %q", r.ID, r.Page)
	}
	return fmt.Sprintf("the revision of %q at %s", r.Page, r.Time.UTC().Format("2006-01-02 15:04"))
}

// made returns the diff revision r made.
func made(f *feed.Feed, r *feed.Revision) (*revDiff, error) {
	d := &revDiff{page: r.Page, new: r}
	page := f.PageOf(r)
	prev := page.Prev(r)
	switch {
	case r.Log:
		return nil, fmt.Errorf("%s is a log entry (%s), not an edit", revName(r), r.Comment)
	case r.Kind == feed.BodyDiffTable:
		d.table = true
		d.old, d.oldID = prev, r.ParentID
		return d, nil
	case r.Kind == feed.BodyChangesLink:
		d.fetch = true
		d.old, d.oldID = prev, r.ParentID
		return d, nil
	case r.Kind != feed.BodyWikitext:
		return nil, fmt.Errorf("%s carries neither a diff nor the page's text", revName(r))
	case prev == nil && r.NewPage:
		d.notes = append(d.notes, newPageNote)
		return d, nil
	case prev == nil:
		return nil, fmt.Errorf("%s has no earlier revision in the feed to compare with", revName(r))
	case prev.Kind != feed.BodyWikitext:
		return nil, fmt.Errorf("%s: the revision before it in the feed (%d) carries no text to compare with", revName(r), prev.ID)
	}
	d.old, d.oldID = prev, prev.ID
	if r.ParentID != 0 && prev.ID != 0 && r.ParentID != prev.ID {
		d.notes = append(d.notes, fmt.Sprintf("Revisions between %d and %d are not in the feed.", prev.ID, r.ID))
	}
	return d, nil
}

// between returns the diff from one revision to another of the same page.
func between(f *feed.Feed, from, to *feed.Revision) (*revDiff, error) {
	if from.Page != to.Page {
		return nil, &usageError{fmt.Sprintf("--from %d and --to %d are revisions of different pages (%q and %q)", from.ID, to.ID, from.Page, to.Page)}
	}
	if from == to {
		return nil, &usageError{fmt.Sprintf("--from and --to name the same revision %d", from.ID)}
	}
	d := &revDiff{page: to.Page, old: from, new: to, oldID: from.ID}
	switch {
	case from.Kind == feed.BodyWikitext && to.Kind == feed.BodyWikitext:
	case to.Kind == feed.BodyDiffTable && (to.ParentID == from.ID || to.ParentID == 0 && f.PageOf(to).Prev(to) == from):
		d.table = true
		if to.ParentID == 0 {
			d.notes = append(d.notes, fmt.Sprintf("This is the diff the feed carries for revision %d; the feed does not say which revision it starts from.", to.ID))
		}
	case from.Kind != feed.BodyWikitext && from.URL == "" && from.ChangesURL == "" ||
		to.Kind != feed.BodyWikitext && to.URL == "" && to.ChangesURL == "":
		return nil, fmt.Errorf("revisions %d and %d: the feed carries neither both texts nor a diff between them", from.ID, to.ID)
	default:
		d.fetch = true
	}
	return d, nil
}

// compute works out the diff.
func (d *revDiff) compute(ctx context.Context, api *wikiapi.Client, context int) error {
	switch {
	case d.table:
		t, err := mwtable.ParseTable(d.new.Body)
		if err != nil {
			return fmt.Errorf("%s: %w", revName(d.new), err)
		}
		t = t.TrimContext(context)
		d.tab, d.res = t, t.Result
		return nil
	case d.fetch:
		if err := d.fetchTexts(ctx, api); err != nil {
			return err
		}
	default:
		d.newText = d.new.Text
		if d.old != nil {
			d.oldText = d.old.Text
		}
	}
	d.res = diff.Compute(d.oldText, d.newText, diff.Options{Context: context})
	return nil
}

// fetchTexts gets both texts from the wiki's API.
func (d *revDiff) fetchTexts(ctx context.Context, api *wikiapi.Client) error {
	links := []string{d.new.ChangesURL, d.new.URL, d.new.BaseURL}
	p, err := api.TextPair(ctx, links, d.new.ID, d.oldID, nil)
	if err != nil {
		return fmt.Errorf("%s: fetch texts: %w", revName(d.new), err)
	}
	d.oldID, d.oldText, d.newText = p.OldID, p.OldText, p.NewText
	if d.oldID == 0 {
		d.notes = append(d.notes, newPageNote)
	}
	d.notes = append(d.notes, fmt.Sprintf("Texts of revisions %s fetched from %s.", idList(d.oldID, d.new.ID), p.Endpoint))
	return nil
}

// idList writes "730 and 961", or "961" when there is no old one.
func idList(old, cur int64) string {
	if old == 0 {
		return strconv.FormatInt(cur, 10)
	}
	return fmt.Sprintf("%d and %d", old, cur)
}

// title is the first line of the output: page and revisions.
func (d *revDiff) title() string {
	var sb strings.Builder
	sb.WriteString(oneLine(d.page))
	switch {
	case d.oldID != 0 && d.new.ID != 0:
		fmt.Fprintf(&sb, ": revision %d → %d", d.oldID, d.new.ID)
	case d.new.ID != 0:
		fmt.Fprintf(&sb, ": revision %d", d.new.ID)
	}
	if d.new.User != "" {
		sb.WriteString(" · " + oneLine(d.new.User))
	}
	if !d.new.Time.IsZero() {
		sb.WriteString(" · " + d.new.Time.UTC().Format("2006-01-02 15:04"))
	}
	if d.new.Comment != "" {
		sb.WriteString(" · " + oneLine(d.new.Comment))
	}
	return sb.String()
}

// render renders the diff as the flags and the terminal ask.
func (c *diffConfig) render(d *revDiff, e *env) (string, error) {
	format := render.Plain
	if c.out.Colour {
		format = render.ANSI
	}
	opts := render.DiffOptions{
		Options: c.out.RenderOptions(format, c.styleConfig),
		Mode:    c.mode,
		Notes:   d.notes,
	}
	if d.tab != nil {
		opts.Notes = append(opts.Notes, d.tab.Notes...)
		opts.HunkTitles = d.tab.HunkTitles
		opts.NoLineNumbers = !d.tab.Numbered
	}
	if c.format == "unified" {
		opts.Unified = true
		opts.OldName, opts.NewName = unifiedName(d.page, d.oldID), unifiedName(d.page, d.new.ID)
		opts.OldText, opts.NewText = d.oldText, d.newText
		out, err := render.DiffWith(d.res, opts)
		return out.Text, err
	}
	if c.mode == render.DiffSideBySide && opts.Width < render.SideBySideMinWidth {
		fmt.Fprintf(e.stderr, "wikifeed diff: side-by-side needs %d columns (have %d; set --width); showing inline\n", render.SideBySideMinWidth, opts.Width)
	}
	out, err := render.DiffWith(d.res, opts)
	if err != nil {
		return "", err
	}
	title := d.title()
	if opts.Format == render.ANSI {
		if opts.Width > 0 {
			title = ansi.Truncate(title, opts.Width, "…")
		}
		title = render.NewStyles(render.ThemeFor(opts.Style)).Title.Render(title)
	}
	return title + "\n" + out.Text, nil
}

// unifiedName names one side of a unified diff: "Page (revision 730)".
func unifiedName(page string, id int64) string {
	if id == 0 {
		return page
	}
	return fmt.Sprintf("%s (revision %d)", page, id)
}
