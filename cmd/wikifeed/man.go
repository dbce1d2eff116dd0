package main

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// newManCmd is `wikifeed man`: the manual page, as roff for man -l -.
// It replaces fang's, which makes a paragraph of every line of a long
// description and writes -c as --c.
func newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:                   "man",
		Short:                 "Print the manual page (roff; read it with: wikifeed man | man -l -)",
		Hidden:                true,
		DisableFlagsInUseLine: true,
		Args:                  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(c.OutOrStdout(), manPage(c.Root()))
			return err
		},
	}
}

// manExitStatus, manEnvironment and manFiles are the man page's sections
// that no command's help holds.
const (
	manExitStatus = `0 when all went well; 1 for a runtime error (a source failed, the wiki sent an error, a revision was not found); 2 for a usage error (an unknown command or flag, a bad value).`

	manEnvironment = `NO_COLOR
  Any value turns colour off, unless --format ansi or --color always asks for it.
CLICOLOR_FORCE, FORCE_COLOR
  Turn colour on, piped too (unless they are 0, or FORCE_COLOR is false).
TERM
  dumb: no colour and no question to the terminal; linux: a dark background, not asked.
COLORFGBG
  The terminal's foreground and background colours ("15;0"): a light or dark background, not asked.
GLAMOUR_STYLE
  The style when --style is not given: a name or a glamour JSON style file.
COLUMNS
  The width to wrap to on a terminal.
XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME
  Where the store, the config file and (without the store) the entries seen are kept (default ~/.local/share, ~/.config and ~/.local/state).
WIKIFEED_NO_STORE
  Set (to anything but 0), no command reads or writes the store, as --no-store.`

	manFiles = `~/.config/wikifeed/config.toml
  The terminal UI's config: style, sources, watch interval and keys (see wikifeed help browse).
~/.local/share/wikifeed/wikifeed.db
  The store: every revision loaded from a URL, read and reviewed marks, the fetched copies with their ETag and Last-Modified, and the search index.
~/.local/state/wikifeed
  Without the store, the entries seen, so that the first load marks what is new since the last session.`
)

// manPage writes the manual page of the command tree under root.
func manPage(root *cobra.Command) string {
	var b strings.Builder
	name := root.Name()
	fmt.Fprintf(&b, ".TH %s 1 \"\" %q \"User Commands\"\n", strings.ToUpper(name), name+" "+version)
	b.WriteString(".SH NAME\n")
	b.WriteString(roffText(name+" - "+lowerFirst(root.Short)) + "\n")
	b.WriteString(".SH SYNOPSIS\n")
	cmds := []*cobra.Command{root}
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() {
			cmds = append(cmds, c)
		}
	}
	for i, c := range cmds {
		if i > 0 {
			b.WriteString(".br\n")
		}
		b.WriteString(manSynopsis(c))
	}
	b.WriteString(".SH DESCRIPTION\n")
	b.WriteString(roffParagraphs(root.Long))
	b.WriteString(".SH OPTIONS\n")
	b.WriteString("The options of the terminal UI, the command with no name.\n")
	b.WriteString(manFlags(root.Flags()))
	b.WriteString(".SH COMMANDS\n")
	for _, c := range cmds[1:] {
		fmt.Fprintf(&b, ".SS %s\n", roffText(c.CommandPath()))
		if c.Long == "" {
			b.WriteString(roffText(c.Short) + "\n")
		} else {
			b.WriteString(roffParagraphs(c.Long))
		}
		if c.Name() == "completion" {
			b.WriteString(".PP\nThe shells: " + roffText(strings.Join(subNames(c), ", ")) + ".\n")
		}
		if c.HasAvailableLocalFlags() {
			b.WriteString(".PP\nOptions:\n")
			b.WriteString(".RS\n" + manFlags(c.LocalNonPersistentFlags()) + ".RE\n")
		}
	}
	b.WriteString(".SH EXIT STATUS\n" + roffText(manExitStatus) + "\n")
	b.WriteString(".SH ENVIRONMENT\n" + roffTagged(manEnvironment))
	b.WriteString(".SH FILES\n" + roffTagged(manFiles))
	b.WriteString(".SH EXAMPLES\n")
	for _, c := range cmds {
		b.WriteString(roffExample(c.Example))
	}
	b.WriteString(".SH SEE ALSO\n" + roffText(name+" help browse, for the keys of the terminal UI.") + "\n")
	return b.String()
}

