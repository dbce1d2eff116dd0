package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/internal/parsewiki"
)

// TestShowWikiRendering runs the shared table of renderings through
// 'wikifeed show --wiki-rendering': plain, then in colour and Markdown,
// never an escape from the wiki's answer.
func TestShowWikiRendering(t *testing.T) {
	for _, c := range parsewiki.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := parsewiki.Serve(t)
			if c.Offline {
				w.GoOffline()
			}
			args := []string{"show", "--rev", strconv.FormatInt(c.Rev, 10), "--wiki-rendering", w.FeedURL}
			code, out, errs := runArgs(t, "", append(args, "--format", "plain")...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			c.Check(t, out, w)
			parsewiki.CheckSafe(t, out, false)
			parsewiki.CheckSafe(t, errs, false)
			for _, more := range [][]string{{"--format", "ansi", "--color", "always"}, {"--format", "markdown"}} {
				code, out, errs := runArgs(t, "", append(args, more...)...)
				if code != exitOK {
					t.Fatalf("%v: exit %d: %s", more, code, errs)
				}
				parsewiki.CheckSafe(t, out, more[1] == "ansi")
			}
		})
	}
}

// TestShowWikiRenderingStore: two wikifeed processes on one store ask the
// wiki once; --no-store and WIKIFEED_NO_STORE keep no store and ask each
// time, and still show the wiki's rendering.
func TestShowWikiRenderingStore(t *testing.T) {
	w := parsewiki.Serve(t)
	data := t.TempDir()
	process := func(env ...string) string {
		t.Helper()
		cmd := exec.Command(os.Args[0], "show", "--rev", "960", "--wiki-rendering", "--format", "plain", w.FeedURL)
		cmd.Env = append(os.Environ(), asMainEnv+"=1", "XDG_DATA_HOME="+data, "XDG_CACHE_HOME="+t.TempDir(),
			"XDG_CONFIG_HOME="+t.TempDir(), noStoreEnv+"=")
		cmd.Env = append(cmd.Env, env...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%v: %s", err, stderr.String())
		}
		return string(out)
	}
	first := process()
	second := process()
	if n := w.Parses(); n != 1 {
		t.Errorf("two processes asked the wiki %d times, want 1", n)
	}
	if first != second || !strings.Contains(second, "M3 heavy fighter") {
		t.Errorf("the stored rendering differs:\n%s\n---\n%s", first, second)
	}
	if code, out, errs := runStored(t, data, "store"); code != exitOK || !strings.Contains(out, "wiki renderings: 1\n") {
		t.Errorf("store: exit %d, %q, %q", code, out, errs)
	}
	empty := t.TempDir()
	data = empty
	for i, env := range [][]string{{noStoreEnv + "=1"}, nil} {
		var out string
		if env == nil {
			code, o, errs := runStored(t, empty, "show", "--rev", "960", "--wiki-rendering", "--no-store", w.FeedURL)
			if code != exitOK {
				t.Fatalf("--no-store: exit %d: %s", code, errs)
			}
			out = o
		} else {
			out = process(env...)
		}
		if !strings.Contains(out, "M3 heavy fighter") {
			t.Errorf("without a store:\n%s", out)
		}
		if n := w.Parses(); n != 2+i {
			t.Errorf("without a store the wiki was asked %d times in all, want %d", n, 2+i)
		}
	}
	if _, err := os.Stat(filepath.Join(empty, "wikifeed", "wikifeed.db")); err == nil {
		t.Error("--no-store or WIKIFEED_NO_STORE made a store")
	}
}

// TestShowWikiRenderingFlags: the flag's usage error, and its completion.
func TestShowWikiRenderingFlags(t *testing.T) {
	code, _, errs := runArgs(t, "", "show", "--wiki-rendering", "--format", "source", sampleFeed)
	if code != exitUsage || !strings.Contains(errs, "--wiki-rendering cannot go with --format source") {
		t.Errorf("with --format source: exit %d, %q", code, errs)
	}
	code, out, _ := runArgs(t, "", "__complete", "show", "--wiki-r")
	if code != exitOK || !strings.Contains(out, "--wiki-rendering") {
		t.Errorf("completion: exit %d, %q", code, out)
	}
}
