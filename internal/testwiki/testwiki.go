// Package testwiki holds helpers that several packages' tests share: a
// reader for MediaWiki XML exports (page histories), a check for
// MediaWiki's own differ, wikidiff2, run through php, checks for the tools
// other tests need, with one rule for CI (InCI), and golden files.
package testwiki

import (
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// HistoryTexts reads the revision texts of a MediaWiki XML export, oldest
// first.
func HistoryTexts(tb testing.TB, path string) []string {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Pages []struct {
			Revisions []struct {
				Text string `xml:"text"`
			} `xml:"revision"`
		} `xml:"page"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	var texts []string
	for _, p := range doc.Pages {
		for _, r := range p.Revisions {
			texts = append(texts, r.Text)
		}
	}
	return texts
}

// NeedWikidiff2 returns the php binary, after checking that php has the
// wikidiff2 function fn. When it has not, the test is skipped, except
// under CI (InCI), where it fails: CI installs php-cli and php-wikidiff2.
func NeedWikidiff2(t *testing.T, fn string) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err == nil {
		err = exec.Command(php, "-r", `exit(function_exists("`+fn+`") ? 0 : 1);`).Run()
	}
	if err != nil {
		msg := "php with the wikidiff2 extension is not available (Debian: apt-get install php-cli php-wikidiff2): " + err.Error()
		Missing(t, msg)
	}
	return php
}

// InCI reports whether the tests run under CI: CI is set, and not to
// "false" or "0" (.ci/run is run with CI=true; other CI systems set it too).
// It is the one rule every package's tests follow.
func InCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// Missing reports a tool the test needs and cannot find: the test fails
// under CI, which installs every tool the tests need (.ci/run), and is
// skipped elsewhere, saying why and how to install it.
func Missing(t *testing.T, msg string) {
	t.Helper()
	if InCI() {
		t.Fatal(msg + " (CI must install it: see .ci/run)")
	}
	t.Skip(msg)
}

// NeedTool returns the path of the program name, after Missing when it is
// not installed; install says how to install it.
func NeedTool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" is not installed ("+install+")")
	}
	return path
}

// Golden compares got with testdata/<test name>.golden, or rewrites that
// file when the test binary runs with -update (the package's tests define
// that flag). A difference is reported at its first line.
func Golden(t *testing.T, got string) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(t.Name())+".golden")
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test with -update and read the diff) at %s", path, FirstDifference(string(want), got))
	}
}

// FirstDifference names the first line where two texts differ, with both
// versions of it.
func FirstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, wl, gl)
		}
	}
	return "(same lines)"
}
