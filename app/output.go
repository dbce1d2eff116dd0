package app

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/wikifeed/wikifeed/render"
)

// Styles are the style names every front-end takes, "auto" first: dark or
// light after the terminal's background. A style may also be the path of a
// glamour JSON style file.
var Styles = []string{"auto", "dark", "light", "notty", "ascii", "dracula", "pink", "tokyo-night"}

// ColorModes are the values of --color.
var ColorModes = []string{"auto", "always", "never"}

// OutputFlags are what a command line (and, for the TUI, the config file)
// says about the output; "" and 0 mean not given.
type OutputFlags struct {
	// Color is --color: "auto", "always" or "never".
	Color string
	// Format is --format as given; "ansi" asks for colour, any other
	// format for none, and "" leaves it to --color and the terminal.
	Format string
	// Style is --style: a name from Styles or a glamour JSON file.
	Style string
	// ConfigStyle is the config file's style, which --style overrides.
	ConfigStyle string
	// Width is --width in cells.
	Width int
}

// Terminal is what is known of where the output goes.
type Terminal struct {
	// IsTTY is true when standard output is a terminal.
	IsTTY bool
	// Width is the terminal's width in cells; 0 when unknown.
	Width int
	// Getenv reads the environment: NO_COLOR, CLICOLOR_FORCE,
	// FORCE_COLOR, TERM, COLORFGBG, GLAMOUR_STYLE, COLUMNS.
	Getenv func(string) string
}

// Output is how to write: the decision every command and the TUI follow.
type Output struct {
	// Colour is true when the output carries colour (ANSI escapes).
	Colour bool
	// Style is the style: a name from Styles, "auto" only while
	// AskBackground is true; "" when StyleFile is set.
	Style string
	// StyleFile is the glamour JSON style file to use; see LoadStyleFile.
	StyleFile string
	// AskBackground is true when the style is auto, the output is
	// coloured and goes to a terminal that may be asked for its
	// background: only then does the answer matter. Resolve the style
	// with WithBackground.
	AskBackground bool
	// Query is true when the terminal may be asked anything at all: it is
	// a terminal and TERM is not dumb.
	Query bool
	// Width is the width to wrap to; 0 means no wrapping.
	Width int
}

// PipeWidths are a command's widths when stdout is not a terminal and
// --width is not given, for plain and for coloured output; 0 is no
// wrapping.
type PipeWidths struct {
	Plain, Colour int
}

// DecideOutput makes the output decision from the flags, the environment
// and the terminal; pipe gives the widths off a terminal. The rule:
//
//   - Colour: --format, when given, decides (ansi: colour wherever stdout
//     goes; plain, markdown, source, unified: none; --color is then
//     ignored). Else --color always or never: flags beat the environment,
//     as no-color.org asks. Else (auto) NO_COLOR set to
//     anything turns it off;
//     CLICOLOR_FORCE (not "0") or FORCE_COLOR (not "0" or "false") turns
//     it on; TERM=dumb turns it off; else colour only on a terminal.
//   - Style: --style, else the config's, else GLAMOUR_STYLE, else auto. A
//     name from Styles, or the path of a glamour JSON style file. auto is
//     dark or light after the terminal's background, asked only when the
//     output is coloured and on a terminal that can be asked (TERM is not
//     dumb); TERM=linux (the Linux console, black unless set otherwise) and
//     COLORFGBG answer it without asking; otherwise auto is dark.
//   - Width: --width, else on a terminal COLUMNS, else the terminal's
//     width, else 80; off a terminal the command's PipeWidths.
func DecideOutput(f OutputFlags, t Terminal, pipe PipeWidths) (Output, error) {
	getenv := t.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	var o Output
	if f.Color != "" && !slices.Contains(ColorModes, f.Color) {
		return o, fmt.Errorf("--color %q: want auto, always or never", f.Color)
	}
	if f.Width < 0 {
		return o, fmt.Errorf("--width %d: want a positive width", f.Width)
	}
	term := getenv("TERM")
	o.Query = t.IsTTY && term != "dumb"
	o.Colour = colour(f, t.IsTTY, getenv)
	style, from := f.Style, "--style"
	switch {
	case style != "":
	case f.ConfigStyle != "":
		style, from = f.ConfigStyle, "the config's style"
	case getenv("GLAMOUR_STYLE") != "":
		style, from = getenv("GLAMOUR_STYLE"), "GLAMOUR_STYLE"
	default:
		style = "auto"
	}
	switch {
	case slices.Contains(Styles, style):
		o.Style = style
	case IsStyleFile(style):
		o.StyleFile = style
	default:
		return o, fmt.Errorf("%s %q: want %s, or a glamour JSON style file", from, style, strings.Join(Styles, ", "))
	}
	if o.Style == "auto" {
		switch dark, known := knownBackground(term, getenv("COLORFGBG")); {
		case known:
			o = o.WithBackground(dark)
		case o.Colour && o.Query:
			o.AskBackground = true
		default:
			o.Style = "dark"
		}
	}
	o.Width = f.Width
	if o.Width == 0 {
		o.Width = pipe.Plain
		if o.Colour {
			o.Width = pipe.Colour
		}
		if t.IsTTY {
			o.Width = terminalWidth(t.Width, getenv("COLUMNS"))
		}
	}
	return o, nil
}

