package diff

import "unicode/utf8"

// tokText is one text split into tokens, with the tokens' interned ids.
type tokText struct {
	s string
	// start[i] is the byte offset of token i; start[len(ids)] == len(s).
	start []int32
	ids   []int32
}

// tok returns the text of tokens i..j-1.
func (t *tokText) tok(i, j int) string { return t.s[t.start[i]:t.start[j]] }

// engine holds the state of one Compute call: the token interner and the
// reusable buffers of the sequence matcher.
type engine struct {
	tokIDs map[string]int32
	m      matcher
	ca, cb []bool
	// counts is scratch space for similarityBound, all zero between calls.
	counts []int32
	// tokens caches the tokenised lines, by side and line index.
	tokens [2]map[int]*tokText
	// scratchIDs, ta and tb are reused by each diffStrings call.
	scratchIDs map[string]int32
	ta, tb     tokText
}

func newEngine() *engine {
	return &engine{
		tokIDs:     make(map[string]int32),
		scratchIDs: make(map[string]int32),
		tokens:     [2]map[int]*tokText{{}, {}},
	}
}

// tokenize splits the line s and interns its tokens in the engine's lasting
// table.
func (e *engine) tokenize(s string) *tokText {
	t := &tokText{}
	tokenizeInto(t, s, e.tokIDs, true)
	return t
}

// tokenizeInto splits s into t, reusing t's slices, and interns the tokens
// in ids. lineStart says that s starts a line: then a space or tab that
// opens it, alone or before a character that is not one, interns apart from
// other spaces (see lineStartKey).
func tokenizeInto(t *tokText, s string, ids map[string]int32, lineStart bool) {
	t.s = s
	t.start, t.ids = t.start[:0], t.ids[:0]
	sc := scanner{s: s}
	for {
		start := sc.pos
		k := sc.next()
		if k == 0 {
			break
		}
		tok := s[start : start+k]
		if start == 0 && lineStart {
			if key, ok := openingSpaceKey(s); ok {
				tok = key
			}
		}
		id, ok := ids[tok]
		if !ok {
			id = int32(len(ids))
			ids[tok] = id
		}
		t.start = append(t.start, int32(start))
		t.ids = append(t.ids, id)
	}
	t.start = append(t.start, int32(len(s)))
}

// openingSpaceKey returns the key under which the first token of the line
// s interns, and whether that token is an opening space. wikidiff2
// (TextUtil::explodeWords) gives each word a body, which it compares, and a
// white-space suffix; its one exception is a space or tab at the very start
// of a line followed by anything but another space or tab, which becomes a
// word with an empty body. That space then matches only another line's
// opening space, never a space inside a line, which decides ties such as
// " |a" against "| a" (wikidiff2 keeps the "|", not the space). The keys,
// a line break before the space, can never be tokens themselves. Unlike
// wikidiff2, an opening space and an opening tab stay different, so that
// Equal spans hold both texts.
func openingSpaceKey(s string) (string, bool) {
	if s == "" || (len(s) > 1 && (s[1] == ' ' || s[1] == '\t')) {
		return "", false
	}
	switch s[0] {
	case ' ':
		return "\n ", true
	case '\t':
		return "\n\t", true
	}
	return "", false
}

// line returns the tokens of line i of side (0 old, 1 new), tokenising once.
func (e *engine) line(side, i int, s string) *tokText {
	if t, ok := e.tokens[side][i]; ok {
		return t
	}
	t := e.tokenize(s)
	e.tokens[side][i] = t
	return t
}

