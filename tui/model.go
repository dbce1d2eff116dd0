package tui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/app"
	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// focus says which pane has the keys: in the wide layout both panes show
// and one has the focus; in the narrow one only the focused pane shows.
type focus int

const (
	focusList focus = iota
	focusContent
)

// input says which text input, if any, is taking the keys.
type input int

const (
	inputNone input = iota
	inputFilter
	inputSearch
	// inputStore is the query of a search of the store.
	inputStore
)

// Model is the root model of the UI.
type Model struct {
	sh      *shared
	load    func() tea.Cmd
	list    listModel
	content contentModel
	help    help.Model
	spin    spinner.Model
	input   textinput.Model
	cache   *renderCache

	focus    focus
	inputFor input
	showHelp bool
	// helpOffset is how far the help screen is scrolled, in lines.
	helpOffset int
	spinning   bool

	feed     *feed.Feed
	loadErrs []error
	loading  bool
	loadSeq  int
	loaded   bool // a load has finished at least once
	// seen holds the keys of the last load's revisions, to mark new ones;
	// nil before the first load when no earlier session left its keys.
	seen map[string]bool
	// statePath keeps seen between sessions; "" keeps it in memory only.
	statePath string
	// prefetching is the key of the background render running, if any.
	prefetching contentKey
	// prefetchFailed is the last prefetch that failed.
	prefetchFailed contentKey
	// core decides and makes the diffs (and fetches from wikis the texts
	// a diff needs that the feed lacks, when fetching is on); fetched
	// keeps what it got.
	core *app.App
	// live is the live list's state; nil for a feed (tui/live.go).
	live    *liveState
	fetched fetchedTexts
	// wikiPages keeps the wikis' own renderings W got.
	wikiPages wikiPages
	// marks are the store's read marks (marks.go); nil without a store,
	// and then the new dots come from seen. quietShow is set while the
	// UI, not the user, opens a revision.
	marks     Marks
	quietShow bool
	// search, when set, is the search of the store the list shows.
	search *storeSearch

	status    string
	statusID  int
	statusBad bool
	// title is the window title last set.
	title string
}

// New makes the root model.
func New(opts Options) (*Model, error) {
	if opts.Load == nil && opts.Live == nil {
		return nil, errors.New("tui: no Load function")
	}
	keys := DefaultKeyMap()
	if err := keys.Remap(opts.Config.Keys); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	sh := &shared{cfg: opts.Config, keys: keys, now: opts.Now, getenv: opts.Getenv, open: opts.OpenURL}
	if sh.now == nil {
		sh.now = time.Now
	}
	if sh.getenv == nil {
		sh.getenv = defaultGetenv
	}
	if sh.open == nil {
		sh.open = openWithBrowser(sh.getenv)
	}
	sh.style = opts.Config.Style
	if sh.style == "" || sh.style == "auto" {
		sh.style = "dark"
	}
	sh.st = newStyles(sh.style)
	m := &Model{
		sh:      sh,
		list:    listModel{sh: sh, grouped: !opts.Config.Flat, skipHeaders: opts.Config.SkipHeaders},
		content: newContentModel(sh),
		help:    help.New(),
		spin:    spinner.New(spinner.WithSpinner(spinner.Dot)),
		input:   textinput.New(),
		cache:   newRenderCache(cacheEntries, cacheBytes),
	}
	m.help.Styles = sh.st.help
	m.spin.Style = sh.st.accent
	// The gutter reads the content model where it lives, inside m.
	m.content.vp.LeftGutterFunc = m.content.gutter
	load := opts.Load
	m.statePath = opts.StatePath
	m.core = opts.Core
	m.marks = opts.Marks
	m.list.stored = opts.Marks != nil
	m.load = func() tea.Cmd {
		m.loadSeq++
		m.loading = true
		state := ""
		if m.seen == nil {
			state = m.statePath
		}
		return tea.Batch(loadFeed(m.loadSeq, load, state), m.startSpinner())
	}
	if opts.Live != nil {
		m.setupLive(opts.Live, opts.LiveTitle)
	}
	return m, nil
}

