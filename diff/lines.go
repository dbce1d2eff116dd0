package diff

import (
	"strings"
	"unicode"
)

// Compute diffs old against new at line and word level (see the package
// documentation) and returns the hunks and stats. It returns nil when the
// texts are equal. Compute is safe for concurrent use; the Result shares
// the texts' memory (spans are substrings of old and new).
func Compute(old, new string, opts Options) *Result {
	if old == new {
		return nil
	}
	e := newEngine()
	a, b := splitLines(old), splitLines(new)
	r := &Result{
		OldNoNewline: old != "" && old[len(old)-1] != '\n',
		NewNoNewline: new != "" && new[len(new)-1] != '\n',
	}
	items := e.lineItems(a, b, r.OldNoNewline, r.NewNoNewline)
	items = e.findMoves(items, a, b)
	r.Stats = stats(items, a, b, r)
	r.Hunks = hunks(items, a, b, opts.Context)
	return r
}

// splitLines splits s into lines without their line breaks. A final line
// break ends the last line rather than starting an empty one, and the empty
// text has no lines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.TrimSuffix(s, "\n")
	return strings.Split(s, "\n")
}

// item is one changed line in display order: Changed, Deleted, Added, or
// (after findMoves) MovedFrom or MovedTo.
type item struct {
	kind LineKind
	// o and n are the 0-based old and new lines of the item, -1 for a side
	// it does not have.
	o, n int
	// oPos and nPos count the old and new lines before the item: the
	// unchanged lines between two items are old[prev.oEnd:oPos].
	oPos, nPos int
	spans      []Span
	move       int
}

// oEnd and nEnd count the old and new lines up to and including the item.
func (it *item) oEnd() int {
	if it.o >= 0 {
		return it.oPos + 1
	}
	return it.oPos
}

func (it *item) nEnd() int {
	if it.n >= 0 {
		return it.nPos + 1
	}
	return it.nPos
}

// lineItems runs the line-level comparison and pairs the changed lines.
// Lines compare by their text alone; whether the texts end with a line
// break is kept in the Result, and a last line that only gains or loses its
// line break becomes a Changed line with no changed words.
func (e *engine) lineItems(a, b []string, oldNoNL, newNoNL bool) []item {
	ids := make(map[string]int32, len(a)+len(b))
	intern := func(lines []string) []int32 {
		out := make([]int32, len(lines))
		for i, l := range lines {
			id, ok := ids[l]
			if !ok {
				id = int32(len(ids))
				ids[l] = id
			}
			out[i] = id
		}
		return out
	}
	// Trim the common ends first, so the map only holds the middle.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := commonSuffix(len(a), len(b), p, func(i, j int) bool { return a[i] == b[j] })
	// Compare the middle; then leave as many common lines on each side as
	// the longer middle has, so that shiftBoundaries can move an inserted
	// or deleted paragraph over equal lines into them.
	margin := max(len(a), len(b)) - p - s + 1
	pm, sm := min(p, margin), min(s, margin)
	am := intern(a[p-pm : len(a)-s+sm])
	bm := intern(b[p-pm : len(b)-s+sm])
	ca, cb := make([]bool, len(am)), make([]bool, len(bm))
	ma, mb := am[pm:len(am)-sm], bm[pm:len(bm)-sm]
	if !huntDiff(ma, mb, len(ids), ca[pm:len(am)-sm], cb[pm:len(bm)-sm]) {
		e.m.diff(ma, mb, len(ids), ca[pm:len(am)-sm], cb[pm:len(bm)-sm])
	}
	shiftBoundaries(am, ca, cb)
	shiftBoundaries(bm, cb, ca)
	p -= pm

	var items []item
	i, j := 0, 0
	for i < len(am) || j < len(bm) {
		for i < len(am) && j < len(bm) && !ca[i] && !cb[j] {
			i++
			j++
		}
		i0, j0 := i, j
		for i < len(am) && ca[i] {
			i++
		}
		for j < len(bm) && cb[j] {
			j++
		}
		items = e.pairBlock(items, a, b, p+i0, p+i, p+j0, p+j)
	}
	if oldNoNL != newNoNL && len(a) > 0 && len(b) > 0 {
		if k := len(items) - 1; k < 0 || (items[k].oEnd() < len(a) && items[k].nEnd() < len(b)) {
			o, n := len(a)-1, len(b)-1
			items = append(items, item{kind: Changed, o: o, n: n, oPos: o, nPos: n, spans: textSpan(Equal, a[o])})
		}
	}
	return items
}

// pairBlock turns the deleted lines a[i0:i1] and inserted lines b[j0:j1]
// that lie between the same unchanged lines into items, pairing them in
// order as wikidiff2 does.
func (e *engine) pairBlock(items []item, a, b []string, i0, i1, j0, j1 int) []item {
	o, n := i0, j0
	for ; o < i1 && n < j1; o, n = o+1, n+1 {
		spans, sim, ok := e.diffStrings(a[o], b[n], true, true, ChangeThreshold)
		if !ok {
			// Too big to compare word by word: wikidiff2 shows the
			// pair as one changed line, all of it replaced.
			spans = []Span{{Delete, a[o]}, {Insert, b[n]}}
			items = append(items, item{kind: Changed, o: o, n: n, oPos: o, nPos: n, spans: spans})
			continue
		}
		if sim > ChangeThreshold {
			items = append(items, item{kind: Changed, o: o, n: n, oPos: o, nPos: n, spans: spans})
			continue
		}
		// A dissimilar pair: the new line first, then the old one, in
		// wikidiff2's order (it matters to which lines count as
		// neighbours in findMoves).
		items = append(items,
			item{kind: Added, o: -1, n: n, oPos: o, nPos: n},
			item{kind: Deleted, o: o, n: -1, oPos: o, nPos: n + 1})
	}
	for ; o < i1; o++ {
		items = append(items, item{kind: Deleted, o: o, n: -1, oPos: o, nPos: n})
	}
	for ; n < j1; n++ {
		items = append(items, item{kind: Added, o: -1, n: n, oPos: o, nPos: n})
	}
	return items
}

