package store

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Stored bodies and texts start with one byte that says how the rest is
// encoded.
const (
	blobRaw     = 0
	blobDeflate = 1
)

// errBlob is returned for a stored body or text that cannot be decoded.
var errBlob = errors.New("damaged stored text")

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// pack encodes s for storage: nil for "", deflated when that is smaller.
func pack(s string) []byte {
	if s == "" {
		return nil
	}
	if len(s) >= compressMin {
		var buf bytes.Buffer
		buf.Grow(len(s)/3 + 16)
		buf.WriteByte(blobDeflate)
		w := deflaters.Get().(*flate.Writer)
		w.Reset(&buf)
		// A flate.Writer fails only when its writer does, and a
		// bytes.Buffer never does.
		_, _ = io.WriteString(w, s)
		_ = w.Close()
		deflaters.Put(w)
		if buf.Len() < len(s)+1 {
			return buf.Bytes()
		}
	}
	b := make([]byte, 1+len(s))
	b[0] = blobRaw
	copy(b[1:], s)
	return b
}

// unpack decodes what pack wrote, never producing more than MaxBlob bytes.
func unpack(b []byte) (string, error) {
	if len(b) == 0 {
		return "", nil
	}
	switch b[0] {
	case blobRaw:
		if len(b)-1 > MaxBlob {
			return "", fmt.Errorf("%w: longer than %d bytes", errBlob, MaxBlob)
		}
		return string(b[1:]), nil
	case blobDeflate:
		r := inflaters.Get().(io.ReadCloser)
		defer inflaters.Put(r)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(b[1:]), nil); err != nil {
			return "", fmt.Errorf("%w: %v", errBlob, err)
		}
		var sb strings.Builder
		n, err := io.Copy(&sb, io.LimitReader(r, MaxBlob+1))
		if err != nil {
			return "", fmt.Errorf("%w: %v", errBlob, err)
		}
		if n > MaxBlob {
			return "", fmt.Errorf("%w: longer than %d bytes", errBlob, MaxBlob)
		}
		return sb.String(), nil
	default:
		return "", fmt.Errorf("%w: unknown encoding %d", errBlob, b[0])
	}
}
