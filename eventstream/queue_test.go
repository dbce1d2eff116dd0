package eventstream

import (
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func change(i int) Change { return Change{ID: strconv.Itoa(i)} }

func TestQueueDropsOldestAndCounts(t *testing.T) {
	q := NewQueue(3)
	for i := range 5 {
		kept := q.Push(change(i))
		if want := i < 3; kept != want {
			t.Errorf("Push(%d) = %v, want %v", i, kept, want)
		}
	}
	select {
	case <-q.Ready():
	default:
		t.Fatal("not ready after pushes")
	}
	got := q.Take(nil)
	if len(got) != 3 || got[0].ID != "2" || got[2].ID != "4" {
		t.Errorf("Take = %v, want 2, 3, 4", got)
	}
	if q.Dropped() != 2 || q.Len() != 0 {
		t.Errorf("Dropped %d, Len %d", q.Dropped(), q.Len())
	}
	q.Push(change(9))
	if got := q.Take(nil); len(got) != 1 || got[0].ID != "9" {
		t.Errorf("after wrap: %v", got)
	}
}

// TestQueueNeverBlocksTheReader: with nobody taking, a million pushes
// finish, and what was pushed is either taken or counted as dropped.
func TestQueueNeverBlocksTheReader(t *testing.T) {
	q := NewQueue(100)
	var taken atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-q.Ready():
				taken.Add(int64(len(q.Take(nil))))
				time.Sleep(2 * time.Millisecond) // a slow terminal
			case <-stop:
				return
			}
		}
	})
	const n = 200_000
	start := time.Now()
	for i := range n {
		q.Push(change(i))
	}
	pushTime := time.Since(start)
	close(stop)
	wg.Wait()
	taken.Add(int64(len(q.Take(nil))))
	if taken.Load()+q.Dropped() != n {
		t.Errorf("taken %d + dropped %d != %d", taken.Load(), q.Dropped(), n)
	}
	if q.Dropped() == 0 {
		t.Errorf("a slow consumer dropped nothing: the test did not test")
	}
	t.Logf("%d pushes in %s; %d dropped", n, pushTime, q.Dropped())
}

// TestBatcherLosesNothing: a slow writer gets every change, in order, in
// batches that grow while it is slow.
func TestBatcherLosesNothing(t *testing.T) {
	var got []Change
	var batches int
	b := NewBatcher(func(cs []Change) error {
		got = append(got, cs...)
		batches++
		time.Sleep(5 * time.Millisecond)
		return nil
	}, nil, 0)
	const n = 10_000
	start := time.Now()
	for i := range n {
		b.Add(change(i))
	}
	addTime := time.Since(start)
	b.Close()
	if len(got) != n {
		t.Fatalf("wrote %d of %d", len(got), n)
	}
	for i, c := range got {
		if c.ID != strconv.Itoa(i) {
			t.Fatalf("change %d is %s", i, c.ID)
		}
	}
	if b.Written() != n || b.Stalls() != 0 {
		t.Errorf("Written %d, Stalls %d", b.Written(), b.Stalls())
	}
	if addTime > time.Second {
		t.Errorf("Add took %s for %d changes: it waited for the writer", addTime, n)
	}
	t.Logf("%d changes in %d batches", n, batches)
}

// TestBatcherBackpressure: past maxPending, Add waits (and counts it)
// instead of dropping.
func TestBatcherBackpressure(t *testing.T) {
	release := make(chan struct{})
	var written atomic.Int64
	b := NewBatcher(func(cs []Change) error {
		<-release
		written.Add(int64(len(cs)))
		return nil
	}, nil, 10)
	done := make(chan struct{})
	go func() {
		for i := range 100 {
			b.Add(change(i))
		}
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("100 Adds finished with the writer stuck and 10 pending allowed")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-done
	b.Close()
	if written.Load() != 100 || b.Stalls() == 0 {
		t.Errorf("written %d, stalls %d", written.Load(), b.Stalls())
	}
}

func TestBatcherReportsFailedWrites(t *testing.T) {
	var errs []error
	b := NewBatcher(func([]Change) error { return errors.New("disk full") }, func(err error) { errs = append(errs, err) }, 0)
	b.Add(change(1))
	b.Add(change(2))
	b.Close()
	if b.Failed() != 2 || len(errs) == 0 || b.Written() != 0 {
		t.Errorf("Failed %d, errors %v", b.Failed(), errs)
	}
	b.Add(change(3)) // after Close: ignored, no panic
}
