package render

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Theme holds the colours of one background by role.
type Theme struct {
	Text, Faint, Accent, Border color.Color
	Added, Removed, Moved       color.Color
	AddedBG, RemovedBG          color.Color
}

// DarkTheme is for dark terminal backgrounds.
var DarkTheme = Theme{
	Text: lipgloss.Color("252"), Faint: lipgloss.Color("246"), Accent: lipgloss.Color("69"), Border: lipgloss.Color("238"),
	Added: lipgloss.Color("114"), Removed: lipgloss.Color("203"), Moved: lipgloss.Color("179"),
	AddedBG: lipgloss.Color("22"), RemovedBG: lipgloss.Color("52"),
}

// LightTheme is for light terminal backgrounds.
var LightTheme = Theme{
	Text: lipgloss.Color("235"), Faint: lipgloss.Color("242"), Accent: lipgloss.Color("26"), Border: lipgloss.Color("250"),
	Added: lipgloss.Color("22"), Removed: lipgloss.Color("124"), Moved: lipgloss.Color("130"),
	AddedBG: lipgloss.Color("194"), RemovedBG: lipgloss.Color("224"),
}

// ThemeFor returns the theme for a style name; "light" is light, every
// other style dark.
func ThemeFor(style string) Theme {
	if style == "light" {
		return LightTheme
	}
	return DarkTheme
}

// Styles are the lipgloss styles built from a Theme.
type Styles struct {
	Text, Faint, Accent, Title lipgloss.Style
	Added, Removed, Moved      lipgloss.Style
	// AddedWord and RemovedWord mark changed words inside a line.
	AddedWord, RemovedWord lipgloss.Style
}

// NewStyles builds the styles of a theme.
func NewStyles(t Theme) Styles {
	s := lipgloss.NewStyle()
	return Styles{
		Text:        s.Foreground(t.Text),
		Faint:       s.Foreground(t.Faint),
		Accent:      s.Foreground(t.Accent),
		Title:       s.Foreground(t.Accent).Bold(true),
		Added:       s.Foreground(t.Added),
		Removed:     s.Foreground(t.Removed),
		Moved:       s.Foreground(t.Moved),
		AddedWord:   s.Foreground(t.Added).Background(t.AddedBG).Bold(true),
		RemovedWord: s.Foreground(t.Removed).Background(t.RemovedBG).Strikethrough(true),
	}
}
