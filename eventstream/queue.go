package eventstream

import (
	"sync"
	"sync/atomic"
)

// Queue is a bounded queue of changes for a display: Push never blocks, and
// when the queue is full it drops the oldest change and counts it, so a slow
// display shows the newest changes and never holds up the reader. Use a
// Batcher for what must not be lost.
type Queue struct {
	mu    sync.Mutex
	buf   []Change // a ring: n changes from head
	head  int
	n     int
	ready chan struct{}

	dropped atomic.Int64
}

// NewQueue makes a queue that holds up to capacity changes (at least 1).
func NewQueue(capacity int) *Queue {
	return &Queue{buf: make([]Change, max(capacity, 1)), ready: make(chan struct{}, 1)}
}

// Push adds c, dropping the oldest change when the queue is full; it
// reports false when it dropped one.
func (q *Queue) Push(c Change) bool {
	q.mu.Lock()
	kept := true
	if q.n == len(q.buf) {
		q.buf[q.head] = Change{}
		q.head = (q.head + 1) % len(q.buf)
		q.n--
		kept = false
		q.dropped.Add(1)
	}
	q.buf[(q.head+q.n)%len(q.buf)] = c
	q.n++
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
	return kept
}

// Ready has a value after a Push since the last Take: wait on it, then Take.
func (q *Queue) Ready() <-chan struct{} { return q.ready }

// Take appends every queued change to dst, oldest first, and empties the
// queue.
func (q *Queue) Take(dst []Change) []Change {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := 0; i < q.n; i++ {
		j := (q.head + i) % len(q.buf)
		dst = append(dst, q.buf[j])
		q.buf[j] = Change{}
	}
	q.head, q.n = 0, 0
	return dst
}

// Len is how many changes wait.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// Dropped is how many changes were dropped because the queue was full.
func (q *Queue) Dropped() int64 { return q.dropped.Load() }
