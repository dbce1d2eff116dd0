package feed

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"

	"github.com/wikifeed/wikifeed/internal/bounded"
)

// Every document is turned into UTF-8 here, before gofeed sees it, so that
// gofeed's byte filters (which drop the ESC bytes ISO-2022-JP is made of)
// and its lack of UTF-16 and UTF-32 cannot lose text. decodeDocument
// decides the encoding in this order, as XML 1.0 appendix F and RFC 7303
// §3 say:
//
//  1. A byte-order mark: UTF-8, UTF-16 BE/LE or UTF-32 BE/LE.
//  2. The charset parameter of the HTTP Content-Type, for text/* and
//     application/* types alike: RFC 7303 makes it authoritative for every
//     XML media type. RFC 3023's default of US-ASCII for text/xml without
//     a charset is not followed (RFC 7303 obsoletes it, and feeds served
//     so are almost always UTF-8 or say what they are).
//  3. The pattern of the first four bytes (appendix F: 00 00 00 3C is
//     UTF-32BE, 3C 00 3F 00 UTF-16LE, 4C 6F A7 94 EBCDIC, …) gives the
//     family, and the XML declaration's encoding names the member.
//  4. UTF-8.
//
// A label the bytes contradict is mislabelled, and the bytes win with a
// warning: a UTF-16 label on a document that reads as ASCII, a legacy
// label (ISO-8859-1, windows-1252, …) on bytes that are valid UTF-8 with
// characters past ASCII, a BOM or byte pattern against the declaration, or
// an HTTP "utf-8" on bytes that are not while the declaration names
// another encoding.

// Tunables of encoding detection, with their units.
const (
	// declBytes is how much of a document is decoded to find its XML
	// declaration, in bytes.
	declBytes = 512
)

// encFamily is how a document's bytes are laid out, before any label is
// read.
type encFamily int

// The families appendix F tells apart.
const (
	familyASCII encFamily = iota // UTF-8 and the ASCII-compatible encodings
	familyUTF16BE
	familyUTF16LE
	familyUTF32BE
	familyUTF32LE
	familyEBCDIC
)

// String names the family as messages say it.
func (f encFamily) String() string {
	switch f {
	case familyUTF16BE:
		return "UTF-16BE"
	case familyUTF16LE:
		return "UTF-16LE"
	case familyUTF32BE:
		return "UTF-32BE"
	case familyUTF32LE:
		return "UTF-32LE"
	case familyEBCDIC:
		return "EBCDIC"
	default: // familyASCII
		return "UTF-8"
	}
}

// decoder returns the decoder for a family other than ASCII's.
func (f encFamily) decoder() *encoding.Decoder {
	switch f {
	case familyUTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	case familyUTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	case familyUTF32BE:
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM).NewDecoder()
	case familyUTF32LE:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM).NewDecoder()
	case familyEBCDIC:
		return charmap.CodePage037.NewDecoder()
	default: // familyASCII
		return encoding.Nop.NewDecoder()
	}
}

// The byte-order marks, longest first where one begins another.
var boms = []struct {
	mark   []byte
	family encFamily
}{
	{[]byte{0x00, 0x00, 0xFE, 0xFF}, familyUTF32BE},
	{[]byte{0xFF, 0xFE, 0x00, 0x00}, familyUTF32LE},
	{[]byte{0xFE, 0xFF}, familyUTF16BE},
	{[]byte{0xFF, 0xFE}, familyUTF16LE},
	{utf8BOM, familyASCII},
}

// sniffFamily reads the family from a BOM (returning its length) or, when
// there is none, from the pattern of the first four bytes.
func sniffFamily(data []byte) (f encFamily, bomLen int, err error) {
	for _, b := range boms {
		if bytes.HasPrefix(data, b.mark) {
			return b.family, len(b.mark), nil
		}
	}
	if len(data) < 4 {
		return familyASCII, 0, nil
	}
	a, b, c, d := data[0], data[1], data[2], data[3]
	switch {
	case a == 0 && b == 0 && c == 0 && d != 0:
		return familyUTF32BE, 0, nil
	case a != 0 && b == 0 && c == 0 && d == 0:
		return familyUTF32LE, 0, nil
	case a == 0 && b == 0 && c != 0 && d == 0, a == 0 && b != 0 && c == 0 && d == 0:
		return familyASCII, 0, errors.New("UCS-4 in an unusual byte order (2143 or 3412) is not supported")
	case a == 0 && b != 0 && c == 0 && d != 0:
		return familyUTF16BE, 0, nil
	case a != 0 && b == 0 && c != 0 && d == 0:
		return familyUTF16LE, 0, nil
	case a == 0x4C && b == 0x6F && c == 0xA7 && d == 0x94:
		return familyEBCDIC, 0, nil
	}
	return familyASCII, 0, nil
}

