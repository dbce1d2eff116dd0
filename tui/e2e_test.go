package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// The end-to-end test builds the wikifeed binary, runs it in tmux at 80×24
// and 140×40 on the sample and on real feeds, sends keys and polls the
// captured pane until the expected text shows, as fzf's test suite does.

// e2eTimeout is how long one expectation may take to show.
const e2eTimeout = 20 * time.Second

// tmuxSession is one tmux session running the binary.
type tmuxSession struct {
	t    *testing.T
	name string
}

func needTmux(t *testing.T) {
	testwiki.NeedTool(t, "tmux", "apt-get install tmux")
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
	return startTmuxConfig(t, w, h, "", argv...)
}

// startTmuxConfig is startTmux with config as the user's config file
// ("" for none). The pane's title is "before" when the binary starts.
func startTmuxConfig(t *testing.T, w, h int, config string, argv ...string) *tmuxSession {
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
	if config != "" {
		if err := os.MkdirAll(filepath.Join(dir, "wikifeed"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "wikifeed", "config.toml"), []byte(config), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := fmt.Sprintf("printf '\\033]2;before\\033\\\\'; env XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color %s; echo EXITED $?; sleep 60", dir, dir, dir, strings.Join(quoted, " "))
	s.tmux("new-session", "-d", "-s", name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmd)
	// Each session has a tmux server of its own (-L): one session ending
	// its server never races another starting.
	t.Cleanup(func() { exec.Command("tmux", "-L", name, "kill-server").Run() }) //nolint:errcheck // best effort
	return s
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.name}, args...)...).CombinedOutput()
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

// display asks tmux for a pane's format variable ("#{alternate_on}").
func (s *tmuxSession) display(format string) string {
	s.t.Helper()
	return strings.TrimSpace(s.tmux("display-message", "-p", "-t", s.name, format))
}

// programPID is the pid of the program the pane's shell runs.
func (s *tmuxSession) programPID() int {
	s.t.Helper()
	shell := s.display("#{pane_pid}")
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces.
		rest := string(b[strings.LastIndexByte(string(b), ')')+1:])
		f := strings.Fields(rest)
		if len(f) > 1 && f[1] == shell {
			var pid int
			fmt.Sscan(filepath.Base(filepath.Dir(st)), &pid) //nolint:errcheck // a number from the path
			return pid
		}
	}
	s.t.Fatalf("no child of the pane's shell %s", shell)
	return 0
}

