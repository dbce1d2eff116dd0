package diff

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wikifeed/wikifeed/internal/testwiki"
)

// minAgreement is the share of pairs (0..1) on which our changed words must
// equal wikidiff2's.
const minAgreement = 0.95

// minLanguageAgreement is the share of the real edits of each language
// (0..1) on which our changed words must equal wikidiff2's: issue 9's goal.
const minLanguageAgreement = 0.97

// wd2Line is one row of wikidiff2's inline JSON output.
type wd2Line struct {
	Type     int    `json:"type"`
	Text     string `json:"text"`
	MoveInfo *struct {
		ID     string `json:"id"`
		LinkID string `json:"linkId"`
	} `json:"moveInfo"`
	Offset struct {
		From *int `json:"from"`
		To   *int `json:"to"`
	} `json:"offset"`
	Ranges []struct {
		Start  int `json:"start"`
		Length int `json:"length"`
		Type   int `json:"type"`
	} `json:"highlightRanges"`
}

// The row and highlight types of wikidiff2's inline JSON format.
const (
	wd2Context  = 0
	wd2AddLine  = 1
	wd2DelLine  = 2
	wd2Change   = 3
	wd2MoveSrc  = 4
	wd2MoveDest = 5
	wd2HLAdd    = 0
	wd2HLDelete = 1
)

// changeMasks marks, per byte of the old and new text, what a diff shows
// as deleted and inserted.
type changeMasks struct{ old, new []bool }

func newMasks(p pair) changeMasks {
	return changeMasks{make([]bool, len(p.old)), make([]bool, len(p.new))}
}

func mark(m []bool, from, n int) error {
	if from < 0 || from+n > len(m) {
		return fmt.Errorf("range %d+%d outside text of %d bytes", from, n, len(m))
	}
	for i := from; i < from+n; i++ {
		m[i] = true
	}
	return nil
}

// wd2Masks reads wikidiff2's JSON for p into masks.
func wd2Masks(p pair, js []byte) (changeMasks, error) {
	var doc struct {
		Diff []wd2Line `json:"diff"`
	}
	m := newMasks(p)
	if err := json.Unmarshal(js, &doc); err != nil {
		return m, fmt.Errorf("decode wikidiff2 JSON: %w", err)
	}
	srcOffset := map[string]int{} // move source id -> old offset
	for _, l := range doc.Diff {
		if l.Type == wd2MoveSrc && l.MoveInfo != nil && l.Offset.From != nil {
			srcOffset[l.MoveInfo.ID] = *l.Offset.From
		}
	}
	for _, l := range doc.Diff {
		var err error
		switch l.Type {
		case wd2AddLine:
			err = mark(m.new, *l.Offset.To, len(l.Text))
		case wd2DelLine:
			err = mark(m.old, *l.Offset.From, len(l.Text))
		case wd2Change, wd2MoveDest:
			var o, n int
			if l.Type == wd2Change {
				// A change shown through the moved-paragraph code
				// (a move to the very next line) lacks one offset.
				o, n = offsetOr(l.Offset.From, p.old, l, wd2HLAdd), offsetOr(l.Offset.To, p.new, l, wd2HLDelete)
				if o < 0 || n < 0 {
					return m, fmt.Errorf("change row %+v: line not found", l)
				}
			} else {
				var ok bool
				if o, ok = srcOffset[l.MoveInfo.LinkID]; !ok {
					return m, fmt.Errorf("move destination %s without source", l.MoveInfo.ID)
				}
				n = *l.Offset.To
			}
			// Walk the text: plain stretches are in both lines,
			// highlighted ones in one.
			pos := 0
			for _, r := range l.Ranges {
				k := r.Start - pos
				o, n, pos = o+k, n+k, r.Start
				if r.Type == wd2HLDelete {
					err = mark(m.old, o, r.Length)
					o += r.Length
				} else {
					err = mark(m.new, n, r.Length)
					n += r.Length
				}
				pos += r.Length
				if err != nil {
					break
				}
			}
		}
		if err != nil {
			return m, fmt.Errorf("row %+v: %w", l, err)
		}
	}
	return m, nil
}

