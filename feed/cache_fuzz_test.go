package feed

import (
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
