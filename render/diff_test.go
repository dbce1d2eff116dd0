package render

import (
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/diff/mwtable"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// Test inputs.
const (
	historyPath = "../testdata/wikitext/dewiktionary-Hallo-full-history.xml"
	ukPath      = "../testdata/wikitext/enwiki-United_Kingdom.wikitext"
	feedDir     = "../testdata/feeds"
)

// feedTable returns diff table n (from 1) of a test feed, read with a
// test-only scan of the escaped entry bodies.
func feedTable(t testing.TB, name string, n int) *mwtable.Table {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(feedDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if el, ok := tok.(xml.StartElement); ok && (el.Name.Local == "description" || el.Name.Local == "summary") {
			var s string
			if dec.DecodeElement(&s, &el) == nil {
				if i := strings.Index(s, "<table"); i >= 0 {
					bodies = append(bodies, s[i:])
				}
			}
		}
	}
	if n > len(bodies) {
		t.Fatalf("%s has %d tables, not %d", name, len(bodies), n)
	}
	tab, err := mwtable.ParseTable(bodies[n-1])
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// movePair is a real text with a paragraph moved and changed on the way,
// a word changed at the start and a line added at the end.
func movePair(t testing.TB) (string, string) {
	texts := testwiki.HistoryTexts(t, historyPath)
	old := texts[len(texts)-1]
	lines := strings.Split(old, "\n")
	moved := strings.Replace(lines[17], "{{Pl.}}", "{{Plural}}", 1)
	nl := append([]string{}, lines[:17]...)
	nl = append(nl, lines[18:29]...)
	nl = append(nl, moved)
	nl = append(nl, lines[29:]...)
	nl[1] = strings.Replace(nl[1], "Hallo", "Hallo!", 1)
	nl = append(nl, "Eine neue Zeile am Ende mit einigen Wörtern, damit sie beim Umbrechen über die Breite hinausgeht und umbrochen werden muss.")
	return old, strings.Join(nl, "\n")
}

// init declares -update unless another test file of the package has.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata/")
	}
}

// goldenInputs are the diffs the golden files show: feed tables of three
// MediaWiki generations and real revision pairs.
func goldenInputs(t *testing.T) []struct {
	name string
	res  *diff.Result
	tab  *mwtable.Table
} {
	texts := testwiki.HistoryTexts(t, historyPath)
	mo, mn := movePair(t)
	type in = struct {
		name string
		res  *diff.Result
		tab  *mwtable.Table
	}
	ins := []in{
		{name: "hallo-rev-2"},
		{name: "hallo-rev-60"},
		{name: "hallo-moved"},
		{name: "table-x3-1.15", tab: feedTable(t, "mediawiki-1.15.3-x3wiki-recentchanges.rss", 2)},
		{name: "table-x3-1.27", tab: feedTable(t, "mediawiki-1.27.1-x3wiki-recentchanges-api.atom", 2)},
		{name: "table-wikidata", tab: feedTable(t, "wikidata-1.26wmf7-recentchanges.rss", 6)},
	}
	ins[0].res = diff.Compute(texts[1], texts[2], diff.Options{Context: diff.DefaultContext})
	ins[1].res = diff.Compute(texts[59], texts[60], diff.Options{Context: diff.DefaultContext})
	ins[2].res = diff.Compute(mo, mn, diff.Options{Context: diff.DefaultContext})
	for i := range ins {
		if ins[i].tab != nil {
			ins[i].res = ins[i].tab.Result
		}
	}
	return ins
}

// golden compares got with testdata/<test name>.golden, or rewrites it
// with -update. Escape codes are written as \x1b so the files read as text.
func golden(t *testing.T, got string) {
	t.Helper()
	testwiki.Golden(t, strings.ReplaceAll(got, "\x1b", `\x1b`))
}

// modeNames name the layouts in test names.
var modeNames = map[DiffMode]string{DiffInline: "inline", DiffUnified: "unified", DiffSideBySide: "side-by-side"}

