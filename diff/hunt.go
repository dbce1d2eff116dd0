package diff

// This file holds the line-level sequence comparison: a longest common
// subsequence found the way wikidiff2's DiffEngine finds it, so that of the
// many equally long alignments of two revisions (a paragraph moved past
// blank lines can be matched by its text or by the blank lines) the one
// MediaWiki shows is chosen.
//
// The method is Hunt and Szymanski's (J. W. Hunt, T. G. Szymanski, "A fast
// algorithm for computing longest common subsequences", CACM 20(5), 1977),
// as in the PHP DiffEngine of Geoffrey T. Dairiki that wikidiff2 derives
// from: old lines are visited in order, and for each, its matches in the new
// text from last to first; thresh[k] keeps the smallest new index that ends
// a common subsequence of length k. Ties therefore go to the match that
// comes earliest in the new text and latest in the old one, which is what
// anchors the unchanged paragraph rather than the blank line next to it in
// wikidiff2's "moved paragraphs" test. Instead of keeping every link, the
// old text is cut into at most huntChunks slices and only the points where
// the final subsequence crosses a slice boundary are kept; each slice pair
// is then solved again the same way. Afterwards runs of changes are shifted
// as GNU diff's shift_boundaries does (see shiftBoundaries).
//
// Cost: O((n + r) log n) per level for r matching pairs, which is small
// for wikitext, where most lines are unique. Blank lines and repeated
// separators make r quadratic, so past a budget (huntMaxPairs) the
// comparison falls back to the bounded Myers matcher.

// Tunables of the line comparison.
const (
	// huntChunks is the most slices (count) a box is cut into per level.
	huntChunks = 8
	// huntMaxPairs bounds the matching pairs (pairs) one comparison may
	// visit before it gives up and uses Myers' algorithm.
	huntMaxPairs = 4_000_000
)

// hunt is the state of one line-level comparison.
type hunt struct {
	x, y   []int32 // the sequences, with the lines only one side has removed
	cx, cy []bool
	// head and next chain, per id, the positions of y holding it (from
	// the last to the first, within the box being solved).
	head  []int32
	next  []int32
	seq   []int32 // seq[k]: smallest y ending a common subsequence of length k
	inSeq []bool  // inSeq[y]: y is in seq
	mids  []int32 // (lcs+1)×chunks: per length, the boundary crossings
	pairs int     // matching pairs visited so far
}

// huntDiff marks in ca and cb the lines of a and b (ids below nIDs) that
// are not part of the common subsequence wikidiff2 would choose. It reports
// false, having marked nothing, when the inputs have too many matching
// pairs; the caller then uses another method.
func huntDiff(a, b []int32, nIDs int, ca, cb []bool) bool {
	// Lines that only one side has are changed and take no part.
	inA, inB := make([]bool, nIDs), make([]bool, nIDs)
	for _, id := range a {
		inA[id] = true
	}
	for _, id := range b {
		inB[id] = true
	}
	// Count the pairs first: the budget check must come before any work.
	cnt := make([]int32, nIDs)
	ny := 0
	for _, id := range b {
		if inA[id] {
			cnt[id]++
			ny++
		}
	}
	total, nx := 0, 0
	for _, id := range a {
		if inB[id] {
			total += int(cnt[id])
			nx++
		}
	}
	if total > huntMaxPairs {
		return false
	}
	h := &hunt{x: make([]int32, 0, nx), y: make([]int32, 0, ny)}
	xi, yi := make([]int32, 0, nx), make([]int32, 0, ny)
	for j, id := range b {
		if inA[id] {
			h.y = append(h.y, id)
			yi = append(yi, int32(j))
		}
	}
	for i, id := range a {
		if inB[id] {
			h.x = append(h.x, id)
			xi = append(xi, int32(i))
		}
	}
	h.cx, h.cy = make([]bool, len(h.x)), make([]bool, len(h.y))
	h.head = make([]int32, nIDs)
	for i := range h.head {
		h.head[i] = -1
	}
	n := max(len(h.x), len(h.y))
	h.next = make([]int32, n)
	h.seq = make([]int32, n+1)
	h.inSeq = make([]bool, n)
	h.compare(0, len(h.x), 0, len(h.y))
	for i := range a {
		ca[i] = !inB[a[i]]
	}
	for j := range b {
		cb[j] = !inA[b[j]]
	}
	for k, c := range h.cx {
		ca[xi[k]] = c
	}
	for k, c := range h.cy {
		cb[yi[k]] = c
	}
	return true
}

// compare marks the changes between x[xlo:xhi] and y[ylo:yhi].
func (h *hunt) compare(xlo, xhi, ylo, yhi int) {
	for xlo < xhi && ylo < yhi && h.x[xlo] == h.y[ylo] {
		xlo++
		ylo++
	}
	for xhi > xlo && yhi > ylo && h.x[xhi-1] == h.y[yhi-1] {
		xhi--
		yhi--
	}
	lcs := 0
	var seps [][2]int
	if xlo < xhi && ylo < yhi {
		chunks := min(huntChunks-1, min(xhi-xlo, yhi-ylo)) + 1
		lcs, seps = h.diag(xlo, xhi, ylo, yhi, chunks)
	}
	if lcs == 0 {
		for i := xlo; i < xhi; i++ {
			h.cx[i] = true
		}
		for j := ylo; j < yhi; j++ {
			h.cy[j] = true
		}
		return
	}
	for k := 1; k < len(seps); k++ {
		h.compare(seps[k-1][0], seps[k][0], seps[k-1][1], seps[k][1])
	}
}

