package eventstream

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
)

// tooLargeType is the type of the event a sizeLimiter puts in place of one
// it skipped; its data is the skipped event's size in bytes. A server that
// sends this type itself only gets its event counted as too large.
const tooLargeType = "wikifeed-too-large"

// Size limiter tunables.
const (
	// limiterChunk is how much is read from the body at a time, in bytes.
	limiterChunk = 32 << 10
	// maxIDLine is the longest id line kept of a skipped event, in bytes
	// (EventStreams' ids are about 150); a longer one is lost, and a
	// reconnection may then skip the event again.
	maxIDLine = 4 << 10
	// scannerSlack is what go-sse's scanner may hold past the largest
	// event let through (the start of the next one), in bytes.
	scannerSlack = 4 << 10
)

// TooLargeError is an event skipped for its size: go-sse reads an event
// whole into a bounded buffer, and fails the connection on one that does
// not fit, so that a reconnection would ask for the same event again and
// fail again, for ever.
type TooLargeError struct {
	// EventID is the skipped event's id if it had one, else the last id
	// the stream had given (may be "").
	EventID string
	// Size is how many bytes it had; Limit is MaxEventBytes.
	Size, Limit int
}

// Error says what was skipped.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("skipped an event of %d bytes, larger than the limit of %d", e.Size, e.Limit)
}

// sizeLimiter sits between the response body and go-sse's reader. It cuts
// the stream into events the way the server-sent-events format does (an
// event ends at an empty line; lines end with CR LF, LF or CR) and passes
// each event on unchanged, unless it grows past limit bytes (counting the
// CR LF that ends it as one: it is passed on at the CR): then it drops
// the event, keeping only its last id line, and passes on in its place an
// event of type tooLargeType with that id, which the Follower counts.
// go-sse thus never sees an event larger than limit, and the stream's
// last event ID still moves past the one skipped. Memory is bounded by
// one event of limit bytes and one chunk read.
type sizeLimiter struct {
	rc    io.ReadCloser
	limit int // the largest event passed on, in bytes

	chunk []byte // read from rc
	out   []byte // ready for Read, from pos on
	pos   int
	ev    []byte // the current event so far, when passed on

	lineLen  int  // bytes of the current line so far
	afterCR  bool // the last byte was a CR: an LF next belongs to it
	skipping bool // the current event is over the limit and being dropped
	skipped  int  // its size so far
	line     []byte
	lineLong bool   // the current line of a skipped event is over maxIDLine
	id       []byte // its last id line (no line end)
	err      error  // from rc, given once out is empty
}

func newSizeLimiter(rc io.ReadCloser, limit int) *sizeLimiter {
	return &sizeLimiter{rc: rc, limit: limit}
}

// Read hands out what was scanned, reading and scanning more when none
// is left.
func (l *sizeLimiter) Read(p []byte) (int, error) {
	for l.pos == len(l.out) {
		l.out, l.pos = l.out[:0], 0
		if l.err != nil {
			return 0, l.err
		}
		if l.chunk == nil {
			l.chunk = make([]byte, limiterChunk)
		}
		n, err := l.rc.Read(l.chunk)
		l.scan(l.chunk[:n])
		if err != nil {
			// What the event had so far goes on as it is (go-sse drops
			// an event cut short); a skipped one is dropped.
			if !l.skipping {
				l.out = append(l.out, l.ev...)
			}
			l.ev = l.ev[:0]
			l.err = err
		}
	}
	n := copy(p, l.out[l.pos:])
	l.pos += n
	return n, nil
}

// Close closes the body.
func (l *sizeLimiter) Close() error { return l.rc.Close() }

