package tui

import (
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// Tunables of the store search.
const (
	// storeSearchLimit is the most revisions a search of the store lists.
	storeSearchLimit = 500
	// storeSearchTimeout bounds one search.
	storeSearchTimeout = 10 * time.Second
)

// storeSearch is a search of the store whose results the list shows in
// place of the feed; esc ends it and the feed shows again.
type storeSearch struct {
	query string
	// base is the feed as last loaded (reloads go on underneath), and
	// sel the selection in it when the search began.
	base *feed.Feed
	sel  selection
	// unreadOnly is the feed's unread-only view, back when the search
	// ends; the search lists every match.
	unreadOnly bool
}

// storeSearchMsg is a finished search of the store.
type storeSearchMsg struct {
	query string
	feed  *feed.Feed
	err   error
}

// searchStore runs an FTS5 query over every stored revision, off the UI
// loop.
func (m *Model) searchStore(query string) tea.Cmd {
	if query == "" {
		return nil
	}
	marks := m.marks
	return tea.Batch(m.setStatus("searching the store…", false), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), storeSearchTimeout)
		defer cancel()
		f, err := marks.Search(ctx, query, nil, storeSearchLimit)
		return storeSearchMsg{query: query, feed: f, err: err}
	})
}

// onStoreSearch shows a search's results in the list.
func (m *Model) onStoreSearch(msg storeSearchMsg) tea.Cmd {
	if msg.err != nil {
		return m.setStatus("search: "+oneLine(msg.err.Error()), true)
	}
	n := len(msg.feed.Revisions)
	if n == 0 {
		return m.setStatus("no stored revision matches “"+oneLine(msg.query)+"”", false)
	}
	if m.search == nil {
		m.search = &storeSearch{base: m.feed, sel: m.list.selection(), unreadOnly: m.list.unreadOnly}
	}
	m.list.unreadOnly = false
	m.search.query = msg.query
	m.focus = focusList
	m.content.rev = nil
	m.list.filter = ""
	m.setListFeed(msg.feed, selection{})
	what := fmt.Sprintf("%d stored %s match", n, plural(n, "revision", "revisions"))
	if n == storeSearchLimit {
		what = fmt.Sprintf("the best %d stored revisions match", n)
	}
	return tea.Batch(m.setStatus(what+"; esc returns to the feed", false), m.setTitle(), m.showQuietly(m.showSelected))
}

// endStoreSearch shows the feed again, with the selection it had.
func (m *Model) endStoreSearch() tea.Cmd {
	s := m.search
	m.search = nil
	m.content.rev = nil
	m.list.unreadOnly = s.unreadOnly
	if s.base == nil {
		m.feed = nil
		m.list.setFeed(&feed.Feed{})
		m.layout()
		return m.setTitle()
	}
	m.setListFeed(s.base, s.sel)
	return tea.Batch(m.setTitle(), m.showQuietly(m.showSelected))
}

// setListFeed makes f the feed the list shows, its marks read from the
// store, and puts the cursor on sel.
func (m *Model) setListFeed(f *feed.Feed, sel selection) {
	m.feed = f
	m.list.isNew, m.list.gone = storeMarks(m.marks, f)
	m.list.setFeed(f)
	m.list.rebuild(sel)
	m.layout()
}

// searchHeader is the header's account of a search of the store.
func (m *Model) searchHeader() string {
	return "from the store · " + m.sh.keys.Back.Help().Key + " returns to the feed"
}
