// Package atomicfile writes a file whole or not at all: the data goes to a
// temporary file beside the target, which is synced and renamed over it,
// so a reader (or a crash) never sees half a file.
//
//	err := atomicfile.Write(path, data, 0o600)
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path through a temporary file in the same
// directory, creating the directory (mode 0700) if needed. perm is the
// file's mode.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) //nolint:errcheck // gone after the rename
	// On a failed write, chmod or sync that error is the one to report;
	// closing then only frees the descriptor of a file that is removed.
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}
