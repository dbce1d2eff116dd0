package main

import (
	"fmt"
	"os"

	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wikifeed/wikifeed/render"
)

// outputFlags are the flags of the commands that write rendered text to
// stdout (show and diff): --color, --style and --width.
type outputFlags struct {
	color, style string
	width        int
}

// define defines the flags on fs; widthHelp says what the default width
// is for the command.
func (o *outputFlags) define(fs *pflag.FlagSet, widthHelp string) {
	fs.StringVar(&o.color, "color", "auto", "colour: auto, always or never")
	fs.StringVarP(&o.style, "style", "s", "", "glamour style: dark, light, dracula, pink, tokyo-night, ascii, notty (default: $GLAMOUR_STYLE, else dark or light after the terminal's background)")
	fs.IntVarP(&o.width, "width", "w", 0, "wrap to N columns (default: "+widthHelp+")")
}

// complete makes the shells complete the flags' values.
func (o *outputFlags) complete(c *cobra.Command) {
	completeValues(c, "color", "auto", "always", "never")
	completeValues(c, "style", "dark", "light", "dracula", "pink", "tokyo-night", "ascii", "notty")
}

// check validates the flags' values, and $GLAMOUR_STYLE.
func (o *outputFlags) check(e *env) error {
	switch o.color {
	case "auto", "always", "never":
	default:
		return fmt.Errorf("--color %q: want auto, always or never", o.color)
	}
	if o.style != "" && !render.ValidStyle(o.style) {
		return fmt.Errorf("unknown --style %q (dark, light, dracula, pink, tokyo-night, ascii, notty)", o.style)
	}
	if g := e.getenv("GLAMOUR_STYLE"); o.style == "" && g != "" && !render.ValidStyle(g) {
		return fmt.Errorf("unknown GLAMOUR_STYLE %q (dark, light, dracula, pink, tokyo-night, ascii, notty)", g)
	}
	if o.width < 0 {
		return fmt.Errorf("--width %d: want a positive width", o.width)
	}
	return nil
}

// colour reports whether the output gets colour: with --color always, or
// with auto when stdout is a terminal and NO_COLOR is unset (any value,
// even "0", turns colour off).
func (o *outputFlags) colour(e *env) bool {
	return o.color == "always" || o.color == "auto" && e.stdoutTTY && e.getenv("NO_COLOR") == ""
}

// styleFor returns the style: --style, else $GLAMOUR_STYLE, else dark, or
// light when coloured output goes to a terminal with a light background.
func (o *outputFlags) styleFor(e *env, colour bool) string {
	switch {
	case o.style != "":
		return o.style
	case e.getenv("GLAMOUR_STYLE") != "":
		return e.getenv("GLAMOUR_STYLE")
	case colour && e.stdoutTTY && !hasDarkBackground(e):
		// Only colour depends on the background, and only a terminal
		// can be asked for it.
		return "light"
	}
	return "dark"
}

// hasDarkBackground asks the terminal behind stdin and stdout for its
// background colour (lipgloss waits at most 2 s for the answer); it says
// dark when either is not a terminal or the terminal does not answer.
// Tests replace it, as they have no terminal.
var hasDarkBackground = func(e *env) bool {
	in, ok := e.stdin.(*os.File)
	out, ok2 := e.stdout.(*os.File)
	if !ok || !ok2 || !isTerminal(in) || !isTerminal(out) {
		return true
	}
	return lipgloss.HasDarkBackground(in, out)
}
