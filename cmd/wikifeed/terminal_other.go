//go:build !unix

package main

import (
	"os"
	"time"
)

// queryBackgroundOn does not ask: only Unix terminals are asked for their
// background, which is taken as dark elsewhere.
func queryBackgroundOn(*os.File, time.Duration) (dark, answered bool) {
	return true, false
}
