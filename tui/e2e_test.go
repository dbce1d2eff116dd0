package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The end-to-end test builds the wikifeed binary, runs it in tmux at 80×24
// and 140×40 on the sample and on real feeds, sends keys and polls the
// captured pane until the expected text shows, as fzf's test suite does.

// e2eTimeout is how long one expectation may take to show.
const e2eTimeout = 10 * time.Second

// tmuxSession is one tmux session running the binary.
type tmuxSession struct {
	t    *testing.T
	name string
}

func needTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed (CI installs it: apt-get install tmux)")
		}
		t.Skip("tmux is not installed; install it (apt-get install tmux) to run the end-to-end test")
	}
}

// buildBinary builds cmd/wikifeed into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "wikifeed")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/wikifeed").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startTmux runs argv in a detached w×h tmux session.
func startTmux(t *testing.T, w, h int, argv ...string) *tmuxSession {
	t.Helper()
	name := fmt.Sprintf("wikifeed-e2e-%d-%d", os.Getpid(), time.Now().UnixNano())
	s := &tmuxSession{t: t, name: name}
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	// The XDG directories point at an empty one so that the user's config,
	// cache and state play no part.
	dir := t.TempDir()
	cmd := fmt.Sprintf("env XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color %s; echo EXITED $?; sleep 60", dir, dir, dir, strings.Join(quoted, " "))
	s.tmux("new-session", "-d", "-s", name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmd)
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", name).Run() }) //nolint:errcheck // best effort
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// send sends tmux key names ("j", "Enter", "Escape", "C-f").
func (s *tmuxSession) send(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", s.name, k)
		// A lone escape must not run into the next key, or the program
		// reads the pair as alt+key.
		if k == "Escape" {
			time.Sleep(300 * time.Millisecond)
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (s *tmuxSession) capture() string {
	return s.tmux("capture-pane", "-p", "-t", s.name)
}

// expect polls the pane until it shows every string.
func (s *tmuxSession) expect(want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(e2eTimeout)
	for {
		c := s.capture()
		ok := true
		for _, w := range want {
			if !strings.Contains(c, w) {
				ok = false
			}
		}
		if ok {
			return c
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("pane never showed %q:\n%s", want, c)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	needTmux(t)
	bin := buildBinary(t)
	feeds := filepath.Join("..", "testdata", "feeds")
	abs := func(name string) string {
		p, err := filepath.Abs(filepath.Join(feeds, name))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("sample 140x40", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("sample feed", "2 pages · 6 revisions", "rendered │ diff │ source", "Dave Hansen")
		s.send("j", "j", "j", "j", "d")
		s.expect("#6199", "── Line", "1 change")
		s.send("Tab", "n")
		s.expect("change 1 of 1")
		s.send("[")
		s.expect("#6198")
		s.send("?")
		s.expect("closes this", "open in browser")
		s.send("Escape", "C-f", "H", "P", "Enter")
		s.expect("match 1 of")
		// Narrower than 100 columns: one pane at a time.
		s.tmux("resize-window", "-t", s.name, "-x", "80", "-y", "24")
		s.send("n")
		c := s.expect("match 2 of")
		if strings.Contains(c, "(5 revisions)") {
			t.Fatalf("the list still shows beside the content at 80 columns:\n%s", c)
		}
		s.send("Escape", "Escape")
		s.expect("(5 revisions)")
		s.send("q")
		s.expect("EXITED 0")
	})
	t.Run("sample 80x24", func(t *testing.T) {
		s := startTmux(t, 80, 24, bin)
		c := s.expect("Containers/Mini-summit 2008 (5 revisions)")
		if strings.Contains(c, "rendered │ diff") {
			t.Fatalf("the narrow layout shows both panes:\n%s", c)
		}
		s.send("j", "Enter")
		s.expect("rendered │ diff │ source", "#6226")
		s.send("Escape", "/", "S", "e", "e", " ", "a", "l", "s", "o", "Enter")
		s.expect("filter: See also", "/* See also */")
		s.send("C-c")
		s.expect("EXITED 0")
	})
	t.Run("real feeds 140x40", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin, abs("mediawiki-1.15.3-x3wiki-recentchanges.rss"), abs("wikidata-1.26wmf7-recentchanges.rss"))
		s.expect("revisions", "X3 Wiki")
		s.send("j", "d")
		s.expect("│ rendered │ diff │ source")
		s.send("t", "G")
		s.expect("/")
		s.send("q")
		s.expect("EXITED 0")
	})
	t.Run("real feed 80x24 and a failing source", func(t *testing.T) {
		s := startTmux(t, 80, 24, bin, abs("openvz-dlezcano-contributions.atom"), abs("no-such-feed.atom"))
		s.expect("no-such-feed.atom", "Mini-summit")
		s.send("j", "Enter", "d")
		s.expect("rendered │ diff │ source")
		s.send("q")
		s.expect("EXITED 0")
	})
	t.Run("window too small", func(t *testing.T) {
		s := startTmux(t, 18, 5, bin)
		s.expect("too small")
		s.send("q")
		s.expect("EXITED 0")
	})
}
