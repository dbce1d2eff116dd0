package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
	"github.com/wikifeed/wikifeed/render"
)

// TestHostileContent opens every entry of the hostile feeds in the
// rendered, diff and source views: the content pane, styled, holds only
// the renderer's own escapes (render.UnsafeOutput).
func TestHostileContent(t *testing.T) {
	paths, err := filepath.Glob("../testdata/hostile/*.atom")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hostile feeds: %v", err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := feed.Parse(f, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		hs := newHarness(t, feedOf(fd), 120, 40)
		for i := range fd.Revisions {
			if i > 0 {
				hs.keys("j")
			}
			for _, k := range []string{"enter", "d", "s", "r"} {
				hs.keys(k)
				screen := hs.m.View().Content
				if !strings.Contains(screen, "\x1b[") {
					t.Fatalf("%s: the screen is not styled, so the check would prove nothing", filepath.Base(p))
				}
				if bad := render.UnsafeOutput(screen, true); bad != "" {
					t.Errorf("%s entry %d after %q: %s", filepath.Base(p), i+1, k, bad)
				}
			}
			hs.keys("esc")
		}
	}
}
