package diff

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// This file splits runs of Thai, Lao, Khmer and Myanmar text, which are
// written without spaces between words, into tokens.
//
// Thai: dictionary maximal matching, the method of libthai's th_brk, which
// wikidiff2 uses. First the positions where a word may start are found from
// the spelling rules (a break never falls inside a Thai character cluster:
// not after a leading vowel, not before a following vowel, tone mark or
// cancelled consonant, not before the final consonant of a closed
// syllable). Then, over those positions, the segmentation with the fewest
// characters outside dictionary words is chosen, and of those the one with
// the fewest words (dynamic programming, linear in the run for a bounded
// word length). Characters outside the dictionary stay together as one
// token up to the next dictionary word. The word list is libthai's
// (thaiwords.txt.gz; see THAIWORDS.md for its source and licence).
//
// Lao, Khmer and Myanmar have no word list here (wikidiff2 does not split
// them at all; it compares each run as one word): they are split into
// character clusters, a base letter with the vowels, marks and stacked
// consonants that belong to it.

//go:embed thaiwords.txt.gz
var thaiWordsGz []byte

// thaiDict is the sorted Thai word list, each word coded one byte per
// character (the code point minus U+0E00).
var thaiDict = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(thaiWordsGz))
	if err != nil {
		panic("diff: embedded Thai word list: " + err.Error())
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		panic("diff: embedded Thai word list: " + err.Error())
	}
	var words []string
	var buf []byte
	for line := range strings.SplitSeq(string(data), "\n") {
		buf = buf[:0]
		ok := line != ""
		for _, r := range line {
			if r < 0x0e01 || r > 0x0e5b {
				ok = false
				break
			}
			buf = append(buf, byte(r-0x0e00))
		}
		if ok {
			words = append(words, string(buf))
		}
	}
	slices.Sort(words)
	return slices.Compact(words)
})

// Thai character codes (code point minus U+0E00) the break rules need.
const (
	thMaiHanAkat  = 0x31
	thSaraUee     = 0x37
	thMaiTaiKhu   = 0x47
	thThanthakhat = 0x4c
	thForeign     = 0x7f // a combining mark of another script inside a run
)

func thIsCons(c byte) bool  { return 0x01 <= c && c <= 0x2e }
func thIsLead(c byte) bool  { return 0x40 <= c && c <= 0x44 }
func thIsTone(c byte) bool  { return 0x48 <= c && c <= 0x4b }
func thIsUpper(c byte) bool { return 0x34 <= c && c <= 0x37 }
func thIsDigit(c byte) bool { return 0x50 <= c && c <= 0x59 }

// segmenter holds the scratch space of one tokeniser.
type segmenter struct {
	codes []byte  // one code per character of a Thai run
	off   []int32 // byte offset of each character, and the run's length
	ok    []bool  // ok[i]: a word may start at character i
	best  []segCost
}

// segCost is the best segmentation of a prefix of the run.
type segCost struct {
	unknown, words int32 // characters outside words; number of tokens
	prev           int32 // where the last token starts, -1 if unreachable
	isUnknown      bool  // the last token is not a dictionary word
}

// segment splits run, a run of one or more complex scripts, and appends
// the byte lengths of its tokens to out in reverse order (last first).
func (sg *segmenter) segment(run string, out []int32) []int32 {
	// Split the run by script first; each part is segmented by its rules.
	type part struct {
		s    string
		thai bool
	}
	var parts []part
	start := 0
	prevThai := false
	for i, r := range run {
		thai := (0x0e01 <= r && r <= 0x0e5b) || (prevThai && r >= 0x300 && !isComplexScript(r))
		if i > 0 && thai != prevThai {
			parts = append(parts, part{run[start:i], prevThai})
			start = i
		}
		prevThai = thai
	}
	parts = append(parts, part{run[start:], prevThai})
	for k := len(parts) - 1; k >= 0; k-- {
		if parts[k].thai {
			out = sg.thai(parts[k].s, out)
		} else {
			out = clusters(parts[k].s, out)
		}
	}
	return out
}

