package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOpenWithBrowser runs $BROWSER with the URL as one argument: no shell
// ever reads it, so its quotes and semicolons stay text.
func TestOpenWithBrowser(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := filepath.Join(dir, "browser")
	// The fake browser writes each argument on its own line.
	if err := os.WriteFile(script, []byte("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > "+out+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	url := "https://wiki.test/index.php?title=A;touch%20x&diff=1'$(id)\""
	env := map[string]string{"BROWSER": script + " --new-tab:firefox"}
	open := openWithBrowser(func(k string) string { return env[k] })
	if err := open(url); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, err := os.ReadFile(out)
		if err == nil && strings.HasSuffix(string(b), "\n") {
			if got, want := string(b), "--new-tab\n"+url+"\n"; got != want {
				t.Fatalf("browser got %q, want %q", got, want)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the browser never ran")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := open("javascript:alert(1)"); err == nil {
		t.Fatal("a non-web URL was opened")
	}
}
