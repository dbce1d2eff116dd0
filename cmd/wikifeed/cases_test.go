package main

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wikifeed/wikifeed/internal/diffcases"
)

// TestDiffCases runs the shared table of diff cases through 'wikifeed
// diff' (and 'wikifeed show' for entries carrying the wiki's table): the
// TUI runs the same table (tui.TestDiffCases), so the two agree.
func TestDiffCases(t *testing.T) {
	for _, c := range diffcases.Cases {
		t.Run(c.Name, func(t *testing.T) {
			w := diffcases.Serve(t, c)
			code, out, errs := runWith(t, w, "diff", "--rev", fmt.Sprint(c.Rev), "--no-cache", w.FeedURL)
			var err error
			if code != exitOK {
				err = errors.New(strings.TrimSpace(errs))
				if out != "" {
					t.Errorf("exit %d with output %q", code, out)
				}
			} else if errs != "" {
				t.Errorf("stderr %q", errs)
			}
			c.Want.Check(t, out, err, true)
			w.CheckCalls(t, c)
			if c.Entries[len(c.Entries)-1].Table == "" {
				return
			}
			// show renders the same table inside the revision.
			code, out, errs = runWith(t, w, "show", "--rev", fmt.Sprint(c.Rev), "--no-cache", w.FeedURL)
			if code != exitOK {
				t.Fatalf("show: exit %d, %s", code, errs)
			}
			show := c.Want
			show.Range = ""
			show.Check(t, out, nil, true)
		})
	}
}

// runWith runs a command against a case's wiki, its store included, with
// stdout a pipe.
func runWith(t *testing.T, w *diffcases.Wiki, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	home := t.TempDir()
	e := &env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb, store: w.Store,
		getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return ""
		},
	}
	code := dispatch(args, e)
	return code, out.String(), errb.String()
}
