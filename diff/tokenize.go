package diff

import (
	"unicode"
	"unicode/utf8"
)

// Tokenize splits s into the tokens the word-level diff compares, the way
// wikidiff2 (TextUtil::explodeWords) splits a line into words. A token is
// one of:
//
//   - a word: a run of ASCII letters, digits and underscores, and of any
//     character from U+00C0 up (Latin letters with accents, Cyrillic,
//     Greek, Arabic, Devanagari, Hangul, but also dashes and symbols such as
//     "—" or "€", which wikidiff2 counts as letters too);
//   - one character of Chinese or Japanese (U+3000–U+9FFF and
//     U+20000–U+2A000, the ranges wikidiff2 splits character by
//     character);
//   - a Thai word, found by dictionary maximal matching (see thai.go), as
//     wikidiff2 finds it with libthai; a Lao, Khmer or Myanmar syllable
//     cluster (a base letter with its vowels, marks and stacked
//     consonants), for which wikidiff2 has no dictionary;
//   - one space or tab (so that changing one space of a run highlights
//     one space, as on MediaWiki), or a line break ("\r\n" is one);
//   - any other single character: ASCII punctuation, U+0080–U+00BF (the
//     no-break space, «, », ·), other white space, and a byte that is not
//     valid UTF-8.
//
// Combining marks, variation selectors and zero-width joiners always stay
// with the character before them (unless it is a space or a line break), so
// "é" written as e + U+0301 is never split; wikidiff2 would split a mark
// that follows punctuation. Joining the tokens gives s back exactly;
// Tokenize never copies the text, only the slice of substrings.
func Tokenize(s string) []string {
	if s == "" {
		return nil
	}
	var toks []string
	sc := scanner{s: s}
	for {
		n := sc.next()
		if n == 0 {
			return toks
		}
		toks = append(toks, s[sc.pos-n:sc.pos])
	}
}

// scanner walks the tokens of s. A Thai, Lao, Khmer or Myanmar run is
// segmented once, when the scanner reaches it, and its segments are handed
// out one by one.
type scanner struct {
	s   string
	pos int
	// pend holds the byte lengths of the segments of the current
	// complex-script run that are still to be returned, in reverse order.
	pend []int32
	seg  segmenter
}

// next advances over the next token and returns its byte length, 0 at the
// end of s.
func (sc *scanner) next() int {
	if k := len(sc.pend); k > 0 {
		n := int(sc.pend[k-1])
		sc.pend = sc.pend[:k-1]
		sc.pos += n
		return n
	}
	if sc.pos >= len(sc.s) {
		return 0
	}
	rest := sc.s[sc.pos:]
	n, run := nextToken(rest)
	if run {
		sc.pend = sc.seg.segment(rest[:n], sc.pend[:0])
		return sc.next()
	}
	sc.pos += n
	return n
}

// tokenClass groups runes for the tokenizer.
type tokenClass uint8

const (
	classOther   tokenClass = iota // punctuation, symbols: one rune per token
	classWord                      // joins with neighbours of the same class
	classSingle                    // Chinese and Japanese: one per token
	classComplex                   // Thai, Lao, Khmer, Myanmar: runs, segmented
	classSpace                     // spaces and tabs: one per token
	classBreak                     // line break: one per token
	classAttach                    // combining mark, joiner: stays with the rune before
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
	case r < 0xc0:
		// U+0080–U+00BF: controls, the no-break space, Latin-1
		// punctuation. wikidiff2 counts them as non-letters.
		return classOther
	case r == '\u2028' || r == '\u2029':
		return classBreak
	case 0x3000 <= r && r <= 0x9fff, 0x20000 <= r && r <= 0x2a000:
		if unicode.Is(unicode.Mn, r) { // U+3099, U+309A: kana voicing marks
			return classAttach
		}
		return classSingle
	case isComplexScript(r):
		return classComplex
	case r == utf8.RuneError:
		return classOther
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Mc, r):
		return classAttach
	case r == '\u200d' || r == '\u200c' || (0xfe00 <= r && r <= 0xfe0f) || (0xe0100 <= r && r <= 0xe01ef):
		// Zero-width (non-)joiner, variation selectors.
		return classAttach
	case unicode.IsSpace(r):
		return classOther
	}
	return classWord
}

// isComplexScript reports whether r belongs to a script written without
// spaces between words that the segmenter splits: Thai, Lao, Khmer and
// Myanmar.
func isComplexScript(r rune) bool {
	return (0x0e01 <= r && r <= 0x0e5b) || (0x0e80 <= r && r <= 0x0eff) ||
		(0x1780 <= r && r <= 0x17ff) || (0x19e0 <= r && r <= 0x19ff) ||
		(0x1000 <= r && r <= 0x109f) || (0xaa60 <= r && r <= 0xaa7f) || (0xa9e0 <= r && r <= 0xa9ff)
}

// decode returns the first rune of s and its size; an invalid byte counts as
// a one-byte token of class other.
func decode(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// classOf returns the class of the rune r of size n (as decode gives it).
func classOf(r rune, n int) tokenClass {
	if r == utf8.RuneError && n == 1 {
		return classOther
	}
	return classify(r)
}

// nextToken returns the byte length of the first token of s (len(s) > 0).
// For a run of a complex script it returns the length of the whole run and
// run = true: the run is then segmented by the scanner.
func nextToken(s string) (n int, run bool) {
	r, n := decode(s)
	c := classOf(r, n)
	if c == classAttach {
		// A mark with nothing before it to attach to stands alone, with
		// any marks that follow it.
		c = classOther
	}
	if r == '\r' && len(s) > 1 && s[1] == '\n' {
		return 2, false
	}
	joined := false // the previous rune was a zero-width joiner
loop:
	for n < len(s) {
		if b := s[n]; b < utf8.RuneSelf && !joined {
			// Fast path: an ASCII character only continues a word.
			if c == classWord && asciiClass[b] == classWord {
				n++
				continue
			}
			break
		}
		r2, m := decode(s[n:])
		c2 := classOf(r2, m)
		switch {
		case c == classComplex:
			// The run goes on while the script does; marks inside it
			// are the segmenter's business.
			if c2 == classComplex || (c2 == classAttach && r2 >= 0x300) {
				n += m
				continue
			}
			break loop
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
		case c2 == classWord && c == classWord:
			n += m
			continue
		}
		break loop
	}
	return n, c == classComplex
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
