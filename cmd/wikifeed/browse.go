package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/tui"
)

const browseLong = `Browse one or more feeds in the terminal: pages and their revisions in a
list, each revision rendered, as a diff against the page's previous
revision, or as source. Press ? inside for the keys.

When standard output is not a terminal, wikifeed lists the revisions
instead, as 'wikifeed list' does.

Config file: $XDG_CONFIG_HOME/wikifeed/config.toml (~/.config/wikifeed/config.toml):

  style = "auto"      # auto, dark, light, notty, ascii, dracula, pink, tokyo-night, or a JSON style file
  sources = ["https://example.org/w/index.php?title=Special:RecentChanges&feed=atom"]
  watch = "5m"        # reload interval
  [keys]              # remap actions: down = ["j", "ctrl+n"], quit = ["q"], ...

Entries new since the last load are marked with a dot; the entries seen
are kept in $XDG_STATE_HOME/wikifeed (~/.local/state/wikifeed), so the
first load marks what is new since the last session.`

const browseExample = `# the sample feed built into wikifeed
wikifeed
# two files, merged into one list
wikifeed recent.atom history.atom
# a wiki's recent changes, reloaded every five minutes
wikifeed --wiki en.wikipedia.org --recent --watch 5m`

// browseConfig is the parsed command line of the TUI.
type browseConfig struct {
	watch   time.Duration
	cfgPath string
	// skipHeaders is --skip-headers: j/k move between revisions only.
	skipHeaders bool
	style       string
	src         *sourceFlags
	// live and lf are --live and its filters (live.go).
	live bool
	lf   liveFlags
	mem  *storeFlags
}

// newBrowseCmd is the command with no name: the TUI.
func newBrowseCmd(e *env) *cobra.Command {
	c := &browseConfig{}
	cmd := &cobra.Command{
		Use:   "wikifeed [SOURCE...]",
		Short: "Browse wiki feeds in the terminal",
		Args:  checkCommandName,
		RunE: func(_ *cobra.Command, args []string) error {
			return e.body(func() int { return runBrowse(c, args, e) })
		},
	}
	fs := cmd.Flags()
	c.src = addSourceFlags(fs, "wikifeed")
	c.mem = addStoreFlags(fs, c.src)
	fs.DurationVar(&c.watch, "watch", 0, fmt.Sprintf("reload every DURATION (e.g. 5m; at least %s) and mark new entries", tui.MinWatch))
	fs.StringVarP(&c.cfgPath, "config", "c", "", "read the config from FILE")
	fs.BoolVar(&c.skipHeaders, "skip-headers", false, "j/k move between revisions only, over the page rows (the config's skip_headers; H toggles it)")
	completeValues(cmd, "style", app.Styles...)
	fs.BoolVar(&c.live, "live", false, "follow a wiki's changes as they happen ('wikifeed help live' has the filters)")
	addLiveFlags(fs, &c.lf, false)
	hideLiveFlags(fs)
	fs.StringVarP(&c.style, "style", "s", "", "render STYLE: auto, dark, light, notty, ascii, dracula, pink, tokyo-night, or a glamour JSON style file (default: the config's, else $GLAMOUR_STYLE, else auto: dark or light after the terminal's background)")
	return cmd
}

// browseHelp is the long help of 'wikifeed help browse': browseLong and
// the actions the config file may remap.
func browseHelp() string {
	km := tui.DefaultKeyMap()
	return browseLong + "\n\nKey actions for [keys]: " + strings.Join(slices.Sorted(maps.Keys(km.Actions())), ", ") + "."
}

