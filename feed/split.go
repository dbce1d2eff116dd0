package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"unicode/utf8"
)

// parseBytes parses a feed held in memory. A large UTF-8 feed is cut
// between its entries into one piece per CPU, each wrapped in the feed's
// own head and tail and parsed by gofeed in parallel: gofeed reads about
// 25 MB/s on one core, and a 10,000-entry feed is 50 MB or more. Anything
// unusual (a non-UTF-8 encoding, a bad byte, entries it cannot find, a
// piece that fails) goes to the plain streaming parse instead, so errors
// read the same either way.
//
// parseBytes also checks the tags are balanced: gofeed reads XML leniently
// and can drop the rest of a feed after a broken tag without an error, so
// a problem found here becomes a warning on the feed.
func parseBytes(data []byte, source, base string) (*Feed, error) {
	return parseInput(data, source, base, sourceInfo{})
}

// sourceInfo is what is known of a source besides its bytes.
type sourceInfo struct {
	// contentType is the HTTP Content-Type, or "".
	contentType string
	// maxBytes caps a gzip stream once decompressed; 0 means
	// DefaultMaxBytes.
	maxBytes int64
	// whole turns lift off: gofeed reads every byte (the tests compare).
	whole bool
}

// parseInput is parseBytes with what else is known of the source.
func parseInput(data []byte, source, base string, info sourceInfo) (*Feed, error) {
	limit := info.maxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, warnings, err := decodeDocument(data, info.contentType, limit)
	if err != nil {
		return nil, err
	}
	if err := wikiAPIError(data); err != nil {
		return nil, err
	}
	data = preAtomNamespace(mapC1(dropIllegalCharRefs(data)))
	problem := ""
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		// A JSON Feed has no tags to check.
		problem = checkTags(data)
	}
	lean, lf := data, (*lifted)(nil)
	if !info.whole {
		lean, lf = lift(data)
	}
	ex := supplement(data, lean)
	f, err := parseLean(lean, source, base, ex, lf, problem == "")
	if lf != nil && err != nil {
		// Whatever went wrong, the error and the model are the ones the
		// whole feed gives.
		f, err = parseLean(data, source, base, ex, nil, problem == "")
	}
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		f.Warnings = append(f.Warnings, source+": "+w)
	}
	if problem != "" {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s: malformed XML at %s; entries after it may be missing", source, problem))
	}
	return f, nil
}

// parseLean parses data, in parallel when it is large and may be split,
// putting back what lift took out of it (lf, or nil).
func parseLean(data []byte, source, base string, ex *extras, lf *lifted, split bool) (*Feed, error) {
	var f *Feed
	var err error
	pieces := runtime.GOMAXPROCS(0)
	if len(data) >= parallelMinBytes && pieces >= 2 && split {
		f, err = parseParallel(data, source, base, pieces, ex, lf)
	}
	if f == nil {
		f, err = parse(bytes.NewReader(data), source, base, ex, lf)
	}
	return f, err
}

// errLiftLeak means a lifted text's placeholder was found inside a longer
// value: the feed must be read again as it was.
var errLiftLeak = errors.New("placeholder inside a value")

// errNoSplit means parseParallel could not cut the feed up.
var errNoSplit = errors.New("feed not split")

// parseParallel is parseBytes's parallel path.
func parseParallel(data []byte, source, base string, pieces int, ex *extras, lf *lifted) (*Feed, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	_, sn, err := prepare(bytes.NewReader(data[:min(len(data), sniffBytes)]))
	if err != nil || !sn.utf8 || sn.format == formatUnknown || sn.format == formatCDF || !utf8.Valid(data) {
		return nil, errNoSplit
	}
	name := []byte("item")
	if sn.format == formatAtom {
		name = []byte("entry")
	}
	starts, end := findEntries(data, name)
	if len(starts) < 2*pieces {
		return nil, errNoSplit
	}
	head, tail := data[:starts[0]], data[end:]
	// Cut at entry starts, about equal in bytes.
	cuts := []int{0}
	per := (end - starts[0]) / pieces
	next := starts[0] + per
	for i, s := range starts {
		if s >= next && len(cuts) < pieces {
			cuts = append(cuts, i)
			next = s + per
		}
	}
	raws := make([]*rawFeed, len(cuts))
	errs := make([]error, len(cuts))
	var wg sync.WaitGroup
	for k := range cuts {
		from := starts[cuts[k]]
		to := end
		if k+1 < len(cuts) {
			to = starts[cuts[k+1]]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := io.MultiReader(bytes.NewReader(head), bytes.NewReader(data[from:to]), bytes.NewReader(tail))
			raws[k], errs[k] = parseRaw(r, sn)
		}()
	}
	wg.Wait()
	n := 0
	for k := range raws {
		if errs[k] != nil {
			return nil, errs[k]
		}
		n += len(raws[k].items)
	}
	if n != len(starts) {
		return nil, errNoSplit
	}
	raw := raws[0]
	items := make([]rawItem, 0, n)
	for _, r := range raws {
		items = append(items, r.items...)
	}
	raw.items = items
	for _, r := range raws[1:] {
		raw.dateProblems = append(raw.dateProblems, r.dateProblems...)
	}
	if !lf.restore(raw) {
		return nil, errLiftLeak
	}
	ex.apply(raw)
	f := convert(raw, source, base, sn)
	f.index()
	return f, nil
}

// findEntries returns where each top-level <name> element starts and
// where the last one ends, skipping comments, CDATA sections, processing
// instructions and declarations (the places a '<' opens no element).
func findEntries(data, name []byte) (starts []int, end int) {
	closing := append(append([]byte("</"), name...), '>')
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			return starts, end
		}
		i += j
		rest := data[i:]
		n := markupLen(rest)
		switch {
		case n < 0:
			return nil, 0
		case n > 0:
			i += n
		case len(rest) > len(name)+1 && bytes.Equal(rest[1:1+len(name)], name) && isNameEnd(rest[1+len(name)]):
			starts = append(starts, i)
			i += 1 + len(name)
		case bytes.HasPrefix(rest, closing):
			i += len(closing)
			end = i
		default:
			i++
		}
	}
}

// isNameEnd reports whether b can follow an element name in a start tag.
func isNameEnd(b byte) bool {
	return b == '>' || b == '/' || b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
