package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// Marks are the store's read and reviewed marks as the UI uses them
// (app.Memory implements it). With Marks set, a revision's "new" dot means
// unread: opening it marks it read, and the marks outlive the session in
// place of the seen-file.
type Marks interface {
	// Unread reports whether r is stored and not marked read.
	Unread(r *feed.Revision) bool
	// Mark marks revs read, or reviewed (which implies read).
	Mark(ctx context.Context, revs []*feed.Revision, reviewed bool) error
	// Gone reports whether r is stored and has left its feed's window.
	Gone(r *feed.Revision) bool
	// Search finds stored revisions by an FTS5 query, best first, as a
	// feed whose Revisions keep that order.
	Search(ctx context.Context, query string, sources []string, limit int) (*feed.Feed, error)
}

// saveMarks writes marks in the background; a failure is shown as an error.
func saveMarks(marks Marks, revs []*feed.Revision, reviewed bool) tea.Cmd {
	return func() tea.Msg {
		if err := marks.Mark(context.Background(), revs, reviewed); err != nil {
			return errMsg{fmt.Errorf("save marks: %w", err)}
		}
		return nil
	}
}

// storeMarks returns the keys of the feed's unread revisions, and of
// those that have left their feed's window.
func storeMarks(marks Marks, f *feed.Feed) (unread, gone map[string]bool) {
	unread, gone = map[string]bool{}, map[string]bool{}
	for _, r := range f.Revisions {
		if marks.Unread(r) {
			unread[revKey(r)] = true
		}
		if marks.Gone(r) {
			gone[revKey(r)] = true
		}
	}
	return unread, gone
}

// onMarkKey handles the keys of the marks; ok is false for other keys, or
// when there is no store.
func (m *Model) onMarkKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	if m.marks == nil || m.feed == nil {
		return nil, false
	}
	k := &m.sh.keys
	switch {
	case key.Matches(msg, k.Reviewed):
		rev := m.targetRevision()
		if rev == nil {
			return nil, true
		}
		delete(m.list.isNew, revKey(rev))
		return tea.Batch(saveMarks(m.marks, []*feed.Revision{rev}, true), m.setStatus("marked reviewed", false), m.setTitle()), true
	case key.Matches(msg, k.AllRead):
		q := strings.ToLower(m.list.filter)
		var shown []*feed.Revision
		for _, r := range m.feed.Revisions {
			if m.list.matches(r, q) {
				shown = append(shown, r)
				delete(m.list.isNew, revKey(r))
			}
		}
		return tea.Batch(saveMarks(m.marks, shown, false),
			m.setStatus(fmt.Sprintf("marked %d %s read", len(shown), plural(len(shown), "entry", "entries")), false), m.setTitle()), true
	case key.Matches(msg, k.UnreadOnly):
		sel := m.list.selection()
		m.list.unreadOnly = !m.list.unreadOnly
		m.list.rebuild(sel)
		what := "showing every entry"
		if m.list.unreadOnly {
			what = fmt.Sprintf("showing the %d unread %s only", m.list.newCount(), plural(m.list.newCount(), "entry", "entries"))
		}
		return tea.Batch(m.followList(), m.setStatus(what, false)), true
	case key.Matches(msg, k.SearchStore):
		m.focus = focusList
		q := ""
		if m.search != nil {
			q = m.search.query
		}
		return m.openInput(inputStore, "search the store: ", q), true
	case key.Matches(msg, k.NextUnread):
		n := len(m.list.items)
		for d := 1; d <= n; d++ {
			i := (m.list.cursor + d) % n
			if r := m.list.items[i].rev; r != nil && m.list.isNew[revKey(r)] {
				m.list.moveTo(i)
				return m.followList(), true
			}
		}
		return m.setStatus("no unread entry", false), true
	}
	return nil, false
}

// markRead marks a revision the user opened as read.
func (m *Model) markRead(rev *feed.Revision) tea.Cmd {
	if m.marks == nil || rev == nil || m.quietShow || !m.marks.Unread(rev) {
		return nil
	}
	return saveMarks(m.marks, []*feed.Revision{rev}, false)
}
