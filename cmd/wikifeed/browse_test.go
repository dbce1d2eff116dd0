package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestListArgs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		args, pos []string
		want      []string
	}{
		{"none", nil, nil, []string{"--"}},
		{"browse flags go", []string{"--watch", "5m", "a.atom", "--config=c.toml", "--style", "dark"}, []string{"a.atom"}, []string{"--", "a.atom"}},
		{"source flags stay", []string{"--timeout", "3s", "--no-cache", "a.atom"}, []string{"a.atom"}, []string{"--timeout", "3s", "--no-cache", "--", "a.atom"}},
		{"config sources", []string{"--max-bytes=1MiB"}, []string{"x.atom", "y.atom"}, []string{"--max-bytes=1MiB", "--", "x.atom", "y.atom"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := listArgs(tc.args, tc.pos); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("listArgs(%q, %q) = %q, want %q", tc.args, tc.pos, got, tc.want)
			}
		})
	}
}

// TestBrowsePiped checks that wikifeed with stdout not a terminal lists,
// as 'wikifeed list' does, and never draws a UI.
func TestBrowsePiped(t *testing.T) {
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	if code := runBrowse([]string{"--watch", "1m", "../../testdata/feeds/openvz-dlezcano-contributions.atom"}, e); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var want bytes.Buffer
	runList([]string{"../../testdata/feeds/openvz-dlezcano-contributions.atom"}, &env{stdout: &want, stderr: &bytes.Buffer{}, getenv: e.getenv})
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
	if code := runBrowse([]string{"--config", p}, e); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	if got := errb.String(); !strings.Contains(got, p+":2: watch: bad duration") || strings.Count(got, "\n") != 1 {
		t.Fatalf("stderr %q", got)
	}
}
