package app

import (
	"strconv"
	"testing"

	"github.com/wikifeed/wikifeed/feed"
)

// TestPathsFrom checks the XDG variables, their fallbacks under HOME,
// relative values ignored, and nothing at all without HOME.
func TestPathsFrom(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want Paths
	}{
		{"home-only", map[string]string{"HOME": "/h"}, Paths{
			Config: "/h/.config/wikifeed", Data: "/h/.local/share/wikifeed", State: "/h/.local/state/wikifeed",
		}},
		{"xdg", map[string]string{"HOME": "/h", "XDG_CONFIG_HOME": "/c", "XDG_DATA_HOME": "/d", "XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/k"}, Paths{
			Config: "/c/wikifeed", Data: "/d/wikifeed", State: "/s/wikifeed",
		}},
		{"relative-ignored", map[string]string{"HOME": "/h", "XDG_DATA_HOME": "rel"}, Paths{
			Config: "/h/.config/wikifeed", Data: "/h/.local/share/wikifeed", State: "/h/.local/state/wikifeed",
		}},
		{"nothing", map[string]string{}, Paths{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := PathsFrom(func(k string) string { return c.env[k] })
			if got != c.want {
				t.Errorf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
	p := PathsFrom(func(k string) string { return map[string]string{"HOME": "/h"}[k] })
	if p.ConfigFile() != "/h/.config/wikifeed/config.toml" || p.StoreFile() != "/h/.local/share/wikifeed/wikifeed.db" {
		t.Errorf("files %q %q", p.ConfigFile(), p.StoreFile())
	}
	if p.SeenFile([]string{"a", "b"}) != p.SeenFile([]string{"b", "a"}) || p.SeenFile([]string{"a"}) == p.SeenFile([]string{"b"}) {
		t.Errorf("seen files do not follow the set of sources")
	}
	if (Paths{}).SeenFile([]string{"a"}) != "" {
		t.Errorf("a seen file with no state directory")
	}
}

// TestFind checks each way of naming a revision, and the messages when
// none matches.
func TestFind(t *testing.T) {
	f := feed.Sample()
	cases := []struct {
		name string
		sel  Selector
		want string // the revision's ID, or the error
	}{
		{"newest", Selector{}, "6226"},
		{"id", Selector{ID: 6199}, "6199"},
		{"page", Selector{Page: "Containers/Mini-summit 2008"}, "6200"},
		{"entry", Selector{Entry: 3}, "6199"},
		{"no-id", Selector{ID: 5}, "no revision 5 in the feed; run 'wikifeed list' with the same sources to see the entries"},
		{"no-page", Selector{Page: "Nope"}, `no page "Nope" in the feed; run 'wikifeed list' with the same sources to see the entries`},
		{"no-entry", Selector{Entry: 7}, "no entry 7: the feed has 6 (1 is the newest); run 'wikifeed list' with the same sources to see the entries"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Find(f, c.sel)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = strconv.FormatInt(r.ID, 10)
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	if _, err := Find(&feed.Feed{Sources: []string{"x.atom"}}, Selector{}); err == nil || err.Error() != "x.atom: no entries" {
		t.Errorf("empty feed: %v", err)
	}
}
