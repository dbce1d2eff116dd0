package tui

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLocalReadsBounded checks the files the UI reads itself cannot fill
// memory: a seen-file or a config file linked to /dev/zero is read up to
// its cap, then given up (the seen-file as unknown, the config with a
// clear error), at once.
func TestLocalReadsBounded(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if seen := readSeen(zero); seen != nil {
		t.Errorf("a seen-file of zeros read as %d keys", len(seen))
	}
	_, err := LoadConfig(zero, false)
	if err == nil || err.Error() != "config "+zero+": larger than the 1 MiB cap" {
		t.Errorf("config: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}
