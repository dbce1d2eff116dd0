package feed

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wikifeed/wikifeed/internal/parallel"
)

// The large texts of a feed, taken out before gofeed reads it and put back
// after.
//
// gofeed reads an element's text by running encoding/xml's tokeniser over
// it, a byte at a time (about 30 MB/s here), then keeps the raw inner XML
// and decodes its entities on its own. For the texts that make up almost
// all of a MediaWiki feed, escaped HTML in summary, content and
// description, that tokenising is nearly all of the time and changes
// nothing. lift replaces each such text that is plain character data by a
// placeholder, so gofeed reads a skeleton of the feed, and restore puts back
// what gofeed would have made of the text: strings.TrimSpace, then
// html.UnescapeString, which is what gofeed's DecodeEntities does to text
// whose every '&' starts a well-formed reference. Anything else (markup or
// CDATA inside, other attributes, xml:base, a DOCTYPE, an odd reference) is
// left for gofeed as it was. TestLiftAgrees and FuzzLift hold the two ways
// to the same model.

// liftMinText is the shortest text worth lifting: below it, the placeholder
// saves little.
const liftMinText = 512

// liftNames are the elements whose text is lifted (see liftable for the
// attributes they may carry).
var liftNames = [][]byte{[]byte("summary"), []byte("content"), []byte("description"), []byte("content:encoded")}

// lifted is what lift took out of a feed.
type lifted struct {
	// prefix starts every placeholder; it occurs nowhere in the feed.
	prefix string
	// texts are the raw contents, by slot number.
	texts [][]byte
	// size is their total length.
	size int
}

// lift returns data with its large plain texts replaced by placeholders, and
// what it took, or data itself and nil when there was nothing to take or the
// feed is not one lift can read with certainty.
func lift(data []byte) ([]byte, *lifted) {
	if len(data) < liftMinText || !utf8.Valid(data) ||
		bytes.Contains(data, []byte("xml:base")) || hasDoctype(data) {
		return data, nil
	}
	l := &lifted{prefix: liftPrefix()}
	var out []byte
	last := 0
	for start, end := range tags(data) {
		name, ok := liftable(data[start+1 : end])
		if !ok {
			continue
		}
		i := end + 1
		k := bytes.IndexByte(data[i:], '<')
		if k < liftMinText || !closes(data[i+k:], name) || !plainText(data[i:i+k]) {
			continue
		}
		text := data[i : i+k]
		out = append(out, data[last:i]...)
		out = append(out, l.prefix...)
		out = strconv.AppendInt(out, int64(len(l.texts)), 10)
		// The same lines, so gofeed's errors name the lines they would.
		for range bytes.Count(text, []byte("\n")) {
			out = append(out, '\n')
		}
		l.texts = append(l.texts, text)
		l.size += len(text)
		last = i + k
	}
	if len(l.texts) == 0 {
		return data, nil
	}
	out = append(out, data[last:]...)
	// Only what gofeed reads can be taken for a placeholder: the prefix
	// must be in the skeleton as placeholders and nowhere else.
	if bytes.Count(out, []byte(l.prefix)) != len(l.texts) {
		return data, nil
	}
	return out, l
}

// liftPrefix makes a placeholder prefix no feed can know in advance.
func liftPrefix() string {
	var nonce [8]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	return "wikifeed-lifted-" + hex.EncodeToString(nonce[:]) + "-"
}

// liftable says whether the start tag whose inside is tag (name and
// attributes, without the brackets) is one whose text may be lifted, and
// returns its name.
func liftable(tag []byte) ([]byte, bool) {
	n := bytes.IndexAny(tag, " \t\r\n/")
	if n < 0 {
		n = len(tag)
	}
	name, attrs := tag[:n], bytes.TrimSpace(tag[n:])
	known := false
	for _, l := range liftNames {
		known = known || bytes.Equal(name, l)
	}
	if !known || len(attrs) > 0 && !textTypeAttr(attrs) {
		return nil, false
	}
	return name, true
}

// textTypeAttr says whether attrs is exactly one type attribute naming
// text or escaped HTML, which gofeed decodes as it decodes no type at all.
func textTypeAttr(attrs []byte) bool {
	name, value, ok := bytes.Cut(attrs, []byte("="))
	if !ok || string(bytes.TrimSpace(name)) != "type" {
		return false
	}
	value = bytes.TrimSpace(value)
	if len(value) < 2 || value[0] != value[len(value)-1] || value[0] != '"' && value[0] != '\'' {
		return false
	}
	switch strings.ToLower(string(value[1 : len(value)-1])) {
	case "html", "text", "text/html", "text/plain":
		return true
	}
	return false
}