// Init starts the first load and asks the terminal for its background.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{m.load(), m.setTitle(), m.liveInit()}
	if m.sh.cfg.Style == "" || m.sh.cfg.Style == "auto" {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.sh.cfg.Watch > 0 {
		cmds = append(cmds, m.timer(tickWatch(m.sh.cfg.Watch)))
	}
	return tea.Batch(cmds...)
}

// timer returns cmd, or nil when timers are off (model tests).
func (m *Model) timer(cmd tea.Cmd) tea.Cmd {
	if m.sh.noTimers {
		return nil
	}
	return cmd
}

// startSpinner starts the spinner's ticks unless they run already.
func (m *Model) startSpinner() tea.Cmd {
	if m.spinning || m.sh.noTimers {
		return nil
	}
	m.spinning = true
	return m.spin.Tick
}

// busy reports whether anything slow is running.
func (m *Model) busy() bool { return m.loading || m.content.loading }

// Update handles a message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m, m.onResize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	case tea.MouseWheelMsg:
		return m, m.onWheel(msg)
	case tea.MouseClickMsg:
		return m, m.onClick(msg)
	case tea.BackgroundColorMsg:
		return m, m.onBackground(msg)
	case liveArrivedMsg:
		return m, m.onLiveArrived(msg)
	case liveTickMsg:
		return m, m.timer(tickLive())
	case feedLoadedMsg:
		return m, m.onFeedLoaded(msg)
	case storeSearchMsg:
		return m, m.onStoreSearch(msg)
	case revisionRenderedMsg:
		if msg.rest != nil {
			return m, m.onFirstScreen(msg)
		}
		return m, m.onContentReady(msg.key, msg.res)
	case diffReadyMsg:
		if len(msg.fetched) > 0 {
			m.fetched.merge(msg.fetched)
		}
		return m, m.onContentReady(msg.key, msg.res)
	case errMsg:
		return m, m.setStatus(msg.err.Error(), true)
	case browserOpenedMsg:
		return m, m.setStatus("opened "+oneLine(msg.url), false)
	case watchTickMsg:
		return m, tea.Batch(m.load(), m.timer(tickWatch(m.sh.cfg.Watch)))
	case statusExpiredMsg:
		if msg.id == m.statusID {
			m.status = ""
		}
		return m, nil
	case spinner.TickMsg:
		if !m.busy() {
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	}
	if m.inputFor != inputNone {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

// setStatus shows a transient message in the status bar.
func (m *Model) setStatus(s string, bad bool) tea.Cmd {
	m.statusID++
	m.status, m.statusBad = s, bad
	return m.timer(expireStatus(m.statusID))
}

// onResize lays the panes out again and re-renders the visible content at
// its new width (the only render started, so it comes first).
func (m *Model) onResize(w, h int) tea.Cmd {
	m.sh.width, m.sh.height = w, h
	m.help.SetWidth(w)
	m.layout()
	return m.requestContent()
}

// layout sizes the children from the window size.
func (m *Model) layout() {
	w, h := m.sh.width, m.sh.height
	bodyH := max(h-m.headerHeight()-1, 1)
	if m.sh.wide() {
		lw := m.sh.listWidth()
		m.list.setHeight(bodyH)
		m.content.setSize(w-lw-1, bodyH)
	} else {
		m.list.setHeight(bodyH)
		m.content.setSize(w, bodyH)
	}
	m.input.SetWidth(max(w-12, 1))
}

// headerHeight is the header's height: the title line, and a line of
// errors when there are any.
func (m *Model) headerHeight() int {
	if len(m.errorLines()) > 0 {
		return 2
	}
	return 1
}

// contentVisible reports whether the content pane is on screen.
func (m *Model) contentVisible() bool {
	return m.sh.width > 0 && (m.sh.wide() || m.focus == focusContent) && !m.tooSmall()
}

func (m *Model) tooSmall() bool { return m.sh.width < minWidth || m.sh.height < minHeight }

// requestContent asks for the current revision in the current mode at the
// pane's width: from the cache at once, or by starting a render. Nothing
// is rendered for a pane not on screen.
func (m *Model) requestContent() tea.Cmd {
	c := &m.content
	if c.rev == nil || !m.contentVisible() {
		return nil
	}
	k := m.contentKeyOf(c.rev)
	if k == c.shown && !c.loading && c.err == nil {
		return nil // a failed one is tried again
	}
	if r, ok := m.cache.get(k); ok {
		c.want = k
		c.apply(k, r)
		return m.prefetch()
	}
	if c.loading && c.want == k {
		return nil
	}
	c.want, c.loading = k, true
	if k == m.prefetching {
		return m.startSpinner() // on its way already
	}
	var status tea.Cmd
	if m.asksWiki(c.rev, k) {
		status = m.setStatus("asking the wiki for its rendering…", false)
	}
	return tea.Batch(renderContent(m.job(c.rev, k, c.vp.Height())), m.startSpinner(), status)
}

// contentKeyOf is the key of rev's content in the pane's mode, width and
// style; the wiki's rendering (W) is a key of its own.
func (m *Model) contentKeyOf(rev *feed.Revision) contentKey {
	c := &m.content
	return contentKey{
		rev: revKey(rev), mode: c.mode, width: c.textWidth(), style: m.sh.style,
		wiki: c.wiki && c.mode == modeRendered,
	}
}

// asksWiki reports whether rendering rev for k may ask the wiki: the
// wiki's rendering, not kept in memory, of a revision the core would ask
// for it.
func (m *Model) asksWiki(rev *feed.Revision, k contentKey) bool {
	return k.wiki && m.wikiPages.get(k.rev) == nil && m.core.PlanRendering(rev, true).NeedsFetch()
}

// job copies what rendering rev for key k needs; lines > 0 asks for the
// first screen first.
func (m *Model) job(rev *feed.Revision, k contentKey, lines int) renderJob {
	// The core reads the text of a revision listed without it.
	job := renderJob{key: k, lines: lines, rev: *rev, st: m.sh.st, core: m.core}
	if k.mode == modeDiff {
		// The feed and its revisions are not changed once loaded (a
		// reload makes a new one), so the command may read them.
		job.feed, job.orig, job.known = m.feed, rev, m.fetched.clone(rev)
	}
	if k.wiki {
		job.wikiHTML = m.wikiPages.get(k.rev)
	}
	return job
}

// prefetch renders, in the background and one at a time, the revision of
// the next list row (the one j shows), so that moving down is instant.
func (m *Model) prefetch() tea.Cmd {
	c := &m.content
	if m.prefetching != (contentKey{}) || c.loading || c.rev == nil || !m.contentVisible() || m.feed == nil {
		return nil
	}
	var next *feed.Revision
	for i := m.list.cursor + 1; i < len(m.list.items) && next == nil; i++ {
		if r := m.list.items[i].revision(); r != nil && r != c.rev {
			next = r
		}
	}
	if next == nil {
		return nil
	}
	k := m.contentKeyOf(next)
	if _, ok := m.cache.get(k); ok || k == m.prefetchFailed {
		return nil
	}
	if c.mode == modeDiff && m.needsFetch(next) || m.asksWiki(next, k) {
		return nil // the wiki is asked only when the user asks
	}
	m.prefetching = k
	return renderContent(m.job(next, k, 0))
}

// needsFetch reports whether rev's diff needs texts from the wiki, as the
// core plans it.
func (m *Model) needsFetch(rev *feed.Revision) bool {
	return m.core.Plan(context.Background(), m.feed, rev).NeedsFetch()
}

// onContentReady stores a result, shows it if it is still wanted, and
// starts the next prefetch.
func (m *Model) onContentReady(k contentKey, r contentResult) tea.Cmd {
	status := m.keepWiki(k, r)
	if r.err == nil && !r.fellBack {
		m.cache.put(k, r) // failures (a wiki out of reach) are tried again
	}
	if k == m.prefetching {
		m.prefetching = contentKey{}
		if r.err != nil {
			m.prefetchFailed = k // not again, or it would loop
		}
	}
	if k == m.content.want {
		m.content.apply(k, r)
	}
	return tea.Batch(status, m.prefetch())
}

// keepWiki keeps the wiki's rendering a result brought, and says in the
// status bar whose rendering the pane shows when it was the wiki's that
// was wanted (and why not, when it could not be had).
func (m *Model) keepWiki(k contentKey, r contentResult) tea.Cmd {
	if r.wikiHTML != nil {
		m.wikiPages.put(k.rev, r.wikiHTML)
	}
	switch {
	case k != m.content.want || !k.wiki:
		return nil
	case r.fellBack:
		return m.setStatus(oneLine(r.note), true)
	}
	return m.setStatus("the wiki's own rendering", false) // done asking
}

// onFirstScreen shows the first screen of a big revision while the rest
// renders. A first screen is not cached: only whole results are.
func (m *Model) onFirstScreen(msg revisionRenderedMsg) tea.Cmd {
	status := m.keepWiki(msg.key, msg.res)
	if msg.key != m.content.want {
		return nil
	}
	m.content.apply(msg.key, msg.res)
	m.content.loading = true
	return tea.Batch(renderRest(msg.key, msg.rest, msg.res), m.startSpinner(), status)
}

// show makes rev the content pane's revision, in the current mode.
func (m *Model) show(rev *feed.Revision) tea.Cmd {
	if rev == nil {
		return nil
	}
	if m.content.rev != rev {
		m.content.rev = rev
		m.content.clearSearch()
	}
	delete(m.list.isNew, revKey(rev))
	return tea.Batch(m.markRead(rev), m.requestContent())
}

// showQuietly runs a show without clearing the new mark of what it
// shows: the user has not looked at it yet.
func (m *Model) showQuietly(show func() tea.Cmd) tea.Cmd {
	marks := maps.Clone(m.list.isNew)
	m.quietShow = true
	cmd := show()
	m.quietShow = false
	m.list.isNew = marks
	return cmd
}

// showSelected shows the list's selected revision.
func (m *Model) showSelected() tea.Cmd {
	it, ok := m.list.selected()
	if !ok {
		return nil
	}
	return m.show(it.revision())
}

// setMode switches the content mode. From the list it applies to the
// selected revision (and, on a narrow terminal, opens it); from the
// content pane to the revision shown.
func (m *Model) setMode(md mode) tea.Cmd {
	m.content.mode = md
	m.content.clearSearch()
	rev := m.content.rev
	if it, ok := m.list.selected(); ok && (m.focus == focusList || rev == nil) {
		rev = it.revision()
	}
	if rev == nil {
		return nil
	}
	if !m.sh.wide() {
		m.focus = focusContent
	}
	return m.show(rev)
}

// onFeedLoaded takes a new feed, marking revisions new since the last
// load and keeping the selection.
func (m *Model) onFeedLoaded(msg feedLoadedMsg) tea.Cmd {
	if msg.seq != m.loadSeq {
		return nil // an older load finished late
	}
	m.loading = false
	m.loadErrs = msg.errs
	first := !m.loaded
	m.loaded = true
	if msg.feed == nil {
		m.layout()
		return nil
	}
	if m.seen == nil && msg.prevSeen != nil {
		m.seen = msg.prevSeen // the last session's load
	}
	keys := make(map[string]bool, len(msg.feed.Revisions))
	newOnes := map[string]bool{}
	for _, r := range msg.feed.Revisions {
		k := revKey(r)
		keys[k] = true
		if m.seen != nil && !m.seen[k] {
			newOnes[k] = true
		}
	}
	// Marks stay until the revision is opened or leaves the feed.
	marks := map[string]bool{}
	for k := range m.list.isNew {
		if keys[k] {
			marks[k] = true
		}
	}
	for k := range newOnes {
		marks[k] = true
	}
	if m.marks != nil {
		marks, m.list.gone = storeMarks(m.marks, msg.feed)
	}
	if m.search != nil {
		// The search's results stay; the feed shows when it ends.
		m.search.base = msg.feed
		m.seen = keys
		m.layout()
		return saveSeen(m.statePath, keys)
	}
	m.list.isNew = marks
	m.seen = keys
	m.feed = msg.feed
	m.list.setFeed(msg.feed)
	m.layout()
	// Keep showing the same revision, where it was scrolled to, if it is
	// still in the feed (its key, and so its text, stay the same).
	if cur := m.content.rev; cur != nil {
		m.content.rev = nil
		ck := revKey(cur)
		for _, r := range msg.feed.Revisions {
			if revKey(r) == ck {
				m.content.rev = r
				break
			}
		}
	}
	status := tea.Batch(saveSeen(m.statePath, keys), m.setTitle())
	if !first {
		n := len(newOnes)
		status = tea.Batch(status, m.setStatus(fmt.Sprintf("reloaded: %d new %s", n, plural(n, "entry", "entries")), false))
	}
	if m.content.rev == nil {
		// Shown by the load, not by the user: its new mark stays.
		return tea.Batch(status, m.showQuietly(m.showSelected))
	}
	return tea.Batch(status, m.requestContent())
}

// onBackground picks the light or dark style when the config says auto.
func (m *Model) onBackground(msg tea.BackgroundColorMsg) tea.Cmd {
	style := "dark"
	if !msg.IsDark() {
		style = "light"
	}
	if style == m.sh.style {
		return nil
	}
	m.sh.style = style
	m.sh.st = newStyles(style)
	m.help.Styles = m.sh.st.help
	m.spin.Style = m.sh.st.accent
	return m.requestContent()
}

// onWheel scrolls the pane under the pointer.
func (m *Model) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	mo := msg.Mouse()
	delta := 0
	switch mo.Button {
	case tea.MouseWheelDown:
		delta = wheelLines
	case tea.MouseWheelUp:
		delta = -wheelLines
	default:
		return nil
	}
	overList := m.focus == focusList
	if m.sh.wide() {
		overList = mo.X < m.sh.listWidth()
	}
	if overList {
		m.list.move(delta)
		if m.sh.wide() {
			return m.showSelected()
		}
		return nil
	}
	if delta > 0 {
		m.content.vp.ScrollDown(delta)
	} else {
		m.content.vp.ScrollUp(-delta)
	}
	return nil
}

