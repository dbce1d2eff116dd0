package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

const diffLong = `Show what a revision changed, with the changed words highlighted.

The diff is the one the wiki shows: against the revision's parent. It is
the MediaWiki diff table the feed entry carries; else the parent's text,
from the feed or the store; else both texts fetched from the wiki's API
(entries with only a "Show changes" link, which MediaWiki sends for large
diffs, always need it). When the parent is missing and the wiki cannot be
reached, the diff is from the previous revision in the feed, with a note
that it spans the revisions between. The TUI decides the same way. Without
--rev, --from or --to, the newest revision whose diff needs no fetch is
shown.

Output on a terminal is coloured and wrapped to its width. Piped, it is
plain text with git's --word-diff=plain markers ([-old-]{+new+}) and no
wrapping unless --width is given; --format unified writes a standard
unified diff; --format json writes MediaWiki's inline JSON diff (see the
README); --format ansi colours a pipe too. NO_COLOR turns colour off
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
	styleConfig *render.StyleConfig
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
	fs.StringVarP(&c.format, "format", "f", "", "output: ansi, plain, unified or json (default: ansi on a terminal, else plain)")
	c.define(fs, "the terminal's width; no wrapping when piped")
	sf := addSourceFlags(fs, "diff")
	// The store: a revision whose parent has left the feed still diffs.
	addStoreFlags(fs, sf)
	completeValues(cmd, "format", "ansi", "plain", "unified", "json")
	completeValues(cmd, "mode", "inline", "unified", "side-by-side")
	c.complete(cmd)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		c.changed = fs.Changed
		return e.body(func() int { return runDiff(c, *mode, sf, args, e) })
	}
	return cmd
}

// runDiff is `wikifeed diff`.
func runDiff(c *diffConfig, mode string, sf *sourceFlags, pos []string, e *env) int {
	if err := c.check(mode, e); err != nil {
		e.errorf("wikifeed diff: %s\nRun 'wikifeed diff --help' for usage.\n", err)
		return exitUsage
	}
	defer sf.mem.close()
	sf.mem.lean = true // the core reads the two texts it diffs
	ctx := context.Background()
	core, f, code := sf.loadApp(ctx, pos, e)
	if f == nil {
		return code
	}
	if code < 0 {
		code = exitOK
	}
	p, err := c.pick(ctx, core, f)
	var d *app.Diff
	if err == nil {
		d, err = core.Diff(ctx, p, app.DiffOptions{Context: c.context})
	}
	if err == nil && d.Empty() != "" {
		err = fmt.Errorf("%s: %s", app.RevisionName(d.Rev), d.Empty())
	}
	if err != nil {
		e.errorf("wikifeed diff: %s\n", oneLine(err.Error()))
		var ue *app.UsageError
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
		e.errorf("wikifeed diff: %s\n", err)
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
	case "", "ansi", "plain", "unified", "json":
	default:
		return fmt.Errorf("--format %q: want ansi, plain, unified or json", c.format)
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

// pick plans the diff the flags ask for, with the core.
func (c *diffConfig) pick(ctx context.Context, core *app.App, f *feed.Feed) (app.Plan, error) {
	switch {
	case c.from != 0:
		from, err := app.Find(f, app.Selector{ID: c.from})
		if err != nil {
			return app.Plan{}, err
		}
		to, err := app.Find(f, app.Selector{ID: c.to})
		if err != nil {
			return app.Plan{}, err
		}
		return core.PlanBetween(ctx, f, from, to)
	case c.rev != 0:
		r, err := app.Find(f, app.Selector{ID: c.rev})
		if err != nil {
			return app.Plan{}, err
		}
		return core.Plan(ctx, f, r), nil
	}
	r, err := core.DefaultDiffRevision(ctx, f)
	if err != nil {
		return app.Plan{}, err
	}
	return core.Plan(ctx, f, r), nil
}

// diffTitle is the first line of the output: page and revisions.
func diffTitle(d *app.Diff) string {
	var sb strings.Builder
	rev := d.Rev
	sb.WriteString(oneLine(rev.Page))
	if r := d.Range(); r != "" {
		sb.WriteString(": revision " + r)
	}
	if rev.User != "" {
		sb.WriteString(" · " + oneLine(rev.User))
	}
	if !rev.Time.IsZero() {
		sb.WriteString(" · " + rev.Time.UTC().Format("2006-01-02 15:04"))
	}
	if rev.Comment != "" {
		sb.WriteString(" · " + oneLine(rev.Comment))
	}
	return sb.String()
}

// render renders the diff as the flags and the terminal ask.
func (c *diffConfig) render(d *app.Diff, e *env) (string, error) {
	format := render.Plain
	if c.out.Colour {
		format = render.ANSI
	}
	opts := d.RenderOptions()
	opts.Options = c.out.RenderOptions(format, c.styleConfig)
	opts.Mode = c.mode
	if c.format == "json" {
		var sb strings.Builder
		err := diff.WriteInlineJSON(&sb, d.OldText, d.NewText, d.Result)
		return sb.String(), err
	}
	if c.format == "unified" {
		opts.Unified = true
		opts.OldName, opts.NewName = unifiedName(d.Rev.Page, d.OldID), unifiedName(d.Rev.Page, d.NewID)
		out, err := render.DiffWith(d.Result, opts)
		return out.Text, err
	}
	if c.mode == render.DiffSideBySide && opts.Width < render.SideBySideMinWidth {
		e.errorf("wikifeed diff: side-by-side needs %d columns (have %d; set --width); showing inline\n", render.SideBySideMinWidth, opts.Width)
	}
	out, err := render.DiffWith(d.Result, opts)
	if err != nil {
		return "", err
	}
	title := diffTitle(d)
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