// scan cuts data into lines and events.
func (l *sizeLimiter) scan(data []byte) {
	for len(data) > 0 {
		if l.afterCR {
			l.afterCR = false
			if data[0] == '\n' {
				// The LF of a CR LF: part of the line end just seen.
				l.keep(data[:1])
				data = data[1:]
				continue
			}
		}
		i := bytes.IndexAny(data, "\r\n")
		if i < 0 {
			l.text(data)
			return
		}
		l.text(data[:i])
		l.afterCR = data[i] == '\r'
		l.lineEnd(data[i : i+1])
		data = data[i+1:]
	}
}

// keep adds bytes that belong where the last ones went: to the event, to
// the output after an event's end, or to the skipped count.
func (l *sizeLimiter) keep(b []byte) {
	switch {
	case l.skipping:
		l.skipped += len(b)
	case len(l.ev) > 0 || l.lineLen > 0:
		l.ev = append(l.ev, b...)
	default:
		l.out = append(l.out, b...)
	}
}

// text adds part of a line.
func (l *sizeLimiter) text(b []byte) {
	if len(b) == 0 {
		return
	}
	l.lineLen += len(b)
	if !l.skipping {
		l.ev = append(l.ev, b...)
		if len(l.ev) > l.limit {
			l.startSkipping()
		}
		return
	}
	l.skipped += len(b)
	if !l.lineLong {
		if len(l.line)+len(b) > maxIDLine {
			l.lineLong, l.line = true, l.line[:0]
		} else {
			l.line = append(l.line, b...)
		}
	}
}

// lineEnd ends a line; an empty one ends the event.
func (l *sizeLimiter) lineEnd(end []byte) {
	blank := l.lineLen == 0
	l.lineLen = 0
	if l.skipping {
		l.skipped += len(end)
		if !blank && !l.lineLong && isIDLine(l.line) {
			l.id = append(l.id[:0], l.line...)
		}
		l.line, l.lineLong = l.line[:0], false
		if blank {
			l.endSkipped()
		}
		return
	}
	if blank && len(l.ev) == 0 {
		// Blank lines between events.
		l.out = append(l.out, end...)
		return
	}
	l.ev = append(l.ev, end...)
	if len(l.ev) > l.limit {
		l.startSkipping()
		if blank {
			l.endSkipped()
		}
		return
	}
	if blank {
		l.out = append(l.out, l.ev...)
		l.ev = l.ev[:0]
	}
}

// startSkipping drops the event read so far, keeping its last whole id
// line, and the part of the line it is in, to find an id line.
func (l *sizeLimiter) startSkipping() {
	l.skipping, l.skipped = true, len(l.ev)
	l.id = l.id[:0]
	rest := l.ev
	for {
		i := bytes.IndexAny(rest, "\r\n")
		if i < 0 {
			break
		}
		if isIDLine(rest[:i]) {
			l.id = append(l.id[:0], rest[:i]...)
		}
		rest = rest[i+1:]
	}
	// rest is the line not yet ended (a CR LF's LF left in it is no line).
	rest = bytes.TrimPrefix(rest, []byte("\n"))
	l.line, l.lineLong = l.line[:0], len(rest) > maxIDLine
	if !l.lineLong {
		l.line = append(l.line, rest...)
	}
	l.ev = l.ev[:0]
	if cap(l.ev) > 2*l.limit {
		l.ev = nil // one huge line grew it; let it go
	}
}

// endSkipped puts the replacement event out.
func (l *sizeLimiter) endSkipped() {
	l.out = append(l.out, "event: "+tooLargeType+"\n"...)
	if len(l.id) > 0 {
		l.out = append(l.out, l.id...)
		l.out = append(l.out, '\n')
	}
	l.out = append(l.out, "data: "+strconv.Itoa(l.skipped)+"\n\n"...)
	l.skipping, l.skipped, l.id = false, 0, l.id[:0]
}

// isIDLine reports whether a line is the id field: "id" alone, or "id:"
// and a value.
func isIDLine(line []byte) bool {
	return bytes.Equal(line, []byte("id")) || bytes.HasPrefix(line, []byte("id:"))
}
