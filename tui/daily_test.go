package tui

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/wikifeed/wikifeed/feed"
)

// The tests of issue 11: the TUI as a patroller's daily tool.

// styled is the screen with its escapes.
func (hs *harness) styled() string { return hs.m.View().Content }

// TestSearchHighlightsEveryMatch checks that every occurrence of the query
// on screen is painted, the current one in its own style, and that esc
// ends the search from the list pane too.
func TestSearchHighlightsEveryMatch(t *testing.T) {
	hs := sampleHarness(t, 140, 40)
	// The first revision lists HP several times.
	hs.keys("ctrl+f", `"HP"`, "enter")
	c := &hs.m.content
	if len(c.matches) < 4 {
		t.Fatalf("%d matches of HP, want at least 4", len(c.matches))
	}
	hs.contains(fmt.Sprintf("match 1 of %d", len(c.matches)))
	st := hs.m.sh.st
	cur, other := st.matchCurrent.Render("HP"), st.match.Render("HP")
	screen := hs.styled()
	if n := strings.Count(screen, cur); n != 1 {
		t.Fatalf("the current match is painted %d times, want 1:\n%q", n, screen)
	}
	visible := 0
	for _, m := range c.matches {
		if c.onScreen(m.line) {
			visible++
		}
	}
	if n := strings.Count(screen, other); n != visible-1 {
		t.Fatalf("%d other matches painted, want %d", n, visible-1)
	}
	if cur == other {
		t.Fatal("the current match looks like the others")
	}
	// Two HP on one line are two matches ("HP HP" is not in the sample, so
	// check a line by hand).
	if got := findFold(nil, 0, "hp and HP, İhp", "hp"); len(got) != 3 || got[1].start != 7 || got[2].start != 12 {
		t.Fatalf("findFold found %+v", got)
	}
	hs.keys("n")
	hs.contains(fmt.Sprintf("match 2 of %d", len(c.matches)))
	// The list has the focus (side by side): esc still ends the search.
	if hs.m.focus != focusList {
		t.Fatal("the search moved the focus")
	}
	total := len(c.matches)
	hs.keys("esc")
	hs.lacks(fmt.Sprintf("match 2 of %d", total))
	if strings.Contains(hs.styled(), st.match.Render("HP")) {
		t.Fatal("the highlights stayed after esc")
	}
	// From the content pane, esc ends search and filter at once.
	hs.keys("/", `"Agenda"`, "enter", "tab", "ctrl+f", `"HP"`, "enter", "esc")
	if hs.m.list.filter != "" || c.query != "" {
		t.Fatalf("esc left filter %q and search %q", hs.m.list.filter, c.query)
	}
}

// TestNextChangeFollowsTheScreen checks that n and N start from the top
// of what is on screen once the user scrolled away from the last change
// visited.
func TestNextChangeFollowsTheScreen(t *testing.T) {
	hs := newHarness(t, feedOf(bigFeed(t)), 140, 40)
	hs.keys("j", "d", "tab")
	c := &hs.m.content
	if len(c.changes) < 20 {
		t.Fatalf("%d changes", len(c.changes))
	}
	hs.keys("n", "n", "N", "N")
	if c.change != 0 {
		t.Fatalf("n n N N is at change %d", c.change+1)
	}
	// G, then n: nothing below the screen's top goes up.
	hs.keys("G")
	top := c.vp.YOffset()
	hs.keys("n")
	if got := c.changes[c.change].start; got < top {
		t.Fatalf("after G, n went up to line %d (the screen began at %d)", got, top)
	}
	// g and ten pages down, then n: the first change at or below the top.
	hs.keys("g")
	for range 10 {
		hs.keys("pgdown")
	}
	top = c.vp.YOffset()
	want := -1
	for i, ch := range c.changes {
		if ch.start >= top {
			want = i
			break
		}
	}
	hs.keys("n")
	if c.change != want {
		t.Fatalf("after ten pages down n went to change %d, want %d (the first at or below line %d)", c.change+1, want+1, top)
	}
	// N from there: the last change above the top of the screen.
	for range 3 {
		hs.keys("pgdown")
	}
	top = c.vp.YOffset()
	hs.keys("N")
	if got := c.changes[c.change].start; got >= top || (c.change+1 < len(c.changes) && c.changes[c.change+1].start < top) {
		t.Fatalf("N went to line %d; the screen began at %d", got, top)
	}
	// While the current change is on screen n goes to the one after it.
	was := c.change
	hs.keys("n")
	if c.change != was+1 {
		t.Fatalf("n from change %d on screen went to %d", was+1, c.change+1)
	}
}

