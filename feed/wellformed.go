package feed

import (
	"bytes"
	"fmt"
	"iter"
)

// checkTags looks for the mismatched and unclosed tags that gofeed's
// lenient XML reading passes over, sometimes dropping every entry after
// them. It returns a description of the first problem, or "". It is a
// quick scan, not a validator: it follows only tags, skipping comments,
// CDATA sections, processing instructions and declarations.
func checkTags(data []byte) string {
	var stack [][]byte
	for start, end := range tags(data) {
		tag := data[start+1 : end]
		i := end + 1 // where the line is counted to
		closing := len(tag) > 0 && tag[0] == '/'
		if closing {
			tag = tag[1:]
		}
		selfClosing := !closing && len(tag) > 0 && tag[len(tag)-1] == '/'
		name := tag
		if k := bytes.IndexAny(name, " \t\r\n/"); k >= 0 {
			name = name[:k]
		}
		switch {
		case selfClosing:
		case !closing:
			stack = append(stack, name)
		case len(stack) == 0:
			return fmt.Sprintf("line %d: </%s> closes nothing", lineOf(data, i), printable(string(name)))
		case !bytes.Equal(stack[len(stack)-1], name):
			return fmt.Sprintf("line %d: </%s> where </%s> was expected", lineOf(data, i), printable(string(name)), printable(string(stack[len(stack)-1])))
		default:
			stack = stack[:len(stack)-1]
		}
	}
	return ""
}

// tags yields where each tag of data starts (its '<') and ends (its '>'),
// stepping over comments, CDATA sections, processing instructions and
// declarations; it stops at one that is not closed, which the parser
// reports.
func tags(data []byte) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; ; {
			j := bytes.IndexByte(data[i:], '<')
			if j < 0 {
				return
			}
			i += j
			n := markupLen(data[i:])
			if n < 0 {
				return
			}
			if n > 0 {
				i += n
				continue
			}
			end := tagEnd(data[i:])
			if end < 0 || !yield(i, i+end) {
				return
			}
			i += end + 1
		}
	}
}

// markupLen returns the length of the comment, CDATA section, processing
// instruction or declaration that rest starts with, -1 when it is not
// closed, or 0 when rest starts none of them (a tag, then): the places
// where a '<' opens no element.
func markupLen(rest []byte) int {
	for _, m := range [...]struct{ open, close string }{
		{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"},
	} {
		if bytes.HasPrefix(rest, []byte(m.open)) {
			k := bytes.Index(rest, []byte(m.close))
			if k < 0 {
				return -1
			}
			return k + len(m.close)
		}
	}
	return 0
}

// tagEnd returns the index of the '>' that ends the tag at the start of s,
// stepping over quoted attribute values, or -1.
func tagEnd(s []byte) int {
	var quote byte
	for k := 1; k < len(s); k++ {
		c := s[k]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return k
		}
	}
	return -1
}

// lineOf returns the 1-based line of offset i.
func lineOf(data []byte, i int) int {
	return bytes.Count(data[:min(i, len(data))], []byte("\n")) + 1
}