// DefaultTerminalWidth is the width of a terminal whose width cannot be
// found.
const DefaultTerminalWidth = 80

// terminalWidth is $COLUMNS if set, else the width the terminal says,
// else DefaultTerminalWidth.
func terminalWidth(ttyWidth int, columns string) int {
	if n, err := strconv.Atoi(columns); err == nil && n > 0 {
		return n
	}
	if ttyWidth > 0 {
		return ttyWidth
	}
	return DefaultTerminalWidth
}

// colour is the colour part of DecideOutput's rule.
func colour(f OutputFlags, tty bool, getenv func(string) string) bool {
	switch {
	case f.Format == "ansi":
		return true
	case f.Format != "":
		return false
	case f.Color == "always":
		return true
	case f.Color == "never":
		return false
	case getenv("NO_COLOR") != "":
		return false
	case forced(getenv("CLICOLOR_FORCE"), "0") || forced(getenv("FORCE_COLOR"), "0", "false"):
		return true
	case getenv("TERM") == "dumb":
		return false
	}
	return tty
}

// forced reports whether a variable that forces colour is set to a value
// other than the ones that mean no.
func forced(v string, no ...string) bool {
	return v != "" && !slices.Contains(no, strings.ToLower(v))
}

// knownBackground tells the background without asking the terminal, when
// the environment tells it: the Linux console is black unless set
// otherwise, and COLORFGBG ("15;0", rxvt's and others') names the
// background's colour as one of the 16 ANSI colours.
func knownBackground(term, colorfgbg string) (dark, known bool) {
	if colorfgbg != "" {
		fields := strings.Split(colorfgbg, ";")
		if n, err := strconv.Atoi(fields[len(fields)-1]); err == nil && n >= 0 && n <= 15 {
			// 7 (light grey) and 9 to 15 (the bright colours) are light;
			// 8 is dark grey.
			return n != 7 && n < 9, true
		}
	}
	if term == "linux" {
		return true, true
	}
	return false, false
}

// IsStyleFile reports whether a style that is no name from Styles is meant
// as a glamour JSON style file: it has a slash or ends in .json.
func IsStyleFile(s string) bool {
	return strings.ContainsRune(s, os.PathSeparator) || strings.HasSuffix(strings.ToLower(s), ".json")
}

// WithBackground resolves the style auto after the background: light when
// it is light, else dark.
func (o Output) WithBackground(dark bool) Output {
	if o.Style == "auto" {
		o.Style = "dark"
		if !dark {
			o.Style = "light"
		}
	}
	o.AskBackground = false
	return o
}

// RenderOptions are render's options for the output in the given format,
// with the style file's config when there is one (LoadStyleFile).
func (o Output) RenderOptions(format render.Format, styleConfig *render.StyleConfig) render.Options {
	style := o.Style
	if style == "auto" || style == "" {
		style = "dark"
	}
	return render.Options{Width: o.Width, Style: style, StyleConfig: styleConfig, Format: format}
}

// LoadStyleFile reads a glamour JSON style file; nil, nil when path is "".
func LoadStyleFile(path string) (*render.StyleConfig, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("style file %s: no such file", path)
		}
		return nil, fmt.Errorf("style file: %w", err)
	}
	cfg, err := render.ParseStyleConfig(b)
	if err != nil {
		return nil, fmt.Errorf("style file %s: not a glamour style: %v", path, err)
	}
	return cfg, nil
}
