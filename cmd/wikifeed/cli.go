package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"charm.land/fang/v2"
	"charm.land/lipgloss/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wikifeed/wikifeed/app"
)

// exitCodeError carries a command's exit code out of cobra. The command
// has reported its problems on stderr already, so nothing more is printed.
type exitCodeError int

// Error returns the code as text; it is never shown.
func (c exitCodeError) Error() string { return "exit status " + strconv.Itoa(int(c)) }

// commandLineError is a bad command line found while parsing it: an
// unknown flag or command, a bad flag value. It exits with exitUsage.
type commandLineError struct {
	cmd *cobra.Command // the command whose line it is
	err error
}

// Error returns the problem.
func (e *commandLineError) Error() string { return e.err.Error() }

// Unwrap returns the problem.
func (e *commandLineError) Unwrap() error { return e.err }

// codeError turns a command body's exit code into cobra's error.
func codeError(code int) error {
	if code == exitOK {
		return nil
	}
	return exitCodeError(code)
}

// body runs a command's body f as the command's RunE.
func (e *env) body(f func() int) error {
	if e.inCommand != nil {
		return codeError(e.inCommand(f))
	}
	return codeError(f())
}

// commandName is how messages name the command: "wikifeed list", or
// "wikifeed" for the TUI.
func commandName(c *cobra.Command) string {
	if c == nil {
		return "wikifeed"
	}
	return c.CommandPath()
}

// helpHint is the command that shows c's usage.
func helpHint(c *cobra.Command) string {
	switch {
	case c == nil || !c.HasParent():
		return "wikifeed help browse"
	case c.Name() == "help":
		return "wikifeed --help"
	}
	return c.CommandPath() + " --help"
}

// dispatch runs the command line args; it returns the exit code.
func dispatch(args []string, e *env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	// Help pads its lines with spaces to the width of its blocks.
	out := &trimWriter{w: e.stdout}
	root.SetOut(out)
	root.SetErr(e.stderr)
	// The completion scripts go out as cobra makes them.
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			for _, sh := range c.Commands() {
				sh.SetOut(e.stdout)
			}
		}
	}
	restore := hideStdinFromFang(e)
	defer restore()
	err := fang.Execute(context.Background(), root,
		fang.WithVersion(version),
		fang.WithErrorHandler(printError),
		fang.WithoutManpage(),
		fang.WithColorSchemeFunc(func(lipgloss.LightDarkFunc) fang.ColorScheme {
			return fang.DefaultColorScheme(lipgloss.LightDark(helpOnDark(args, e)))
		}),
	)
	if ferr := out.flush(); err == nil && ferr != nil {
		err = exitCodeError(exitError)
	}
	return exitCodeOf(err)
}

// helpOnDark tells fang's help whether the terminal's background is dark.
// fang asks for its colour scheme before it shows help and before it shows
// an error; only help has colours, so the terminal is asked (as
// app.DecideOutput says, at most backgroundTimeout) only when args ask for
// help.
func helpOnDark(args []string, e *env) bool {
	help := len(args) > 0 && args[0] == "help" || len(args) == 1 && args[0] == "completion"
	for _, a := range args {
		if a == "--" {
			break
		}
		help = help || a == "-h" || a == "--help"
	}
	if !help {
		return true
	}
	out, err := app.DecideOutput(app.OutputFlags{}, terminalOf(e), app.PipeWidths{})
	if err != nil || !out.AskBackground {
		return out.Style != "light"
	}
	return hasDarkBackground(e)
}

// trimWriter drops the spaces at the end of each line written to w.
type trimWriter struct {
	w      io.Writer
	spaces int // spaces held back: they go out only if more text follows on the line
	err    error
}

// Write writes p less the spaces before each newline.
func (t *trimWriter) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for _, c := range p {
		switch c {
		case ' ':
			t.spaces++
			continue
		case '\n':
			t.spaces = 0
		default:
			for ; t.spaces > 0; t.spaces-- {
				out = append(out, ' ')
			}
		}
		out = append(out, c)
	}
	if _, err := t.w.Write(out); err != nil {
		t.err = err
		return 0, err
	}
	return len(p), nil
}

// flush writes the spaces held back at the end of the output (text with
// no final newline), and returns the first write error.
func (t *trimWriter) flush() error {
	if t.spaces > 0 && t.err == nil {
		_, t.err = io.WriteString(t.w, strings.Repeat(" ", t.spaces))
		t.spaces = 0
	}
	return t.err
}

// hideStdinFromFang keeps fang from asking the terminal for its
// background colour: before it shows help or an error, fang asks the
// terminal on os.Stdin and os.Stdout and waits up to 2 s on each for an
// answer that some terminals never send (script(1), the Linux console).
// It asks only when both are terminals, so os.Stdin is a non-terminal
// while fang runs, and each command's body gets the real one back. The
// returned function restores os.Stdin.
func hideStdinFromFang(e *env) func() {
	if !term.IsTerminal(int(os.Stdout.Fd())) || !term.IsTerminal(int(os.Stdin.Fd())) {
		return func() {}
	}
	null, err := os.Open(os.DevNull)
	if err != nil {
		return func() {}
	}
	realStdin := os.Stdin
	os.Stdin = null
	e.inCommand = func(f func() int) int {
		os.Stdin = realStdin
		defer func() { os.Stdin = null }()
		return f()
	}
	return func() {
		os.Stdin = realStdin
		_ = null.Close() // opened for reading: nothing to lose
	}
}

