package store

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests below run this test binary again as a child process that
// writes to a store: childEnv names what it does and where.
const childEnv = "WIKIFEED_STORE_CHILD"

// perLoad is how many revisions each child load writes.
const perLoad = 40

// childLoad is load number n of child c: perLoad real revisions with IDs of
// their own, and a response whose body names its ETag.
func childLoad(t testing.TB, c, n int) Load {
	h := historyRevisions(t)
	revs := make([]Revision, perLoad)
	for j := range revs {
		r := h[(n*perLoad+j)%len(h)]
		r.ID = int64(c*10_000_000 + n*1000 + j + 1)
		r.ParentID = 0
		revs[j] = r
	}
	tag := fmt.Sprintf("child-%d-load-%d", c, n)
	return Load{
		Source: "https://de.wiktionary.org/w/api.php?action=feedrecentchanges", Kind: SourceURL,
		Response:  &Response{URL: "https://de.wiktionary.org/w/api.php?action=feedrecentchanges", ETag: tag, Body: []byte(strings.Repeat(tag+"\n", 500))},
		Revisions: revs,
	}
}

// TestChild is the child's body; it does nothing in a normal run.
func TestChild(t *testing.T) {
	spec := os.Getenv(childEnv)
	if spec == "" {
		t.Skip("run by TestKill9 and TestTwoProcesses")
	}
	mode, rest, _ := strings.Cut(spec, ":")
	cs, path, _ := strings.Cut(rest, ":")
	c, _ := strconv.Atoi(cs)
	s, err := Open(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	loads := 1 << 30
	if mode == "loads" {
		loads = 15
	}
	for n := range loads {
		if _, err := s.SaveLoad(ctx, childLoad(t, c, n)); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("committed", n)
	}
	s.Close()
	os.Exit(0)
}

// child starts the test binary as a child.
func child(t *testing.T, spec string) (*exec.Cmd, *bufio.Scanner) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+spec)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// countLoad counts the stored revisions of child c's load n.
func countLoad(t *testing.T, s *Store, c, n int) int {
	var k int
	lo := c*10_000_000 + n*1000
	if err := s.db.QueryRow(`SELECT count(*) FROM revisions WHERE rev_id > ? AND rev_id <= ?`, lo, lo+perLoad).Scan(&k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	for round := range 3 {
		cmd, out := child(t, fmt.Sprintf("loop:%d:%s", round, path))
		committed := -1
		for out.Scan() {
			line := out.Text()
			if strings.HasPrefix(line, "error") {
				t.Fatal(line)
			}
			if n, ok := strings.CutPrefix(line, "committed "); ok {
				committed, _ = strconv.Atoi(n)
			}
			if committed >= 5+round*3 {
				break
			}
		}
		// Let it get into the next write, then kill it with no warning.
		time.Sleep(time.Duration(1+round*2) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if committed < 0 {
			t.Fatal("the child committed nothing")
		}
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("reopen after kill -9: %v", err)
		}
		integrity(t, s)
		for n := 0; n <= committed; n++ {
			if k := countLoad(t, s, round, n); k != perLoad {
				t.Errorf("round %d: committed load %d has %d of %d revisions", round, n, k, perLoad)
			}
		}
		// The load it was killed in is all there or not at all.
		if k := countLoad(t, s, round, committed+1); k != 0 && k != perLoad {
			t.Errorf("round %d: the killed load left %d of %d revisions", round, k, perLoad)
		}
		c, err := s.Cached(ctx, childLoad(t, 0, 0).Response.URL)
		if err != nil || c == nil || !strings.HasPrefix(string(c.Body), c.ETag+"\n") {
			t.Errorf("round %d: cached body does not go with its ETag: %v %v", round, c, err)
		}
		s.Close()
	}
}

func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	// Both start on a file that does not exist yet, so they also race to
	// create the schema.
	path := filepath.Join(t.TempDir(), "wikifeed.db")
	type result struct {
		lines []string
		err   error
	}
	done := make(chan result, 2)
	for c := range 2 {
		cmd, out := child(t, fmt.Sprintf("loads:%d:%s", c, path))
		go func() {
			var r result
			for out.Scan() {
				r.lines = append(r.lines, out.Text())
			}
			r.err = cmd.Wait()
			done <- r
		}()
	}
	for range 2 {
		r := <-done
		if r.err != nil || len(r.lines) != 15 {
			t.Errorf("child: %v, output %q", r.err, r.lines)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	integrity(t, s)
	for c := range 2 {
		for n := range 15 {
			if k := countLoad(t, s, c, n); k != perLoad {
				t.Errorf("child %d load %d: %d of %d revisions", c, n, k, perLoad)
			}
		}
	}
	url := childLoad(t, 0, 0).Response.URL
	if c, err := s.Cached(ctx, url); err != nil || c == nil || !strings.HasPrefix(string(c.Body), c.ETag+"\n") {
		t.Errorf("cached body does not go with its ETag: %v %v", c, err)
	}
}

func TestCorruptFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s, err := Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	mustSave(t, s, Load{Source: src, Kind: SourceURL, Revisions: historyRevisions(t)})
	s.Close()
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	garbage := make([]byte, 8192)
	for i := range garbage {
		garbage[i] = byte(i*7 + i/13)
	}
	mangled := append([]byte(nil), whole...)
	for i := 4096 * 2; i < len(mangled); i += 3 {
		mangled[i] ^= 0x5a
	}
	for name, content := range map[string][]byte{
		"garbage":             garbage,
		"text":                []byte("not a database at all\n"),
		"truncated":           whole[:len(whole)/2],
		"header only":         whole[:100],
		"damaged pages":       mangled,
		"short":               whole[:10],
		"garbage after magic": append(append([]byte(nil), sqliteMagic...), garbage...),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			before := sha256.Sum256(content)
			s, err := Open(ctx, path)
			if err == nil {
				// Damage past the schema shows when it is read.
				_, err = s.List(ctx, Query{Content: true})
				if err == nil {
					_, err = s.Search(ctx, "Hallo", nil, 0)
				}
				s.Close()
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.Contains(msg, path) || !strings.Contains(msg, "move it away") || strings.Contains(msg, "\n") {
				t.Errorf("error %q: want one line naming %s and what to do", msg, path)
			}
			after, _ := os.ReadFile(path)
			if sha256.Sum256(after) != before {
				t.Error("the file was changed")
			}
		})
	}
	// A directory, or a file that cannot be read, is an error too.
	if _, err := Open(ctx, dir); err == nil || !strings.Contains(err.Error(), dir) {
		t.Errorf("directory: %v", err)
	}
}
