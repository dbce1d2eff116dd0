package feed

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/mmcdole/gofeed"
)

// largestFeed is the largest of the shared real feeds.
const largestFeed = "../testdata/feeds/mediawiki-1.15.3-x3wiki-recentchanges.rss"

// bigFeedEntries is how many entries the built benchmark feed has.
const bigFeedEntries = 10000

var diffParam = regexp.MustCompile(`diff=\d+`)

// buildBigFeed builds an RSS feed of n entries from the real entries of
// the largest feed (new pages, diff tables, a changes link, a move), each
// given its own revision ID so none is a duplicate.
func buildBigFeed(tb testing.TB, n int) []byte {
	tb.Helper()
	src, err := os.ReadFile(largestFeed)
	if err != nil {
		tb.Fatal(err)
	}
	first := bytes.Index(src, []byte("<item>"))
	last := bytes.LastIndex(src, []byte("</item>")) + len("</item>")
	var items [][]byte
	for rest := src[first:last]; len(rest) > 0; {
		end := bytes.Index(rest, []byte("</item>")) + len("</item>")
		items = append(items, bytes.TrimSpace(rest[:end]))
		rest = bytes.TrimLeft(rest[end:], " \t\r\n")
	}
	var b bytes.Buffer
	b.Grow(len(src) / len(items) * n)
	b.Write(src[:first])
	for k := 0; k < n; k++ {
		item := items[k%len(items)]
		b.Write(diffParam.ReplaceAllLiteral(item, fmt.Appendf(nil, "diff=%d", 1_000_000+k)))
		b.WriteString("\n\t\t")
	}
	b.Write(src[last:])
	return b.Bytes()
}

// TestBigFeed checks the built feed loads whole, and writes it to the
// path in $WIKIFEED_BIGFEED_OUT for measuring `wikifeed list` on it.
func TestBigFeed(t *testing.T) {
	out := os.Getenv("WIKIFEED_BIGFEED_OUT")
	// 2,000 entries (11 MB) are enough to take the parallel path; the
	// full 10,000 only when writing the file.
	n := 2000
	if out != "" {
		n = bigFeedEntries
	}
	data := buildBigFeed(t, n)
	if len(data) < parallelMinBytes {
		t.Fatalf("built feed of %d bytes is too small to test the parallel parse", len(data))
	}
	f, err := parse(bytes.NewReader(data), "big.rss", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Revisions) != n {
		t.Errorf("%d revisions, want %d", len(f.Revisions), n)
	}
	// The parallel parse must give the model the streaming one gives.
	par, err := parseParallel(data, "big.rss", "", 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dumpFeed(par), dumpFeed(f); got != want {
		t.Errorf("parallel parse differs from the streaming one")
	}
	if out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d bytes", out, len(data))
	}
}

// benchInputs are the benchmark's inputs: the largest real feed and the
// built 10,000-entry feed.
func benchInputs(b *testing.B) []struct {
	name string
	data []byte
} {
	largest, err := os.ReadFile(largestFeed)
	if err != nil {
		b.Fatal(err)
	}
	return []struct {
		name string
		data []byte
	}{{"largest-real", largest}, {"10k-entries", buildBigFeed(b, bigFeedEntries)}}
}

// BenchmarkLoad measures a file to the model, as `wikifeed list` loads
// it: reading, checking, parsing (in parallel for large files), and
// building pages and revisions.
func BenchmarkLoad(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), in.name+".rss")
			if err := os.WriteFile(path, in.data, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, errs := Load(context.Background(), []string{path}, Options{NoCache: true}); errs != nil {
					b.Fatal(errs)
				}
			}
		})
	}
}

// BenchmarkParse measures Parse from an in-memory reader: Load without
// the file system and the source handling.
func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bytes.NewReader(in.data), in.name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGofeedParse measures bare gofeed on the same bytes, the
// baseline BenchmarkLoad is held to.
func BenchmarkGofeedParse(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := gofeed.NewParser().Parse(bytes.NewReader(in.data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
