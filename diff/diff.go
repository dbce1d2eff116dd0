// Package diff computes word-level differences between two texts, the way
// MediaWiki's wikidiff2 shows them: lines first, then words inside changed
// lines. It uses only the standard library.
package diff

// Op says whether a span of text is kept, inserted or deleted.
type Op int

// The operations of an edit script.
const (
	Equal Op = iota
	Insert
	Delete
)

// Span is a run of text with one operation.
type Span struct {
	Op   Op
	Text string
}

// LineKind classifies a line of a hunk.
type LineKind int

// The kinds of diff line.
const (
	// Context is an unchanged line.
	Context LineKind = iota
	// Added is a line only in the new text.
	Added
	// Deleted is a line only in the old text.
	Deleted
	// Changed pairs an old and a new line; its spans mark the words.
	Changed
	// MovedFrom is a paragraph moved elsewhere (shown where it was).
	MovedFrom
	// MovedTo is a paragraph moved here from elsewhere.
	MovedTo
)

// Line is one line of a hunk.
type Line struct {
	Kind LineKind
	// OldNo and NewNo are 1-based line numbers, 0 where the side has none.
	OldNo, NewNo int
	// Spans hold the line's text. For Changed and Moved lines they carry
	// Insert and Delete spans for the changed words.
	Spans []Span
}

// Hunk is a run of changed lines with context around it.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// Stats counts what changed.
type Stats struct {
	LinesAdded, LinesDeleted int
	WordsAdded, WordsDeleted int
	BytesAdded, BytesDeleted int
}

// Result is a whole diff.
type Result struct {
	Hunks []Hunk
	Stats Stats
}

// Options tune Compute.
type Options struct {
	// Context is how many unchanged lines to keep around each change.
	Context int
}

// Compute diffs old against new. It returns nil when they are equal.
//
// TODO(diff): placeholder that marks every line changed; the real
// two-level algorithm replaces it.
func Compute(old, new string, opts Options) *Result {
	if old == new {
		return nil
	}
	return &Result{Hunks: []Hunk{{Lines: []Line{{Kind: Changed, Spans: []Span{{Delete, old}, {Insert, new}}}}}}}
}
