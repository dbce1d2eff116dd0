package diff

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkResult verifies everything a Result promises for old -> new: Apply
// gives new, the hunks' line numbers and counts are consistent, and the byte
// stats add up.
func checkResult(t testing.TB, old, new string, ctx int) *Result {
	t.Helper()
	r := Compute(old, new, Options{Context: ctx})
	if old == new {
		if r != nil {
			t.Fatalf("Compute(equal texts) = %+v, want nil", r)
		}
		return nil
	}
	if r == nil {
		t.Fatalf("Compute(%q, %q) = nil for different texts", old, new)
	}
	got, err := Apply(old, r)
	if err != nil {
		t.Fatalf("Apply(%q, Compute(.., %q, ctx %d)): %v", old, new, ctx, err)
	}
	if got != new {
		t.Fatalf("Apply(%q, Compute(.., %q, ctx %d)) = %q", old, new, ctx, got)
	}
	if d := r.Stats.BytesAdded - r.Stats.BytesDeleted; d != len(new)-len(old) {
		t.Fatalf("old %q new %q: BytesAdded-BytesDeleted = %d, want %d (%+v)", old, new, d, len(new)-len(old), r.Stats)
	}
	moves := map[int]int{}
	lastOld, lastNew := 0, 0
	for hi, h := range r.Hunks {
		var ol, nl int
		for _, l := range h.Lines {
			if l.OldNo > 0 {
				ol++
				if l.OldNo <= lastOld {
					t.Fatalf("hunk %d: old line numbers not increasing (%d after %d)", hi, l.OldNo, lastOld)
				}
				lastOld = l.OldNo
			}
			if l.NewNo > 0 {
				nl++
				if l.NewNo <= lastNew {
					t.Fatalf("hunk %d: new line numbers not increasing (%d after %d)", hi, l.NewNo, lastNew)
				}
				lastNew = l.NewNo
			}
			if (l.Kind == MovedFrom || l.Kind == MovedTo) != (l.Move > 0) {
				t.Fatalf("line %+v: Move set on wrong kind", l)
			}
			if l.Move > 0 {
				moves[l.Move]++
			}
			for _, s := range l.Spans {
				if s.Text == "" {
					t.Fatalf("empty span in %+v", l)
				}
			}
		}
		if ol != h.OldLines || nl != h.NewLines {
			t.Fatalf("hunk %d counts %d,%d but holds %d,%d lines", hi, h.OldLines, h.NewLines, ol, nl)
		}
	}
	for id, n := range moves {
		if n != 2 {
			t.Fatalf("move %d has %d lines, want 2", id, n)
		}
	}
	return r
}

// randomText builds a text from a small vocabulary so that random pairs
// share lines and words.
func randomText(rng *rand.Rand, maxLines int) string {
	words := []string{"a", "b", "the", "cat", "ünï", "漢", "字", "ไทย", " ", "  ", ",", ".", "e\u0301", "\t", "[[", "]]"}
	var sb strings.Builder
	n := rng.IntN(maxLines + 1)
	for i := range n {
		if rng.IntN(4) == 0 && i > 0 {
			sb.WriteString("\n") // empty line
		}
		for range rng.IntN(6) {
			sb.WriteString(words[rng.IntN(len(words))])
		}
		if i < n-1 || rng.IntN(2) == 0 {
			sb.WriteString("\n")
		}
	}
	return sb.String()
}

