package feed

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Agreement goals for TestFeedparserAgreement, in percent of the checks
// the model can express: a ratchet, raised as the parser improves.
const (
	feedparserGoalAll        = 97.5
	feedparserGoalNoSanitize = 99.0
)

// fpCheck is one clause of a feedparser Expect line the model can express.
type fpCheck struct {
	// field is the model field: "feed.title", "entry.title", "feed.link",
	// "entry.link", "entry.author", "feed.time", "entry.time".
	field string
	// want is the expected string, or for a time its UTC form.
	want string
	// clause is the clause as written, for failure reports.
	clause string
}

// fpLHS maps the left-hand sides of feedparser's clauses to model fields.
var fpLHS = map[string]string{
	"feed['title']":                       "feed.title",
	"feed['title_detail']['value']":       "feed.title",
	"entries[0]['title']":                 "entry.title",
	"entries[0]['title_detail']['value']": "entry.title",
	"feed['link']":                        "feed.link",
	"entries[0]['link']":                  "entry.link",
	"entries[0]['author']":                "entry.author",
	"entries[0]['author_detail']['name']": "entry.author",
	"feed['updated_parsed']":              "feed.time",
	"feed['published_parsed']":            "feed.time",
	"entries[0]['updated_parsed']":        "entry.time",
	"entries[0]['published_parsed']":      "entry.time",
	"entries[0]['created_parsed']":        "entry.time",
	"entries[0]['modified_parsed']":       "entry.time",
	"entries[0]['issued_parsed']":         "entry.time",
	"entries[0]['date_parsed']":           "entry.time",
}

var expectRE = regexp.MustCompile(`(?s)Expect:\s*(.*?)\s*-->`)

// fpChecks reads the checks the model can express from a test file.
func fpChecks(data []byte) []fpCheck {
	m := expectRE.FindSubmatch(data)
	if m == nil {
		return nil
	}
	var out []fpCheck
	for _, clause := range splitAnd(string(m[1])) {
		lhs, rhs, ok := strings.Cut(clause, " == ")
		if !ok {
			continue
		}
		field := fpLHS[strings.ReplaceAll(strings.TrimSpace(lhs), `"`, `'`)]
		if field == "" {
			continue
		}
		rhs = strings.TrimSpace(rhs)
		var want string
		if strings.HasSuffix(field, ".time") {
			t, ok := pyTimeTuple(rhs)
			if !ok {
				continue
			}
			want = t.Format(time.RFC3339)
		} else {
			s, ok := pyString(rhs)
			if !ok {
				continue
			}
			want = s
		}
		out = append(out, fpCheck{field: field, want: want, clause: clause})
	}
	return out
}

// splitAnd splits a Python expression at its top-level " and ".
func splitAnd(expr string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case quote != 0:
			switch c {
			case '\\':
				i++
			case quote:
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
		case depth == 0 && strings.HasPrefix(expr[i:], " and "):
			parts = append(parts, strings.TrimSpace(expr[start:i]))
			start = i + len(" and ")
			i += len(" and ") - 1
		}
	}
	return append(parts, strings.TrimSpace(expr[start:]))
}

// pyString reads a Python string literal, or several joined by "+".
func pyString(s string) (string, bool) {
	var b strings.Builder
	for {
		s = strings.TrimSpace(s)
		s = strings.TrimPrefix(s, "u")
		if s == "" || (s[0] != '\'' && s[0] != '"') {
			return "", false
		}
		q := s[0]
		i := 1
		for ; i < len(s) && s[i] != q; i++ {
			if s[i] != '\\' || i+1 >= len(s) {
				b.WriteByte(s[i])
				continue
			}
			i++
			switch c := s[i]; c {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
				if i+n >= len(s) {
					return "", false
				}
				v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
				if err != nil {
					return "", false
				}
				b.WriteRune(rune(v))
				i += n
			default:
				b.WriteByte(c)
			}
		}
		if i >= len(s) {
			return "", false
		}
		s = strings.TrimSpace(s[i+1:])
		if s == "" {
			return b.String(), true
		}
		if s[0] != '+' {
			return "", false
		}
		s = s[1:]
	}
}

// pyTimeTuple reads a time.struct_time tuple, in UTC.
func pyTimeTuple(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "(") || !strings.HasSuffix(s, ")") {
		return time.Time{}, false
	}
	f := strings.Split(s[1:len(s)-1], ",")
	if len(f) < 6 {
		return time.Time{}, false
	}
	var n [6]int
	for i := range n {
		v, err := strconv.Atoi(strings.TrimSpace(f[i]))
		if err != nil {
			return time.Time{}, false
		}
		n[i] = v
	}
	return time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], 0, time.UTC), true
}

