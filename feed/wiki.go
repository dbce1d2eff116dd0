package feed

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// WikiQuery names a MediaWiki feed without its URL: a wiki and one of a
// user's contributions, recent changes, a page's history, new pages or a
// user's watchlist, with the filters MediaWiki's feed for it takes.
type WikiQuery struct {
	// Wiki is the wiki's address: its root ("https://wiki.openvz.org"),
	// any page URL on it, or its api.php or index.php.
	Wiki string
	// User asks for that user's contributions (api.php?action=feedcontributions).
	User string
	// Recent asks for recent changes (api.php?action=feedrecentchanges).
	Recent bool
	// History asks for the history of that page (index.php?action=history).
	History string
	// NewPages asks for the pages created lately (Special:NewPages).
	NewPages bool
	// Watchlist asks for that user's watchlist (api.php?action=feedwatchlist),
	// which MediaWiki serves to anyone who has the user's watchlist token.
	Watchlist string
	// Token is the watchlist token (Special:Preferences, "Watchlist").
	Token string

	// Namespace, when not nil, keeps only the pages of that namespace
	// number (0 articles, 1 talk, 2 user pages, ...).
	Namespace *int
	// Limit, when not 0, is the most entries to ask for.
	Limit int
	// Days, when not 0, is how many days back to go.
	Days int
	// HideBots, HideMinor and HideOwn hide bots' edits, minor edits and
	// (on a watchlist) the user's own edits.
	HideBots, HideMinor, HideOwn bool

	// Format is "atom" (the default) or "rss".
	Format string
}

// Errors from WikiURL.
var (
	// ErrNoWiki means a feed of a wiki was asked for without the wiki.
	ErrNoWiki = errors.New("--user, --recent, --history, --newpages and --watchlist need --wiki URL")
	// ErrWikiWhat means a wiki was given but not which of its feeds.
	ErrWikiWhat = errors.New("--wiki needs one of --user NAME, --recent, --history PAGE, --newpages or --watchlist USER")
	// ErrNoToken means a watchlist was asked for without its token.
	ErrNoToken = errors.New("--watchlist needs the user's watchlist token (from Special:Preferences, Watchlist) in WIKIFEED_WATCHLIST_TOKEN or the config file's watchlist_token")
)

// WatchlistMaxDays is how far back MediaWiki's watchlist feed goes: its
// hours parameter is at most 72.
const WatchlistMaxDays = 3

// NewPagesMaxLimit is the most entries Special:NewPages lists.
const NewPagesMaxLimit = 5000

// wikiFeed is one kind of MediaWiki feed: its flag, and the filters its
// MediaWiki code takes (ApiFeedRecentChanges, ApiFeedContributions,
// HistoryAction::feed, SpecialNewPages, ApiFeedWatchlist).
type wikiFeed struct {
	flag                                            string
	namespace, limit, days, bots, minor, own, token bool
}

var (
	recentFeed    = wikiFeed{flag: "--recent", namespace: true, limit: true, days: true, bots: true, minor: true}
	userFeed      = wikiFeed{flag: "--user", namespace: true, minor: true}
	historyFeed   = wikiFeed{flag: "--history", limit: true}
	newPagesFeed  = wikiFeed{flag: "--newpages", namespace: true, limit: true, bots: true}
	watchlistFeed = wikiFeed{flag: "--watchlist", days: true, bots: true, minor: true, own: true, token: true}
)

// WikiURL builds the URL of a MediaWiki feed: api.php's feedcontributions,
// feedrecentchanges and feedwatchlist, and index.php's page history and
// Special:NewPages feeds, with the filters asked for. A filter the feed
// does not take is an error naming both flags. Wikimedia wikis keep these
// scripts under /w/; other wikis usually at the root, so pass the api.php
// URL itself when a wiki keeps it elsewhere.
func WikiURL(q WikiQuery) (string, error) {
	var kinds []wikiFeed
	if q.User != "" {
		kinds = append(kinds, userFeed)
	}
	if q.Recent {
		kinds = append(kinds, recentFeed)
	}
	if q.History != "" {
		kinds = append(kinds, historyFeed)
	}
	if q.NewPages {
		kinds = append(kinds, newPagesFeed)
	}
	if q.Watchlist != "" {
		kinds = append(kinds, watchlistFeed)
	}
	filters := q.Namespace != nil || q.Limit != 0 || q.Days != 0 || q.HideBots || q.HideMinor || q.HideOwn
	if q.Wiki == "" {
		switch {
		case len(kinds) > 0:
			return "", ErrNoWiki
		case filters:
			return "", fmt.Errorf("%s needs --wiki URL and one of its feeds", firstFilter(q))
		}
		return "", nil
	}
	switch len(kinds) {
	case 0:
		return "", ErrWikiWhat
	case 1:
	default:
		return "", fmt.Errorf("give only one of %s and %s: each is a feed of its own", kinds[0].flag, kinds[1].flag)
	}
	k := kinds[0]
	if err := k.check(q); err != nil {
		return "", err
	}
	format := strings.ToLower(q.Format)
	if format == "" {
		format = "atom"
	}
	if format != "atom" && format != "rss" {
		return "", errors.New("feed format must be atom or rss")
	}
	scriptDir, err := scriptPath(q.Wiki)
	if err != nil {
		return "", err
	}
	v := url.Values{}
	if q.Namespace != nil {
		v.Set("namespace", strconv.Itoa(*q.Namespace))
	}
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	switch k.flag {
	case "--user":
		v.Set("action", "feedcontributions")
		v.Set("user", q.User)
		v.Set("feedformat", format)
		setFlag(v, "hideminor", q.HideMinor)
		return scriptDir + "api.php?" + v.Encode(), nil
	case "--recent":
		v.Set("action", "feedrecentchanges")
		v.Set("feedformat", format)
		if q.Days != 0 {
			v.Set("days", strconv.Itoa(q.Days))
		}
		setFlag(v, "hidebots", q.HideBots)
		setFlag(v, "hideminor", q.HideMinor)
		return scriptDir + "api.php?" + v.Encode(), nil
	case "--watchlist":
		v.Set("action", "feedwatchlist")
		v.Set("feedformat", format)
		v.Set("wlowner", q.Watchlist)
		v.Set("wltoken", q.Token)
		if q.Days != 0 {
			v.Set("hours", strconv.Itoa(24*q.Days))
		}
		var show []string
		if q.HideBots {
			show = append(show, "!bot")
		}
		if q.HideMinor {
			show = append(show, "!minor")
		}
		if len(show) > 0 {
			v.Set("wlshow", strings.Join(show, "|"))
		}
		if q.HideOwn {
			v.Set("wlexcludeuser", q.Watchlist)
		}
		return scriptDir + "api.php?" + v.Encode(), nil
	case "--newpages":
		v.Set("title", "Special:NewPages")
		v.Set("feed", format)
		setFlag(v, "hidebots", q.HideBots)
		return scriptDir + "index.php?" + v.Encode(), nil
	default:
		v.Set("title", strings.ReplaceAll(q.History, " ", "_"))
		v.Set("action", "history")
		v.Set("feed", format)
		return scriptDir + "index.php?" + v.Encode(), nil
	}
}

