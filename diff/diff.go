// Package diff computes word-level differences between two texts, the way
// MediaWiki's wikidiff2 shows them: lines first, then words inside changed
// lines. It uses only the standard library.
//
// Usage:
//
//	r := diff.Compute(oldText, newText, diff.Options{Context: diff.DefaultContext})
//	if r == nil {
//		// the texts are equal
//	}
//	for _, h := range r.Hunks {
//		for _, l := range h.Lines {
//			// l.Kind, l.OldNo, l.NewNo, l.Spans
//		}
//	}
//
// # Algorithm
//
// Compute works in two levels, like wikidiff2 (MediaWiki's diff engine,
// https://www.mediawiki.org/wiki/Wikidiff2):
//
//  1. Lines. Both texts are split at line breaks (a wikitext paragraph is
//     one line), every distinct line is interned to an integer, and the two
//     integer sequences are compared the way wikidiff2's DiffEngine does
//     (hunt.go): Hunt and Szymanski's longest common subsequence, which of
//     the equally long alignments picks the one that matches earliest in
//     the new text, then GNU diff's shift_boundaries, which slides each run
//     of changes as far down as equal lines allow, or back to where a change
//     on the other side is. That choice matters: when a paragraph moves past
//     blank lines, both the paragraph and the blank lines are candidates for
//     the alignment, and an alignment on the blank lines shows the
//     unchanged paragraphs as deleted, re-added or "moved" to the same
//     place. Each stretch of deleted and inserted lines between unchanged
//     ones is then paired up in order: old line i of the stretch with new
//     line i. A pair whose similarity (bytes kept by the word diff over bytes
//     kept plus the larger side of each change) is above ChangeThreshold
//     (0.2) becomes a Changed line; otherwise it becomes an Added and a
//     Deleted line, in that order, as in wikidiff2. A pair too big to
//     compare word by word (see MaxWordProduct) is a Changed line replaced
//     whole. Surplus lines stay deleted or added.
//  2. Moves. If at most MovedParagraphCutoff lines are left deleted or
//     added, each is compared, in display order, with every line of the
//     other kind; the most similar one, if above MovedThreshold (0.4),
//     makes a move: a MovedFrom line where the paragraph was and a MovedTo
//     line where it went, both with the word-level changes made on the way.
//     The similarity is measured from the line the search starts from, as
//     wikidiff2 does (it can differ by direction when word alignments tie).
//     A pair that sits next to each other in display order is an in-place
//     change, not a move: it becomes a Changed line. So does a pair with
//     only deleted or added blank or separator lines (no letter or digit:
//     "", "|-", "----") between them in one stretch of changes, such as a
//     paragraph that lost its first words below an inserted heading and
//     blank line, or a table's total row below an inserted row and its
//     "|-". Here we part from wikidiff2, which shows those as moves to
//     nearly the same place; the changed words are the same either way.
//  3. Words. Changed and moved lines are tokenised (Tokenize, which splits
//     as wikidiff2 does: one token per space, Thai by dictionary) and
//     compared token by token with the same method as the lines, on the
//     tokens between the common start and end only (which tokens both sides
//     have is decided there, as in wikidiff2, and that decides ties); a
//     space that opens a line matches only another line's opening space,
//     as wikidiff2's empty-bodied first word does. A pair
//     whose token counts multiply past MaxWordProduct (after trimming common
//     ends) is not compared word by word.
//
// The line and word comparisons fall back to Myers' O(ND) difference
// algorithm in linear space (E. W. Myers, "An O(ND) Difference Algorithm
// and Its Variations", Algorithmica 1(2), 1986; section 4b) when the inputs
// have too many matching pairs for Hunt and Szymanski (huntMaxPairs: text
// made of few distinct lines or tokens). Its cost grows with the size of
// the edit (D), and it is bounded (below). Before tokenising a changed
// line, its common byte prefix and suffix are cut off at word boundaries
// (keeping a margin as long as the change), so a one-word edit in a long
// paragraph tokenises a few words, not the paragraph.
//
// Work bound: for unrelated texts D is as large as the input; there the
// search for each split point gives up after a bounded cost (minSplitCost,
// growing with the square root of the input) and cuts at the furthest point
// either search reached, so the work stays near-linear and the result is a
// correct script that may keep a few percent fewer words than the longest
// common subsequence. Lines whose token counts multiply past MaxWordProduct
// are not diffed word by word at all.
//
// Trade-offs: a minimal script is not always the most readable one (it may
// keep stray spaces between unrelated words, as wikidiff2 does); pairing
// lines in order is cheap but can miss a better pairing inside a long
// stretch of changes, which the move detection partly recovers; a line split
// in two shows as a changed line plus an added one (wikidiff2 1.13 does the
// same). The agreement test (wikidiff2_test.go) compares every decision
// with wikidiff2 1.13 on its own test cases and on real revisions.
package diff