// onClick selects the list row under the pointer, or focuses the pane
// clicked.
func (m *Model) onClick(msg tea.MouseClickMsg) tea.Cmd {
	mo := msg.Mouse()
	if mo.Button != tea.MouseLeft || m.showHelp || m.inputFor != inputNone || m.tooSmall() {
		return nil
	}
	overList := m.focus == focusList
	if m.sh.wide() {
		overList = mo.X < m.sh.listWidth()
	}
	if !overList {
		if m.content.rev != nil {
			m.focus = focusContent
		}
		return nil
	}
	row := m.list.offset + mo.Y - m.headerHeight()
	if mo.Y < m.headerHeight() || row < 0 || row >= len(m.list.items) || row >= m.list.offset+m.list.height {
		return nil
	}
	m.focus = focusList
	m.list.moveTo(row)
	if m.sh.wide() {
		return m.showSelected()
	}
	return nil
}

// onKey handles a key press: the text inputs first, then the help screen,
// global keys, and the focused pane's keys.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.sh.keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if cmd, ok := m.onLiveKey(msg); ok {
		return cmd
	}
	if m.inputFor != inputNone {
		return m.onInputKey(msg)
	}
	if m.showHelp {
		// The help scrolls when the window is too short for it.
		switch {
		case key.Matches(msg, k.Quit):
			return tea.Quit
		case key.Matches(msg, k.Help, k.Back):
			m.showHelp, m.helpOffset = false, 0
		case key.Matches(msg, k.Down, k.PageDown, k.HalfDown):
			m.helpOffset++
		case key.Matches(msg, k.Up, k.PageUp, k.HalfUp):
			m.helpOffset = max(m.helpOffset-1, 0)
		case key.Matches(msg, k.Top):
			m.helpOffset = 0
		}
		return nil
	}
	if cmd, ok := m.onMarkKey(msg); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
		return nil
	case key.Matches(msg, k.Reload):
		if m.loading {
			return nil
		}
		return tea.Batch(m.load(), m.setStatus("reloading…", false))
	case key.Matches(msg, k.Group):
		sel := m.list.selection()
		m.list.grouped = !m.list.grouped
		m.list.rebuild(sel)
		return m.followList()
	case key.Matches(msg, k.SkipHeaders):
		m.list.skipHeaders = !m.list.skipHeaders
		m.list.settle(1)
		m.list.clamp()
		what := "j/k stop at page rows"
		if m.list.skipHeaders {
			what = "j/k skip page rows"
		}
		return tea.Batch(m.followList(), m.setStatus(what, false))
	case key.Matches(msg, k.Filter):
		m.focus = focusList
		return m.openInput(inputFilter, "/ ", m.list.filter)
	case key.Matches(msg, k.Search):
		if m.content.rev == nil {
			return nil
		}
		var show tea.Cmd
		if !m.sh.wide() && m.focus == focusList {
			// The search is in the selected revision, which now shows.
			show = m.openContent()
		}
		return tea.Batch(show, m.openInput(inputSearch, "search: ", m.content.query))
	case key.Matches(msg, k.Copy):
		return m.copyURL()
	case key.Matches(msg, k.OpenBrowser):
		rev := m.targetRevision()
		if rev == nil || render.WebURL(rev.URL) == "" {
			return m.setStatus("this entry has no http(s) link", true)
		}
		return openBrowser(render.WebURL(rev.URL), m.sh.open)
	case key.Matches(msg, k.Rendered):
		return m.setMode(modeRendered)
	case key.Matches(msg, k.WikiRendering):
		m.content.wiki = !m.content.wiki
		what := "wikifeed's own rendering"
		if m.content.wiki {
			what = "the wiki's own rendering"
		}
		// Set first: asking the wiki says so instead.
		status := m.setStatus(what, false)
		return tea.Batch(status, m.setMode(modeRendered))
	case key.Matches(msg, k.Diff):
		return m.setMode(modeDiff)
	case key.Matches(msg, k.Source):
		return m.setMode(modeSource)
	case key.Matches(msg, k.Newer):
		return m.step(+1)
	case key.Matches(msg, k.Older):
		return m.step(-1)
	case key.Matches(msg, k.SwitchFocus):
		if m.focus == focusList {
			return m.openContent()
		}
		m.focus = focusList
		return nil
	}
	if m.focus == focusContent && m.contentVisible() {
		return m.onContentKey(msg)
	}
	return m.onListKey(msg)
}

