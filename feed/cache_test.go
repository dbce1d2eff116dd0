package feed

import (
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// memCache is a Cache in memory, as the store provides one: it returns
// what it was given, damaged or not, so Load's own checks are what is
// tested.
type memCache struct {
	mu     sync.Mutex
	copies map[string]*Copy
	puts   int
}

func (c *memCache) Get(u string) (*Copy, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cp := c.copies[u]; cp != nil {
		out := *cp
		return &out, nil
	}
	return nil, nil
}

func (c *memCache) Put(u string, cp *Copy) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.copies == nil {
		c.copies = map[string]*Copy{}
	}
	out := *cp
	c.copies[u] = &out
	c.puts++
	return nil
}

// TestWikiAPIErrorKeepsCopy checks a wiki answering HTTP 200 with a JSON
// API error: an error quoting the wiki, and the good copy kept untouched.
func TestWikiAPIErrorKeepsCopy(t *testing.T) {
	good := sampleBytes(t)
	var mode atomic.Value
	mode.Store("ok")
	srv := newFeedServer(t, func(w http.ResponseWriter, _ *http.Request, _ int32) {
		switch mode.Load() {
		case "ok":
			w.Header().Set("ETag", `"v1"`)
			w.Write(good)
		case "error":
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write([]byte(`{"error":{"code":"baduser","info":"Invalid value \"Nobody\" for user parameter \"user\".","*":"See https://wiki.example/w/api.php for API usage."},"servedby":"mw1"}`))
		}
	})
	mc := &memCache{}
	opts := Options{Cache: mc}
	if _, err := loadOne(t, srv.URL, opts); err != nil {
		t.Fatal(err)
	}
	mode.Store("error")
	_, err := loadOne(t, srv.URL, opts)
	want := srv.URL + `: the wiki answered with an error: baduser: Invalid value "Nobody" for user parameter "user".`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	if mc.puts != 1 {
		t.Errorf("%d copies written; the error must not replace the good one", mc.puts)
	}
	// The kept copy is still the good one: a 304 now serves it.
	mode.Store("ok")
	f, err := loadOne(t, srv.URL, opts)
	if err != nil || len(f.Revisions) != 6 {
		t.Errorf("after the error: %v, %v", err, f)
	}
}

// TestDamagedCopy checks that a damaged kept copy is never served: one
// that does not parse, answered 304, is fetched again without validators
// (the store's own checksum, tested in store, drops a damaged body before
// it gets here).
func TestDamagedCopy(t *testing.T) {
	good := sampleBytes(t)
	var conditional, full atomic.Int32
	srv := newFeedServer(t, func(w http.ResponseWriter, r *http.Request, _ int32) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Write(good)
	})
	t.Run("interface", func(t *testing.T) {
		conditional.Store(0)
		full.Store(0)
		mc := &memCache{copies: map[string]*Copy{srv.URL: {FinalURL: srv.URL, ETag: `"v1"`, Body: good[:len(good)/2]}}}
		f, err := loadOne(t, srv.URL, Options{Cache: mc})
		if err != nil || len(f.Revisions) != 6 || len(f.Warnings) != 0 {
			t.Errorf("damaged copy: %v, %+v", err, f)
		}
		if conditional.Load() != 1 || full.Load() != 1 {
			t.Errorf("%d conditional and %d full requests; want 1 and 1", conditional.Load(), full.Load())
		}
		if cp := mc.copies[srv.URL]; cp == nil || len(cp.Body) != len(good) {
			t.Errorf("the damaged copy was not replaced")
		}
	})
}

// TestDevZero checks a source linked to /dev/zero gives the size error
// at once instead of filling memory.
func TestDevZero(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.atom")
	if err := os.Symlink("/dev/zero", path); err != nil {
		t.Fatal(err)
	}
	_, err := loadOne(t, path, Options{MaxBytes: 1 << 20})
	if err == nil || err.Error() != path+": larger than the 1 MiB cap" {
		t.Errorf("error %v", err)
	}
}
