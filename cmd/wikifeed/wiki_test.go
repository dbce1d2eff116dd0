package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testToken = "0123456789abcdef0123456789abcdef01234567"

// TestWikiShortcuts checks each MediaWiki shortcut through the command
// line with --print-url (the URLs' parameters are checked against
// MediaWiki's code in feed's TestWikiURLShortcuts), and that the bad
// combinations are usage errors naming both flags.
func TestWikiShortcuts(t *testing.T) {
	const w = "https://en.wikipedia.org/w/"
	cases := []struct {
		name string
		args []string
		env  map[string]string
		code int
		out  string // the whole of stdout
		err  string // in stderr
	}{
		{
			name: "recent", args: []string{"--recent", "--namespace", "0", "-n", "20", "--days", "2", "--hide-bots", "--hide-minor"},
			out: w + "api.php?action=feedrecentchanges&days=2&feedformat=atom&hidebots=1&hideminor=1&limit=20&namespace=0\n",
		},
		{
			name: "user", args: []string{"--user", "Ann", "--namespace", "2", "--hide-minor"},
			out: w + "api.php?action=feedcontributions&feedformat=atom&hideminor=1&namespace=2&user=Ann\n",
		},
		{
			name: "history", args: []string{"--history", "Main Page", "--limit", "30"},
			out: w + "index.php?action=history&feed=atom&limit=30&title=Main_Page\n",
		},
		{
			name: "newpages", args: []string{"--newpages", "--namespace", "4", "--limit", "10", "--hide-bots"},
			out: w + "index.php?feed=atom&hidebots=1&limit=10&namespace=4&title=Special%3ANewPages\n",
		},
		{
			name: "watchlist, the token masked", args: []string{"--watchlist", "Ann", "--days", "3", "--hide-own", "--hide-bots"},
			env: map[string]string{watchlistTokenEnv: testToken},
			out: w + "api.php?action=feedwatchlist&feedformat=atom&hours=72&wlexcludeuser=Ann&wlowner=Ann&wlshow=%21bot&wltoken=HIDDEN\n",
		},
		{name: "watchlist without a token", args: []string{"--watchlist", "Ann"}, code: 2, err: watchlistTokenEnv},
		{
			name: "limit with watchlist", args: []string{"--watchlist", "Ann", "--limit", "5"}, env: map[string]string{watchlistTokenEnv: testToken},
			code: 2, err: "--limit cannot go with --watchlist",
		},
		{name: "hide-own with recent", args: []string{"--recent", "--hide-own"}, code: 2, err: "--hide-own cannot go with --recent"},
		{name: "days with user", args: []string{"--user", "Ann", "--days", "1"}, code: 2, err: "--days cannot go with --user"},
		{name: "namespace with history", args: []string{"--history", "P", "--namespace", "1"}, code: 2, err: "--namespace cannot go with --history"},
		{name: "two feeds", args: []string{"--recent", "--newpages"}, code: 2, err: "give only one of --recent and --newpages"},
		{name: "limit 0", args: []string{"--recent", "--limit", "0"}, code: 2, err: "--limit 0: want 1 or more"},
		{
			name: "watchlist too far back", args: []string{"--watchlist", "Ann", "--days", "7"}, env: map[string]string{watchlistTokenEnv: testToken},
			code: 2, err: "goes back 3 days (72 hours) at most",
		},
	}
	for _, c := range cases {
		for _, cmd := range []string{"list", "browse"} {
			t.Run(c.name+"/"+cmd, func(t *testing.T) {
				t.Setenv("XDG_CONFIG_HOME", t.TempDir())
				t.Setenv(watchlistTokenEnv, c.env[watchlistTokenEnv])
				args := append([]string{"--wiki", "en.wikipedia.org", "--print-url"}, c.args...)
				if cmd == "list" {
					args = append([]string{"list"}, args...)
				}
				code, out, errs := runArgs(t, "", args...)
				if code != c.code || c.code == 0 && out != c.out || !strings.Contains(errs, c.err) {
					t.Errorf("exit %d, stdout %q, stderr %q\nwant %d, %q, %q", code, out, errs, c.code, c.out, c.err)
				}
				if strings.Contains(out+errs, testToken) {
					t.Errorf("the token is printed")
				}
			})
		}
	}
}

// TestWatchlistTokenFromConfig checks that the token is read from the
// config file only when no one else may read it.
func TestWatchlistTokenFromConfig(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv(watchlistTokenEnv, "")
	path := filepath.Join(dir, "wikifeed", "config.toml")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("watchlist_token = \""+testToken+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"list", "--wiki", "en.wikipedia.org", "--watchlist", "Ann", "--print-url"}
	code, out, errs := runArgs(t, "", args...)
	if code != 2 || !strings.Contains(errs, "others may read it (mode 0644); chmod 600 it") || out != "" {
		t.Errorf("world-readable: exit %d, %q, %q", code, out, errs)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runArgs(t, "", args...)
	if code != 0 || !strings.HasSuffix(out, "&wltoken=HIDDEN\n") || strings.Contains(out+errs, testToken) {
		t.Errorf("mode 600: exit %d, %q, %q", code, out, errs)
	}
}

// TestWatchlistTokenNeverShown fetches a watchlist from a wiki that fails
// and one that answers: the token goes to the wiki, and is in no message,
// no cache file.
func TestWatchlistTokenNeverShown(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	var gotToken string
	fail := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotToken = r.URL.Query().Get("wltoken")
		if fail {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.Write(sample)
	}))
	defer srv.Close()
	cache := t.TempDir()
	t.Setenv(watchlistTokenEnv, testToken)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errb strings.Builder
	for _, f := range []bool{true, false} {
		fail = f
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string {
			if k == "XDG_CACHE_HOME" {
				return cache
			}
			return os.Getenv(k)
		}}
		code := dispatch([]string{"list", "--wiki", srv.URL + "/api.php", "--watchlist", "Ann"}, e)
		if f && code != 1 || !f && code != 0 {
			t.Errorf("fail=%v: exit %d: %s", f, code, errb.String())
		}
	}
	if gotToken != testToken {
		t.Errorf("the wiki got token %q", gotToken)
	}
	if !strings.Contains(errb.String(), "wltoken=HIDDEN") || strings.Contains(out.String()+errb.String(), testToken) {
		t.Errorf("the token shows, or the failing URL does not:\n%s", errb.String())
	}
	err = filepath.Walk(cache, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), testToken) {
			t.Errorf("%s holds the token", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