// TestDiffGolden renders real diffs in every layout, plain and ANSI, at
// 80 and 140 columns, and checks them against golden files and the
// invariants of a rendering: the width holds, plain output has no escape
// codes, and ChangeLines point at the changes.
func TestDiffGolden(t *testing.T) {
	for _, in := range goldenInputs(t) {
		for _, mode := range []DiffMode{DiffInline, DiffUnified, DiffSideBySide} {
			for _, format := range []Format{Plain, ANSI} {
				for _, width := range []int{80, 140} {
					fname := map[Format]string{Plain: "plain", ANSI: "ansi"}[format]
					name := fmt.Sprintf("%s/%s-%s-%d", in.name, modeNames[mode], fname, width)
					t.Run(name, func(t *testing.T) {
						opts := DiffOptions{Options: Options{Width: width, Format: format, Style: "dark"}, Mode: mode}
						if in.tab != nil {
							opts.Notes, opts.HunkTitles, opts.NoLineNumbers = in.tab.Notes, in.tab.HunkTitles, !in.tab.Numbered
						}
						out, err := DiffWith(in.res, opts)
						if err != nil {
							t.Fatal(err)
						}
						checkRendering(t, in.res, out, opts)
						golden(t, out.Text)
					})
				}
			}
		}
	}
}

// checkRendering checks the invariants of a rendered diff.
func checkRendering(t *testing.T, res *diff.Result, out RenderedDiff, opts DiffOptions) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out.Text, "\n"), "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); opts.Width > 0 && w > opts.Width {
			t.Errorf("line %d is %d cells wide, over %d: %q", i, w, opts.Width, l)
		}
		if opts.Format == Plain && strings.ContainsRune(l, '\x1b') {
			t.Fatalf("plain line %d has an escape code: %q", i, l)
		}
	}
	if want := len(res.Changes()); len(out.ChangeLines) != want {
		t.Errorf("%d change lines, want %d", len(out.ChangeLines), want)
	}
	changes := res.Changes()
	prev := -1
	for i, k := range out.ChangeLines {
		if k <= prev || k >= len(lines) {
			t.Fatalf("change lines %v out of order or range (%d lines)", out.ChangeLines, len(lines))
		}
		prev = k
		if i < len(changes) && onlyLineBreak(res.Hunks[changes[i].Hunk].Lines[changes[i].Line]) && opts.Format == Plain && opts.Mode == DiffInline {
			// Only its line break changed: git's format shows no mark.
			continue
		}
		// The mark may be on a later row of a wrapped line.
		end := len(lines)
		if i+1 < len(out.ChangeLines) {
			end = out.ChangeLines[i+1]
		}
		found := false
		for _, l := range lines[k:min(end, k+maxRows)] {
			if isChangeLine(ansi.Strip(l), opts) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("change line %d is not a change: %q", k, ansi.Strip(lines[k]))
		}
	}
}

// maxRows is how many rows a wrapped line of the golden inputs takes at
// most, at 80 columns.
const maxRows = 8

// onlyLineBreak reports whether a changed line only gained or lost its
// line break at the end of the text.
func onlyLineBreak(l diff.Line) bool {
	if l.Kind != diff.Changed {
		return false
	}
	for _, s := range l.Spans {
		if s.Op != diff.Equal {
			return false
		}
	}
	return true
}

// changeMark finds a change mark in a plain or stripped ANSI line: a word
// mark, or a gutter mark after the line number.
var changeMark = regexp.MustCompile(`\[-|\{\+|^\s*(\d+\s+)*[-+~<>]( |$)|^[-+]|│\s*(\d+\s+)*[-+~<>]( |$)`)

// isChangeLine reports whether a rendered line shows a change.
func isChangeLine(l string, opts DiffOptions) bool {
	if opts.Format == Plain && opts.Mode == DiffInline {
		// git's format has no gutter: whole lines are [- -] or {+ +}.
		return strings.Contains(l, "[-") || strings.Contains(l, "{+")
	}
	return changeMark.MatchString(l)
}

