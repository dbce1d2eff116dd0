package render

import (
	"strings"
)

// mdEscaper escapes text for Markdown: every ASCII punctuation character
// that Markdown or its HTML pass could read as syntax gets a backslash, and
// '&' becomes "&amp;" so that glamour's entity decoding cannot turn a
// literal "&#x1b;" in a feed back into an escape character.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `!`, `\!`, `|`, `\|`, `~`, `\~`, `&`, `&amp;`,
)

// escapeLineStart escapes what Markdown reads as a block marker when it
// begins a line: a heading, list or rule marker, or a numbered-list number.
// The rest of the line is escaped by escapeMD already.
func escapeLineStart(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	lead := s[:len(s)-len(t)]
	switch t[0] {
	case '#', '-', '+', '=', '>':
		return lead + `\` + t
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')') {
		return lead + t[:i] + `\` + t[i:]
	}
	return s
}

// escapeMD sanitises untrusted text and escapes it for Markdown.
func escapeMD(s string) string {
	return mdEscaper.Replace(Sanitize(s))
}

// codeSpan returns s as a Markdown code span. Code spans take no escapes,
// so the fence is made longer than any backtick run inside.
func codeSpan(s string) string {
	s = strings.ReplaceAll(Sanitize(s), "\n", " ")
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// codeBlock returns s as a fenced Markdown code block.
func codeBlock(s string) string {
	s = strings.TrimRight(Sanitize(s), "\n")
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + "\n" + s + "\n" + fence + "\n"
}

// mdLink returns a Markdown link with an escaped label, or the label alone
// when the target is not a safe URL.
func mdLink(label, target string) string {
	target = SafeURL(target)
	if label == "" {
		label = escapeMD(target)
	}
	if target == "" {
		return label
	}
	// Angle brackets allow any URL characters but '<', '>' and spaces,
	// which SafeURL already refused.
	return "[" + label + "](<" + target + ">)"
}