// offsetOr returns *off, or when it is nil the offset of the first line of
// text that equals the row's text without the ranges of type skip.
func offsetOr(off *int, text string, l wd2Line, skip int) int {
	if off != nil {
		return *off
	}
	var sb strings.Builder
	pos := 0
	for _, r := range l.Ranges {
		sb.WriteString(l.Text[pos:r.Start])
		if r.Type != skip {
			sb.WriteString(l.Text[r.Start : r.Start+r.Length])
		}
		pos = r.Start + r.Length
	}
	sb.WriteString(l.Text[pos:])
	line := sb.String()
	for _, st := range lineStarts(text) {
		if strings.HasPrefix(text[st:], line) && (st+len(line) == len(text) || text[st+len(line)] == '\n') {
			return st
		}
	}
	return -1
}

// ourMasks computes our diff of p into masks.
func ourMasks(p pair) (changeMasks, error) {
	m := newMasks(p)
	r := Compute(p.old, p.new, Options{Context: 0})
	if r == nil {
		return m, nil
	}
	oldStart, newStart := lineStarts(p.old), lineStarts(p.new)
	moveOld := map[int]int{} // move id -> old line number
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Kind == MovedFrom {
				moveOld[l.Move] = l.OldNo
			}
		}
	}
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			oNo := l.OldNo
			if l.Kind == MovedTo {
				oNo = moveOld[l.Move]
			}
			if l.Kind == MovedFrom {
				continue // its changes are counted on the MovedTo line
			}
			o, n := -1, -1
			if oNo > 0 {
				o = oldStart[oNo-1]
			}
			if l.NewNo > 0 {
				n = newStart[l.NewNo-1]
			}
			for _, s := range l.Spans {
				var err error
				switch s.Op {
				case Equal:
					o, n = o+len(s.Text), n+len(s.Text)
				case Delete:
					err = mark(m.old, o, len(s.Text))
					o += len(s.Text)
				case Insert:
					err = mark(m.new, n, len(s.Text))
					n += len(s.Text)
				}
				if err != nil {
					return m, fmt.Errorf("line %+v: %w", l, err)
				}
			}
		}
	}
	return m, nil
}

// lineStarts returns the byte offset of each line of s.
func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// changedWords returns the words of s that the mask touches, as "offset:word".
// A word is a run of non-space characters, except that characters of
// scripts written without spaces (Chinese, Japanese, Thai, Lao, Khmer,
// Myanmar) are one word each, so that a diff that highlights part of a
// Thai word differently counts as a disagreement. Whitespace changes alone
// do not count.
func changedWords(s string, mask []bool) []string {
	perChar := func(r rune) bool {
		return (0x3000 <= r && r <= 0x9fff) || (0x20000 <= r && r <= 0x2a000) || isComplexScript(r)
	}
	var out []string
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i + n
		if !perChar(r) {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsSpace(r2) || perChar(r2) {
					break
				}
				j += n2
			}
		}
		if slices.Contains(mask[i:j], true) {
			out = append(out, fmt.Sprintf("%d:%s", i, s[i:j]))
		}
		i = j
	}
	return out
}

// wordSets compares the changed words of two mask sets; it returns the
// words only a has and only b has.
func wordSets(p pair, a, b changeMasks) (onlyA, onlyB []string) {
	for side, texts := range []string{p.old, p.new} {
		ma, mb := a.old, b.old
		prefix := "-"
		if side == 1 {
			ma, mb, prefix = a.new, b.new, "+"
		}
		wa, wb := changedWords(texts, ma), changedWords(texts, mb)
		inA, inB := map[string]bool{}, map[string]bool{}
		for _, w := range wa {
			inA[w] = true
		}
		for _, w := range wb {
			inB[w] = true
		}
		for _, w := range wa {
			if !inB[w] {
				onlyA = append(onlyA, prefix+w)
			}
		}
		for _, w := range wb {
			if !inA[w] {
				onlyB = append(onlyB, prefix+w)
			}
		}
	}
	return onlyA, onlyB
}

