package main

// runBrowse is `wikifeed [SOURCE...]`: the TUI on a terminal, else list.
//
// TODO(tui): open the TUI when stdout is a terminal.
func runBrowse(args []string, e *env) int {
	return runList(args, e)
}
