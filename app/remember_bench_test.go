package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
)

// BenchmarkRemember measures Remember on a large feed file named by
// $WIKIFEED_BIGFEED (write one with WIKIFEED_BIGFEED_OUT=… go test ./feed
// -run TestBigFeed): saving it to the store and listing it back, the cost
// the store adds to a load. "new" saves into an empty store, "again" the
// same feed once more.
func BenchmarkRemember(b *testing.B) {
	path := os.Getenv("WIKIFEED_BIGFEED")
	if path == "" {
		b.Skip("set WIKIFEED_BIGFEED to a large feed file")
	}
	ctx := context.Background()
	f, errs := feed.Load(ctx, []string{path}, feed.Options{NoCache: true})
	if errs != nil {
		b.Fatal(errs)
	}
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			m, err := OpenMemoryAt(ctx, filepath.Join(b.TempDir(), "wikifeed.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := m.Remember(ctx, f, true, Window{}); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			m.Close()
			b.StartTimer()
		}
	})
	b.Run("again", func(b *testing.B) {
		m, err := OpenMemoryAt(ctx, filepath.Join(b.TempDir(), "wikifeed.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer m.Close()
		m.Remember(ctx, f, true, Window{})
		for b.Loop() {
			if _, err := m.Remember(ctx, f, true, Window{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
