package tui

import (
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// View draws the whole window.
func (m *Model) View() tea.View {
	v := tea.NewView(m.screen())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	// The window title is set with setTitle, not here: Bubble Tea empties
	// a title it set when it ends.
	return v
}

// windowTitle is the terminal window's title: the feed's.
func (m *Model) windowTitle() string {
	title := "wikifeed"
	if m.feed != nil {
		if t := oneLine(m.feed.Title); t != "" {
			title += ": " + ansi.Truncate(t, 60, "…")
		}
	}
	return title
}

// setTitle sets the window title when it changed (runProgram saved the
// user's before and restores it after).
func (m *Model) setTitle() tea.Cmd {
	t := m.windowTitle()
	if t == m.title {
		return nil
	}
	m.title = t
	return tea.Raw(ansi.SetWindowTitle(t))
}

// screen draws the window as text: header, body, status bar; exactly
// height lines of at most width cells.
func (m *Model) screen() string {
	w, h := m.sh.width, m.sh.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.tooSmall() {
		msg := "window too small"
		if w < len(msg) {
			msg = "too small"
		}
		return fit(lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, msg), w, h)
	}
	header := m.headerView(w)
	hh := lipgloss.Height(header)
	bodyH := max(h-hh-1, 1)
	var body string
	switch {
	case m.showHelp:
		body = m.helpView(w, bodyH)
	case m.feed == nil:
		body = m.emptyView(w, bodyH)
	case m.sh.wide():
		lw := m.sh.listWidth()
		left := fit(m.list.view(lw, m.focus == focusList), lw, bodyH)
		right := fit(m.content.view(w-lw-1, bodyH, m.spin.View()), w-lw-1, bodyH)
		// The rule between the panes lights up when the content pane has
		// the focus; the list shows its focus by its selection.
		sep := m.sh.st.border.Render("│")
		if m.focus == focusContent {
			sep = m.sh.st.accent.Render("┃")
		}
		ll, rl := strings.Split(left, "\n"), strings.Split(right, "\n")
		var b strings.Builder
		for i := range bodyH {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(ll[i] + sep + rl[i])
		}
		body = b.String()
	case m.focus == focusContent:
		body = fit(m.content.view(w, bodyH, m.spin.View()), w, bodyH)
	default:
		body = fit(m.list.view(w, true), w, bodyH)
	}
	return fit(header, w, hh) + "\n" + fit(body, w, bodyH) + "\n" + fit(m.statusView(w), w, 1)
}

// headerView draws the title line and, under it, any load errors.
func (m *Model) headerView(w int) string {
	st := m.sh.st
	parts := []string{st.title.Render("wikifeed")}
	f := m.feed
	switch {
	case f == nil && m.loading:
		parts = append(parts, st.faint.Render("loading…"))
	case f != nil:
		if n := m.list.newCount(); n > 0 {
			parts = append(parts, st.newMark.Render(fmt.Sprintf("● %d %s", n, m.list.newWord())))
		}
		if m.list.unreadOnly {
			parts = append(parts, st.accent.Render("unread only"))
		}
		if t := oneLine(f.Title); t != "" {
			// The title gives way to the counts; the source, often a long
			// URL, comes last.
			parts = append(parts, st.page.Render(ansi.Truncate(t, max(w/3, 16), "…")))
		}
		counts := fmt.Sprintf("%d %s · %d %s", len(f.Pages), plural(len(f.Pages), "page", "pages"),
			len(f.Revisions), plural(len(f.Revisions), "revision", "revisions"))
		parts = append(parts, st.faint.Render(counts))
		parts = append(parts, m.liveHeader()...)
		if !f.Updated.IsZero() {
			parts = append(parts, st.faint.Render("updated "+age(f.Updated, m.sh.now())))
		}
		src := "sample feed"
		switch {
		case m.search != nil:
			src = m.searchHeader()
		case !f.Sample:
			names := make([]string, len(f.Sources))
			for i, n := range f.Sources {
				if n == "-" {
					n = "standard input"
				}
				names[i] = n
			}
			src = oneLine(strings.Join(names, ", "))
		}
		parts = append(parts, st.faint.Render(src))
	}
	line := " " + strings.Join(parts, st.faint.Render(" · "))
	if m.loading {
		line += " " + m.spin.View()
	}
	line = ansi.Truncate(line, w, "…")
	if errs := m.errorLines(); len(errs) > 0 {
		line += "\n" + ansi.Truncate(st.errorText.Render(" ✗ "+strings.Join(errs, "; ")), w, "…")
	}
	return line
}

// errorLines lists the load's failed sources and the wiki's own error.
func (m *Model) errorLines() []string {
	var out []string
	for _, err := range m.loadErrs {
		out = append(out, oneLine(err.Error()))
	}
	if m.feed != nil && m.feed.WikiError != "" {
		out = append(out, "the wiki answered with an error: "+oneLine(m.feed.WikiError))
	}
	if m.feed != nil {
		for _, wn := range m.feed.Warnings {
			out = append(out, "warning: "+oneLine(wn))
		}
	}
	return out
}

