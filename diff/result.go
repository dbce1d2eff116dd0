package diff

import (
	"fmt"
	"strings"
)

// lineOf builds the Line shown for a changed item.
func lineOf(it *item, a, b []string) Line {
	l := Line{Kind: it.kind, Spans: it.spans, Move: it.move}
	switch it.kind {
	case Deleted:
		l.OldNo = it.o + 1
		l.Spans = textSpan(Delete, a[it.o])
	case Added:
		l.NewNo = it.n + 1
		l.Spans = textSpan(Insert, b[it.n])
	case Changed:
		l.OldNo, l.NewNo = it.o+1, it.n+1
	case MovedFrom:
		l.OldNo = it.o + 1
	case MovedTo:
		l.NewNo = it.n + 1
	case Context:
		// Items are changes; context lines come from the gaps between them.
	}
	return l
}

// textSpan returns one span holding s, or none for an empty line.
func textSpan(op Op, s string) []Span {
	if s == "" {
		return nil
	}
	return []Span{{op, s}}
}

// hunks groups the items with ctx unchanged lines around them; stretches of
// more than 2·ctx unchanged lines split hunks.
func hunks(items []item, a, b []string, ctx int) []Hunk {
	if len(items) == 0 {
		return nil
	}
	if ctx < 0 || ctx > len(a)+len(b) {
		ctx = len(a) + len(b) // every line, without overflowing 2·ctx
	}
	var (
		hs           []Hunk
		h            *Hunk
		oCur, nCur   int // lines up to the end of the previous item
		oHead, nHead int // lines before the current hunk
	)
	context := func(o, n, count int) {
		for k := range count {
			h.Lines = append(h.Lines, Line{Kind: Context, OldNo: o + k + 1, NewNo: n + k + 1, Spans: textSpan(Equal, a[o+k])})
		}
	}
	closeHunk := func(trail int) {
		context(oCur, nCur, trail)
		for _, l := range h.Lines {
			if l.OldNo > 0 {
				h.OldLines++
			}
			if l.NewNo > 0 {
				h.NewLines++
			}
		}
		h.OldStart, h.NewStart = oHead, nHead
		if h.OldLines > 0 {
			h.OldStart++
		}
		if h.NewLines > 0 {
			h.NewStart++
		}
		hs = append(hs, *h)
		h = nil
	}
	for k := range items {
		it := &items[k]
		gap := it.oPos - oCur
		if h != nil && gap > 2*ctx {
			closeHunk(ctx)
		}
		if h == nil {
			c := min(ctx, gap)
			h = &Hunk{}
			oHead, nHead = it.oPos-c, it.nPos-c
			context(oHead, nHead, c)
		} else {
			context(oCur, nCur, gap)
		}
		h.Lines = append(h.Lines, lineOf(it, a, b))
		oCur, nCur = it.oEnd(), it.nEnd()
	}
	closeHunk(min(ctx, len(a)-oCur))
	return hs
}

// stats counts the changes of all items.
func stats(items []item, a, b []string, r *Result) Stats {
	var st Stats
	spanStats := func(spans []Span) {
		for _, s := range spans {
			switch s.Op {
			case Delete:
				st.WordsDeleted += CountWords(s.Text)
				st.BytesDeleted += len(s.Text)
			case Insert:
				st.WordsAdded += CountWords(s.Text)
				st.BytesAdded += len(s.Text)
			case Equal:
				// Unchanged words count for nothing.
			}
		}
	}
	for k := range items {
		it := &items[k]
		switch it.kind {
		case Deleted:
			st.LinesDeleted++
			st.WordsDeleted += CountWords(a[it.o])
			st.BytesDeleted += len(a[it.o]) + 1
		case Added:
			st.LinesAdded++
			st.WordsAdded += CountWords(b[it.n])
			st.BytesAdded += len(b[it.n]) + 1
		case Changed:
			st.LinesChanged++
			spanStats(it.spans)
		case MovedTo:
			st.LinesMoved++
			spanStats(it.spans)
		case Context, MovedFrom:
			// No items are context; a move counts once, where it arrives.
		}
	}
	// Every line has its line break except the last one of a text without
	// a final one. Correct the count above for that line: drop its line
	// break if it was counted as added or deleted, or else count the line
	// break that was gained or lost.
	lastAdded, lastDeleted := false, false
	for k := range items {
		lastAdded = lastAdded || (items[k].kind == Added && items[k].n == len(b)-1)
		lastDeleted = lastDeleted || (items[k].kind == Deleted && items[k].o == len(a)-1)
	}
	net := 0
	if r.NewNoNewline {
		if lastAdded {
			st.BytesAdded--
		} else {
			net--
		}
	}
	if r.OldNoNewline {
		if lastDeleted {
			st.BytesDeleted--
		} else {
			net++
		}
	}
	if net > 0 {
		st.BytesAdded += net
	} else {
		st.BytesDeleted -= net
	}
	return st
}

