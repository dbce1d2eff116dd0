package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// BenchmarkDiffCommand runs `wikifeed diff --from 1 --to 2 FEED` in
// process on the feed WIKIFEED_DIFF_FEED names (bench/run.sh writes one:
// two revisions of United Kingdom, 325 KB each): the work of the whole
// process but its start-up.
func BenchmarkDiffCommand(b *testing.B) {
	path := os.Getenv("WIKIFEED_DIFF_FEED")
	if path == "" {
		b.Skip("set WIKIFEED_DIFF_FEED to a feed with revisions 1 and 2")
	}
	b.Setenv("WIKIFEED_NO_STORE", "1")
	for b.Loop() {
		if code := run([]string{"diff", "--from", "1", "--to", "2", path}, strings.NewReader(""), io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
