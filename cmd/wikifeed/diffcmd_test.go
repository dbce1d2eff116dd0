package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const (
	x127Feed      = "../../testdata/feeds/mediawiki-1.27.1-x3wiki-recentchanges-api.atom"
	wikidataFeed  = "../../testdata/feeds/wikidata-1.26wmf7-recentchanges.rss"
	noDiffFeed    = "../../testdata/feeds/mediawiki-1.30.0-unrealwiki-history-multithreading.atom"
	unrealFeed    = "../../testdata/feeds/mediawiki-1.22.2-unrealwiki-history-version-notes.atom"
	ikiwikiFeed   = "../../testdata/feeds/ikiwiki-hackerhive-recentchanges.atom"
	diffTestWidth = "100"
)

// runTTY runs the program as if stdout were a terminal of the given width.
func runTTY(t *testing.T, width int, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb, stdoutTTY: true,
		getenv: func(k string) string {
			if k == "COLUMNS" {
				return fmt.Sprint(width)
			}
			return vars[k]
		},
	}
	code := dispatch(args, e)
	return code, out.String(), errb.String()
}

func TestDiffCommand(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		code   int
		outHas []string
		errHas []string
		noOut  bool
	}{
		{
			name: "default-newest-with-a-predecessor", args: []string{"diff", sampleFeed}, code: 0,
			outHas: []string{"Containers/Mini-summit 2008: revision 6199 → 6200 · Dlezcano", "@@ -82,5 +82,5 @@", "{+** Documentation : Look at \"See Also\" section below+}"},
		},
		{
			name: "rev", args: []string{"diff", "--rev", "6198", sampleFeed}, code: 0,
			outHas: []string{"revision 6197 → 6198", "@@ -113,4 +113,13 @@"},
		},
		{
			name: "from-to-across-revisions", args: []string{"diff", sampleFeed, "--from", "6197", "--to", "6200"}, code: 0,
			outHas: []string{"revision 6197 → 6200", "{+** Documentation"},
		},
		{
			name: "table", args: []string{"diff", x3Feed}, code: 0,
			outHas: []string{"Hyperion Vanguard: revision 975", "(3 intermediate revisions not shown)", "|Hull= [-90,000-]{+90000+}"},
		},
		{
			name: "from-to-table", args: []string{"diff", "--from", "965", "--to", "975", x3Feed}, code: 0,
			outHas: []string{"Hyperion Vanguard: revision 965 → 975", "the feed does not say which revision it starts from", "|Hull= [-90,000-]{+90000+}"},
		},
		{
			name: "table-unified-mode", args: []string{"diff", "--mode", "unified", x3Feed}, code: 0,
			outHas: []string{"\n-|Hull= [-90,000-]\n+|Hull= {+90000+}\n"},
		},
		{
			name: "table-context-0", args: []string{"diff", "--context", "0", x3Feed}, code: 0,
			outHas: []string{"@@ -7 +7 @@\n|Minspeed={+67+}\n@@ -13 +13 @@\n|Hull= [-90,000-]{+90000+}\n"},
		},
		{
			name: "wikidata-paths", args: []string{"diff", wikidataFeed}, code: 0,
			outHas: []string{"@@ -0,0 +1 @@ description / es\n{+obispo católico de España+}\n"},
		},
		{
			name: "no-difference", args: []string{"diff", noDiffFeed}, code: 0,
			outHas: []string{"(No difference)"},
		},
		{
			name: "new-page", args: []string{"diff", "--rev", "24908", unrealFeed}, code: 0,
			outHas: []string{"New page: no earlier revision", "@@ -0,0 +1,"},
		},
		{
			name: "unified-format", args: []string{"diff", "--format", "unified", "--rev", "6200", sampleFeed}, code: 0,
			outHas: []string{"--- Containers/Mini-summit 2008 (revision 6199)\n+++ Containers/Mini-summit 2008 (revision 6200)\n@@ -82,5 +82,5 @@\n"},
		},
		// A revision with no earlier one in the feed asks the wiki's API:
		// internal/diffcases runs that against a test wiki.
		{
			name: "unknown-rev", args: []string{"diff", "--rev", "5", sampleFeed}, code: 1, noOut: true,
			errHas: []string{"no revision 5 in the feed"},
		},
		{
			name: "different-pages", args: []string{"diff", "--from", "6226", "--to", "6200", sampleFeed}, code: 2, noOut: true,
			errHas: []string{"--from 6226 and --to 6200 are revisions of different pages"},
		},
		{name: "same-revision", args: []string{"diff", "--from", "6200", "--to", "6200", sampleFeed}, code: 2, noOut: true},
		{
			name: "from-without-to", args: []string{"diff", "--from", "6200", sampleFeed}, code: 2, noOut: true,
			errHas: []string{"--from and --to go together"},
		},
		{name: "rev-and-from", args: []string{"diff", "--rev", "1", "--from", "1", "--to", "2", sampleFeed}, code: 2, noOut: true},
		{
			name: "bad-mode", args: []string{"diff", "--mode", "sideways", sampleFeed}, code: 2, noOut: true,
			errHas: []string{`--mode "sideways"`},
		},
		{name: "bad-format", args: []string{"diff", "--format", "html", sampleFeed}, code: 2, noOut: true},
		{name: "bad-color", args: []string{"diff", "--color", "sometimes", sampleFeed}, code: 2, noOut: true},
		{name: "bad-style", args: []string{"diff", "--style", "neon", sampleFeed}, code: 2, noOut: true},
		{name: "bad-context", args: []string{"diff", "--context", "-2", sampleFeed}, code: 2, noOut: true},
		{name: "bad-rev", args: []string{"diff", "--rev", "-3", sampleFeed}, code: 2, noOut: true},
		{name: "log-entry", args: []string{"diff", x3Feed, "--rev", "0"}, code: 2, noOut: true},
		{
			name: "missing-file", args: []string{"diff", "nope.atom"}, code: 1, noOut: true,
			errHas: []string{"nope.atom"},
		},
		{
			name: "no-diffs-in-feed", args: []string{"diff", ikiwikiFeed}, code: 1, noOut: true,
			errHas: []string{"no revision in the feed has a diff table or an earlier revision"},
		},
		{
			name: "help", args: []string{"diff", "--help"}, code: 0,
			outHas: []string{"wikifeed diff [SOURCE...]", "--context", "--mode"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runArgs(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errs)
			}
			for _, s := range c.outHas {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			for _, s := range c.errHas {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr lacks %q: %s", s, errs)
				}
			}
			if c.noOut && out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
			if strings.Contains(out, "\x1b") {
				t.Errorf("piped output has escape codes")
			}
			if c.code != 0 && strings.Count(errs, "\n") > 2 {
				t.Errorf("more than one error line: %q", errs)
			}
		})
	}
}

