package eventstream

import (
	"sync"
	"sync/atomic"
)

// DefaultMaxPending is how many changes a Batcher holds unwritten before Add
// waits for the writer: at 1,000 changes a second, 50 seconds of them.
const DefaultMaxPending = 50_000

// Batcher hands changes to a write function in batches, from a goroutine of
// its own, so that a store's transactions never hold up the stream's
// reader. It drops nothing: Add appends to a list that the writer swaps
// out whole after each write, so batches grow while writes are slow. Only
// when MaxPending changes wait does Add block (counted in Stalls) until the
// writer catches up: the reader then slows, the server's buffer takes the
// rest, and the Follower resumes by Last-Event-ID if the server gives up.
type Batcher struct {
	write      func([]Change) error
	onError    func(error)
	maxPending int

	mu      sync.Mutex
	cond    *sync.Cond // signalled on an Add, a write done and Close
	pending []Change
	spare   []Change // the last batch's slice, for reuse
	closed  bool
	done    chan struct{}

	written, failed, stalls atomic.Int64
}

// NewBatcher starts a Batcher calling write with each batch, in order.
// onError, if set, is told of each failed write (whose changes are counted
// in Failed, not retried). maxPending <= 0 means DefaultMaxPending.
func NewBatcher(write func([]Change) error, onError func(error), maxPending int) *Batcher {
	if maxPending <= 0 {
		maxPending = DefaultMaxPending
	}
	b := &Batcher{write: write, onError: onError, maxPending: maxPending, done: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	go b.loop()
	return b
}

// Add queues c for writing. It returns at once unless MaxPending changes
// wait. Add after Close is a no-op.
func (b *Batcher) Add(c Change) {
	b.mu.Lock()
	if len(b.pending) >= b.maxPending && !b.closed {
		b.stalls.Add(1)
		for len(b.pending) >= b.maxPending && !b.closed {
			b.cond.Wait()
		}
	}
	if !b.closed {
		b.pending = append(b.pending, c)
		b.cond.Broadcast()
	}
	b.mu.Unlock()
}

// loop writes batches until Close, then writes what is left.
func (b *Batcher) loop() {
	defer close(b.done)
	for {
		b.mu.Lock()
		for len(b.pending) == 0 && !b.closed {
			b.cond.Wait()
		}
		if len(b.pending) == 0 {
			b.mu.Unlock()
			return
		}
		batch := b.pending
		b.pending = b.spare[:0]
		b.cond.Broadcast() // room again for a blocked Add
		b.mu.Unlock()

		if err := b.write(batch); err != nil {
			b.failed.Add(int64(len(batch)))
			if b.onError != nil {
				b.onError(err)
			}
		} else {
			b.written.Add(int64(len(batch)))
		}
		clear(batch) // let the changes' strings go
		b.mu.Lock()
		b.spare = batch
		b.mu.Unlock()
	}
}

// Close writes what waits and stops the writer; it returns once the last
// write is done.
func (b *Batcher) Close() {
	b.mu.Lock()
	b.closed = true
	b.cond.Broadcast()
	b.mu.Unlock()
	<-b.done
}

// Written is how many changes were written; Failed how many were in
// batches whose write failed; Stalls how many times Add had to wait.
func (b *Batcher) Written() int64 { return b.written.Load() }

// Failed is how many changes were in batches whose write failed.
func (b *Batcher) Failed() int64 { return b.failed.Load() }

// Stalls is how many times Add waited for the writer.
func (b *Batcher) Stalls() int64 { return b.stalls.Load() }
