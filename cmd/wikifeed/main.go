// Command wikifeed browses wiki feeds (MediaWiki's Atom and RSS, and those of
// other wikis) in the terminal: it lists revisions, renders them and shows
// word-level diffs between them.
//
// Usage:
//
//	wikifeed [SOURCE...]              open the TUI (or list, when piped)
//	wikifeed list [SOURCE...]         one line per revision
//	wikifeed show [SOURCE...]         render one revision to stdout
//	wikifeed diff [SOURCE...]         show what a revision changed
//
// A SOURCE is a file, "-" for standard input, or an http(s) URL. With none,
// wikifeed opens a sample feed embedded in the binary.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wikifeed/wikifeed/app"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // a runtime error: a source failed, a write failed
	exitUsage = 2 // a usage error: a bad flag or argument
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what a command may touch of the outside world; tests give their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stdoutTTY is true when stdout is a terminal.
	stdoutTTY bool
	// getenv reads an environment variable.
	getenv func(string) string
	// store is the store the core uses; nil runs without one.
	store app.Store
}

const usage = `wikifeed browses wiki feeds in the terminal.

Usage:
  wikifeed [flags] [SOURCE...]       open the TUI (lists when stdout is not a terminal)
  wikifeed list [flags] [SOURCE...]  list revisions, one per line
  wikifeed show [flags] [SOURCE...]  render one revision to stdout
  wikifeed diff [flags] [SOURCE...]  show what a revision changed
  wikifeed help [COMMAND]            help for a command
  wikifeed help browse               the TUI's flags, config file and keys
  wikifeed --version                 print the version

A SOURCE is a file, "-" for standard input, or an http(s) URL. Several merge
into one list. With none, wikifeed opens a sample feed built into it.

Run 'wikifeed COMMAND --help' for a command's flags.
`

// run is the whole program; it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, stdoutTTY: isTerminal(stdout), getenv: os.Getenv}
	return dispatch(args, e)
}

func dispatch(args []string, e *env) int {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return runList(args[1:], e)
		case "show":
			return runShow(args[1:], e)
		case "diff":
			return runDiff(args[1:], e)
		case "help":
			if len(args) > 1 && args[1] != "help" {
				return dispatch([]string{args[1], "--help"}, e)
			}
			fmt.Fprint(e.stdout, usage)
			return exitOK
		case "--version", "-version", "version":
			fmt.Fprintf(e.stdout, "wikifeed %s\n", version)
			return exitOK
		case "-h", "--help", "-help":
			fmt.Fprint(e.stdout, usage)
			return exitOK
		}
	}
	return runBrowse(args, e)
}
