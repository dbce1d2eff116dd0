package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBrowsePiped checks that wikifeed with stdout not a terminal lists,
// as 'wikifeed list' does, and never draws a UI.
func TestBrowsePiped(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := dispatch([]string{"--watch", "1m", "../../testdata/feeds/openvz-dlezcano-contributions.atom"}, e); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var want bytes.Buffer
	dispatch([]string{"list", "../../testdata/feeds/openvz-dlezcano-contributions.atom"}, &env{stdout: &want, stderr: &bytes.Buffer{}, getenv: e.getenv})
	if out.String() != want.String() || strings.Contains(out.String(), "\x1b") {
		t.Fatalf("piped output differs from list:\n%s\nwant:\n%s", out.String(), want.String())
	}
}

func TestBrowseBadConfig(t *testing.T) {
	p := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(p, []byte("style = \"dark\"\nwatch = \"often\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	e := &env{stdout: &bytes.Buffer{}, stderr: &errb, getenv: func(string) string { return "" }}
	if code := dispatch([]string{"--config", p}, e); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	if got := errb.String(); !strings.Contains(got, p+":2: watch: bad duration") || strings.Count(got, "\n") != 1 {
		t.Fatalf("stderr %q", got)
	}
}

// TestBrowseBadFlagsPiped checks that a bad --watch or --style is a usage
// error even when the output is piped (and the list would ignore them).
func TestBrowseBadFlagsPiped(t *testing.T) {
	for _, args := range [][]string{{"--watch", "1s"}, {"--watch", "-5m"}, {"--style", "neon"}, {"--watch", "soon"}} {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		if code := dispatch(args, e); code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		if out.Len() != 0 || strings.Count(errb.String(), "\n") > 2 || !strings.HasPrefix(errb.String(), "wikifeed: ") {
			t.Errorf("%q: stdout %q, stderr %q", args, out.String(), errb.String())
		}
	}
}

// TestBrowseChecksFlags checks the TUI's source flags are checked before
// it starts, by the same core check every command makes.
func TestBrowseChecksFlags(t *testing.T) {
	code, out, errs := runTTY(t, 80, nil, "--timeout", "-5s", sampleFeed)
	if code != exitUsage || out != "" || errs != "wikifeed: --timeout -5s: want a positive duration\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// TestBrowseBadStyleFile checks that the TUI takes a glamour JSON style
// file from --style, GLAMOUR_STYLE and the config, as show and diff do: a
// file that is missing or no style is a usage error naming the file,
// before any UI starts.
func TestBrowseBadStyleFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"heading":{"color":12}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "none.json")
	cfg := filepath.Join(dir, "c.toml")
	if err := os.WriteFile(cfg, []byte("style = \""+bad+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"--style", nil, []string{"--style", bad, sampleFeed}, "style file " + bad + ": not a glamour style"},
		{"--style missing", nil, []string{"--style", missing, sampleFeed}, "style file " + missing + ": no such file"},
		{"GLAMOUR_STYLE", map[string]string{"GLAMOUR_STYLE": bad}, []string{sampleFeed}, "style file " + bad + ": not a glamour style"},
		{"config", nil, []string{"--config", cfg, sampleFeed}, "style file " + bad + ": not a glamour style"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runTTY(t, 80, tc.env, tc.args...)
			if code != exitUsage || out != "" || !strings.HasPrefix(errs, "wikifeed: "+tc.want) || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tc.want)
			}
		})
	}
}
