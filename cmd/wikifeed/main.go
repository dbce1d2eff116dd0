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
//	wikifeed completion bash|zsh|fish a shell completion script
//	wikifeed man                      the manual page, as roff
//
// A SOURCE is a file, "-" for standard input, or an http(s) URL. With none,
// wikifeed opens a sample feed embedded in the binary.
//
// The command line is parsed by cobra, styled by fang; cli.go builds the
// command tree and each command's file holds its flags and its body.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/wikifeed/wikifeed/app"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // a runtime error: a source failed, a write failed
	exitUsage = 2 // a usage error: a bad flag or argument
	// exitInterrupt is for a command stopped by SIGINT or SIGTERM (128 +
	// SIGINT, as shells report it), like wikifeed live stopped by Ctrl-C.
	exitInterrupt = 130
)

// devVersion is the version of a binary built without module information
// (go run, go test).
const devVersion = "0.1.0-dev"

// version is the module's version: set at build time with -ldflags
// "-X main.version=...", else read from the build information, which a
// go install of a released module carries (v1.2.3) and so does a go build
// in a git checkout (a pseudo-version such as v0.0.0-20261201224501-f39b0f1abcde+dirty).
var version = ""

// revision is the VCS revision the binary was built from ("" when
// unknown), and modified whether its work tree had changes.
var (
	revision string
	modified bool
)

func init() {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	version, revision, modified = versionOf(version, info)
}

// versionOf works out the version and the VCS revision from a version
// set by the linker (ldVersion) and the build information (nil when
// there is none).
func versionOf(ldVersion string, info *debug.BuildInfo) (v, rev string, modified bool) {
	v = ldVersion
	if info != nil {
		if m := info.Main.Version; v == "" && m != "" && m != "(devel)" {
			v = m
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" {
		v = devVersion
	}
	return v, rev, modified
}

// versionLine is what --version prints: "wikifeed v1.2.3", with the
// revision when the version does not carry it already, as a
// pseudo-version does ("v0.0.0-20261201224501-f39b0f1abcde+dirty").
func versionLine(v, rev string, modified bool) string {
	s := "wikifeed " + v
	if rev == "" || strings.Contains(v, rev[:min(len(rev), 12)]) {
		return s
	}
	s += " (revision " + rev
	if modified {
		s += ", modified"
	}
	return s + ")"
}

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
	// inCommand runs a command's body; it gives the body back the
	// process's standard input that dispatch hid from fang. nil runs it
	// as it is.
	inCommand func(func() int) int
	// store is the store the core uses; nil runs without one.
	store app.Store
}

// errorf writes a message to stderr. A failure to write it has nowhere
// to be reported, so it is dropped; the exit code still tells.
func (e *env) errorf(format string, args ...any) {
	_, _ = fmt.Fprintf(e.stderr, format, args...)
}

// errorln writes a line to stderr, as errorf does.
func (e *env) errorln(args ...any) {
	_, _ = fmt.Fprintln(e.stderr, args...)
}

// run is the whole program; it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, stdoutTTY: isTerminal(stdout), getenv: os.Getenv}
	return dispatch(args, e)
}