// TestEndToEndDaily runs each flow of issue 11 in tmux: search
// highlights, n/N from the screen, the filter's counts, t keeping the
// selection, the list's width and skipped page rows, key hints, SIGHUP and
// the window title, bad [keys], the help.
func TestEndToEndDaily(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped with -short")
	}
	needTmux(t)
	bin := buildBinary(t)
	t.Run("search highlights, esc from the list", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("Dave Hansen")
		s.send("j", "j", "C-f", "H", "P", "Enter")
		s.expect("match 1 of 2")
		s.send("k", "k", "C-f", "H", "P", "Enter")
		s.expect("match 1 of 6")
		colours := s.tmux("capture-pane", "-p", "-e", "-t", s.name)
		// The current match on the accent, the others on amber (tmux
		// writes the 256 colours back as it got them).
		if !strings.Contains(colours, "48;5;69mHP") || strings.Count(colours, "48;5;179mHP") < 3 {
			t.Fatalf("matches not highlighted:\n%q", colours)
		}
		s.send("Escape")
		c := s.expect("1/8 · line")
		if strings.Contains(c, "match 1 of") {
			t.Fatalf("esc in the list left the search:\n%s", c)
		}
	})
	t.Run("--skip-headers moves between revisions only", func(t *testing.T) {
		// The sample's rows: page, revision, page, five revisions.
		s := startTmux(t, 140, 30, bin, "--skip-headers")
		s.expect("2/8 · line")
		s.send("j")
		s.expect("4/8 · line")
		s.send("q")
		s.expect("EXITED 0")
	})
	t.Run("n and N from the screen", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("Dave Hansen")
		s.send("Tab", "C-f", "H", "P", "Enter", "n", "n")
		s.expect("match 3 of 6")
		// At the bottom no match is below the top of the screen: n wraps to
		// the first, N goes to the last above it.
		s.send("G", "n")
		s.expect("match 1 of 6")
		s.send("G", "N")
		s.expect("match 6 of 6")
		s.send("q")
		s.expect("EXITED 0")
	})
	t.Run("filter counts and content", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("Dave Hansen")
		s.send("/", "S", "e", "e", " ", "a", "l", "s", "o")
		c := s.expect("Containers/Mini-summit 2008 (2 of 5 revisions)", "#6199")
		if strings.Contains(c, "(5 revisions)") || strings.Contains(c, "notes (1 revision)") {
			t.Fatalf("the filter left a page row's count:\n%s", c)
		}
		s.send("Enter", "/", "z", "z", "z")
		s.expect("No revision matches the filter.")
		s.send("Escape")
		s.expect("(5 revisions)", "notes (1 revision)")
	})
	t.Run("t keeps the selection", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("Dave Hansen")
		s.send("j", "j")
		s.expect("3/8", "#6200")
		s.send("t")
		// #6200 is the second row of the flat list.
		s.expect("2/6", "#6200")
		s.send("t")
		s.expect("4/8", "#6200")
	})
	t.Run("list width, skipped page rows", func(t *testing.T) {
		s := startTmuxConfig(t, 200, 30, "skip_headers = true\n", bin)
		c := s.expect("Dave Hansen", "2/8")
		line := strings.Split(c, "\n")[2]
		if i := strings.Index(line, "│"); ansiWidth(line[:i]) != 80 {
			t.Fatalf("the list is %d columns wide at 200, want 80:\n%s", ansiWidth(line[:i]), c)
		}
		s.send("j")
		s.expect("4/8")
		s.send("j", "j", "j", "j", "j")
		s.expect("8/8")
		s.send("H", "k")
		s.expect("7/8")
	})
	t.Run("key hints shrink", func(t *testing.T) {
		s := startTmux(t, 100, 24, bin)
		s.expect("Dave Hansen")
		s.send("Tab", "G")
		c := s.expect("1/8 · line")
		if !strings.Contains(c, "? help • q quit") {
			t.Fatalf("the hints went:\n%s", c)
		}
		s.tmux("resize-window", "-t", s.name, "-x", "40", "-y", "12")
		s.expect("? help")
	})
	t.Run("SIGHUP restores the terminal and the title", func(t *testing.T) {
		s := startTmux(t, 100, 24, bin)
		s.expect("Dave Hansen")
		if got := s.display("#{alternate_on}#{mouse_button_flag}"); got != "11" {
			t.Fatalf("alternate screen and mouse: %q, want 11", got)
		}
		if got := s.display("#{pane_title}"); !strings.HasPrefix(got, "wikifeed: OpenVZ") {
			t.Fatalf("title while running: %q", got)
		}
		pid := s.programPID()
		if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		s.expect("EXITED")
		if got := s.display("#{alternate_on}#{mouse_button_flag}#{mouse_any_flag}#{cursor_flag}"); got != "0001" {
			t.Fatalf("after SIGHUP alternate screen, mouse, cursor: %q, want 0001", got)
		}
		if got := s.display("#{pane_title}"); got != "before" {
			t.Fatalf("title after: %q, want before", got)
		}
	})
	t.Run("q restores the title", func(t *testing.T) {
		s := startTmux(t, 100, 24, bin)
		s.expect("Dave Hansen")
		s.send("q")
		s.expect("EXITED 0")
		if got := s.display("#{pane_title}"); got != "before" {
			t.Fatalf("title after q: %q, want before", got)
		}
	})
	t.Run("bad keys", func(t *testing.T) {
		s := startTmuxConfig(t, 120, 10, "style = \"dark\"\n\n[keys]\ndown = [\"q\"]\n", bin)
		s.expect(`config.toml:4: down: "q" is also the key of quit`, "EXITED 2")
		s = startTmuxConfig(t, 120, 10, "[keys]\nup = 3\n", bin)
		c := s.expect(`config.toml:2: up: want a list of keys`, "EXITED 2")
		if strings.Contains(c, "incompatible") {
			t.Fatalf("the decoder's words:\n%s", c)
		}
	})
	t.Run("help lists every key", func(t *testing.T) {
		s := startTmux(t, 140, 40, bin)
		s.expect("Dave Hansen")
		s.send("?")
		s.expect("pgdn/space/f", "esc/bksp", "g/home", "ctrl+c", "quit at once", "wheel", "click", "H ")
	})
}

// ansiWidth is the cell width of captured text.
func ansiWidth(s string) int { return len([]rune(s)) }