// fpGot returns what the model shows for a check's field.
func fpGot(f *Feed, field string) string {
	var rev *Revision
	if len(f.Revisions) > 0 {
		rev = f.Revisions[0]
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	switch field {
	case "feed.title":
		return f.Title
	case "feed.link":
		return f.Link
	case "feed.time":
		return stamp(f.Updated)
	}
	if rev == nil {
		return "(no entry)"
	}
	switch field {
	case "entry.title":
		return rev.Page
	case "entry.link":
		return rev.URL
	case "entry.author":
		return rev.User
	case "entry.time":
		return stamp(rev.Time)
	}
	return ""
}

// fpWant turns feedparser's expected value into what the model should
// show. The model shows titles as one line of text, where feedparser keeps
// the (sanitised) HTML of a title it takes for HTML: an Atom title typed
// html or xhtml, or a title of another format that looks like HTML
// (feedparser guesses for those). Such an expected value is compared by
// its text; any title by its text with white space collapsed; an empty
// entry title is the model's "(untitled)". Authors are compared by name:
// feedparser's 'author' is "Name (email)" or "email (Name)", the model
// keeps the name.
func fpWant(c fpCheck, data []byte) string {
	switch c.field {
	case "feed.title", "entry.title":
		w := c.want
		if fpTitleIsHTML(data, c.field == "entry.title", w) {
			w = htmlText(w)
		} else {
			w = cleanText(w)
		}
		if w == "" && c.field == "entry.title" {
			w = "(untitled)"
		}
		return w
	case "entry.author":
		return personName(cleanText(c.want))
	}
	return c.want
}

var (
	fpTitleTagRE  = regexp.MustCompile(`<(?:[A-Za-z]+:)?title(\s[^>]*)?>`)
	fpTypeAttrRE  = regexp.MustCompile(`\stype\s*=\s*["']([^"']*)["']`)
	fpEntryTagRE  = regexp.MustCompile(`<(?:[A-Za-z]+:)?(entry|item)[\s>]`)
	fpLooksHTMLRE = regexp.MustCompile(`</[A-Za-z][A-Za-z0-9]*>|&#?[A-Za-z0-9]+;`)
)

// fpTitleIsHTML says whether feedparser takes the feed's (or the first
// entry's) title for HTML, read from the test file itself: in Atom, by the
// title's type; elsewhere, when the value looks like HTML, as feedparser's
// guess does.
func fpTitleIsHTML(data []byte, entry bool, want string) bool {
	atom := bytes.Contains(data, []byte("<feed"))
	if !atom {
		return fpLooksHTMLRE.MatchString(want) || strings.Contains(want, "<img") || strings.Contains(want, "<br")
	}
	scope := data
	if loc := fpEntryTagRE.FindIndex(data); loc != nil {
		if entry {
			scope = data[loc[0]:]
		} else {
			scope = data[:loc[0]]
		}
	}
	m := fpTitleTagRE.FindSubmatch(scope)
	if m == nil {
		return false
	}
	t := fpTypeAttrRE.FindSubmatch(m[1])
	if t == nil {
		return false
	}
	switch strings.ToLower(string(t[1])) {
	case "html", "xhtml", "text/html", "application/xhtml+xml":
		return true
	}
	return false
}

var fpHeaderRE = regexp.MustCompile(`(?m)^Header:\s+([^:]+):(.*)$`)

// fpParse parses a test file as feedparser's harness does: the files of
// its HTTP tests (a path with "http" in it) as fetched from its test
// server's URL with the headers the file names, the others as text.
func fpParse(path string, data []byte) (*Feed, error) {
	if !strings.Contains(path, "http") {
		return Parse(bytes.NewReader(data), filepath.Base(path))
	}
	contentType := "text/xml"
	for _, m := range fpHeaderRE.FindAllSubmatch(data, -1) {
		if strings.EqualFold(string(m[1]), "Content-type") {
			contentType = strings.TrimSpace(string(m[2]))
		}
	}
	url := "http://127.0.0.1:8097/tests/wellformed/" + strings.TrimPrefix(filepath.ToSlash(path), "testdata/feedparser/wellformed/")
	return ParseWithContentType(bytes.NewReader(data), url, contentType)
}

// TestFeedparserAgreement runs feedparser's well-formed tests through
// Parse and checks the title, link, author and date clauses of their
// Expect lines against the model (as list --json shows it).
func TestFeedparserAgreement(t *testing.T) {
	var files []string
	err := filepath.WalkDir("testdata/feedparser/wellformed", func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) < 300 {
		t.Fatalf("found %d feedparser files: %v", len(files), err)
	}
	type tally struct{ checks, agree int }
	var all, noSanitize tally
	byField := map[string]*tally{}
	var misses []string
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checks := fpChecks(data)
		if len(checks) == 0 {
			continue
		}
		f, perr := fpParse(path, data)
		sanitize := strings.Contains(path, "/sanitize/")
		for _, c := range checks {
			want := fpWant(c, data)
			got := "(error)"
			if perr == nil {
				got = fpGot(f, c.field)
			}
			ok := perr == nil && got == want
			for _, tl := range []*tally{&all, byFieldOf(byField, c.field)} {
				tl.checks++
				if ok {
					tl.agree++
				}
			}
			if !sanitize {
				noSanitize.checks++
				if ok {
					noSanitize.agree++
				}
			}
			if !ok {
				why := fmt.Sprintf("got %q, want %q", got, want)
				if perr != nil {
					why = perr.Error()
				}
				misses = append(misses, fmt.Sprintf("%s: %s: %s", strings.TrimPrefix(path, "testdata/feedparser/wellformed/"), c.field, why))
			}
		}
	}
	pct := func(tl tally) float64 { return 100 * float64(tl.agree) / float64(max(tl.checks, 1)) }
	t.Logf("feedparser agreement: %d of %d checks (%.1f%%); outside sanitize/: %d of %d (%.1f%%)",
		all.agree, all.checks, pct(all), noSanitize.agree, noSanitize.checks, pct(noSanitize))
	for _, field := range []string{"feed.title", "entry.title", "feed.link", "entry.link", "entry.author", "feed.time", "entry.time"} {
		if tl := byField[field]; tl != nil {
			t.Logf("  %-12s %3d of %3d", field, tl.agree, tl.checks)
		}
	}
	if testing.Verbose() {
		for _, m := range misses {
			t.Log("miss: " + m)
		}
	}
	if pct(all) < feedparserGoalAll || pct(noSanitize) < feedparserGoalNoSanitize {
		t.Errorf("agreement fell below the goal (%.0f%% overall, %.0f%% outside sanitize/); -v lists the misses",
			feedparserGoalAll, feedparserGoalNoSanitize)
	}
}

