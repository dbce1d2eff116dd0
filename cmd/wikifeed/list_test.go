package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/feed"
)

const (
	sampleFeed = "../../testdata/feeds/openvz-dlezcano-contributions.atom"
	x3Feed     = "../../testdata/feeds/mediawiki-1.15.3-x3wiki-recentchanges.rss"
	emptyFeed  = "../../testdata/feeds/mediawiki-1.22.6-x3wiki-recentchanges-empty.atom"
	errorFeed  = "../../testdata/feeds/mediawiki-1.19.1-x3wiki-watchlist-error.rss"
)

// runArgs runs the program with args and stdin, returning the exit code,
// stdout and stderr. Stdout is a buffer, so never a terminal.
func runArgs(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestList(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		lines      int      // stdout lines; -1: do not check
		outHas     []string // each must be in stdout
		errHas     []string // each must be in stderr
		errLines   int      // stderr lines; -1: do not check
		noStdout   bool
		checkEmpty bool
	}{
		{
			name: "sample", args: []string{"list"}, code: 0, lines: 6,
			outHas: []string{"2008-07-18T09:05:16Z\tContainers/Mini-summit 2008\t6198\tDlezcano\t+712\t/* See also */\n"},
			errHas: []string{"sample feed"}, errLines: 1,
		},
		{name: "browse-piped-lists", args: []string{sampleFeed}, code: 0, lines: 6, errLines: 0},
		{
			name: "file", args: []string{"list", x3Feed}, code: 0, lines: 38, errLines: 0,
			outHas: []string{"2010-08-02T18:06:41Z\tPirate\tlog\tMadned\t\tmoved [[Pirate]] to [[Pirates]] pirates is the in-game faction name\n"},
		},
		{
			name: "flags-after-sources", args: []string{"list", sampleFeed, "--json"}, code: 0, lines: -1, errLines: 0,
			outHas: []string{`"kind": "wikitext"`},
		},
		{
			name: "two-sources-and-a-bad-one", args: []string{"list", sampleFeed, "missing.atom", x3Feed}, code: 1, lines: 44,
			errHas: []string{"wikifeed: missing.atom: no such file\n"}, errLines: 1,
		},
		{
			name: "only-bad", args: []string{"list", "missing.atom", "."}, code: 1, lines: 0,
			errHas: []string{"missing.atom: no such file", ".: is a directory"}, errLines: 2,
		},
		{name: "stdin", args: []string{"list", "-"}, stdin: string(sample), code: 0, lines: 6, errLines: 0},
		{name: "empty-stdin", args: []string{"list", "-"}, code: 1, lines: 0, errHas: []string{"standard input: empty file"}, errLines: 1},
		{name: "no-entries", args: []string{"list", emptyFeed}, code: 0, lines: 0, errHas: []string{"no entries"}, errLines: 1},
		{
			name: "wiki-error", args: []string{"list", errorFeed}, code: 1, lines: 0,
			errHas: []string{"the wiki answered with an error: wlnotloggedin: You must be logged-in to have a watchlist"}, errLines: 1,
		},
		{name: "help", args: []string{"list", "--help"}, code: 0, lines: -1, outHas: []string{"wikifeed list [SOURCE...]", "--json", "--wiki", "--max-bytes"}, errLines: 0},
		{name: "help-command", args: []string{"help", "list"}, code: 0, lines: -1, outHas: []string{"wikifeed list [SOURCE...]"}, errLines: 0},
		{
			name: "bad-flag", args: []string{"list", "--bogus"}, code: 2, lines: 0,
			errHas: []string{"wikifeed list: unknown flag: --bogus", "wikifeed list --help"}, errLines: 2,
		},
		{name: "bad-max-bytes", args: []string{"list", "--max-bytes", "lots"}, code: 2, lines: 0, errHas: []string{`bad size "lots"`}, errLines: 2},
		{name: "user-without-wiki", args: []string{"list", "--user", "Ann"}, code: 2, lines: 0, errHas: []string{"need --wiki"}, errLines: 1},
		{name: "wiki-without-what", args: []string{"list", "--wiki", "https://wiki.openvz.org"}, code: 2, lines: 0, errHas: []string{"--wiki needs one of"}, errLines: 1},
		{
			name: "print-url-user", args: []string{"list", "--wiki", "https://wiki.openvz.org", "--user", "Dlezcano", "--print-url"}, code: 0, lines: 1,
			outHas: []string{"https://wiki.openvz.org/api.php?action=feedcontributions&feedformat=atom&user=Dlezcano\n"}, errLines: 0,
		},
		{
			name: "print-url-recent-wikipedia", args: []string{"list", "--print-url", "--wiki", "en.wikipedia.org", "--recent"}, code: 0, lines: 1,
			outHas: []string{"https://en.wikipedia.org/w/api.php?action=feedrecentchanges&feedformat=atom\n"}, errLines: 0,
		},
		{
			name: "print-url-history", args: []string{"list", "--wiki", "https://wiki.unrealengine.com/index.php", "--history", "Version Notes", "--print-url"}, code: 0, lines: 1,
			outHas: []string{"https://wiki.unrealengine.com/index.php?action=history&feed=atom&title=Version_Notes\n"}, errLines: 0,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runArgs(t, c.stdin, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, c.code, errs)
			}
			if c.lines >= 0 && strings.Count(out, "\n") != c.lines {
				t.Errorf("%d stdout lines, want %d:\n%s", strings.Count(out, "\n"), c.lines, out)
			}
			for _, s := range c.outHas {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.errHas {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errs)
				}
			}
			if c.errLines >= 0 && strings.Count(errs, "\n") != c.errLines {
				t.Errorf("%d stderr lines, want %d:\n%s", strings.Count(errs, "\n"), c.errLines, errs)
			}
		})
	}
}

