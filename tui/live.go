package tui

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// Live tunables.
const (
	// liveKeep is how many live revisions the list holds, newest first;
	// older ones leave it (the store keeps them).
	liveKeep = 1000
	// livePendingMax is how many revisions wait while the list is paused;
	// past it the oldest waiting are let go, and counted.
	livePendingMax = 100_000
	// liveInterval is the least time between two list updates: arrivals
	// in between come as one batch, so a busy stream costs at most ten
	// list rebuilds a second, and keys are never held up behind them.
	liveInterval = 100 * time.Millisecond
	// liveRateWindow is the time the rate indicator averages over.
	liveRateWindow = 5 * time.Second
)

// LiveSource is a stream of revisions as they happen (app.Live): Ready
// has a value when revisions wait, Take hands them over, oldest first, and
// Dropped counts those the source let go because the UI was slow.
type LiveSource interface {
	Ready() <-chan struct{}
	Take(dst []*feed.Revision) []*feed.Revision
	Dropped() int64
}

// liveState is the live list's state: what is shown, what waits while
// paused, and the arrival rate.
type liveState struct {
	src   LiveSource
	title string
	pause key.Binding
	// revs are the revisions listed, newest first.
	revs []*feed.Revision
	// pending arrived while paused, oldest first.
	pending []*feed.Revision
	paused  bool
	// lost counts pending revisions let go past livePendingMax.
	lost int64
	// arrivals are recent batches, for the rate.
	arrivals []arrival
	total    int64
	started  time.Time
}

// arrival is one batch: when, how many.
type arrival struct {
	at time.Time
	n  int
}

// liveArrivedMsg carries the revisions that came since the last one.
type liveArrivedMsg struct{ revs []*feed.Revision }

// liveTickMsg refreshes the rate indicator when nothing arrives.
type liveTickMsg struct{}

// setupLive turns the model into a live list: no loads, a flat list by
// time, the diff as the content.
func (m *Model) setupLive(src LiveSource, title string) {
	m.live = &liveState{
		src: src, title: title, started: m.sh.now(),
		pause: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume the live list")),
	}
	m.load = func() tea.Cmd { return nil }
	m.loaded = true
	m.list.grouped = false
	m.content.mode = modeDiff
	m.feed = &feed.Feed{Title: title}
	m.list.setFeed(m.feed)
}

// liveInit starts waiting for the stream.
func (m *Model) liveInit() tea.Cmd {
	if m.live == nil {
		return nil
	}
	return tea.Batch(waitLive(m.live.src, 0), m.timer(tickLive()))
}

// waitLive waits delay, then for revisions, and takes them all.
func waitLive(src LiveSource, delay time.Duration) tea.Cmd {
	return func() tea.Msg {
		if delay > 0 {
			time.Sleep(delay)
		}
		<-src.Ready()
		return liveArrivedMsg{revs: src.Take(nil)}
	}
}

// tickLive ticks every second for the rate indicator.
func tickLive() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return liveTickMsg{} })
}

// onLiveArrived lists what came, or keeps it while paused, then waits for
// more.
func (m *Model) onLiveArrived(msg liveArrivedMsg) tea.Cmd {
	l := m.live
	now := m.sh.now()
	l.total += int64(len(msg.revs))
	l.arrivals = append(l.arrivals, arrival{at: now, n: len(msg.revs)})
	for len(l.arrivals) > 0 && now.Sub(l.arrivals[0].at) > liveRateWindow {
		l.arrivals = l.arrivals[1:]
	}
	var cmd tea.Cmd
	if l.paused {
		l.pending = append(l.pending, msg.revs...)
		if over := len(l.pending) - livePendingMax; over > 0 {
			l.pending = slices.Delete(l.pending, 0, over)
			l.lost += int64(over)
		}
	} else {
		cmd = m.listLive(msg.revs)
	}
	return tea.Batch(cmd, waitLive(l.src, liveInterval))
}

// listLive puts revs (oldest first) at the top of the list and shows the
// first one if nothing is shown yet.
func (m *Model) listLive(revs []*feed.Revision) tea.Cmd {
	if len(revs) == 0 {
		return nil
	}
	l := m.live
	fresh := make([]*feed.Revision, 0, min(len(revs)+len(l.revs), liveKeep))
	for i := len(revs) - 1; i >= 0 && len(fresh) < liveKeep; i-- {
		fresh = append(fresh, revs[i])
	}
	fresh = append(fresh, l.revs[:min(len(l.revs), liveKeep-len(fresh))]...)
	l.revs = fresh
	// The feed holds the same revision values from one update to the
	// next, so the list computes only the new ones' columns. It has no
	// pages: the live list is flat, by arrival.
	f := &feed.Feed{Title: l.title, Revisions: l.revs}
	m.feed = f
	m.list.setFeed(f)
	if cur := m.content.rev; cur != nil {
		// The content keeps its revision; Merge made new values.
		k := revKey(cur)
		for _, r := range f.Revisions {
			if revKey(r) == k {
				m.content.rev = r
				break
			}
		}
		return nil
	}
	return m.showQuietly(m.showSelected)
}

// onLiveKey handles the live keys; ok is false for any other key.
func (m *Model) onLiveKey(msg tea.KeyPressMsg) (cmd tea.Cmd, ok bool) {
	if m.live == nil || m.inputFor != inputNone || m.showHelp {
		return nil, false
	}
	if key.Matches(msg, m.sh.keys.Group) {
		return m.setStatus("the live list is flat, newest first", false), true
	}
	if !key.Matches(msg, m.live.pause) {
		return nil, false
	}
	l := m.live
	l.paused = !l.paused
	if l.paused {
		return m.setStatus("paused: new changes wait; p resumes", false), true
	}
	waiting := l.pending
	l.pending = nil
	return tea.Batch(m.listLive(waiting), m.setStatus(fmt.Sprintf("resumed: %d %s listed", len(waiting), plural(len(waiting), "change", "changes")), false)), true
}

// liveRate is changes a second over the rate window.
func (l *liveState) rate(now time.Time) float64 {
	n := 0
	for _, a := range l.arrivals {
		if now.Sub(a.at) <= liveRateWindow {
			n += a.n
		}
	}
	window := min(now.Sub(l.started), liveRateWindow)
	if window < time.Second {
		window = time.Second
	}
	return float64(n) / window.Seconds()
}

// liveHeader is the header's live part: the rate, or paused with what
// waits, and what was let go.
func (m *Model) liveHeader() []string {
	l := m.live
	if l == nil {
		return nil
	}
	st := m.sh.st
	var parts []string
	if l.paused {
		parts = append(parts, st.newMark.Render(fmt.Sprintf("❚❚ paused, %d waiting", len(l.pending))))
	} else {
		parts = append(parts, st.newMark.Render(fmt.Sprintf("● live %.0f/s", l.rate(m.sh.now()))))
	}
	if lost := l.lost + l.src.Dropped(); lost > 0 {
		parts = append(parts, st.errorText.Render(fmt.Sprintf("%d not shown", lost)))
	}
	return parts
}
