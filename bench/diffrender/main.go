// Command diffrender times wikifeed's diff on pair files, alone and with
// the terminal rendering `wikifeed diff --format ansi` does (inline layout,
// 80 columns, dark style), in process, for bench/run.sh.
//
// Usage:
//
//	go run ./bench/diffrender RUNS FILE...
//
// The files are those `go test ./diff/ -run TestExportBenchPairs -args
// -export=DIR` writes. Per file it prints one line: the file's name, the
// median over RUNS of the milliseconds to diff every pair, the same with
// the rendering, and the bytes allocated per run of the latter (diff and
// rendering, the warm-up run included in the average).
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wikifeed/wikifeed/diff"
	"github.com/wikifeed/wikifeed/render"
)

// pair is one old and new text.
type pair struct{ old, new string }

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "diffrender:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: diffrender RUNS FILE")
	}
	runs, err := strconv.Atoi(args[0])
	if err != nil || runs < 1 {
		return fmt.Errorf("RUNS %q: want a positive number", args[0])
	}
	for _, f := range args[1:] {
		pairs, err := readPairs(f)
		if err != nil {
			return err
		}
		diffMS := median(runs, func() error { diffAll(pairs); return nil })
		if err := renderAll(pairs); err != nil {
			return err
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		totalMS := median(runs, func() error { return renderAll(pairs) })
		runtime.ReadMemStats(&m1)
		if _, err := fmt.Fprintf(w, "%s %.3f %.3f %d\n", filepath.Base(f), diffMS, totalMS, (m1.TotalAlloc-m0.TotalAlloc)/uint64(runs+1)); err != nil {
			return err
		}
	}
	return nil
}

// diffAll diffs every pair as wikifeed diff does.
func diffAll(pairs []pair) []*diff.Result {
	out := make([]*diff.Result, len(pairs))
	for k, p := range pairs {
		out[k] = diff.Compute(p.old, p.new, diff.Options{Context: diff.DefaultContext})
	}
	return out
}

// renderAll diffs and renders every pair as `wikifeed diff --format ansi`
// does on a pipe.
func renderAll(pairs []pair) error {
	for _, p := range pairs {
		res := diff.Compute(p.old, p.new, diff.Options{Context: diff.DefaultContext})
		opts := render.DiffOptions{
			Options: render.Options{Width: render.DefaultWidth, Style: "dark", Format: render.ANSI},
			OldText: p.old, NewText: p.new,
			Header: &render.DiffHeader{OldID: 1, NewID: 2, SizeChange: len(p.new) - len(p.old), HasSizeChange: true},
		}
		if _, err := render.DiffWith(res, opts); err != nil {
			return fmt.Errorf("render: %w", err)
		}
	}
	return nil
}

// median runs f once to warm up, then runs times, and returns the median
// duration in milliseconds.
func median(runs int, f func() error) float64 {
	_ = f()
	ms := make([]float64, runs)
	for k := range ms {
		t0 := time.Now()
		_ = f()
		ms[k] = float64(time.Since(t0).Nanoseconds()) / 1e6
	}
	slices.Sort(ms)
	return ms[runs/2]
}

// readPairs reads the record format of diff's writePairs: per pair a line
// "name", a line "len(old) len(new)", then both texts.
func readPairs(path string) ([]pair, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() //nolint:errcheck // read only
	r := bufio.NewReader(f)
	var pairs []pair
	for {
		if _, err := r.ReadString('\n'); err == io.EOF {
			return pairs, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		sizes, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var la, lb int
		if _, err := fmt.Sscanf(strings.TrimSpace(sizes), "%d %d", &la, &lb); err != nil {
			return nil, fmt.Errorf("%s: sizes %q: %w", path, sizes, err)
		}
		buf := make([]byte, la+lb)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		pairs = append(pairs, pair{string(buf[:la]), string(buf[la:])})
	}
}
