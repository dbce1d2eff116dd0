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
	// buf holds, from pos to ready, what Read hands out next, and after
	// ready the current event so far (when it is passed on): an event
	// is made ready by moving ready, not by copying it.
	buf        []byte
	pos, ready int

	lineLen  int  // bytes of the current line so far
	afterCR  bool // the last byte was a CR: an LF next belongs to it
	skipping bool // the current event is over the limit and being dropped
	skipped  int  // its size so far
	line     []byte
	lineLong bool   // the current line of a skipped event is over maxIDLine
	id       []byte // its last id line (no line end)
	err      error  // from rc, given once buf is handed out
}

func newSizeLimiter(rc io.ReadCloser, limit int) *sizeLimiter {
	return &sizeLimiter{rc: rc, limit: limit}
}

// Read hands out what was scanned, reading and scanning more when none
// is left.
func (l *sizeLimiter) Read(p []byte) (int, error) {
	for l.pos == l.ready {
		// Keep only the current event, at the start.
		n := copy(l.buf, l.buf[l.ready:])
		l.buf, l.pos, l.ready = l.buf[:n], 0, 0
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
			if l.skipping {
				l.buf = l.buf[:l.ready]
			}
			l.ready = len(l.buf)
			l.err = err
		}
	}
	n := copy(p, l.buf[l.pos:l.ready])
	l.pos += n
	return n, nil
}

// Close closes the body.
func (l *sizeLimiter) Close() error { return l.rc.Close() }

// scan cuts data into lines and events. The next LF and CR are looked
// for once each and remembered, so that a chunk is searched in linear
// time however its lines end.
func (l *sizeLimiter) scan(data []byte) {
	lf, cr := -2, -2 // their index in data; -1 none left, -2 not looked for
	next := func(c byte, at, from int) int {
		if at == -1 || at >= from {
			return at
		}
		if i := bytes.IndexByte(data[from:], c); i >= 0 {
			return from + i
		}
		return -1
	}
	off := 0
	for off < len(data) {
		if l.afterCR {
			l.afterCR = false
			if data[off] == '\n' {
				// The LF of a CR LF: part of the line end just seen.
				l.keep(data[off : off+1])
				off++
				continue
			}
		}
		lf, cr = next('\n', lf, off), next('\r', cr, off)
		i := lf
		if cr >= 0 && (i < 0 || cr < i) {
			i = cr
		}
		if i < 0 {
			l.text(data[off:])
			return
		}
		l.text(data[off:i])
		l.afterCR = data[i] == '\r'
		l.lineEnd(data[i : i+1])
		off = i + 1
	}
}

// keep adds bytes that belong where the last ones went: to the event, to
// what is ready after an event's end, or to the skipped count.
func (l *sizeLimiter) keep(b []byte) {
	switch {
	case l.skipping:
		l.skipped += len(b)
	case len(l.buf) > l.ready || l.lineLen > 0:
		l.buf = append(l.buf, b...)
	default:
		l.buf = append(l.buf, b...)
		l.ready = len(l.buf)
	}
}

// text adds part of a line.
func (l *sizeLimiter) text(b []byte) {
	if len(b) == 0 {
		return
	}
	l.lineLen += len(b)
	if !l.skipping {
		l.buf = append(l.buf, b...)
		if len(l.buf)-l.ready > l.limit {
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
	l.buf = append(l.buf, end...)
	if len(l.buf)-l.ready > l.limit {
		l.startSkipping()
		if blank {
			l.endSkipped()
		}
		return
	}
	if blank {
		// The event's end, or a blank line between events.
		l.ready = len(l.buf)
	}
}

// startSkipping drops the event read so far, keeping its last whole id
// line, and the part of the line it is in, to find an id line.
func (l *sizeLimiter) startSkipping() {
	ev := l.buf[l.ready:]
	l.skipping, l.skipped = true, len(ev)
	l.id = l.id[:0]
	rest := ev
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
	l.buf = l.buf[:l.ready]
	if cap(l.buf) > 2*(l.limit+limiterChunk) {
		// One huge line grew it; let it go.
		l.buf = append([]byte(nil), l.buf...)
	}
}

// endSkipped makes the replacement event ready.
func (l *sizeLimiter) endSkipped() {
	l.buf = append(l.buf, "event: "+tooLargeType+"\n"...)
	if len(l.id) > 0 {
		l.buf = append(l.buf, l.id...)
		l.buf = append(l.buf, '\n')
	}
	l.buf = append(l.buf, "data: "+strconv.Itoa(l.skipped)+"\n\n"...)
	l.ready = len(l.buf)
	l.skipping, l.skipped, l.id = false, 0, l.id[:0]
}

// isIDLine reports whether a line is the id field: "id" alone, or "id:"
// and a value.
func isIDLine(line []byte) bool {
	return bytes.Equal(line, []byte("id")) || bytes.HasPrefix(line, []byte("id:"))
}