// runBrowse is `wikifeed [SOURCE...]`: the TUI when stdout is a terminal,
// else the list.
func runBrowse(c *browseConfig, pos []string, e *env) int {
	sf, watch, cfgPath, style := c.src, &c.watch, &c.cfgPath, &c.style
	path, required := *cfgPath, true
	if path == "" {
		path, required = tui.DefaultConfigPath(e.getenv), false
	}
	given := pos // before the config's sources, which --live does not take
	cfg, err := tui.LoadConfig(path, required)
	if err != nil {
		e.errorf("wikifeed: %s\n", err)
		return exitUsage
	}
	if len(pos) == 0 && sf.wiki == "" && len(cfg.Sources) > 0 {
		pos = cfg.Sources
	}
	if *watch != 0 {
		if *watch < 0 {
			e.errorf("wikifeed: --watch must be positive\n")
			return exitUsage
		}
		if *watch < tui.MinWatch {
			e.errorf("wikifeed: --watch %s is too often; the least is %s\n", *watch, tui.MinWatch)
			return exitUsage
		}
		cfg.Watch = *watch
	}
	if c.skipHeaders {
		cfg.SkipHeaders = true
	}
	// The style, by app.DecideOutput's rule: --style, else the
	// config's, else $GLAMOUR_STYLE, else auto, which the TUI resolves
	// itself, asking the terminal without waiting for it. A glamour
	// JSON style file colours the rendered text, as in show and diff;
	// the UI's own colours and the diffs' are then auto's.
	out, err := app.DecideOutput(app.OutputFlags{Style: *style, ConfigStyle: cfg.Style}, terminalOf(e), app.PipeWidths{})
	if err != nil {
		e.errorf("wikifeed: %s\n", err)
		return exitUsage
	}
	if e.stdoutTTY {
		if out.StyleFile != "" {
			if cfg.StyleConfig, err = app.LoadStyleFile(out.StyleFile); err != nil {
				e.errorf("wikifeed: %s\n", err)
				return exitUsage
			}
			out, _ = app.DecideOutput(app.OutputFlags{Style: "auto"}, terminalOf(e), app.PipeWidths{})
		}
		cfg.Style = out.Style
	}
	if c.live {
		c.lf.shareSourceFilters(sf)
		return runLiveBrowse(c, cfg, given, e)
	}
	if !e.stdoutTTY {
		return runList(&listConfig{src: sf, mem: c.mem}, pos, e)
	}
	sf.configPath = *cfgPath
	core, code := sf.open(pos, e)
	if core == nil {
		return code
	}
	defer c.mem.close()
	// The list needs no bodies or texts; the UI reads each from the store
	// when it shows it.
	c.mem.lean = true
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	// With the store, its read marks replace the seen-file.
	statePath := tui.StatePath(e.getenv, redactAll(sf, core.Sources()))
	var marks tui.Marks
	if mem := c.mem.memory; mem != nil {
		statePath, marks = "", mem
	}
	err = tui.Run(ctx, tui.Options{
		Config: cfg,
		Getenv: e.getenv,
		// Masked, so that the state file stays when the token changes.
		StatePath: statePath,
		Marks:     marks,
		Core:      core,
		Load: func(ctx context.Context) (*feed.Feed, []error) {
			f, errs := core.Load(ctx)
			errs = sf.redactFeed(f, errs)
			if mem := c.mem.memory; mem != nil && f != nil {
				out, err := mem.Remember(ctx, f, c.mem.remember, c.mem.window())
				if err != nil {
					return f, append(errs, err)
				}
				f = out
			}
			return f, errs
		},
	})
	var nothing *tui.NothingLoadedError
	if errors.As(err, &nothing) {
		// The UI showed the errors; the screen it drew them on is gone.
		for _, err := range nothing.Errs {
			e.errorf("wikifeed: %s\n", oneLine(err.Error()))
		}
		if len(nothing.Errs) == 0 {
			e.errorln("wikifeed: nothing could be loaded")
		}
		return exitError
	}
	if err != nil {
		e.errorf("wikifeed: %s\n", oneLine(err.Error()))
		return exitError
	}
	return exitOK
}

// redactAll masks the watchlist token in each source.
func redactAll(sf *sourceFlags, sources []string) []string {
	out := make([]string, len(sources))
	for i, s := range sources {
		out[i] = sf.redact(s)
	}
	return out
}