// runWikidiff2 runs wikidiff2 on all pairs in one php process and returns
// one JSON document per pair.
func runWikidiff2(t *testing.T, php string, pairs []pair) [][]byte {
	t.Helper()
	in := filepath.Join(t.TempDir(), "pairs")
	if err := writePairs(in, pairs); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(php, "testdata/wikidiff2.php", in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("php wikidiff2.php: %v: %s", err, stderr.Bytes())
	}
	var docs [][]byte
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		docs = append(docs, slices.Clone(sc.Bytes()))
	}
	if len(docs) != len(pairs) {
		t.Fatalf("wikidiff2 printed %d diffs for %d pairs", len(docs), len(pairs))
	}
	return docs
}

// TestWikidiff2Agreement compares the words our diff marks as changed with
// those MediaWiki's wikidiff2 marks, on every adjacent revision pair of the
// full-history exports, on the pairs rebuilt from the feeds' diff tables
// and on scripted edits of the big articles.
func TestWikidiff2Agreement(t *testing.T) {
	php := testwiki.NeedWikidiff2(t, "wikidiff2_inline_json_diff")
	revs := revsPairs(t)
	groups := []struct {
		name  string
		pairs []pair
	}{
		{"phpt", phptPairs(t)},
		{"revs en", revs["en"]},
		{"revs hi", revs["hi"]},
		{"revs ru", revs["ru"]},
		{"revs th", revs["th"]},
		{"revs zh", revs["zh"]},
		{"history", historyPairs(t)},
		{"feeds", feedPairs(t)},
		{"scripted", scriptedPairs(t)},
	}
	var all []pair
	for _, g := range groups {
		all = append(all, g.pairs...)
	}
	docs := runWikidiff2(t, php, all)
	agree, k := 0, 0
	var report strings.Builder
	for _, g := range groups {
		ga, gs := 0, 0
		for _, p := range g.pairs {
			doc := docs[k]
			k++
			theirs, err := wd2Masks(p, doc)
			if err != nil {
				t.Errorf("%s: %v", p.name, err)
				continue
			}
			ours, err := ourMasks(p)
			if err != nil {
				t.Errorf("%s: %v", p.name, err)
				continue
			}
			ws, err := wd2Structure(p, doc)
			if err != nil {
				t.Errorf("%s: %v", p.name, err)
				continue
			}
			sOurs, sTheirs := symDiff(ourStructure(p), ws)
			if len(sOurs) == 0 && len(sTheirs) == 0 {
				gs++
			} else {
				fmt.Fprintf(&report, "  %s: lines only ours %s; only wikidiff2 %s\n", p.name, clip(sOurs), clip(sTheirs))
			}
			onlyOurs, onlyTheirs := wordSets(p, ours, theirs)
			if len(onlyOurs) == 0 && len(onlyTheirs) == 0 {
				ga++
				continue
			}
			fmt.Fprintf(&report, "  %s: only ours %s; only wikidiff2 %s\n", p.name, clip(onlyOurs), clip(onlyTheirs))
		}
		t.Logf("%s: changed words agree on %d of %d pairs, lines (pairing, moves) on %d", g.name, ga, len(g.pairs), gs)
		switch {
		case g.name == "phpt" && (ga != len(g.pairs) || gs != len(g.pairs)):
			// wikidiff2's own test cases must all agree.
			t.Errorf("phpt: %d and %d of %d agree, want all", ga, gs, len(g.pairs))
		case strings.HasPrefix(g.name, "revs ") && float64(ga) < minLanguageAgreement*float64(len(g.pairs)):
			t.Errorf("%s: changed words agree on %d of %d pairs, below %.0f%%", g.name, ga, len(g.pairs), 100*minLanguageAgreement)
		}
		agree += ga
	}
	share := float64(agree) / float64(len(all))
	t.Logf("agreement: %d of %d pairs (%.1f%%); disagreements:\n%s", agree, len(all), 100*share, report.String())
	if share < minAgreement {
		t.Errorf("agreement %.1f%% < %.0f%%", 100*share, 100*minAgreement)
	}
}

