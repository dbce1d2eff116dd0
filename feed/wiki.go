package feed

import (
	"errors"
	"net/url"
	"strings"
)

// WikiQuery names a MediaWiki feed without its URL: a wiki and one of a
// user's contributions, recent changes, or a page's history.
type WikiQuery struct {
	// Wiki is the wiki's address: its root ("https://wiki.openvz.org"),
	// any page URL on it, or its api.php or index.php.
	Wiki string
	// User asks for that user's contributions.
	User string
	// Recent asks for recent changes.
	Recent bool
	// History asks for the history of that page.
	History string
	// Format is "atom" (the default) or "rss".
	Format string
}

// Errors from WikiURL.
var (
	// ErrNoWiki means a user, recent changes or history was asked for
	// without a wiki.
	ErrNoWiki = errors.New("--user, --recent and --history need --wiki URL")
	// ErrWikiWhat means a wiki was given but not which of its feeds.
	ErrWikiWhat = errors.New("--wiki needs one of --user NAME, --recent or --history PAGE")
)

// WikiURL builds the URL of a MediaWiki feed: api.php's feedcontributions
// and feedrecentchanges, and index.php's page history feed. Wikimedia
// wikis keep these scripts under /w/; other wikis usually at the root, so
// pass the api.php URL itself when a wiki keeps it elsewhere.
func WikiURL(q WikiQuery) (string, error) {
	n := 0
	if q.User != "" {
		n++
	}
	if q.Recent {
		n++
	}
	if q.History != "" {
		n++
	}
	if q.Wiki == "" {
		if n > 0 {
			return "", ErrNoWiki
		}
		return "", nil
	}
	if n != 1 {
		if n == 0 {
			return "", ErrWikiWhat
		}
		return "", errors.New("give only one of --user, --recent and --history")
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
	switch {
	case q.User != "":
		v.Set("action", "feedcontributions")
		v.Set("user", q.User)
		v.Set("feedformat", format)
		return scriptDir + "api.php?" + v.Encode(), nil
	case q.Recent:
		v.Set("action", "feedrecentchanges")
		v.Set("feedformat", format)
		return scriptDir + "api.php?" + v.Encode(), nil
	default:
		v.Set("title", strings.ReplaceAll(q.History, " ", "_"))
		v.Set("action", "history")
		v.Set("feed", format)
		return scriptDir + "index.php?" + v.Encode(), nil
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
	for _, d := range []string{"wikipedia.org", "wikimedia.org", "wiktionary.org", "wikidata.org",
		"wikibooks.org", "wikiquote.org", "wikisource.org", "wikinews.org", "wikiversity.org",
		"wikivoyage.org", "mediawiki.org", "wikifunctions.org"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
