package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"charm.land/glamour/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// bigRevision is a revision of about 500 KB of real wikitext: the United
// Kingdom and Anarchism articles one after the other.
func bigRevision(tb testing.TB) *feed.Revision {
	tb.Helper()
	var text strings.Builder
	for _, name := range []string{"enwiki-United_Kingdom.wikitext", "enwiki-Anarchism.wikitext"} {
		b, err := os.ReadFile("../testdata/wikitext/" + name)
		if err != nil {
			tb.Fatal(err)
		}
		text.Write(b)
		text.WriteString("\n")
	}
	return &feed.Revision{
		Page: "United Kingdom", ID: 1, User: "Example", Kind: feed.BodyWikitext,
		Text: text.String(), URL: "https://en.wikipedia.org/w/index.php?title=United_Kingdom&oldid=1",
	}
}

var benchOpts = Options{Width: 100, Style: "dark", Format: ANSI}

// BenchmarkFirstScreen is what the TUI waits for before it shows a page:
// preparing the document and styling its first screen (30 lines).
func BenchmarkFirstScreen(b *testing.B) {
	rev := bigRevision(b)
	b.SetBytes(int64(len(rev.Text)))
	for b.Loop() {
		if _, _, err := Prepare(rev).RenderFirst(benchOpts, 30); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWhole renders the whole 500 KB revision.
func BenchmarkWhole(b *testing.B) {
	rev := bigRevision(b)
	b.SetBytes(int64(len(rev.Text)))
	for b.Loop() {
		if _, err := Revision(rev, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGlamourAlone is glamour on the same Markdown in one call: the
// cost Render is measured against.
func BenchmarkGlamourAlone(b *testing.B) {
	md := Prepare(bigRevision(b)).Markdown()
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		r, err := glamour.NewTermRenderer(glamour.WithStandardStyle("dark"), glamour.WithWordWrap(benchOpts.Width-4), glamour.WithPreservedNewLines())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Render(md); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarkdown is the wikitext to Markdown conversion alone (Prepare
// itself is free: the conversion happens when first needed).
func BenchmarkMarkdown(b *testing.B) {
	rev := bigRevision(b)
	b.SetBytes(int64(len(rev.Text)))
	for b.Loop() {
		Prepare(rev).Markdown()
	}
}

// BenchmarkFirstScreenEach is the first screen of each large article
// alone, at 100 columns: the target is 30 ms whatever the article.
func BenchmarkFirstScreenEach(b *testing.B) {
	paths, err := filepath.Glob("../testdata/wikitext/*.wikitext")
	if err != nil || len(paths) == 0 {
		b.Fatalf("no articles: %v", err)
	}
	for _, p := range paths {
		text, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		rev := &feed.Revision{Page: "Page", ID: 1, Kind: feed.BodyWikitext, Text: string(text), URL: "https://en.wikipedia.org/wiki/Page"}
		b.Run(strings.TrimSuffix(filepath.Base(p), ".wikitext"), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, _, err := Prepare(rev).RenderFirst(benchOpts, 30); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSanitize is the sanitiser on clean and on dirty text.
func BenchmarkSanitize(b *testing.B) {
	clean := bigRevision(b).Text
	b.SetBytes(int64(len(clean)))
	for b.Loop() {
		Sanitize(clean)
	}
}

// nestedList is 1,000 list lines nested ever deeper (*, **, ***, …):
// rendering must stay linear in its input.
func nestedList() *feed.Revision {
	var b strings.Builder
	for i := 1; i <= 1000; i++ {
		b.WriteString(strings.Repeat("*", i) + " item\n")
	}
	return &feed.Revision{Page: "P", Kind: feed.BodyWikitext, Text: b.String()}
}

// BenchmarkNestedList renders 1,000 nested list lines (target: 50 ms).
func BenchmarkNestedList(b *testing.B) {
	rev := nestedList()
	for b.Loop() {
		if _, err := Revision(rev, benchOpts); err != nil {
			b.Fatal(err)
		}
	}
}