// TestListJSON checks the JSON is the model: every revision, with kinds
// by name, and sizes where known.
func TestListJSON(t *testing.T) {
	code, out, errs := runArgs(t, "", "list", "--json", sampleFeed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Title     string `json:"title"`
		Revisions []struct {
			Page          string `json:"page"`
			ID            int64  `json:"id"`
			Kind          string `json:"kind"`
			Text          string `json:"text"`
			SizeChange    int    `json:"sizeChange"`
			HasSizeChange bool   `json:"hasSizeChange"`
		} `json:"revisions"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out[:min(len(out), 500)])
	}
	if len(got.Revisions) != 6 || got.Revisions[1].ID != 6200 || got.Revisions[1].Kind != "wikitext" ||
		!got.Revisions[1].HasSizeChange || got.Revisions[1].SizeChange != 51 {
		t.Errorf("unexpected model: %+v", got.Revisions[:min(2, len(got.Revisions))])
	}
	if !strings.Contains(got.Revisions[1].Text, "'''When''': 22nd of July 2008<br/>\n") {
		t.Errorf("text lost its literal <br/>: %q", got.Revisions[1].Text[:200])
	}
}

// TestListUntrusted checks that escape and control characters in a feed
// never reach stdout or stderr, in any output mode.
func TestListUntrusted(t *testing.T) {
	// XML forbids ESC even as &#x1b;, so a feed smuggles it in escaped
	// twice (the HTML layer decodes it) or as a raw C1 control.
	evil := "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>T&amp;#x1b;]0;pwned&amp;#x7;</title>" +
		"<generator>MediaWiki 1.40</generator>" +
		"<item><title>Page&amp;#x1b;[31mRed\u009b2J</title><link>http://x/?title=P&amp;diff=5</link>" +
		"<description>&lt;p&gt;bad &amp;#x1b;[2J comment\u202e&lt;/p&gt;&lt;div&gt;&amp;#x1b;]8;;http://evil&amp;#x7;&lt;/div&gt;</description>" +
		"<pubDate>Tue, 01 Oct 2024 10:00:00 GMT</pubDate><author>Eve&amp;#x1b;[0m</author></item></channel></rss>"
	dir := t.TempDir()
	path := filepath.Join(dir, "evil.rss")
	if err := os.WriteFile(path, []byte(evil), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"list", path}, {"list", "--json", path}, {"list", "-", "--json"}} {
		code, out, errs := runArgs(t, evil, args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
		for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
			if strings.Contains(out, bad) || strings.Contains(errs, bad) {
				t.Errorf("%v: output holds %q:\n%q\n%q", args, bad, out, errs)
			}
		}
		if !strings.Contains(out, "Red") {
			t.Errorf("%v: the page title's text was lost: %q", args, out)
		}
	}
}

// TestParseInterspersed checks that flags and sources come in any order,
// that "--" ends the flags and that "-" is a source.
func TestParseInterspersed(t *testing.T) {
	cases := []struct {
		args []string
		pos  string
		json bool
	}{
		{[]string{"a", "--json", "b"}, "a b", true},
		{[]string{"--json", "a", "-", "b"}, "a - b", true},
		{[]string{"a", "--", "--json"}, "a --json", false},
		{[]string{}, "", false},
	}
	for _, c := range cases {
		root := newRootCmd(&env{getenv: func(string) string { return "" }})
		cmd, rest, err := root.Find(append([]string{"list"}, c.args...))
		if err != nil || cmd.Name() != "list" {
			t.Fatalf("%q: found %q, %v", c.args, cmd.Name(), err)
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Fatalf("%q: %v", c.args, err)
		}
		j, _ := cmd.Flags().GetBool("json")
		if pos := cmd.Flags().Args(); strings.Join(pos, " ") != c.pos || j != c.json {
			t.Errorf("%q: pos %q json %v; want %q %v", c.args, pos, j, c.pos, c.json)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestListColumns checks the terminal layout: aligned columns, long text
// cut to the width with an ellipsis, wide characters counted as two cells.
func TestListColumns(t *testing.T) {
	for _, c := range []struct {
		name  string
		feeds []string
		width int
	}{
		{"sample-80", []string{sampleFeed}, 80},
		{"wikidata-100", []string{"../../testdata/feeds/wikidata-1.26wmf7-recentchanges.rss"}, 100},
		{"x3-and-sbgn-120", []string{x3Feed, "../../testdata/feeds/mediawiki-1.12.0-sbgn-recentchanges.rss"}, 120},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{
				stdin: strings.NewReader(""), stdout: &out, stderr: &errb, stdoutTTY: true,
				getenv: func(k string) string {
					if k == "COLUMNS" {
						return fmt.Sprint(c.width)
					}
					return ""
				},
			}
			if code := dispatch(append([]string{"list", "--no-cache"}, c.feeds...), e); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > max(c.width, 100) {
					t.Errorf("line %d cells wide: %q", w, l)
				}
			}
			path := filepath.Join("testdata", t.Name()+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/wikifeed -update)", err)
			}
			if out.String() != string(want) {
				t.Errorf("output differs from %s:\n%s", path, out.String())
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]int64{"1048576": 1 << 20, "64MiB": 64 << 20, "512 KiB": 512 << 10, "2g": 2 << 30, "10MB": 10 << 20} {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, b, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-5", "0", "1.5MiB", "99999999999G"} {
		var b byteSize
		if err := b.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if b := byteSize(64 << 20); b.String() != "64MiB" {
		t.Errorf("String() = %q", b.String())
	}
}

// TestListHTTPFlags checks --max-bytes and --timeout reach the fetch.
func TestListHTTPFlags(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "wikifeed/"+version+" (") {
			http.Error(w, "bad agent "+ua, http.StatusForbidden)
			return
		}
		w.Write(sample)
	}))
	defer srv.Close()
	defer close(release)
	code, out, errs := runArgs(t, "", "list", "--no-cache", srv.URL+"/feed")
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Errorf("plain fetch: exit %d, %q, %q", code, out, errs)
	}
	code, _, errs = runArgs(t, "", "list", "--max-bytes", "4KiB", "--no-cache", srv.URL+"/feed")
	if code != 1 || errs != "wikifeed: "+srv.URL+"/feed: larger than the 4 KiB cap (raise it with --max-bytes)\n" {
		t.Errorf("--max-bytes: exit %d, %q", code, errs)
	}
	code, _, errs = runArgs(t, "", "list", srv.URL+"/slow", "--timeout", "200ms", "--no-cache")
	if code != 1 || errs != "wikifeed: "+srv.URL+"/slow: timed out after 200ms\n" {
		t.Errorf("--timeout: exit %d, %q", code, errs)
	}
}

// TestListColumnsFit checks that no line of the terminal list is wider
// than the terminal, so none wraps: page and user columns shrink first.
func TestListColumnsFit(t *testing.T) {
	for _, path := range []string{sampleFeed, x3Feed, "../../testdata/feeds/mediawiki-1.27.1-x3wiki-recentchanges-api.atom"} {
		file, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := feed.Parse(file, path)
		file.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, width := range []int{60, 80, 100} {
			var b strings.Builder
			if err := writeListColumns(&b, f, width); err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
				if w := ansi.StringWidth(l); w > width {
					t.Errorf("%s at %d columns: a line of %d cells: %q", path, width, w, l)
				}
			}
		}
	}
}