// TestDiffColour checks when escape codes are written: on a terminal
// unless NO_COLOR or --color never, piped only with --color always.
func TestDiffColour(t *testing.T) {
	code, out, _ := runArgs(t, "", "diff", "--color", "always", sampleFeed)
	if code != 0 || !strings.Contains(out, "\x1b[") {
		t.Errorf("--color always, piped: exit %d, no escape codes", code)
	}
	_, out, _ = runTTY(t, 100, nil, "diff", "--no-cache", sampleFeed)
	if !strings.Contains(out, "\x1b[") {
		t.Error("terminal: no escape codes")
	}
	_, out, _ = runTTY(t, 100, map[string]string{"NO_COLOR": "1"}, "diff", "--no-cache", sampleFeed)
	if strings.Contains(out, "\x1b") {
		t.Error("NO_COLOR: escape codes")
	}
	_, out, _ = runTTY(t, 100, nil, "diff", "--no-cache", "--color", "never", sampleFeed)
	if strings.Contains(out, "\x1b") {
		t.Error("--color never: escape codes")
	}
	_, out, _ = runTTY(t, 100, nil, "diff", "--no-cache", "--format", "plain", sampleFeed)
	if strings.Contains(out, "\x1b") {
		t.Error("--format plain: escape codes")
	}
	_, out, errs := runTTY(t, 100, nil, "diff", "--no-cache", "--mode", "side-by-side", sampleFeed)
	if !strings.Contains(errs, "side-by-side needs 120 columns") || strings.Contains(out, "│") {
		t.Errorf("side-by-side at 100 columns did not fall back to inline: %q", errs)
	}
	_, out, _ = runTTY(t, 140, nil, "diff", "--no-cache", "--mode", "side-by-side", sampleFeed)
	if !strings.Contains(out, "│") {
		t.Error("side-by-side at 140 columns: no columns")
	}
}