// TestSearchNextFollowsTheScreen is the same for search matches.
func TestSearchNextFollowsTheScreen(t *testing.T) {
	hs := newHarness(t, feedOf(bigFeed(t)), 140, 40)
	hs.keys("j", "tab", "ctrl+f", `"the"`, "enter")
	c := &hs.m.content
	if len(c.matches) < 100 {
		t.Fatalf("%d matches", len(c.matches))
	}
	for range 20 {
		hs.keys("pgdown")
	}
	top := c.vp.YOffset()
	hs.keys("n")
	if l := c.matches[c.match].line; l < top || (c.match > 0 && c.matches[c.match-1].line >= top) {
		t.Fatalf("n went to line %d; the screen began at %d", l, top)
	}
}

// TestFilterUpdatesPagesAndContent checks the page rows' counts under a
// filter and that the content pane shows what the list shows.
func TestFilterUpdatesPagesAndContent(t *testing.T) {
	hs := sampleHarness(t, 140, 40)
	hs.keys("/", `"See also"`)
	hs.contains("Containers/Mini-summit 2008 (2 of 5 revisions)")
	hs.lacks("(5 revisions)", "notes (1 revision)")
	it, ok := hs.m.list.selected()
	if !ok || hs.m.content.rev != it.revision() || !strings.Contains(hs.m.content.rev.Comment, "See also") {
		t.Fatalf("the content shows %+v, not the list's first visible revision", hs.m.content.rev)
	}
	hs.keys("enter")
	hs.keys("/", `"zzz"`)
	hs.contains("No revision matches the filter.")
	hs.keys("esc")
	hs.contains("(5 revisions)", "notes (1 revision)")
	if hs.m.content.rev == nil {
		t.Fatal("clearing the filter left the content pane empty")
	}
}

// TestModeSwitchKeepsSelection checks t, r, d, s and tab keep the
// revision the list selects and the content pane shows.
func TestModeSwitchKeepsSelection(t *testing.T) {
	hs := sampleHarness(t, 140, 40)
	hs.keys("j", "j") // the page row of Containers/Mini-summit 2008
	it, _ := hs.m.list.selected()
	if it.page == nil {
		t.Fatal("row 3 is not a page row")
	}
	shown := hs.m.content.rev
	for _, k := range []string{"t", "t", "d", "t", "s", "tab", "t", "tab", "t", "r"} {
		hs.keys(k)
		it, ok := hs.m.list.selected()
		if !ok || it.revision() != shown || hs.m.content.rev != shown {
			t.Fatalf("after %s the list selects %v and the content shows #%d, want #%d", k, it.revision(), hs.m.content.rev.ID, shown.ID)
		}
	}
}

// TestSkipHeaders checks that with page rows skipped j goes from revision
// to revision: a feed of n edits takes n-1 presses from top to bottom.
func TestSkipHeaders(t *testing.T) {
	f := loadFile(t, "mediawiki-1.15.3-x3wiki-recentchanges.rss")
	hs := newHarnessConfig(t, feedOf(f), 140, 40, "", Config{Style: "dark", SkipHeaders: true})
	if it, _ := hs.m.list.selected(); it.rev == nil {
		t.Fatal("the cursor starts on a page row")
	}
	presses := 0
	for {
		before := hs.m.list.cursor
		hs.keys("j")
		if hs.m.list.cursor == before {
			break
		}
		presses++
		if it, _ := hs.m.list.selected(); it.rev == nil {
			t.Fatalf("j stopped on a page row after %d presses", presses)
		}
	}
	if want := len(f.Revisions) - 1; presses != want {
		t.Fatalf("%d presses from the first revision to the last, want %d", presses, want)
	}
	hs.keys("g")
	if it, _ := hs.m.list.selected(); it.rev == nil {
		t.Fatal("g went to a page row")
	}
	// H turns it off; the page rows are stops again.
	hs.keys("H", "k")
	if it, _ := hs.m.list.selected(); it.page == nil {
		t.Fatal("with H off k did not stop at the page row")
	}
}