// check reports the first filter in q that the feed k does not take, or
// a value out of the range it takes.
func (k wikiFeed) check(q WikiQuery) error {
	for _, f := range []struct {
		set, ok bool
		flag    string
	}{
		{q.Namespace != nil, k.namespace, "--namespace"},
		{q.Limit != 0, k.limit, "--limit"},
		{q.Days != 0, k.days, "--days"},
		{q.HideBots, k.bots, "--hide-bots"},
		{q.HideMinor, k.minor, "--hide-minor"},
		{q.HideOwn, k.own, "--hide-own"},
	} {
		if f.set && !f.ok {
			return fmt.Errorf("%s cannot go with %s: MediaWiki's feed for it has no such filter", f.flag, k.flag)
		}
	}
	switch {
	case q.Namespace != nil && *q.Namespace < 0:
		return fmt.Errorf("--namespace %d: want a namespace number, 0 or more", *q.Namespace)
	case q.Limit < 0:
		return fmt.Errorf("--limit %d: want 1 or more", q.Limit)
	case k == newPagesFeed && q.Limit > NewPagesMaxLimit:
		return fmt.Errorf("--limit %d with --newpages: the most is %d", q.Limit, NewPagesMaxLimit)
	case q.Days < 0:
		return fmt.Errorf("--days %d: want 1 or more", q.Days)
	case k == watchlistFeed && q.Days > WatchlistMaxDays:
		return fmt.Errorf("--days %d with --watchlist: MediaWiki's watchlist feed goes back %d days (72 hours) at most", q.Days, WatchlistMaxDays)
	case k.token && q.Token == "":
		return ErrNoToken
	}
	return nil
}

// firstFilter names the first filter flag set in q.
func firstFilter(q WikiQuery) string {
	switch {
	case q.Namespace != nil:
		return "--namespace"
	case q.Limit != 0:
		return "--limit"
	case q.Days != 0:
		return "--days"
	case q.HideBots:
		return "--hide-bots"
	case q.HideMinor:
		return "--hide-minor"
	}
	return "--hide-own"
}

// setFlag sets a MediaWiki boolean parameter, which counts as true when
// it is there at all.
func setFlag(v url.Values, name string, on bool) {
	if on {
		v.Set(name, "1")
	}
}

// scriptPath returns the URL, ending in "/", of the directory holding a
// wiki's api.php and index.php.
func scriptPath(wiki string) (string, error) {
	if !strings.Contains(wiki, "://") {
		wiki = "https://" + wiki
	}
	u, err := url.Parse(wiki)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", errors.New("--wiki must be an http(s) URL")
	}
	u.RawQuery, u.Fragment = "", ""
	path := u.Path
	switch {
	case strings.HasSuffix(path, "/api.php"), strings.HasSuffix(path, "/index.php"):
		path = path[:strings.LastIndexByte(path, '/')+1]
	case wikimediaHost(u.Hostname()):
		path = "/w/"
	case strings.HasPrefix(path, "/wiki/"):
		// Short URLs (/wiki/Page) usually mean scripts in /w/.
		path = "/w/"
	default:
		path = "/"
	}
	u.Path = path
	return u.String(), nil
}

// wikimediaHost reports whether host is one of Wikimedia's wikis, which all
// keep their scripts in /w/.
func wikimediaHost(host string) bool {
	for _, d := range []string{
		"wikipedia.org", "wikimedia.org", "wiktionary.org", "wikidata.org",
		"wikibooks.org", "wikiquote.org", "wikisource.org", "wikinews.org", "wikiversity.org",
		"wikivoyage.org", "mediawiki.org", "wikifunctions.org",
	} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
