package render

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/wikifeed/wikifeed/feed"
)

// parserCase is one case of MediaWiki's parser tests.
type parserCase struct {
	file, name, options, wikitext, html, category string
}

// readParserTests reads the cases of one parser test file.
func readParserTests(t *testing.T, path string) []parserCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []parserCase
	var cur *parserCase
	section := ""
	var body strings.Builder
	end := func() {
		if cur == nil {
			return
		}
		text := strings.TrimSuffix(body.String(), "\n")
		switch section {
		case "test":
			cur.name = strings.TrimSpace(text)
		case "options":
			cur.options = text
		case "wikitext":
			cur.wikitext = text
		case "html/php", "html":
			cur.html = text
		case "html/php+tidy":
			if cur.html == "" {
				cur.html = text
			}
		}
		body.Reset()
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "!! ") || l == "!!" {
			end()
			section = strings.TrimSpace(strings.TrimPrefix(l, "!!"))
			switch section {
			case "test":
				cur = &parserCase{file: filepath.Base(path)}
			case "end":
				if cur != nil && cur.html != "" {
					cases = append(cases, *cur)
				}
				cur = nil
			}
			continue
		}
		if cur != nil {
			body.WriteString(l + "\n")
		}
	}
	return cases
}

// needsWiki matches wikitext a case cannot be rendered without a wiki:
// templates and parser functions, extension tags, signatures, magic words,
// transclusion tags.
var needsWiki = regexp.MustCompile(`\{\{|~~~|__[A-Z]+__|(?i)<(\w*tag|\w*hook|ref|references|tåg|extension|math|syntaxhighlight|source|indicator|templatestyles|section|includeonly|noinclude|onlyinclude|poem|score|chem|timeline|charinsert|nowiki-not|translate|languages|static|pst|tracking|ext)[\s>/]`)

// optionsNeedWiki reports whether a case's options change the wiki (its
// language, its settings, a title, a parser mode): only cases with no
// options, or with Parsoid's own, are taken.
func optionsNeedWiki(o string) bool {
	o = strings.TrimSpace(o)
	for _, f := range strings.Fields(o) {
		if !strings.HasPrefix(f, "parsoid") && !strings.HasPrefix(f, "wt2html") && !strings.HasPrefix(f, "wt2wt") && !strings.HasPrefix(f, "html2wt") && !strings.HasPrefix(f, "selser") && !strings.HasPrefix(f, "html2html") && !strings.HasPrefix(f, "{") && !strings.HasPrefix(f, "}") && !strings.HasPrefix(f, "\"") {
			return true
		}
	}
	return false
}

// fileCategory is the category of a file's cases; parserTests.txt's are
// told apart by name.
var fileCategory = map[string]string{
	"wikiLinks.txt": "links", "extLinks.txt": "links", "tables.txt": "tables",
	"definitionLists.txt": "definition lists", "preTags.txt": "pre", "indentPre.txt": "pre",
	"headings.txt": "headings", "media.txt": "media", "quotes.txt": "quotes",
}

func categoryOf(c parserCase) string {
	if cat, ok := fileCategory[c.file]; ok {
		return cat
	}
	n := strings.ToLower(c.name)
	switch {
	case strings.Contains(n, "definition"):
		return "definition lists"
	case strings.Contains(n, "list"):
		return "lists"
	case strings.Contains(n, "html") || strings.Contains(n, "tag"):
		return "html tags"
	}
	return "other"
}

// wordRE is a word a reader sees.
var wordRE = regexp.MustCompile(`[\p{L}\p{N}]+`)

// visibleHTMLText is the text a browser shows for MediaWiki's HTML.
func visibleHTMLText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "style" || n.Data == "script" || n.Data == "head") {
			return
		}
		if n.Type == html.ElementNode && chrome(n) {
			// The wiki's own chrome, not the page's text: [edit] links
			// and the table of contents.
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.Data == "br" || n.Data == "p" || n.Data == "li" || n.Data == "td" || n.Data == "th" || n.Data == "div" || n.Data == "dd" || n.Data == "dt") {
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return b.String()
}

// markupTokens are wikitext (and Markdown) left in a rendering when they
// show more often there than in the wiki's own text.
var markupTokens = regexp.MustCompile(`\[\[|\]\]|''|\{\||\|\}|^\|-|^==|==$|</?[a-zA-Z][a-zA-Z0-9]*[\s>/]|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);|\*\*|\\$`)

// markupLeft reports whether out holds markup the wiki's text does not.
func markupLeft(out, want string) bool {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			for _, tok := range markupTokens.FindAllString(strings.TrimSpace(l), -1) {
				m[tok]++
			}
		}
		return m
	}
	have, base := count(out), count(want)
	for k, n := range have {
		if n > base[k] {
			return true
		}
	}
	return false
}

// missingWords counts the wiki's words that a rendering lacks.
func missingWords(out, want string) (missing, total int) {
	have := map[string]int{}
	for _, w := range wordRE.FindAllString(out, -1) {
		have[strings.ToLower(w)]++
	}
	for _, w := range wordRE.FindAllString(want, -1) {
		total++
		k := strings.ToLower(w)
		if have[k] > 0 {
			have[k]--
			continue
		}
		missing++
	}
	return missing, total
}

// fidelity is the figures of one category.
type fidelity struct {
	cases, words, missing, markup, failures int
}

func (f fidelity) missingPct() float64 {
	if f.words == 0 {
		return 0
	}
	return 100 * float64(f.missing) / float64(f.words)
}

