package tui

// COMMANDS: everything slow runs here, off the update loop. Each command
// gets copies of what it needs (never the model) and returns a message
// named for what finished, tagged with the key it was made for.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/internal/atomicfile"
	"github.com/wikifeed/wikifeed/internal/bounded"
	"github.com/wikifeed/wikifeed/render"
)

// feedLoadedMsg reports a finished load; seq tells loads apart so an old
// one finishing late is dropped.
type feedLoadedMsg struct {
	seq  int
	feed *feed.Feed
	errs []error
	// prevSeen are the keys the last session saw, when asked for and
	// known.
	prevSeen map[string]bool
}

// revisionRenderedMsg carries a rendered revision or its source. When
// rest is set the text is only the first screen, and rest renders the
// whole revision.
type revisionRenderedMsg struct {
	key  contentKey
	res  contentResult
	rest *render.Document
}

// diffReadyMsg carries a revision's diff, laid out, and the texts fetched
// from the wiki to make it.
type diffReadyMsg struct {
	key     contentKey
	res     contentResult
	fetched fetchedTexts
}

// errMsg reports a failed action (opening the browser, say).
type errMsg struct{ err error }

// browserOpenedMsg reports that the browser was started.
type browserOpenedMsg struct{ url string }

// watchTickMsg asks for a reload (--watch).
type watchTickMsg struct{}

// statusExpiredMsg clears the status message numbered id.
type statusExpiredMsg struct{ id int }

// loadFeed loads the feed and, when statePath is set, the keys the last
// session saw.
func loadFeed(seq int, load func(context.Context) (*feed.Feed, []error), statePath string) tea.Cmd {
	return func() tea.Msg {
		f, errs := load(context.Background())
		msg := feedLoadedMsg{seq: seq, feed: f, errs: errs}
		if statePath != "" {
			msg.prevSeen = readSeen(statePath)
		}
		return msg
	}
}

// readSeen reads a state file of keys, one a line; nil if there is none
// or it cannot be read (then nothing is marked new).
func readSeen(path string) map[string]bool {
	data, err := bounded.ReadFile(path, maxSeenBytes)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" {
			seen[l] = true
		}
	}
	return seen
}

// saveSeen writes the keys of a load to the state file, whole or not at
// all (a temporary file renamed over it).
func saveSeen(path string, keys map[string]bool) tea.Cmd {
	if path == "" {
		return nil
	}
	lines := make([]string, 0, len(keys))
	for k := range keys {
		if !strings.Contains(k, "\n") {
			lines = append(lines, k)
		}
	}
	sort.Strings(lines)
	return func() tea.Msg {
		if err := writeFileAtomic(path, []byte(strings.Join(lines, "\n")+"\n")); err != nil {
			return errMsg{fmt.Errorf("remember the entries seen: %w", err)}
		}
		return nil
	}
}

// writeFileAtomic writes data to path whole or not at all.
func writeFileAtomic(path string, data []byte) error {
	return atomicfile.Write(path, data, 0o600)
}

// maxSeenBytes caps the state file read back, in bytes: a key is a line
// of a few hundred bytes, for at most a few thousand entries.
const maxSeenBytes = 16 << 20

// renderJob is what rendering one content needs, copied out of the model.
type renderJob struct {
	key contentKey
	// lines is the pane's height: a big revision's first screen of lines
	// is rendered first, then the rest; 0 renders all at once.
	lines int
	rev   feed.Revision
	st    styles
	// For a diff: the core that makes it, the feed and the revision
	// itself (the core finds its parent there); known are the texts
	// fetched before (a copy), and gain what this job fetches.
	core  *app.App
	feed  *feed.Feed
	orig  *feed.Revision
	known fetchedTexts
	// wikiHTML is the wiki's rendering kept from before, for the wiki's
	// rendering (key.wiki); the core is asked for it otherwise.
	wikiHTML *app.WikiHTML
}

// renderContent renders a revision, its source or its diff.
func renderContent(job renderJob) tea.Cmd {
	return func() tea.Msg {
		opts := render.Options{Width: job.key.width, Style: job.key.style}
		switch job.key.mode {
		case modeDiff:
			if job.known == nil {
				job.known = fetchedTexts{}
			}
			r := diffContent(context.Background(), job.core, job.feed, job.orig, job.key, job.st, job.known)
			return diffReadyMsg{key: job.key, res: r, fetched: job.known}
		case modeRendered, modeSource:
			// A revision's text: below.
		}
		// A revision listed from the store has its text read now.
		if job.rev.Omitted {
			full, err := job.core.Full(context.Background(), &job.rev)
			if err != nil {
				return revisionRenderedMsg{key: job.key, res: contentResult{err: err}}
			}
			job.rev = *full
		}
		switch job.key.mode {
		case modeSource:
			opts.Format = render.Source
			text, err := render.Revision(&job.rev, opts)
			// The source is the feed's text as it is, paragraphs on one
			// line: wrap it to the pane, breaking long words too.
			text = ansi.Wrap(text, max(job.key.width, 1), "")
			return revisionRenderedMsg{key: job.key, res: contentResult{text: text, err: err}}
		case modeRendered, modeDiff:
			// Rendered below; a diff returned above.
		}
		opts.Format = render.ANSI
		// Whose rendering (the wiki's for W, else ours) the core decides,
		// as for 'wikifeed show'; asking the wiki happens here, off the
		// update loop.
		r := job.core.RenderRevision(context.Background(), job.core.PlanRendering(&job.rev, job.key.wiki),
			app.RenderingOptions{Known: job.wikiHTML})
		base := contentResult{wikiHTML: r.HTML, note: r.Note, fellBack: job.key.wiki && r.Source != app.RenderWiki}
		doc := r.Doc
		if job.lines > 0 {
			first, complete, err := doc.RenderFirst(opts, job.lines)
			res := base
			res.text, res.err = first, err
			if err != nil || complete {
				return revisionRenderedMsg{key: job.key, res: res}
			}
			return revisionRenderedMsg{key: job.key, res: res, rest: doc}
		}
		res := base
		res.text, res.err = doc.Render(opts)
		return revisionRenderedMsg{key: job.key, res: res}
	}
}

// renderRest renders the whole of a revision whose first screen is shown;
// base is the first screen's result, whose origin the whole one keeps.
func renderRest(k contentKey, doc *render.Document, base contentResult) tea.Cmd {
	return func() tea.Msg {
		res := base
		res.text, res.err = doc.Render(render.Options{Width: k.width, Style: k.style, Format: render.ANSI})
		return revisionRenderedMsg{key: k, res: res}
	}
}

// openBrowser opens url with open.
func openBrowser(url string, open func(string) error) tea.Cmd {
	return func() tea.Msg {
		if err := open(url); err != nil {
			return errMsg{err}
		}
		return browserOpenedMsg{url}
	}
}

// tickWatch asks for a reload after d.
func tickWatch(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return watchTickMsg{} })
}

// expireStatus clears status message id after statusTTL.
func expireStatus(id int) tea.Cmd {
	return tea.Tick(statusTTL, func(time.Time) tea.Msg { return statusExpiredMsg{id} })
}