// targetRevision is the revision actions apply to: the one in the content
// pane when it has the focus, else the list's selection.
func (m *Model) targetRevision() *feed.Revision {
	if m.focus == focusContent && m.content.rev != nil {
		return m.content.rev
	}
	if it, ok := m.list.selected(); ok {
		return it.revision()
	}
	return m.content.rev
}

// copyURL copies the target revision's URL with OSC 52.
func (m *Model) copyURL() tea.Cmd {
	rev := m.targetRevision()
	if rev == nil || render.WebURL(rev.URL) == "" {
		return m.setStatus("this entry has no http(s) link", true)
	}
	return tea.Batch(tea.SetClipboard(rev.URL), m.setStatus("copied "+oneLine(rev.URL), false))
}

// openContent focuses the content pane on the selected revision.
func (m *Model) openContent() tea.Cmd {
	it, ok := m.list.selected()
	if !ok {
		return nil
	}
	m.focus = focusContent
	return m.show(it.revision())
}

// step moves to the newer (+1) or older (-1) revision of the same page,
// keeping the mode.
func (m *Model) step(dir int) tea.Cmd {
	cur := m.targetRevision()
	p := m.feed.PageOf(cur)
	if p == nil {
		return nil
	}
	var next *feed.Revision
	if dir > 0 {
		next = p.Next(cur)
	} else {
		next = p.Prev(cur)
	}
	if next == nil {
		which := "newest"
		if dir < 0 {
			which = "oldest"
		}
		return m.setStatus("this is the "+which+" revision of the page in the feed", false)
	}
	m.list.selectRevision(next)
	return m.show(next)
}