// Tunables. The thresholds are wikidiff2's defaults so that our diffs
// highlight what MediaWiki highlights.
const (
	// DefaultContext is the usual number of unchanged lines around a change.
	DefaultContext = 2
	// ChangeThreshold is the similarity (0..1) above which a deleted and an
	// added line at the same place are shown as one changed line.
	ChangeThreshold = 0.2
	// MovedThreshold is the similarity (0..1) above which a deleted and an
	// added paragraph are shown as a move.
	MovedThreshold = 0.4
	// MovedParagraphCutoff is the largest number of deleted plus added
	// lines (count) for which moves are searched; the search is quadratic.
	MovedParagraphCutoff = 100
	// MaxWordProduct caps word-level work: the product of the two lines'
	// token counts (tokens²).
	MaxWordProduct = 40_000_000
	// minSplitCost is the smallest edit cost (edits) one split search may
	// spend before it stops looking for the optimal split.
	minSplitCost = 256
	// splitCostFactor scales that limit with the square root of the
	// problem size (edits per √element).
	splitCostFactor = 4
	// splitWorkPerElement bounds the steps (diagonal and snake steps) of
	// one split search, per element of the subproblem, on top of the
	// square of its cost limit; it matters for inputs made of few distinct
	// tokens, where the snakes are long.
	splitWorkPerElement = 8
	// totalWorkPerElement and minTotalWork bound the steps of all split
	// searches of one comparison (steps per element, steps); past that
	// the rest of the comparison is given up as changed. Natural text
	// stays far below it; it only stops pathological inputs.
	totalWorkPerElement = 64
	minTotalWork        = 1 << 23
)

// maxWordProduct is MaxWordProduct as the type the comparison needs.
const maxWordProduct = int64(MaxWordProduct)

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
	// Spans hold the line's text without its line break: one Equal span
	// for Context (none for an empty line), one Delete span for Deleted,
	// one Insert span for Added. For Changed, MovedFrom and MovedTo lines
	// they are the word-level edit script: Equal and Delete spans joined
	// give the old line, Equal and Insert spans the new one. Both lines of a
	// move carry the same spans.
	Spans []Span
	// Move pairs a MovedFrom line with its MovedTo line: both carry the
	// same number, counted from 1 in each Result; 0 on other lines.
	Move int
}

// Hunk is a run of changed lines with context around it. OldLines counts
// the lines with an old side (Context, Deleted, Changed, MovedFrom),
// NewLines those with a new side (Context, Added, Changed, MovedTo). As in
// unified diffs, OldStart is the number of the first old line, or, when
// OldLines is 0, of the old line after which the hunk's lines go (0 at the
// very start); the same for NewStart.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// Stats counts what changed, over the whole diff (not only the lines the
// hunks show).
type Stats struct {
	// LinesAdded and LinesDeleted count Added and Deleted lines.
	LinesAdded, LinesDeleted int
	// LinesChanged counts Changed lines, LinesMoved moved paragraphs (each
	// MovedFrom/MovedTo pair once).
	LinesChanged, LinesMoved int
	// WordsAdded and WordsDeleted count inserted and deleted tokens that
	// hold a letter or digit, in all lines.
	WordsAdded, WordsDeleted int
	// BytesAdded and BytesDeleted count inserted and deleted bytes,
	// including line breaks; a moved paragraph counts only its word-level
	// changes. BytesAdded - BytesDeleted == len(new) - len(old).
	BytesAdded, BytesDeleted int
}

// Result is a whole diff.
type Result struct {
	Hunks []Hunk
	Stats Stats
	// OldNoNewline and NewNoNewline report that the old or new text does
	// not end with a line break (and is not empty). A last line that only
	// gains or loses its line break shows as Changed with Equal spans.
	OldNoNewline, NewNoNewline bool
}

// Options tune Compute.
type Options struct {
	// Context is how many unchanged lines to keep around each change
	// (DefaultContext is the usual value). A negative Context keeps every
	// line: one hunk covers both texts whole.
	Context int
}
