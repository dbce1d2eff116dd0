package diff

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the want sections of the golden files in testdata/")

// txtar is a minimal reader and writer of the txtar format (a comment, then
// sections that start with a "-- name --" line), enough for the golden
// cases; the diff package stays free of non-standard dependencies.
type txtar struct {
	comment string
	names   []string
	files   map[string]string
}

func parseTxtar(data string) *txtar {
	a := &txtar{files: map[string]string{}}
	cur := ""
	var sb strings.Builder
	flush := func() {
		if cur == "" {
			a.comment = sb.String()
		} else {
			a.files[cur] = sb.String()
		}
		sb.Reset()
	}
	for _, line := range strings.SplitAfter(data, "\n") {
		t := strings.TrimRight(line, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) > 6 {
			flush()
			cur = t[3 : len(t)-3]
			a.names = append(a.names, cur)
			continue
		}
		sb.WriteString(line)
	}
	flush()
	return a
}

func (a *txtar) format() string {
	var sb strings.Builder
	sb.WriteString(a.comment)
	for _, n := range a.names {
		fmt.Fprintf(&sb, "-- %s --\n%s", n, a.files[n])
	}
	return sb.String()
}

// formatResult prints a Result in the text form the golden files hold:
// unified-diff hunk headers, then one line per diff line with a marker
// ("  " context, "- " deleted, "+ " added, "~ " changed, "<N" moved from,
// ">N" moved to), words marked [-deleted-] and {+inserted+} as git's
// --word-diff=plain does, and the stats at the end.
func formatResult(r *Result) string {
	if r == nil {
		return "(equal)\n"
	}
	var sb strings.Builder
	for _, h := range r.Hunks {
		fmt.Fprintf(&sb, "@@ -%d,%d +%d,%d @@\n", h.OldStart, h.OldLines, h.NewStart, h.NewLines)
		for _, l := range h.Lines {
			switch l.Kind {
			case Context:
				sb.WriteString("  ")
			case Deleted:
				sb.WriteString("- ")
			case Added:
				sb.WriteString("+ ")
			case Changed:
				sb.WriteString("~ ")
			case MovedFrom:
				fmt.Fprintf(&sb, "<%d", l.Move)
			case MovedTo:
				fmt.Fprintf(&sb, ">%d", l.Move)
			}
			fmt.Fprintf(&sb, " %d,%d ", l.OldNo, l.NewNo)
			for _, s := range l.Spans {
				switch {
				case s.Op == Equal || l.Kind == Deleted || l.Kind == Added:
					sb.WriteString(s.Text)
				case s.Op == Delete:
					fmt.Fprintf(&sb, "[-%s-]", s.Text)
				case s.Op == Insert:
					fmt.Fprintf(&sb, "{+%s+}", s.Text)
				}
			}
			sb.WriteString("\n")
		}
	}
	st := r.Stats
	fmt.Fprintf(&sb, "stats: lines +%d -%d ~%d moved %d; words +%d -%d; bytes +%d -%d\n",
		st.LinesAdded, st.LinesDeleted, st.LinesChanged, st.LinesMoved,
		st.WordsAdded, st.WordsDeleted, st.BytesAdded, st.BytesDeleted)
	return sb.String()
}

// TestGolden diffs the old and new sections of each testdata/TestGolden
// case with the default context and compares the printed result with want.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/TestGolden/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txtar")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a := parseTxtar(string(data))
			old, new := a.files["old"], a.files["new"]
			r := checkResult(t, old, new, DefaultContext)
			got := formatResult(r)
			if *update {
				if _, ok := a.files["want"]; !ok {
					a.names = append(a.names, "want")
				}
				a.files["want"] = got
				if err := os.WriteFile(f, []byte(a.format()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := a.files["want"]; got != want {
				t.Errorf("%s: got\n%s\nwant\n%s", f, got, want)
			}
		})
	}
}
