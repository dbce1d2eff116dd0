package main

import "fmt"

// runShow is `wikifeed show`.
//
// TODO(render): placeholder.
func runShow(args []string, e *env) int {
	fmt.Fprintln(e.stderr, "wikifeed show: not yet implemented")
	return exitError
}