// byFieldOf returns the tally for a field, creating it.
func byFieldOf[T any](m map[string]*T, k string) *T {
	if m[k] == nil {
		m[k] = new(T)
	}
	return m[k]
}

// TestNewsboatFeedsLoad loads every feed of newsboat's test data.
func TestNewsboatFeedsLoad(t *testing.T) {
	files, _ := filepath.Glob("testdata/newsboat/*.*")
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".md") {
			continue
		}
		if filepath.Base(path) == "LICENSE" {
			continue
		}
		n++
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(bytes.NewReader(data), filepath.Base(path))
			if filepath.Base(path) == "empty.xml" {
				if err == nil || !strings.HasSuffix(err.Error(), "empty file") {
					t.Errorf("empty.xml: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Revisions) == 0 {
				t.Errorf("no entries")
			}
			for _, r := range f.Revisions {
				if !utf8.ValidString(r.Page) || strings.ContainsAny(r.Page+r.User, "\x1b\x00") {
					t.Errorf("entry %q has bad text", r.Page)
				}
			}
		})
	}
	if n < 17 {
		t.Fatalf("found %d newsboat feeds, want 17", n)
	}
}

// TestFeedparserEncodings loads feedparser's encoding tests (every file of
// tests/encoding, HTTP ones with the Content-Type they name): each must
// load, except the bozo_ files feedparser itself flags as broken, which
// must give one line.
func TestFeedparserEncodings(t *testing.T) {
	files, _ := filepath.Glob("testdata/feedparser/encoding/*.xml")
	if len(files) < 80 {
		t.Fatalf("found %d encoding tests", len(files))
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := fpParse(path, data)
		if strings.HasPrefix(filepath.Base(path), "bozo_") {
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error spans lines: %q", path, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if !utf8.ValidString(f.Title) {
			t.Errorf("%s: title %q is not UTF-8", path, f.Title)
		}
	}
}