// wordDiffKept compares two tokenised texts whose ids are below nIDs. It
// returns the spans of the edit script and wikidiff2's character
// similarity: the bytes kept, divided by the bytes kept plus, for each run
// of changes, the larger of the bytes deleted and inserted. extra counts
// equal bytes trimmed off the texts' ends beforehand, which count as kept.
// ok is false when the texts are too big to compare word by word (the
// product of their token counts, after trimming the common ends, passes
// MaxWordProduct) and capped is set.
func (e *engine) wordDiffKept(a, b *tokText, nIDs int, wantSpans, capped bool, extra int, floor float64) (spans []Span, sim float64, ok bool) {
	na, nb := len(a.ids), len(b.ids)
	p := 0
	for p < na && p < nb && a.ids[p] == b.ids[p] {
		p++
	}
	s := commonSuffix(na, nb, p, func(i, j int) bool { return a.ids[i] == b.ids[j] })
	if capped && int64(na-p-s)*int64(nb-p-s) > maxWordProduct {
		return nil, 0, false
	}
	// A pair that cannot pass floor whatever the alignment: its bound will
	// do, and the alignment is not needed.
	if floor > 0 {
		if bound := e.similarityBound(a, b, nIDs, extra); bound <= floor {
			return nil, bound, true
		}
	}
	e.ca = resetBools(e.ca, na)
	e.cb = resetBools(e.cb, nb)
	// Only the middle is compared, as in wikidiff2: which tokens count as
	// present on both sides (huntDiff drops the others) is decided there,
	// and that decides ties.
	ma, mb := a.ids[p:na-s], b.ids[p:nb-s]
	cma, cmb := e.ca[p:na-s], e.cb[p:nb-s]
	if !huntDiff(ma, mb, nIDs, cma, cmb) {
		e.m.diff(ma, mb, nIDs, cma, cmb)
	}
	shiftBoundaries(a.ids, e.ca, e.cb)
	shiftBoundaries(b.ids, e.cb, e.ca)

	kept, total := extra, extra
	i, j := 0, 0
	for i < na || j < nb {
		i0 := i
		for i < na && j < nb && !e.ca[i] && !e.cb[j] {
			i++
			j++
		}
		if i > i0 {
			n := int(a.start[i] - a.start[i0])
			kept += n
			total += n
			if wantSpans {
				spans = append(spans, Span{Equal, a.tok(i0, i)})
			}
		}
		i0, j0 := i, j
		for i < na && e.ca[i] {
			i++
		}
		for j < nb && e.cb[j] {
			j++
		}
		del := int(a.start[i] - a.start[i0])
		ins := int(b.start[j] - b.start[j0])
		total += max(del, ins)
		if wantSpans {
			if i > i0 {
				spans = append(spans, Span{Delete, a.tok(i0, i)})
			}
			if j > j0 {
				spans = append(spans, Span{Insert, b.tok(j0, j)})
			}
		}
	}
	if kept > 0 {
		sim = float64(kept) / float64(total)
	}
	return spans, sim, true
}

// commonSuffix returns the length of the common suffix of two sequences of
// lengths na and nb whose first p elements are equal, eq comparing element
// i of one with element j of the other. As in wikidiff2's DiffEngine, the
// suffix never takes in element p of either side, the first after the
// common prefix.
func commonSuffix(na, nb, p int, eq func(i, j int) bool) int {
	s := 0
	for s < min(na, nb)-p-1 && eq(na-1-s, nb-1-s) {
		s++
	}
	return s
}

// similarityBound returns an upper bound of the similarity wordDiff would
// report, from the tokens the two texts share regardless of order. It is
// linear and lets the moved-paragraph search skip most full comparisons.
// Token ids are below nIDs; extra counts equal bytes trimmed off the texts'
// ends beforehand, as in wordDiffKept.
func (e *engine) similarityBound(a, b *tokText, nIDs, extra int) float64 {
	la, lb := len(a.s), len(b.s)
	if extra == 0 && (la == 0 || lb == 0) {
		return 0
	}
	if len(e.counts) < nIDs {
		e.counts = make([]int32, nIDs+nIDs/2)
	}
	for _, id := range a.ids {
		e.counts[id]++
	}
	shared := 0
	for k, id := range b.ids {
		if e.counts[id] > 0 {
			e.counts[id]--
			shared += int(b.start[k+1] - b.start[k])
		}
	}
	for _, id := range a.ids {
		e.counts[id] = 0
	}
	// kept <= shared, and the denominator is at least the longer text.
	return float64(extra+shared) / float64(extra+max(la, lb))
}

// Words diffs a against b token by token (see Tokenize), without the line
// level, and returns the whole edit script: the Equal and Delete spans
// joined give a, the Equal and Insert spans joined give b. In each run of
// changes the Delete span comes before the Insert span. It returns nil when
// a == b. There is no size cap, but the work bound of the matcher keeps
// unrelated inputs fast, at the cost of a longer script.
func Words(a, b string) []Span {
	if a == b {
		return nil
	}
	e := newEngine()
	spans, _, _ := e.diffStrings(a, b, true, false, 0)
	return spans
}