// labelled is an encoding found by its label.
type labelled struct {
	enc encoding.Encoding
	// name is the encoding's canonical lower-case name ("windows-1252").
	name string
	// family is the family its bytes belong to.
	family encFamily
	// utf8 is true for UTF-8 and its subset US-ASCII.
	utf8 bool
	// wide is true for a UTF-16 or UTF-32 label, whose byte order the
	// bytes decide.
	wide bool
}

// lookupEncoding finds the encoding a label names: WHATWG's index (which
// browsers use, and which reads ISO-8859-1 as its superset windows-1252)
// first, then IANA's; UTF-32 and EBCDIC by hand, as WHATWG has neither.
func lookupEncoding(label string) (*labelled, error) {
	// Python's codec names (utf_16, u8) turn up in feeds written by
	// Python programs.
	l := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(label)), "_", "-")
	switch l {
	case "u8", "utf":
		l = "utf-8"
	case "u16":
		l = "utf-16"
	case "u32":
		l = "utf-32"
	}
	switch l {
	case "utf-8", "utf8", "us-ascii", "ascii", "unicode-1-1-utf-8":
		return &labelled{enc: encoding.Nop, name: "utf-8", utf8: true}, nil
	case "utf-16", "utf16", "ucs-2", "iso-10646-ucs-2", "unicode", "csunicode":
		return &labelled{name: "utf-16", family: familyUTF16BE, wide: true}, nil
	case "utf-16be", "unicodefffe":
		return &labelled{name: "utf-16be", family: familyUTF16BE, wide: true}, nil
	case "utf-16le", "unicodefeff":
		return &labelled{name: "utf-16le", family: familyUTF16LE, wide: true}, nil
	case "utf-32", "utf32", "ucs-4", "iso-10646-ucs-4", "csucs4":
		return &labelled{name: "utf-32", family: familyUTF32BE, wide: true}, nil
	case "utf-32be":
		return &labelled{name: "utf-32be", family: familyUTF32BE, wide: true}, nil
	case "utf-32le":
		return &labelled{name: "utf-32le", family: familyUTF32LE, wide: true}, nil
	}
	if e, err := htmlindex.Get(l); err == nil {
		if e == encoding.Replacement {
			return nil, fmt.Errorf("encoding %q is not supported", printable(label))
		}
		name, _ := htmlindex.Name(e)
		return &labelled{enc: e, name: name}, nil
	}
	e, err := ianaindex.IANA.Encoding(l)
	if err != nil {
		return nil, fmt.Errorf("unknown encoding %q", printable(label))
	}
	if e == nil {
		return nil, fmt.Errorf("encoding %q is not supported", printable(label))
	}
	name, _ := ianaindex.IANA.Name(e)
	lab := &labelled{enc: e, name: strings.ToLower(name)}
	switch e {
	case charmap.CodePage037, charmap.CodePage1047, charmap.CodePage1140:
		lab.family = familyEBCDIC
	}
	return lab, nil
}

// contentTypeCharset returns the charset parameter of a Content-Type.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		// A sloppy header ("text/xml; charset = utf-8;"): look by hand.
		lower := strings.ToLower(contentType)
		i := strings.Index(lower, "charset")
		if i < 0 {
			return ""
		}
		v := strings.TrimLeft(contentType[i+len("charset"):], " \t")
		v, ok := strings.CutPrefix(v, "=")
		if !ok {
			return ""
		}
		v = strings.TrimSpace(v)
		if j := strings.IndexAny(v, "; \t"); j >= 0 {
			v = v[:j]
		}
		return strings.Trim(v, `"'`)
	}
	return strings.Trim(strings.TrimSpace(params["charset"]), `"' `)
}