// findMoves pairs deleted and added lines that are similar enough into
// moves, greedily in display order as wikidiff2 does. A pair that sits
// next to each other becomes a Changed line instead.
func (e *engine) findMoves(items []item, a, b []string) []item {
	var cand []int
	for k := range items {
		if items[k].kind == Deleted || items[k].kind == Added {
			cand = append(cand, k)
		}
	}
	if len(cand) < 2 || len(cand) > MovedParagraphCutoff {
		return items
	}
	moves := 0
	for _, k := range cand {
		it := &items[k]
		if it.kind != Deleted && it.kind != Added {
			continue // already paired
		}
		best, bestSim := -1, MovedThreshold
		var bestSpans []Span
		for _, k2 := range cand {
			ot := &items[k2]
			if k2 == k || ot.kind == it.kind || (ot.kind != Deleted && ot.kind != Added) {
				continue
			}
			del, add := it, ot
			if it.kind == Added {
				del, add = ot, it
			}
			ta, tb := e.line(0, del.o, a[del.o]), e.line(1, add.n, b[add.n])
			if e.similarityBound(ta, tb, len(e.tokIDs), 0) <= bestSim {
				continue
			}
			// wikidiff2 measures the similarity in the direction of
			// the search: from an added line to the deleted ones. With
			// ties in the word alignment the two directions can differ.
			var sim float64
			var ok bool
			if it.kind == Added {
				_, sim, ok = e.diffStrings(b[add.n], a[del.o], false, true, 0)
			} else {
				_, sim, ok = e.diffStrings(a[del.o], b[add.n], false, true, 0)
			}
			if ok && sim > bestSim {
				best, bestSim = k2, sim
			}
		}
		if best < 0 {
			continue
		}
		ot := &items[best]
		{
			del, add := it, ot
			if it.kind == Added {
				del, add = ot, it
			}
			bestSpans, _, _ = e.diffStrings(a[del.o], b[add.n], true, true, 0)
		}
		if best == k+1 && ot.oPos == it.oEnd() && ot.nPos == it.nEnd() {
			// Neighbours: show as one changed line where the first is.
			del, add := it, ot
			if it.kind == Added {
				del, add = ot, it
			}
			*it = item{kind: Changed, o: del.o, n: add.n, oPos: del.oPos, nPos: add.nPos, spans: bestSpans}
			ot.kind = -1 // dropped below
			continue
		}
		if lo, hi := min(k, best), max(k, best); hi > lo+1 && onlySeparators(items[lo:hi+1], a, b) {
			// Only blank or separator lines stand between the two:
			// the paragraph did not move, it changed in place.
			mergeInPlace(items[lo:hi+1], bestSpans)
			continue
		}
		moves++
		for _, x := range []*item{it, ot} {
			x.spans = bestSpans
			x.move = moves
			if x.kind == Deleted {
				x.kind = MovedFrom
			} else {
				x.kind = MovedTo
			}
		}
	}
	// Drop the items merged into a neighbour.
	w := 0
	for _, it := range items {
		if it.kind >= 0 {
			items[w] = it
			w++
		}
	}
	clear(items[w:])
	return items[:w]
}

// onlySeparators reports whether span, a deleted and an added line with
// lines between them, is one stretch of changes (no unchanged line inside)
// and every line between is a deleted or added line without a letter or
// digit: a blank line, a table's "|-", a "----".
func onlySeparators(span []item, a, b []string) bool {
	for k := 1; k < len(span); k++ {
		if span[k].oPos != span[k-1].oEnd() || span[k].nPos != span[k-1].nEnd() {
			return false
		}
	}
	for _, it := range span[1 : len(span)-1] {
		var line string
		switch it.kind {
		case Deleted:
			line = a[it.o]
		case Added:
			line = b[it.n]
		default:
			return false
		}
		if hasWord(line) {
			return false
		}
	}
	return true
}

// hasWord reports whether s holds a letter or a digit.
func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// mergeInPlace turns the first and last of span, a deleted and an added
// line (in either order) with only single-sided lines between, into one
// Changed line with spans. The lines between that share a side with the
// first come after the changed line, the others before it, so that both
// sides stay in order; the slot left over is marked dropped (kind -1).
func mergeInPlace(span []item, spans []Span) {
	first, last := span[0], span[len(span)-1]
	del, add := first, last
	if first.kind == Added {
		del, add = last, first
	}
	changed := item{kind: Changed, o: del.o, n: add.n, oPos: del.oPos, nPos: add.nPos, spans: spans}
	var before, after []item
	for _, x := range span[1 : len(span)-1] {
		if x.kind == first.kind {
			// Same side as the first: it now follows the changed line
			// on the last one's side too.
			if first.kind == Deleted {
				x.nPos = add.nPos + 1
			} else {
				x.oPos = del.oPos + 1
			}
			after = append(after, x)
		} else {
			// The last one's side: it now comes before the first one's
			// line on the other side.
			if first.kind == Deleted {
				x.oPos = del.oPos
			} else {
				x.nPos = add.nPos
			}
			before = append(before, x)
		}
	}
	w := 0
	for _, x := range before {
		span[w] = x
		w++
	}
	span[w] = changed
	w++
	for _, x := range after {
		span[w] = x
		w++
	}
	span[w] = item{kind: -1}
}