// thai segments a run of Thai by dictionary maximal matching.
func (sg *segmenter) thai(s string, out []int32) []int32 {
	sg.codes, sg.off = sg.codes[:0], sg.off[:0]
	for i, r := range s {
		c := byte(thForeign)
		if 0x0e01 <= r && r <= 0x0e5b {
			c = byte(r - 0x0e00)
		}
		sg.codes = append(sg.codes, c)
		sg.off = append(sg.off, int32(i))
	}
	sg.off = append(sg.off, int32(len(s)))
	n := len(sg.codes)
	codes := sg.codes
	sg.ok = resetBools(sg.ok, n+1)
	ok := sg.ok
	ok[0], ok[n] = true, true
	for i := 1; i < n; i++ {
		ok[i] = thaiBreakOK(codes, i)
	}
	if cap(sg.best) < n+1 {
		sg.best = make([]segCost, n+1)
	}
	best := sg.best[:n+1]
	for i := range best {
		best[i] = segCost{prev: -1}
	}
	best[0].prev = 0
	relax := func(j int, from int, unknown, words int32, isUnknown bool) {
		b := &best[j]
		if b.prev < 0 || unknown < b.unknown || (unknown == b.unknown && words < b.words) {
			*b = segCost{unknown, words, int32(from), isUnknown}
		}
	}
	dict := thaiDict()
	for i := 0; i < n; i++ {
		if !ok[i] || best[i].prev < 0 {
			continue
		}
		u, w := best[i].unknown, best[i].words
		// Every dictionary word that starts here and ends where a
		// word may start.
		lo, hi := 0, len(dict)
		for l := 1; i+l <= n; l++ {
			c := codes[i+l-1]
			if lo < hi && len(dict[lo]) == l-1 {
				lo++ // the prefix itself, a shorter word
			}
			lo += searchByte(dict[lo:hi], l-1, c)
			hi = lo + searchByte(dict[lo:hi], l-1, c+1)
			if lo >= hi {
				break
			}
			if len(dict[lo]) == l && ok[i+l] {
				relax(i+l, i, u, w+1, false)
			}
		}
		// Or one cluster outside the dictionary.
		j := i + 1
		for !ok[j] {
			j++
		}
		relax(j, i, u+int32(j-i), w+1, true)
	}
	// Walk back from the end; adjacent unknown clusters form one token.
	for j := n; j > 0; {
		i := int(best[j].prev)
		if best[j].isUnknown {
			for i > 0 && best[i].isUnknown {
				i = int(best[i].prev)
			}
		}
		out = append(out, sg.off[j]-sg.off[i])
		j = i
	}
	return out
}

// searchByte returns the first index k of words (all longer than at, and
// sorted) with words[k][at] >= c.
func searchByte(words []string, at int, c byte) int {
	lo, hi := 0, len(words)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if words[m][at] < c {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// thaiBreakOK reports whether a word may start at character i (0 < i <
// len(codes)) of a Thai run: the rules keep a character cluster together.
func thaiBreakOK(codes []byte, i int) bool {
	n := len(codes)
	c, p := codes[i], codes[i-1]
	at := func(k int) byte {
		if k < 0 || k >= n {
			return 0
		}
		return codes[k]
	}
	switch {
	case thIsLead(p):
		return false // a leading vowel goes with the consonant after it
	case thIsDigit(c) != thIsDigit(p):
		return true
	case thIsLead(c):
		return true
	case !thIsCons(c):
		return false // vowels, tone marks and signs follow their consonant
	case at(i+1) == thThanthakhat || at(i+2) == thThanthakhat:
		return false // a cancelled consonant ends the syllable before it
	case p == thMaiHanAkat || p == thSaraUee:
		return false // the final consonant of a closed syllable
	case thIsTone(p) && (at(i-2) == thMaiHanAkat || at(i-2) == thSaraUee):
		return false
	case p == thMaiTaiKhu && thIsLead(at(i-3)):
		return false // เ-็-: the consonant after MAITAIKHU closes it
	case thIsUpper(p) && thIsCons(at(i-2)) && thIsLead(at(i-3)):
		return false // เ-ีย, เ-ือ: the consonant is part of the vowel
	case thIsTone(p) && thIsUpper(at(i-2)) && thIsCons(at(i-3)) && thIsLead(at(i-4)):
		return false
	}
	return true
}

// clusters splits a run of Lao, Khmer or Myanmar into character clusters
// and appends their byte lengths to out in reverse order.
func clusters(s string, out []int32) []int32 {
	var ends []int32
	var prev rune
	for i, r := range s {
		if i > 0 && clusterStarts(prev, r, s[i+utf8.RuneLen(r):]) {
			ends = append(ends, int32(i))
		}
		prev = r
	}
	ends = append(ends, int32(len(s)))
	for k := len(ends) - 1; k >= 0; k-- {
		start := int32(0)
		if k > 0 {
			start = ends[k-1]
		}
		out = append(out, ends[k]-start)
	}
	return out
}

// clusterStarts reports whether a new cluster starts at r, after prev and
// before rest.
func clusterStarts(prev, r rune, rest string) bool {
	if unicode.IsDigit(r) != unicode.IsDigit(prev) {
		return true
	}
	switch prev {
	case 0x17d2, 0x1039: // Khmer coeng, Myanmar virama: the next letter stacks
		return false
	}
	if 0x0ec0 <= prev && prev <= 0x0ec4 { // Lao leading vowels
		return false
	}
	if (0x0eb0 <= r && r <= 0x0ebc) || r == 0x0ec6 {
		return false // Lao following vowels (some are letters, Lo) and ko la
	}
	if !unicode.Is(unicode.Lo, r) && !unicode.IsDigit(r) {
		return false
	}
	// A consonant killed by the Myanmar asat or the Khmer toandakhiat
	// closes the cluster before it.
	next, _ := utf8.DecodeRuneInString(rest)
	if next == 0x1037 {
		next, _ = utf8.DecodeRuneInString(rest[min(len(rest), 3):])
	}
	return next != 0x103a && next != 0x17cd
}
