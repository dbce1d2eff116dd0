package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWrite checks a write creates the directory, replaces an old file
// whole, sets the mode and leaves no temporary file behind.
func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "f")
	for _, data := range []string{"first, longer", "second"} {
		if err := Write(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Errorf("read %q, %v; want %q", got, err, data)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want 1", len(entries))
	}
	if err := Write(filepath.Join(path, "x"), nil, 0o600); err == nil {
		t.Errorf("writing under a file succeeded")
	}
}
