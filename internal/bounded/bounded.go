// Package bounded reads with a size cap: from readers, and from local files
// that may be regular files, pipes or devices that never end (/dev/zero).
// What passes the cap is an error, never a silently shortened read, and
// nothing is allocated from a size someone else claims.
//
//	data, err := bounded.ReadFile(path, 1<<20)
//	var se *bounded.SizeError
//	if errors.As(err, &se) { … } // "larger than the 1 MiB cap"
package bounded

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// SizeError reports input larger than the size cap.
type SizeError struct {
	// Limit is the cap in bytes.
	Limit int64
	// Decompressed is true when the input only grew past the cap once
	// decompressed (a gzip bomb, or just a big feed).
	Decompressed bool
}

// Error describes the cap that was hit.
func (e *SizeError) Error() string {
	if e.Decompressed {
		return fmt.Sprintf("larger than the %s cap once decompressed", ByteCount(e.Limit))
	}
	return fmt.Sprintf("larger than the %s cap", ByteCount(e.Limit))
}

// ByteCount writes n bytes for people: "64 MiB", "1500 bytes".
func ByteCount(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Reader passes bytes through until more than a cap have come, then fails
// with Err, rather than cutting the input short silently.
type Reader struct {
	// R is the input.
	R io.Reader
	// Left is how many more bytes may come.
	Left int64
	// Err is returned once the cap is passed.
	Err error
}

// NewReader caps r at limit bytes; past it, reads fail with a *SizeError.
func NewReader(r io.Reader, limit int64) *Reader {
	return &Reader{R: r, Left: limit, Err: &SizeError{Limit: limit}}
}

// Read passes bytes on until the cap.
func (c *Reader) Read(p []byte) (int, error) {
	if c.Left < 0 {
		return 0, c.Err
	}
	if int64(len(p)) > c.Left+1 {
		p = p[:c.Left+1]
	}
	n, err := c.R.Read(p)
	c.Left -= int64(n)
	if c.Left < 0 {
		return 0, c.Err
	}
	return n, err
}

// ReadAll reads r to the end, failing with a *SizeError past limit bytes.
// Other errors come back unwrapped, for the caller to word.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(NewReader(r, limit))
}

// ReadFile reads a local file of at most limit bytes. A regular file larger
// than that fails before it is read; anything else (a pipe, a device, a
// link to /dev/zero) is read through the cap. Errors are worded for one
// line after the file's name: "no such file", "permission denied", "is a
// directory", "larger than the 1 MiB cap".
func ReadFile(path string, limit int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, FileError(err)
	}
	defer file.Close() //nolint:errcheck // read only: closing it loses nothing
	fi, err := file.Stat()
	if err != nil {
		return nil, FileError(err)
	}
	if fi.IsDir() {
		return nil, errors.New("is a directory")
	}
	if fi.Mode().IsRegular() {
		if fi.Size() > limit {
			return nil, &SizeError{Limit: limit}
		}
		// The size is known and bounded: read it in one allocation,
		// still through the cap in case the file grows meanwhile.
		buf := make([]byte, 0, fi.Size()+1)
		r := NewReader(file, limit)
		for {
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return nil, readError(err)
			}
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)]
			}
		}
	}
	data, err := ReadAll(file, limit)
	if err != nil {
		return nil, readError(err)
	}
	return data, nil
}

// readError words a failed read; a *SizeError stays as it is.
func readError(err error) error {
	var se *SizeError
	if errors.As(err, &se) {
		return se
	}
	return FileError(err)
}

// FileError words an error from opening or reading a file, without the
// path (the caller names the file). errors.Is still finds the cause
// (fs.ErrNotExist, say).
func FileError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &wordedError{"no such file", err}
	case errors.Is(err, fs.ErrPermission):
		return &wordedError{"permission denied", err}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &wordedError{"cannot read: " + pe.Err.Error(), err}
	}
	return err
}

// wordedError is an error with a shorter message than its cause's.
type wordedError struct {
	msg string
	err error
}

func (e *wordedError) Error() string { return e.msg }
func (e *wordedError) Unwrap() error { return e.err }