// closes says whether s starts with the end tag of name.
func closes(s, name []byte) bool {
	if !bytes.HasPrefix(s, []byte("</")) || !bytes.HasPrefix(s[2:], name) {
		return false
	}
	rest := bytes.TrimLeft(s[2+len(name):], " \t\r\n")
	return len(rest) > 0 && rest[0] == '>'
}

// plainText says whether s (valid UTF-8, no '<') is character data that
// encoding/xml accepts in any mode and whose every '&' starts one of XML's
// five entities or a character reference to a character XML allows, the
// text whose decoding by gofeed restore repeats exactly.
func plainText(s []byte) bool {
	for i := 0; i < len(s); i++ {
		if !notPlain[s[i]] {
			continue
		}
		switch s[i] {
		case 0xEF:
			if i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF) {
				return false // U+FFFE, U+FFFF
			}
		case '&':
			n := referenceLen(s[i:])
			if n == 0 {
				return false
			}
			i += n - 1
		default:
			return false
		}
	}
	return true
}

// notPlain marks the bytes plainText looks at: the control characters XML
// forbids, '&', and 0xEF, which starts U+FFFE and U+FFFF.
var notPlain = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t['&'], t[0xEF] = true, true
	return t
}()

// referenceLen returns the length of the entity or character reference at
// the start of s, or 0 when it is not one plainText allows.
func referenceLen(s []byte) int {
	if ref, _ := mediaWikiRef(string(s[:min(len(s), 6)])); ref != "" {
		return len(ref)
	}
	if len(s) < 4 || s[1] != '#' {
		return 0
	}
	digits, base := s[2:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	end := bytes.IndexByte(digits[:min(len(digits), 9)], ';')
	if end <= 0 {
		return 0
	}
	v, err := strconv.ParseUint(string(digits[:end]), base, 32)
	if err != nil || !xmlChar(rune(v)) {
		return 0
	}
	return len(s) - len(digits) + end + 1
}

// xmlChar says whether XML 1.0 allows r as a character.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// restore puts the lifted texts back into what gofeed read, decoded as
// gofeed decodes them. It returns false when a placeholder turns up inside
// a longer value, which gofeed would have built from the text some other
// way; the feed must then be read again without lifting.
func (l *lifted) restore(raw *rawFeed) bool {
	if l == nil {
		return true
	}
	// Which slot each value holds: -1 none, -2 a placeholder inside it.
	slot := func(s string) int {
		rest, found := strings.CutPrefix(s, l.prefix)
		if !found {
			if strings.Contains(s, l.prefix) {
				return -2
			}
			return -1
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 0 || n >= len(l.texts) {
			return -2
		}
		return n
	}
	for _, s := range []string{raw.title, raw.link, raw.selfLink, raw.generator} {
		if slot(s) != -1 {
			return false // never lifted there: something is amiss
		}
	}
	for _, p := range raw.dateProblems {
		if strings.Contains(p, l.prefix) {
			return false
		}
	}
	type fill struct {
		field *string
		slot  int
	}
	var fills []fill
	for i := range raw.items {
		it := &raw.items[i]
		for _, s := range []*string{&it.title, &it.link, &it.id, &it.summary, &it.content, &it.author} {
			switch n := slot(*s); {
			case n == -2:
				return false
			case n >= 0:
				fills = append(fills, fill{s, n})
			}
		}
	}
	parallel.For(len(fills), workersFor(l.size), func(i int) {
		*fills[i].field = unescapeHTML(string(bytes.TrimSpace(l.texts[fills[i].slot])))
	})
	return true
}

// hasDoctype says whether data has a document type declaration, in any
// case (encoding/xml reads one leniently).
func hasDoctype(data []byte) bool {
	for i := 0; ; i++ {
		j := bytes.Index(data[i:], []byte("<!"))
		if j < 0 {
			return false
		}
		i += j
		if len(data)-i >= 9 && bytes.EqualFold(data[i+2:i+9], []byte("doctype")) {
			return true
		}
	}
}
