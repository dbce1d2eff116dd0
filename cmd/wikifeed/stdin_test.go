package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// TestStdinTerminal checks that "-" with a terminal on standard input is
// refused at once, in one line, by the TUI and by list, where before the
// TUI hung on "loading the feed…" and list waited in silence.
func TestStdinTerminal(t *testing.T) {
	for _, args := range [][]string{{"-"}, {"list", "-"}, {"show", "-"}, {"diff", sampleFeed, "-"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], args...)
			cmd.Env = append(os.Environ(), asMainEnv+"=1", "TERM=xterm-256color", "XDG_CACHE_HOME="+t.TempDir())
			start := time.Now()
			master, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 200})
			if err != nil {
				t.Fatal(err)
			}
			defer master.Close()
			var a answerer
			done := make(chan struct{})
			go func() { a.serve(master, ""); close(done) }()
			timer := time.AfterFunc(5*time.Second, func() { cmd.Process.Kill() }) //nolint:errcheck // best effort
			err = cmd.Wait()
			timer.Stop()
			took := time.Since(start)
			finish(master, done)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitUsage {
				t.Errorf("exit: %v, want status %d\n%q", err, exitUsage, a.String())
			}
			out := strings.TrimSpace(a.String())
			if !strings.Contains(out, `"-" reads a feed from standard input, which is a terminal`) || strings.Count(out, "\n") != 0 {
				t.Errorf("want one line refusing -, got:\n%q", out)
			}
			if took > time.Second {
				t.Errorf("took %v", took)
			}
		})
	}
}

// pane is a tmux session running a shell command line.
type pane struct {
	t    *testing.T
	name string
}

// startPane runs line with sh in a detached tmux session of w×h cells;
// "echo EXITED $?" follows it.
func startPane(t *testing.T, w, h int, line string) *pane {
	t.Helper()
	testwiki.NeedTool(t, "tmux", "apt-get install tmux")
	p := &pane{t: t, name: fmt.Sprintf("wikifeed-cmd-%d-%d", os.Getpid(), time.Now().UnixNano())}
	dir := t.TempDir()
	// Exported, so that every command of a pipeline gets them.
	full := fmt.Sprintf("export %s=1 XDG_CONFIG_HOME=%s XDG_CACHE_HOME=%s XDG_STATE_HOME=%s TERM=xterm-256color; %s; echo EXITED $?; sleep 60",
		asMainEnv, dir, dir, dir, line)
	p.tmux("new-session", "-d", "-s", p.name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), full)
	// Each session has a tmux server of its own (-L): one session ending
	// its server never races another starting.
	t.Cleanup(func() { exec.Command("tmux", "-L", p.name, "kill-server").Run() }) //nolint:errcheck // best effort
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.name}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// waitFor polls the pane until it shows every one of want.
func (p *pane) waitFor(want ...string) string {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		screen := p.tmux("capture-pane", "-p", "-t", p.name)
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the pane never showed %q:\n%s", missing, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestTUIKeysFromTTY runs 'cat feed | wikifeed' in a tmux pane: the feed
// comes through the pipe, the keys from the terminal (/dev/tty).
func TestTUIKeysFromTTY(t *testing.T) {
	feedPath, err := filepath.Abs(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	p := startPane(t, 120, 30, "cat "+shellQuote(feedPath)+" | "+shellQuote(os.Args[0])+" -")
	p.waitFor("Containers/Mini-summit 2008 notes", "6 revisions", "1/8 ·")
	// j moves to the next row: the status bar counts it.
	p.tmux("send-keys", "-t", p.name, "j")
	p.waitFor("2/8 ·")
	p.tmux("send-keys", "-t", p.name, "?")
	// Only the full help lists these.
	p.waitFor("half page down", "open in browser")
	p.tmux("send-keys", "-t", p.name, "Escape")
	time.Sleep(100 * time.Millisecond)
	p.tmux("send-keys", "-t", p.name, "q")
	p.waitFor("EXITED 0")
}

// TestTUINothingLoaded checks that the TUI exits 1 after "Nothing could
// be loaded", and says why on stderr once its screen is gone.
func TestTUINothingLoaded(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.atom")
	p := startPane(t, 100, 20, shellQuote(os.Args[0])+" "+shellQuote(missing))
	p.waitFor("Nothing could be loaded")
	p.tmux("send-keys", "-t", p.name, "q")
	screen := p.waitFor("EXITED 1")
	if !strings.Contains(screen, "wikifeed: "+missing+": no such file") {
		t.Errorf("no error line after the UI:\n%s", screen)
	}
}
