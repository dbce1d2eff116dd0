package mwtable

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/diff"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// historyPath is a real page history: 135 revisions of a Wiktionary entry.
const historyPath = "../../testdata/wikitext/dewiktionary-Hallo-full-history.xml"

// wikidiff2Tables runs wikidiff2 on each pair and returns its HTML rows.
func wikidiff2Tables(t *testing.T, php string, pairs [][2]string) []string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "pairs")
	var buf bytes.Buffer
	for _, p := range pairs {
		fmt.Fprintf(&buf, "%d %d\n%s%s", len(p[0]), len(p[1]), p[0], p[1])
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(php, filepath.Join("testdata", "tables.php"), in).Output()
	if err != nil {
		t.Fatalf("php: %v", err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	var tables []string
	for range pairs {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading wikidiff2 output: %v", err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil {
			t.Fatalf("reading wikidiff2 output: %v", err)
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			t.Fatalf("reading wikidiff2 output: %v", err)
		}
		tables = append(tables, string(b))
	}
	return tables
}

// scriptedPairs makes edits wikidiff2 shows as moves, splits and rewrites.
func scriptedPairs(texts []string) [][2]string {
	last := texts[len(texts)-1]
	paras := strings.Split(last, "\n")
	var pairs [][2]string
	if len(paras) > 12 {
		// Move a paragraph from near the start to near the end, with a
		// word changed on the way.
		moved := paras[3] + " zusätzlich"
		p := append(append([]string{}, paras[:3]...), paras[4:len(paras)-2]...)
		p = append(p, moved)
		p = append(p, paras[len(paras)-2:]...)
		pairs = append(pairs, [2]string{last, strings.Join(p, "\n")})
		// The same, moved up.
		pairs = append(pairs, [2]string{strings.Join(p, "\n"), last})
	}
	pairs = append(pairs,
		[2]string{"", last},
		[2]string{last, ""},
		[2]string{last, strings.ReplaceAll(last, "Hallo", "Hello <&> \"x\"")},
	)
	return pairs
}

// markedBytes counts the Delete and Insert bytes of changed lines and of
// both ends of moves.
func markedBytes(r *diff.Result) int {
	n := 0
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Kind != diff.Changed && l.Kind != diff.MovedFrom && l.Kind != diff.MovedTo {
				continue
			}
			for _, s := range l.Spans {
				switch {
				case s.Op == diff.Delete && l.Kind != diff.MovedTo, s.Op == diff.Insert && l.Kind != diff.MovedFrom:
					n += len(s.Text)
				}
			}
		}
	}
	return n
}

// delIns matches wikidiff2's word marks, which do not nest.
var delIns = regexp.MustCompile(`<(del|ins) class="diffchange diffchange-inline">([^<]*)</(?:del|ins)>`)

// taggedBytes counts the text bytes inside wikidiff2's word marks.
func taggedBytes(table string) int {
	n := 0
	for _, m := range delIns.FindAllStringSubmatch(table, -1) {
		n += len(html.UnescapeString(m[2]))
	}
	return n
}

// TestWikidiff2Tables runs wikidiff2 itself on every adjacent revision pair
// of a real page history and on scripted edits, parses its tables and
// checks that applying the parsed diff to the old text gives the new one:
// every line, word and move of the table was read.
func TestWikidiff2Tables(t *testing.T) {
	php := testwiki.NeedWikidiff2(t, "wikidiff2_do_diff")
	texts := testwiki.HistoryTexts(t, historyPath)
	var pairs [][2]string
	for i := 1; i < len(texts); i++ {
		pairs = append(pairs, [2]string{texts[i-1], texts[i]})
	}
	pairs = append(pairs, scriptedPairs(texts)...)
	tables := wikidiff2Tables(t, php, pairs)
	moves := 0
	for i, p := range pairs {
		tab, err := ParseTable(tables[i])
		if err != nil {
			if p[0] == p[1] {
				continue // wikidiff2 writes nothing for equal texts
			}
			t.Errorf("pair %d: %v", i, err)
			continue
		}
		checkTable(t, tab)
		r := tab.Result
		if r == nil {
			if p[0] != p[1] {
				t.Errorf("pair %d: no difference parsed from a table of different texts", i)
			}
			continue
		}
		if !tab.Numbered {
			t.Errorf("pair %d: line numbers not read", i)
		}
		moves += r.Stats.LinesMoved
		if got, want := markedBytes(r), taggedBytes(tables[i]); got != want {
			t.Errorf("pair %d: %d bytes marked deleted or inserted in changed and moved lines, the table's <del> and <ins> hold %d", i, got, want)
		}
		// The table cannot tell whether the texts end with a line break.
		r.OldNoNewline = p[0] != "" && !strings.HasSuffix(p[0], "\n")
		r.NewNoNewline = p[1] != "" && !strings.HasSuffix(p[1], "\n")
		got, err := diff.Apply(p[0], r)
		if err != nil {
			t.Errorf("pair %d: %v", i, err)
			continue
		}
		if got != p[1] {
			t.Errorf("pair %d: applying the parsed table does not give the new text", i)
		}
		// With the context trimmed, the diff still applies.
		for _, n := range []int{0, 1} {
			tt := tab.TrimContext(n)
			checkTable(t, tt)
			if got, err := diff.Apply(p[0], tt.Result); err != nil || got != p[1] {
				t.Errorf("pair %d, context %d: trimmed table does not apply: %v", i, n, err)
			}
		}
		if !reflect.DeepEqual(tab.TrimContext(2).Result, r) {
			t.Errorf("pair %d: trimming to the context MediaWiki sent changed the diff", i)
		}
	}
	if moves == 0 {
		t.Error("no moved paragraph parsed; the scripted moves should make some")
	}
	t.Logf("%d pairs, %d moved paragraphs", len(pairs), moves)
}
