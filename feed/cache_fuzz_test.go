package feed

import (
	"os"
	"strings"
	"testing"
	"unicode"
)

// FuzzWikiAPIError feeds arbitrary bodies to the API error check: it never
// panics, and an error it finds quotes no control character.
func FuzzWikiAPIError(f *testing.F) {
	f.Add([]byte(`{"error":{"code":"baduser","info":"Invalid value \"Nobody\"."}}`))
	f.Add([]byte(`{"errors":[{"code":"x","text":"t\u001b[31m"}]}`))
	f.Add([]byte(`{"error":{"code":"c","*":"star"}}`))
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1","items":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := wikiAPIError(data)
		if err == nil {
			return
		}
		for _, r := range err.Error() {
			if unicode.IsControl(r) {
				t.Fatalf("control character %U in %q", r, err)
			}
		}
	})
}

// FuzzFileCache reads arbitrary cache files: Get never panics, and what it
// returns has the body the header's checksum names, for the URL asked.
func FuzzFileCache(f *testing.F) {
	c := &FileCache{Dir: f.TempDir(), MaxBytes: 1 << 20}
	good := &Copy{FinalURL: "https://x/", ETag: `"v1"`, Body: []byte("<feed/>")}
	if err := c.Put("https://x/", good); err != nil {
		f.Fatal(err)
	}
	seed, err := os.ReadFile(c.path("https://x/"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("{}\n"))
	f.Add([]byte("no newline"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(c.path("https://x/"), data, 0o600); err != nil {
			t.Fatal(err)
		}
		cp, err := c.Get("https://x/")
		if err != nil || cp == nil {
			return
		}
		if !strings.HasSuffix(string(data), string(cp.Body)) {
			t.Fatalf("body %q is not the file's tail", cp.Body)
		}
	})
}
