package diff

import (
	"encoding/xml"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// pair is two texts to diff, named for reports.
type pair struct {
	name     string
	old, new string
}

// exportRevision is the part of a MediaWiki XML export revision we read.
type exportRevision struct {
	ID   int64  `xml:"id"`
	Text string `xml:"text"`
}

// historyPairs returns every adjacent revision pair of the MediaWiki XML
// full-history exports in ../testdata/wikitext.
func historyPairs(t testing.TB) []pair {
	t.Helper()
	files, err := filepath.Glob("../testdata/wikitext/*-full-history.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no full-history exports found: %v", err)
	}
	var pairs []pair
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Pages []struct {
				Title     string           `xml:"title"`
				Revisions []exportRevision `xml:"revision"`
			} `xml:"page"`
		}
		if err := xml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, p := range doc.Pages {
			for i := 1; i < len(p.Revisions); i++ {
				a, b := p.Revisions[i-1], p.Revisions[i]
				pairs = append(pairs, pair{fmt.Sprintf("%s %d..%d", p.Title, a.ID, b.ID), a.Text, b.Text})
			}
		}
	}
	return pairs
}

var (
	tableRE = regexp.MustCompile(`(?s)<table.*?</table>`)
	rowRE   = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	cellRE  = regexp.MustCompile(`(?s)<td([^>]*)>(.*?)</td>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
)

// feedPairs rebuilds text pairs from the MediaWiki diff tables in the
// feeds of ../testdata/feeds: per table, the old text is its context and
// deleted lines, the new text its context and added lines, in order. They
// are fragments of the real revisions (the lines the table shows), which is
// enough to compare two diff engines on real edits. The tables are read
// with regular expressions: package diff stays free of HTML parsers, and
// the full parser is diff/mwtable's job.
func feedPairs(t testing.TB) []pair {
	t.Helper()
	files, err := filepath.Glob("../testdata/feeds/mediawiki-*")
	if err != nil {
		t.Fatal(err)
	}
	wd, _ := filepath.Glob("../testdata/feeds/wikidata-*")
	files = append(files, wd...)
	var pairs []pair
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// The feeds escape the HTML once; unescaping the whole file
		// exposes the tables.
		doc := html.UnescapeString(string(data))
		for ti, table := range tableRE.FindAllString(doc, -1) {
			var old, new []string
			for _, row := range rowRE.FindAllStringSubmatch(table, -1) {
				cells := cellRE.FindAllStringSubmatch(row[1], -1)
				side := 0 // context rows hold an old then a new cell
				for k := 0; k+1 < len(cells); k++ {
					if !strings.Contains(cells[k][1], "diff-marker") {
						continue
					}
					marker := strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(cells[k][2]), "\u00a0", " "))
					text := html.UnescapeString(tagRE.ReplaceAllString(cells[k+1][2], ""))
					switch marker {
					case "+":
						new = append(new, text)
					case "-", "\u2212":
						old = append(old, text)
					case "":
						if side == 0 {
							old = append(old, text)
						} else {
							new = append(new, text)
						}
						side++
					}
					k++
				}
			}
			o, n := strings.Join(old, "\n"), strings.Join(new, "\n")
			if o != n {
				pairs = append(pairs, pair{fmt.Sprintf("%s table %d", filepath.Base(f), ti+1), o, n})
			}
		}
	}
	return pairs
}

// bigArticles returns the large single-revision wikitext files by base name.
func bigArticles(t testing.TB) map[string]string {
	t.Helper()
	files, err := filepath.Glob("../testdata/wikitext/*.wikitext")
	if err != nil || len(files) == 0 {
		t.Fatalf("no wikitext files found: %v", err)
	}
	out := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".wikitext")] = string(data)
	}
	return out
}

// editor makes deterministic, plausible edits to a wikitext article: its
// paragraphs are its non-empty lines.
type editor struct {
	rng   *rand.Rand
	lines []string
}

func newEditor(text string, seed uint64) *editor {
	return &editor{rng: rand.New(rand.NewPCG(seed, 99)), lines: strings.Split(text, "\n")}
}

func (ed *editor) text() string { return strings.Join(ed.lines, "\n") }

// prose picks a line that reads like a paragraph of prose (long, not a
// template or table row).
func (ed *editor) prose() int {
	for range 10000 {
		i := ed.rng.IntN(len(ed.lines))
		l := ed.lines[i]
		if len(l) > 200 && !strings.HasPrefix(l, "{") && !strings.HasPrefix(l, "|") && !strings.HasPrefix(l, "!") {
			return i
		}
	}
	return ed.rng.IntN(len(ed.lines))
}

// changeWord replaces one word of a prose paragraph.
func (ed *editor) changeWord() {
	i := ed.prose()
	toks := Tokenize(ed.lines[i])
	var words []int
	for k, tok := range toks {
		if isWordToken(tok) && len(tok) > 3 {
			words = append(words, k)
		}
	}
	if len(words) == 0 {
		return
	}
	k := words[ed.rng.IntN(len(words))]
	r := []rune(toks[k])
	slices.Reverse(r)
	toks[k] = "edited" + string(r)
	ed.lines[i] = strings.Join(toks, "")
}

// insertParagraph adds a new paragraph (and its blank line) before a prose one.
func (ed *editor) insertParagraph() {
	i := ed.prose()
	p := "A new paragraph written for the test explains that the article was edited by a script, with a [[link]] and a reference.<ref>Test source, page 12.</ref>"
	ed.lines = slices.Insert(ed.lines, i, p, "")
}

// deleteParagraph removes a prose paragraph.
func (ed *editor) deleteParagraph() {
	i := ed.prose()
	ed.lines = slices.Delete(ed.lines, i, i+1)
}

// rewriteParagraph changes every fifth word of a prose paragraph.
func (ed *editor) rewriteParagraph() {
	i := ed.prose()
	toks := Tokenize(ed.lines[i])
	n := 0
	for k, tok := range toks {
		if isWordToken(tok) {
			if n%5 == 0 {
				toks[k] = strings.ToUpper(tok)
			}
			n++
		}
	}
	ed.lines[i] = strings.Join(toks, "")
}

// moveParagraph moves a prose paragraph somewhere far away, changing one
// word of it on the way.
func (ed *editor) moveParagraph() {
	i := ed.prose()
	p := ed.lines[i]
	ed.lines = slices.Delete(ed.lines, i, i+1)
	p = strings.Replace(p, " the ", " this ", 1)
	j := (i + len(ed.lines)/2) % len(ed.lines)
	ed.lines = slices.Insert(ed.lines, j, p)
}

// changeCJK swaps a few Han or kana characters of a line that has them.
func (ed *editor) changeCJK() {
	for range 10000 {
		i := ed.rng.IntN(len(ed.lines))
		r := []rune(ed.lines[i])
		var at []int
		for k, c := range r {
			if unicode.In(c, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				at = append(at, k)
			}
		}
		if len(at) < 10 {
			continue
		}
		for range 3 {
			k := at[ed.rng.IntN(len(at))]
			r[k] = []rune("改変新字")[ed.rng.IntN(4)]
		}
		ed.lines[i] = string(r)
		return
	}
}

// scriptedPairs returns pairs made by scripted edits of the big articles:
// one of each kind of edit per article, plus the 13-edit mix of the speed
// comparison.
func scriptedPairs(t testing.TB) []pair {
	arts := bigArticles(t)
	names := make([]string, 0, len(arts))
	for n := range arts {
		names = append(names, n)
	}
	slices.Sort(names)
	kinds := []struct {
		name string
		do   func(*editor)
	}{
		{"insert", (*editor).insertParagraph},
		{"delete", (*editor).deleteParagraph},
		{"rewrite", (*editor).rewriteParagraph},
		{"move", (*editor).moveParagraph},
		{"words", func(ed *editor) {
			for range 5 {
				ed.changeWord()
			}
		}},
		{"cjk", (*editor).changeCJK},
	}
	var pairs []pair
	for ai, n := range names {
		for ki, k := range kinds {
			ed := newEditor(arts[n], uint64(ai*100+ki))
			k.do(ed)
			if ed.text() != arts[n] {
				pairs = append(pairs, pair{n + " " + k.name, arts[n], ed.text()})
			}
		}
		pairs = append(pairs, pair{n + " 13 edits", arts[n], thirteenEdits(arts[n])})
	}
	return pairs
}

// thirteenEdits makes the edit mix of the speed comparison: ten changed
// words, one paragraph inserted, one deleted and one moved.
func thirteenEdits(text string) string {
	ed := newEditor(text, 13)
	for range 10 {
		ed.changeWord()
	}
	ed.insertParagraph()
	ed.deleteParagraph()
	ed.moveParagraph()
	return ed.text()
}

// writePairs writes pairs in the record format the PHP scripts read: per
// pair a line "name", a line "len(old) len(new)", then both texts.
func writePairs(path string, pairs []pair) error {
	var sb strings.Builder
	for _, p := range pairs {
		fmt.Fprintf(&sb, "%s\n%d %d\n%s%s", strings.ReplaceAll(p.name, "\n", " "), len(p.old), len(p.new), p.old, p.new)
	}
	return os.WriteFile(path, []byte(sb.String()), 0o644)
}

func TestCorpusPairs(t *testing.T) {
	if n := len(historyPairs(t)); n != 213 {
		t.Errorf("history pairs = %d, want 213 (134 + 79)", n)
	}
	if n := len(feedPairs(t)); n < 30 {
		t.Errorf("feed pairs = %d, want at least 30", n)
	}
	for _, p := range scriptedPairs(t) {
		if p.old == p.new {
			t.Errorf("%s: scripted edit changed nothing", p.name)
		}
	}
}

// phptPairs returns the inputs of php-wikidiff2's own tests
// (testdata/wikidiff2-phpt, see SOURCES.md there).
func phptPairs(t testing.TB) []pair {
	t.Helper()
	olds, err := filepath.Glob("testdata/wikidiff2-phpt/*.old")
	if err != nil || len(olds) == 0 {
		t.Fatalf("no wikidiff2 test inputs found: %v", err)
	}
	var pairs []pair
	for _, f := range olds {
		o, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := os.ReadFile(strings.TrimSuffix(f, ".old") + ".new")
		if err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, pair{"phpt " + strings.TrimSuffix(filepath.Base(f), ".old"), string(o), string(n)})
	}
	return pairs
}
