package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
)

const listLong = `List the revisions of one or more feeds, newest first, one per line: time
(UTC), page, revision id, author, size change and edit comment. Columns are
aligned on a terminal and separated by tabs when piped.

A SOURCE is a file, "-" for standard input, or an http(s) URL; several
merge into one list. With none (and no --wiki), the sample feed built into
wikifeed is listed.

A URL's revisions are kept in the store ($XDG_DATA_HOME/wikifeed/wikifeed.db,
~/.local/share/wikifeed): the list is every revision stored of it, a reload
asks the wiki only for what changed, and when a fetch fails the stored copy
is shown with a warning. --no-store leaves the store alone.`

const listExample = `# the sample feed
wikifeed list
# two files, merged
wikifeed list recent.atom history.atom
# standard input
curl -s URL | wikifeed list -
wikifeed list --wiki https://en.wikipedia.org --recent
wikifeed list --wiki https://wiki.openvz.org --user Dlezcano --json`

// Widths of the list's columns on a terminal, in cells.
const (
	listPageWidth       = 36 // the longest page title shown whole
	listUserWidth       = 18 // the longest user name shown whole
	listMinCommentWidth = 20 // comments keep this while page and user columns shrink
	listMinColumn       = 6  // page and user columns shrink no further
)

// listConfig is the parsed command line of wikifeed list.
type listConfig struct {
	json bool
	src  *sourceFlags
	mem  *storeFlags
}

// newListCmd is `wikifeed list`.
func newListCmd(e *env) *cobra.Command {
	c := &listConfig{}
	cmd := &cobra.Command{
		Use:     "list [SOURCE...]",
		Short:   "List revisions, one per line",
		Long:    listLong,
		Example: listExample,
		RunE: func(_ *cobra.Command, args []string) error {
			return e.body(func() int { return runList(c, args, e) })
		},
	}
	cmd.Flags().BoolVar(&c.json, "json", false, "write the feed model as JSON")
	c.src = addSourceFlags(cmd.Flags(), "list")
	c.mem = addStoreFlags(cmd.Flags(), c.src)
	return cmd
}

// runList is `wikifeed list`.
func runList(c *listConfig, pos []string, e *env) int {
	sf, asJSON := c.src, &c.json
	// Only the JSON carries bodies and texts.
	c.mem.lean = !*asJSON
	f, code := sf.load(context.Background(), pos, e)
	defer c.mem.close()
	if f == nil {
		return code
	}
	if code < 0 {
		code = exitOK
	}
	var err error
	switch {
	case *asJSON:
		err = writeFeedJSON(e.stdout, f)
	case len(f.Revisions) == 0:
		if f.WikiError == "" {
			e.errorln("wikifeed: no entries")
		}
	case e.stdoutTTY:
		err = writeListColumns(e.stdout, f, listWidth(e), c.mem.goneNote)
	default:
		err = writeListTSV(e.stdout, f, c.mem.goneNote)
	}
	if err != nil {
		e.errorf("wikifeed list: %s\n", err)
		return exitError
	}
	return code
}

// listRow is one revision's fields, made safe for the terminal.
type listRow struct {
	time, page, id, user, change, comment string
}

// listRowOf builds a revision's fields; tty chooses the shorter time format.
func listRowOf(r *feed.Revision, tty bool) listRow {
	lr := listRow{
		page:    oneLine(r.Page),
		user:    oneLine(r.User),
		comment: oneLine(r.Comment),
		id:      "-",
	}
	switch {
	case r.Time.IsZero():
		lr.time = "-"
	case tty:
		lr.time = r.Time.UTC().Format("2006-01-02 15:04")
	default:
		lr.time = r.Time.UTC().Format("2006-01-02T15:04:05Z")
	}
	if r.ID != 0 {
		lr.id = strconv.FormatInt(r.ID, 10)
	} else if r.Log {
		lr.id = "log"
	}
	if r.HasSizeChange {
		lr.change = fmt.Sprintf("%+d", r.SizeChange)
	}
	if lr.comment == "" && r.NoDifference {
		lr.comment = "(no difference)"
	}
	return lr
}

// listNote puts the first note a function gives r before its comment.
func listNote(lr *listRow, r *feed.Revision, notes []func(*feed.Revision) string) {
	for _, note := range notes {
		if n := note(r); n != "" {
			lr.comment = strings.TrimSpace(n + " " + lr.comment)
			return
		}
	}
}