// TestGroupInConfig starts flat when the config says group = "time".
func TestGroupInConfig(t *testing.T) {
	cfg, err := ParseConfig("group = \"time\"\nskip_headers = true\nlist_width = \"50%\"\nlist_max_width = 120\n", "c.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Flat || !cfg.SkipHeaders || cfg.ListWidth != 0.5 || cfg.ListMaxWidth != 120 {
		t.Fatalf("parsed %+v", cfg)
	}
	hs := newHarnessConfig(t, feedOf(feed.Sample()), 200, 30, "", cfg)
	hs.lacks("(5 revisions)")
	if hs.m.sh.listWidth() != 100 {
		t.Fatalf("list is %d columns at 200 with 50%%", hs.m.sh.listWidth())
	}
}

// TestListGrows checks the list pane's width across window widths.
func TestListGrows(t *testing.T) {
	for _, tc := range []struct {
		cfg        Config
		w, want    int
		wantReason string
	}{
		{Config{}, 100, 40, "40%"},
		{Config{}, 140, 56, "40%"},
		{Config{}, 200, 80, "40%"},
		{Config{}, 300, 100, "the maximum"},
		{Config{ListMaxWidth: 60}, 200, 60, "the configured maximum"},
		{Config{ListColumns: 70}, 200, 70, "fixed columns"},
		{Config{ListColumns: 90}, 120, 60, "never more than half"},
	} {
		sh := &shared{cfg: tc.cfg, width: tc.w}
		if got := sh.listWidth(); got != tc.want {
			t.Errorf("%+v at %d columns: list %d wide, want %d (%s)", tc.cfg, tc.w, got, tc.want, tc.wantReason)
		}
	}
}

// wideFeed has pages and users in CJK, emoji and Latin, of differing
// display widths, some edits older than a day.
func wideFeed() *feed.Feed {
	mk := func(id int64, page, user string, ago time.Duration, size int) *feed.Revision {
		return &feed.Revision{
			Page: page, ID: id, User: user, Time: testNow.Add(-ago), Comment: "edit " + fmt.Sprint(id),
			Kind: feed.BodyEmpty, HasSizeChange: true, SizeChange: size,
		}
	}
	revs := []*feed.Revision{
		mk(6, "東京都", "ユーザー", 5*time.Minute, 12),
		mk(5, "Paris", "Émile", 3*time.Hour, -1234),
		mk(4, "🎉 Party", "Bob🙂", 26*time.Hour, 0),
		mk(3, "Zürich", "李小龙", 40*24*time.Hour, 7),
		mk(2, "東京都", "Al", 400*24*time.Hour, 100),
	}
	return feedFrom("Wide", revs)
}

// feedFrom makes a feed of revisions given newest first, grouping them
// into pages (each page's revisions oldest first, as feed.Load does).
func feedFrom(title string, revs []*feed.Revision) *feed.Feed {
	f := &feed.Feed{Title: title, Sources: []string{strings.ToLower(title)}, Revisions: revs}
	pages := map[string]*feed.Page{}
	for i := len(revs) - 1; i >= 0; i-- {
		r := revs[i]
		p := pages[r.Page]
		if p == nil {
			p = &feed.Page{Title: r.Page}
			pages[r.Page] = p
			f.Pages = append(f.Pages, p)
		}
		p.Revisions = append(p.Revisions, r)
	}
	return f
}

// TestColumnsAlign checks that in both layouts the user, size and comment
// columns start at the same cell on every revision row, CJK and emoji
// counted as two cells.
func TestColumnsAlign(t *testing.T) {
	for _, flat := range []bool{false, true} {
		for _, w := range []int{140, 200} {
			hs := newHarnessConfig(t, feedOf(wideFeed()), w, 20, "", Config{Style: "dark", Flat: flat})
			lw := hs.m.sh.listWidth()
			col := -1
			rows := 0
			for _, line := range strings.Split(hs.screen(), "\n")[1:] {
				left := ansi.Truncate(line, lw, "")
				i := strings.Index(left, "edit")
				if i < 0 {
					continue
				}
				rows++
				c := ansi.StringWidth(left[:i])
				if col >= 0 && c != col {
					t.Fatalf("flat=%v at %d: the comment starts at cell %d, not %d:\n%s", flat, w, c, col, hs.screen())
				}
				col = c
			}
			if rows != 5 {
				t.Fatalf("flat=%v at %d: %d revision rows show", flat, w, rows)
			}
			// Older entries show the date and time; a year ago its year.
			hs.contains("Jul 22 13:00", "Jun 13 15:00", "2007-06-19 15:00", " 5m ")
		}
	}
}

