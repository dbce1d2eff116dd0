package render

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// UnsafeOutput returns the first thing in s that wikifeed's own renderer
// would never write, or "": the check the tests of every front-end run on
// their output. It follows the project's escape scanner (modes plain and
// ansi): plain text (styled false) holds no escape at all; styled text
// only SGR without the test vectors' marker parameters (blink, conceal,
// 38;2;6;6;6, 58) and OSC 8 links to safe targets, a link to the vectors'
// foreign host (evil.example) only behind text that shows that host. Both
// hold no control but tab and newline, no C1, no bidi control or mark, and
// valid UTF-8.
func UnsafeOutput(s string, styled bool) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("invalid UTF-8 at %d", i)
		case r == 0x1b:
			if !styled {
				return fmt.Sprintf("ESC in plain output at %d: %q", i, around(s, i))
			}
			n, bad := scanEscape(s[i:])
			if bad != "" {
				return bad + ": " + fmt.Sprintf("%q", around(s, i))
			}
			i += n
			continue
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return fmt.Sprintf("control U+%04X at %d", r, i)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f || r == 0x061c:
			return fmt.Sprintf("bidi U+%04X at %d", r, i)
		}
		i += size
	}
	return ""
}

func around(s string, i int) string {
	return strings.ToValidUTF8(s[max(i-30, 0):min(i+50, len(s))], "?")
}

// scanEscape checks the escape sequence at the start of s.
func scanEscape(s string) (n int, bad string) {
	if len(s) < 2 {
		return len(s), "lone ESC"
	}
	switch s[1] {
	case '[':
		j := 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';' || s[j] == ':') {
			j++
		}
		if j >= len(s) || s[j] != 'm' {
			return j, "CSI other than SGR"
		}
		if b := sgrOffence(s[2:j]); b != "" {
			return j + 1, b
		}
		return j + 1, ""
	case ']':
		end := strings.IndexByte(s, '\a')
		if end < 0 {
			return len(s), "OSC without BEL"
		}
		body := s[2:end]
		if !strings.HasPrefix(body, "8;") {
			return end + 1, "OSC " + strings.SplitN(body, ";", 2)[0]
		}
		_, target, ok := strings.Cut(body[2:], ";")
		if !ok {
			return end + 1, "malformed OSC 8"
		}
		if target == "" {
			return end + 1, ""
		}
		if SafeURL(target) != target {
			return end + 1, "OSC 8 to an unsafe target"
		}
		if u, err := url.Parse(target); err == nil && u.Host == "evil.example" {
			rest := s[end+1:]
			if k := strings.Index(rest, "\x1b]8;;\a"); k < 0 || !strings.Contains(rest[:k], "evil.example") {
				return end + 1, "OSC 8 to the foreign host behind text that hides it"
			}
		}
		return end + 1, ""
	}
	return 2, fmt.Sprintf("ESC %q", s[1])
}

// sgrOffence returns what is wrong with SGR parameters: the markers'
// blink, conceal, a lone 28, and the odd true colours.
func sgrOffence(params string) string {
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	for i := 0; i < len(ps); i++ {
		switch ps[i] {
		case "5", "6", "8", "28":
			return "SGR " + ps[i]
		case "38", "48", "58":
			if ps[i] == "58" {
				return "SGR 58"
			}
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == "2" {
				if i+4 < len(ps) && ps[i+2] == "6" && ps[i+3] == "6" && ps[i+4] == "6" {
					return "SGR 38;2;6;6;6"
				}
				i += 4
			}
		}
	}
	return ""
}
