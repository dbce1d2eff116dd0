package feed

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Control characters from a feed are settled once, on the UTF-8 document,
// before gofeed parses it:
//
//   - A raw C0 control (ESC and the others XML forbids) is dropped by
//     gofeed's byte filter, and a character reference to one (&#27;) would
//     make encoding/xml reject the whole document. dropIllegalCharRefs
//     removes such references, so both forms go the same way: removed,
//     with the rest of the feed read. Neither reaches the model.
//   - A C1 control (U+0080 to U+009F) in a feed is nearly always a
//     windows-1252 byte that was read as ISO-8859-1 somewhere upstream: a
//     raw U+0092 is meant as "’" (it would be dropped, turning "don’t" into
//     "dont"). mapC1 turns each into its windows-1252 character; the five
//     windows-1252 leaves undefined become U+FFFD, visible in a body and
//     dropped from one-line text like any undecodable byte.

// dropIllegalCharRefs removes the character references to code points XML
// 1.0 does not allow: C0 controls other than tab, LF and CR, surrogates,
// U+FFFE, U+FFFF and anything past U+10FFFF.
func dropIllegalCharRefs(data []byte) []byte {
	i := bytes.Index(data, []byte("&#"))
	if i < 0 {
		return data
	}
	var out []byte
	last := 0 // data[last:i] is not yet copied to out
	for i >= 0 {
		n, ok := charRefEnd(data[i:])
		if ok {
			if cp := charRefValue(data[i+2 : i+n-1]); !xmlAllowed(cp) {
				if out == nil {
					out = make([]byte, 0, len(data))
				}
				out = append(out, data[last:i]...)
				last = i + n
			}
		} else {
			n = 2
		}
		j := bytes.Index(data[i+n:], []byte("&#"))
		if j < 0 {
			break
		}
		i += n + j
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// charRefEnd returns the length of the character reference ("&#27;",
// "&#x1b;") at the start of b.
func charRefEnd(b []byte) (int, bool) {
	k := 2
	hex := k < len(b) && (b[k] == 'x' || b[k] == 'X')
	if hex {
		k++
	}
	digits := 0
	for k < len(b) && (b[k] >= '0' && b[k] <= '9' || hex && (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'f')) {
		k++
		digits++
	}
	if digits == 0 || k >= len(b) || b[k] != ';' {
		return 0, false
	}
	return k + 1, true
}

// charRefValue returns the code point of a reference's body ("27", "x1b"),
// or -1 when it is too large to be one.
func charRefValue(body []byte) int {
	base := 10
	if body[0] == 'x' || body[0] == 'X' {
		base, body = 16, body[1:]
	}
	v := 0
	for _, c := range body {
		d := int(c - '0')
		if c > '9' {
			d = int(c|0x20-'a') + 10
		}
		v = v*base + d
		if v > utf8.MaxRune {
			return -1
		}
	}
	return v
}

// xmlAllowed reports whether XML 1.0's Char production allows cp.
func xmlAllowed(cp int) bool {
	switch {
	case cp == 0x9 || cp == 0xA || cp == 0xD:
		return true
	case cp < 0x20 || cp < 0:
		return false
	case cp >= 0xD800 && cp <= 0xDFFF, cp == 0xFFFE, cp == 0xFFFF:
		return false
	}
	return cp <= utf8.MaxRune
}

// mapC1 replaces the C1 controls in a UTF-8 document with the
// windows-1252 characters they stand for.
func mapC1(data []byte) []byte {
	var out []byte
	last := 0
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], 0xC2)
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(data) && data[i+1] >= 0x80 && data[i+1] <= 0x9F {
			if out == nil {
				out = make([]byte, 0, len(data)+16)
			}
			out = append(out, data[last:i]...)
			out = utf8.AppendRune(out, c1Rune(rune(data[i+1])))
			last = i + 2
		}
		i++
	}
	if out == nil {
		return data
	}
	return append(out, data[last:]...)
}

// c1Rune returns the windows-1252 character for a C1 control, or U+FFFD
// for the five windows-1252 leaves undefined.
func c1Rune(r rune) rune {
	m := charmap.Windows1252.DecodeByte(byte(r))
	if m == r {
		return utf8.RuneError
	}
	return m
}
