package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// asMainEnv makes the test binary run as wikifeed itself (see TestMain),
// so that a test can start it on a pseudo-terminal of its own.
const asMainEnv = "WIKIFEED_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// answerer plays a terminal on a pseudo-terminal's master side: it reads
// what the program writes and, when it sees a query, sends reply.
type answerer struct {
	mu  sync.Mutex
	out bytes.Buffer
}

func (a *answerer) serve(master *os.File, reply string) {
	buf := make([]byte, 4096)
	for {
		n, err := master.Read(buf)
		a.mu.Lock()
		a.out.Write(buf[:n])
		asked := reply != "" && strings.Contains(a.out.String(), queryDA1)
		a.mu.Unlock()
		if asked {
			master.WriteString(reply)
			reply = ""
		}
		if err != nil {
			return
		}
	}
}

// finish waits until serve has read all the child wrote, which it does
// until the pty says the child's side is closed, then closes master.
// Closing master as soon as the child exits could drop output still
// buffered in the pty (it did, on a loaded machine). After 2 s it closes
// master anyway.
func finish(master *os.File, done <-chan struct{}) {
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	master.Close()
	<-done
}

func (a *answerer) String() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.out.String()
}

// TestQueryBackground asks a pseudo-terminal that answers dark, light,
// only DA1, or nothing at all, and checks the answer and the time taken.
func TestQueryBackground(t *testing.T) {
	for _, c := range []struct {
		name           string
		reply          string
		dark, answered bool
		// most is the longest the query may take.
		most time.Duration
	}{
		{"light, ended by ST", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", false, true, backgroundTimeout},
		{"dark, ended by BEL", "\x1b]11;rgb:1e1e/1e1e/2e2e\a\x1b[?1;2c", true, true, backgroundTimeout},
		{"two hex digits", "\x1b]11;rgb:fd/f6/e3\a\x1b[?1;2c", false, true, backgroundTimeout},
		{"no OSC 11, only DA1", "\x1b[?1;2c", true, false, backgroundTimeout},
		{"no answer at all", "", true, false, 3 * backgroundTimeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer master.Close()
			defer tty.Close()
			var a answerer
			go a.serve(master, c.reply)
			start := time.Now()
			dark, answered := queryBackgroundOn(tty, backgroundTimeout)
			took := time.Since(start)
			if dark != c.dark || answered != c.answered {
				t.Errorf("dark %v answered %v, want %v %v", dark, answered, c.dark, c.answered)
			}
			if took > c.most {
				t.Errorf("took %v, want at most %v", took, c.most)
			}
			t.Logf("took %v", took)
		})
	}
}

// TestNoStall runs wikifeed as a whole process on a pseudo-terminal that
// never answers a query (as script(1)'s and the Linux console's do not)
// and checks that no command waits for it. Before, show and diff waited
// 4 s (2 s on stdin, 2 s on stdout) for the background colour.
func TestNoStall(t *testing.T) {
	for _, c := range []struct {
		name string
		term string
		args []string
		// want is in the output: coloured text where colour is expected.
		want string
	}{
		{"show", "xterm-256color", []string{"show", sampleFeed}, "\x1b["},
		{"diff", "xterm-256color", []string{"diff", sampleFeed}, "\x1b["},
		{"show on the Linux console", "linux", []string{"show", sampleFeed}, "\x1b["},
		{"show, TERM=dumb", "dumb", []string{"show", sampleFeed}, "Containers/Mini-summit 2008 notes"},
		{"help", "xterm-256color", []string{"--help"}, "USAGE"},
		{"a usage error", "xterm-256color", []string{"lsit"}, "did you mean list?"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], c.args...)
			cmd.Env = append(os.Environ(), asMainEnv+"=1", "TERM="+c.term, "COLUMNS=", "NO_COLOR=", "COLORFGBG=", "GLAMOUR_STYLE=", "XDG_CACHE_HOME="+t.TempDir())
			start := time.Now()
			master, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 100})
			if err != nil {
				t.Fatal(err)
			}
			defer master.Close()
			var a answerer
			done := make(chan struct{})
			go func() { a.serve(master, ""); close(done) }()
			err = cmd.Wait()
			took := time.Since(start)
			finish(master, done)
			if c.args[0] != "lsit" && err != nil {
				t.Errorf("%v: %v\n%s", c.args, err, a.String())
			}
			// A whole process on a machine that may be loaded: under the
			// 4 s of old. (The query's own bound, 100 ms, is checked by
			// TestQueryBackground.)
			if took > 3*time.Second {
				t.Errorf("took %v", took)
			}
			if !strings.Contains(a.String(), c.want) {
				t.Errorf("output lacks %q:\n%q", c.want, a.String()[:min(len(a.String()), 300)])
			}
			if c.term == "dumb" && strings.Contains(a.String(), "\x1b") {
				t.Errorf("TERM=dumb: escapes in the output (a query or colour):\n%q", a.String()[:min(len(a.String()), 300)])
			}
			t.Logf("took %v", took)
		})
	}
}
