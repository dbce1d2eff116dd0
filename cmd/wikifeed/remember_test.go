package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runStored runs wikifeed with the store in dataDir.
func runStored(t *testing.T, dataDir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", dataDir)
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestStoreCommands(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(sample) }))
	defer srv.Close()
	data := t.TempDir()
	url := srv.URL + "/feed"
	code, out, errs := runStored(t, data, "list", url)
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Fatalf("list: exit %d, %q, %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "wikifeed", "wikifeed.db")); err != nil {
		t.Fatalf("no store after listing a URL: %v", err)
	}
	// Search finds what the list stored, in list's format.
	code, out, errs = runStored(t, data, "search", "Dlezcano")
	if code != 0 || strings.Count(out, "\n") == 0 || !strings.Contains(out, "\t") {
		t.Errorf("search: exit %d, %q, %q", code, out, errs)
	}
	code, out, _ = runStored(t, data, "search", "--json", "--limit", "2", "Dlezcano")
	if code != 0 || !strings.Contains(out, `"revisions"`) {
		t.Errorf("search --json: exit %d, %q", code, out)
	}
	code, _, errs = runStored(t, data, "search", `"unterminated`)
	if code != 2 || !strings.Contains(errs, "bad search query") || strings.Count(errs, "\n") != 1 {
		t.Errorf("bad query: exit %d, %q", code, errs)
	}
	code, _, errs = runStored(t, data, "search", "zzznothing")
	if code != 1 || !strings.Contains(errs, "no revision matches") {
		t.Errorf("no hits: exit %d, %q", code, errs)
	}
	// The store command names the path and counts the source.
	code, out, errs = runStored(t, data, "store")
	if code != 0 || !strings.Contains(out, filepath.Join(data, "wikifeed", "wikifeed.db")) || !strings.Contains(out, url) {
		t.Errorf("store: exit %d, %q, %q", code, out, errs)
	}
	code, out, _ = runStored(t, data, "store", "--prune")
	if code != 0 || !strings.Contains(out, "pruned 0 revisions") {
		t.Errorf("store --prune: exit %d, %q", code, out)
	}
	// --unread, --limit and --since bound the list.
	if code, out, _ = runStored(t, data, "list", "--limit", "2", url); code != 0 || strings.Count(out, "\n") != 2 {
		t.Errorf("--limit 2: %d lines", strings.Count(out, "\n"))
	}
	if code, out, _ = runStored(t, data, "list", "--since", "1d", url); code != 0 || out != "" {
		t.Errorf("--since 1d on a 2018 feed: exit %d, %q", code, out)
	}
	if code, out, _ = runStored(t, data, "list", "--unread", url); code != 0 || strings.Count(out, "\n") != 6 {
		t.Errorf("--unread: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
	// --no-store and files do not touch it.
	empty := t.TempDir()
	if code, _, _ = runStored(t, empty, "list", "--no-store", url); code != 0 {
		t.Errorf("--no-store: exit %d", code)
	}
	if code, _, _ = runStored(t, empty, "list", sampleFeed); code != 0 {
		t.Errorf("file: exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(empty, "wikifeed")); err == nil {
		t.Error("--no-store or a file made a store")
	}
}

func TestCorruptStoreIsAWarning(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(sample) }))
	defer srv.Close()
	data := t.TempDir()
	db := filepath.Join(data, "wikifeed", "wikifeed.db")
	os.MkdirAll(filepath.Dir(db), 0o700)
	garbage := bytes.Repeat([]byte("not sqlite "), 1000)
	os.WriteFile(db, garbage, 0o600)
	code, out, errs := runStored(t, data, "list", srv.URL+"/feed")
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Errorf("list with a corrupt store: exit %d, %q", code, out)
	}
	if !strings.Contains(errs, db) || !strings.Contains(errs, "move it away") || strings.Count(errs, "\n") != 1 {
		t.Errorf("warning: %q", errs)
	}
	code, _, errs = runStored(t, data, "search", "x")
	if code != 1 || !strings.Contains(errs, "move it away") {
		t.Errorf("search with a corrupt store: exit %d, %q", code, errs)
	}
	if b, _ := os.ReadFile(db); !bytes.Equal(b, garbage) {
		t.Error("the corrupt file was changed")
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2d":   now.Add(-48 * time.Hour),
		"1w":   now.Add(-7 * 24 * time.Hour),
		"36h":  now.Add(-36 * time.Hour),
		"1.5d": now.Add(-36 * time.Hour),
	} {
		if got, err := parseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	if got, err := parseSince("2026-12-01", now); err != nil || got.Day() != 1 {
		t.Errorf("date: %v %v", got, err)
	}
	for _, bad := range []string{"", "soon", "-2d", "-1h"} {
		if _, err := parseSince(bad, now); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestConfigStoreFalse(t *testing.T) {
	sample, err := os.ReadFile(sampleFeed)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(sample) }))
	defer srv.Close()
	conf := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", conf)
	if err := os.MkdirAll(filepath.Join(conf, "wikifeed"), 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(conf, "wikifeed", "config.toml")
	if err := os.WriteFile(path, []byte("store = false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	code, out, errs := runStored(t, data, "list", srv.URL+"/feed")
	if code != 0 || strings.Count(out, "\n") != 6 {
		t.Fatalf("list: exit %d, %q, %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "wikifeed")); err == nil {
		t.Error("store = false in the config, yet a URL's list made a store")
	}
	code, _, errs = runStored(t, data, "search", "Dlezcano")
	if code != 2 || !strings.Contains(errs, "store = false in "+path) {
		t.Errorf("search with store = false: exit %d, %q", code, errs)
	}
	// store = true, as without the line, uses it.
	if err := os.WriteFile(path, []byte("store = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs = runStored(t, data, "list", srv.URL+"/feed"); code != 0 {
		t.Fatalf("list: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "wikifeed", "wikifeed.db")); err != nil {
		t.Errorf("store = true made no store: %v", err)
	}
}
