package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/render"
)

// TestHostileCommands runs list, show and diff on the hostile feeds in
// every format: every escape sequence on stdout or stderr is wikifeed's
// own (render.UnsafeOutput, the project scanner's rules).
func TestHostileCommands(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/hostile/*.atom")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no hostile feeds: %v", err)
	}
	for _, p := range paths {
		var runs [][]string
		runs = append(runs, []string{"list", p}, []string{"list", "--json", p})
		for n := 1; n <= 12; n++ {
			for _, f := range []string{"ansi", "plain", "markdown", "source"} {
				runs = append(runs, []string{"show", "--entry", fmt.Sprint(n), "--format", f, "--color", "always", p})
			}
		}
		for _, f := range []string{"ansi", "plain", "unified"} {
			for _, m := range []string{"inline", "unified", "side-by-side"} {
				runs = append(runs, []string{"diff", "--format", f, "--mode", m, "--width", "130", "--color", "always", p})
			}
		}
		for _, args := range runs {
			_, out, errOut := runArgs(t, "", args...)
			styled := strings.Contains(strings.Join(args, " "), "ansi")
			if bad := render.UnsafeOutput(out, styled); bad != "" {
				t.Errorf("%s %v: stdout: %s", filepath.Base(p), args[:len(args)-1], bad)
			}
			if bad := render.UnsafeOutput(errOut, false); bad != "" {
				t.Errorf("%s %v: stderr: %s", filepath.Base(p), args[:len(args)-1], bad)
			}
		}
	}
}

// TestListJSONMarks checks that no bidirectional mark reaches the terminal
// raw from list --json: the feed's fields drop them (as render.Sanitize
// does) and writeFeedJSON escapes any left.
func TestListJSONMarks(t *testing.T) {
	feed := `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><id>https://w.example/index.php?title=P&amp;diff=2</id><title>Page &#x200e;LRM &#x200f;RLM &#x61c;ALM</title>
<link href="https://w.example/index.php?title=P&amp;diff=2"/><updated>2020-01-01T00:00:00Z</updated>
<author><name>U&#x200f;</name></author><summary type="html">x</summary></entry></feed>`
	code, out, errOut := runArgs(t, feed, "list", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if bad := render.UnsafeOutput(out, false); bad != "" {
		t.Errorf("list --json: %s", bad)
	}
}

// TestJSONEscapesMarks checks writeFeedJSON's escaping of what is left.
func TestJSONEscapesMarks(t *testing.T) {
	got := string(jsonEscapeControls([]byte("\"a\u200eb\u200fc\u061cd\u202ee\"")))
	if got != `"a\u200eb\u200fc\u061cd\u202ee"` {
		t.Errorf("got %s", got)
	}
}
