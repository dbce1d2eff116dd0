package feed

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problems with a source's bytes, before any feed is found in them.
var (
	// ErrEmpty means the source holds no bytes, or only white space.
	ErrEmpty = errors.New("empty file")
	// ErrNotXML means the source does not start like an XML document.
	ErrNotXML = errors.New("not XML")
	// ErrHTMLPage means the source is an HTML page, not a feed: a common
	// result of pointing at a wiki page instead of its feed.
	ErrHTMLPage = errors.New("an HTML page, not a feed")
	// ErrNotFeed means the source is XML but neither RSS nor Atom.
	ErrNotFeed = errors.New("not an RSS or Atom feed")
	// ErrTruncated means the XML ends before its root element is closed.
	ErrTruncated = errors.New("truncated XML: the document ends early")
)

// InvalidUTF8Error reports bytes that are not UTF-8 in a source that says
// (or assumes, by saying nothing) that it is UTF-8.
type InvalidUTF8Error struct {
	// Offset is the byte offset of the first bad byte, after any BOM.
	Offset int64
}

// Error describes the problem and where it is.
func (e *InvalidUTF8Error) Error() string {
	return fmt.Sprintf("invalid UTF-8 at byte %d", e.Offset)
}

// feedFormat is a feed format, as the root element names it.
type feedFormat int

// The formats; formatUnknown leaves the choice to gofeed's detection.
const (
	formatUnknown feedFormat = iota
	formatRSS
	formatAtom
	formatCDF // Microsoft's Channel Definition Format
)

// sniffed is what prepare learned from the start of a source.
type sniffed struct {
	// format is the feed format the root element names.
	format feedFormat
	// utf8 is true when the document is (declared or taken to be) UTF-8.
	utf8 bool
	// generator is a generator named in an XML comment (FeedCreator does
	// this), used when the feed itself names none.
	generator string
}

// prepare checks the start of r, a document decodeDocument has made UTF-8,
// and returns a reader of it with any byte-order mark removed and every
// byte checked. Clear errors here beat the XML decoder's for the common mistakes.
func prepare(r io.Reader) (io.Reader, sniffed, error) {
	var sn sniffed
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, sn, err
	}
	if bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
		head = head[len(utf8BOM):]
	}
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 {
		if len(head) < sniffBytes {
			return nil, sn, ErrEmpty
		}
		return nil, sn, fmt.Errorf("%w: starts with %d bytes of white space", ErrNotXML, sniffBytes)
	}
	if trimmed[0] == '{' {
		// A JSON Feed: gofeed reads those; there is no encoding to check
		// beyond UTF-8.
		return &utf8Checker{r: br}, sn, nil
	}
	if trimmed[0] != '<' {
		return nil, sn, fmt.Errorf("%w: starts with %q", ErrNotXML, printable(firstLine(trimmed)))
	}
	root, _, gen := scanProlog(trimmed)
	sn.generator = gen
	switch strings.ToLower(root) {
	case "html", "!doctype html", "body", "head":
		return nil, sn, ErrHTMLPage
	case "rss", "rdf":
		sn.format = formatRSS
	case "feed":
		sn.format = formatAtom
	case "channel":
		sn.format = formatCDF
	case "":
		// "" means the root lies past the sniffed bytes; let the parser try.
	default:
		return nil, sn, fmt.Errorf("%w: the root element is <%s>", ErrNotFeed, printable(root))
	}
	// decodeDocument has made the document UTF-8.
	sn.utf8 = true
	return &utf8Checker{r: br}, sn, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// firstLine returns up to 40 bytes of b's first line, for error messages.
func firstLine(b []byte) string {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		b = b[:i]
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}

