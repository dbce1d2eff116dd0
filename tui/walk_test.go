package tui

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/wikifeed/wikifeed/feed"
)

// walkKeys are the keys the random walk presses: every binding and some
// text for the inputs.
var walkKeys = []string{
	"j", "k", "up", "down", "enter", "esc", "backspace", "tab", "d", "r", "s", "n", "N", "]", "[",
	"g", "G", "home", "end", "pgup", "pgdown", "ctrl+d", "ctrl+u", "space", "/", "ctrl+f", "t",
	"o", "y", "R", "?", "q", "ctrl+c", "a", "e", "x", "1", " ", "left", "right",
}

// walkSizes are the window sizes the walk switches between.
var walkSizes = [][2]int{{80, 24}, {140, 40}, {100, 30}, {99, 20}, {40, 12}, {20, 6}, {19, 5}, {200, 60}, {1, 1}}

// realFeeds lists the feeds in ../testdata/feeds.
func realFeeds(t testing.TB) []string {
	var out []string
	for _, pat := range []string{"*.atom", "*.rss", "*.rdf"} {
		m, err := filepath.Glob(filepath.Join("..", "testdata", "feeds", pat))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	if len(out) == 0 {
		t.Fatal("no feeds in ../testdata/feeds")
	}
	return out
}

// TestRandomWalk presses 10,000 random keys, with resizes and wheel
// scrolls among them, on every real feed, checking after each step that
// nothing panics and the screen is exactly the window's size.
func TestRandomWalk(t *testing.T) {
	steps := 10000
	if testing.Short() {
		steps = 1000
	}
	for i, path := range realFeeds(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			f, errs := feed.Load(context.Background(), []string{path}, feed.Options{NoCache: true})
			rng := rand.New(rand.NewPCG(5, uint64(i)))
			sz := walkSizes[rng.IntN(len(walkSizes))]
			hs := newHarness(t, func(context.Context) (*feed.Feed, []error) { return f, errs }, sz[0], sz[1])
			var trail []string
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("panic after %d steps (last: %s): %v", len(trail), strings.Join(trail[max(len(trail)-20, 0):], " "), r)
				}
			}()
			for step := range steps {
				switch n := rng.IntN(100); {
				case n < 3:
					sz = walkSizes[rng.IntN(len(walkSizes))]
					trail = append(trail, fmt.Sprintf("%dx%d", sz[0], sz[1]))
					hs.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				case n < 6:
					b := tea.MouseWheelDown
					if n == 5 {
						b = tea.MouseWheelUp
					}
					trail = append(trail, "wheel")
					hs.send(tea.MouseWheelMsg{X: rng.IntN(sz[0]), Y: rng.IntN(sz[1]), Button: b})
				case n < 8:
					trail = append(trail, "click")
					hs.send(tea.MouseClickMsg{X: rng.IntN(sz[0]), Y: rng.IntN(sz[1]), Button: tea.MouseLeft})
				default:
					k := walkKeys[rng.IntN(len(walkKeys))]
					trail = append(trail, k)
					hs.keys(k)
				}
				hs.quit = false
				if step%7 == 0 {
					checkScreen(t, hs.screen(), sz[0], sz[1])
				}
			}
		})
	}
}
