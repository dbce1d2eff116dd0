package render

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sanitize removes from untrusted text every character that could control a
// terminal: C0 controls except tab and newline, DEL, the C1 controls
// (U+0080 to U+009F), and the bidirectional embedding, override and isolate
// controls and marks (LRM, RLM, ALM) that can make text read differently
// from what it is. Invisible characters go too (see invisibleRune; ZWJ and
// ZWNJ stay after a letter, where scripts need them), U+2028 and U+2029
// become spaces, and a run of combining marks is cut to maxMarks. Invalid
// UTF-8 becomes U+FFFD, so a lone 0x9B byte cannot act as an 8-bit CSI.
//
// Apply it after the last entity decode and before any Markdown or ANSI is
// generated: an escape written as "&#x1b;" is only dangerous once decoded.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	marks := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == 0x2028 || r == 0x2029:
			// Line and paragraph separators: a terminal draws nothing.
			b.WriteByte(' ')
		case r == 0x200c || r == 0x200d:
			// ZWNJ and ZWJ shape scripts and emoji after a letter or
			// symbol; anywhere else they only hide.
			if prev, _ := utf8.DecodeLastRuneInString(b.String()); b.Len() == 0 || prev < 0x80 || unicode.IsSpace(prev) {
				break
			}
			b.WriteString(s[i : i+size])
		case unicode.In(r, unicode.Mn, unicode.Me):
			marks++
			if marks <= maxMarks {
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		case unsafeRune(r) || invisibleRune(r):
			// dropped
		case r == '\r':
			// A lone CR would move the cursor back over text; CRLF becomes LF.
			if i+1 >= len(s) || s[i+1] != '\n' {
				b.WriteByte('\n')
			}
		default:
			b.WriteString(s[i : i+size])
		}
		marks = 0
		i += size
	}
	return b.String()
}

// maxMarks is how many combining marks in a row are kept: enough for any
// script, too few to smear a line ("Zalgo" text).
const maxMarks = 8

// invisibleRune reports whether r shows nothing and can hide or disguise
// text: zero-width space and joiner-likes, the byte order mark, tag
// characters, interlinear annotation, Hangul fillers, noncharacters and
// ideographic variation selectors.
func invisibleRune(r rune) bool {
	switch {
	case r == 0x200b || r == 0x2060 || r == 0xfeff || r == 0x180e:
		return true
	case r >= 0xfff9 && r <= 0xfffb, r == 0xfffe || r == 0xffff:
		return true
	case r == 0x3164 || r == 0x115f || r == 0x1160 || r == 0xffa0:
		return true
	case r >= 0xe0000 && r <= 0xe007f, r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return false
}

// isClean reports whether s needs no sanitising; most feed text does not,
// and checking first saves a copy.
func isClean(s string) bool {
	marks := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			marks = 0
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isWideLetter(r) {
			// Chinese, Japanese and Korean text: letters, never
			// unsafe, invisible or marks.
			marks = 0
			i += size
			continue
		}
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) || invisibleRune(r) || r == 0x2028 || r == 0x2029 || r == 0x200c || r == 0x200d {
			return false
		}
		if r >= 0x300 && unicode.In(r, unicode.Mn, unicode.Me) {
			marks++
			if marks > maxMarks {
				return false
			}
		} else {
			marks = 0
		}
		i += size
	}
	return true
}

// unsafeRune reports whether r must never reach a terminal. CR is handled
// by the caller.
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM, RLM, ALM
		return true
	}
	return false
}

// WebURL returns the URL if it is an http or https URL with a host and no
// control, white-space or bidirectional character (what a browser may open
// and a clipboard may hold), or "" if not: the check for the TUI's y and o.
func WebURL(raw string) string {
	if raw != strings.TrimSpace(raw) {
		return ""
	}
	u := SafeURL(raw)
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		return ""
	}
	return u
}

// SafeURL returns the URL if it may become a link (http, https or mailto,
// with no control characters or spaces), or "" if not. Relative URLs are
// not links: resolve them first.
func SafeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || !isClean(raw) || strings.ContainsAny(raw, " \t\n\x1b\\<>\"'`") {
		return ""
	}
	if strings.Contains(raw, "&#") {
		// A character reference left after the URL's one decode was
		// encoded twice: a disguise, never a real address.
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
		return u.String()
	case "mailto":
		return u.String()
	}
	return ""
}

// StripUnsafeANSI is the last pass before text reaches a terminal: it keeps
// printable text, tabs, newlines, SGR colour sequences (ESC [ … m) and OSC 8
// hyperlinks whose target is a safe URL, and drops every other escape
// sequence and control character. Text that went through Sanitize and then
// through our renderers passes unchanged; this catches anything a renderer
// might have let through.
func StripUnsafeANSI(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0x1b {
			n, keep := escapeSequence(s[i:])
			if keep {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r' || unsafeRune(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeSequence measures the escape sequence at the start of s (which
// begins with ESC) and says whether it is one we keep.
func escapeSequence(s string) (n int, keep bool) {
	if len(s) < 2 {
		return len(s), false
	}
	switch s[1] {
	case '[': // CSI: parameters, intermediates, one final byte
		j := 2
		for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
			j++
		}
		params := s[2:j]
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j >= len(s) {
			return len(s), false
		}
		if s[j] < 0x40 || s[j] > 0x7e {
			return j, false // malformed: drop what we read, keep the rest as text
		}
		return j + 1, s[j] == 'm' && strings.Trim(params, "0123456789;:") == ""
	case ']', 'P', '_', '^', 'X': // OSC, DCS, APC, PM, SOS: up to ST or BEL
		end, term := stringTerminator(s[2:])
		body := s[2 : 2+end]
		n = 2 + end + term
		if s[1] == ']' && strings.HasPrefix(body, "8;") {
			if k := strings.IndexByte(body[2:], ';'); k >= 0 {
				target := body[2+k+1:]
				return n, target == "" || SafeURL(target) == target
			}
		}
		return n, false
	default: // a two-byte escape such as ESC c (reset) or ESC 7
		_, size := utf8.DecodeRuneInString(s[1:])
		return 1 + size, false
	}
}

// stringTerminator finds the end of an OSC/DCS string: the index where the
// body ends and the length of its terminator (BEL or ESC \), or the whole
// rest of s when it is unterminated.
func stringTerminator(s string) (end, term int) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0x07:
			return i, 1
		case 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i, 2
			}
			return i, 0
		}
	}
	return len(s), 0
}
