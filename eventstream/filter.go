package eventstream

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Flag is a filter on a yes-or-no property of a change (bot, minor).
type Flag int

// The values of a Flag.
const (
	// Either lets every change through.
	Either Flag = iota
	// Only lets through the changes that have the property.
	Only
	// Hide lets through the changes that lack it.
	Hide
)

// matches reports whether a change whose property is v passes.
func (f Flag) matches(v bool) bool {
	switch f {
	case Only:
		return v
	case Hide:
		return !v
	default: // Either
		return true
	}
}

// Filter chooses changes. The zero Filter lets every change through; each
// set field narrows it, and a change must pass them all. Within a list any
// entry may match.
type Filter struct {
	// Wikis are wiki IDs ("enwiki") or server URLs or host names
	// ("https://en.wikipedia.org", "en.wikipedia.org").
	Wikis []string
	// Namespaces are namespace numbers.
	Namespaces []int
	// Types are change types: "edit", "new", "log", "categorize" or an
	// extension's.
	Types []string
	// Bot and Minor filter on the change's flags.
	Bot, Minor Flag
	// Users are user names (case of the first letter and underscores
	// ignored, as MediaWiki does) or IP addresses.
	Users []string
	// Title, if set, must match somewhere in the title (with spaces).
	Title *regexp.Regexp
}

// Match reports whether c passes the filter.
func (f *Filter) Match(c *Change) bool {
	if len(f.Wikis) > 0 && !slices.ContainsFunc(f.Wikis, func(w string) bool { return wikiMatches(w, c) }) {
		return false
	}
	if len(f.Namespaces) > 0 && !slices.Contains(f.Namespaces, c.Namespace) {
		return false
	}
	if len(f.Types) > 0 && !slices.Contains(f.Types, c.Type) {
		return false
	}
	if !f.Bot.matches(c.Bot) || !f.Minor.matches(c.Minor) {
		return false
	}
	if len(f.Users) > 0 {
		u := normalUser(c.User)
		if !slices.ContainsFunc(f.Users, func(w string) bool { return normalUser(w) == u }) {
			return false
		}
	}
	return f.Title == nil || f.Title.MatchString(c.Title)
}

// CheckWiki returns an error when w is neither a wiki ID nor a URL or host
// name, for a front-end to reject a bad --wiki before it connects.
func CheckWiki(w string) error {
	if w == "" {
		return fmt.Errorf("empty wiki")
	}
	if isWikiID(w) {
		return nil
	}
	if wikiHost(w) == "" {
		return fmt.Errorf("%q is neither a wiki ID (enwiki) nor a wiki's URL", w)
	}
	return nil
}

// isWikiID reports whether w looks like a database name: letters, digits
// and underscores.
func isWikiID(w string) bool {
	return w != "" && strings.IndexFunc(w, func(r rune) bool {
		return r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9')
	}) < 0
}

// wikiHost returns the lower-case host name of a URL or bare host name.
func wikiHost(w string) string {
	if !strings.Contains(w, "://") {
		w = "https://" + w
	}
	u, err := url.Parse(w)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// wikiMatches reports whether the filter entry w names c's wiki.
func wikiMatches(w string, c *Change) bool {
	if isWikiID(w) {
		return w == c.Wiki
	}
	h := wikiHost(w)
	return h != "" && (h == wikiHost(c.ServerURL) || h == strings.ToLower(c.Domain))
}

// normalUser puts a user name in MediaWiki's canonical form for comparing:
// underscores as spaces, no surrounding spaces, first letter upper case.
func normalUser(u string) string {
	u = strings.TrimSpace(strings.ReplaceAll(u, "_", " "))
	r, n := utf8.DecodeRuneInString(u)
	if n == 0 {
		return u
	}
	return string(unicode.ToUpper(r)) + u[n:]
}
