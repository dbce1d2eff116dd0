package feed

import (
	"strings"
	"testing"
)

// TestWikiURLShortcuts checks every MediaWiki feed and filter against the
// parameter names of MediaWiki's own code: ApiFeedRecentChanges
// (namespace, days, limit, hidebots, hideminor), ApiFeedContributions
// (namespace, hideminor), HistoryAction::feed (limit), SpecialNewPages
// (namespace, limit, hidebots) and ApiFeedWatchlist (wlowner, wltoken,
// hours, wlshow, wlexcludeuser).
func TestWikiURLShortcuts(t *testing.T) {
	ns := func(n int) *int { return &n }
	const wiki = "en.wikipedia.org"
	const token = "0123456789abcdef0123456789abcdef01234567"
	cases := []struct {
		name string
		q    WikiQuery
		want string
		err  string
	}{
		{
			name: "recent with every filter", q: WikiQuery{Wiki: wiki, Recent: true, Namespace: ns(0), Limit: 100, Days: 3, HideBots: true, HideMinor: true},
			want: "https://en.wikipedia.org/w/api.php?action=feedrecentchanges&days=3&feedformat=atom&hidebots=1&hideminor=1&limit=100&namespace=0",
		},
		{
			name: "contributions in a namespace", q: WikiQuery{Wiki: wiki, User: "Jimbo Wales", Namespace: ns(2), HideMinor: true},
			want: "https://en.wikipedia.org/w/api.php?action=feedcontributions&feedformat=atom&hideminor=1&namespace=2&user=Jimbo+Wales",
		},
		{
			name: "history with a limit", q: WikiQuery{Wiki: wiki, History: "Main Page", Limit: 50},
			want: "https://en.wikipedia.org/w/index.php?action=history&feed=atom&limit=50&title=Main_Page",
		},
		{
			name: "new pages", q: WikiQuery{Wiki: wiki, NewPages: true},
			want: "https://en.wikipedia.org/w/index.php?feed=atom&title=Special%3ANewPages",
		},
		{
			name: "new pages filtered", q: WikiQuery{Wiki: "https://wiki.openvz.org", NewPages: true, Namespace: ns(4), Limit: 20, HideBots: true, Format: "rss"},
			want: "https://wiki.openvz.org/index.php?feed=rss&hidebots=1&limit=20&namespace=4&title=Special%3ANewPages",
		},
		{
			name: "watchlist", q: WikiQuery{Wiki: wiki, Watchlist: "Ann", Token: token},
			want: "https://en.wikipedia.org/w/api.php?action=feedwatchlist&feedformat=atom&wlowner=Ann&wltoken=" + token,
		},
		{
			name: "watchlist filtered", q: WikiQuery{Wiki: wiki, Watchlist: "Ann Lee", Token: token, Days: 2, HideBots: true, HideMinor: true, HideOwn: true},
			want: "https://en.wikipedia.org/w/api.php?action=feedwatchlist&feedformat=atom&hours=48&wlexcludeuser=Ann+Lee&wlowner=Ann+Lee&wlshow=%21bot%7C%21minor&wltoken=" + token,
		},

		{name: "watchlist without a token", q: WikiQuery{Wiki: wiki, Watchlist: "Ann"}, err: "WIKIFEED_WATCHLIST_TOKEN"},
		{name: "watchlist too far back", q: WikiQuery{Wiki: wiki, Watchlist: "Ann", Token: token, Days: 4}, err: "--days 4 with --watchlist"},
		{name: "watchlist has no limit", q: WikiQuery{Wiki: wiki, Watchlist: "Ann", Token: token, Limit: 5}, err: "--limit cannot go with --watchlist"},
		{name: "watchlist has no namespace", q: WikiQuery{Wiki: wiki, Watchlist: "Ann", Token: token, Namespace: ns(0)}, err: "--namespace cannot go with --watchlist"},
		{name: "hide own needs a watchlist", q: WikiQuery{Wiki: wiki, Recent: true, HideOwn: true}, err: "--hide-own cannot go with --recent"},
		{name: "contributions have no days", q: WikiQuery{Wiki: wiki, User: "Ann", Days: 2}, err: "--days cannot go with --user"},
		{name: "contributions have no limit", q: WikiQuery{Wiki: wiki, User: "Ann", Limit: 2}, err: "--limit cannot go with --user"},
		{name: "history has no namespace", q: WikiQuery{Wiki: wiki, History: "P", Namespace: ns(0)}, err: "--namespace cannot go with --history"},
		{name: "new pages have no minor edits", q: WikiQuery{Wiki: wiki, NewPages: true, HideMinor: true}, err: "--hide-minor cannot go with --newpages"},
		{name: "new pages limit", q: WikiQuery{Wiki: wiki, NewPages: true, Limit: 5001}, err: "the most is 5000"},
		{name: "negative namespace", q: WikiQuery{Wiki: wiki, Recent: true, Namespace: ns(-1)}, err: "--namespace -1"},
		{name: "negative limit", q: WikiQuery{Wiki: wiki, Recent: true, Limit: -1}, err: "--limit -1"},
		{name: "negative days", q: WikiQuery{Wiki: wiki, Recent: true, Days: -1}, err: "--days -1"},
		{name: "two feeds", q: WikiQuery{Wiki: wiki, NewPages: true, Watchlist: "Ann"}, err: "give only one of --newpages and --watchlist"},
		{name: "a filter with no wiki", q: WikiQuery{Limit: 5}, err: "--limit needs --wiki"},
		{name: "new pages with no wiki", q: WikiQuery{NewPages: true}, err: "need --wiki"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := WikiURL(c.q)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %q, %v; want an error with %q", got, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got  %q, %v\nwant %q", got, err, c.want)
			}
		})
	}
}
