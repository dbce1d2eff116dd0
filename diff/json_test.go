package diff

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// jsonOf computes the diff of p with ctx lines of context and returns its
// inline JSON, as written and read back.
func jsonOf(t *testing.T, p pair, ctx int) (*JSONDiff, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteInlineJSON(&buf, p.old, p.new, Compute(p.old, p.new, Options{Context: ctx})); err != nil {
		t.Fatal(err)
	}
	var doc JSONDiff
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%s: our JSON does not parse: %v", p.name, err)
	}
	return &doc, buf.Bytes()
}

// sideText returns a row's text on one side: without the ranges of type
// skip (the insertions for the old side, the deletions for the new one).
func sideText(l JSONLine, skip int) string {
	var sb strings.Builder
	pos := 0
	for _, r := range l.HighlightRanges {
		sb.WriteString(l.Text[pos:r.Start])
		if r.Type != skip {
			sb.WriteString(l.Text[r.Start : r.Start+r.Length])
		}
		pos = r.Start + r.Length
	}
	sb.WriteString(l.Text[pos:])
	return sb.String()
}

// TestInlineJSONRebuildsTexts checks that the rows of the JSON form, with
// every line as context, give back both texts: each old-side row at its
// old offset, each new-side row at its new one, with nothing left over.
func TestInlineJSONRebuildsTexts(t *testing.T) {
	pairs := append(phptPairs(t), historyPairs(t)...)
	pairs = append(pairs, pair{"no final newline", "a\nb c", "a\nb d\n"}, pair{"empty old", "", "x\ny\n"})
	for _, p := range pairs {
		doc, _ := jsonOf(t, p, -1)
		var oldSB, newSB strings.Builder
		for i, l := range doc.Diff {
			if l.Offset.From != nil {
				if *l.Offset.From != oldSB.Len() {
					t.Fatalf("%s row %d: old offset %d, want %d", p.name, i, *l.Offset.From, oldSB.Len())
				}
				oldSB.WriteString(sideText(l, JSONHighlightAdd))
				oldSB.WriteByte('\n')
			}
			if l.Offset.To != nil {
				if *l.Offset.To != newSB.Len() {
					t.Fatalf("%s row %d: new offset %d, want %d", p.name, i, *l.Offset.To, newSB.Len())
				}
				newSB.WriteString(sideText(l, JSONHighlightDelete))
				newSB.WriteByte('\n')
			}
		}
		for side, pr := range [][2]string{{oldSB.String(), p.old}, {newSB.String(), p.new}} {
			got, want := strings.TrimSuffix(pr[0], "\n"), strings.TrimSuffix(pr[1], "\n")
			if p.old == p.new {
				continue
			}
			if got != want {
				t.Errorf("%s: side %d rebuilt from the JSON differs at %s", p.name, side, testwiki.FirstDifference(want, got))
			}
		}
	}
}

// TestInlineJSONReadsLikeWikidiff2 reads our JSON with the reader the
// agreement test uses for wikidiff2's: it must find the same changed bytes
// and the same line decisions as our Result has.
func TestInlineJSONReadsLikeWikidiff2(t *testing.T) {
	for _, p := range append(phptPairs(t), historyPairs(t)...) {
		_, js := jsonOf(t, p, 0)
		m, err := wd2Masks(p, js)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		want, err := ourMasks(p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m, want) {
			t.Errorf("%s: the JSON marks other bytes than the diff", p.name)
		}
		st, err := wd2Structure(p, js)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(st, ourStructure(p)) {
			t.Errorf("%s: the JSON's lines %q, the diff's %q", p.name, st, ourStructure(p))
		}
	}
}

// TestInlineJSONMatchesWikidiff2 compares our JSON with
// wikidiff2_inline_json_diff's on php-wikidiff2's own test cases, row by
// row: type, line number, text, offsets, highlight ranges and move
// direction (not the move ids, which wikidiff2 names by its internal
// operation indexes).
func TestInlineJSONMatchesWikidiff2(t *testing.T) {
	php := testwiki.NeedWikidiff2(t, "wikidiff2_inline_json_diff")
	pairs := phptPairs(t)
	in := filepath.Join(t.TempDir(), "pairs")
	if err := writePairs(in, pairs); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(php, "-r", `
$f = fopen($argv[1], 'rb');
while (($name = fgets($f)) !== false) {
	[$la, $lb] = array_map('intval', explode(' ', trim(fgets($f))));
	$a = $la > 0 ? fread($f, $la) : '';
	$b = $lb > 0 ? fread($f, $lb) : '';
	echo wikidiff2_inline_json_diff($a, $b, 2), "\n";
}`, in).Output()
	if err != nil {
		t.Fatalf("php: %v", err)
	}
	docs := bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n"))
	if len(docs) != len(pairs) {
		t.Fatalf("wikidiff2 printed %d documents for %d pairs", len(docs), len(pairs))
	}
	norm := func(d *JSONDiff) string {
		var sb strings.Builder
		for _, l := range d.Diff {
			if l.MoveInfo != nil {
				l.MoveInfo = &JSONMove{LinkDirection: l.MoveInfo.LinkDirection}
			}
			if len(l.HighlightRanges) == 0 {
				l.HighlightRanges = nil
			}
			b, _ := json.Marshal(l)
			sb.Write(b)
			sb.WriteByte('\n')
		}
		return sb.String()
	}
	same := 0
	for i, p := range pairs {
		var theirs JSONDiff
		if err := json.Unmarshal(docs[i], &theirs); err != nil {
			t.Fatalf("%s: wikidiff2's JSON: %v", p.name, err)
		}
		ours, _ := jsonOf(t, p, 2)
		if a, b := norm(ours), norm(&theirs); a != b {
			t.Errorf("%s: JSON differs from wikidiff2's at %s", p.name, testwiki.FirstDifference(b, a))
			continue
		}
		same++
	}
	t.Logf("%d of %d of wikidiff2's test cases give the same JSON rows", same, len(pairs))
}