// writeListTSV writes one tab-separated line per revision; notes (the
// store's "gone from the feed") go before the comment.
func writeListTSV(w io.Writer, f *feed.Feed, notes ...func(*feed.Revision) string) error {
	bw := bufio.NewWriter(w)
	for _, r := range f.Revisions {
		lr := listRowOf(r, false)
		listNote(&lr, r, notes)
		// bw keeps its first error for Flush, checked below.
		_, _ = fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\n", lr.time, lr.page, lr.id, lr.user, lr.change, lr.comment)
	}
	return bw.Flush()
}

// listWidth returns the width of the terminal stdout is on, by
// app.DecideOutput's rule: $COLUMNS if set, else what the terminal says,
// else app.DefaultTerminalWidth.
func listWidth(e *env) int {
	out, err := app.DecideOutput(app.OutputFlags{}, terminalOf(e), app.PipeWidths{})
	if err != nil || out.Width <= 0 {
		return app.DefaultTerminalWidth
	}
	return out.Width
}

// writeListColumns writes the revisions in aligned columns, cutting long pages
// and users short, and comments to what is left of width cells.
func writeListColumns(w io.Writer, f *feed.Feed, width int, notes ...func(*feed.Revision) string) error {
	rows := make([]listRow, len(f.Revisions))
	var wid [5]int
	for i, r := range f.Revisions {
		lr := listRowOf(r, true)
		listNote(&lr, r, notes)
		lr.page = ansi.Truncate(lr.page, listPageWidth, "…")
		lr.user = ansi.Truncate(lr.user, listUserWidth, "…")
		rows[i] = lr
		for j, s := range []string{lr.time, lr.page, lr.id, lr.user, lr.change} {
			wid[j] = max(wid[j], ansi.StringWidth(s))
		}
	}
	wid[1], wid[3] = fitColumns(width-(wid[0]+wid[2]+wid[4]+5*len("  ")), wid[1], wid[3])
	used := wid[0] + wid[1] + wid[2] + wid[3] + wid[4] + 5*len("  ")
	commentWidth := max(listMinColumn, width-used)
	bw := bufio.NewWriter(w)
	for _, lr := range rows {
		lr.page = ansi.Truncate(lr.page, wid[1], "…")
		lr.user = ansi.Truncate(lr.user, wid[3], "…")
		lr.comment = ansi.Truncate(lr.comment, commentWidth, "…")
		line := listPad(lr.time, wid[0]) + "  " + listPad(lr.page, wid[1]) + "  " + listPadLeft(lr.id, wid[2]) + "  " +
			listPad(lr.user, wid[3]) + "  " + listPadLeft(lr.change, wid[4]) + "  " + lr.comment
		// A bufio.Writer keeps its first error for Flush, checked below.
		_, _ = bw.WriteString(strings.TrimRight(line, " "))
		_ = bw.WriteByte('\n')
	}
	return bw.Flush()
}

// fitColumns shares room (the cells left for page, user and comment)
// on a narrow terminal: the comment keeps listMinCommentWidth while there
// is room for it, and the page and user columns shrink, the page keeping
// two thirds, so that lines do not wrap.
func fitColumns(room, page, user int) (int, int) {
	if page+user+listMinCommentWidth <= room {
		return page, user
	}
	left := max(room-min(listMinCommentWidth, room/3), 2*listMinColumn)
	p := max(min(page, left*2/3), listMinColumn)
	u := max(min(user, left-p), listMinColumn)
	return p, u
}

// listPad pads s with spaces to width cells.
func listPad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-ansi.StringWidth(s)))
}

// listPadLeft right-aligns s in width cells.
func listPadLeft(s string, width int) string {
	return strings.Repeat(" ", max(0, width-ansi.StringWidth(s))) + s
}

// writeFeedJSON writes the feed as indented JSON. JSON escapes C0 controls
// itself; jsonEscapeControls escapes the rest of what a terminal might act on, so
// the data stays whole and the terminal stays safe.
func writeFeedJSON(w io.Writer, f *feed.Feed) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Bodies are HTML; "<div>" reads better than "\u003cdiv\u003e".
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		return err
	}
	_, err := w.Write(jsonEscapeControls(buf.Bytes()))
	return err
}

// jsonEscapeControls escapes DEL, the C1 controls, the bidirectional overrides
// and isolates, and the marks LRM, RLM and ALM (which render.Sanitize drops),
// as \uXXXX; they can only occur inside JSON strings, where the escape
// means the same character.
func jsonEscapeControls(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c {
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
