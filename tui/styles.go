package tui

import (
	"image/color"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/wikifeed/wikifeed/render"
)

// palette is the UI's colours for one background: render's theme, with
// the roles the UI adds (the background text is measured against, the
// search highlights) and the faint grey made dark enough to read (4.5:1,
// WCAG AA) where the theme's is not.
type palette struct {
	render.Theme
	// BG is the background the theme is meant for; text on the terminal's
	// own background is measured against it.
	BG color.Color
	// Match and MatchCurrent are the backgrounds of search matches.
	Match, MatchCurrent color.Color
	// OnMatch and OnAccent are the text colours on the match and the
	// accent (current match) backgrounds.
	OnMatch, OnAccent color.Color
}

// paletteFor returns the palette of a style name: "light" or dark.
func paletteFor(style string) palette {
	t := render.ThemeFor(style)
	if style == "light" {
		// 245 on white is 3.5:1; 242 is 5.3:1.
		t.Faint = lipgloss.Color("242")
		return palette{
			Theme: t, BG: lipgloss.Color("#ffffff"), Match: lipgloss.Color("222"),
			MatchCurrent: t.Accent, OnMatch: lipgloss.Color("#000000"), OnAccent: lipgloss.Color("#ffffff"),
		}
	}
	// 243 on black is 4.7:1, too close; 245 is 6:1.
	t.Faint = lipgloss.Color("245")
	return palette{
		Theme: t, BG: lipgloss.Color("#000000"), Match: lipgloss.Color("179"),
		MatchCurrent: t.Accent, OnMatch: lipgloss.Color("#000000"), OnAccent: lipgloss.Color("#000000"),
	}
}

// textStyle is one style of the UI that draws text, with the colours its
// contrast is measured by (bg nil: the terminal's background).
type textStyle struct {
	name   string
	fg, bg color.Color
	bold   bool
}

// textStyles lists every text style of the UI by name; newStyles builds
// the styles from it and the contrast test measures each pair.
func (p palette) textStyles() []textStyle {
	return []textStyle{
		{name: "text", fg: p.Text},
		{name: "faint", fg: p.Faint},
		{name: "accent", fg: p.Accent},
		{name: "title", fg: p.Accent, bold: true},
		{name: "added", fg: p.Added},
		{name: "removed", fg: p.Removed},
		{name: "selected", fg: p.BG, bg: p.Text, bold: true},
		{name: "selectedBlur", fg: p.Text, bg: p.Border},
		{name: "tabActive", fg: p.Accent, bold: true},
		{name: "errorText", fg: p.Removed, bold: true},
		{name: "newMark", fg: p.Accent, bold: true},
		{name: "page", fg: p.Text, bold: true},
		{name: "helpKey", fg: p.Text, bold: true},
		{name: "match", fg: p.OnMatch, bg: p.Match},
		{name: "matchCurrent", fg: p.OnAccent, bg: p.MatchCurrent, bold: true},
	}
}

// styles are the UI's lipgloss styles, built from render's theme so the
// list, the diff and the rendered text share their colours.
type styles struct {
	text, faint, accent, title lipgloss.Style
	added, removed             lipgloss.Style
	selected, selectedBlur     lipgloss.Style
	border                     lipgloss.Style
	tabActive, tab, errorText  lipgloss.Style
	newMark, page, gutter      lipgloss.Style
	match, matchCurrent        lipgloss.Style
	help                       help.Styles
}

// newStyles builds the styles for a render style name.
func newStyles(style string) styles {
	p := paletteFor(style)
	by := map[string]lipgloss.Style{}
	for _, ts := range p.textStyles() {
		s := lipgloss.NewStyle().Foreground(ts.fg).Bold(ts.bold)
		if ts.bg != nil {
			s = s.Background(ts.bg)
		}
		by[ts.name] = s
	}
	return styles{
		text:         by["text"],
		faint:        by["faint"],
		accent:       by["accent"],
		title:        by["title"],
		added:        by["added"],
		removed:      by["removed"],
		selected:     by["selected"],
		selectedBlur: by["selectedBlur"],
		border:       lipgloss.NewStyle().Foreground(p.Border),
		tabActive:    by["tabActive"].Underline(true),
		tab:          by["faint"],
		errorText:    by["errorText"],
		newMark:      by["newMark"],
		page:         by["page"],
		gutter:       by["accent"],
		match:        by["match"],
		matchCurrent: by["matchCurrent"],
		help: help.Styles{
			ShortKey:       by["helpKey"],
			ShortDesc:      by["faint"],
			ShortSeparator: by["faint"],
			Ellipsis:       by["faint"],
			FullKey:        by["helpKey"],
			FullDesc:       by["faint"],
			FullSeparator:  by["faint"],
		},
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

// listWidth is the list pane's width in the wide layout: the config's
// share of the window (listShare by default), at least listMinWidth, at
// most the config's maximum (listMaxWidth by default), and always
// leaving the content pane half the window.
func (s *shared) listWidth() int {
	share, most := s.cfg.ListWidth, s.cfg.ListMaxWidth
	if share <= 0 {
		share = listShare
	}
	if most <= 0 {
		most = listMaxWidth
	}
	w := int(float64(s.width) * share)
	if s.cfg.ListColumns > 0 {
		w = s.cfg.ListColumns
	}
	return max(min(w, most, s.width/2), listMinWidth)
}
