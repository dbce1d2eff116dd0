package mwtable

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/diff"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// The -update flag, which testwiki.Golden reads through flag.Lookup.
var _ = flag.Bool("update", false, "rewrite the golden files in testdata/")

// feedDir holds the real feeds.
const feedDir = "../../testdata/feeds"

// feedBodies returns the HTML bodies of a feed's entries (Atom summary or
// content, RSS description), in feed order. It is a test-only reader: the
// diff packages do not import feed.
func feedBodies(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := xml.NewDecoder(f)
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var bodies []string
	inEntry := false
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "entry", "item":
				inEntry = true
			case "summary", "description", "content":
				if inEntry {
					var s string
					if err := dec.DecodeElement(&s, &el); err != nil {
						t.Fatalf("%s: %v", path, err)
					}
					bodies = append(bodies, s)
				}
			}
		case xml.EndElement:
			if el.Name.Local == "entry" || el.Name.Local == "item" {
				inEntry = false
			}
		}
	}
	return bodies
}

// tableOf returns the diff table in an entry body, from "<table", or "".
func tableOf(body string) string {
	i := strings.Index(strings.ToLower(body), "<table")
	if i < 0 {
		return ""
	}
	return body[i:]
}

// feedTables returns every diff table in the test feeds, by feed file name.
func feedTables(t testing.TB) map[string][]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(feedDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".md") {
			continue
		}
		for _, b := range feedBodies(t, p) {
			if tb := tableOf(b); tb != "" {
				out[filepath.Base(p)] = append(out[filepath.Base(p)], tb)
			}
		}
	}
	return out
}

// dump writes a Table in a compact text form for golden files: a title
// line, notes, unified-diff hunk headers (with the hunk title), and one
// line per diff line: "  " context, "- " deleted, "+ " added, "~ " changed,
// "<N" moved from and ">N" moved to (N the move number); changed and moved
// lines show their words as [-old-]{+new+}.
func dump(t *Table) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "titles: %q | %q\n", t.OldTitle, t.NewTitle)
	for _, n := range t.Notes {
		fmt.Fprintf(&sb, "note: %s\n", n)
	}
	if !t.Numbered {
		sb.WriteString("unnumbered\n")
	}
	if t.Result == nil {
		sb.WriteString("no difference\n")
		return sb.String()
	}
	st := t.Result.Stats
	fmt.Fprintf(&sb, "stats: lines +%d -%d ~%d moved %d; words +%d -%d; bytes +%d -%d\n",
		st.LinesAdded, st.LinesDeleted, st.LinesChanged, st.LinesMoved,
		st.WordsAdded, st.WordsDeleted, st.BytesAdded, st.BytesDeleted)
	for i, h := range t.Result.Hunks {
		fmt.Fprintf(&sb, "@@ -%d,%d +%d,%d @@", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		if t.HunkTitles[i] != "" {
			sb.WriteString(" " + t.HunkTitles[i])
		}
		sb.WriteString("\n")
		for _, l := range h.Lines {
			mark := map[diff.LineKind]string{diff.Context: "  ", diff.Deleted: "- ", diff.Added: "+ ", diff.Changed: "~ "}[l.Kind]
			switch l.Kind {
			case diff.MovedFrom:
				mark = fmt.Sprintf("<%d", l.Move)
			case diff.MovedTo:
				mark = fmt.Sprintf(">%d", l.Move)
			case diff.Context, diff.Added, diff.Deleted, diff.Changed:
				// The map's mark.
			}
			fmt.Fprintf(&sb, "%s %d:%d ", mark, l.OldNo, l.NewNo)
			for _, s := range l.Spans {
				switch s.Op {
				case diff.Equal:
					sb.WriteString(s.Text)
				case diff.Delete:
					if l.Kind == diff.Deleted {
						sb.WriteString(s.Text)
					} else {
						sb.WriteString("[-" + s.Text + "-]")
					}
				case diff.Insert:
					if l.Kind == diff.Added {
						sb.WriteString(s.Text)
					} else {
						sb.WriteString("{+" + s.Text + "+}")
					}
				}
			}
			sb.WriteString("\n")
		}
	}
	return sb.String()
}

