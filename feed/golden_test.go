package feed

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// The -update flag, which testwiki.Golden reads through flag.Lookup.
var _ = flag.Bool("update", false, "rewrite the golden files in testdata/")

// feedFiles lists the shared real feeds.
func feedFiles(t testing.TB) []string {
	t.Helper()
	all, err := filepath.Glob("../testdata/feeds/*")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".md") {
			files = append(files, f)
		}
	}
	if len(files) < 17 {
		t.Fatalf("found %d feeds in ../testdata/feeds, want at least 17", len(files))
	}
	return files
}

// TestGolden checks the model of every shared feed against a golden file
// that was read against the XML by hand.
func TestGolden(t *testing.T) {
	for _, path := range feedFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(bytes.NewReader(data), filepath.Base(path))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			testwiki.Golden(t, dumpFeed(f))
		})
	}
}

// dumpFeed writes the model in a form meant for reading against the XML.
func dumpFeed(f *Feed) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %q\nlink: %q\nupdated: %s\ngenerator: %q\nsources: %q\n",
		f.Title, f.Link, stamp(f), f.Generator, f.Sources)
	if f.WikiError != "" {
		fmt.Fprintf(&b, "wiki error: %q\n", f.WikiError)
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(&b, "warning: %q\n", w)
	}
	fmt.Fprintf(&b, "revisions: %d, pages: %d\n", len(f.Revisions), len(f.Pages))
	if len(f.Revisions) > 0 {
		b.WriteString("order (newest first):")
		for _, r := range f.Revisions {
			fmt.Fprintf(&b, " %s", revLabel(r))
		}
		b.WriteString("\n")
	}
	for _, p := range f.Pages {
		fmt.Fprintf(&b, "\npage %q: %d revision(s), oldest first\n", p.Title, len(p.Revisions))
		for _, r := range p.Revisions {
			fmt.Fprintf(&b, "  - %s %s user=%q kind=%s", revLabel(r), r.Time.Format("2006-01-02T15:04:05Z07:00"), r.User, r.Kind)
			if r.ParentID != 0 {
				fmt.Fprintf(&b, " parent=%d", r.ParentID)
			}
			if r.PageID != 0 {
				fmt.Fprintf(&b, " curid=%d", r.PageID)
			}
			if r.Size >= 0 {
				fmt.Fprintf(&b, " size=%d", r.Size)
			}
			if r.HasSizeChange {
				fmt.Fprintf(&b, " change=%+d", r.SizeChange)
			}
			for _, flag := range []struct {
				on   bool
				name string
			}{{r.Log, "log"}, {r.NewPage, "new"}, {r.NoDifference, "no-difference"}} {
				if flag.on {
					b.WriteString(" " + flag.name)
				}
			}
			b.WriteString("\n")
			if r.Section != "" {
				fmt.Fprintf(&b, "    section: %q\n", r.Section)
			}
			fmt.Fprintf(&b, "    comment: %q\n", r.Comment)
			fmt.Fprintf(&b, "    url: %q\n", r.URL)
			if r.EntryID != r.URL {
				fmt.Fprintf(&b, "    entry id: %q\n", r.EntryID)
			}
			if r.ChangesURL != "" {
				fmt.Fprintf(&b, "    changes: %q\n", r.ChangesURL)
			}
			if r.Text != "" {
				fmt.Fprintf(&b, "    text: %q … %q\n", head(r.Text, 60), tail(r.Text, 40))
			}
			fmt.Fprintf(&b, "    body: %q\n", head(r.Body, 80))
		}
	}
	return b.String()
}

func stamp(f *Feed) string {
	if f.Updated.IsZero() {
		return "-"
	}
	return f.Updated.Format("2006-01-02T15:04:05Z07:00")
}

// revLabel names a revision by ID, or by "?" when the feed gives none.
func revLabel(r *Revision) string {
	if r.ID != 0 {
		return fmt.Sprintf("r%d", r.ID)
	}
	return "r?"
}

func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return ""
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}
