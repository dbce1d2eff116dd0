package diff

// This file holds the sequence comparison at the heart of both levels of the
// diff. It works on sequences of int32 ids (interned lines or tokens), so
// comparing two elements is one integer comparison whatever their length.
//
// Steps, for sequences a and b:
//
//  1. Drop the common prefix and suffix (cheap, and most wiki edits touch a
//     small part of the text).
//  2. Mark every element that occurs only on one side as changed and drop it
//     from the comparison: it cannot be part of any common subsequence, and
//     for unrelated texts this removes most of the input.
//  3. Run Myers' O(ND) algorithm in its linear-space form on what is left:
//     search forward from the start and backward from the end, diagonal by
//     diagonal, until the two searches meet on the "middle snake"; split the
//     problem there and recurse on both halves. Space is O(N+M), time
//     O((N+M)·D) where D is the size of the edit script.
//  4. Bound the work: once the edit cost of one split search passes a limit,
//     stop looking for the optimal split and cut at the point that got
//     furthest (the forward or backward frontier that made most progress).
//     The result is still a correct edit script, just possibly longer than
//     the shortest one; it only happens on inputs that share little.

// costLimit returns the edit cost after which a split search gives up
// optimality, for a problem of n+m elements.
func costLimit(nm int) int {
	limit := minSplitCost
	for s := 1; s*s < nm; s *= 2 {
		if s*splitCostFactor > limit {
			limit = s * splitCostFactor
		}
	}
	return limit
}

// matcher marks which elements of two sequences are not in the common
// subsequence it finds. It is reused across calls to keep allocations down.
type matcher struct {
	// stampA and stampB record, per id, the call (epoch) in which the id
	// was last seen on each side; they replace a per-call set.
	stampA, stampB []uint32
	epoch          uint32
	// fv and bv hold, per diagonal, the furthest x reached by the forward
	// and backward searches.
	fv, bv []int
	// x, y are the filtered sequences and xi, yi their original indexes.
	x, y   []int32
	xi, yi []int
	cx, cy []bool
	limit  int
	// work counts diagonal and snake steps of all split searches of one
	// diff call; budget caps it.
	work, budget int
}

// grow makes the stamp tables big enough for ids below n.
func (m *matcher) grow(n int) {
	if n > len(m.stampA) {
		c := max(n, 2*len(m.stampA))
		m.stampA = append(m.stampA, make([]uint32, c-len(m.stampA))...)
		m.stampB = append(m.stampB, make([]uint32, c-len(m.stampB))...)
	}
}

// diff compares a and b, whose ids are all below nIDs, and sets ca[i] (cb[j])
// for each element of a (b) that is deleted (inserted). ca and cb must have
// the lengths of a and b and start out false.
func (m *matcher) diff(a, b []int32, nIDs int, ca, cb []bool) {
	a0, b0, ca0, cb0 := a, b, ca, cb
	defer func() {
		slideUp(a0, ca0, cb0)
		slideUp(b0, cb0, ca0)
	}()
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	na, nb := len(a), len(b)
	for na > p && nb > p && a[na-1] == b[nb-1] {
		na--
		nb--
	}
	a, b, ca, cb = a[p:na], b[p:nb], ca[p:na], cb[p:nb]
	if len(a) == 0 || len(b) == 0 {
		for i := range ca {
			ca[i] = true
		}
		for i := range cb {
			cb[i] = true
		}
		return
	}

	m.grow(nIDs)
	m.epoch++
	if m.epoch == 0 { // wrapped: clear the stamps once every 2³² calls
		clear(m.stampA)
		clear(m.stampB)
		m.epoch = 1
	}
	for _, id := range a {
		m.stampA[id] = m.epoch
	}
	for _, id := range b {
		m.stampB[id] = m.epoch
	}
	m.x, m.xi = m.x[:0], m.xi[:0]
	for i, id := range a {
		if m.stampB[id] != m.epoch {
			ca[i] = true
			continue
		}
		m.x = append(m.x, id)
		m.xi = append(m.xi, i)
	}
	m.y, m.yi = m.y[:0], m.yi[:0]
	for j, id := range b {
		if m.stampA[id] != m.epoch {
			cb[j] = true
			continue
		}
		m.y = append(m.y, id)
		m.yi = append(m.yi, j)
	}
	m.cx = resetBools(m.cx, len(m.x))
	m.cy = resetBools(m.cy, len(m.y))
	if need := len(m.x) + len(m.y) + 3; len(m.fv) < need {
		m.fv = make([]int, need)
		m.bv = make([]int, need)
	}
	m.limit = costLimit(len(m.x) + len(m.y))
	m.work = 0
	m.budget = minTotalWork + totalWorkPerElement*(len(m.x)+len(m.y))
	m.compare(0, len(m.x), 0, len(m.y))
	for i, c := range m.cx {
		if c {
			ca[m.xi[i]] = true
		}
	}
	for j, c := range m.cy {
		if c {
			cb[m.yi[j]] = true
		}
	}
}

