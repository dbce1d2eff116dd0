package main

import (
	"io"
	"os"

	"charm.land/lipgloss/v2"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalIsDark asks the terminal for its background colour; true when it
// is dark or cannot be told (not a terminal, no answer).
func terminalIsDark(in io.Reader, out io.Writer) bool {
	fin, ok1 := in.(*os.File)
	fout, ok2 := out.(*os.File)
	if !ok1 || !ok2 || !term.IsTerminal(int(fin.Fd())) || !term.IsTerminal(int(fout.Fd())) {
		return true
	}
	return lipgloss.HasDarkBackground(fin, fout)
}
