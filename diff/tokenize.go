package diff

import (
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into the tokens the word-level diff compares. A token is
// one of:
//
//   - a word: a run of letters, digits, underscores and combining marks in a
//     script that separates words with spaces (Latin, Cyrillic, Arabic,
//     Hangul, ...);
//   - one character of a script written without spaces (Han, Hiragana,
//     Katakana, Thai, Lao, Khmer, Myanmar, Tibetan), so that Chinese or
//     Japanese edits are found character by character as wikidiff2 does;
//   - a run of spaces and tabs, or a single line break;
//   - any other single character (punctuation, symbols, a byte that is not
//     valid UTF-8).
//
// Combining marks, variation selectors and zero-width joiners always stay
// with the character before them, so "é" written as e + U+0301 is never
// split. Joining the tokens gives s back exactly; Tokenize never allocates
// copies of the text, only the slice of substrings.
func Tokenize(s string) []string {
	if s == "" {
		return nil
	}
	// Count first: an exact allocation beats growing a slice of strings,
	// whose copies and pointers cost more than the second scan.
	n := 0
	for rest := s; len(rest) > 0; n++ {
		rest = rest[nextToken(rest):]
	}
	toks := make([]string, 0, n)
	for len(s) > 0 {
		n := nextToken(s)
		toks = append(toks, s[:n])
		s = s[n:]
	}
	return toks
}

// tokenClass groups runes for the tokenizer.
type tokenClass uint8

const (
	classOther  tokenClass = iota // punctuation, symbols: one rune per token
	classWord                     // joins with neighbours of the same class
	classSingle                   // letters of scripts without spaces: one per token
	classSpace                    // spaces and tabs: runs
	classBreak                    // line break: one per token
	classAttach                   // combining mark, joiner: stays with the rune before
)

// asciiClass holds the class of each ASCII character.
var asciiClass = func() (t [utf8.RuneSelf]tokenClass) {
	for r := range t {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '_':
			t[r] = classWord
		case r == ' ' || r == '\t':
			t[r] = classSpace
		case r == '\n' || r == '\r':
			t[r] = classBreak
		}
	}
	return t
}()

// classify returns the token class of r.
func classify(r rune) tokenClass {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r):
		return classAttach
	case r == '\u200d' || r == '\u200c': // zero-width (non-)joiner
		return classAttach
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai,
		unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan):
		// Letters and digits of these scripts are diffed one by one.
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return classSingle
		}
		return classOther
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return classWord
	case unicode.IsSpace(r):
		if r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return classBreak
		}
		return classSpace
	}
	return classOther
}

// decode returns the first rune of s and its size; an invalid byte counts as
// a one-byte token of class other.
func decode(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// nextToken returns the byte length of the first token of s (len(s) > 0).
func nextToken(s string) int {
	r, n := decode(s)
	c := classify(r)
	if r == utf8.RuneError && n == 1 {
		c = classOther
	}
	if c == classAttach {
		// A mark with nothing before it to attach to stands alone, with
		// any marks that follow it.
		c = classOther
	}
	if r == '\r' && len(s) > 1 && s[1] == '\n' {
		return 2
	}
	joined := false // the previous rune was a zero-width joiner
loop:
	for n < len(s) {
		if b := s[n]; b < utf8.RuneSelf && !joined {
			// Fast path: an ASCII character only continues a word or
			// a run of spaces.
			if (c == classWord || c == classSpace) && asciiClass[b] == c {
				n++
				continue
			}
			break
		}
		r2, m := decode(s[n:])
		c2 := classify(r2)
		if r2 == utf8.RuneError && m == 1 {
			c2 = classOther
		}
		switch {
		case c2 == classAttach && c != classSpace && c != classBreak:
			n += m
			joined = r2 == '\u200d'
			continue
		case joined && c2 != classSpace && c2 != classBreak:
			// The rune after a zero-width joiner belongs to the same
			// grapheme (emoji sequences).
			n += m
			joined = false
			continue
		case c2 == c && (c == classWord || c == classSpace):
			n += m
			continue
		}
		break loop
	}
	return n
}

// isWordToken reports whether tok counts as a word in Stats: it holds a
// letter or digit.
func isWordToken(tok string) bool {
	for _, r := range tok {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
