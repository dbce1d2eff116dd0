package render

import "strings"

// OneLine makes untrusted feed text safe for one line of a terminal:
// sanitised, with every run of white space (line breaks included) one
// space. Both front-ends use it for titles, users, comments and errors.
func OneLine(s string) string {
	return strings.Join(strings.Fields(Sanitize(s)), " ")
}