// onListKey handles the list's keys.
func (m *Model) onListKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.sh.keys
	l := &m.list
	switch {
	case key.Matches(msg, k.Up):
		l.move(-1)
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.Top):
		l.moveTo(0)
	case key.Matches(msg, k.Bottom):
		l.moveTo(len(l.items) - 1)
	case key.Matches(msg, k.PageUp):
		l.move(-l.height)
	case key.Matches(msg, k.PageDown):
		l.move(l.height)
	case key.Matches(msg, k.HalfUp):
		l.move(-l.height / 2)
	case key.Matches(msg, k.HalfDown):
		l.move(l.height / 2)
	case key.Matches(msg, k.Open):
		return m.openContent()
	case key.Matches(msg, k.Back):
		return m.clearSearchAndFilter()
	case key.Matches(msg, k.NextChange, k.PrevChange):
		if m.sh.wide() {
			return m.onContentKey(msg)
		}
		return nil
	default:
		return nil
	}
	if m.sh.wide() {
		return m.showSelected()
	}
	return nil
}

// onContentKey handles the content pane's keys.
func (m *Model) onContentKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.sh.keys
	c := &m.content
	vp := &c.vp
	switch {
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.HalfUp):
		vp.HalfPageUp()
	case key.Matches(msg, k.HalfDown):
		vp.HalfPageDown()
	case key.Matches(msg, k.NextChange):
		c.jump(1)
	case key.Matches(msg, k.PrevChange):
		c.jump(-1)
	case key.Matches(msg, k.Back):
		if c.query != "" || m.list.filter != "" {
			return m.clearSearchAndFilter()
		}
		m.focus = focusList
	}
	return nil
}