// clip shortens a word list for the report.
func clip(ws []string) string {
	const maxWords = 8
	s := fmt.Sprintf("%q", ws)
	if len(ws) > maxWords {
		s = fmt.Sprintf("%q +%d more", ws[:maxWords], len(ws)-maxWords)
	}
	return s
}

// lineAt returns the 1-based number of the line that starts at byte off.
func lineAt(starts []int, off int) int {
	i, _ := slices.BinarySearch(starts, off)
	return i + 1
}

// wd2Structure lists the line-level decisions of wikidiff2's JSON for p:
// "-O" a deleted old line, "+N" an added new line, "~O>N" a changed pair
// and "mO>N" a move, sorted.
func wd2Structure(p pair, js []byte) ([]string, error) {
	var doc struct {
		Diff []wd2Line `json:"diff"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("decode wikidiff2 JSON: %w", err)
	}
	os, ns := lineStarts(p.old), lineStarts(p.new)
	src := map[string]int{}
	for _, l := range doc.Diff {
		if l.Type == wd2MoveSrc && l.MoveInfo != nil && l.Offset.From != nil {
			src[l.MoveInfo.ID] = lineAt(os, *l.Offset.From)
		}
	}
	var out []string
	for _, l := range doc.Diff {
		switch l.Type {
		case wd2AddLine:
			out = append(out, fmt.Sprintf("+%d", lineAt(ns, *l.Offset.To)))
		case wd2DelLine:
			out = append(out, fmt.Sprintf("-%d", lineAt(os, *l.Offset.From)))
		case wd2Change:
			o, n := offsetOr(l.Offset.From, p.old, l, wd2HLAdd), offsetOr(l.Offset.To, p.new, l, wd2HLDelete)
			out = append(out, fmt.Sprintf("~%d>%d", lineAt(os, o), lineAt(ns, n)))
		case wd2MoveDest:
			out = append(out, fmt.Sprintf("m%d>%d", src[l.MoveInfo.LinkID], lineAt(ns, *l.Offset.To)))
		}
	}
	slices.Sort(out)
	return out, nil
}

// ourStructure lists our line-level decisions for p as wd2Structure does.
func ourStructure(p pair) []string {
	r := Compute(p.old, p.new, Options{Context: 0})
	if r == nil {
		return nil
	}
	from := map[int]int{}
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Kind == MovedFrom {
				from[l.Move] = l.OldNo
			}
		}
	}
	var out []string
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case Added:
				out = append(out, fmt.Sprintf("+%d", l.NewNo))
			case Deleted:
				out = append(out, fmt.Sprintf("-%d", l.OldNo))
			case Changed:
				out = append(out, fmt.Sprintf("~%d>%d", l.OldNo, l.NewNo))
			case MovedTo:
				out = append(out, fmt.Sprintf("m%d>%d", from[l.Move], l.NewNo))
			case Context, MovedFrom:
				// Listed as wd2Structure lists them: context not at all, a
				// move where it arrives.
			}
		}
	}
	slices.Sort(out)
	return out
}

// symDiff returns the elements only in a and only in b (both sorted).
func symDiff(a, b []string) (onlyA, onlyB []string) {
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			onlyA = append(onlyA, x)
		}
	}
	for _, x := range b {
		if _, ok := slices.BinarySearch(a, x); !ok {
			onlyB = append(onlyB, x)
		}
	}
	return onlyA, onlyB
}
