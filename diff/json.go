package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The row types of the inline JSON form (InlineJSON), wikidiff2's numbers.
const (
	JSONContext         = 0
	JSONAdd             = 1
	JSONDelete          = 2
	JSONChange          = 3
	JSONMoveSource      = 4
	JSONMoveDestination = 5
)

// The highlight types and move directions of the inline JSON form.
const (
	JSONHighlightAdd    = 0
	JSONHighlightDelete = 1
	JSONLinkDown        = 0
	JSONLinkUp          = 1
)

// JSONDiff is the document InlineJSON writes: wikidiff2's inline JSON
// format (wikidiff2_inline_json_diff, which MediaWiki serves from
// action=compare with difftype=inline and the JSON slot diff format).
type JSONDiff struct {
	Diff []JSONLine `json:"diff"`
}

// JSONLine is one row of the inline JSON form.
type JSONLine struct {
	// Type is JSONContext, JSONAdd, JSONDelete, JSONChange,
	// JSONMoveSource or JSONMoveDestination.
	Type int `json:"type"`
	// LineNumber is the 1-based line number in the new text; rows
	// without a new side (deleted lines, move sources) have none.
	LineNumber int `json:"lineNumber,omitempty"`
	// MoveInfo links a move source to its destination.
	MoveInfo *JSONMove `json:"moveInfo,omitempty"`
	// Text is the line. For a change and a move destination it is the
	// old and new words interleaved (kept, deleted, inserted), as the
	// highlight ranges mark them; for a move source it is the old line.
	Text string `json:"text"`
	// Offset holds the byte offsets of the line in the old and new text.
	Offset JSONOffset `json:"offset"`
	// HighlightRanges mark the deleted and inserted words of a change or
	// move destination in Text. Deleted lines, added lines, context and
	// move sources have none.
	HighlightRanges []JSONRange `json:"highlightRanges,omitempty"`
}

// JSONMove identifies the two rows of a moved paragraph.
type JSONMove struct {
	// ID names this row, LinkID the other row of the move.
	ID     string `json:"id"`
	LinkID string `json:"linkId"`
	// LinkDirection is JSONLinkDown when the other row comes later in the
	// diff, JSONLinkUp when it comes earlier.
	LinkDirection int `json:"linkDirection"`
}

// JSONOffset holds byte offsets into the old (From) and new (To) texts;
// nil where the row has no such side.
type JSONOffset struct {
	From *int `json:"from"`
	To   *int `json:"to"`
}

// JSONRange is a highlighted byte range of a row's Text.
type JSONRange struct {
	Start  int `json:"start"`
	Length int `json:"length"`
	// Type is JSONHighlightAdd or JSONHighlightDelete.
	Type int `json:"type"`
}

// InlineJSON converts r, the diff of old against new, into wikidiff2's
// inline JSON form, so that a script that reads MediaWiki's inline JSON
// diffs reads ours. The rows are the lines of r's hunks, in order, with
// the context r was computed with. Move ids are "movedpara_N_lhs" (the
// source) and "movedpara_N_rhs" (the destination) for move N; wikidiff2
// numbers them by its own operation indexes, so only their pairing, not
// their spelling, matches MediaWiki's. A nil r (equal texts) gives an
// empty diff array. When old and new are both empty (r was read from a
// wiki's diff table, whose texts are not known) the offsets are null.
func InlineJSON(old, new string, r *Result) *JSONDiff {
	doc := &JSONDiff{Diff: []JSONLine{}}
	if r == nil {
		return doc
	}
	// Without the texts (a diff read from a wiki's diff table) the
	// offsets are not known: they are null.
	known := old != "" || new != ""
	oldStart, newStart := lineOffsets(old), lineOffsets(new)
	off := func(starts []int, no int) *int {
		if !known || no <= 0 || no > len(starts) {
			return nil
		}
		v := starts[no-1]
		return &v
	}
	// Where each move's rows are, to give their direction.
	type pos struct{ src, dst int }
	moves := map[int]*pos{}
	row := 0
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			if l.Move > 0 {
				p := moves[l.Move]
				if p == nil {
					p = &pos{}
					moves[l.Move] = p
				}
				if l.Kind == MovedFrom {
					p.src = row
				} else {
					p.dst = row
				}
			}
			row++
		}
	}
	row = 0
	for _, h := range r.Hunks {
		for _, l := range h.Lines {
			jl := JSONLine{Offset: JSONOffset{From: off(oldStart, l.OldNo), To: off(newStart, l.NewNo)}}
			if l.NewNo > 0 {
				jl.LineNumber = l.NewNo
			}
			switch l.Kind {
			case Context:
				jl.Type, jl.Text = JSONContext, l.OldText()
			case Added:
				jl.Type, jl.Text = JSONAdd, l.NewText()
			case Deleted:
				jl.Type, jl.Text = JSONDelete, l.OldText()
			case Changed, MovedTo:
				jl.Type = JSONChange
				if l.Kind == MovedTo {
					jl.Type = JSONMoveDestination
				}
				var sb strings.Builder
				jl.HighlightRanges = []JSONRange{}
				for _, s := range l.Spans {
					switch s.Op {
					case Delete:
						jl.HighlightRanges = append(jl.HighlightRanges, JSONRange{sb.Len(), len(s.Text), JSONHighlightDelete})
					case Insert:
						jl.HighlightRanges = append(jl.HighlightRanges, JSONRange{sb.Len(), len(s.Text), JSONHighlightAdd})
					case Equal:
						// Unchanged words are not highlighted.
					}
					sb.WriteString(s.Text)
				}
				jl.Text = sb.String()
			case MovedFrom:
				jl.Type, jl.Text = JSONMoveSource, l.OldText()
			}
			if l.Move > 0 {
				p := moves[l.Move]
				self, other := p.dst, p.src
				id, link := fmt.Sprintf("movedpara_%d_rhs", l.Move), fmt.Sprintf("movedpara_%d_lhs", l.Move)
				if l.Kind == MovedFrom {
					self, other = p.src, p.dst
					id, link = link, id
				}
				dir := JSONLinkUp
				if other > self {
					dir = JSONLinkDown
				}
				jl.MoveInfo = &JSONMove{ID: id, LinkID: link, LinkDirection: dir}
			}
			doc.Diff = append(doc.Diff, jl)
			row++
		}
	}
	return doc
}

// WriteInlineJSON writes InlineJSON(old, new, r) to w as one line of JSON.
func WriteInlineJSON(w io.Writer, old, new string, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(InlineJSON(old, new, r)); err != nil {
		return fmt.Errorf("write JSON diff: %w", err)
	}
	return nil
}

// lineOffsets returns the byte offset of each line of s, as splitLines
// splits it.
func lineOffsets(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && i+1 < len(s) {
			starts = append(starts, i+1)
		}
	}
	return starts
}
