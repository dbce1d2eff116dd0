package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeBrowser writes a browser script that writes each of its arguments
// on its own line into the file out.
func fakeBrowser(t *testing.T) (script, out string) {
	t.Helper()
	dir := t.TempDir()
	out = filepath.Join(dir, "args")
	script = filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return script, out
}

// browserArgs waits for the fake browser's arguments.
func browserArgs(t *testing.T, out string) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(out)
		if err == nil && strings.HasSuffix(string(b), "\n") {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatal("the browser never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestOpenWithBrowser runs $BROWSER with the URL as one argument: no shell
// ever reads it, so its quotes and semicolons stay text.
func TestOpenWithBrowser(t *testing.T) {
	script, out := fakeBrowser(t)
	url := "https://wiki.test/index.php?title=A;touch%20x&diff=1'$(id)\""
	env := map[string]string{"BROWSER": script + " --new-tab:firefox"}
	open := openWithBrowser(func(k string) string { return env[k] })
	if err := open(url); err != nil {
		t.Fatal(err)
	}
	if got, want := browserArgs(t, out), "--new-tab\n"+url+"\n"; got != want {
		t.Fatalf("browser got %q, want %q", got, want)
	}
	if err := open("javascript:alert(1)"); err == nil {
		t.Fatal("a non-web URL was opened")
	}
}
