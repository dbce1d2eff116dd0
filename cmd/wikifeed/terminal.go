package main

import (
	"bytes"
	"io"
	"os"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"
)

// backgroundTimeout is how long the terminal has to answer the question
// about its background colour. Terminals answer in a few milliseconds;
// some (script(1)'s, the Linux console, a serial line) never do, and the
// output must not wait for them.
const backgroundTimeout = 100 * time.Millisecond

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// queryBackground asks the controlling terminal for its background
// colour, waiting at most backgroundTimeout. It says dark, and answered
// false, when there is no terminal or no answer.
func queryBackground(*env) (dark, answered bool) {
	f, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return true, false
	}
	defer func() { _ = f.Close() }() // opened here; nothing written is lost
	return queryBackgroundOn(f, backgroundTimeout)
}

// Terminal queries: OSC 11 asks for the background colour, and DA1
// (primary device attributes), which every terminal answers, follows it
// so that its answer says no OSC 11 answer is coming.
const (
	queryBG  = "\x1b]11;?\x1b\\"
	queryDA1 = "\x1b[c"
)

// backgroundAnswer finds the answer to OSC 11 in what the terminal sent:
// ESC ] 11 ; rgb:RRRR/GGGG/BBBB, ended by BEL or ST.
func backgroundAnswer(b []byte) (rgb [3]float64, ok bool) {
	i := bytes.Index(b, []byte("\x1b]11;"))
	if i < 0 {
		return rgb, false
	}
	rest := b[i+len("\x1b]11;"):]
	end := bytes.IndexAny(rest, "\a\x1b")
	if end < 0 {
		return rgb, false
	}
	c := ansi.XParseColor(string(rest[:end]))
	if c == nil {
		return rgb, false
	}
	r, g, bl, _ := c.RGBA()
	return [3]float64{float64(r) / 0xffff, float64(g) / 0xffff, float64(bl) / 0xffff}, true
}

// daAnswered reports whether the terminal's answer to DA1 (ESC [ ? ... c)
// has come.
func daAnswered(b []byte) bool {
	i := bytes.Index(b, []byte("\x1b[?"))
	return i >= 0 && bytes.IndexByte(b[i:], 'c') >= 0
}

// isDark reports whether a colour is dark: its relative luminance (ITU-R
// BT.709 weights) is below one half.
func isDark(rgb [3]float64) bool {
	return 0.2126*rgb[0]+0.7152*rgb[1]+0.0722*rgb[2] < 0.5
}
