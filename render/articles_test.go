package render

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/feed"
)

// Real-article ratchets, over all the articles: the share of the words a
// reader sees that the rendering keeps, and the markup left per 1,000
// words (template placeholders aside: they are shown on purpose).
const (
	minKeptPct        = 99.5
	maxMarkupPerMille = 1.0
)

// TestArticles renders the real articles of several languages and scripts
// and measures what is kept.
func TestArticles(t *testing.T) {
	paths, err := filepath.Glob("../testdata/wikitext/*.wikitext")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	allWant, allKept, allWords, allMarkup := 0, 0, 0, 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rev := &feed.Revision{Page: "Page", Kind: feed.BodyWikitext, Text: string(b), URL: "https://en.wikipedia.org/wiki/Page"}
		out, err := Revision(rev, Options{Width: 80, Format: Plain})
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]int{}
		for _, w := range splitWide(letterWords.FindAllString(out, -1)) {
			have[w]++
		}
		// An entity is a character, not a word ("&quot;").
		want := splitWide(visibleWords(entityRE.ReplaceAllString(rev.Text, " ")))
		kept := 0
		for _, w := range want {
			if have[w] > 0 {
				have[w]--
				kept++
			}
		}
		// Markup the source itself shows as text (written as &lt;ref&gt;,
		// as in pages saved from an edit box) is not left over.
		shown := map[string]int{}
		for _, tok := range markupTokens.FindAllString(html.UnescapeString(rev.Text), -1) {
			shown[tok]++
		}
		for _, tok := range markupTokens.FindAllString(rev.Text, -1) {
			shown[tok]--
		}
		markup := 0
		for _, l := range strings.Split(out, "\n") {
			for _, tok := range markupTokens.FindAllString(strings.TrimSpace(l), -1) {
				if shown[tok] > 0 {
					shown[tok]--
					continue
				}
				markup++
			}
		}
		words := len(letterWords.FindAllString(out, -1))
		pct := 100 * float64(kept) / float64(max(len(want), 1))
		perMille := 1000 * float64(markup) / float64(max(words, 1))
		t.Logf("%-45s words %6d kept %6.2f%% markup %.2f per 1,000 words", filepath.Base(p), len(want), pct, perMille)
		allWant += len(want)
		allKept += kept
		allWords += words
		allMarkup += markup
	}
	pct := 100 * float64(allKept) / float64(max(allWant, 1))
	perMille := 1000 * float64(allMarkup) / float64(max(allWords, 1))
	t.Logf("all: words %d kept %.2f%% markup %.2f per 1,000 words", allWant, pct, perMille)
	if pct < minKeptPct {
		t.Errorf("%.2f%% of the visible words kept, want %.1f%%", pct, minKeptPct)
	}
	if perMille > maxMarkupPerMille {
		t.Errorf("%.2f markup leftovers per 1,000 words, want at most %.1f", perMille, maxMarkupPerMille)
	}
}

// entityRE matches a character reference.
var entityRE = regexp.MustCompile(`&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);`)

// startsBlock reports whether a line starts a list item.
func startsBlock(l string) bool {
	return strings.HasPrefix(l, "•") || regexp.MustCompile(`^[0-9]+\. `).MatchString(l)
}

// splitWide splits words of wide (CJK) characters into characters, which
// a line may break between.
func splitWide(words []string) []string {
	var out []string
	for _, w := range words {
		if !strings.ContainsFunc(w, isWide) {
			out = append(out, w)
			continue
		}
		for _, r := range w {
			out = append(out, string(r))
		}
	}
	return out
}

// TestWrapAfterLinks checks that paragraphs wrap on what is shown, not on
// the source: at 80 columns no line of the United Kingdom article breaks
// while the next word would still fit.
func TestWrapAfterLinks(t *testing.T) {
	b, err := os.ReadFile("../testdata/wikitext/enwiki-United_Kingdom.wikitext")
	if err != nil {
		t.Fatal(err)
	}
	rev := &feed.Revision{Page: "United Kingdom", Kind: feed.BodyWikitext, Text: string(b), URL: "https://en.wikipedia.org/wiki/United_Kingdom"}
	const width = 80
	out, err := Revision(rev, Options{Width: width, Format: Plain})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	breaks, early := 0, 0
	for i := 0; i+1 < len(lines); i++ {
		a, next := lines[i], lines[i+1]
		// Two lines of one paragraph: same margin, plain text.
		lead := len(a) - len(strings.TrimLeft(a, " "))
		if strings.TrimSpace(a) == "" || strings.TrimSpace(next) == "" || lead != 2 || len(next)-len(strings.TrimLeft(next, " ")) != 2 || strings.ContainsAny(a+next, "│─") || startsBlock(strings.TrimSpace(next)) {
			continue
		}
		breaks++
		word, _, _ := strings.Cut(strings.TrimSpace(next), " ")
		if ansi.StringWidth(a)+1+ansi.StringWidth(word) <= width-docMargin {
			early++
		}
		if early <= 3 && ansi.StringWidth(a)+1+ansi.StringWidth(word) <= width-docMargin {
			t.Logf("early:\n%s\n%s", a, next)
		}
	}
	t.Logf("%d paragraph line breaks, %d early", breaks, early)
	if breaks == 0 || early*100 > breaks {
		t.Errorf("%d of %d paragraph line breaks are early", early, breaks)
	}
}
