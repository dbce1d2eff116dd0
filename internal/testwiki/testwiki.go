// Package testwiki holds helpers that several packages' tests share: a
// reader for MediaWiki XML exports (page histories) and a check for
// MediaWiki's own differ, wikidiff2, run through php.
package testwiki

import (
	"encoding/xml"
	"os"
	"os/exec"
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
// under CI (CI=true), where it fails: CI installs php-cli and
// php-wikidiff2.
func NeedWikidiff2(t *testing.T, fn string) string {
	t.Helper()
	php, err := exec.LookPath("php")
	if err == nil {
		err = exec.Command(php, "-r", `exit(function_exists("`+fn+`") ? 0 : 1);`).Run()
	}
	if err != nil {
		msg := "php with the wikidiff2 extension is not available (Debian: apt-get install php-cli php-wikidiff2): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return php
}