// decodeDocument returns data as UTF-8 with its XML declaration saying so,
// and the warnings about labels the bytes contradicted. A gzip stream
// without a Content-Encoding (a .gz file, a misconfigured server) is
// decompressed first, within limit bytes. contentType is the HTTP
// Content-Type, or "".
func decodeDocument(data []byte, contentType string, limit int64) ([]byte, []string, error) {
	if isGzip(data) {
		var err error
		if data, err = gunzip(data, limit); err != nil {
			return nil, nil, err
		}
	}
	fam, bomLen, err := sniffFamily(data)
	if err != nil {
		return nil, nil, err
	}
	body := data[bomLen:]
	// The declaration, read in the family the bytes show.
	head := body[:min(len(body), declBytes)]
	if fam != familyASCII {
		head, _ = fam.decoder().Bytes(alignTo(head, fam))
	}
	declLabel := declaredEncoding(head)
	httpLabel := contentTypeCharset(contentType)

	var warnings []string
	label, from := declLabel, "declares encoding"
	if httpLabel != "" {
		label, from = httpLabel, "is served as charset"
	}
	var lab *labelled
	if label != "" {
		if lab, err = lookupEncoding(label); err != nil {
			if fam != familyASCII || bomLen > 0 {
				// The bytes say what they are; the label is noise.
				warnings = append(warnings, fmt.Sprintf("%s %q, which is unknown; read as %s", from, printable(label), fam))
				label, lab = "", nil
			} else if httpLabel != "" && declLabel == "" {
				return nil, nil, fmt.Errorf("%w in the HTTP Content-Type", err)
			} else if httpLabel == "" {
				return nil, nil, fmt.Errorf("%w in the XML declaration", err)
			} else {
				// An unknown HTTP charset with a declaration: try that.
				warnings = append(warnings, fmt.Sprintf("%s %q, which is unknown; read as the declaration says", from, printable(label)))
				label, from = declLabel, "declares encoding"
				if lab, err = lookupEncoding(label); err != nil {
					return nil, nil, fmt.Errorf("%w in the XML declaration", err)
				}
			}
		}
	}

	if fam != familyASCII {
		// A BOM or a wide byte pattern decides; a label that says
		// otherwise is mislabelled. UTF-16 and UTF-32 labels leave the
		// byte order to the bytes.
		switch {
		case lab == nil:
		case fam == familyEBCDIC && lab.family == familyEBCDIC:
			return finish(lab.enc.NewDecoder(), data[bomLen:], warnings)
		case lab.wide && sameWidth(lab.family, fam) && (lab.family == fam || lab.name == "utf-16" || lab.name == "utf-32"):
		default:
			warnings = append(warnings, fmt.Sprintf("%s %q but is %s; read as %s", from, printable(label), fam, fam))
		}
		return finish(fam.decoder(), alignTo(body, fam), warnings)
	}
	if bomLen > 0 {
		// A UTF-8 BOM.
		if lab != nil && !lab.utf8 {
			warnings = append(warnings, fmt.Sprintf("%s %q but has a UTF-8 byte-order mark; read as UTF-8", from, printable(label)))
		}
		return finish(nil, body, warnings)
	}
	switch {
	case lab == nil || lab.utf8:
		if lab != nil && httpLabel != "" && declLabel != "" && !utf8.Valid(body) {
			// Served as UTF-8, but the bytes are not, and the document
			// names its own encoding: believe the document.
			if dl, err := lookupEncoding(declLabel); err == nil && !dl.utf8 && !dl.wide && dl.family == familyASCII {
				warnings = append(warnings, fmt.Sprintf("is served as charset %q but is not UTF-8; read as the declared %q", printable(httpLabel), printable(declLabel)))
				return finish(dl.enc.NewDecoder(), body, warnings)
			}
		}
		return finish(nil, body, warnings)
	case lab.wide:
		// The label was readable as ASCII, so the bytes are not wide.
		warnings = append(warnings, fmt.Sprintf("%s %q but is not in it; read as UTF-8", from, printable(label)))
		return finish(nil, body, warnings)
	case lab.family == familyEBCDIC:
		return nil, nil, fmt.Errorf("%s %q but does not look like EBCDIC", from, printable(label))
	}
	if !isASCII(body) && utf8.Valid(body) {
		// Valid UTF-8 with characters past ASCII is almost never a legacy
		// encoding by chance: the label is a server's or a template's
		// mistake, and read as labelled every "é" would become "Ã©".
		warnings = append(warnings, fmt.Sprintf("%s %q but is UTF-8; read as UTF-8", from, printable(label)))
		return finish(nil, body, warnings)
	}
	return finish(lab.enc.NewDecoder(), body, warnings)
}

