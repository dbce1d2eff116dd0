package main

import "fmt"

// runList is `wikifeed list`.
//
// TODO(feed): placeholder.
func runList(args []string, e *env) int {
	fmt.Fprintln(e.stderr, "wikifeed list: not yet implemented")
	return exitError
}