// diffStrings is wordDiff on two strings. It first cuts off their common
// prefix and suffix at token boundaries, so that only the middle, often a
// few words of a long paragraph, is tokenised and compared.
func (e *engine) diffStrings(a, b string, wantSpans, capped bool, floor float64) ([]Span, float64, bool) {
	if capped && surelyTooBig(a, b) {
		return nil, 0, false
	}
	n := min(len(a), len(b))
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	for p > 0 && (!isSpaceByte(a[p-1]) || !startsToken(a, p) || !startsToken(b, p)) {
		p--
	}
	q := 0
	for q < n-p && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	// Leave some of the prefix in, as long as the longer middle, so that
	// slideUp can move an insertion or deletion up into it.
	if p > 0 {
		p -= min(p, max(len(a), len(b))-p-q+1)
		for p > 0 && (!isSpaceByte(a[p-1]) || !startsToken(a, p) || !startsToken(b, p)) {
			p--
		}
	}
	for q > 0 && (!isSpaceByte(a[len(a)-q]) || !endsToken(a, len(a)-q) || !endsToken(b, len(b)-q)) {
		q--
	}
	clear(e.scratchIDs)
	tokenizeInto(&e.ta, a[p:len(a)-q], e.scratchIDs, p == 0)
	tokenizeInto(&e.tb, b[p:len(b)-q], e.scratchIDs, p == 0)
	mid, sim, ok := e.wordDiffKept(&e.ta, &e.tb, len(e.scratchIDs), wantSpans, capped, p+q, floor)
	if !ok || !wantSpans {
		return nil, sim, ok
	}
	spans := make([]Span, 0, len(mid)+2)
	if p > 0 {
		spans = append(spans, Span{Equal, a[:p]})
	}
	for _, s := range mid {
		if k := len(spans) - 1; k >= 0 && s.Op == Equal && spans[k].Op == Equal {
			spans[k].Text = a[p-len(spans[k].Text) : p+len(s.Text)]
			continue
		}
		spans = append(spans, s)
	}
	if q > 0 {
		if k := len(spans) - 1; k >= 0 && spans[k].Op == Equal {
			spans[k].Text = a[len(a)-q-len(spans[k].Text):]
		} else {
			spans = append(spans, Span{Equal, a[len(a)-q:]})
		}
	}
	return spans, sim, true
}

// surelyTooBig reports, without tokenising, that a and b are too big to
// compare word by word. Some characters are always a token of their own
// (see singleTokens); those between the common byte prefix and suffix are
// in the middle that wordDiffKept compares (its common token ends cover
// equal bytes only), so if their counts multiply past MaxWordProduct the
// token counts do too. It saves tokenising (and allocating for) a long line
// that would be thrown away, such as a 1 MB single line with scattered
// edits.
func surelyTooBig(a, b string) bool {
	n := min(len(a), len(b))
	if int64(len(a))*int64(len(b)) <= maxWordProduct {
		return false
	}
	p := 0
	for p < n && a[p] == b[p] {
		p++
	}
	q := 0
	for q < n && a[len(a)-1-q] == b[len(b)-1-q] {
		q++
	}
	return int64(singleTokens(a, p, len(a)-q))*int64(singleTokens(b, p, len(b)-q)) > maxWordProduct
}

// singleTokens counts the tokens of s that start in s[from:to] with a
// character that is always a token of its own: a space, a tab, punctuation,
// a Chinese or Japanese character. Words and Thai runs are not counted, so
// it is a lower bound of the tokens there.
func singleTokens(s string, from, to int) int {
	for from < to && from < len(s) && !utf8.RuneStart(s[from]) {
		from++ // the rune straddling from starts before it
	}
	count := 0
	for i := from; i < to; {
		if c := s[i]; c < utf8.RuneSelf {
			if k := asciiClass[c]; k == classOther || k == classSpace {
				count++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if k := classOf(r, n); k == classOther || k == classSingle {
			count++
		}
		i += n
	}
	return count
}

// isSpaceByte reports whether c is an ASCII space, tab or line break.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// startsToken reports whether, after an ASCII space at s[i-1], a new token
// starts at i: s ends there or its next rune does not continue the run of
// spaces.
func startsToken(s string, i int) bool {
	if i == len(s) {
		return true
	}
	r, _ := decode(s[i:])
	c := classify(r)
	return c != classSpace && c != classBreak
}

// endsToken reports whether, before an ASCII space at s[i], a token ends at
// i: s starts there or the rune before is not a space.
func endsToken(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	c := classify(r)
	return c != classSpace && c != classBreak
}
