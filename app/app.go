// Package app is the application core that wikifeed's two front-ends share.
//
// cmd/wikifeed and tui only parse input and present; every decision both of
// them need is made here, once: which sources to open and how, how a revision
// is looked up (by ID, by page, by entry number), where a revision's diff comes
// from and why, the output rules (format, colour, style, width), the paths of
// the config, data and state files, and the store that remembers what was seen.
//
// app imports feed, render, diff, wikiapi and store; none of those import app.
package app
