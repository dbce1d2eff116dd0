package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

const showLong = `Render one revision to standard output: a header (page, author, time,
revision, section, edit comment, size change), then the page's text as the
wiki would show it (wikitext and HTML rendered), or the diff table the feed
entry carries. Without --entry, --rev or --page, the newest revision.

On a terminal the output is coloured and wrapped to its width. Piped, it
is plain text with no escape codes at all, wrapped to 80 columns, unless
--format ansi, --color always or --width say otherwise. NO_COLOR (any
value) turns colour off unless a flag asks for it; CLICOLOR_FORCE and
FORCE_COLOR turn it on; TERM=dumb off. GLAMOUR_STYLE (a name or a glamour
JSON style file) sets the style when --style is not given, and without
either the style is dark or light after the terminal's background, which
is asked for at most 100 ms.

With --wiki-rendering the body is the HTML the wiki itself renders for the
revision (action=parse of its API, found from the entry's links, as a diff
fetch finds it), so templates are expanded exactly as on the wiki; it is
kept in the store and asked for once. When the wiki cannot be reached, or
gives no rendering, wikifeed's own rendering is shown with a line that
says why.`

const showExample = `# the sample's newest revision
wikifeed show
# one revision by its ID
wikifeed show feed.atom --rev 6199
# a page's newest revision
wikifeed show feed.atom --page "Main Page"
# the third entry, paged
wikifeed show feed.atom --entry 3 | less -R
# Markdown, for other tools
wikifeed show feed.atom --format markdown
# templates expanded by the wiki itself
wikifeed show --wiki en.wikipedia.org --recent --entry 1 --wiki-rendering`

// showConfig is the parsed command line of wikifeed show.
type showConfig struct {
	entry  int
	rev    int64
	page   string
	format string
	// wikiRendering asks for the wiki's own HTML of the revision.
	wikiRendering bool
	outputFlags
}

// newShowCmd is `wikifeed show`.
func newShowCmd(e *env) *cobra.Command {
	c := &showConfig{}
	cmd := &cobra.Command{
		Use:     "show [SOURCE...]",
		Short:   "Render one revision to stdout",
		Long:    showLong,
		Example: showExample,
	}
	fs := cmd.Flags()
	fs.IntVarP(&c.entry, "entry", "e", 0, "show entry N of the list (1 is the newest, as in 'wikifeed list')")
	fs.Int64VarP(&c.rev, "rev", "r", 0, "show revision ID")
	fs.StringVarP(&c.page, "page", "p", "", "show the newest revision of page TITLE")
	fs.StringVarP(&c.format, "format", "f", "", "output: ansi, plain, markdown or source (default: ansi on a terminal, else plain)")
	fs.BoolVar(&c.wikiRendering, "wiki-rendering", false, "render the HTML the wiki itself makes of the revision (templates expanded), kept in the store; offline, wikifeed's own rendering with a note")
	c.define(fs, "the terminal's width, or 80")
	sf := addSourceFlags(fs, "show")
	// The store: a revision whose parent has left the feed still diffs.
	addStoreFlags(fs, sf)
	completeValues(cmd, "format", "ansi", "plain", "markdown", "source")
	c.complete(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case fs.Changed("entry") && c.entry < 1:
			return usageErrorf(cmd, "--entry %d: want 1 or more (1 is the newest)", c.entry)
		case fs.Changed("rev") && c.rev < 1:
			return usageErrorf(cmd, "--rev %d: want a revision ID", c.rev)
		case c.wikiRendering && c.format == "source":
			return usageErrorf(cmd, "--wiki-rendering cannot go with --format source (the source is the feed's text)")
		}
		return e.body(func() int { return runShow(c, sf, args, e) })
	}
	return cmd
}

// runShow is `wikifeed show`.
func runShow(c *showConfig, sf *sourceFlags, pos []string, e *env) int {
	opts, err := c.options(e)
	if err != nil {
		e.errorf("wikifeed show: %s\nRun 'wikifeed show --help' for usage.\n", err)
		return exitUsage
	}
	defer sf.mem.close()
	sf.mem.lean = true // the one revision shown is read in full below
	ctx := context.Background()
	core, f, code := sf.loadApp(ctx, pos, e)
	if f == nil {
		return code
	}
	if code < 0 {
		code = exitOK
	}
	rev, err := c.pick(f)
	if err == nil {
		rev, err = core.Full(ctx, rev)
	}
	if err != nil {
		e.errorf("wikifeed show: %s\n", oneLine(err.Error()))
		return exitError
	}
	var out string
	if opts.Format == render.Source {
		out = render.SourceText(rev)
	} else {
		// The core decides where the rendering comes from, as for the TUI.
		r := core.RenderRevision(ctx, core.PlanRendering(rev, c.wikiRendering), app.RenderingOptions{})
		out, err = r.Doc.Render(opts)
	}
	if err == nil {
		if opts.Format != render.ANSI {
			// Plain, Markdown and source text never carry escapes.
			out = render.Sanitize(out)
		} else {
			out = render.StripUnsafeANSI(out)
		}
		if !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
		_, err = fmt.Fprint(e.stdout, out)
	}
	if err != nil {
		e.errorf("wikifeed show: %s\n", err)
		return exitError
	}
	return code
}

// options turns the flags, the environment and the terminal into render
// options, by app.DecideOutput's rule.
func (c *showConfig) options(e *env) (render.Options, error) {
	var format render.Format
	switch c.format {
	case "", "ansi":
		format = render.ANSI
	case "plain":
		format = render.Plain
	case "markdown", "md":
		format = render.Markdown
	case "source":
		format = render.Source
	default:
		return render.Options{}, fmt.Errorf("--format must be ansi, plain, markdown or source, not %q", c.format)
	}
	out, styleConfig, err := c.decide(e, c.format, app.PipeWidths{Plain: render.DefaultWidth, Colour: render.DefaultWidth})
	if err != nil {
		return render.Options{}, err
	}
	if format == render.ANSI && !out.Colour {
		format = render.Plain
	}
	return out.RenderOptions(format, styleConfig), nil
}

// pick finds the revision the flags ask for, with the core's lookup.
func (c *showConfig) pick(f *feed.Feed) (*feed.Revision, error) {
	return app.Find(f, app.Selector{ID: c.rev, Page: c.page, Entry: c.entry})
}