// Fidelity ratchets: the figures may only get better. The issue's
// targets are 3% and 40 cases; measured: 1.10% and 15 cases, so the
// ratchet is just above that.
const (
	maxMissingPct  = 1.5
	maxMarkupCases = 20
)

// The with-options run takes the cases with options too, but for those
// whose options change the wiki: disabled cases, and the ones that set its
// configuration ($wg…), language or variant. The other options set a title,
// a parser mode or a display setting, which MediaWiki applies with no page
// of a wiki. That set is held to the issue's own targets, 3% and 40 cases
// (measured: 2.48% and 19 of 759).
var wikiSettings = regexp.MustCompile(`disabled|\bwg[A-Z]|language\s*=|variant\s*=`)

const (
	optionsMaxMissingPct  = 3.0
	optionsMaxMarkupCases = 40
)

// TestFidelity renders the parser test cases that need no wiki and
// compares the words a reader sees with MediaWiki's own HTML, beside
// pandoc's plain text of the same cases (pandoc.json).
func TestFidelity(t *testing.T) {
	t.Run("no-options", func(t *testing.T) { fidelityOf(t, false) })
	t.Run("with-options", func(t *testing.T) { fidelityOf(t, true) })
}

// fidelityOf is TestFidelity on the cases without options, or with those
// whose options need no wiki too.
func fidelityOf(t *testing.T, withOptions bool) {
	paths, err := filepath.Glob("testdata/parsertests/*.txt")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no parser tests: %v", err)
	}
	maxMissing, maxMarkup := maxMissingPct, maxMarkupCases
	if withOptions {
		maxMissing, maxMarkup = optionsMaxMissingPct, optionsMaxMarkupCases
	}
	var cases []parserCase
	for _, p := range paths {
		for _, c := range readParserTests(t, p) {
			skipOptions := optionsNeedWiki(c.options)
			if withOptions {
				skipOptions = wikiSettings.MatchString(c.options)
			}
			if needsWiki.MatchString(c.wikitext) || skipOptions || strings.TrimSpace(c.wikitext) == "" {
				continue
			}
			c.category = categoryOf(c)
			cases = append(cases, c)
		}
	}
	pandoc := map[string]string{}
	pandocPath := "testdata/parsertests/pandoc.json"
	if os.Getenv("WIKIFEED_PANDOC") != "" {
		for _, c := range cases {
			cmd := exec.Command("pandoc", "-f", "mediawiki", "-t", "plain", "--wrap=none")
			cmd.Stdin = strings.NewReader(c.wikitext)
			out, err := cmd.Output()
			if err != nil {
				out = []byte("\x00pandoc failed")
			}
			pandoc[c.file+"|"+c.name] = string(out)
		}
		b, _ := json.MarshalIndent(pandoc, "", " ")
		if err := os.WriteFile(pandocPath, b, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if b, err := os.ReadFile(pandocPath); err == nil {
		if err := json.Unmarshal(b, &pandoc); err != nil {
			t.Fatal(err)
		}
	}
	ours, theirs := map[string]*fidelity{}, map[string]*fidelity{}
	var leftovers []string
	for _, c := range cases {
		want := visibleHTMLText(c.html)
		for _, side := range []map[string]*fidelity{ours, theirs} {
			for _, k := range []string{c.category, "all"} {
				if side[k] == nil {
					side[k] = &fidelity{}
				}
			}
		}
		rev := &feed.Revision{Page: "Parser test", Kind: feed.BodyWikitext, Text: c.wikitext, URL: "https://example.org/wiki/Parser_test"}
		body, _ := bodyBlocks(rev, rev.Text, false)
		out := layoutPlain(body, 80)
		miss, total := missingWords(out, want)
		left := markupLeft(out, want)
		for _, k := range []string{c.category, "all"} {
			f := ours[k]
			f.cases++
			f.words += total
			f.missing += miss
			if left {
				f.markup++
			}
		}
		if left {
			leftovers = append(leftovers, c.file+": "+c.name)
		}
		if p, ok := pandoc[c.file+"|"+c.name]; ok {
			for _, k := range []string{c.category, "all"} {
				f := theirs[k]
				f.cases++
				if strings.HasPrefix(p, "\x00") {
					f.failures++
					f.words += total
					f.missing += total
					continue
				}
				m, tt := missingWords(p, want)
				f.words += tt
				f.missing += m
				if markupLeft(p, want) {
					f.markup++
				}
			}
		}
	}
	cats := make([]string, 0, len(ours))
	for k := range ours {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	t.Logf("%-17s %6s %9s %7s | %9s %7s %s", "category", "cases", "missing", "markup", "pandoc", "markup", "failures")
	for _, k := range cats {
		o, p := ours[k], theirs[k]
		t.Logf("%-17s %6d %8.2f%% %7d | %8.2f%% %7d %d", k, o.cases, o.missingPct(), o.markup, p.missingPct(), p.markup, p.failures)
		if p.cases > 0 && k != "other" && k != "all" && (o.missingPct() > p.missingPct()+0.05 || o.markup > p.markup) {
			t.Errorf("%s: worse than pandoc (missing %.2f%% vs %.2f%%, markup left in %d cases vs %d)", k, o.missingPct(), p.missingPct(), o.markup, p.markup)
		}
	}
	if testing.Verbose() {
		for _, l := range leftovers {
			t.Log("markup left: " + l)
		}
	}
	all := ours["all"]
	if all.missingPct() > maxMissing {
		t.Errorf("%.2f%% of the visible words are missing, want at most %.1f%%", all.missingPct(), maxMissing)
	}
	if all.markup > maxMarkup {
		t.Errorf("%d cases leave markup, want at most %d", all.markup, maxMarkup)
	}
	_ = fmt.Sprint
}
