package parallel

import (
	"sync/atomic"
	"testing"
)

// TestForCallsEachOnce checks every index is called exactly once, whatever
// the number of workers asked for.
func TestForCallsEachOnce(t *testing.T) {
	for _, workers := range []int{-1, 0, 1, 2, 8, 1000} {
		for _, n := range []int{0, 1, 2, 3, 100, 1001} {
			calls := make([]atomic.Int32, n)
			For(n, workers, func(i int) { calls[i].Add(1) })
			for i := range calls {
				if c := calls[i].Load(); c != 1 {
					t.Fatalf("For(%d, %d): index %d called %d times", n, workers, i, c)
				}
			}
		}
	}
}

// TestForInOrderWithOneWorker checks that one worker runs the calls in
// order on the calling goroutine.
func TestForInOrderWithOneWorker(t *testing.T) {
	var got []int
	For(5, 1, func(i int) { got = append(got, i) })
	for i, v := range got {
		if v != i {
			t.Fatalf("order %v", got)
		}
	}
	if len(got) != 5 {
		t.Fatalf("%d calls, want 5", len(got))
	}
}
