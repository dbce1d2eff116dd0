package render

import (
	"strconv"
	"strings"

	glamouransi "charm.land/glamour/v2/ansi"
)

// palette is the colours of one named style, by role. A colour is an
// xterm-256 number ("39") or "#rrggbb"; "" is the terminal's default.
// The names and colours follow glamour's standard styles, which wikifeed
// used before it laid text out itself.
type palette struct {
	text, heading, h1, h1BG, link, linkText, code, codeBG, pre, faint string
	// marks: the style writes Markdown's own marks (notty, ascii) and no
	// colour.
	marks bool
	// ascii: bullets and rules in ASCII.
	ascii bool
}

// palettes are the named styles.
var palettes = map[string]palette{
	// dark and light: every colour at least 4.5:1 on its background
	// (TestPaletteContrast).
	"dark": {
		text: "252", heading: "39", h1: "228", h1BG: "62", link: "37", linkText: "35",
		code: "203", codeBG: "235", pre: "246", faint: "246",
	},
	"light": {
		text: "234", heading: "27", h1: "228", h1BG: "62", link: "24", linkText: "29",
		code: "124", codeBG: "254", pre: "242", faint: "242",
	},
	"dracula": {
		text: "#f8f8f2", heading: "#bd93f9", h1: "#f8f8f2", h1BG: "#bd93f9", link: "#8be9fd", linkText: "#ff79c6",
		code: "#50fa7b", codeBG: "", pre: "#f8f8f2", faint: "#6272A4",
	},
	"pink": {
		text: "", heading: "212", h1: "212", h1BG: "", link: "99", linkText: "212",
		code: "212", codeBG: "", pre: "", faint: "212",
	},
	"tokyo-night": {
		text: "#a9b1d6", heading: "#bb9af7", h1: "#bb9af7", h1BG: "", link: "#7aa2f7", linkText: "#2ac3de",
		code: "#9ece6a", codeBG: "", pre: "#a9b1d6", faint: "#565f89",
	},
	"notty": {marks: true},
	"ascii": {marks: true, ascii: true},
}

// ValidStyle reports whether name is one of the standard style names:
// dark, light, dracula, pink, tokyo-night, ascii, notty.
func ValidStyle(name string) bool {
	_, ok := palettes[name]
	return ok
}

// sgrColour returns the SGR parameters of a foreground (base 38) or
// background (base 48) colour, or "".
func sgrColour(c string, base int) string {
	if c == "" {
		return ""
	}
	b := strconv.Itoa(base)
	if strings.HasPrefix(c, "#") && len(c) == 7 {
		r, err1 := strconv.ParseUint(c[1:3], 16, 8)
		g, err2 := strconv.ParseUint(c[3:5], 16, 8)
		bl, err3 := strconv.ParseUint(c[5:7], 16, 8)
		if err1 != nil || err2 != nil || err3 != nil {
			return ""
		}
		return b + ";2;" + strconv.Itoa(int(r)) + ";" + strconv.Itoa(int(g)) + ";" + strconv.Itoa(int(bl))
	}
	return b + ";5;" + c
}

// role is what a piece of text is, for its colour.
type role uint8

const (
	roleText role = iota
	roleHeading
	roleH1
	roleLink
	roleLinkText
	roleCode
	rolePre
	roleFaint
)

// sgr returns the escape sequence that starts text of a role and style,
// or "" for unstyled output.
func (p palette) sgr(r role, st style, on bool) string {
	if !on || p.marks {
		return ""
	}
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	switch r {
	case roleText:
		add(sgrColour(p.text, 38))
	case roleHeading:
		add(sgrColour(p.heading, 38))
		add("1")
	case roleH1:
		add(sgrColour(p.h1, 38))
		add(sgrColour(p.h1BG, 48))
		add("1")
	case roleLink:
		add(sgrColour(p.link, 38))
		add("4")
	case roleLinkText:
		add(sgrColour(p.linkText, 38))
		add("1")
	case roleCode:
		add(sgrColour(p.code, 38))
		add(sgrColour(p.codeBG, 48))
	case rolePre:
		add(sgrColour(p.pre, 38))
	case roleFaint:
		add(sgrColour(p.faint, 38))
	}
	if st&stBold != 0 {
		add("1")
	}
	if st&stItalic != 0 {
		add("3")
	}
	if st&stUnderline != 0 {
		add("4")
	}
	if st&stStrike != 0 {
		add("9")
	}
	if len(parts) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(parts, ";") + "m"
}

// paletteOf takes the colours of a glamour style file by role; colours
// that are not a palette number or #rrggbb are left to the terminal.
func paletteOf(c *glamouransi.StyleConfig) palette {
	col := func(p *string) string {
		if p == nil {
			return ""
		}
		v := strings.TrimSpace(*p)
		if strings.HasPrefix(v, "#") && len(v) == 7 || v != "" && strings.Trim(v, "0123456789") == "" && len(v) <= 3 {
			return v
		}
		return ""
	}
	h := c.Heading.Color
	if c.H2.Color != nil {
		h = c.H2.Color
	}
	return palette{
		text: col(c.Document.Color), heading: col(h), h1: col(c.H1.Color), h1BG: col(c.H1.BackgroundColor),
		link: col(c.Link.Color), linkText: col(c.LinkText.Color), code: col(c.Code.Color), codeBG: col(c.Code.BackgroundColor),
		pre: col(c.CodeBlock.Color), faint: col(c.HorizontalRule.Color),
	}
}