// sameWidth reports whether two families have the same code unit size.
func sameWidth(a, b encFamily) bool {
	wide16 := func(f encFamily) bool { return f == familyUTF16BE || f == familyUTF16LE }
	wide32 := func(f encFamily) bool { return f == familyUTF32BE || f == familyUTF32LE }
	return wide16(a) && wide16(b) || wide32(a) && wide32(b)
}

// alignTo cuts b to a whole number of the family's code units.
func alignTo(b []byte, f encFamily) []byte {
	switch f {
	case familyUTF16BE, familyUTF16LE:
		return b[:len(b)&^1]
	case familyUTF32BE, familyUTF32LE:
		return b[:len(b)&^3]
	default: // one-byte code units: familyASCII and familyEBCDIC
		return b
	}
}

// finish decodes body with dec (nil: it is UTF-8 already) and makes its
// declaration say UTF-8.
func finish(dec *encoding.Decoder, body []byte, warnings []string) ([]byte, []string, error) {
	if dec != nil {
		out, err := dec.Bytes(body)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot decode: %v", err)
		}
		body = out
	}
	return relabelDeclaration(body), warnings, nil
}

// isASCII reports whether b is all ASCII.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// declaredEncoding returns the encoding the XML declaration at the start of
// head names, or "".
func declaredEncoding(head []byte) string {
	start, end, ok := declEncodingSpan(head)
	if !ok {
		return ""
	}
	return string(head[start:end])
}

// declEncodingSpan finds the value of the encoding pseudo-attribute in an
// XML declaration at the start of b (after white space), as offsets.
func declEncodingSpan(b []byte) (start, end int, ok bool) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	if !bytes.HasPrefix(b[i:], []byte("<?xml")) || len(b) < i+6 || !isSpaceByte(b[i+5]) {
		return 0, 0, false
	}
	declEnd := bytes.Index(b[i:], []byte("?>"))
	if declEnd < 0 {
		return 0, 0, false
	}
	decl := b[i : i+declEnd]
	k := bytes.Index(decl, []byte("encoding"))
	if k < 0 {
		return 0, 0, false
	}
	j := k + len("encoding")
	for j < len(decl) && isSpaceByte(decl[j]) {
		j++
	}
	if j >= len(decl) || decl[j] != '=' {
		return 0, 0, false
	}
	j++
	for j < len(decl) && isSpaceByte(decl[j]) {
		j++
	}
	if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
		return 0, 0, false
	}
	q := decl[j]
	e := bytes.IndexByte(decl[j+1:], q)
	if e < 0 {
		return 0, 0, false
	}
	return i + j + 1, i + j + 1 + e, true
}

// isSpaceByte reports XML white space.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// relabelDeclaration makes an XML declaration that names an encoding name
// UTF-8 instead, since the bytes now are; other documents are returned as
// they are.
func relabelDeclaration(doc []byte) []byte {
	start, end, ok := declEncodingSpan(doc[:min(len(doc), declBytes)])
	if !ok {
		return doc
	}
	switch strings.ToLower(string(doc[start:end])) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return doc
	}
	out := make([]byte, 0, len(doc)+5)
	out = append(out, doc[:start]...)
	out = append(out, "UTF-8"...)
	return append(out, doc[end:]...)
}

// isGzip reports whether data starts with gzip's magic number and the
// deflate method, as a .gz file does.
func isGzip(data []byte) bool {
	return len(data) >= 3 && data[0] == 0x1f && data[1] == 0x8b && data[2] == 8
}

// gunzip decompresses a gzip stream that arrived without a
// Content-Encoding, failing past limit bytes.
func gunzip(data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("gzip-compressed, but the gzip header is damaged: %v", err)
	}
	// Close only repeats the error of the last read, which ReadFrom returns.
	defer zr.Close() //nolint:errcheck // see above
	var buf bytes.Buffer
	_, err = buf.ReadFrom(&bounded.Reader{R: zr, Left: limit, Err: &SizeError{Limit: limit, Decompressed: true}})
	var se *SizeError
	switch {
	case err == nil:
		return buf.Bytes(), nil
	case errors.As(err, &se):
		return nil, se
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, errors.New("gzip-compressed, but the gzip data is cut short")
	}
	return nil, fmt.Errorf("gzip-compressed, but the gzip data is damaged: %v", err)
}
