package render

import (
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
)

// relativeLuminance is WCAG 2's relative luminance of c.
func relativeLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	ch := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// contrastRatio is WCAG 2's contrast ratio of two colours.
func contrastRatio(a, b color.Color) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestPaletteContrast: every text colour the dark and light styles and
// themes write meets WCAG's 4.5:1 against the background it is read on:
// the terminal's (black and a dark grey for dark, white for light), or the
// background the renderer sets itself (code spans, a level-one heading,
// changed words).
func TestPaletteContrast(t *testing.T) {
	type pair struct {
		name   string
		fg, bg color.Color
	}
	terminals := map[string][]color.Color{
		"dark":  {lipgloss.Color("#000000"), lipgloss.Color("#1e1e1e")},
		"light": {lipgloss.Color("#ffffff")},
	}
	for style, bgs := range terminals {
		p := palettes[style]
		th := ThemeFor(style)
		var pairs []pair
		for _, bg := range bgs {
			for name, fg := range map[string]color.Color{
				"text": lipgloss.Color(p.text), "heading": lipgloss.Color(p.heading),
				"link": lipgloss.Color(p.link), "link text": lipgloss.Color(p.linkText),
				"pre": lipgloss.Color(p.pre), "faint": lipgloss.Color(p.faint),
				"theme text": th.Text, "theme faint": th.Faint, "accent": th.Accent,
				"added": th.Added, "removed": th.Removed, "moved": th.Moved,
			} {
				pairs = append(pairs, pair{name, fg, bg})
			}
		}
		pairs = append(pairs,
			pair{"code on its background", lipgloss.Color(p.code), lipgloss.Color(p.codeBG)},
			pair{"h1 on its background", lipgloss.Color(p.h1), lipgloss.Color(p.h1BG)},
			pair{"added word on its background", th.Added, th.AddedBG},
			pair{"removed word on its background", th.Removed, th.RemovedBG},
		)
		for _, c := range pairs {
			if r := contrastRatio(c.fg, c.bg); r < 4.5 {
				t.Errorf("%s: %s has %.2f:1 on %v, below 4.5:1", style, c.name, r, c.bg)
			}
		}
	}
}
