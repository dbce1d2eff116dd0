package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/wikifeed/wikifeed/tui"
)

const browseHelp = `Usage: wikifeed [flags] [SOURCE...]    (this help: wikifeed help browse)

Browse one or more feeds in the terminal: pages and their revisions in a
list, each revision rendered, as a diff against the page's previous
revision, or as source. Press ? inside for the keys.

When standard output is not a terminal, wikifeed lists the revisions
instead, as 'wikifeed list' does.

Config file: $XDG_CONFIG_HOME/wikifeed/config.toml (~/.config/wikifeed/config.toml):

  style = "auto"      # auto, dark, light, notty, ascii, dracula, pink, tokyo-night
  sources = ["https://example.org/w/index.php?title=Special:RecentChanges&feed=atom"]
  watch = "5m"        # reload interval
  [keys]              # remap actions: down = ["j", "ctrl+n"], quit = ["q"], ...

Entries new since the last load are marked with a dot; the entries seen
are kept in $XDG_STATE_HOME/wikifeed (~/.local/state/wikifeed), so the
first load marks what is new since the last session.
`

// browseOnly are the flags the TUI has and 'list' has not; each takes a value.
var browseOnly = []string{"watch", "config", "style"}

// runBrowse is `wikifeed [SOURCE...]`: the TUI when stdout is a terminal,
// else the list.
func runBrowse(args []string, e *env) int {
	fs := flag.NewFlagSet("wikifeed", flag.ContinueOnError)
	sf := addSourceFlags(fs)
	watch := fs.Duration("watch", 0, "reload every `DURATION` (e.g. 5m) and mark new entries")
	cfgPath := fs.String("config", "", "read the config from `FILE`")
	style := fs.String("style", "", "render `STYLE`: auto, dark, light, notty, ascii, dracula, pink, tokyo-night (default: the config's, else $GLAMOUR_STYLE, else auto: dark or light after the terminal's background)")
	km := tui.DefaultKeyMap()
	help := browseHelp + "\nKey actions for [keys]: " + strings.Join(slices.Sorted(maps.Keys(km.Actions())), ", ") + ".\n"
	pos, code := parseCommandLine(fs, args, e, help)
	if code >= 0 {
		return code
	}
	path, required := *cfgPath, true
	if path == "" {
		path, required = tui.DefaultConfigPath(e.getenv), false
	}
	cfg, err := tui.LoadConfig(path, required)
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed: %s\n", err)
		return exitUsage
	}
	if len(pos) == 0 && sf.wiki == "" && len(cfg.Sources) > 0 {
		pos = cfg.Sources
	}
	if *watch != 0 {
		if *watch < 0 {
			fmt.Fprintf(e.stderr, "wikifeed: --watch must be positive\n")
			return exitUsage
		}
		if *watch < tui.MinWatch {
			fmt.Fprintf(e.stderr, "wikifeed: --watch %s is too often; the least is %s\n", *watch, tui.MinWatch)
			return exitUsage
		}
		cfg.Watch = *watch
	}
	// --style, else the config's style, else $GLAMOUR_STYLE (as show
	// reads it), else auto.
	switch {
	case *style != "":
		if err := tui.CheckStyle(*style); err != nil {
			fmt.Fprintf(e.stderr, "wikifeed: --style: %s\n", err)
			return exitUsage
		}
		cfg.Style = *style
	case !e.stdoutTTY:
		// The list has no style; the flags above were still checked.
	case cfg.Style == "" && e.getenv("GLAMOUR_STYLE") != "":
		if err := tui.CheckStyle(e.getenv("GLAMOUR_STYLE")); err != nil {
			fmt.Fprintf(e.stderr, "wikifeed: GLAMOUR_STYLE: %s\n", err)
			return exitUsage
		}
		cfg.Style = e.getenv("GLAMOUR_STYLE")
	}
	if !e.stdoutTTY {
		return runList(listArgs(args, pos), e)
	}
	core, code := sf.open(pos, e)
	if core == nil {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	err = tui.Run(ctx, tui.Options{
		Config:    cfg,
		Getenv:    e.getenv,
		StatePath: tui.StatePath(e.getenv, core.Sources()),
		Core:      core,
		Load:      core.Load,
	})
	if err != nil {
		fmt.Fprintf(e.stderr, "wikifeed: %s\n", oneLine(err.Error()))
		return exitError
	}
	return exitOK
}

// listArgs turns the TUI's command line into list's: the browse-only flags
// go, the positional arguments are replaced by pos (which may come from
// the config file).
func listArgs(args, pos []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue
		}
		name := strings.TrimLeft(a, "-")
		name, _, hasValue := strings.Cut(name, "=")
		skip := false
		for _, b := range browseOnly {
			if name == b {
				skip = true
			}
		}
		takesValue := !hasValue && !isBoolSourceFlag(name)
		if skip {
			if takesValue {
				i++
			}
			continue
		}
		out = append(out, a)
		if takesValue && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	out = append(out, "--")
	return append(out, pos...)
}

// isBoolSourceFlag reports whether a source flag takes no value.
func isBoolSourceFlag(name string) bool {
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	addSourceFlags(fs)
	f := fs.Lookup(name)
	if f == nil {
		return true
	}
	bf, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && bf.IsBoolFlag()
}