// printError is fang's error handler: a command line error in one line
// with where to find the usage; a command's own errors are on stderr
// already.
func printError(w io.Writer, _ fang.Styles, err error) {
	var code exitCodeError
	if errors.As(err, &code) {
		return
	}
	var cle *commandLineError
	if errors.As(err, &cle) {
		_, _ = fmt.Fprintf(w, "%s: %s\nRun '%s' for usage.\n", commandName(cle.cmd), cle.err, helpHint(cle.cmd))
		return
	}
	_, _ = fmt.Fprintf(w, "wikifeed: %s\n", err)
}

// exitCodeOf is the exit code for what fang.Execute returned: a command's
// own code, or exitUsage for the errors cobra finds in a command line.
func exitCodeOf(err error) int {
	var code exitCodeError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	return exitUsage
}

// usageErrorf is a command line error of c.
func usageErrorf(c *cobra.Command, format string, args ...any) error {
	return &commandLineError{cmd: c, err: fmt.Errorf(format, args...)}
}

const rootLong = `wikifeed browses wiki feeds in the terminal: MediaWiki's Atom and RSS feeds of
recent changes, a user's contributions and a page's history, and those of other
wikis.

With no command, wikifeed opens the terminal UI (when standard output is not a
terminal it lists the revisions instead, as 'wikifeed list' does); 'wikifeed help
browse' tells its config file and keys.

A SOURCE is a file, "-" for standard input, or an http(s) URL. Several merge into
one list. With none, wikifeed opens a sample feed built into it.`

const rootExample = `# the sample feed built into wikifeed, in the terminal UI
wikifeed
# a wiki's recent changes, reloaded every five minutes
wikifeed --wiki en.wikipedia.org --recent --watch 5m
# one revision, rendered
wikifeed show feed.atom --rev 6199`

// newRootCmd builds the command tree: the TUI as the root, and list,
// show, diff, help and the hidden version under it (fang adds man,
// cobra adds completion).
func newRootCmd(e *env) *cobra.Command {
	root := newBrowseCmd(e)
	root.Long = rootLong
	root.Example = rootExample
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		if c == root {
			// "wikifeed shwo --rev 1": the flag is show's; the
			// command is what is wrong.
			if args := c.Flags().Args(); len(args) > 0 {
				if cerr := checkCommandName(c, args[:1]); cerr != nil {
					return cerr
				}
			}
		}
		return &commandLineError{cmd: c, err: err}
	})
	root.SetVersionTemplate(versionLine(version, revision, modified) + "\n")
	root.AddCommand(newListCmd(e), newShowCmd(e), newDiffCmd(e), newLiveCmd(e), &cobra.Command{
		Use:    "version",
		Short:  "Print the version",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(c.OutOrStdout(), versionLine(version, revision, modified))
			return err
		},
	})
	root.AddCommand(newManCmd())
	root.SetHelpCommand(newHelpCmd())
	return root
}

// newHelpCmd is 'wikifeed help [COMMAND]'; unlike cobra's own, it fails
// for a topic it does not know, and it knows browse, the command with
// no name.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [COMMAND]",
		Short: "Help for a command ('help browse': the terminal UI's)",
		Args:  cobra.MaximumNArgs(2),
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			names := []cobra.Completion{"browse"}
			for _, sub := range c.Root().Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			if len(args) == 0 {
				return root.Help()
			}
			if len(args) == 1 && args[0] == "browse" {
				root.Long = browseHelp()
				root.Example = browseExample
				return root.Help()
			}
			sub, rest, err := root.Find(args)
			if err != nil || sub == root || len(rest) > 0 {
				msg := fmt.Sprintf("no help for %q", strings.Join(args, " "))
				if s := root.SuggestionsFor(args[0]); len(s) > 0 {
					msg += "; did you mean " + strings.Join(s, " or ") + "?"
				} else {
					msg += "; the commands are browse, list, show, diff, completion and man"
				}
				return &commandLineError{cmd: c, err: errors.New(msg)}
			}
			return sub.Help()
		},
	}
}

// checkCommandName reports a first argument that is no file but is near
// a command's name ("wikifeed lsit") as a mistyped command.
func checkCommandName(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	a := args[0]
	if a == "" || a == "-" || strings.Contains(a, "://") {
		return nil
	}
	if _, err := os.Stat(a); err == nil {
		return nil
	}
	if s := c.SuggestionsFor(a); len(s) > 0 {
		return usageErrorf(c, "unknown command %q; did you mean %s?", a, strings.Join(s, " or "))
	}
	return nil
}

// completeValues makes the shells complete flag name with words.
func completeValues(c *cobra.Command, name string, words ...string) {
	// The error is for a flag that is not defined, a bug the tests catch.
	_ = c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp))
}