// TestRelTime checks the time column's formats.
func TestRelTime(t *testing.T) {
	for _, tc := range []struct {
		ago  time.Duration
		want string
	}{
		{10 * time.Second, "now"},
		{5 * time.Minute, "5m"},
		{23 * time.Hour, "23h"},
		{25 * time.Hour, "Jul 22 14:00"},
		{30 * 24 * time.Hour, "Jun 23 15:00"},
		{400 * 24 * time.Hour, "2007-06-19 15:00"},
		{-time.Hour, "Jul 23 16:00"},
	} {
		if got := relTime(testNow.Add(-tc.ago), testNow); got != tc.want {
			t.Errorf("%v ago: %q, want %q", tc.ago, got, tc.want)
		}
	}
}

// TestHintsShrink checks that the status bar's key hints give way one at
// a time, least important first: help stays longest, and they never all
// vanish while the position leaves room for "? help".
func TestHintsShrink(t *testing.T) {
	hs := sampleHarness(t, 200, 30)
	hs.keys("tab", "G")
	prev := 1 << 30
	for w := 200; w >= 40; w-- {
		hs.send(teaSize(w, 30))
		lines := strings.Split(hs.screen(), "\n")
		bar := lines[len(lines)-1]
		n := strings.Count(bar, " • ") + 1
		if !strings.Contains(bar, "? help") {
			t.Fatalf("at %d columns the status bar lost ? help: %q", w, bar)
		}
		if n > prev {
			t.Fatalf("at %d columns %d hints show, more than the %d one column wider", w, n, prev)
		}
		if strings.Contains(bar, "…") {
			t.Fatalf("at %d columns a hint is cut: %q", w, bar)
		}
		prev = n
	}
}

// luminance is WCAG 2's relative luminance of a colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestContrast checks every text style of the UI for 4.5:1 (WCAG AA) on
// the dark and the light background, and that the help's styles are
// those styles.
func TestContrast(t *testing.T) {
	if c := contrast(color.Black, color.White); math.Abs(c-21) > 0.01 {
		t.Fatalf("black on white is %.2f:1, want 21:1", c)
	}
	for _, style := range []string{"dark", "light"} {
		p := paletteFor(style)
		for _, ts := range p.textStyles() {
			bg := ts.bg
			if bg == nil {
				bg = p.BG
			}
			if c := contrast(ts.fg, bg); c < 4.5 {
				t.Errorf("%s: %s is %.2f:1", style, ts.name, c)
			}
		}
		st := newStyles(style)
		if st.help.ShortDesc.GetForeground() != p.Faint || st.help.ShortKey.GetForeground() != p.Text {
			t.Errorf("%s: the help's colours are not the palette's", style)
		}
	}
}