// openInput opens the filter or search input with its current value.
func (m *Model) openInput(which input, prompt, value string) tea.Cmd {
	m.inputFor = which
	m.input.Prompt = prompt
	m.input.SetValue(value)
	m.input.CursorEnd()
	cmd := m.input.Focus()
	return m.timer(cmd)
}

// onInputKey handles keys while the filter or search input is open. The
// filter applies as it is typed; the search runs on enter.
func (m *Model) onInputKey(msg tea.KeyPressMsg) tea.Cmd {
	k := &m.sh.keys
	switch {
	case key.Matches(msg, k.Accept):
		which := m.inputFor
		m.inputFor = inputNone
		m.input.Blur()
		switch which {
		case inputSearch:
			m.content.search(strings.TrimSpace(m.input.Value()), true)
		case inputStore:
			return m.searchStore(strings.TrimSpace(m.input.Value()))
		case inputNone, inputFilter:
		}
		return nil
	case key.Matches(msg, k.Cancel):
		which := m.inputFor
		m.inputFor = inputNone
		m.input.Blur()
		if which == inputFilter {
			m.list.filter = ""
			m.list.rebuild(m.list.selection())
			return m.followList()
		}
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.inputFor == inputFilter && m.list.filter != m.input.Value() {
		m.list.filter = m.input.Value()
		m.list.rebuild(m.list.selection())
		return tea.Batch(m.timer(cmd), m.followList())
	}
	return m.timer(cmd)
}

// clearSearchAndFilter is esc in either pane: the search and the filter
// both end, and the list keeps its selection.
func (m *Model) clearSearchAndFilter() tea.Cmd {
	searching := m.content.query != ""
	m.content.clearSearch()
	if m.list.filter == "" {
		if !searching && m.search != nil {
			// Then the search of the store.
			return m.endStoreSearch()
		}
		return nil
	}
	m.list.filter = ""
	m.list.rebuild(m.list.selection())
	return m.followList()
}

// followList makes the content pane show the list's selection after the
// rows changed (a filter, the grouping), when both panes show; with no
// row left it says that nothing matches.
func (m *Model) followList() tea.Cmd {
	if !m.sh.wide() {
		return nil
	}
	if len(m.list.items) == 0 {
		if m.list.filter != "" {
			m.content.rev = nil
			m.content.clearSearch()
			m.content.none = "No revision matches the filter."
		}
		return nil
	}
	m.content.none = ""
	return m.showSelected()
}