// TestDiffGolden compares whole outputs with golden files: on a terminal
// of 80 and 140 columns (ANSI) and piped (plain, unified).
func TestDiffGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		width int // 0: piped
		args  []string
	}{
		{"contribs-inline-ansi-80", 80, []string{"--rev", "6198", sampleFeed}},
		{"contribs-unified-ansi-80", 80, []string{"--rev", "6198", "--mode", "unified", sampleFeed}},
		{"contribs-side-by-side-ansi-140", 140, []string{"--rev", "6198", "--mode", "side-by-side", sampleFeed}},
		{"contribs-plain", 0, []string{"--rev", "6198", sampleFeed}},
		{"contribs-unified-format", 0, []string{"--rev", "6198", "--format", "unified", sampleFeed}},
		{"table-1.27-inline-ansi-80", 80, []string{"--rev", "20884", x127Feed}},
		{"table-1.27-side-by-side-ansi-140", 140, []string{"--rev", "20884", "--mode", "side-by-side", x127Feed}},
		{"table-1.15-plain-width-80", 0, []string{"--width", "80", x3Feed}},
		{"wikidata-side-by-side-plain-140", 0, []string{"--width", "140", "--mode", "side-by-side", wikidataFeed}},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"diff", "--no-cache"}, c.args...)
			var code int
			var out, errs string
			if c.width > 0 {
				code, out, errs = runTTY(t, c.width, nil, args...)
			} else {
				code, out, errs = runArgs(t, "", args...)
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got := strings.ReplaceAll(out, "\x1b", `\x1b`)
			path := filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/wikifeed -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", path, got)
			}
		})
	}
}

// TestDiffChangesLink serves a wiki API and checks that a "Show changes"
// entry of the real 1.15 feed is diffed from the texts the API gives, with
// a formatversion 1 answer as MediaWiki 1.15 sends.
func TestDiffChangesLink(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	gone := map[string]bool{} // revisions the wiki no longer has
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		mu.Unlock()
		if r.URL.Path != "/api.php" || !strings.HasPrefix(r.Header.Get("User-Agent"), "wikifeed/") {
			http.NotFound(w, r)
			return
		}
		texts := map[string]string{
			"730": `"== Ships ==\n* [[Nova]] (M3)\n* [[Buster]]"`,
			"961": `"== Ships ==\n* [[Nova]] (M3+)\n* [[Buster]]\n* [[Mamba]]"`,
			"937": `"Duke's Domain.\n\nRanks: none."`,
			"960": `"Duke's Domain.\n\nRanks: many.\n\nSector: unknown."`,
		}
		var revs []string
		mu.Lock()
		defer mu.Unlock()
		for _, id := range strings.Split(r.URL.Query().Get("revids"), "|") {
			if t, ok := texts[id]; ok && !gone[id] {
				revs = append(revs, `{"revid":`+id+`,"parentid":1,"contentformat":"text/x-wiki","contentmodel":"wikitext","*":`+t+`}`)
			}
		}
		// MediaWiki 1.15 ignores formatversion and rvslots: the original format.
		w.Write([]byte(`{"warnings":{"main":{"*":"Unrecognized parameters: 'rvslots', 'formatversion'"}},"query":{"pages":{"215":{"pageid":215,"ns":0,"title":"X","revisions":[` +
			strings.Join(revs, ",") + `]}}}}`))
	}))
	defer srv.Close()
	data, err := os.ReadFile(x3Feed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rc.rss")
	if err := os.WriteFile(path, bytes.ReplaceAll(data, []byte("http://x3wiki.com/"), []byte(srv.URL+"/")), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runArgs(t, "", "diff", "--rev", "961", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Ship List: revision 730 → 961",
		"Texts of revisions 730 and 961 fetched from " + srv.URL + "/api.php.",
		"* [[Nova]] (M3{+++})", "{+* [[Mamba]]+}",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if len(queries) != 1 || !strings.Contains(queries[0], "revids=961%7C730") {
		t.Errorf("queries %q", queries)
	}
	mu.Lock()
	queries = nil
	mu.Unlock()

	// Two revisions the feed has only tables for, not adjacent: fetched.
	code, out, errs = runArgs(t, "", "diff", "--from", "937", "--to", "960", path)
	if code != 0 || !strings.Contains(out, "Duke's: revision 937 → 960") || !strings.Contains(out, "Ranks: [-none-]{+many+}.") ||
		!strings.Contains(out, "Texts of revisions 937 and 960 fetched") {
		t.Errorf("--from/--to fetched: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}
	// A revision the wiki does not have.
	mu.Lock()
	gone["937"] = true
	mu.Unlock()
	code, _, errs = runArgs(t, "", "diff", "--from", "960", "--to", "937", path)
	if code != 1 || !strings.Contains(errs, "no such revision 937") {
		t.Errorf("missing revision: exit %d, stderr %q", code, errs)
	}

	// A wiki that does not answer: one clear line, exit 1.
	srv.Close()
	code, out, errs = runArgs(t, "", "diff", "--rev", "961", "--timeout", "2s", path)
	if code != 1 || out != "" || !strings.Contains(errs, `wikifeed diff: revision 961 of "Ship List": fetch texts: wiki API at 127.0.0.1`) || strings.Count(errs, "\n") != 1 {
		t.Errorf("dead server: exit %d, stderr %q", code, errs)
	}
}