// slideUp moves each pure run of changes in a (an insertion or deletion
// with no change on the other side at the same place) as far towards the
// start as equal elements allow: of the equally short scripts for
// inserting "[[x]], " into "[[y]]", it picks " [[x]]," before "x]], [[".
// It only tidies the Myers fallback; the callers then apply
// shiftBoundaries, wikidiff2's rule. The kept elements stay the same
// sequence, so the script stays minimal.
func slideUp(a []int32, ca, cb []bool) {
	i, j := 0, 0
	for i < len(a) || j < len(cb) {
		for i < len(a) && j < len(cb) && !ca[i] && !cb[j] {
			i++
			j++
		}
		start := i
		for i < len(a) && ca[i] {
			i++
		}
		j0 := j
		for j < len(cb) && cb[j] {
			j++
		}
		if j > j0 || i == start {
			continue // a replacement, or nothing changed in a here
		}
		for s, e := start, i; s > 0 && !ca[s-1] && a[s-1] == a[e-1]; s, e = s-1, e-1 {
			ca[s-1], ca[e-1] = true, false
		}
	}
}

// resetBools returns s resized to n with every element false.
func resetBools(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// compare marks the changes between x[xlo:xhi] and y[ylo:yhi].
func (m *matcher) compare(xlo, xhi, ylo, yhi int) {
	for {
		for xlo < xhi && ylo < yhi && m.x[xlo] == m.y[ylo] {
			xlo++
			ylo++
		}
		for xhi > xlo && yhi > ylo && m.x[xhi-1] == m.y[yhi-1] {
			xhi--
			yhi--
		}
		if xlo == xhi {
			for j := ylo; j < yhi; j++ {
				m.cy[j] = true
			}
			return
		}
		if ylo == yhi {
			for i := xlo; i < xhi; i++ {
				m.cx[i] = true
			}
			return
		}
		if m.work > m.budget {
			// Out of budget (only on huge inputs made of few distinct
			// elements): give the rest up as changed, keeping the work
			// linear.
			for i := xlo; i < xhi; i++ {
				m.cx[i] = true
			}
			for j := ylo; j < yhi; j++ {
				m.cy[j] = true
			}
			return
		}
		xm, ym := m.split(xlo, xhi, ylo, yhi)
		// Recurse on the smaller half and loop on the larger one, so the
		// stack stays shallow even when the cost limit cuts unevenly.
		if (xm-xlo)+(ym-ylo) < (xhi-xm)+(yhi-ym) {
			m.compare(xlo, xm, ylo, ym)
			xlo, ylo = xm, ym
		} else {
			m.compare(xm, xhi, ym, yhi)
			xhi, yhi = xm, ym
		}
	}
}

// split returns a point (xm, ym) strictly between (xlo, ylo) and (xhi, yhi)
// that lies on a shortest edit path, or, past the cost limit, on a good
// path. Both ends are known to differ (compare trimmed them).
//
// Coordinates inside are relative to (xlo, ylo); diagonal k holds the points
// with x - y = k. The forward search starts on diagonal 0, the backward one
// on diagonal delta = n - m. fv[k+off] is the largest x the forward search
// has reached on diagonal k, bv[k+off] the smallest x of the backward one.
func (m *matcher) split(xlo, xhi, ylo, yhi int) (int, int) {
	x, y := m.x[xlo:xhi], m.y[ylo:yhi]
	n, mm := len(x), len(y)
	off := mm + 1
	fv, bv := m.fv, m.bv
	delta := n - mm
	odd := delta&1 != 0
	fv[off] = 0
	bv[delta+off] = n
	// work counts diagonal steps and snake steps; on inputs with few
	// distinct elements the snakes, not the diagonals, dominate.
	work := 0
	budget := min(m.limit*m.limit+splitWorkPerElement*(n+mm), m.budget-m.work)
	defer func() { m.work += work }()
	for d := 1; ; d++ {
		// Forward: extend every diagonal of parity d by one edit, then
		// follow the snake of equal elements.
		for k := max(-d, -mm); k <= min(d, n); k++ {
			if (k+d)&1 != 0 {
				continue
			}
			xk := -1
			// From diagonal k-1 by a deletion (x+1).
			if k-1 >= -(d-1) && k-1 >= -mm {
				if v := fv[k-1+off]; v >= 0 && v < n {
					xk = v + 1
				}
			}
			// From diagonal k+1 by an insertion (y+1).
			if k+1 <= d-1 && k+1 <= n {
				if v := fv[k+1+off]; v >= 0 && v-(k+1) < mm && v > xk {
					xk = v
				}
			}
			if xk < 0 {
				fv[k+off] = -1
				continue
			}
			yk := xk - k
			x0 := xk
			for xk < n && yk < mm && x[xk] == y[yk] {
				xk++
				yk++
			}
			work += 1 + xk - x0
			fv[k+off] = xk
			if odd && k >= delta-(d-1) && k <= delta+(d-1) {
				if b := bv[k+off]; b >= 0 && b <= xk {
					return xlo + xk, ylo + yk
				}
			}
		}
		// Backward: the same from the end towards the start.
		for k := max(delta-d, -mm); k <= min(delta+d, n); k++ {
			if (k-delta+d)&1 != 0 {
				continue
			}
			xk := -1
			// From diagonal k+1 by a deletion read backwards (x-1).
			if k+1 <= delta+(d-1) && k+1 <= n {
				if v := bv[k+1+off]; v > 0 {
					xk = v - 1
				}
			}
			// From diagonal k-1 by an insertion read backwards (y-1).
			if k-1 >= delta-(d-1) && k-1 >= -mm {
				if v := bv[k-1+off]; v >= 0 && v-(k-1) > 0 && (xk < 0 || v < xk) {
					xk = v
				}
			}
			if xk < 0 || xk-k < 0 || xk-k > mm {
				bv[k+off] = -1
				continue
			}
			yk := xk - k
			x0 := xk
			for xk > 0 && yk > 0 && x[xk-1] == y[yk-1] {
				xk--
				yk--
			}
			work += 1 + x0 - xk
			bv[k+off] = xk
			if !odd && k >= -d && k <= d {
				if f := fv[k+off]; f >= 0 && xk <= f {
					return xlo + xk, ylo + yk
				}
			}
		}
		if d >= m.limit || work > budget {
			return m.giveUp(d, x, y, xlo, ylo)
		}
	}
}

// giveUp picks a split point once the search has cost too much: the point
// of either frontier that has made the most progress towards its goal.
func (m *matcher) giveUp(d int, x, y []int32, xlo, ylo int) (int, int) {
	n, mm := len(x), len(y)
	off := mm + 1
	delta := n - mm
	bestF, fx, fy := -1, 0, 0
	for k := max(-d, -mm); k <= min(d, n); k++ {
		if (k+d)&1 != 0 {
			continue
		}
		if v := m.fv[k+off]; v >= 0 && v+(v-k) > bestF {
			bestF, fx, fy = v+(v-k), v, v-k
		}
	}
	bestB, bx, by := n+mm+1, 0, 0
	for k := max(delta-d, -mm); k <= min(delta+d, n); k++ {
		if (k-delta+d)&1 != 0 {
			continue
		}
		if v := m.bv[k+off]; v >= 0 && v+(v-k) < bestB {
			bestB, bx, by = v+(v-k), v, v-k
		}
	}
	// Progress of each search: how far it got from its own corner.
	if bestF > 0 && bestF < n+mm && (bestB > n+mm || bestF >= n+mm-bestB) {
		return xlo + fx, ylo + fy
	}
	if bestB > 0 && bestB < n+mm {
		return xlo + bx, ylo + by
	}
	// Cannot happen after one round (each search moves at least one
	// step); cut after the first element to guarantee progress anyway.
	return xlo + 1, ylo
}