// manSynopsis is one command's synopsis line.
func manSynopsis(c *cobra.Command) string {
	words := strings.Fields(c.Use)
	s := `\fB` + roffText(c.CommandPath()) + `\fR`
	if c.HasAvailableLocalFlags() {
		s += ` [\fIOPTION\fR...]`
	}
	for _, w := range words[1:] {
		s += " " + roffText(w)
	}
	return s + "\n"
}

// subNames lists c's available subcommands.
func subNames(c *cobra.Command) []string {
	var names []string
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() {
			names = append(names, s.Name())
		}
	}
	return names
}

// manFlags lists the flags of fs as tagged paragraphs.
func manFlags(fs *pflag.FlagSet) string {
	var b strings.Builder
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		b.WriteString(".TP\n")
		if f.Shorthand != "" {
			fmt.Fprintf(&b, `\fB\-%s\fR, `, f.Shorthand)
		}
		fmt.Fprintf(&b, `\fB\-\-%s\fR`, roffText(f.Name))
		if v := valueName(f); v != "" {
			fmt.Fprintf(&b, ` \fI%s\fR`, v)
		}
		b.WriteString("\n" + roffText(upperFirst(f.Usage)))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" && f.DefValue != "0s" {
			b.WriteString(" (default: " + roffText(f.DefValue) + ")")
		}
		b.WriteString("\n")
	})
	return b.String()
}

// valueName names the value a flag takes, for the man page: the first
// word in capitals of its usage ("a MediaWiki URL"), else one after its
// type; "" for a flag that takes none.
func valueName(f *pflag.Flag) string {
	switch f.Value.Type() {
	case "bool":
		return ""
	case "duration":
		return "DURATION"
	case "size":
		return "SIZE"
	}
	for _, w := range strings.FieldsFunc(f.Usage, func(r rune) bool { return !unicode.IsLetter(r) && r != '$' }) {
		if !strings.HasPrefix(w, "$") && w == strings.ToUpper(w) && w != strings.ToLower(w) {
			return w
		}
	}
	if strings.HasPrefix(f.Value.Type(), "int") {
		return "N"
	}
	return strings.ToUpper(f.Name)
}

// roffText escapes text for roff: backslashes, minus signs (so that options
// copy as typed), and a line that starts with a dot or a quote.
func roffText(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			lines[i] = `\&` + l
		}
	}
	return strings.Join(lines, "\n")
}

// roffParagraphs writes text made of paragraphs split by blank lines; a
// paragraph whose lines are all indented is shown as it is, unfilled.
func roffParagraphs(text string) string {
	var b strings.Builder
	for i, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		lines := strings.Split(p, "\n")
		indented := true
		for _, l := range lines {
			if !strings.HasPrefix(l, "  ") {
				indented = false
			}
		}
		if indented {
			b.WriteString(".RS\n.nf\n")
			for _, l := range lines {
				b.WriteString(roffText(strings.TrimPrefix(l, "  ")) + "\n")
			}
			b.WriteString(".fi\n.RE\n")
			continue
		}
		b.WriteString(roffText(p) + "\n")
	}
	return b.String()
}

// roffTagged writes a list of terms, each followed by its indented
// description, as tagged paragraphs.
func roffTagged(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if d, ok := strings.CutPrefix(l, "  "); ok {
			b.WriteString(roffText(d) + "\n")
			continue
		}
		b.WriteString(".TP\n" + `\fB` + roffText(l) + `\fR` + "\n")
	}
	return b.String()
}

// roffExample writes a command's examples: a "# " line as the text before
// the command lines under it.
func roffExample(example string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(example), "\n") {
		if l == "" {
			continue
		}
		if c, ok := strings.CutPrefix(l, "# "); ok {
			b.WriteString(".PP\n" + roffText(upperFirst(c)) + ":\n")
			continue
		}
		b.WriteString(".RS\n.nf\n" + roffText(l) + "\n.fi\n.RE\n")
	}
	return b.String()
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// lowerFirst makes the first letter of s small.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}
