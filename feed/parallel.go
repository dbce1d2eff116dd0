package feed

import (
	"runtime"
	"sync"
)

// parallelMinWork is the bytes of text below which inParallel does the
// work on the calling goroutine: starting goroutines costs more than it
// saves on small feeds.
const parallelMinWork = 128 << 10

// inParallel calls fn(i) for every i in [0, n), spread over the cores in
// contiguous runs when work (bytes of text) is large enough to pay for
// it. The calls must be independent of one another.
func inParallel(n, work int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if work < parallelMinWork || workers < 2 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		from, to := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			for i := from; i < to; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}