// emptyView is the body before the first load or when nothing loaded.
func (m *Model) emptyView(w, _ int) string {
	st := m.sh.st
	if m.loading || !m.loaded {
		return " " + m.spin.View() + st.faint.Render(" loading the feed…")
	}
	var b strings.Builder
	b.WriteString(st.errorText.Render(" Nothing could be loaded."))
	b.WriteString("\n\n")
	for _, err := range m.loadErrs {
		b.WriteString(ansi.Wrap(" "+oneLine(err.Error()), w, ""))
		b.WriteString("\n")
	}
	b.WriteString("\n" + st.faint.Render(fmt.Sprintf(" Press %s to try again, %s to quit.",
		m.sh.keys.Reload.Help().Key, m.sh.keys.Quit.Help().Key)))
	return b.String()
}

// helpView is the full help screen, generated from the key map.
func (m *Model) helpView(w, h int) string {
	st := m.sh.st
	title := st.title.Render(" Keys") + st.faint.Render(fmt.Sprintf("  (%s or %s closes this)", m.sh.keys.Help.Help().Key, m.sh.keys.Back.Help().Key))
	var b strings.Builder
	b.WriteString(title + "\n\n")
	for _, row := range m.helpRows(w - 2) {
		for _, l := range strings.Split(row, "\n") {
			b.WriteString(" " + l + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n" + st.faint.Render(" Config: "+configNote(m.sh.cfg.Path)))
	lines := strings.Split(b.String(), "\n")
	// Clamped here, where the help's length is known, so k works at once
	// after too many j.
	m.helpOffset = min(m.helpOffset, max(len(lines)-h, 0))
	return strings.Join(lines[m.helpOffset:], "\n")
}

// helpRows lays the key map's help columns out in as many rows as the
// width needs, so that no binding is cut off on a narrow terminal.
func (m *Model) helpRows(w int) []string {
	m.help.SetWidth(0) // measure without cutting
	var rows []string
	var cur [][]key.Binding
	for _, g := range m.sh.keys.FullHelp() {
		try := append(append([][]key.Binding(nil), cur...), g)
		if len(cur) > 0 && lipgloss.Width(m.help.FullHelpView(try)) > w {
			rows = append(rows, m.help.FullHelpView(cur))
			cur = [][]key.Binding{g}
			continue
		}
		cur = try
	}
	if len(cur) > 0 {
		rows = append(rows, m.help.FullHelpView(cur))
	}
	return rows
}

func configNote(path string) string {
	if path == "" {
		return "none (keys can be remapped in config.toml)"
	}
	return oneLine(path)
}

// statusView draws the status bar: an input, a message, or the position
// and the short help.
func (m *Model) statusView(w int) string {
	st := m.sh.st
	if m.inputFor != inputNone {
		return m.input.View()
	}
	var left string
	switch {
	case m.status != "" && m.statusBad:
		left = st.errorText.Render(" " + oneLine(m.status))
	case m.status != "":
		left = st.accent.Render(" " + oneLine(m.status))
	default:
		var parts []string
		if n := len(m.list.items); n > 0 && (m.focus == focusList || m.sh.wide()) {
			parts = append(parts, fmt.Sprintf("%d/%d", m.list.cursor+1, n))
		}
		if m.list.filter != "" {
			parts = append(parts, "filter: "+oneLine(m.list.filter))
		}
		if m.contentVisible() && m.content.rev != nil {
			if p := m.content.position(); p != "" {
				parts = append(parts, p)
			}
		}
		left = " " + st.faint.Render(strings.Join(parts, " · "))
	}
	right := m.shortHelp(w - ansi.StringWidth(left) - 2)
	gap := w - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 1 {
		return ansi.Truncate(left, w, "…")
	}
	return left + strings.Repeat(" ", gap) + right
}

// shortHelp draws the status bar's key hints in at most w cells: when
// they do not all fit, the least important go first (shortHelpRank),
// one at a time, so that help and quit stay longest.
func (m *Model) shortHelp(w int) string {
	all := m.sh.keys.ShortHelp()
	keep := make([]bool, len(all))
	for i := range keep {
		keep[i] = all[i].Enabled()
	}
	order := make([]int, len(all)) // indexes, least important first
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return shortHelpRank[order[a]] > shortHelpRank[order[b]] })
	m.help.SetWidth(0) // measured here, never cut with an ellipsis
	for _, drop := range append(order, -1) {
		var shown []key.Binding
		for i, b := range all {
			if keep[i] {
				shown = append(shown, b)
			}
		}
		if s := m.help.ShortHelpView(shown); ansi.StringWidth(s) <= w || len(shown) == 0 {
			return s
		}
		if drop >= 0 {
			keep[drop] = false
		}
	}
	return ""
}

// fit makes s exactly h lines of exactly w cells: longer lines are cut,
// shorter ones padded, missing lines added, extra ones dropped.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		lw := ansi.StringWidth(l)
		switch {
		case lw > w:
			lines[i] = ansi.Truncate(l, w, "")
		case lw < w:
			lines[i] = l + strings.Repeat(" ", w-lw)
		}
	}
	return strings.Join(lines, "\n")
}
