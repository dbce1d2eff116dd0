package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

const showHelp = `Usage: wikifeed show [flags] [SOURCE...]

Render one revision to standard output: a header (page, author, time,
revision, section, edit comment, size change), then the page's text as the
wiki would show it (wikitext and HTML rendered), or the diff table the feed
entry carries. Without --entry, --rev or --page, the newest revision.

On a terminal the output is coloured and wrapped to its width. Piped, it
is plain text with no escape codes at all, wrapped to 80 columns, unless
--color always or --width say otherwise. NO_COLOR (any value) turns colour
off; GLAMOUR_STYLE sets the style when --style is not given, and without
either the style is dark or light after the terminal's background.

Examples:
  wikifeed show                                  the sample's newest revision
  wikifeed show feed.atom --rev 6199             one revision by its ID
  wikifeed show feed.atom --page "Main Page"     a page's newest revision
  wikifeed show feed.atom --entry 3 | less -R    the third entry, paged
  wikifeed show feed.atom --format markdown      Markdown, for other tools
`

// showConfig is the parsed command line of wikifeed show.
type showConfig struct {
	entry  int
	rev    int64
	page   string
	format string
	outputFlags
}

// runShow is `wikifeed show`.
func runShow(args []string, e *env) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	var c showConfig
	fs.IntVar(&c.entry, "entry", 0, "show entry `N` of the list (1 is the newest, as in 'wikifeed list')")
	fs.Int64Var(&c.rev, "rev", 0, "show revision `ID`")
	fs.StringVar(&c.page, "page", "", "show the newest revision of page `TITLE`")
	fs.StringVar(&c.format, "format", "", "output: ansi, plain, markdown or source (default: ansi on a terminal, else plain)")
	c.define(fs, "the terminal's width, or 80")
	sf := addSourceFlags(fs)
	pos, code := parseCommandLine(fs, args, e, showHelp)
	if code >= 0 {
		return code
	}
	opts, err := c.options(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed show: %s\nRun 'wikifeed show --help' for usage.\n", err)
		return exitUsage
	}
	f, code := sf.load(context.Background(), pos, e)
	if f == nil {
		return code
	}
	if code < 0 {
		code = exitOK
	}
	rev, err := c.pick(f)
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed show: %s\n", oneLine(err.Error()))
		return exitError
	}
	out, err := render.Revision(rev, opts)
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
		fmt.Fprintf(e.stderr, "wikifeed show: %s\n", err)
		return exitError
	}
	return code
}

// options turns the flags, the environment and the terminal into render
// options.
func (c *showConfig) options(e *env) (render.Options, error) {
	var opts render.Options
	if err := c.check(e); err != nil {
		return opts, err
	}
	colour := c.colour(e)
	switch c.format {
	case "":
		opts.Format = render.Plain
		if colour {
			opts.Format = render.ANSI
		}
	case "ansi":
		// Asked for by name, colour goes to a pipe too, but not against
		// --color never or NO_COLOR.
		opts.Format = render.ANSI
		if c.color == "never" || c.color == "auto" && e.getenv("NO_COLOR") != "" {
			opts.Format = render.Plain
		}
	case "plain":
		opts.Format = render.Plain
	case "markdown", "md":
		opts.Format = render.Markdown
	case "source":
		opts.Format = render.Source
	default:
		return opts, fmt.Errorf("--format must be ansi, plain, markdown or source, not %q", c.format)
	}
	opts.Style = c.styleFor(e, opts.Format == render.ANSI)
	opts.Width = c.width
	if opts.Width == 0 {
		opts.Width = render.DefaultWidth
		if e.stdoutTTY {
			opts.Width = listWidth(e)
		}
	}
	return opts, nil
}

// pick finds the revision the flags ask for, with the core's lookup.
func (c *showConfig) pick(f *feed.Feed) (*feed.Revision, error) {
	return app.Find(f, app.Selector{ID: c.rev, Page: c.page, Entry: c.entry})
}