// TestBadKeys checks the [keys] errors: each names its line and says in
// wikifeed's words what is wrong.
func TestBadKeys(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"unknown key name", "[keys]\ndown = [\"j\", \"ctrl+foo\"]\n", `c.toml:2: down: "ctrl+foo" is not a key`},
		{"conflict", "style = \"dark\"\n[keys]\n\ndown = [\"q\"]\n", `c.toml:4: down: "q" is also the key of quit`},
		{"conflict with ctrl+c", "[keys]\nhelp = [\"ctrl+c\"]\n", `c.toml:2: help: "ctrl+c" is also the key of force_quit`},
		{"modifier order", "[keys]\nup = [\"alt+ctrl+k\"]\n", `c.toml:2: up: "alt+ctrl+k": write modifiers in the order`},
		{"wrong type", "[keys]\ndown = 3\n", `c.toml:2: down: want a list of keys such as ["j", "down"], not a number`},
		{"keys not a table", "keys = \"j\"\n", `c.toml:1: keys: want a table`},
		{"style a number", "style = 3\n", `c.toml:1: style: want a string in quotes, not a number`},
		{"sources a string", "sources = \"a.atom\"\n", `c.toml:1: sources: want a list of strings`},
		{"bad width", "list_width = \"95%\"\n", `c.toml:1: list_width: "95%": want a share from`},
		{"bad group", "group = \"user\"\n", `c.toml:1: group: "user" is not a grouping`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(tc.text, "c.toml")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to start %q", err, tc.want)
			}
			for _, leak := range []string{"incompatible", "destination", "TOML value", "type string"} {
				if strings.Contains(err.Error(), leak) {
					t.Fatalf("error %q has the decoder's words", err)
				}
			}
		})
	}
	// A key given as one string is a list of one; swapping two keys is
	// no conflict.
	cfg, err := ParseConfig("[keys]\ndown = \"ctrl+n\"\nquit = [\"Q\"]\nhelp = [\"q\"]\n", "c.toml")
	if err != nil || cfg.Keys["down"][0] != "ctrl+n" {
		t.Fatalf("%+v %v", cfg.Keys, err)
	}
	for _, k := range []string{"j", "?", "ctrl+f", "alt+shift+x", "f5", "pgdown", "space", "ü", "]"} {
		if err := CheckKey(k); err != nil {
			t.Errorf("%q: %v", k, err)
		}
	}
	for _, k := range []string{"", "jj", "ctrl+", "f0", "page_down", "ctrl+foo"} {
		if err := CheckKey(k); err == nil {
			t.Errorf("%q is taken for a key", k)
		}
	}
}

// TestBrowserList checks $BROWSER as a colon-separated list: a command
// that is not there is passed over, and %s takes the URL.
func TestBrowserList(t *testing.T) {
	script, out := fakeBrowser(t)
	dir := filepath.Dir(script)
	env := map[string]string{"BROWSER": filepath.Join(dir, "no-such-browser") + ":" + script + " --url=%s --x"}
	open := openWithBrowser(func(k string) string { return env[k] })
	url := "https://wiki.test/?a=1"
	if err := open(url); err != nil {
		t.Fatal(err)
	}
	if got, want := browserArgs(t, out), "--url="+url+"\n--x\n"; got != want {
		t.Fatalf("browser got %q, want %q", got, want)
	}
	env["BROWSER"] = filepath.Join(dir, "none1") + ":" + filepath.Join(dir, "none2")
	t.Setenv("PATH", dir) // no xdg-open either
	if err := open(url); err == nil || !strings.Contains(err.Error(), "none2") {
		t.Fatalf("error %v", err)
	}
}

// teaSize is a window size message.
func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// goldenStyled compares the screen with its colours (ESC written as ␛ so
// the file reads as text) with testdata/<test name>/<step>.golden.
func (hs *harness) goldenStyled(step string) {
	hs.t.Helper()
	got := strings.ReplaceAll(hs.styled(), "\x1b", "␛")
	hs.compareGolden(step, got, func(s string) string {
		return ansi.Strip(strings.ReplaceAll(s, "␛", "\x1b")) + "\n(the text; the colours differ too, see the file)"
	})
}

// TestScreens keeps golden screens of the main views at 40, 80, 140 and
// 200 columns: the text (the same on both backgrounds) and, for the dark
// and the light style, the colours.
func TestScreens(t *testing.T) {
	steps := []struct {
		name string
		keys []string
	}{
		{"list", nil},
		{"diff", []string{"j", "j", "j", "j", "d"}},
		{"search", []string{"ctrl+f", `"HP"`, "enter", "n"}},
		{"filter", []string{"/", `"See also"`, "enter"}},
		{"flat", []string{"t"}},
		{"help", []string{"?"}},
	}
	for _, w := range []int{40, 80, 140, 200} {
		for _, style := range []string{"dark", "light"} {
			t.Run(fmt.Sprintf("%d/%s", w, style), func(t *testing.T) {
				for _, st := range steps {
					hs := newHarnessConfig(t, feedOf(feed.Sample()), w, 24, "", Config{Style: style})
					hs.keys(st.keys...)
					if style == "dark" {
						hs.golden("../text-" + st.name)
					}
					hs.goldenStyled(st.name)
				}
			})
		}
	}
}
