package diff

import (
	"archive/zip"
	"flag"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var export = flag.String("export", "", "directory to write the benchmark pairs to, for bench/run.sh (TestExportBenchPairs)")

// ukPair is United Kingdom (328 KB) against a copy with 13 scripted edits.
func ukPair(b testing.TB) pair {
	uk := bigArticles(b)["enwiki-United_Kingdom"]
	return pair{"United_Kingdom 13 edits", uk, thirteenEdits(uk)}
}

// unrelatedPair returns two unrelated texts of 500 KB each.
func unrelatedPair(b testing.TB) pair {
	arts := bigArticles(b)
	const size = 500_000
	a := arts["enwiki-United_Kingdom"] + arts["enwiki-Anarchism"]
	c := arts["komicawiki-zh-Super_Robot_Wars_series"] + arts["enwiki-Ibn_al-Haytham"] + arts["dewiki-Mozilla_Firefox"] + arts["enwiki-United_Kingdom"][:100_000]
	if len(a) < size || len(c) < size {
		b.Fatalf("corpus too small: %d, %d", len(a), len(c))
	}
	return pair{"unrelated 500 KB", a[:size], c[:size]}
}

// benchPairs diffs all pairs once per iteration and reports the allocation
// per input byte.
func benchPairs(b *testing.B, pairs []pair) {
	in := 0
	for _, p := range pairs {
		in += len(p.old) + len(p.new)
	}
	b.SetBytes(int64(in))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pairs {
			Compute(p.old, p.new, Options{Context: DefaultContext})
		}
	}
}

func BenchmarkUnitedKingdom13Edits(b *testing.B) { benchPairs(b, []pair{ukPair(b)}) }

// BenchmarkRealEdits diffs the 250 real edits of wikidiff2's benchmark
// (en, hi, ru, th, zh Wikipedia).
func BenchmarkRealEdits(b *testing.B) { benchPairs(b, allRevs(b)) }

// BenchmarkChineseReverse diffs wikidiff2's worst case: 2.4 MB of Chinese
// against the same text with its lines in another order.
func BenchmarkChineseReverse(b *testing.B) { benchPairs(b, []pair{chineseReverse(b)}) }

// BenchmarkSingleLine1MB diffs a 1 MB text with no line break against a
// copy with scattered one-word edits; B/op over the input size is the
// memory figure of issue 9.
func BenchmarkSingleLine1MB(b *testing.B) { benchPairs(b, []pair{singleLine(b)}) }

// allRevs returns the real edits of every language, in a fixed order.
func allRevs(tb testing.TB) []pair {
	revs := revsPairs(tb)
	var out []pair
	for _, l := range []string{"en", "hi", "ru", "th", "zh"} {
		out = append(out, revs[l]...)
	}
	return out
}

// chineseReverse reads wikidiff2's chinese-reverse test data.
func chineseReverse(tb testing.TB) pair {
	zr, err := zip.OpenReader("testdata/chinese-reverse.zip")
	if err != nil {
		tb.Fatal(err)
	}
	defer zr.Close()
	texts := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		texts[f.Name] = string(data)
	}
	return pair{"chinese-reverse", texts["chinese-reverse-1.txt"], texts["chinese-reverse-2.txt"]}
}

// singleLine returns a 1 MB single line of prose and a copy with a word
// changed every 10 KB or so.
func singleLine(tb testing.TB) pair {
	uk := strings.ReplaceAll(bigArticles(tb)["enwiki-United_Kingdom"], "\n", " ")
	old := strings.Repeat(uk, 1_000_000/len(uk)+1)[:1_000_000]
	toks := Tokenize(old)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		k := rng.IntN(len(toks))
		if isWordToken(toks[k]) {
			toks[k] = "edited"
		}
	}
	return pair{"single line 1 MB", old, strings.Join(toks, "")}
}

func BenchmarkWiktionaryPairs(b *testing.B) { benchPairs(b, historyPairs(b)) }

func BenchmarkUnrelated500KB(b *testing.B) { benchPairs(b, []pair{unrelatedPair(b)}) }

func BenchmarkScriptedEdits(b *testing.B) { benchPairs(b, scriptedPairs(b)) }

// BenchmarkWordsParagraph diffs one long paragraph against a copy with
// every fifth word changed, word by word (Words has no line level).
func BenchmarkWordsParagraph(b *testing.B) {
	ed := newEditor(bigArticles(b)["enwiki-Anarchism"], 7)
	i := ed.prose()
	old := ed.lines[i]
	toks := Tokenize(old)
	for k := 0; k < len(toks); k += 10 {
		toks[k] = strings.ToUpper(toks[k]) + "x"
	}
	p := pair{"paragraph", old, strings.Join(toks, "")}
	if p.old == p.new {
		b.Fatal("the edit changed nothing")
	}
	b.SetBytes(int64(len(p.old) + len(p.new)))
	b.ReportAllocs()
	for b.Loop() {
		Words(p.old, p.new)
	}
}