// scanProlog skips the XML declaration, processing instructions, comments
// and a doctype at the start of b, and returns the root element's name
// ("" if b ends first), the XML declaration, and a generator named in a
// comment like <!-- generator="FeedCreator 1.7.1" -->.
func scanProlog(b []byte) (root, decl, generator string) {
	s := string(b)
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		switch {
		case strings.HasPrefix(s, "<?"):
			end := strings.Index(s, "?>")
			if end < 0 {
				return "", decl, generator
			}
			if strings.HasPrefix(s, "<?xml ") || strings.HasPrefix(s, "<?xml\t") {
				decl = s[:end]
			}
			s = s[end+2:]
		case strings.HasPrefix(s, "<!--"):
			end := strings.Index(s, "-->")
			if end < 0 {
				return "", decl, generator
			}
			if g := xmlAttr(s[4:end], "generator"); g != "" {
				generator = g
			}
			s = s[end+3:]
		case len(s) >= 9 && strings.EqualFold(s[:9], "<!DOCTYPE"):
			// The root element decides, not the doctype: an XHTML doctype
			// before <rss> is still a feed. Only a doctype whose end (or
			// root) lies past the sniffed bytes is taken at its word.
			rest := strings.TrimLeft(s[9:], " \t\r\n")
			htmlDoctype := len(rest) >= 4 && strings.EqualFold(rest[:4], "html")
			end := doctypeEnd(s)
			if end < 0 {
				if htmlDoctype {
					return "!doctype html", decl, generator
				}
				return "", decl, generator
			}
			s = s[end+1:]
			if htmlDoctype && strings.TrimLeft(s, " \t\r\n") == "" {
				return "!doctype html", decl, generator
			}
		case strings.HasPrefix(s, "<"):
			name := s[1:]
			end := strings.IndexAny(name, " \t\r\n/>")
			if end < 0 {
				return "", decl, generator
			}
			name = name[:end]
			if i := strings.IndexByte(name, ':'); i >= 0 {
				name = name[i+1:]
			}
			return name, decl, generator
		default:
			return "", decl, generator
		}
	}
}

// doctypeEnd returns the index of the '>' that ends the doctype at the
// start of s, stepping over an internal subset in brackets and quoted
// strings, or -1.
func doctypeEnd(s string) int {
	depth := 0
	var quote byte
	for i := 9; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return i
		}
	}
	return -1
}

// xmlAttr finds name="value" or name='value' in s.
func xmlAttr(s, name string) string {
	for i := 0; ; {
		j := strings.Index(s[i:], name)
		if j < 0 {
			return ""
		}
		i += j + len(name)
		rest := strings.TrimLeft(s[i:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
			continue
		}
		q := rest[0]
		end := strings.IndexByte(rest[1:], q)
		if end < 0 {
			return ""
		}
		return rest[1 : 1+end]
	}
}

// utf8Checker passes bytes through and fails at the first byte that is not
// UTF-8, carrying a rune cut in two from one Read over to the next.
type utf8Checker struct {
	r       io.Reader
	offset  int64 // bytes passed on so far
	pending int   // bytes at the end of what was passed on that begin a rune
	tail    [utf8.UTFMax]byte
	err     error
}

// Read reads from the underlying reader and checks what it read.
func (c *utf8Checker) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.r.Read(p)
	if n > 0 {
		if bad := c.check(p[:n]); bad >= 0 {
			c.err = &InvalidUTF8Error{Offset: bad}
			return 0, c.err
		}
		c.offset += int64(n)
	}
	if errors.Is(err, io.EOF) && c.pending > 0 {
		c.err = &InvalidUTF8Error{Offset: c.offset - int64(c.pending)}
		return n, c.err
	}
	return n, err
}

// check validates chunk, which follows the c.pending bytes kept in c.tail,
// and returns the offset in the whole input of the first bad byte, or -1.
func (c *utf8Checker) check(chunk []byte) int64 {
	start := 0
	if c.pending > 0 {
		// Complete the rune begun in the last chunk.
		var buf [2 * utf8.UTFMax]byte
		k := copy(buf[:], c.tail[:c.pending])
		k += copy(buf[k:], chunk[:min(len(chunk), utf8.UTFMax)])
		r, size := utf8.DecodeRune(buf[:k])
		switch {
		case r != utf8.RuneError || size > 1:
			start = size - c.pending
			c.pending = 0
		case !utf8.FullRune(buf[:k]):
			// Still incomplete: this chunk was shorter than the rest of it.
			c.pending += copy(c.tail[c.pending:], chunk)
			return -1
		default:
			return c.offset - int64(c.pending)
		}
	}
	rest := chunk[start:]
	if utf8.Valid(rest) {
		return -1
	}
	for i := 0; i < len(rest); {
		if rest[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(rest[i:])
		if r == utf8.RuneError && size <= 1 {
			if !utf8.FullRune(rest[i:]) {
				c.pending = copy(c.tail[:], rest[i:])
				return -1
			}
			return c.offset + int64(start+i)
		}
		i += size
	}
	return -1
}

// printable makes text from a feed safe to put in an error message: at
// most 40 characters, anything but printable characters as '?'.
func printable(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == 40 {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) || isDirectionMark(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