// mutate returns a copy of s with a few random line and word edits.
func mutate(rng *rand.Rand, s string) string {
	lines := strings.Split(s, "\n")
	for range rng.IntN(4) + 1 {
		i := rng.IntN(len(lines))
		switch rng.IntN(5) {
		case 0:
			lines = append(lines[:i], lines[i+1:]...)
			if len(lines) == 0 {
				lines = []string{""}
			}
		case 1:
			lines = append(lines[:i], append([]string{randomText(rng, 1)}, lines[i:]...)...)
		case 2:
			toks := Tokenize(lines[i])
			if len(toks) > 0 {
				toks[rng.IntN(len(toks))] = "X"
			}
			lines[i] = strings.Join(toks, "")
		case 3: // move a line
			j := rng.IntN(len(lines))
			l := lines[i]
			lines = append(lines[:i], lines[i+1:]...)
			j = min(j, len(lines))
			lines = append(lines[:j], append([]string{l}, lines[j:]...)...)
		case 4:
			lines[i] += " and more"
		}
	}
	return strings.Join(lines, "\n")
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		old := randomText(rng, 8)
		var new string
		if i%3 == 0 {
			new = randomText(rng, 8)
		} else {
			new = mutate(rng, old)
		}
		for _, ctx := range []int{0, 1, 2, -1} {
			checkResult(t, old, new, ctx)
			checkResult(t, new, old, ctx)
		}
	}
}

func TestRoundTripEdgeCases(t *testing.T) {
	cases := []struct{ old, new string }{
		{"", "x"},
		{"x", ""},
		{"", "\n"},
		{"\n", ""},
		{"a", "a\n"},
		{"a\n", "a"},
		{"a\nb", "a\nb\n"},
		{"\n\n\n", "\n\n"},
		{"a\n\nb\n", "a\nb\n"},
		{"x\ny\n", "y\nx\n"},
		{"\xff\xfe", "\xff"},
		{"e\u0301", "e"},
	}
	for _, c := range cases {
		for _, ctx := range []int{0, 2, -1, math.MaxInt} {
			checkResult(t, c.old, c.new, ctx)
		}
	}
}

// lcsLen is the textbook quadratic dynamic program for the length of a
// longest common subsequence.
func lcsLen(a, b []int32) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkMinimal runs the matcher on a and b and checks that its script is a
// valid one whose kept elements number exactly the LCS length.
func checkMinimal(t testing.TB, a, b []int32, nIDs int) {
	t.Helper()
	var m matcher
	ca, cb := make([]bool, len(a)), make([]bool, len(b))
	m.diff(a, b, nIDs, ca, cb)
	var ka, kb []int32
	for i, c := range ca {
		if !c {
			ka = append(ka, a[i])
		}
	}
	for j, c := range cb {
		if !c {
			kb = append(kb, b[j])
		}
	}
	if len(ka) != len(kb) {
		t.Fatalf("a=%v b=%v: kept %d of a but %d of b", a, b, len(ka), len(kb))
	}
	for i := range ka {
		if ka[i] != kb[i] {
			t.Fatalf("a=%v b=%v: kept elements differ: %v vs %v", a, b, ka, kb)
		}
	}
	if want := lcsLen(a, b); len(ka) != want {
		t.Fatalf("a=%v b=%v: kept %d elements, LCS is %d", a, b, len(ka), want)
	}
}

func TestMyersMatchesBruteForceLCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		alpha := 1 + rng.IntN(6)
		a := make([]int32, rng.IntN(14))
		b := make([]int32, rng.IntN(14))
		for i := range a {
			a[i] = int32(rng.IntN(alpha))
		}
		for i := range b {
			b[i] = int32(rng.IntN(alpha))
		}
		checkMinimal(t, a, b, alpha)
	}
}

// TestWordsTokenCountIsLCS checks the word level on real tokens: the tokens
// Words keeps are as many as a brute-force LCS over the token sequences.
func TestWordsTokenCountIsLCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		a, b := randomText(rng, 2), randomText(rng, 2)
		if rng.IntN(2) == 0 {
			b = mutate(rng, a)
		}
		spans := Words(a, b)
		kept := 0
		var oldSide, newSide strings.Builder
		for _, s := range spans {
			if s.Op != Insert {
				oldSide.WriteString(s.Text)
			}
			if s.Op != Delete {
				newSide.WriteString(s.Text)
			}
			if s.Op == Equal {
				kept += len(Tokenize(s.Text))
			}
		}
		if a != b && (oldSide.String() != a || newSide.String() != b) {
			t.Fatalf("Words(%q, %q) spans do not rebuild the inputs: %v", a, b, spans)
		}
		e := newEngine()
		ta, tb := e.tokenize(a), e.tokenize(b)
		if want := lcsLen(ta.ids, tb.ids); kept != want && a != b {
			t.Fatalf("Words(%q, %q) keeps %d tokens, LCS is %d", a, b, kept, want)
		}
	}
}

func TestTokenizeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		s := randomText(rng, 3)
		if got := strings.Join(Tokenize(s), ""); got != s {
			t.Fatalf("Tokenize(%q) joins to %q", s, got)
		}
	}
}

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, world!", []string{"Hello", ",", " ", "world", "!"}},
		{"a  b\tc", []string{"a", " ", " ", "b", "\t", "c"}},
		{"ФСК «Лидер» вошла", []string{"ФСК", " ", "«", "Лидер", "»", " ", "вошла"}},
		{"1990–2000\u00a0€5", []string{"1990–2000", "\u00a0", "€5"}},
		{"हिन्दी है।", []string{"हिन्दी", " ", "है।"}},
		{"line\nnext", []string{"line", "\n", "next"}},
		{"crlf\r\nx", []string{"crlf", "\r\n", "x"}},
		{"[[Link|text]]", []string{"[", "[", "Link", "|", "text", "]", "]"}},
		{"über_cool42", []string{"über_cool42"}},
		{"cafe\u0301 ok", []string{"cafe\u0301", " ", "ok"}},
		{"漢字かな", []string{"漢", "字", "か", "な"}},
		{"กินข้าว", []string{"กิน", "ข้าว"}},
		{"สุนัขจิ้งจอกกระโดดข้ามแมว", []string{"สุนัข", "จิ้งจอก", "กระโดด", "ข้าม", "แมว"}},
		{"ภาษาไทยเป็นภาษาที่สวยงาม", []string{"ภาษา", "ไทย", "เป็น", "ภาษา", "ที่", "สวย", "งาม"}},
		{"ไทยabc๑๒๓", []string{"ไทย", "abc", "๑๒๓"}},
		{"ພາສາລາວ", []string{"ພາ", "ສາ", "ລາ", "ວ"}},
		{"ភាសាខ្មែរ", []string{"ភា", "សា", "ខ្មែ", "រ"}},
		{"မြန်မာဘာသာ", []string{"မြန်", "မာ", "ဘာ", "သာ"}},
		{"한국어 단어", []string{"한국어", " ", "단어"}},
		{"Привет мир", []string{"Привет", " ", "мир"}},
		{"\u0301x", []string{"\u0301", "x"}},
		{"👩\u200d💻!", []string{"👩\u200d💻", "!"}},
		{"a\xffb", []string{"a", "\xff", "b"}},
	}
	for _, c := range cases {
		got := Tokenize(c.in)
		if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"", "Hello, world!", "漢字かな", "ภาษาไทย", "e\u0301\u200d", "a\xffb", "{{Infobox|x=1}}\n",
		"สโมสรฟุตบอลปาร์มา|ปาร์มา", "เป็นเรียนจันทร์ๆฯ", "ก\u0301ข", "ພາສາລາວ ភាសាខ្មែរ မြန်မာ", "a  \t b", "ไทย\xe0\xb8",
	} {
		f.Add(s)
	}
	for _, text := range bigArticles(f) {
		f.Add(cut(text, 2000))
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		if got := strings.Join(toks, ""); got != s {
			t.Fatalf("Tokenize(%q) joins to %q", s, got)
		}
		for i, tok := range toks {
			if tok == "" {
				t.Fatalf("Tokenize(%q) has an empty token", s)
			}
			// A combining mark starts a token only when what precedes
			// it cannot carry it: nothing, a space or a line break.
			r, _ := utf8.DecodeRuneInString(tok)
			if classify(r) != classAttach || i == 0 {
				continue
			}
			p, _ := utf8.DecodeLastRuneInString(toks[i-1])
			if c := classify(p); c != classSpace && c != classBreak && (p != utf8.RuneError || len(toks[i-1]) != 1) {
				t.Fatalf("Tokenize(%q): mark %q split from %q", s, tok, toks[i-1])
			}
		}
	})
}

