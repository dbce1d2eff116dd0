package wikiapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// Parsed is a revision as the wiki itself renders it (action=parse).
type Parsed struct {
	// Page is the page title.
	Page string
	// RevID is the revision that was rendered.
	RevID int64
	// HTML is the wiki's HTML of the revision's text: templates expanded,
	// as a browser shows the page.
	HTML string
}

// parseResult is the part of an action=parse answer we read, in both
// formats: text is a string (formatversion 2) or {"*": text} (version 1,
// which wikis older than MediaWiki 1.25 answer whatever is asked).
type parseResult struct {
	Error  *apiError  `json:"error"`
	Errors []apiError `json:"errors"`
	Parse  *struct {
		Title string          `json:"title"`
		RevID int64           `json:"revid"`
		Text  json.RawMessage `json:"text"`
	} `json:"parse"`
}

// parseText reads the text of an answer in either format.
func parseText(raw json.RawMessage) (string, error) {
	var s string
	if len(raw) > 0 && raw[0] == '{' {
		var v1 struct {
			Star *string `json:"*"`
		}
		if err := json.Unmarshal(raw, &v1); err != nil || v1.Star == nil {
			return "", fmt.Errorf("wiki API: the parse result's text is not a string or {\"*\": text}")
		}
		return *v1.Star, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("wiki API: the parse result has no text")
	}
	return s, nil
}

// Parse asks the wiki at api (its api.php URL) for its rendering of
// revision oldid: action=parse with oldid, the HTML without edit links or
// limit report.
func (c *Client) Parse(ctx context.Context, api string, oldid int64) (Parsed, error) {
	u, err := url.Parse(api)
	if err != nil {
		return Parsed{}, fmt.Errorf("wiki API URL: %w", err)
	}
	q := u.Query()
	q.Set("action", "parse")
	q.Set("oldid", strconv.FormatInt(oldid, 10))
	q.Set("prop", "text")
	q.Set("disableeditsection", "1")
	q.Set("disablelimitreport", "1")
	q.Set("format", "json")
	q.Set("formatversion", "2")
	u.RawQuery = q.Encode()
	body, err := c.get(ctx, u.String())
	if err != nil {
		return Parsed{}, err
	}
	return readParse(body, oldid)
}

// readParse reads an action=parse answer.
func readParse(body []byte, oldid int64) (Parsed, error) {
	var a parseResult
	if err := json.Unmarshal(body, &a); err != nil {
		return Parsed{}, fmt.Errorf("wiki API: not a JSON answer: %w", err)
	}
	if a.Error == nil && len(a.Errors) > 0 {
		a.Error = &a.Errors[0]
	}
	if a.Error != nil {
		if a.Error.Code == "nosuchrevid" {
			return Parsed{}, &MissingError{IDs: []int64{oldid}}
		}
		return Parsed{}, &Error{Code: a.Error.Code, Info: a.Error.message()}
	}
	if a.Parse == nil {
		return Parsed{}, fmt.Errorf("wiki API: the answer has no parse result")
	}
	html, err := parseText(a.Parse.Text)
	if err != nil {
		return Parsed{}, err
	}
	return Parsed{Page: a.Parse.Title, RevID: a.Parse.RevID, HTML: html}, nil
}
