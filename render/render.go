// Package render turns a feed revision (HTML and wikitext) and diffs into
// styled terminal text, plain text or Markdown. Render functions are pure:
// they take the input, a width and a style, and never read the terminal.
package render

import (
	"github.com/wikifeed/wikifeed/feed"
)

// Format is an output format.
type Format int

// The output formats.
const (
	// ANSI is styled terminal text.
	ANSI Format = iota
	// Plain is text with no escape codes.
	Plain
	// Markdown is Markdown source.
	Markdown
	// Source is the body as the feed has it, made safe.
	Source
)

// Options say how to render.
type Options struct {
	// Width is the wrap width in cells.
	Width int
	// Style is a glamour style name: "dark", "light", "notty", "ascii".
	Style string
	// Format is the output format.
	Format Format
}

// Revision renders one revision: a header, then its body.
//
// TODO(render): placeholder; the real renderer replaces it.
func Revision(rev *feed.Revision, opts Options) (string, error) {
	return Sanitize(rev.Page + "\n\n" + rev.Comment + "\n\n" + rev.Text), nil
}

// Sanitize removes from untrusted text every character that could control a
// terminal.
//
// TODO(render): placeholder; the real sanitiser replaces it.
func Sanitize(s string) string { return s }
