package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/wikifeed/wikifeed/render"
)

// styles are the UI's lipgloss styles, built from render's theme so the
// list, the diff and the rendered text share their colours.
type styles struct {
	text, faint, accent, title     lipgloss.Style
	added, removed                 lipgloss.Style
	addedWord, removedWord         lipgloss.Style
	selected, selectedBlur, border lipgloss.Style
	tabActive, tab, errorText      lipgloss.Style
	newMark, page, bar, gutter     lipgloss.Style
	help                           help.Styles
}

// newStyles builds the styles for a render style name.
func newStyles(style string) styles {
	t := render.ThemeFor(style)
	rs := render.NewStyles(t)
	s := lipgloss.NewStyle()
	return styles{
		text:         rs.Text,
		faint:        rs.Faint,
		accent:       rs.Accent,
		title:        rs.Title,
		added:        rs.Added,
		removed:      rs.Removed,
		addedWord:    rs.AddedWord,
		removedWord:  rs.RemovedWord,
		selected:     s.Reverse(true).Bold(true),
		selectedBlur: s.Background(t.Border),
		border:       s.Foreground(t.Border),
		tabActive:    s.Foreground(t.Accent).Bold(true).Underline(true),
		tab:          rs.Faint,
		errorText:    rs.Removed.Bold(true),
		newMark:      rs.Accent.Bold(true),
		page:         s.Bold(true),
		bar:          rs.Faint,
		gutter:       rs.Accent,
		help:         help.DefaultStyles(style != "light"),
	}
}

// shared is what every part of the UI reads: the window size, the config,
// the keys and the styles. The root model owns it; children hold a pointer.
type shared struct {
	width, height int
	// style is the render style in use ("auto" resolved to dark or light).
	style  string
	cfg    Config
	keys   KeyMap
	st     styles
	now    func() time.Time
	getenv func(string) string
	open   func(string) error
	// noTimers turns off spinner ticks and cursor blinks, so model tests
	// can run every command synchronously.
	noTimers bool
}

// wide reports whether list and content are shown side by side.
func (s *shared) wide() bool { return s.width >= wideWidth }

// listWidth is the list pane's width in the wide layout.
func (s *shared) listWidth() int {
	return min(max(s.width*2/5, listMinWidth), listMaxWidth)
}