// TestUnifiedPatchApplies writes every adjacent revision pair of a real
// history, and scripted edits, as a unified diff, applies it to the old
// text with a small patch reader and checks that it gives the new text.
func TestUnifiedPatchApplies(t *testing.T) {
	texts := testwiki.HistoryTexts(t, historyPath)
	type pair struct{ old, new string }
	var pairs []pair
	for i := 1; i < len(texts); i++ {
		pairs = append(pairs, pair{texts[i-1], texts[i]})
	}
	mo, mn := movePair(t)
	pairs = append(pairs, pair{mo, mn}, pair{"", "a\nb"}, pair{"a\nb", ""}, pair{"a\nb\n", "a\nb"}, pair{"a\nb", "a\nc\n"}, pair{"x\n", "x\ny\n"})
	for i, p := range pairs {
		for _, ctx := range []int{0, 2, -1} {
			res := diff.Compute(p.old, p.new, diff.Options{Context: ctx})
			out, err := DiffWith(res, DiffOptions{Unified: true, OldText: p.old, NewText: p.new})
			if err != nil {
				t.Fatal(err)
			}
			got, err := applyUnified(p.old, out.Text)
			if err != nil {
				t.Fatalf("pair %d, context %d: %v\n%s", i, ctx, err, out.Text)
			}
			if got != p.new {
				t.Fatalf("pair %d, context %d: the patch does not give the new text\n%s", i, ctx, out.Text)
			}
		}
	}
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@`)

// applyUnified applies a unified diff to old, as patch(1) would with no
// fuzz: every context and deleted line must match, line break included
// ("\\ No newline at end of file" after a line says it has none).
func applyUnified(old, patch string) (string, error) {
	if patch == "" {
		return old, nil
	}
	a := strings.SplitAfter(old, "\n")
	if a[len(a)-1] == "" {
		a = a[:len(a)-1]
	}
	var out []string
	o := 0
	lines := strings.Split(strings.TrimSuffix(patch, "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return "", fmt.Errorf("no ---/+++ header")
	}
	for i := 2; i < len(lines); i++ {
		l := lines[i]
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			start, _ := strconv.Atoi(m[1])
			count := 1
			if m[2] != "" {
				count, _ = strconv.Atoi(m[2])
			}
			if count > 0 {
				start--
			}
			if start < o || start > len(a) {
				return "", fmt.Errorf("hunk at %d out of order", start)
			}
			out = append(out, a[o:start]...)
			o = start
			continue
		}
		if l == "" {
			return "", fmt.Errorf("empty patch line %d", i+1)
		}
		bare := i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\")
		full := l[1:]
		if !bare {
			full += "\n"
		}
		switch l[0] {
		case ' ', '-':
			if o >= len(a) || a[o] != full {
				return "", fmt.Errorf("patch line %d %q does not match old line %d %q", i+1, l, o+1, a[min(o, len(a)-1)])
			}
			if l[0] == ' ' {
				out = append(out, full)
			}
			o++
		case '+':
			out = append(out, full)
		case '\\':
		default:
			return "", fmt.Errorf("bad patch line %q", l)
		}
	}
	out = append(out, a[o:]...)
	return strings.Join(out, ""), nil
}

// TestDiffSanitizes checks that control characters in the texts do not
// reach the output, in any layout or format.
func TestDiffSanitizes(t *testing.T) {
	evil := "safe \x1b]52;c;cm0gLXJmIH4=\x07 text \x1b[2J\x9b31m end"
	res := diff.Compute("a line\n"+evil+"\n", "a line\n"+evil+" more\n", diff.Options{Context: 2})
	for _, opts := range []DiffOptions{
		{Options: Options{Format: Plain}},
		{Options: Options{Format: ANSI, Width: 80}},
		{Options: Options{Format: ANSI, Width: 140}, Mode: DiffSideBySide},
		{Options: Options{Format: Plain}, Mode: DiffUnified},
		{Unified: true, OldName: "evil\x1b[31m", NewName: "x"},
	} {
		out, err := DiffWith(res, opts)
		if err != nil {
			t.Fatal(err)
		}
		// Our own styling uses SGR codes only: ESC [ digits ; m.
		rest := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out.Text, "")
		for _, r := range rest {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
				t.Errorf("%+v: control character %U in output %q", opts, r, out.Text)
				break
			}
		}
	}
}

// TestDiffNil renders an empty diff.
func TestDiffNil(t *testing.T) {
	out, err := DiffWith(nil, DiffOptions{Options: Options{Format: Plain}, Notes: []string{"(No difference)"}})
	if err != nil || out.Text != "(No difference)\n(No difference)\n" || len(out.ChangeLines) != 0 {
		t.Errorf("got %q, %v", out.Text, err)
	}
	out, _ = DiffWith(nil, DiffOptions{Unified: true})
	if out.Text != "" {
		t.Errorf("unified diff of equal texts: %q, want nothing (as diff -u)", out.Text)
	}
	if _, err := DiffWith(nil, DiffOptions{Options: Options{Width: -1}}); err == nil {
		t.Error("negative width: no error")
	}
}

// TestWrapPieces checks the word wrap on its own.
func TestWrapPieces(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  []string
	}{
		{"one two three", 7, []string{"one two", "three"}},
		{"one two three", 8, []string{"one two", "three"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"日本語のテキスト", 6, []string{"日本語", "のテキ", "スト"}},
		{"a  b", 1, []string{"a", "b"}},
		{"", 5, nil},
	}
	for _, c := range cases {
		rows := wrapPieces([]piece{{c.in, stText}}, c.width)
		var got []string
		for _, r := range rows {
			var sb strings.Builder
			for _, p := range r {
				sb.WriteString(p.text)
			}
			got = append(got, sb.String())
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("wrap %q at %d: %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// BenchmarkRenderLargeDiff renders the diff of a 328 KB article against a
// copy with every 40th line changed, in each layout, as ANSI at 120
// columns and as a unified patch.
func BenchmarkRenderLargeDiff(b *testing.B) {
	data, err := os.ReadFile(ukPath)
	if err != nil {
		b.Fatal(err)
	}
	old := string(data)
	lines := strings.Split(old, "\n")
	for i := 0; i < len(lines); i += 40 {
		lines[i] = strings.Replace(lines[i], "the", "THE", 2) + " edited"
	}
	res := diff.Compute(old, strings.Join(lines, "\n"), diff.Options{Context: diff.DefaultContext})
	for _, c := range []struct {
		name string
		opts DiffOptions
	}{
		{"inline-ansi-120", DiffOptions{Options: Options{Width: 120, Format: ANSI}}},
		{"inline-plain", DiffOptions{Options: Options{Format: Plain}}},
		{"unified-ansi-120", DiffOptions{Options: Options{Width: 120, Format: ANSI}, Mode: DiffUnified}},
		{"side-by-side-ansi-160", DiffOptions{Options: Options{Width: 160, Format: ANSI}, Mode: DiffSideBySide}},
		{"patch", DiffOptions{Unified: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(old)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DiffWith(res, c.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzDiffWith renders the diff of two fuzzed texts in every layout and
// checks the rendering's invariants. It is seeded with real revisions.
func FuzzDiffWith(f *testing.F) {
	texts := testwiki.HistoryTexts(f, historyPath)
	for i := 1; i < len(texts); i += 20 {
		f.Add(texts[i-1], texts[i], uint8(80))
	}
	f.Add("a\tb\x1b[31m\n日本語のテキスト\u0301\n", "a b\n日本語テキスト\n\n", uint8(20))
	f.Fuzz(func(t *testing.T, old, new string, w uint8) {
		width := 20 + int(w)
		res := diff.Compute(old, new, diff.Options{Context: diff.DefaultContext})
		for _, mode := range []DiffMode{DiffInline, DiffUnified, DiffSideBySide} {
			for _, format := range []Format{Plain, ANSI} {
				opts := DiffOptions{Options: Options{Width: width, Format: format}, Mode: mode}
				out, err := DiffWith(res, opts)
				if err != nil {
					t.Fatal(err)
				}
				if mode == DiffSideBySide && width < SideBySideMinWidth {
					opts.Mode = DiffInline
				}
				lines := strings.Split(strings.TrimSuffix(out.Text, "\n"), "\n")
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > width {
						t.Fatalf("%v: line %d is %d cells wide, over %d: %q", opts, i, w, width, l)
					}
				}
				if len(out.ChangeLines) != len(res.Changes()) {
					t.Fatalf("%d change lines for %d changes", len(out.ChangeLines), len(res.Changes()))
				}
			}
		}
	})
}

// TestWideRunes checks the fast paths of cellWidth and runeWidth against
// ansi.StringWidth: every rune isTwoCells accepts is two cells, alone and
// after other text.
func TestWideRunes(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		if !isTwoCells(r) {
			continue
		}
		s := string(r)
		if w := ansi.StringWidth(s); w != 2 {
			t.Errorf("%U: ansi.StringWidth %d, isTwoCells says 2", r, w)
		}
		if w, want := cellWidth("ab"+s+s), ansi.StringWidth("ab"+s+s); w != want {
			t.Errorf("%U: cellWidth %d, ansi.StringWidth %d", r, w, want)
		}
	}
}