// BenchmarkTokenize splits the United Kingdom article into tokens.
func BenchmarkTokenize(b *testing.B) {
	uk := bigArticles(b)["enwiki-United_Kingdom"]
	b.SetBytes(int64(len(uk)))
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(uk)
	}
}

// TestExportBenchPairs writes the benchmark pairs for the PHP side of
// bench/run.sh; it does nothing without -export.
func TestExportBenchPairs(t *testing.T) {
	if *export == "" {
		t.Skip("no -export directory given")
	}
	sets := map[string][]pair{
		"uk.pairs":         {ukPair(t)},
		"wiktionary.pairs": historyPairs(t),
		"unrelated.pairs":  {unrelatedPair(t)},
		"revs.pairs":       allRevs(t),
		"chinese.pairs":    {chineseReverse(t)},
		"oneline.pairs":    {singleLine(t)},
	}
	for name, ps := range sets {
		if err := writePairs(filepath.Join(*export, name), ps); err != nil {
			t.Fatal(err)
		}
	}
	// The United Kingdom pair also as bare files (for git diff) and as a
	// page-history Atom feed of two revisions carrying their full text
	// (for wikifeed diff).
	uk := ukPair(t)
	files := map[string]string{
		"uk-old.wikitext": uk.old,
		"uk-new.wikitext": uk.new,
		"uk.atom":         historyFeed("United Kingdom", uk.old, uk.new),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*export, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// historyFeed returns a MediaWiki-style page-history Atom feed whose two
// entries (revisions 1 and 2 of title) carry the full wikitext, newest first.
func historyFeed(title, old, new string) string {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>https://example.org/w/index.php?title=` + strings.ReplaceAll(title, " ", "_") + `&amp;action=history</id>
<title>` + html.EscapeString(title) + ` - Revision history</title>
<link rel="self" type="application/atom+xml" href="https://example.org/w/index.php?title=X&amp;feed=atom&amp;action=history"/>
<updated>2024-01-02T00:00:00Z</updated>
<generator>MediaWiki 1.41.0</generator>
`)
	for i, text := range []string{new, old} {
		id := 2 - i
		body := "<p>scripted edit</p>\n<p><b>New page</b></p><div>" + strings.ReplaceAll(html.EscapeString(text), "\n", "<br />\n") + "</div>"
		fmt.Fprintf(&sb, `<entry>
<id>https://example.org/w/index.php?title=%[1]s&amp;diff=%[2]d&amp;oldid=%[3]d</id>
<title>%[4]s</title>
<link rel="alternate" type="text/html" href="https://example.org/w/index.php?title=%[1]s&amp;diff=%[2]d&amp;oldid=%[3]d"/>
<updated>2024-01-0%[2]dT00:00:00Z</updated>
<summary type="html">%[5]s</summary>
<author><name>Tester</name></author>
</entry>
`, strings.ReplaceAll(title, " ", "_"), id, id-1, html.EscapeString(title), html.EscapeString(body))
	}
	sb.WriteString("</feed>\n")
	return sb.String()
}

// maxSingleLineAlloc is the most a diff of the 1 MB single line may
// allocate, per byte of one side (issue 9: at most 10× its size).
const maxSingleLineAlloc = 10

// TestSingleLineMemory checks the memory figure of issue 9: a 1 MB single
// line with scattered edits (prose, and Chinese without spaces), too big to
// compare word by word, is diffed in at most 10× its size (it used to
// tokenise both sides first and throw the tokens away, 34×).
func TestSingleLineMemory(t *testing.T) {
	zh := strings.ReplaceAll(chineseReverse(t).old, "\n", "")[:1_000_000]
	zh = strings.ToValidUTF8(zh, "")
	zhEdited := []rune(zh)
	for k := 1000; k < len(zhEdited); k += 10_000 {
		zhEdited[k] = '改'
	}
	for _, p := range []pair{singleLine(t), {"chinese", zh, string(zhEdited)}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := Compute(p.old, p.new, Options{Context: DefaultContext})
		runtime.ReadMemStats(&after)
		if r == nil || r.Stats.LinesChanged != 1 {
			t.Fatalf("%s: want one changed line, got %+v", p.name, r)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > maxSingleLineAlloc*uint64(len(p.old)) {
			t.Errorf("%s: diff allocated %d bytes, more than %d× the %d-byte line", p.name, got, maxSingleLineAlloc, len(p.old))
		}
	}
}
