package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/render"
)

// outputFlags are the flags of the commands that write rendered text to
// stdout (show and diff): --color, --style and --width. What they mean is
// app.DecideOutput's rule.
type outputFlags struct {
	color, style string
	width        int
}

// define defines the flags on fs; widthHelp says what the default width
// is for the command.
func (o *outputFlags) define(fs *pflag.FlagSet, widthHelp string) {
	fs.StringVar(&o.color, "color", "auto", "colour: auto, always or never (auto: on a terminal, unless NO_COLOR is set or TERM is dumb; CLICOLOR_FORCE or FORCE_COLOR force it)")
	fs.StringVarP(&o.style, "style", "s", "", "STYLE: auto, dark, light, notty, ascii, dracula, pink, tokyo-night, or a glamour JSON style file (default: $GLAMOUR_STYLE, else auto: dark or light after the terminal's background)")
	fs.IntVarP(&o.width, "width", "w", 0, "wrap to N columns (default: "+widthHelp+")")
}

// complete makes the shells complete the flags' values.
func (o *outputFlags) complete(c *cobra.Command) {
	completeValues(c, "color", app.ColorModes...)
	_ = c.RegisterFlagCompletionFunc("style", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		// A style is a name or a JSON file.
		return app.Styles, cobra.ShellCompDirectiveDefault
	})
}

// decide makes the output decision for format (the --format given, "" if
// none), asks the terminal for its background only when the answer
// matters, and loads the style file if the style is one.
func (o *outputFlags) decide(e *env, format string, pipe app.PipeWidths) (app.Output, *render.StyleConfig, error) {
	out, err := app.DecideOutput(app.OutputFlags{Color: o.color, Format: format, Style: o.style, Width: o.width}, terminalOf(e), pipe)
	if err != nil {
		return out, nil, err
	}
	if out.AskBackground {
		out = out.WithBackground(hasDarkBackground(e))
	}
	sc, err := app.LoadStyleFile(out.StyleFile)
	return out, sc, err
}

// terminalOf is what app.DecideOutput needs to know of stdout.
func terminalOf(e *env) app.Terminal {
	t := app.Terminal{IsTTY: e.stdoutTTY, Getenv: e.getenv}
	if f, ok := e.stdout.(*os.File); ok && e.stdoutTTY {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			t.Width = w
		}
	}
	return t
}

// hasDarkBackground asks the terminal for its background colour, waiting
// at most backgroundTimeout for the answer; it says dark when there is no
// terminal to ask or no answer. Tests replace it, as they have no
// terminal.
var hasDarkBackground = func(e *env) bool {
	dark, _ := queryBackground(e)
	return dark
}
