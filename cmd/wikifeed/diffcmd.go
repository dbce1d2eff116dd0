package main

import "fmt"

// runDiff is `wikifeed diff`.
//
// TODO(diff): placeholder.
func runDiff(args []string, e *env) int {
	fmt.Fprintln(e.stderr, "wikifeed diff: not yet implemented")
	return exitError
}
