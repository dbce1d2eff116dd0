package bounded

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReadFile checks each kind of local file: within the cap, past it,
// missing, a directory, and a link to a device that never ends.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small")
	if err := os.WriteFile(small, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		limit      int64
		want       string // the data, or the error's text after "error: "
	}{
		{"fits", small, 5, "hello"},
		{"empty-cap", small, 4, "error: larger than the 4 bytes cap"},
		{"missing", filepath.Join(dir, "nope"), 10, "error: no such file"},
		{"directory", dir, 10, "error: is a directory"},
		{"dev-zero", zero, 1 << 20, "error: larger than the 1 MiB cap"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			data, err := ReadFile(c.path, c.limit)
			got := string(data)
			if err != nil {
				got = "error: " + err.Error()
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %s", d)
			}
		})
	}
}

// TestReadAll checks the cap on a reader: exactly the cap passes, one byte
// more is a *SizeError.
func TestReadAll(t *testing.T) {
	data, err := ReadAll(strings.NewReader("abcd"), 4)
	if err != nil || string(data) != "abcd" {
		t.Errorf("at the cap: %q, %v", data, err)
	}
	_, err = ReadAll(bytes.NewReader(make([]byte, 5)), 4)
	var se *SizeError
	if !errors.As(err, &se) || se.Limit != 4 {
		t.Errorf("past the cap: %v, want a SizeError of 4", err)
	}
}
