package eventstream

import (
	"regexp"
	"testing"
)

// TestFilterOnRecordedEvents counts what each filter lets through of the
// 100 real events; the counts were made apart from this code, with Python's
// json module over the file (SOURCES.md gives the totals by namespace, bot
// and minor).
func TestFilterOnRecordedEvents(t *testing.T) {
	var changes []Change
	for i, e := range recorded(t) {
		c, err := Decode(e)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		changes = append(changes, c)
	}
	tests := []struct {
		name   string
		filter Filter
		want   int
	}{
		{"zero", Filter{}, 100},
		{"wiki id", Filter{Wikis: []string{"enwiki"}}, 100},
		{"other wiki id", Filter{Wikis: []string{"dewiki"}}, 0},
		{"server URL", Filter{Wikis: []string{"https://en.wikipedia.org"}}, 100},
		{"host, other case", Filter{Wikis: []string{"EN.wikipedia.org"}}, 100},
		{"URL with a path", Filter{Wikis: []string{"https://en.wikipedia.org/wiki/Main_Page"}}, 100},
		{"other host", Filter{Wikis: []string{"de.wikipedia.org"}}, 0},
		{"either wiki", Filter{Wikis: []string{"dewiki", "enwiki"}}, 100},
		{"namespace 0", Filter{Namespaces: []int{0}}, 86},
		{"namespaces 2 and 4", Filter{Namespaces: []int{2, 4}}, 10},
		{"namespace 118", Filter{Namespaces: []int{118}}, 4},
		{"type edit", Filter{Types: []string{TypeEdit}}, 100},
		{"type new or log", Filter{Types: []string{TypeNew, TypeLog}}, 0},
		{"only bots", Filter{Bot: Only}, 2},
		{"hide bots", Filter{Bot: Hide}, 98},
		{"only minor", Filter{Minor: Only}, 7},
		{"hide minor", Filter{Minor: Hide}, 93},
		{"hide bots and minor", Filter{Bot: Hide, Minor: Hide}, 91},
		{"user", Filter{Users: []string{"Piotrus"}}, 3},
		{"user, lower-case first letter", Filter{Users: []string{"piotrus"}}, 3},
		{"user with underscores", Filter{Users: []string{"The_History_Wizard_of_Cambridge"}}, 3},
		{"IP user", Filter{Users: []string{"2601:680:4000:A780:3DB5:3CEC:7D5F:92FB"}}, 3},
		{"two users", Filter{Users: []string{"Piotrus", "Ss112"}}, 6},
		{"title pattern", Filter{Title: regexp.MustCompile(`^User:`)}, 8},
		{"title pattern, none", Filter{Title: regexp.MustCompile(`\(film\)`)}, 0},
		{"namespace 2, not minor", Filter{Namespaces: []int{2}, Minor: Hide}, 8},
		{"bot by name", Filter{Users: []string{"Citation bot"}, Bot: Only}, 1},
		{"bot hidden by name", Filter{Users: []string{"Citation bot"}, Bot: Hide}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for i := range changes {
				if tt.filter.Match(&changes[i]) {
					n++
				}
			}
			if n != tt.want {
				t.Errorf("%d pass, want %d", n, tt.want)
			}
		})
	}
}

func TestCheckWiki(t *testing.T) {
	for _, w := range []string{"enwiki", "wikidatawiki", "https://en.wikipedia.org", "en.wikipedia.org", "http://localhost:8080"} {
		if err := CheckWiki(w); err != nil {
			t.Errorf("CheckWiki(%q) = %v", w, err)
		}
	}
	for _, w := range []string{"", "https://", "en wiki"} {
		if err := CheckWiki(w); err == nil {
			t.Errorf("CheckWiki(%q) accepted", w)
		}
	}
}