func FuzzCompute(f *testing.F) {
	f.Add("a b c\nsame\n", "a B c\nsame\n", 2)
	f.Add("", "x\n", 0)
	f.Add("para one\n\npara two\n\npara three\n", "para two\n\npara one\n\npara three!\n", 1)
	f.Add("漢字\n", "漢子\n", -1)
	// Real edits: the first adjacent revisions of the Wiktionary histories
	// and the feed tables, cut to the size the target accepts.
	for _, p := range append(historyPairs(f)[:6], feedPairs(f)[:6]...) {
		f.Add(cut(p.old, 4000), cut(p.new, 4000), 2)
	}
	f.Fuzz(func(t *testing.T, old, new string, ctx int) {
		if len(old) > 4000 || len(new) > 4000 {
			return
		}
		ctx = ctx%5 - 1
		checkResult(t, old, new, ctx)
	})
}

func FuzzMyersLCS(f *testing.F) {
	f.Add([]byte("abcabba"), []byte("cbabac"))
	f.Add([]byte(""), []byte("x"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > 200 || len(b) > 200 {
			return
		}
		ia, ib := make([]int32, len(a)), make([]int32, len(b))
		for i, c := range a {
			ia[i] = int32(c % 8)
		}
		for i, c := range b {
			ib[i] = int32(c % 8)
		}
		checkMinimal(t, ia, ib, 8)
	})
}

// TestStatsFinalNewline checks that the final line break counts once, on
// the right side, and never as a spurious add and delete.
func TestStatsFinalNewline(t *testing.T) {
	cases := []struct {
		old, new   string
		added, del int
	}{
		{"", "x", 1, 0},
		{"x", "", 0, 1},
		{"", "x\n", 2, 0},
		{"a", "a\n", 1, 0},
		{"a\n", "a", 0, 1},
		{"a\nb", "a\nc", 1, 1},
		{"a\nb", "a\nb\nc", 2, 0},
	}
	for _, c := range cases {
		r := checkResult(t, c.old, c.new, 2)
		if r.Stats.BytesAdded != c.added || r.Stats.BytesDeleted != c.del {
			t.Errorf("%q -> %q: bytes +%d -%d, want +%d -%d", c.old, c.new, r.Stats.BytesAdded, r.Stats.BytesDeleted, c.added, c.del)
		}
	}
}

// TestWorkBoundStillValid drives the matcher past its cost limit (long
// unrelated sequences) and checks that the script it then settles for is
// still valid and close to minimal.
func TestWorkBoundStillValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{3000, 6000} {
		a, b := make([]int32, n), make([]int32, n)
		for i := range a {
			a[i], b[i] = int32(rng.IntN(30)), int32(rng.IntN(30))
		}
		var m matcher
		ca, cb := make([]bool, n), make([]bool, n)
		m.diff(a, b, 30, ca, cb)
		kept := 0
		var ka, kb []int32
		for i := range a {
			if !ca[i] {
				ka = append(ka, a[i])
			}
			if !cb[i] {
				kb = append(kb, b[i])
			}
		}
		if !slices.Equal(ka, kb) {
			t.Fatalf("n=%d: kept elements differ", n)
		}
		kept = len(ka)
		lcs := lcsLen(a, b)
		t.Logf("n=%d: kept %d, LCS %d (%.1f%%), cost limit %d", n, kept, lcs, 100*float64(kept)/float64(lcs), costLimit(2*n))
		if kept > lcs || float64(kept) < 0.9*float64(lcs) {
			t.Errorf("n=%d: kept %d, LCS %d", n, kept, lcs)
		}
	}
}

// TestUnrelatedBigTexts checks a whole Result on two unrelated 500 KB texts,
// where every level runs into its work bounds.
func TestUnrelatedBigTexts(t *testing.T) {
	p := unrelatedPair(t)
	checkResult(t, p.old, p.new, DefaultContext)
}