// diag finds the length of a longest common subsequence of the box and the
// points (x, y) where it crosses the boundaries of chunks slices of the
// shorter side, first and last corner included.
func (h *hunt) diag(xlo, xhi, ylo, yhi, chunks int) (int, [][2]int) {
	x, y := h.x, h.y
	flip := xhi-xlo > yhi-ylo
	if flip {
		// Slice the shorter sequence, as wikidiff2 does.
		x, y = y, x
		xlo, ylo = ylo, xlo
		xhi, yhi = yhi, xhi
	}
	for j := ylo; j < yhi; j++ {
		id := y[j]
		h.next[j] = h.head[id]
		h.head[id] = int32(j)
	}
	defer func() {
		for j := ylo; j < yhi; j++ {
			h.head[y[j]] = -1
		}
	}()
	lcs := 0
	h.seq[0] = int32(ylo - 1)
	row := func(k int) []int32 { return h.mids[k*chunks : (k+1)*chunks] }
	// A common subsequence is no longer than x, the shorter side.
	need := (xhi - xlo + 1) * chunks
	if cap(h.mids) < need {
		h.mids = make([]int32, need)
	}
	h.mids = h.mids[:need]
	// place puts y at the length it extends and returns that length.
	place := func(j int32) int {
		if lcs == 0 || j > h.seq[lcs] {
			lcs++
			h.seq[lcs] = j
			h.inSeq[j] = true
			return lcs
		}
		lo, hi := 1, lcs
		for lo < hi {
			m := (lo + hi) / 2
			if j > h.seq[m] {
				lo = m + 1
			} else {
				hi = m
			}
		}
		h.inSeq[h.seq[hi]] = false
		h.seq[hi] = j
		h.inSeq[j] = true
		return hi
	}
	n := xhi - xlo
	numer := n + chunks - 1
	i := xlo
	for c := range chunks {
		if c > 0 {
			for k := 0; k <= lcs; k++ {
				row(k)[c-1] = h.seq[k]
			}
		}
		end := xlo + (numer+n*c)/chunks
		for ; i < end; i++ {
			j := h.head[x[i]]
			k := 0
			for ; j >= 0; j = h.next[j] {
				h.pairs++
				if !h.inSeq[j] {
					k = place(j)
					copy(row(k), row(k-1))
					j = h.next[j]
					break
				}
			}
			for ; j >= 0; j = h.next[j] {
				h.pairs++
				if j > h.seq[k-1] {
					// The next match of the same line replaces the one
					// just placed: same length, earlier in y.
					h.inSeq[h.seq[k]] = false
					h.seq[k] = j
					h.inSeq[j] = true
				} else if !h.inSeq[j] {
					k = place(j)
					copy(row(k), row(k-1))
				}
			}
		}
	}
	for k := 1; k <= lcs; k++ {
		h.inSeq[h.seq[k]] = false
	}
	seps := make([][2]int, chunks+1)
	seps[0] = [2]int{xlo, ylo}
	last := row(lcs)
	for c := 0; c < chunks-1; c++ {
		seps[c+1] = [2]int{xlo + (numer+n*c)/chunks, int(last[c]) + 1}
	}
	seps[chunks] = [2]int{xhi, yhi}
	if flip {
		for k := range seps {
			seps[k][0], seps[k][1] = seps[k][1], seps[k][0]
		}
	}
	return lcs, seps
}

// shiftBoundaries moves runs of changes in a over equal lines, as GNU
// diff's analyze.c (and wikidiff2 after it) does: a run slides back over
// lines equal to its last one to merge with an earlier run, then forward
// as far as it goes (merging with later runs), and finally back again to
// end where a change on the other side ends, if one is in reach. The
// changed lines of b stay as they are; the script stays a minimal one.
func shiftBoundaries(a []int32, ca, cb []bool) {
	i, j := 0, 0
	n, m := len(a), len(cb)
	for {
		// Skip to the next run, keeping j at the matching point of b.
		for j < m && cb[j] {
			j++
		}
		for i < n && !ca[i] {
			i++
			j++
			for j < m && cb[j] {
				j++
			}
		}
		if i == n {
			return
		}
		start := i
		i++
		for i < n && ca[i] {
			i++
		}
		corresponding := n
		for {
			runLen := i - start
			// Back over equal lines, merging with runs before.
			for start > 0 && a[start-1] == a[i-1] {
				start--
				i--
				ca[start], ca[i] = true, false
				for start > 0 && ca[start-1] {
					start--
				}
				j--
				for cb[j] {
					j--
				}
			}
			corresponding = n
			if j < m {
				corresponding = i
			}
			// Forward over equal lines, merging with runs after.
			for i < n && a[start] == a[i] {
				ca[start], ca[i] = false, true
				start++
				i++
				for i < n && ca[i] {
					i++
				}
				j++
				if j < m && cb[j] {
					corresponding = i
					for j < m && cb[j] {
						j++
					}
				}
			}
			if runLen == i-start {
				break
			}
		}
		// Back to a run of changes on the other side, if there is one.
		for corresponding < i {
			start--
			i--
			ca[start], ca[i] = true, false
			j--
			for cb[j] {
				j--
			}
		}
	}
}
