package feed

import "math"

// parallelMinWork is the bytes of text below which converting or decoding
// a feed's entries stays on one goroutine: starting others costs more than
// it saves on small feeds.
const parallelMinWork = 128 << 10

// workersFor is how many goroutines parallel.For may use for work bytes of
// entry text: one below parallelMinWork, else one per core.
func workersFor(work int) int {
	if work < parallelMinWork {
		return 1
	}
	return math.MaxInt // parallel.For caps it at the cores
}
