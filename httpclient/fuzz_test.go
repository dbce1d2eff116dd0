package httpclient

import "testing"

// FuzzHeaders reads arbitrary Content-Encoding and Retry-After values:
// no panic, at most maxEncodings layers, no negative wait but "none".
func FuzzHeaders(f *testing.F) {
	for _, s := range []string{"gzip", "gzip, gzip", "x-gzip,identity", "br", "", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, err := gzipLayers([]string{v})
		if err == nil && (n < 0 || n > maxEncodings) {
			t.Fatalf("%d layers from %q", n, v)
		}
		if d := parseRetryAfter(v); d < -1 {
			t.Fatalf("wait %s from %q", d, v)
		}
	})
}