// TestFeedTables parses every diff table of every test feed and compares
// the result with a golden file per feed.
func TestFeedTables(t *testing.T) {
	tables := feedTables(t)
	total := 0
	for name, tbs := range tables {
		t.Run(name, func(t *testing.T) {
			var sb strings.Builder
			for i, tb := range tbs {
				tab, err := ParseTable(tb)
				if err != nil {
					t.Errorf("table %d: %v", i+1, err)
					continue
				}
				checkTable(t, tab)
				fmt.Fprintf(&sb, "=== table %d\n%s", i+1, dump(tab))
			}
			testwiki.Golden(t, sb.String())
		})
		total += len(tbs)
	}
	// The feeds hold 81 tables (SOURCES.md); fewer means the reader broke.
	if total < 75 {
		t.Errorf("found %d diff tables in the test feeds, want at least 75", total)
	}
}

// checkTable checks the invariants of a parsed table's Result.
func checkTable(t *testing.T, tab *Table) {
	t.Helper()
	r := tab.Result
	if r == nil {
		return
	}
	if len(tab.HunkTitles) != len(r.Hunks) {
		t.Errorf("%d hunk titles for %d hunks", len(tab.HunkTitles), len(r.Hunks))
	}
	moves := map[int]int{}
	for hi, h := range r.Hunks {
		var oldN, newN int
		for _, l := range h.Lines {
			if l.OldNo > 0 {
				oldN++
			}
			if l.NewNo > 0 {
				newN++
			}
			switch l.Kind {
			case diff.Context:
				if l.OldNo == 0 || l.NewNo == 0 {
					t.Errorf("hunk %d: context line without both numbers: %+v", hi, l)
				}
			case diff.Changed:
				if l.OldNo == 0 || l.NewNo == 0 {
					t.Errorf("hunk %d: changed line without both numbers: %+v", hi, l)
				}
			case diff.Deleted, diff.MovedFrom:
				if l.OldNo == 0 || l.NewNo != 0 {
					t.Errorf("hunk %d: deleted line numbered %d:%d", hi, l.OldNo, l.NewNo)
				}
			case diff.Added, diff.MovedTo:
				if l.NewNo == 0 || l.OldNo != 0 {
					t.Errorf("hunk %d: added line numbered %d:%d", hi, l.OldNo, l.NewNo)
				}
			}
			if l.Kind == diff.MovedFrom || l.Kind == diff.MovedTo {
				moves[l.Move]++
			}
		}
		if oldN != h.OldLines || newN != h.NewLines {
			t.Errorf("hunk %d counts %d,%d lines, header says %d,%d", hi, oldN, newN, h.OldLines, h.NewLines)
		}
	}
	for id, n := range moves {
		if n != 2 {
			t.Errorf("move %d has %d ends, want 2", id, n)
		}
	}
}

