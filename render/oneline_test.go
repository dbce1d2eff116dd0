package render

import "testing"

// TestOneLine checks escapes go and white space runs become one space.
func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"a\n\tb  c":           "a b c",
		"x\x1b[31mred\x1b[m":  "x[31mred[m",
		"  ":                  "",
		"bell\atab\there\r\n": "belltab here",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
