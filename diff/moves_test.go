package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// moveCheck is one move of a Result, 0-based: old line o went to new line n.
type moveCheck struct{ id, o, n int }

// placedMoves lists the moves of r (computed with Context < 0) and the
// lines that have both an old and a new side (Context and Changed), which
// anchor where things are.
func placedMoves(r *Result) (moves []moveCheck, anchors [][2]int) {
	from := map[int]int{}
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			switch l.Kind {
			case MovedFrom:
				from[l.Move] = l.OldNo - 1
			case Context, Changed:
				anchors = append(anchors, [2]int{l.OldNo - 1, l.NewNo - 1})
			default:
				// one-sided lines anchor nothing
			}
		}
	}
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Kind == MovedTo {
				moves = append(moves, moveCheck{l.Move, from[l.Move], l.NewNo - 1})
			}
		}
	}
	return moves, anchors
}

// crosses reports whether the point (o2, n2) lies before (o, n) on one
// side and after it on the other.
func crosses(o, n, o2, n2 int) bool { return (o2 < o) != (n2 < n) }

// crossesMove reports whether another move of moves crosses m.
func crossesMove(m moveCheck, moves []moveCheck) bool {
	for _, m2 := range moves {
		if m2.id != m.id && crosses(m.o, m.n, m2.o, m2.n) {
			return true
		}
	}
	return false
}

// adjacentMoves returns the moves of r whose two ends are next to each
// other in display order, or have only added or deleted lines without a
// letter or digit between them: those are one line changed in place.
func adjacentMoves(r *Result) []moveCheck {
	var out []moveCheck
	for _, h := range r.Hunks {
		for k, l := range h.Lines {
			if l.Kind != MovedFrom && l.Kind != MovedTo {
				continue
			}
			for k2 := k + 1; k2 < len(h.Lines); k2++ {
				l2 := h.Lines[k2]
				if l2.Move == l.Move {
					out = append(out, moveCheck{l.Move, max(l.OldNo, l2.OldNo) - 1, max(l.NewNo, l2.NewNo) - 1})
					break
				}
				if (l2.Kind != Added && l2.Kind != Deleted) || hasWord(spansString(l2.Spans)) {
					break
				}
			}
		}
	}
	return out
}

// movesOverSeparators returns the moves of r that move an unchanged
// paragraph nowhere: its text is the same on both sides, no other move
// crosses it, and the only unchanged or changed lines between where it was
// and where it is are blank or separator lines (no letter or digit), so it
// could have been shown as an unchanged line (issue 9: an unchanged
// paragraph "moved from line 143" to line 143 over blank lines).
func movesOverSeparators(r *Result, oldText, newText string) []moveCheck {
	a, b := splitLines(oldText), splitLines(newText)
	moves, anchors := placedMoves(r)
	var out []moveCheck
	for _, m := range moves {
		if a[m.o] != b[m.n] || crossesMove(m, moves) {
			continue
		}
		content := false
		for _, an := range anchors {
			if crosses(m.o, m.n, an[0], an[1]) && hasWord(a[an[0]]) {
				content = true
				break
			}
		}
		if !content {
			out = append(out, m)
		}
	}
	return out
}

// corpusPairs gathers every pair of the agreement test.
func corpusPairs(t *testing.T) []pair {
	t.Helper()
	all := phptPairs(t)
	revs := revsPairs(t)
	for _, lang := range []string{"en", "hi", "ru", "th", "zh"} {
		all = append(all, revs[lang]...)
	}
	all = append(all, historyPairs(t)...)
	all = append(all, feedPairs(t)...)
	return append(all, scriptedPairs(t)...)
}

// TestNoMoveToSamePlace checks issue 9's promises on every pair of the
// agreement corpus: no move whose ends are neighbours or have only blank or
// separator lines between them in display order (an in-place change
// explains it), and no move that only jumps over blank or separator lines.
func TestNoMoveToSamePlace(t *testing.T) {
	moves := 0
	for _, p := range corpusPairs(t) {
		r := Compute(p.old, p.new, Options{Context: -1})
		if r == nil {
			continue
		}
		moves += r.Stats.LinesMoved
		for _, m := range adjacentMoves(r) {
			t.Errorf("%s: move %d (old line %d, new line %d) has only separators between its ends", p.name, m.id, m.o+1, m.n+1)
		}
		for _, m := range movesOverSeparators(r, p.old, p.new) {
			t.Errorf("%s: move %d from old line %d to new line %d crosses no line of content", p.name, m.id, m.o+1, m.n+1)
		}
	}
	t.Logf("%d moves checked", moves)
}

// describe prints the changed lines of r compactly, for failure messages.
func describe(r *Result) string {
	var sb strings.Builder
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Kind == Context {
				continue
			}
			fmt.Fprintf(&sb, "\n  kind %d old %d new %d move %d: %s", l.Kind, l.OldNo, l.NewNo, l.Move, spansString(l.Spans))
		}
	}
	return sb.String()
}