func FuzzWords(f *testing.F) {
	f.Add("The cat sat on the mat.", "The dog sat on a mat!")
	f.Add("漢字かな", "漢字カナ")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		spans := Words(a, b)
		if a == b {
			if spans != nil {
				t.Fatalf("Words(equal) = %v", spans)
			}
			return
		}
		var oldSide, newSide strings.Builder
		kept := 0
		for _, s := range spans {
			if s.Text == "" {
				t.Fatalf("empty span in %v", spans)
			}
			if s.Op != Insert {
				oldSide.WriteString(s.Text)
			}
			if s.Op != Delete {
				newSide.WriteString(s.Text)
			}
			if s.Op == Equal {
				kept += len(Tokenize(s.Text))
			}
		}
		if oldSide.String() != a || newSide.String() != b {
			t.Fatalf("Words(%q, %q) = %v does not rebuild the inputs", a, b, spans)
		}
		e := newEngine()
		ta, tb := e.tokenize(a), e.tokenize(b)
		if len(ta.ids) <= 300 && len(tb.ids) <= 300 {
			if want := lcsLen(ta.ids, tb.ids); kept != want {
				t.Fatalf("Words(%q, %q) keeps %d tokens, LCS is %d", a, b, kept, want)
			}
		}
	})
}

func TestChanges(t *testing.T) {
	old := "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n"
	new := "A\nb\nc\nd\ne\nf\ng\nH\nI\nj\nk\n"
	r := checkResult(t, old, new, 1)
	got := r.Changes()
	// Two hunks: line 1 replaced (one-letter lines are too dissimilar to
	// pair, so "- a" and "+ A"); lines 8-9 replaced, then, after one
	// context line, line 11 added: a second run in the same hunk.
	want := []Change{{0, 0}, {1, 1}, {1, 6}}
	if !slices.Equal(got, want) {
		t.Fatalf("Changes() = %v, want %v\n%s", got, want, formatResult(r))
	}
	for _, c := range got {
		if k := r.Hunks[c.Hunk].Lines[c.Line].Kind; k == Context {
			t.Errorf("change %v points at a context line", c)
		}
	}
	if (*Result)(nil).Changes() != nil {
		t.Error("nil Result has changes")
	}
}

// cut returns at most the first n bytes of s.
func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func TestCountWords(t *testing.T) {
	cases := map[string]int{
		"": 0, "  ": 0, "Hello, world!": 2, "[[Link|text]]": 2, "漢字かな": 4, "a1 b_2 ---": 2, "e\u0301t\u00e9": 1,
	}
	for s, want := range cases {
		if got := CountWords(s); got != want {
			t.Errorf("CountWords(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestWordProductCap checks the fallback to line level: a pair of similar
// lines is Changed while the product of its token counts stays within
// MaxWordProduct, and past it still Changed (as in wikidiff2's test 006)
// but replaced whole, without a word-level comparison.
func TestWordProductCap(t *testing.T) {
	line := func(words int, changed bool) string {
		var sb strings.Builder
		for i := range words {
			if i > 0 {
				sb.WriteByte(' ')
			}
			if changed && i%2 == 0 {
				fmt.Fprintf(&sb, "new%d", i)
			} else {
				fmt.Fprintf(&sb, "word%d", i)
			}
		}
		return sb.String()
	}
	for _, c := range []struct {
		words int
		want  LineKind
	}{
		{3000, Changed}, // 5999 tokens a side: 3.6e7 <= 4e7
		{3500, Changed}, // 6999 tokens a side: 4.9e7 > 4e7, replaced whole
	} {
		r := checkResult(t, line(c.words, false)+"\n", line(c.words, true)+"\n", 0)
		l := r.Hunks[0].Lines[0]
		if l.Kind != c.want {
			t.Errorf("%d words: first line is %v, want %v", c.words, l.Kind, c.want)
		}
		// Past the cap the line is not compared word by word: one
		// deletion and one insertion, as wikidiff2 shows it.
		if whole := len(l.Spans) == 2 && l.Spans[0].Op == Delete && l.Spans[1].Op == Insert; whole != (c.words == 3500) {
			t.Errorf("%d words: %d spans, replaced whole = %v", c.words, len(l.Spans), whole)
		}
	}
}