// TestShapes covers row shapes the feeds lack: data-marker cells, moved
// paragraphs, wikidiff2's bare rows with LINE comments, a table before
// its header, garbage.
func TestShapes(t *testing.T) {
	cases := []struct {
		name, html string
		want       string
	}{
		{
			name: "data-marker",
			html: `<table><tr><td colspan="2" class="diff-lineno">Line 7:</td><td colspan="2" class="diff-lineno">Line 8:</td></tr>
<tr><td class="diff-marker" data-marker="−"></td><td><div>the <del style="font-weight:bold">old</del> word</div></td><td class="diff-marker" data-marker="+"></td><td><div>the <ins>new</ins> word</div></td></tr>
<tr><td class="diff-marker"></td><td><div>same</div></td><td class="diff-marker"></td><td><div>same</div></td></tr>
<tr><td colspan="2"></td><td class="diff-marker" data-marker="+"></td><td><br /></td></tr></table>`,
			want: `titles: "" | ""
stats: lines +1 -0 ~1 moved 0; words +1 -1; bytes +4 -3
@@ -7,2 +8,3 @@
~  7:8 the [-old-]{+new+} word
   8:9 same
+  0:10 
`,
		},
		{
			name: "moved paragraph",
			html: `<tr><td colspan="2" class="diff-lineno"><!--LINE 1--></td><td colspan="2" class="diff-lineno"><!--LINE 1--></td></tr>
<tr><td class="diff-marker"><a class="mw-diff-movedpara-left" href="#movedpara_3_1_rhs">&#x26AB;</a></td><td><div><a name="movedpara_1_1_lhs"></a>cats and <del class="diffchange diffchange-inline">dogs</del> too</div></td><td colspan="2" class="diff-empty"></td></tr>
<tr><td class="diff-marker"></td><td><div>stays</div></td><td class="diff-marker"></td><td><div>stays</div></td></tr>
<tr><td colspan="2" class="diff-empty"></td><td class="diff-marker"><a href="#movedpara_1_1_lhs">&#x26AB;</a></td><td><div><a name="movedpara_3_1_rhs"></a>cats and <ins>mice</ins> too</div></td></tr>`,
			want: `titles: "" | ""
stats: lines +0 -0 ~0 moved 1; words +1 -1; bytes +4 -4
@@ -1,2 +1,2 @@
<1 1:0 cats and [-dogs-]{+mice+} too
   2:1 stays
>1 0:2 cats and [-dogs-]{+mice+} too
`,
		},
		{
			name: "moved up",
			html: `<tr><td colspan="2" class="diff-lineno"><!--LINE 4--></td><td colspan="2" class="diff-lineno"><!--LINE 4--></td></tr>
<tr><td colspan="2"></td><td class="diff-marker"><a href="#movedpara_9_0_lhs">&#x26AB;</a></td><td><div><a name="movedpara_4_0_rhs"></a>para</div></td></tr>
<tr><td class="diff-marker">−</td><td><div><a name="movedpara_9_0_lhs"></a>para</div></td><td colspan="2"></td></tr>`,
			want: `titles: "" | ""
stats: lines +0 -0 ~0 moved 1; words +0 -0; bytes +0 -0
@@ -4,1 +4,1 @@
>1 0:4 para
<1 4:0 para
`,
		},
		{
			name: "unpaired move end stays deleted",
			html: `<tr><td colspan="2" class="diff-lineno">Line 2:</td><td colspan="2" class="diff-lineno">Line 2:</td></tr>
<tr><td class="diff-marker"><a href="#movedpara_1_0_rhs">x</a></td><td><div><a name="movedpara_0_0_lhs"></a>gone</div></td><td colspan="2"></td></tr>`,
			want: `titles: "" | ""
stats: lines +0 -1 ~0 moved 0; words +0 -1; bytes +0 -5
@@ -2,1 +1,0 @@
-  2:0 gone
`,
		},
		{
			name: "sides disagree",
			html: `<tr><td>-</td><td><div>abc <del>x</del> def</div></td><td>+</td><td><div>abd <ins>y</ins> def</div></td></tr>`,
			want: `titles: "" | ""
unnumbered
stats: lines +0 -0 ~1 moved 0; words +3 -3; bytes +7 -7
@@ -1,1 +1,1 @@
~  1:1 ab[-c x def-]{+d y def+}
`,
		},
		{
			name: "localised header with separators",
			html: `<table><tr><td colspan="2">← Nächstältere Version</td><td colspan="2">Version vom 1. Mai</td></tr>
<tr><td colspan="2">Zeile 1.234:</td><td colspan="2">Zeile 1.240:</td></tr>
<tr><td>&#160;</td><td><div>x</div></td><td>&#160;</td><td><div>x</div></td></tr>
<tr><td>−</td><td><div>a</div></td><td colspan="2">&#160;</td></tr></table>`,
			want: `titles: "← Nächstältere Version" | "Version vom 1. Mai"
stats: lines +0 -1 ~0 moved 0; words +0 -1; bytes +0 -2
@@ -1234,2 +1240,1 @@
   1234:1240 x
-  1235:0 a
`,
		},
		{
			name: "headers without classes",
			html: `<table><tr><td colspan="2">← Older revision</td><td colspan="2">Revision as of 13:21</td></tr>
<tr><td colspan="2"></td><td colspan="2">property / given name</td></tr>
<tr><td colspan="2">&nbsp;</td><td>+</td><td><div><ins>Filip</ins></div></td></tr>
<tr><td colspan="2">links / cawiki / name</td><td colspan="2">links / cawiki / name</td></tr>
<tr><td>-</td><td><div><del>Filip I</del></div></td><td colspan="2">&nbsp;</td></tr></table>`,
			want: `titles: "← Older revision" | "Revision as of 13:21"
unnumbered
stats: lines +1 -1 ~0 moved 0; words +1 -2; bytes +6 -8
@@ -0,0 +1,1 @@ property / given name
+  0:1 Filip
@@ -1,1 +1,0 @@ links / cawiki / name
-  1:0 Filip I
`,
		},
		{
			name: "lineno id with Persian digits",
			html: `<table><tr><td colspan="2" class="diff-lineno" id="mw-diff-left-l12">خط ۱۲:</td><td colspan="2" class="diff-lineno">خط ۱۲:</td></tr>
<tr><td>−</td><td><div>الف</div></td><td colspan="2"></td></tr></table>`,
			want: `titles: "" | ""
stats: lines +0 -1 ~0 moved 0; words +0 -1; bytes +0 -7
@@ -12,1 +11,0 @@
-  12:0 الف
`,
		},
		{
			name: "no difference",
			html: `<table class="diff diff-contentalign-left" data-mw="interface">
<tr style="vertical-align: top;" lang="en"><td colspan="1">← Older revision</td><td colspan="1">Revision as of 17:52, 28 June 2018</td></tr>
<tr><td colspan="2" style="text-align: center;" lang="en"><div class="mw-diff-empty">(No difference)</div></td></tr></table>`,
			want: `titles: "← Older revision" | "Revision as of 17:52, 28 June 2018"
note: (No difference)
no difference
`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tab, err := ParseTable(c.html)
			if err != nil {
				t.Fatal(err)
			}
			checkTable(t, tab)
			if got := dump(tab); got != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// TestErrors checks that input without a diff table fails cleanly.
func TestErrors(t *testing.T) {
	for _, s := range []string{
		"",
		"<p>just a paragraph</p>",
		"<table><tr><td>a</td><td>b</td><td>c</td><td>d</td><td>e</td></tr></table>",
		strings.Repeat("x", MaxBytes+1),
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%.40q): no error", s)
		}
	}
}

// FuzzParse checks that no input panics, and that what parses keeps the
// model's invariants. It is seeded with every table of the test feeds.
func FuzzParse(f *testing.F) {
	for _, tbs := range feedTables(f) {
		for _, tb := range tbs {
			f.Add(tb)
		}
	}
	f.Add(`<tr><td colspan="2"><!--LINE 1--></td><td colspan="2"><!--LINE 1--></td></tr><tr><td><a href="#movedpara_1_0_rhs">x</a></td><td><a name="movedpara_0_0_lhs"></a>a</td><td colspan="2"></td></tr><tr><td colspan="2"></td><td><a href="#movedpara_0_0_lhs">x</a></td><td><a name="movedpara_1_0_rhs"></a>b</td></tr>`)
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ParseTable(s)
		if err != nil {
			return
		}
		checkTable(t, tab)
		if tab.Result == nil {
			return
		}
		for _, h := range tab.Result.Hunks {
			for _, l := range h.Lines {
				if l.Kind == diff.Deleted && l.NewText() != "" || l.Kind == diff.Added && l.OldText() != "" {
					t.Errorf("one-sided line with text on the other side: %+v", l)
				}
			}
		}
	})
}

// BenchmarkParse parses every diff table of the test feeds (81 tables,
// 1.12 to 1.27 and Wikidata).
func BenchmarkParse(b *testing.B) {
	var tables []string
	size := 0
	for _, tbs := range feedTables(b) {
		for _, tb := range tbs {
			tables = append(tables, tb)
			size += len(tb)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, tb := range tables {
			if _, err := ParseTable(tb); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestWikidiff2Saved parses rows that wikidiff2 1.13 wrote for a scripted
// edit of a real page (testdata/wikidiff2-1.13-moves.php on the newest
// text of the Hallo history): data-marker cells, <br /> for empty lines,
// LINE comments and a moved paragraph with a changed word. It runs where
// php is missing, unlike TestWikidiff2Tables.
func TestWikidiff2Saved(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "wikidiff2-1.13-moves.html"))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ParseTable(string(data))
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, tab)
	if tab.Result == nil || tab.Result.Stats.LinesMoved != 1 || !tab.Numbered {
		t.Errorf("want one moved paragraph and line numbers, got %+v", tab)
	}
	testwiki.Golden(t, dump(tab))
}