// spansString writes spans with git's word-diff markers.
func spansString(spans []Span) string {
	var sb strings.Builder
	for _, s := range spans {
		switch s.Op {
		case Equal:
			sb.WriteString(s.Text)
		case Delete:
			sb.WriteString("[-" + s.Text + "-]")
		case Insert:
			sb.WriteString("{+" + s.Text + "+}")
		}
	}
	return sb.String()
}

// TestInPlaceEditsShowNoMoves makes edits that move nothing in real
// articles — a heading inserted above a paragraph that loses its first
// words (issue 9: "[-Сюжет: -]" in place), a paragraph inserted elsewhere,
// a word changed — and checks that the diff shows them where they are: the
// shortened paragraph as one changed line with only its prefix deleted,
// the heading and paragraph added, and no move.
func TestInPlaceEditsShowNoMoves(t *testing.T) {
	arts := bigArticles(t)
	for _, name := range slices.Sorted(maps.Keys(arts)) {
		for seed := range uint64(8) {
			ed := newEditor(arts[name], 1000+seed)
			i := ed.prose()
			para := ed.lines[i]
			cut := strings.IndexByte(para[40:], ' ') + 41 // a prefix of whole words
			prefix := para[:cut]
			ed.lines[i] = para[cut:]
			ed.lines = slices.Insert(ed.lines, i, "== Section from the test ==", "")
			ed.changeWord()
			ed.insertParagraph()
			if strings.Contains(ed.lines[i+2], "edited") || ed.lines[i+2] != para[cut:] {
				continue // the other edits touched the paragraph
			}
			r := Compute(arts[name], ed.text(), Options{Context: -1})
			if r.Stats.LinesMoved != 0 {
				t.Errorf("%s seed %d: %d moves:%s", name, seed, r.Stats.LinesMoved, describe(r))
				continue
			}
			want := "[-" + prefix + "-]" + para[cut:]
			found := false
			for _, h := range r.Hunks {
				for _, l := range h.Lines {
					if l.Kind == Changed && l.OldNo == i+1 {
						found = spansString(l.Spans) == want
					}
				}
			}
			if !found {
				t.Errorf("%s seed %d: old line %d is not one changed line %.80q…:%s", name, seed, i+1, want, describe(r))
			}
		}
	}
}

// medalTable writes a wikitable of countries with a total row, the shape
// of issue 9's "total row that changed 12→14".
func medalTable(rows []string, total int) string {
	lines := []string{"== Медальный зачёт ==", "", `{| class="wikitable sortable" style="text-align:center"`, "! Страна !! Золото"}
	for _, c := range rows {
		lines = append(lines, "|-", fmt.Sprintf("| {{флагификация|%s}} || %d", c, len(c)%3+1))
	}
	lines = append(lines, "|-", fmt.Sprintf("! Итого !! %d", total), "|}", "", "== Примечания ==", "{{примечания}}")
	return strings.Join(lines, "\n") + "\n"
}

// TestTableTotalRowChangesInPlace inserts a row at every place of a
// table, from just below the header to just above the total, and changes
// the total from 12 to 14: the row (with its separator) must show as
// added and the total as changed in place, never as moved.
func TestTableTotalRowChangesInPlace(t *testing.T) {
	countries := []string{"Норвегия", "Германия", "Канада", "США", "Нидерланды", "Швеция", "Швейцария", "Австрия", "Франция"}
	var rows []string
	for k := range 27 {
		rows = append(rows, countries[k%len(countries)])
	}
	old := medalTable(rows, 12)
	oldTotal := strings.Count(old[:strings.Index(old, "! Итого")], "\n") + 1
	for k := 0; k <= len(rows); k++ {
		edited := medalTable(slices.Insert(slices.Clone(rows), k, "Россия"), 14)
		r := Compute(old, edited, Options{Context: -1})
		var got []string
		for _, h := range r.Hunks {
			for _, l := range h.Lines {
				switch l.Kind {
				case Context:
				case Added:
					got = append(got, "+"+spansString(l.Spans))
				case Changed:
					got = append(got, fmt.Sprintf("~%d>%d %s", l.OldNo, l.NewNo, spansString(l.Spans)))
				default:
					got = append(got, fmt.Sprintf("kind %d old %d new %d %s", l.Kind, l.OldNo, l.NewNo, spansString(l.Spans)))
				}
			}
		}
		slices.Sort(got)
		want := []string{
			"+{+| {{флагификация|Россия}} || " + fmt.Sprint(len("Россия")%3+1) + "+}",
			"+{+|-+}",
			fmt.Sprintf("~%d>%d ! Итого !! [-12-]{+14+}", oldTotal, oldTotal+2),
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("row inserted at %d (%d lines above the total): got %q, want %q", k, 2*(len(rows)-k)+1, got, want)
		}
	}
}
