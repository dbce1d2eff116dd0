// Package parallel spreads independent calls over the machine's cores.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i in [0, n) on up to workers goroutines, at
// most one per core, each taking the next i as soon as it is free (so a
// few large items do not leave a core idle). With workers ≤ 1, or one
// core, the calls run in order on the calling goroutine. The calls must be
// independent of one another.
func For(n, workers int, fn func(i int)) {
	workers = min(workers, n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}