// CountWords counts the words of s as Stats does: the tokens (see
// Tokenize) that hold a letter or digit. One Han character counts as one
// word.
func CountWords(s string) int {
	n := 0
	sc := scanner{s: s}
	for {
		start := sc.pos
		k := sc.next()
		if k == 0 {
			return n
		}
		if isWordToken(s[start : start+k]) {
			n++
		}
	}
}

// Change locates the first line of a run of changed lines: r.Hunks[Hunk].Lines[Line].
type Change struct {
	Hunk, Line int
}

// Changes lists where each run of consecutive non-Context lines starts, in
// order, for "next change" navigation.
func (r *Result) Changes() []Change {
	if r == nil {
		return nil
	}
	var cs []Change
	for hi, h := range r.Hunks {
		prev := Context
		for li, l := range h.Lines {
			if l.Kind != Context && (li == 0 || prev == Context) {
				cs = append(cs, Change{hi, li})
			}
			prev = l.Kind
		}
	}
	return cs
}

// OldText returns the line as it was: its Equal and Delete spans joined.
func (l Line) OldText() string { return join(l.Spans, Insert) }

// NewText returns the line as it is: its Equal and Insert spans joined.
func (l Line) NewText() string { return join(l.Spans, Delete) }

// join concatenates the spans whose op is not skip.
func join(spans []Span, skip Op) string {
	if len(spans) == 1 && spans[0].Op != skip {
		return spans[0].Text
	}
	var sb strings.Builder
	for _, s := range spans {
		if s.Op != skip {
			sb.WriteString(s.Text)
		}
	}
	return sb.String()
}

// Apply applies the diff r to old and returns the new text. It checks every
// line of r that has an old side against old and reports the first
// mismatch, so Apply(old, Compute(old, new, opts)) == new is a full check of
// a Result. A nil Result leaves old unchanged.
func Apply(old string, r *Result) (string, error) {
	if r == nil {
		return old, nil
	}
	if noNL := old != "" && old[len(old)-1] != '\n'; noNL != r.OldNoNewline {
		return "", fmt.Errorf("apply diff: old text line break at end: got %v, diff says %v", !noNL, !r.OldNoNewline)
	}
	a := splitLines(old)
	var out []string
	o := 0
	for hi, h := range r.Hunks {
		start := h.OldStart
		if h.OldLines > 0 {
			start--
		}
		if start < o || start > len(a) {
			return "", fmt.Errorf("apply diff: hunk %d starts at old line %d, outside %d..%d", hi+1, h.OldStart, o, len(a))
		}
		out = append(out, a[o:start]...)
		o = start
		for li, l := range h.Lines {
			if l.Kind == Context || l.Kind == Deleted || l.Kind == Changed || l.Kind == MovedFrom {
				if o >= len(a) || a[o] != l.OldText() {
					return "", fmt.Errorf("apply diff: hunk %d line %d does not match old line %d", hi+1, li+1, o+1)
				}
				o++
			}
			if l.Kind == Context || l.Kind == Added || l.Kind == Changed || l.Kind == MovedTo {
				out = append(out, l.NewText())
			}
		}
	}
	out = append(out, a[o:]...)
	s := strings.Join(out, "\n")
	if len(out) > 0 && !r.NewNoNewline {
		s += "\n"
	}
	return s, nil
}
