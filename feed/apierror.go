package feed

import (
	"bytes"
	"encoding/json"
)

// maxAPIErrorBytes is the largest body checked for a MediaWiki API error,
// in bytes: such answers are short, and a JSON Feed can be long.
const maxAPIErrorBytes = 64 << 10

// WikiAPIError is a MediaWiki API error answered in place of a feed, with
// HTTP 200: {"error": {"code": "…", "info": "…"}}. The feed modules of the
// API (feedrecentchanges, feedcontributions, feedwatchlist) answer so when
// a parameter is wrong, a user does not exist, or a login is needed.
type WikiAPIError struct {
	// Code is the API's error code, such as "baduser".
	Code string
	// Info is the wiki's message.
	Info string
}

// Error quotes the wiki: "the wiki answered with an error: baduser: …".
func (e *WikiAPIError) Error() string {
	return "the wiki answered with an error: " + printable(e.Code) + ": " + shorten(cleanText(e.Info), maxAPIErrorRunes)
}

// maxAPIErrorRunes is how much of the wiki's message is quoted.
const maxAPIErrorRunes = 300

// shorten cuts s to n runes, marking the cut with "…".
func shorten(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}

// wikiAPIError returns a *WikiAPIError when data is a MediaWiki API error
// answer, else nil.
func wikiAPIError(data []byte) error {
	t := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	if len(t) == 0 || t[0] != '{' || len(t) > maxAPIErrorBytes {
		return nil
	}
	// Both the default format and errorformat=plaintext|wikitext|html
	// (which writes "errors": [{"code", "text"}]) and formatversion 1's
	// "*" are read.
	type apiErr struct {
		Code string `json:"code"`
		Info string `json:"info"`
		Text string `json:"text"`
		Star string `json:"*"`
	}
	var a struct {
		Error  *apiErr  `json:"error"`
		Errors []apiErr `json:"errors"`
	}
	if json.Unmarshal(t, &a) != nil {
		return nil
	}
	e := a.Error
	if e == nil && len(a.Errors) > 0 {
		e = &a.Errors[0]
	}
	if e == nil || e.Code == "" {
		return nil
	}
	info := e.Info
	for _, s := range []string{e.Text, e.Star} {
		if info == "" {
			info = s
		}
	}
	if info == "" {
		info = "(no message)"
	}
	return &WikiAPIError{Code: e.Code, Info: info}
}
