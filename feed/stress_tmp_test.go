package feed

import (
	"bytes"
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestStressTmp(t *testing.T) {
	if os.Getenv("STRESS") == "" {
		t.Skip()
	}
	var seeds [][]byte
	for _, p := range feedFiles(t) {
		b, _ := os.ReadFile(p)
		seeds = append(seeds, b)
	}
	startAll := time.Now()
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for i := 0; i < 200000; i++ {
		d := append([]byte(nil), seeds[rng.Intn(len(seeds))]...)
		for k := rng.Intn(4) + 1; k > 0 && len(d) > 0; k-- {
			switch rng.Intn(4) {
			case 0:
				d[rng.Intn(len(d))] = byte(rng.Intn(256))
			case 1:
				d = d[:rng.Intn(len(d))]
			case 2:
				j := rng.Intn(len(d))
				d = append(d[:j], d[min(len(d), j+rng.Intn(50)):]...)
			case 3:
				j := rng.Intn(len(d))
				ins := []byte{"<&;>\"'"[rng.Intn(6)]}
				d = append(d[:j], append(ins, d[j:]...)...)
			}
		}
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				os.WriteFile("/tmp/stress-hang.xml", d, 0o644)
				panic("hang")
			}
		}()
		Parse(bytes.NewReader(d), "x")
		close(done)
		if time.Since(startAll) > 50*time.Second {
			t.Logf("%d runs", i)
			return
		}
	}
}
